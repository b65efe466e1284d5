"""Soundness of the default ``check()`` on GSM8K model solutions (issue 11).

Data: ../shared/data/gsm8k-model-solutions-dev.jsonl — 655 GSM8K test questions, each with
four models' solutions (``is_correct``) and the reference (``ground_truth``, ending
``A: N``). The ``<<expr=result>>`` calculator notes are removed, as a user would see the
text, and each solution goes through ``check(solution)`` exactly as a user calls it (and
``check(solution, question=q)``, reported as a second row).

Measured, on solutions whose final answer is right:

- **broken by a correction**: the final number of ``corrected_text`` (after ``A:``, else
  the last number) differs from the solution's own — Verity turned a right answer wrong;
- **refutations**, each classified apart from Verity (the helpers of
  ``benchmarks/arithmetic.py``): a *slip* when the model's own calculator note inside the
  refuted claim is wrong, or the written computation is false under a separate exact
  evaluation, or follows from one of those; else a *checker error*. Both lists are printed
  (read by hand: see the README row);
- **contradicted**: a refutation that another Verity engine, run alone on the same text,
  verifies on a nested span (one reading of the same stretch of text, the arbitration rule
  of ``verify.pipeline``). Neighbouring links of one chain that two engines read with
  different verdicts (``x = 40/3`` verified, ``40/3 = 13`` refuted) are two claims that can
  both be right; they are listed apart, not counted.

A refutation the automatic classifier cannot place (a math engine claim: no calculator note
decides it) is a slip only when read and confirmed by hand: :data:`CONFIRMED_SLIPS` holds
each one with the reason; anything else counts as a checker error.

On wrong solutions: how many get a refutation (caught), how many are flagged, how many are
reported ``verified``. Speed: answers/s of CPU time on one core, p50/p99 latency.

Extra rows in the same run: the arithmetic engine alone (``engines=("arithmetic",)``) and a
naive baseline (a regex for ``a op b = c`` evaluated with floats). ``--against REV`` also
runs the two default rows on Verity as of git revision REV (exported with ``git archive``
into a temporary directory, measured by this same script in a subprocess), so earlier
figures print beside today's.

    .venv/bin/python benchmarks/gsm8k_solutions.py [--limit N] [--show K] [--against REV]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
#: where ``verify`` is imported from: this checkout, or an exported revision (``--against``)
CODE = Path(os.environ.get("VERITY_CODE_ROOT", ROOT))
for _path in (ROOT, CODE):
    if str(_path) in sys.path:
        sys.path.remove(str(_path))
    sys.path.insert(0, str(_path))

from benchmarks._common import SHARED_DATA, read_jsonl  # noqa: E402
from benchmarks.arithmetic import Answer, Found, classify, naive_checker, strip_notes  # noqa: E402
from verify.pipeline import DEFAULT_ENGINES, check  # noqa: E402
from verify.report import Report  # noqa: E402

DATA = SHARED_DATA / "gsm8k-model-solutions-dev.jsonl"
MODELS = ("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification")
#: the engine that produces each claim kind (a refutation is cross-checked by the others)
ENGINE_OF_KIND = {"invoice": "invoice", "math": "math", "arithmetic": "arithmetic",
                  "logic": "logic", "factual": "grounding"}

#: Refutations in right solutions read by hand and confirmed to be slips in the model's text
#: (the claim is false as written), keyed by (question index, model, claim text).
CONFIRMED_SLIPS = {
    (324, "175b_verification", "S = 15"):
        "the text derives 4S = 70 and then states S = 15 (70/4 = 17.5); the final answer is "
        "right only because the set-up was wrong too",
}

_FINAL = re.compile(r"\bA:\s*\$?(-?[\d,]*\.?\d+)")
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?|-?\.\d+")


@dataclass(frozen=True)
class Solution:
    index: int
    model: str
    question: str
    answer: Answer   # the text without calculator notes, and the notes (for classifying)
    correct: bool

    @property
    def text(self) -> str:
        return self.answer.text


def load(limit: int | None = None) -> list[Solution]:
    out = []
    for i, row in enumerate(read_jsonl(DATA, limit)):
        for model in MODELS:
            sol = row[model]
            out.append(Solution(i, model, row["question"],
                                strip_notes(i, row["question"], sol["solution"]),
                                bool(sol["is_correct"])))
    return out


def final_number(text: str) -> Fraction | None:
    """The solution's final answer: the number after the last ``A:``, else the last number."""
    found = _FINAL.findall(text) or _NUMBER.findall(text)
    if not found:
        return None
    try:
        return Fraction(found[-1].replace(",", ""))
    except (ValueError, ZeroDivisionError):
        return None


