"""Soundness on text nobody here wrote (issue 11): every benchmark of it, in one command.

Each part calls the public API with default arguments, exactly as a user does (``check(text)``,
``check_math(...)``, ``equivalent(...)``), prints its own Markdown table with the baseline it
measured in the same run, and is also runnable on its own:

| part | script | what it measures |
|---|---|---|
| GSM8K model solutions | ``gsm8k_solutions.py`` | right answers broken by a correction, checker errors, cross-engine contradictions, wrong solutions caught, answers/s |
| GSM8K train | ``arithmetic.py`` | altered results caught and corrected, false refutations on unaltered answers |
| ProcessBench steps | ``math_steps.py`` | false refutations of correct steps, error-free solutions flagged, first wrong steps caught (MATH, GSM8K, OlympiadBench, Omni-MATH dev) |
| final answers | ``math_answers.py`` | agreement with the reference beside math-verify |
| answer formats | ``answers_metamorphic.py`` | the same verdict under 8+ renderings, and a flip when the value changes |
| prose arithmetic fuzz | ``fuzz_arithmetic.py`` | 100,000 generated texts against an independent ``Fraction`` oracle |
| equivalence fuzz | ``equivalence_fuzz.py`` | near-equal constants and expressions: no false ``equal`` |

``python benchmarks/soundness.py`` runs them all (about an hour on one core);
``--quick`` runs each on a small slice (a few minutes) to see that they work.
"""
from __future__ import annotations

import argparse
import importlib
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

#: (module, arguments for a full run, arguments for --quick)
PARTS: tuple[tuple[str, list[str], list[str]], ...] = (
    ("gsm8k_solutions", [], ["--limit", "40", "--show", "3"]),
    ("arithmetic", [], ["--limit", "300", "--show", "2"]),
    ("math_steps", [], ["--limit", "40"]),
    ("math_answers", [], ["--limit", "40", "--show", "5"]),
    ("answers_metamorphic", [], ["--limit", "15", "--show", "5"]),
    ("fuzz_arithmetic", [], ["--limit", "1500", "--restricted", "300", "--show", "1"]),
    ("equivalence_fuzz", [], ["--limit", "20"]),
)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a small slice of each part")
    ap.add_argument("--only", nargs="+", metavar="PART", choices=[p[0] for p in PARTS],
                    help="run only these parts")
    args = ap.parse_args(argv)
    summary = []
    worst = 0
    for name, full, quick in PARTS:
        if args.only and name not in args.only:
            continue
        print(f"\n## {name}\n", flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"benchmarks.{name}")
        code = module.main(quick if args.quick else full) or 0
        worst = max(worst, code)
        summary.append((name, code, time.perf_counter() - started))
    print("\n## soundness: parts run\n")
    print("| part | exit | seconds |")
    print("|---|---|---|")
    for name, code, seconds in summary:
        print(f"| {name} | {code} | {seconds:.0f} |")
    return worst


if __name__ == "__main__":
    sys.exit(main())
