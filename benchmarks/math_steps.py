"""Step-checking benchmark for ``check_math`` on ProcessBench (issue 5).

Data: ``../shared/data/processbench-math-dev-300.jsonl`` — 300 model solutions to MATH
problems, already split into steps, with ``label`` = index of the first wrong step (−1 when
every step is correct). Each solution goes through ``check_math(problem, steps)`` (no
reference: the steps alone, the question as context), i.e. the pipeline's math engine then
the arithmetic engine.

Definitions (printed with the results, so the numbers can be read honestly):

- a step is **checkable** when at least one claim found in it was *decided* (verified or
  refuted) by an engine. This is a property of what the engines could decide in the step,
  not of where the error is: a wrong step whose decided claims are all true (its error is
  in reasoning, counting or setup stated in words) counts as checkable and missed;
- a **correct step** is any step before the first wrong one (all steps when label = −1);
  a **false refutation** is a correct step with a refuted claim (counted once per step,
  per engine);
- **caught** = the first wrong step has a refuted claim; **named exactly** = the first step
  with a refuted claim is the labelled first wrong step; **flagged anywhere** = some step
  of a wrong solution is refuted.

Both engines are reported separately (the arithmetic engine is another helper's; its
claims are counted as they come). ProcessBench labels are human judgements: a refutation
in a step labelled correct is counted as false here even when the step is in fact wrong
(the benchmark lists each one so it can be read).

A second table runs the same checks on reference solutions that are meant to be entirely
correct (``math-train-sample.jsonl``, the first GSM8K train answers): every refutation there
is either a false refutation or a slip in the reference, and each one is listed.

    .venv/bin/python benchmarks/math_steps.py [--limit N] [--show K] [--math-references N] [--gsm-references N]

Timing is single-process wall clock on a shared 2-core machine.
"""
from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._common import read_jsonl  # noqa: E402
from verify.mathcheck import check_math  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "processbench-math-dev-300.jsonl"
MATH_REFERENCES = ROOT.parent / "shared" / "data" / "math-train-sample.jsonl"
GSM_REFERENCES = ROOT.parent / "shared" / "data" / "gsm8k-train.jsonl"


def load(limit: int | None = None) -> list[dict]:
    return read_jsonl(DATA, limit)


@dataclass
class Result:
    solutions: int = 0
    steps: int = 0
    wrong_solutions: int = 0
    named_exactly: int = 0
    flagged_anywhere: int = 0
    first_wrong_with_claims: int = 0
    first_wrong_checkable: int = 0
    first_wrong_caught: int = 0
    first_wrong_caught_math: int = 0
    caught_by: dict = field(default_factory=collections.Counter)  # check that caught a first wrong step
    correct_steps: int = 0
    correct_checkable: dict = field(default_factory=collections.Counter)  # steps, by engine kind and "any"
    false_refuted_steps: dict = field(default_factory=collections.Counter)  # steps, by engine kind and "any"
    clean_solutions: int = 0
    clean_flagged: int = 0
    claims: dict = field(default_factory=collections.Counter)  # (kind, status)
    math_types: dict = field(default_factory=collections.Counter)  # (type, status)
    seconds: float = 0.0
    false_examples: list = field(default_factory=list)
    missed_examples: list = field(default_factory=list)

    @property
    def false_refutations_math(self) -> int:
        """Correct steps the math engine refuted."""
        return self.false_refuted_steps.get("math", 0)


def _check_name(c: Any) -> str:
    return f"math/{c.detail.get('type', '?')}" if c.kind == "math" else c.kind


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
            refuted = [c for c in decided if c.status == "refuted"]
            correct = label == -1 or step.index < label
            if correct:
                res.correct_steps += 1
                for kind in {"any"} | {c.kind for c in decided}:
                    res.correct_checkable[kind] += bool(decided)
                for kind in ({"any"} | {c.kind for c in refuted}) if refuted else ():
                    res.false_refuted_steps[kind] += 1
                for c in refuted:
                    res.false_examples.append((r["id"], step.index, label, _check_name(c), c.text, c.explanation))
            elif step.index == label:
                res.first_wrong_with_claims += bool(step.claims)
                if not decided:
                    continue
                res.first_wrong_checkable += 1
                if refuted:
                    res.first_wrong_caught += 1
                    res.first_wrong_caught_math += any(c.kind == "math" for c in refuted)
                    for name in {_check_name(c) for c in refuted}:
                        res.caught_by[name] += 1
                else:
                    res.missed_examples.append((r["id"], step.index, [(_check_name(c), c.text[:60]) for c in decided][:3]))
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
    print(f"| first wrong steps with any claim found | {_pct(res.first_wrong_with_claims, res.wrong_solutions)} |")
    print(f"| first wrong steps that are checkable (≥ 1 claim decided) | {_pct(res.first_wrong_checkable, res.wrong_solutions)} |")
    print(f"| … of those, caught (refuted) — target ≥ 90% | {_pct(res.first_wrong_caught, res.first_wrong_checkable)} |")
    print(f"| … caught by a math-engine claim | {_pct(res.first_wrong_caught_math, res.first_wrong_checkable)} |")
    print(f"| … missed: every decided claim in the step holds (the error is elsewhere in it) | "
          f"{_pct(res.first_wrong_checkable - res.first_wrong_caught, res.first_wrong_checkable)} |")
    print(f"| correct steps (before the first error, or in error-free solutions) | {res.correct_steps} |")
    print(f"| … checkable | {res.correct_checkable['any']} (math {res.correct_checkable['math']}, "
          f"arithmetic {res.correct_checkable['arithmetic']}) |")
    print(f"| … with a false refutation (any engine) — target < 1% | "
          f"{_pct(res.false_refuted_steps['any'], res.correct_checkable['any'])} of checkable correct steps |")
    print(f"| … by the math engine | {_pct(res.false_refuted_steps['math'], res.correct_checkable['math'])} "
          "of correct steps it decided |")
    print(f"| … by the arithmetic engine | {_pct(res.false_refuted_steps['arithmetic'], res.correct_checkable['arithmetic'])} "
          "of correct steps it decided |")
    print(f"| error-free solutions with any refutation | {_pct(res.clean_flagged, res.clean_solutions)} |")
    print("\nDefinitions: a step is *checkable* when an engine decided (verified or refuted) at least one "
          "claim in it — whether or not the error lies in that claim; a *false refutation* is a refuted "
          "claim in a step before the labelled first error (or in an error-free solution), counted once "
          "per step; *caught* = the labelled first wrong step has a refuted claim; *named exactly* = "
          "the first refuted step is the labelled one.")
    print("\n### First wrong steps caught, by the check that refuted them\n")
    print("| check | first wrong steps |")
    print("|---|---|")
    for name, n in sorted(res.caught_by.items(), key=lambda kv: (-kv[1], kv[0])):
        print(f"| {name} | {n} |")
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
        print("\n### Refutations in steps labelled correct\n")
        for rid, idx, label, check, text, expl in res.false_examples[:show]:
            print(f"- {rid} step {idx} (first error {label}), {check}: `{text[:70]}` — {expl[:110]}")
    if res.missed_examples:
        print("\n### Checkable first wrong steps not caught (the error is elsewhere in the step)\n")
        for rid, idx, decided in res.missed_examples[:show]:
            print(f"- {rid} step {idx}: decided {decided}")


