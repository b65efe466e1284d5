"""verity demo [--json] [--no-llm] [--only N ...]: play the eight stories of SCENARIOS.md."""
from __future__ import annotations

import argparse
import sys
from typing import Any, Mapping

from ._io import UsageError, dump


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="play the eight scenarios end to end (offline)",
                       description="Play Verity's eight stories with bundled examples: no API "
                                   "key, no model server. Exit 0 when every story came out as "
                                   "expected.")
    p.add_argument("--json", action="store_true", help="print a machine-readable summary")
    p.add_argument("--no-llm", action="store_true",
                   help="skip the extra story on the LLM path with the packaged SmolLM2")
    p.add_argument("--only", type=int, nargs="+", metavar="N",
                   help="play only these stories (1-8; 9 = the LLM path)")
    p.add_argument("--model", default="default", metavar="URL|PATH|default",
                   help="the model for the LLM-path story (default: the packaged SmolLM2)")
    p.add_argument("--kb-cache", metavar="DIR",
                   help="where the demo knowledge base is built and reused (default: temp dir)")
    p.set_defaults(func=run)


def _render(story: Any, out: Any) -> None:
    """One story for people: input, verdict, claims, corrected text, expectations."""
    mark = "skipped" if story.skipped else ("ok" if story.ok else "FAILED")
    out.rule(f"{story.number}. {story.title} [{mark}] ({story.elapsed_s:.1f} s)")
    if story.skipped:
        out.line(f"  {story.skipped}")
        return
    for step in story.steps:
        out.line(f"  {step.label}:")
        if step.question:
            out.line(f"    question: {step.question}")
        out.line(f"    input:    {step.text}")
        if step.report is not None:
            out.line(f"    verdict:  {step.report.status.upper()} ({step.report.reason})")
            for c in step.report.claims:
                out.line(f"      {c}")
                cites = [e.citation for e in c.evidence if e.citation is not None]
                if cites:
                    out.line(f"        cited: {_where(cites[0])}")
            if step.report.corrected_text != step.report.text:
                out.line(f"    corrected: {step.report.corrected_text}")
        if step.output is not None:
            out.line(f"    returned: {step.output}")
        if step.note:
            out.line(f"    {step.note}")
    if story.error:
        out.line(f"  error: {story.error}")
    for what, met in story.expectations:
        out.line(f"  {'✓' if met else '✗'} expected: {what}")


def _where(citation: Any) -> str:
    d = citation.to_dict() if hasattr(citation, "to_dict") else citation
    if not isinstance(d, Mapping):
        return str(d)
    return f"{d.get('section') or d.get('title') or ''} ({d.get('source')})".strip()


class _Plain:
    def rule(self, title: str) -> None:
        print(f"\n== {title}")

    def line(self, text: str) -> None:
        print(text)


class _Rich:
    """Colour when ``rich`` is installed (it comes with transformers); never required."""

    def __init__(self) -> None:
        from rich.console import Console
        self.console = Console(highlight=False)

    def rule(self, title: str) -> None:
        self.console.rule(title, align="left")

    def line(self, text: str) -> None:
        self.console.print(text, markup=False)


def _output() -> Any:
    if not sys.stdout.isatty():
        return _Plain()
    try:
        return _Rich()
    except ImportError:
        return _Plain()


def run(args: argparse.Namespace) -> int:
    from verify.demo import STORIES, run_stories

    known = {n for n, _, _ in STORIES} | {9}
    if args.only and not set(args.only) <= known:
        raise UsageError(f"--only takes story numbers {sorted(known)}")
    if args.no_llm and args.only and 9 in args.only:
        raise UsageError("--only 9 is the LLM path, which --no-llm skips")
    stories = run_stories(only=args.only, llm=None if args.no_llm else args.model,
                          cache_dir=args.kb_cache)
    ok = all(s.ok for s in stories)
    if args.json:
        dump({"ok": ok, "stories": [s.to_dict() for s in stories],
              "summary": {"played": len(stories), "failed": [s.number for s in stories if not s.ok],
                          "skipped": [s.number for s in stories if s.skipped]}})
    else:
        out = _output()
        for story in stories:
            _render(story, out)
        failed = [s.number for s in stories if not s.ok]
        print(f"\n{len(stories) - len(failed)}/{len(stories)} stories came out as expected"
              + (f"; failed: {failed}" if failed else "."))
    sys.stdout.flush()
    return 0 if ok else 1
