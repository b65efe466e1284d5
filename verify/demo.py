"""The eight stories of SCENARIOS.md, played end to end with bundled examples.

Everything here runs offline with no API key and no model server: the knowledge base is the
small demo corpus in ``verify/data/demo_kb`` (written for the demo), self-consistency uses
five fixed samples through a ``CallableLLM``, the decorator story wraps a plain function,
and the optional LLM path uses the packaged SmolLM2. Each story checks its own expected
outcome, so ``verity demo`` doubles as an end-to-end self-test.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .report import Report

log = logging.getLogger("verity.demo")

DEMO_KB_SOURCES = Path(__file__).resolve().parent / "data" / "demo_kb"
#: Seconds the optional SmolLM2 story may take in all (loading included).
LLM_STORY_TIMEOUT = 240.0


def _sources_digest() -> str:
    h = hashlib.sha256()
    for p in sorted(DEMO_KB_SOURCES.glob("*")):
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def build_demo_kb(out: str | os.PathLike, *, progress: bool = False) -> Any:
    """Index the bundled demo corpus into ``out`` (sources cited as ``demo_kb/<file>``)."""
    from kb import KnowledgeBase
    from kb.readers import read_sources

    docs, skipped = read_sources([DEMO_KB_SOURCES])
    if skipped or not docs:
        raise RuntimeError(f"the bundled demo corpus is unreadable: {skipped}")
    docs = [dataclasses.replace(d, source=f"demo_kb/{Path(d.source).name}") for d in docs]
    return KnowledgeBase.build(docs, out, progress=progress)


def open_demo_kb(cache_dir: str | os.PathLike | None = None) -> Any:
    """The demo knowledge base, built on first use and reused while the corpus is unchanged.

    It lives in ``cache_dir`` (default: the system temp directory) under a name that carries
    the corpus checksum; a concurrent first run builds in a private directory and renames.
    """
    from verify.engines.base import open_kb

    root = Path(cache_dir) if cache_dir is not None else Path(tempfile.gettempdir())
    target = root / f"verity-demo-kb-{_sources_digest()}"
    if target.is_dir():
        try:
            return open_kb(target)
        except (FileNotFoundError, ValueError) as exc:
            log.warning("rebuilding the demo knowledge base (%s)", exc)
            shutil.rmtree(target, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="verity-demo-kb-", dir=root))
    try:
        build_demo_kb(scratch / "kb").close()
        try:
            os.rename(scratch / "kb", target)
        except OSError:
            if not target.is_dir():  # not a lost race: a real failure
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return open_kb(target)


# ---------------------------------------------------------------------------- stories

@dataclass(frozen=True)
class Step:
    """One input played through Verity and what came out."""

    label: str
    text: str
    report: Report | None = None
    question: str | None = None
    output: str | None = None  # what a decorated function returned, when that is the point
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "text": self.text, "question": self.question,
                "output": self.output, "note": self.note,
                "report": self.report.to_dict() if self.report is not None else None}


@dataclass(frozen=True)
class Story:
    """A scenario's steps and its expectations, each (description, met)."""

    number: int
    title: str
    steps: tuple[Step, ...] = ()
    expectations: tuple[tuple[str, bool], ...] = ()
    elapsed_s: float = 0.0
    error: str | None = None
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        if self.skipped is not None:
            return True
        return self.error is None and bool(self.expectations) and all(m for _, m in self.expectations)

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "ok": self.ok,
                "skipped": self.skipped, "error": self.error, "elapsed_s": round(self.elapsed_s, 3),
                "expectations": [{"what": w, "met": m} for w, m in self.expectations],
                "steps": [s.to_dict() for s in self.steps]}


@dataclass
class _Play:
    """Collects a story's steps and expectations while it runs."""

    steps: list[Step] = field(default_factory=list)
    expectations: list[tuple[str, bool]] = field(default_factory=list)

    def check(self, label: str, text: str, **kwargs: Any) -> Report:
        from .pipeline import check

        report = check(text, **kwargs)
        self.steps.append(Step(label, text, report, kwargs.get("question")))
        return report

    def expect(self, what: str, met: Any) -> None:
        self.expectations.append((what, bool(met)))


