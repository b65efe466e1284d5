"""LLM-written logic programs (issue 15): Logic-LM's GPT-3.5-turbo programs for FOLIO,
ProntoQA and ProofWriter, run through ``check_program`` exactly as a user calls it.

For each dataset (../shared/data/logic-programs/<name>_dev_gpt-3.5-turbo.json, answers in
``answer`` as option letters, options like "A) True") it prints one table:

- **Verity**: ``check_program(program, context=..., question=..., world=...)``; the verdict
  (true/false/unknown) picks the option. The world assumption per dataset is printed:
  FOLIO and ProofWriter (its OWA split, with Unknown answers) are open-world; ProntoQA
  (True/False only, every unstated property false) is closed-world, as Logic-LM's Pyke
  solver runs it.
  With ``context``, its sentences in controlled English are read into the program's
  vocabulary: omitted premises are added, contradicting ones replaced (column "context
  repairs": problems with such a repair).
- **Verity, question only**: ``check_program(program, question=...)``: the query checks
  without the context, so without context repairs (the path before they existed).
- **Verity, no validation**: the same without ``context``/``question`` (no polarity repair).
- **Naive baseline** (same run): the formula reader with no program conversion: the lines
  of each section, ``:::`` comments cut, given to ``check_logic`` as premises and the first
  query/conclusion line (rule programs' ``$x``, ``>>>`` and truth-value arguments do not
  parse there; FOL programs' free variables are read as constants).
- The Logic-LM paper's figures (Pan et al., 2023, with its chain-of-thought fallback for
  programs that fail), printed beside.

Accuracy is reported both ways: every problem (an unparsed program counts as wrong) and
executable programs only. "Parsed or rejected" is the share that parsed or got an
``error`` naming the problem: a crash or a hang would lower it. Latency is per problem.

    .venv/bin/python benchmarks/logic_programs.py [--limit N] [--timeout S]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from verify.api.logic import LogicResult, check_logic, check_program  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "logic-programs"
DATASETS = {"FOLIO": "open", "ProntoQA": "closed", "ProofWriter": "open"}
PAPER = {"FOLIO": (62.7, 78.9), "ProntoQA": (61.0, 83.2), "ProofWriter": (58.3, 79.7)}
OPTION_VERDICT = {"true": "true", "false": "false", "unknown": "unknown", "uncertain": "unknown"}
_SECTIONS = ("predicates:", "facts:", "rules:", "query:", "premises:", "conclusion:")


@dataclass(frozen=True)
class Outcome:
    correct: bool
    parsed: bool
    rejected: bool      # an error result naming the problem
    flagged: bool       # a validation check failed (not repaired)
    repaired: bool      # the query was repaired (polarity or its reading)
    context: bool       # a premise was added, replaced or dropped from the context
    ms: float


def load(name: str, limit: int | None) -> list[dict[str, Any]]:
    rows = json.loads((DATA / f"{name}_dev_gpt-3.5-turbo.json").read_text())
    return rows[:limit] if limit else rows


def answer_letter(verdict: str | None, options: list[str]) -> str | None:
    """The option ("A) True") whose text matches the verdict."""
    for option in options:
        letter, _, text = option.partition(")")
        if verdict is not None and OPTION_VERDICT.get(text.strip().lower()) == verdict:
            return letter.strip()
    return None


def naive(program: str, timeout: float, world: str) -> LogicResult:
    """Today's reader with no conversion: section lines, comments cut, as formulas."""
    premises: list[str] = []
    goal: list[str] = []
    section = ""
    for line in program.splitlines():
        text = line.split(":::")[0].strip()
        if text.lower() in _SECTIONS:
            section = text.lower()
            continue
        if not text or section == "predicates:":
            continue
        (goal if section in ("query:", "conclusion:") else premises).append(text)
    return check_logic(premises, goal[0] if goal else "", timeout=timeout, world=world)


def run(rows: list[dict[str, Any]], solve: Callable[[dict[str, Any]], LogicResult]
        ) -> list[Outcome]:
    out = []
    for row in rows:
        started = time.perf_counter()
        result = solve(row)
        ms = (time.perf_counter() - started) * 1000
        out.append(Outcome(
            correct=answer_letter(result.verdict, row["options"]) == row["answer"],
            parsed=result.answer != "error",
            rejected=result.answer == "error" and bool(result.explanation),
            flagged=not result.validated,
            repaired=any(c["repaired"] and c["check"].startswith("query")
                         for c in result.validation),
            context=any(c["repaired"] and c["check"] == "premise_reading"
                        for c in result.validation), ms=ms))
    return out


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def row_of(label: str, outs: list[Outcome]) -> str:
    n = len(outs)
    ok = sum(o.correct for o in outs)
    parsed = [o for o in outs if o.parsed]
    times = sorted(o.ms for o in outs)
    p99 = times[min(n - 1, int(round(0.99 * (n - 1))))]
    return (f"| {label} | {_pct(ok, n)} ({ok}/{n}) | "
            f"{_pct(sum(o.correct for o in parsed), len(parsed))} | {_pct(len(parsed), n)} | "
            f"{_pct(sum(o.parsed or o.rejected for o in outs), n)} | "
            f"{sum(o.flagged for o in outs)} | {sum(o.repaired for o in outs)} | "
            f"{sum(o.context for o in outs)} | "
            f"{statistics.median(times):.0f} | {p99:.0f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="problems per dataset")
    ap.add_argument("--timeout", type=float, default=5.0, help="seconds per solver call")
    args = ap.parse_args(argv)
    for name, world in DATASETS.items():
        rows = load(name, args.limit)

        def verity(row: dict[str, Any], world: str = world) -> LogicResult:
            return check_program(row["raw_logic_programs"][0] if row["raw_logic_programs"]
                                 else "", context=row["context"], question=row["question"],
                                 world=world, timeout=args.timeout)

        def question_only(row: dict[str, Any], world: str = world) -> LogicResult:
            return check_program(row["raw_logic_programs"][0] if row["raw_logic_programs"]
                                 else "", question=row["question"], world=world,
                                 timeout=args.timeout)

        def unvalidated(row: dict[str, Any], world: str = world) -> LogicResult:
            return check_program(row["raw_logic_programs"][0] if row["raw_logic_programs"]
                                 else "", world=world, timeout=args.timeout)

        def baseline(row: dict[str, Any], world: str = world) -> LogicResult:
            return naive(row["raw_logic_programs"][0] if row["raw_logic_programs"] else "",
                         args.timeout, world)

        gpt35, gpt4 = PAPER[name]
        print(f"\n### {name} — {len(rows)} GPT-3.5-turbo programs, world={world}\n")
        print("| reader | accuracy (unparsed = wrong) | accuracy, executable only | parsed "
              "| parsed or precisely rejected | validation flagged | query repaired "
              "| context repairs | p50 ms | p99 ms |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        print(row_of(f"Verity check_program (world={world}, validated, with context repairs)",
                     run(rows, verity)))
        print(row_of(f"Verity check_program (world={world}, question only, no context)",
                     run(rows, question_only)))
        print(row_of(f"Verity check_program (world={world}, no validation)",
                     run(rows, unvalidated)))
        print(row_of("naive baseline: check_logic on the section lines, no conversion",
                     run(rows, baseline)))
        print(f"| Logic-LM paper, GPT-3.5 programs (with CoT fallback) | {gpt35:.1f}% "
              "| | | | | | | | |")
        print(f"| Logic-LM paper, GPT-4 programs (with CoT fallback) | {gpt4:.1f}% "
              "| | | | | | | | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