@dataclass
class ReferenceResult:
    """Refutations on reference solutions, whose steps are meant to be all correct."""

    name: str
    solutions: int = 0
    decided: dict = field(default_factory=collections.Counter)  # claims decided, by engine
    refuted: list = field(default_factory=list)  # (index, engine/type, text, explanation)
    seconds: float = 0.0


def reference_refutations(name: str, rows: list[tuple[str, str]]) -> ReferenceResult:
    """Every refutation ``check_math`` makes on worked solutions that are meant to be right
    (a few references do contain slips; each refutation is listed so it can be judged)."""
    res = ReferenceResult(name)
    started = time.perf_counter()
    for i, (question, solution) in enumerate(rows):
        report = check_math(question, solution, None, steps=True)
        res.solutions += 1
        for step in report.steps:
            for c in step.claims:
                if c.status != "unverified":
                    res.decided[c.kind] += 1
                if c.status == "refuted":
                    res.refuted.append((i, _check_name(c), c.text, c.explanation))
    res.seconds = time.perf_counter() - started
    return res


def load_references(math_limit: int, gsm_limit: int) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    if MATH_REFERENCES.exists() and math_limit:
        with open(MATH_REFERENCES, encoding="utf-8") as fh:
            rows = [json.loads(line) for line in fh if line.strip()][:math_limit]
        out.append(("MATH train sample (reference solutions)", [(r["problem"], r["solution"]) for r in rows]))
    if GSM_REFERENCES.exists() and gsm_limit:
        rows = []
        with open(GSM_REFERENCES, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    # the <<48/2=24>> calculator notes are not part of the prose
                    rows.append((r["question"], re.sub(r"<<[^>]*>>", "", r["answer"])))
                if len(rows) >= gsm_limit:
                    break
        out.append(("GSM8K train (reference solutions)", rows))
    return out


def report_references(results: list[ReferenceResult], show: int) -> None:
    print("\n## Refutations on reference solutions (every step meant to be correct)\n")
    print("| data | solutions | claims decided (math / arithmetic) | refuted by math | refuted by arithmetic | s |")
    print("|---|---|---|---|---|---|")
    for r in results:
        math_ref = sum(1 for _, name, _, _ in r.refuted if name.startswith("math"))
        print(f"| {r.name} | {r.solutions} | {r.decided['math']} / {r.decided['arithmetic']} | "
              f"{math_ref} ({100 * math_ref / max(1, r.decided['math']):.2f}%) | {len(r.refuted) - math_ref} "
              f"({100 * (len(r.refuted) - math_ref) / max(1, r.decided['arithmetic']):.2f}%) | {r.seconds:.0f} |")
    for r in results:
        if r.refuted:
            print(f"\n{r.name} — refutations (judge each: some references do contain slips):\n")
            for i, name, text, expl in r.refuted[:show]:
                print(f"- #{i} {name}: `{text[:70]}` — {expl[:120]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="solutions to check (default: all 300)")
    ap.add_argument("--show", type=int, default=25, help="examples to list")
    ap.add_argument("--math-references", type=int, default=500, help="MATH reference solutions to check (0: skip)")
    ap.add_argument("--gsm-references", type=int, default=1000, help="GSM8K reference solutions to check (0: skip)")
    args = ap.parse_args(argv)
    if not DATA.exists():
        print(f"missing {DATA}: ../shared must sit beside the repository", file=sys.stderr)
        return 2
    report(evaluate(load(args.limit)), args.show)
    refs = load_references(args.math_references, args.gsm_references)
    if refs:
        report_references([reference_refutations(name, rows) for name, rows in refs], args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