def _claim(report: Report, needle: str) -> Any:
    return next((c for c in report.claims if needle in c.text), None)


def _status(report: Report, needle: str) -> str | None:
    c = _claim(report, needle)
    return c.status if c is not None else None


def _cited(claim: Any, section: str) -> bool:
    for e in claim.evidence if claim is not None else ():
        cite = e.citation
        if cite is not None and section in str(getattr(cite, "section", None) or
                                               (cite.get("section") if hasattr(cite, "get") else "")):
            return True
    return False


INVOICE = "Is this invoice total correct? Subtotal: $100, Tax (18%): $18, Total: $120"
PRODUCT = "847 × 923 = 781681"
WW2_WRONG = "World War II ended in 1946."
WW2_RIGHT = ("World War II ended on September 2, 1945, when Japan formally surrendered aboard "
             "the USS Missouri.")
EIFFEL_Q = "What year was the Eiffel Tower completed?"
EIFFEL_SAMPLES = ("1889", "1889", "1887", "1889", "1889")
LINCOLN = ("Abraham Lincoln was the 16th president and was born in Kentucky in 1809. "
           "He wrote the Declaration of Independence.")
AMAZON = ("The Amazon River is the longest river in the world, flowing through Brazil and "
          "emptying into the Pacific Ocean.")


def story_invoice(kb: Any, play: _Play) -> None:
    r = play.check("the reply with the invoice", INVOICE)
    total = _claim(r, "Total")
    play.expect("the total is refuted", total is not None and total.status == "refuted")
    play.expect("it is corrected to $118", total is not None and "118" in (total.correction or ""))
    play.expect("the proof says 100 + 18 = 120 is unsatisfiable",
                total is not None and any("unsatisfiable" in e.text for e in total.evidence))
    play.expect("the tax line is verified", _status(r, "Tax") == "verified")


def story_product(kb: Any, play: _Play) -> None:
    r = play.check("the published product", PRODUCT)
    play.expect("the product is refuted", _status(r, "847") == "refuted")
    play.expect("it is corrected to 781781", r.corrected_text == "847 × 923 = 781781")


def story_calculus(kb: Any, play: _Play) -> None:
    good = play.check("the right antiderivative", "The integral of x² is x³/3 + C")
    bad = play.check("the wrong antiderivative", "The integral of x² is x³/2 + C")
    play.expect("x³/3 + C is verified by differentiation",
                good.status == "verified" and any("d/dx" in e.text for c in good.claims
                                                  for e in c.evidence))
    fix = bad.claims[0].correction if bad.claims else None
    play.expect("x³/2 + C is refuted", bad.status != "verified" and _status(bad, "x³/2") == "refuted")
    play.expect("the correction is the antiderivative x³/3 + C", fix is not None and "x³/3" in fix)


def story_grounding(kb: Any, play: _Play) -> None:
    wrong = play.check("the tutor's wrong reply", WW2_WRONG, kb=kb)
    right = play.check("the grounded reply", WW2_RIGHT, kb=kb)
    claim = _claim(wrong, "1946")
    play.expect("'ended in 1946' is refuted", claim is not None and claim.status == "refuted")
    play.expect("with the textbook passage cited", _cited(claim, "The end of World War II"))
    play.expect("the correction gives 1945", "1945" in wrong.corrected_text)
    play.expect("the grounded reply is verified with the citation",
                right.status == "verified" and all(_cited(c, "The end of World War II")
                                                    for c in right.claims))


