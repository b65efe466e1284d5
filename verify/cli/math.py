"""verity math --question Q --answer A [--reference R] [--json] | verity math --jsonl FILE [--json]

Grade a worked math solution: the final answer against an optional reference (exact →
symbolic → numeric equivalence) and each step's claims. The batch form reads JSON Lines
(``-`` = stdin) with ``question``, ``answer`` (text, or a list of steps), optional
``reference`` and ``id``, and writes one result per line in the same order; an unreadable
line becomes ``{"id", "status": "error", "error"}``. Exit 0 when every answer is verified,
1 otherwise (or on any bad line), 2 on bad usage or unreadable input.
"""
from __future__ import annotations

import argparse
from typing import Any

from verify.api.records import math_record
from verify.batch import iter_json_records

from ._io import UsageError, dump, read_file, read_text, run_batch


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "math", help="grade a math answer (final answer and steps)",
        description="Grade a worked math solution: its final answer against a reference and "
                    "each step's claims. Either --answer (with optional --question/--reference) "
                    "or --jsonl FILE with one JSON object per line.")
    p.add_argument("--question", help="the problem the answer solves")
    p.add_argument("--answer", help="the worked solution (or - for standard input)")
    p.add_argument("--reference", help="the correct final answer, if known")
    p.add_argument("--jsonl", metavar="FILE",
                   help="JSON Lines with question, answer, optional reference and id (- = stdin)")
    p.add_argument("--json", action="store_true", help="print JSON (one object per answer)")
    p.add_argument("--no-steps", action="store_true", help="grade only the final answer")
    p.add_argument("--timeout", type=float, default=30.0, help="seconds per answer (default 30)")
    p.set_defaults(func=run)


def render(result: dict[str, Any]) -> str:
    fa = result.get("final_answer")
    head = f"{result['id']}: {result['status'].upper()}" if result.get("id") else result["status"].upper()
    lines = [f"{head}: final answer {fa!r}" + (f" vs reference {result['reference']!r}"
                                               if result.get("reference") is not None else ""),
             f"  {result['method']}: {result['explanation']}"]
    for step in result["steps"]:
        for c in step["claims"]:
            mark = {"verified": "✓", "refuted": "✗", "unverified": "?"}[c["status"]]
            fix = f" → {c['correction']}" if c.get("correction") is not None else ""
            lines.append(f"  step {step['index']} {mark} {c['text']}{fix}: {c['explanation']}")
    if result.get("first_error") is not None:
        lines.append(f"  first wrong step: {result['first_error']}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if not args.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if args.jsonl is not None:
        if args.answer is not None or args.question is not None or args.reference is not None:
            raise UsageError("use either --jsonl FILE or --answer/--question/--reference, not both")
        text = read_file(args.jsonl)
        source = "standard input" if args.jsonl == "-" else args.jsonl
        return run_batch(iter_json_records(text, source),
                         lambda rid, obj: math_record(rid, obj, args.timeout, not args.no_steps),
                         args.json, render, ok=lambda r: r.get("status") == "verified")
    if args.answer is None:
        raise UsageError("give --answer TEXT (or - for standard input), or --jsonl FILE")
    answer = read_text(args.answer)
    result = math_record("1", {"question": args.question, "answer": answer, "reference": args.reference},
                   args.timeout, not args.no_steps)
    if result.get("status") == "error":
        raise UsageError(result["error"])
    result["id"] = None
    if args.json:
        dump(result)
    else:
        print(render(result))
    return 0 if result["status"] == "verified" else 1
