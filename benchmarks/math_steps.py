"""Step-checking benchmark for ``check_math`` on ProcessBench (issue 5).

Data: ``../shared/data/processbench-math-dev-300.jsonl`` — 300 model solutions to MATH
problems, already split into steps, with ``label`` = index of the first wrong step (−1 when
every step is correct). Each solution goes through ``check_math(problem, steps)`` (no
reference: the steps alone), i.e. the pipeline's math engine then the arithmetic engine.

Definitions (so the numbers can be read honestly):

- a step is **checkable** when at least one claim found in it was *decided* (verified or
  refuted) by an engine; steps whose only claims are unverified, or that have no claim,
  are not checkable — most reasoning errors ("so the answer is the larger root") are not;
- a **correct step** is any step before the first wrong one (all steps when label = −1);
  a **false refutation** is a refuted claim in a correct step;
- **caught** = the first wrong step has a refuted claim; **named exactly** = the first step
  with a refuted claim is the labelled first wrong step; **flagged anywhere** = some step
  of a wrong solution is refuted.

Both engines are reported separately (the arithmetic engine is another helper's; its
claims are counted as they come).

    .venv/bin/python benchmarks/math_steps.py [--limit N] [--show K]

Timing is single-process wall clock on a shared 2-core machine.
"""
from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from verify.mathcheck import check_math  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "processbench-math-dev-300.jsonl"


def load(limit: int | None = None) -> list[dict]:
    rows = []
    with open(DATA, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
                if limit is not None and len(rows) >= limit:
                    break
    return rows


@dataclass
class Result:
    solutions: int = 0
    steps: int = 0
    wrong_solutions: int = 0
    named_exactly: int = 0
    flagged_anywhere: int = 0
    first_wrong_checkable: int = 0
    first_wrong_caught: int = 0
    first_wrong_caught_math: int = 0
    correct_steps: int = 0
    correct_checkable: dict = field(default_factory=collections.Counter)  # by engine kind and "any"
    false_refutations: dict = field(default_factory=collections.Counter)  # claims, by kind
    false_refuted_steps: int = 0
    clean_solutions: int = 0
    clean_flagged: int = 0
    claims: dict = field(default_factory=collections.Counter)  # (kind, status)
    math_types: dict = field(default_factory=collections.Counter)  # (type, status)
    seconds: float = 0.0
    false_examples: list = field(default_factory=list)
    missed_examples: list = field(default_factory=list)

    @property
    def false_refutations_math(self) -> int:
        return self.false_refutations.get("math", 0)


def evaluate(records: list[dict]) -> Result:
    res = Result()
    started = time.perf_counter()
    for r in records:
        report = check_math(r["problem"], r["steps"], None, steps=True)
        label = r["label"]
        res.solutions += 1
        res.steps += len(report.steps)
        first = report.first_error
        for step in report.steps:
            for c in step.claims:
                res.claims[(c.kind, c.status)] += 1
                if c.kind == "math":
                    res.math_types[(c.detail.get("type", "?"), c.status)] += 1
            decided = [c for c in step.claims if c.status != "unverified"]
            correct = label == -1 or step.index < label
            if correct:
                res.correct_steps += 1
                if decided:
                    res.correct_checkable["any"] += 1
                    for kind in {c.kind for c in decided}:
                        res.correct_checkable[kind] += 1
                bad = [c for c in decided if c.status == "refuted"]
                if bad:
                    res.false_refuted_steps += 1
                for c in bad:
                    res.false_refutations[c.kind] += 1
                    res.false_examples.append((r["id"], step.index, label, c.kind, c.text, c.explanation))
            elif step.index == label and decided:
                res.first_wrong_checkable += 1
                refuted = [c for c in decided if c.status == "refuted"]
                if refuted:
                    res.first_wrong_caught += 1
                    res.first_wrong_caught_math += any(c.kind == "math" for c in refuted)
                else:
                    res.missed_examples.append((r["id"], step.index, [(c.kind, c.text[:60]) for c in decided][:3]))
        if label == -1:
            res.clean_solutions += 1
            res.clean_flagged += first is not None
        else:
            res.wrong_solutions += 1
            res.named_exactly += first == label
            res.flagged_anywhere += first is not None
    res.seconds = time.perf_counter() - started
    return res


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else f"{a}/0"


def report(res: Result, show: int) -> None:
    print(f"\n## ProcessBench step checking ({res.solutions} solutions, {res.steps} steps, "
          f"{res.seconds:.1f} s = {res.solutions / res.seconds:.1f} solutions/s)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| first wrong step named exactly (wrong solutions) | {_pct(res.named_exactly, res.wrong_solutions)} |")
    print(f"| wrong solutions flagged anywhere | {_pct(res.flagged_anywhere, res.wrong_solutions)} |")
    print(f"| first wrong steps that are checkable | {_pct(res.first_wrong_checkable, res.wrong_solutions)} |")
    print(f"| … of those, caught (refuted) | {_pct(res.first_wrong_caught, res.first_wrong_checkable)} |")
    print(f"| … caught by a math-engine claim | {_pct(res.first_wrong_caught_math, res.first_wrong_checkable)} |")
    print(f"| correct steps (before the first error, or in error-free solutions) | {res.correct_steps} |")
    print(f"| … checkable | {res.correct_checkable['any']} (math {res.correct_checkable['math']}, "
          f"arithmetic {res.correct_checkable['arithmetic']}) |")
    print(f"| … with a false refutation (any engine) | {_pct(res.false_refuted_steps, res.correct_checkable['any'])} "
          "of checkable correct steps |")
    print(f"| false refutations by the math engine | {_pct(res.false_refutations.get('math', 0), res.correct_checkable['math'])} "
          "of correct steps it decided |")
    print(f"| false refutations by the arithmetic engine | "
          f"{_pct(res.false_refutations.get('arithmetic', 0), res.correct_checkable['arithmetic'])} of correct steps it decided |")
    print(f"| error-free solutions with any refutation | {_pct(res.clean_flagged, res.clean_solutions)} |")
    print("\n### Claims found\n")
    print("| engine | verified | refuted | unverified |")
    print("|---|---|---|---|")
    for kind in sorted({k for k, _ in res.claims}):
        print(f"| {kind} | {res.claims[(kind, 'verified')]} | {res.claims[(kind, 'refuted')]} | "
              f"{res.claims[(kind, 'unverified')]} |")
    print("\n| math claim type | verified | refuted | unverified |")
    print("|---|---|---|---|")
    for t in sorted({t for t, _ in res.math_types}):
        print(f"| {t} | {res.math_types[(t, 'verified')]} | {res.math_types[(t, 'refuted')]} | "
              f"{res.math_types[(t, 'unverified')]} |")
    if res.false_examples:
        print("\n### False refutations\n")
        for rid, idx, label, kind, text, expl in res.false_examples[:show]:
            print(f"- {rid} step {idx} (first error {label}), {kind}: `{text[:70]}` — {expl[:110]}")
    if res.missed_examples:
        print("\n### Checkable first wrong steps not caught (the error is elsewhere in the step)\n")
        for rid, idx, decided in res.missed_examples[:show]:
            print(f"- {rid} step {idx}: decided {decided}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="solutions to check (default: all 300)")
    ap.add_argument("--show", type=int, default=25, help="examples to list")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"missing {DATA}: ../shared must sit beside the repository", file=sys.stderr)
        return 2
    report(evaluate(load(args.limit)), args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