@dataclass
class Tally:
    name: str
    times: list[float] = field(default_factory=list)
    right: int = 0
    wrong: int = 0
    broken: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)       # checker-error refutations (right)
    slips: list[str] = field(default_factory=list)        # real slips in right solutions
    contradicted: list[str] = field(default_factory=list)
    neighbours: list[str] = field(default_factory=list)   # chain links read differently
    wrong_caught: int = 0
    wrong_flagged: int = 0
    wrong_verified: int = 0
    right_verified: int = 0

    def row(self) -> dict[str, str]:
        total = sum(self.times)
        q = statistics.quantiles(self.times, n=100) if len(self.times) > 1 else [0.0] * 99
        return {
            "path": self.name,
            "right answers broken by a correction": _n(self.broken),
            "checker-error refutations (right)": f"{len(self.errors)} ({_pct(len(self.errors), self.right)})",
            "real slips refuted (right)": str(len(self.slips)),
            "refutations another engine contradicts": _n(self.contradicted),
            "right reported verified": _pct(self.right_verified, self.right),
            "wrong caught (refuted)": _pct(self.wrong_caught, self.wrong),
            "wrong flagged": _pct(self.wrong_flagged, self.wrong),
            "wrong reported verified": _pct(self.wrong_verified, self.wrong),
            "answers/s (CPU, 1 core)": f"{len(self.times) / total:,.0f}" if total else "n/a",
            "p50 ms": f"{1000 * statistics.median(self.times):.3f}",
            "p99 ms": f"{1000 * q[98]:.3f}",
        }


def _n(items: list[str] | None) -> str:
    return "—" if items is None else str(len(items))


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f}% ({a}/{b})" if b else "n/a"


def _holds(a: Any, b: Any) -> bool:
    return a.start <= b.start and b.end <= a.end


def _contradicted(text: str, question: str | None, report: Report) -> tuple[list[str], list[str]]:
    """Refutations that another engine, run alone on the same text, verifies on a span
    holding the refuted one (text true as a whole cannot hold a false part); and those it
    verifies on a span that only overlaps (a neighbouring link, or a true part of a false
    whole: "the smallest cube is 2^3 = 8")."""
    nested, neighbours = [], []
    for c in report.refuted:
        own = ENGINE_OF_KIND.get(c.kind)
        for other in DEFAULT_ENGINES:
            if other == own:
                continue
            for v in check(text, question=question, engines=(other,)).claims:
                if v.status == "verified" and v.span.overlaps(c.span):
                    line = f"{c.text!r} refuted by {c.kind}, {v.text!r} verified by {other}"
                    (nested if _holds(v.span, c.span) else neighbours).append(line)
    return nested, neighbours


def _found(report: Report) -> list[Found]:
    return [Found((c.correction_span or c.span).start, (c.correction_span or c.span).end,
                  None, c.text, "propagated_from" in c.detail) for c in report.refuted]


def run_verity(name: str, sols: list[Solution], call: Callable[[Solution], Report],
               cross_check: bool) -> Tally:
    t = Tally(name)
    call(sols[0])  # warm-up: imports (SymPy, Z3), compiled patterns
    check("Let x = 2. Then 3x = 6 and 6 / 2 = 3.\nSubtotal: $5\nTax (20%): $1\nTotal: $6")
    for s in sols:
        t0 = time.process_time()
        report = call(s)
        t.times.append(time.process_time() - t0)
        where = f"#{s.index} {s.model}"
        if cross_check and report.refuted:
            nested, neighbours = _contradicted(s.text, s.question if "question" in name else None,
                                               report)
            t.contradicted += [f"{where}: {x}" for x in nested]
            t.neighbours += [f"{where}: {x}" for x in neighbours]
        if not s.correct:
            t.wrong += 1
            t.wrong_caught += bool(report.refuted)
            t.wrong_flagged += report.status == "flagged"
            t.wrong_verified += report.status == "verified"
            continue
        t.right += 1
        t.right_verified += report.status == "verified"
        before, after = final_number(s.text), final_number(report.corrected_text)
        if before != after:
            t.broken.append(f"{where}: final {before} → {after}")
        for f, c in zip(_found(report), report.refuted):
            cause = classify(s.answer, f, {})
            hand = CONFIRMED_SLIPS.get((s.index, s.model, c.text))
            if cause == "engine" and hand:
                cause = f"confirmed by hand: {hand}"
            line = (f"{where} [{cause}] {c.text!r}: {c.explanation}"
                    + (f" → {c.correction!r}" if c.correction is not None else ""))
            (t.errors if cause == "engine" else t.slips).append(line)
    return t