def story_consistency(kb: Any, play: _Play) -> None:
    from verify.stages.consistency import vote
    from .llm import CallableLLM

    result = vote(list(EIFFEL_SAMPLES), question=EIFFEL_Q)
    play.steps.append(Step("five sampled answers", ", ".join(EIFFEL_SAMPLES), None, EIFFEL_Q,
                           note=f"majority {result.answer}, agreement {result.fraction}, "
                                f"flagged samples {[i + 1 for i in result.minority]}, "
                                f"semantic entropy {result.entropy:.2f}"))
    play.expect("the majority is 1889", result.answer == "1889")
    play.expect("agreement is 4/5", result.fraction == "4/5")
    play.expect("the 1887 sample is flagged", result.minority == (2,))

    def five_samples(messages: Any, n: int = 1) -> list[str]:
        return list(EIFFEL_SAMPLES[:n])

    llm = CallableLLM(five_samples, name="five-fixed-samples")
    # the sampler is not a judge: the default judge decides the facts
    minority = play.check("the 1887 answer, with 5 samples", "1887", question=EIFFEL_Q, kb=kb,
                          llm=llm, samples=5, judge="default")
    majority = play.check("the 1889 answer, with 5 samples", "1889", question=EIFFEL_Q, kb=kb,
                          llm=llm, samples=5, judge="default")
    c_min = next((c for c in minority.claims if c.kind == "consistency"), None)
    c_maj = next((c for c in majority.claims if c.kind == "consistency"), None)
    play.expect("the 1887 answer is flagged", minority.status != "verified"
                and c_min is not None and c_min.status != "verified")
    play.expect("the checked majority 1889 is offered as its correction",
                c_min is not None and c_min.correction == "1889")
    play.expect("the 1889 answer agrees with 4/5 samples",
                c_maj is not None and c_maj.status == "verified" and c_maj.detail["fraction"] == "4/5")


def story_cove(kb: Any, play: _Play) -> None:
    r = play.check("the answer, with chain-of-verification", LINCOLN, kb=kb, cove=True)
    play.expect("'the 16th president' holds", _status(r, "16th president") == "verified")
    play.expect("'born in Kentucky in 1809' holds", _status(r, "born in Kentucky") == "verified")
    wrote = _claim(r, "Declaration")
    play.expect("'He wrote the Declaration of Independence' fails",
                wrote is not None and wrote.status == "refuted")
    asked = [q["question"] for q in (wrote.detail.get("cove", {}).get("questions", ())
                                     if wrote is not None else ())]
    play.expect("it was asked independently: 'Who wrote the Declaration of Independence?'",
                "Who wrote the Declaration of Independence?" in asked)
    play.expect("the revised answer keeps the true claims",
                r.corrected_text.startswith("Abraham Lincoln was the 16th president and was born "
                                            "in Kentucky in 1809."))
    play.expect("and replaces the false one from the evidence",
                "He wrote" not in r.corrected_text and "Thomas Jefferson" in r.corrected_text)
    play.expect("the report says so (stage cove)", "cove" in r.stages)


def story_decomposition(kb: Any, play: _Play) -> None:
    r = play.check("the one-sentence answer", AMAZON, kb=kb)
    play.expect("three claims", len(r.claims) == 3)
    play.expect("'the longest river in the world' is unverified (disputed)",
                _status(r, "longest") == "unverified")
    play.expect("'flows through Brazil' is verified", _status(r, "Brazil") == "verified")
    pacific = _claim(r, "Pacific")
    play.expect("'empties into the Pacific Ocean' is refuted",
                pacific is not None and pacific.status == "refuted")
    play.expect("and corrected to the Atlantic", "Atlantic Ocean" in r.corrected_text)


def story_decorator(kb: Any, play: _Play) -> None:
    from .decorator import VerificationError, verified

    def model_call() -> str:
        return PRODUCT

    fixed = verified(on_fail="correct")(model_call)()
    play.steps.append(Step("@verified(on_fail='correct')", PRODUCT, fixed.report, output=str(fixed)))
    play.expect("on_fail='correct' returns the corrected text", fixed == "847 × 923 = 781781")
    play.expect("with .report attached", fixed.report.status == "corrected")

    try:
        verified(on_fail="raise")(model_call)()
        raised = None
    except VerificationError as exc:
        raised = exc
    play.steps.append(Step("@verified(on_fail='raise')", PRODUCT,
                           raised.report if raised else None,
                           note="raised VerificationError" if raised else "did not raise"))
    play.expect("on_fail='raise' raises with the report",
                raised is not None and raised.report.status == "corrected")

    calls: list[str | None] = []

    def model_with_feedback(verity_feedback: str | None = None) -> str:
        calls.append(verity_feedback)
        return PRODUCT if verity_feedback is None else "847 × 923 = 781781"

    again = verified(on_fail="reask")(model_with_feedback)()
    play.steps.append(Step("@verified(on_fail='reask'), the last answer", again.report.text,
                           again.report, output=str(again),
                           note=f"asked {len(calls)} times; feedback: {calls[-1]!r}"))
    play.expect("on_fail='reask' asks again with the problems",
                len(calls) == 2 and calls[1] is not None and "781781" in calls[1])
    play.expect("and the second answer is verified", again.report.status == "verified")


STORIES: tuple[tuple[int, str, Callable[[Any, _Play], None]], ...] = (
    (1, "Invoice in a chat answer", story_invoice),
    (2, "A product a model cannot compute", story_product),
    (3, "A calculus claim", story_calculus),
    (4, "Grounding a tutor's answer", story_grounding),
    (5, "Self-consistency", story_consistency),
    (6, "Chain-of-verification", story_cove),
    (7, "Claim decomposition", story_decomposition),
    (8, "A decorated model call", story_decorator),
)


def story_llm_path(kb: Any, play: _Play, llm: Any) -> None:
    """Story 4 again with the packaged SmolLM2 as decomposer and co-judge: a weak model may
    cost coverage, never soundness."""
    r = play.check("the wrong reply, with SmolLM2 on the LLM path", WW2_WRONG, kb=kb, llm=llm,
                   timeout=LLM_STORY_TIMEOUT)
    play.expect("the wrong reply is still not verified", r.status != "verified"
                and _status(r, "1946") != "verified")
    play.expect("the model is recorded in the report", "llm" in r.meta.get("models", {}))


def run_stories(*, only: Sequence[int] | None = None, llm: Any = "default",
                cache_dir: str | os.PathLike | None = None) -> list[Story]:
    """Play the stories (all, or the numbers in ``only``); ``llm=None`` skips the LLM path.

    A story that crashes is reported with its error and counts as failed."""
    wanted = set(only) if only else None
    kb = None
    stories: list[Story] = []
    for number, title, play_fn in STORIES:
        if wanted is not None and number not in wanted:
            continue
        if kb is None and number in (4, 5, 6, 7):
            kb = open_demo_kb(cache_dir)
        stories.append(_play(number, title, lambda p, f=play_fn: f(kb, p)))
    if llm is not None and (wanted is None or 9 in wanted):
        stories.append(_llm_story(llm, kb if kb is not None else open_demo_kb(cache_dir)))
    return stories


def _play(number: int, title: str, fn: Callable[[_Play], None]) -> Story:
    play = _Play()
    started = time.monotonic()
    try:
        fn(play)
        error = None
    except Exception as exc:  # noqa: BLE001 - a crashed story is a failed story, reported
        log.exception("story %d failed", number)
        error = f"{type(exc).__name__}: {exc}"
    return Story(number, title, tuple(play.steps), tuple(play.expectations),
                 time.monotonic() - started, error)


def _llm_story(spec: Any, kb: Any) -> Story:
    title = "The LLM path with the packaged SmolLM2 (story 4 again)"
    started = time.monotonic()
    try:
        from .llm import as_llm
        llm = as_llm(spec)
        llm.complete("Say OK.", max_tokens=2, timeout=LLM_STORY_TIMEOUT)  # load it now, bounded
    except Exception as exc:  # noqa: BLE001 - no model here: say so, do not fail the demo
        return Story(9, title, elapsed_s=time.monotonic() - started,
                     skipped=f"the model did not load: {type(exc).__name__}: {exc}")
    story = _play(9, title, lambda p: story_llm_path(kb, p, llm))
    return dataclasses.replace(story, elapsed_s=time.monotonic() - started)