def run_naive(sols: list[Solution]) -> Tally:
    t = Tally("naive regex + float (baseline)")
    t.broken = t.contradicted = None  # type: ignore[assignment] - no corrections, one engine
    for s in sols:
        t0 = time.process_time()
        out = naive_checker(s.text, s.question)
        t.times.append(time.process_time() - t0)
        if not s.correct:
            t.wrong += 1
            t.wrong_caught += bool(out.refuted)
            t.wrong_verified += not out.refuted
            continue
        t.right += 1
        t.right_verified += not out.refuted
        for f in out.refuted:
            cause = classify(s.answer, f, {})
            (t.errors if cause == "engine" else t.slips).append(f"#{s.index} {s.model} [{cause}] {f.text!r}")
    return t


def measure(limit: int | None = None) -> tuple[list[dict[str, str]], list[Tally]]:
    """The table rows (for ``benchmarks/soundness.py``) and the tallies behind them."""
    sols = load(limit)
    tallies = [
        run_verity("check(solution)", sols, lambda s: check(s.text), cross_check=True),
        run_verity("check(solution, question=q)", sols,
                   lambda s: check(s.text, question=s.question), cross_check=True),
        run_verity("extra row: check(solution, engines=('arithmetic',))", sols,
                   lambda s: check(s.text, engines=("arithmetic",)), cross_check=False),
        run_naive(sols),
    ]
    tallies[2].contradicted = None  # type: ignore[assignment] - one engine: nothing to contradict
    return [t.row() for t in tallies], tallies


def table(rows: list[dict[str, Any]]) -> str:
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(str(r[k]) for k in keys) + " |" for r in rows]
    return "\n".join(lines)


def rows_at(rev: str, limit: int | None) -> list[dict[str, str]]:
    """The default rows measured on Verity as of git revision ``rev`` (its ``verify``
    package, this script), run in a subprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "verify"],
                                 check=True, capture_output=True).stdout
        tar_path = Path(tmp) / "rev.tar"
        tar_path.write_bytes(archive)
        with tarfile.open(tar_path) as tar:
            tar.extractall(tmp, filter="data")
        cmd = [sys.executable, str(Path(__file__).resolve()), "--json"]
        if limit:
            cmd += ["--limit", str(limit)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True,
                             env=dict(os.environ, VERITY_CODE_ROOT=tmp)).stdout
    rows = json.loads(out.strip().splitlines()[-1])[:2]
    for r in rows:
        r["path"] = f"{rev}: {r['path']}"
    return rows


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--limit", type=int, help="use only the first N questions (4 solutions each)")
    p.add_argument("--show", type=int, default=50, help="list this many items of each kind")
    p.add_argument("--against", metavar="REV", help="also measure Verity as of this git revision")
    p.add_argument("--json", action="store_true", help="print only the rows, as JSON")
    args = p.parse_args(argv)
    if not DATA.exists():
        print(f"{DATA} is missing: ../shared must sit beside the repository", file=sys.stderr)
        return 2
    started = time.perf_counter()
    rows, tallies = measure(args.limit)
    if args.json:
        print(json.dumps(rows))
        return 0
    if args.against:
        rows = rows[:2] + rows_at(args.against, args.limit) + rows[2:]
    n = len(tallies[0].times)
    print(f"\n### GSM8K model solutions (dev): {n:,} solutions, "
          f"{tallies[0].right:,} right and {tallies[0].wrong:,} wrong\n")
    print(table(rows))
    print("\nSpeed is CPU time of one core (the machine is shared); 'caught' = at least one "
          "refuted claim; cause of a refutation in a right solution: 'annotation' (the model's "
          "calculator note is wrong), 'prose' (the written computation is false as written), "
          "'propagated' (follows from those) are real slips; 'engine' is a checker error.")
    for t in tallies[:2]:
        for title, items in (("right answers broken by a correction", t.broken),
                             ("checker-error refutations in right solutions", t.errors),
                             ("real slips refuted in right solutions (read by hand)", t.slips),
                             ("refutations another engine contradicts", t.contradicted),
                             ("neighbouring chain links another engine verifies (two claims; "
                              "not counted)", t.neighbours)):
            if items:
                print(f"\n#### {t.name}: {title} ({len(items)})")
                for line in items[:args.show]:
                    print("-", line)
    print(f"\n({time.perf_counter() - started:.1f} s total)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
