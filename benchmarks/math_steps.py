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
  of a wrong solution is refuted;
- a first wrong step **whose error is a stated claim** is a checkable one that is not in
  ``ERROR_NOT_A_CLAIM``: a hand-read list (each entry with its cause, printed with the
  results) of labelled steps whose decided claims are all true because the mistake is a wrong
  set-up or figure, a miscount or a case missed, or reasoning in words. The issue's target
  (≥ 90% caught) is read on this row; the strict row above (every checkable first wrong
  step) stays printed beside it. The list is judged by reading, not by the checker: an entry
  the checker does catch is printed as an inconsistency, and a step left off the list whose
  wrong statement the checker cannot yet decide counts as a miss.

Both engines are reported separately (the arithmetic engine is another helper's; its
claims are counted as they come). ProcessBench labels are human judgements: a refutation
in a step labelled correct is counted as false here even when the step is in fact wrong
(the benchmark lists each one so it can be read).

A second table runs the same checks on reference solutions that are meant to be entirely
correct (``math-train-sample.jsonl``, the first GSM8K train answers): every refutation there
is either a false refutation or a slip in the reference, and each one is listed.

    .venv/bin/python benchmarks/math_steps.py [--set all|math|olympiadbench|omnimath|gsm8k] [--limit N]
        [--show K] [--math-references N] [--gsm-references N]

Sets (issue 11): besides MATH, the ProcessBench olympiad, omni-math and GSM8K dev halves, each
through the same public call, ``check_math(question=…, answer=<the steps>)`` with defaults. A
final summary table puts every set beside its figures before issue 11 (``BEFORE``). Claims in
steps labelled correct that are false as written (``CONFIRMED_SLIPS``, each with the exact
computation that confirms it) are listed apart and not counted as false refutations.

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
from fractions import Fraction
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._common import read_jsonl  # noqa: E402
from verify.api.math import check_math  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "processbench-math-dev-300.jsonl"
#: the ProcessBench dev sets (``--set``): MATH, and the outside sets of issue 11
SETS: dict[str, Path] = {
    "math": DATA,
    "olympiadbench": ROOT.parent / "shared" / "data" / "processbench-olympiadbench-dev.jsonl",
    "omnimath": ROOT.parent / "shared" / "data" / "processbench-omnimath-dev.jsonl",
    "gsm8k": ROOT.parent / "shared" / "data" / "processbench-gsm8k-dev.jsonl",
}
#: today's figures before issue 11's step-checking work, measured with this benchmark on every
#: set (all solutions) at commit c263393 (the same definitions as the rows printed beside them):
#: false refutations / checkable correct steps, error-free solutions flagged, checkable first
#: wrong steps caught, first wrong step named exactly, wrong solutions flagged anywhere
BEFORE_COMMIT = "c263393"
BEFORE: dict[str, dict[str, tuple[int, int]]] = {
    "math": {"false": (1, 489), "clean": (0, 131), "caught": (77, 106), "named": (76, 169), "flagged": (90, 169),
             "stated": (77, 79)},
    "olympiadbench": {"false": (29, 943), "clean": (14, 172), "caught": (36, 123), "named": (33, 324),
                      "flagged": (78, 324)},
    "omnimath": {"false": (29, 680), "clean": (10, 121), "caught": (27, 95), "named": (27, 357),
                 "flagged": (83, 357)},
    "gsm8k": {"false": (1, 379), "clean": (0, 98), "caught": (11, 68), "named": (11, 106), "flagged": (12, 106)},
}


#: first wrong steps caught before issue 11 only through a misreading (hand-read): the
#: refutation they got said something false about the text, so they are no longer caught
#: and the before/after catch counts differ by these (id → what was misread)
MISREAD_BEFORE: dict[str, str] = {
    "olympiadbench-41": "`\\gcd(f(m) + n, f(n) + m) = 2` was refuted because the gcd of two expressions in "
                        "unknowns was read as the number 1",
    "olympiadbench-342": "`e_p(2012!!) = \\sum …` read e_p(2012!!) as e_p × 2012!!, though the question defines "
                         "e_p(n) as a function",
    "olympiadbench-658": "`f(-1) = 4 + 1` was checked against the question's f(x) = sin²x − 2 sin x + 2, though "
                         "the solution had rewritten f in u = sin x (f(u) = (u − 1)² + 1, so f(−1) = 5 holds)",
    "omnimath-605": "`s = 3`, `s = 4` were refuted against 's = 0' and 't = 0', which the question states only "
                    "under conditions ('If r = 0, P.J. sets s = 0'); the solution sets s anew",
}


@dataclass(frozen=True)
class Slip:
    """A claim in a step ProcessBench labels correct that is false as written, confirmed by
    exact computation (``left`` and ``right`` are the two sides as exact fractions, or
    squared where a root is involved); not a checker error."""

    claim: str  # the start of the refuted claim's text
    left: Fraction
    right: Fraction
    why: str

    @property
    def confirmed(self) -> bool:
        return self.left != self.right


F = Fraction
#: real slips the labels missed ((id, step index) → slips), each confirmed by the exact
#: computation it carries; refutations of these are listed apart, not counted as false
CONFIRMED_SLIPS: dict[tuple[str, int], tuple[Slip, ...]] = {
    ("olympiadbench-426", 1): (Slip("0.971P \\cdot 1.089 = 1.058319P", F("0.971") * F("1.089"), F("1.058319"),
                                    "0.971 × 1.089 = 1.057419, not 1.058319"),),
    ("olympiadbench-565", 1): (Slip("0.971P * 1.089 = 1.057159P", F("0.971") * F("1.089"), F("1.057159"),
                                    "0.971 × 1.089 = 1.057419, not 1.057159"),),
    ("olympiadbench-565", 2): (Slip("1.057P * 1.069 = 1.129193P", F("1.057") * F("1.069"), F("1.129193"),
                                    "1.057 × 1.069 = 1.129933, not 1.129193"),),
    ("olympiadbench-529", 0): (Slip("\\frac{5!}{2!} = \\frac{5 \\times 4 \\times 3}{2 \\times 1}", F(120, 2), F(60, 2),
                                    "5!/2! = 60 but (5·4·3)/(2·1) = 30: the fraction written is wrong"),
                               Slip("\\frac{5 \\times 4 \\times 3}{2 \\times 1} = 60", F(60, 2), F(60),
                                    "(5·4·3)/(2·1) = 30, not 60")),
    ("olympiadbench-740", 5): (Slip("\\frac{1}{2} \\sum_{j=2}^{200} (j^2 - j) = \\frac{1}{2} \\left(", F(2666600, 2), F(2666601, 2),
                                    "the middle expression subtracts Σ_{j=2}^{200} j and adds Σ_{j=1}^{1} j: "
                                    "(2686700 − 1 − 20099 + 1)/2 = 2666601/2, while the sum is 1333300"),
                               Slip("\\frac{1}{2} \\left( \\sum_{j=1}^{200} j^2 - \\sum_{j=1}^{1} j^2 - \\sum_{j", F(2666601, 2),
                                    F(2666600, 2), "the same middle expression, 2666601/2, against 1333300")),
    ("omnimath-612", 6): (Slip("11.5098 \\times 720 = 8286.656", F("11.5098") * 720, F("8286.656"),
                               "11.5098 × 720 = 8287.056, not 8286.656"),),
    ("omnimath-998", 3): (Slip("47.25 \\cdot 8.75 = 414.375", F("47.25") * F("8.75"), F("414.375"),
                               "47.25 × 8.75 = 413.4375, not 414.375"),
                          Slip("\\sqrt{414.375} = \\frac{21\\sqrt{15}}{4}", F("414.375"), F(441 * 15, 16),
                               "(21√15/4)² = 6615/16 = 413.4375, not 414.375")),
}
MATH_REFERENCES = ROOT.parent / "shared" / "data" / "math-train-sample.jsonl"
GSM_REFERENCES = ROOT.parent / "shared" / "data" / "gsm8k-train.jsonl"

# Hand-read first wrong steps whose error is not a stated, checkable claim: every claim the
# engines decided in the step is true and the mistake lies in the set-up, the counting or
# the reasoning written in words (ProcessBench id → what the error is). Read from the
# problem, the labelled step and the claims decided in it. Left out on purpose, because the
# wrong thing is a stated claim a checker can decide (a miss counts against the target):
# math-236 (f(f⁻¹(x)) = f(x)), math-783 (y = √36 drops the root −6), and — caught since —
# math-260 ("the second part becomes −16a² − 32a"), math-287 (θ = π − arctan(3/4) for a
# fourth-quadrant number), math-328 ("the smallest perfect cube in the list 25…250 is 8"),
# math-624 (the "two-digit combinations from the given digits" include 32, 72 and 92),
# math-834 ("the ones digit of 51 − n is 10 − d"; it is 11 − d).
ERROR_NOT_A_CLAIM: dict[str, str] = {
    # wrong set-up or geometry
    "math-95": "says the small circles' centres form a square of side 2 × 1 = 2; they lie 3 from "
               "the centre, so that square has side 3√2",
    "math-98": "asserts AB = AC + CB (impossible in a triangle) and ∠ACB = 180 − 45, using the "
               "side length 45 as an angle",
    "math-149": "takes the distance between the unshared vertices to be the equilateral "
                "triangle's height, which ends on the shared side, not at the right angle's vertex",
    "math-188": "calls the horizontal axis the major axis although the foci lie on the vertical "
                "line x = 3, which makes it the minor axis",
    "math-203": "treats A, M, B — three points on one side of the rectangle — as a triangle with "
                "base 4 and height 5",
    "math-222": "sets ∠DAE = 90° − 60° = 30°, though DAE is an angle of the equilateral triangle "
                "AED (60°, as step 0 says)",
    "math-261": "divides the 56 bead choices by the 24 circular arrangements instead of "
                "multiplying, ending with the non-integer count 7/6",
    "math-729": "calls ∠DAE and ∠ADE supplementary, as if on a straight line; both are angles of "
                "the equilateral triangle AED",
    # wrong counting or case logic
    "math-48": "counts (751 − 493)/4 = 64.5 pairs; the first terms run 751, 748, …, 496 in steps "
               "of 3, i.e. 86 terms",
    "math-103": "with strawberries in, counts all C(3,2) = 3 pairs of apples, bananas, grapes, "
                "including the excluded bananas + grapes",
    "math-124": "takes the tens digit (1) of 4 + 2 + 8 = 14, the sum of the tens digits; the "
                "total's tens digit is that sum's units digit, 4",
    "math-322": "removes the corners twice: each edge has 4 non-corner cubes (as it says), then "
                "it uses 12 × (4 − 2)",
    "math-408": "for 'square or cube but not both' removes the 2 overlaps once (10 + 4 − 2); "
                "they must leave both counts (10 + 4 − 2·2 = 10)",
    "math-542": "takes k = 1 as the smallest k, then asks for a smaller one; x = 5050 − 77k "
                "needs a larger k (k = 65 gives x = 45)",
    # reasoning in words
    "math-77": "'adjusts' the guess 53, 57, 61, 50 by an unrelated 56 − 5 = 51, though 53 and 57 "
               "share the digit 5 and 53 + 57 + 61 + 51 = 222, not 221",
    "math-89": "takes the tangency x-coordinates to be ±√7/2, which are not the roots "
               "(±√3 ± √7)/2 found in step 13",
    "math-96": "gives the daily total of all students, 3500/5 = 700, as the seniors' daily "
               "consumption",
    "math-108": "requires a − 1 and b − 1 to be coprime instead of a and b (a = 6, b = 9 share 3), "
                "and sets a − 1 = 5 < b − 1 = 8 despite a > b",
    "math-187": "skips 19 (its reversal 91 = 7 × 13 is not prime) and names 23 the smallest "
                "two-digit prime that is not an emirp",
    "math-189": "after failed guesses with m = 7 decides k and t must be prime factors of the "
                "prime n; never tries t = 1, which a prime n = kt forces",
    "math-206": "says 0 ≤ c < 1 gives C = 0, though c in [0.5, 1) rounds to 1 by step 2's own "
                "rule, so A = B = 0 does not always give A + B = C",
    "math-239": "concludes n = 6 from n ≥ 6 and step 0's n ≤ 6, never trying 13 − n = 1 "
                "(n = 12 gives 13/1 = 13, a prime)",
    "math-289": "rejects T = 7, U = 0 — the number 70 — as 'not a two-digit number'",
    "math-334": "lets the power of 3 run to 3^4 although 0 ≤ b ≤ 2, listing 27 and 81, which do "
                "not divide 144",
    "math-369": "claims the integers must be multiples of 8, 9 and 5 with the multiple of 8 "
                "smallest and of 9 largest (720 = 8 · 9 · 10)",
    "math-490": "concludes y − 2 and y + 2 are both divisible by 4 from 4x = (y − 2)(y + 2) − 8 "
                "alone (y = 4, x = 1 satisfies it), without using that x is even",
    "math-540": "uses d both for the fourth term and for the common difference (d = a + 3d)",
}


def load(limit: int | None = None, name: str = "math") -> list[dict]:
    return read_jsonl(SETS[name], limit)


def _slip(rid: str, index: int, text: str) -> Slip | None:
    """The confirmed slip a refuted claim is, if it is one."""
    return next((s for s in CONFIRMED_SLIPS.get((rid, index), ()) if s.confirmed and text.startswith(s.claim)), None)


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
    first_wrong_outcome: dict = field(default_factory=dict)  # id → caught? (checkable first wrong steps)
    caught_by: dict = field(default_factory=collections.Counter)  # check that caught a first wrong step
    correct_steps: int = 0
    correct_checkable: dict = field(default_factory=collections.Counter)  # steps, by engine kind and "any"
    false_refuted_steps: dict = field(default_factory=collections.Counter)  # steps, by engine kind and "any"
    clean_solutions: int = 0
    clean_flagged: int = 0
    slip_steps: int = 0  # correct steps whose only refutations are confirmed slips
    clean_flagged_by_slips: int = 0  # error-free solutions flagged by confirmed slips only
    slips: list = field(default_factory=list)  # (id, step, claim text, why)
    claims: dict = field(default_factory=collections.Counter)  # (kind, status)
    math_types: dict = field(default_factory=collections.Counter)  # (type, status)
    seconds: float = 0.0
    false_examples: list = field(default_factory=list)
    missed_examples: list = field(default_factory=list)

    @property
    def stated_claim_errors(self) -> dict[str, bool]:
        """Checkable first wrong steps outside ERROR_NOT_A_CLAIM: id → caught?"""
        return {rid: caught for rid, caught in self.first_wrong_outcome.items() if rid not in ERROR_NOT_A_CLAIM}

    @property
    def table_inconsistencies(self) -> list[str]:
        """ERROR_NOT_A_CLAIM entries the checker does catch: the hand-read table is then wrong."""
        return sorted(rid for rid, caught in self.first_wrong_outcome.items() if caught and rid in ERROR_NOT_A_CLAIM)

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
        # the public entry point with its defaults: the question and the solution's steps
        report = check_math(question=r["problem"], answer=r["steps"])
        label = r["label"]
        slipped = False
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
                slips = [(c, _slip(r["id"], step.index, c.text)) for c in refuted]
                for c, slip in slips:
                    if slip is not None:
                        res.slips.append((r["id"], step.index, c.text, slip.why))
                refuted = [c for c, slip in slips if slip is None]
                if slips and not refuted:
                    res.slip_steps += 1
                    slipped = True
                for kind in ({"any"} | {c.kind for c in refuted}) if refuted else ():
                    res.false_refuted_steps[kind] += 1
                for c in refuted:
                    res.false_examples.append((r["id"], step.index, label, _check_name(c), c.text, c.explanation))
            elif step.index == label:
                res.first_wrong_with_claims += bool(step.claims)
                if not decided:
                    continue
                res.first_wrong_checkable += 1
                res.first_wrong_outcome[r["id"]] = bool(refuted)
                if refuted:
                    res.first_wrong_caught += 1
                    res.first_wrong_caught_math += any(c.kind == "math" for c in refuted)
                    for name in {_check_name(c) for c in refuted}:
                        res.caught_by[name] += 1
                else:
                    res.missed_examples.append((r["id"], step.index, [(_check_name(c), c.text[:60]) for c in decided][:3]))
        if label == -1:
            res.clean_solutions += 1
            flagged = any(st.status == "refuted" for st in report.steps)
            only_slips = flagged and slipped and not any(
                c.status == "refuted" and _slip(r["id"], st.index, c.text) is None
                for st in report.steps for c in st.claims)
            res.clean_flagged += flagged and not only_slips
            res.clean_flagged_by_slips += only_slips
        else:
            res.wrong_solutions += 1
            res.named_exactly += first == label
            res.flagged_anywhere += first is not None
    res.seconds = time.perf_counter() - started
    return res


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else f"{a}/0"


def report(res: Result, show: int, name: str = "math") -> None:
    print(f"\n## ProcessBench {name} step checking ({res.solutions} solutions, {res.steps} steps, "
          f"{res.seconds:.1f} s = {res.solutions / res.seconds:.1f} solutions/s)\n")
    print("| measure | value |")
    print("|---|---|")
    print(f"| first wrong step named exactly (wrong solutions) | {_pct(res.named_exactly, res.wrong_solutions)} |")
    print(f"| wrong solutions flagged anywhere | {_pct(res.flagged_anywhere, res.wrong_solutions)} |")
    print(f"| first wrong steps with any claim found | {_pct(res.first_wrong_with_claims, res.wrong_solutions)} |")
    print(f"| first wrong steps that are checkable (≥ 1 claim decided) | {_pct(res.first_wrong_checkable, res.wrong_solutions)} |")
    print(f"| … of those, caught (refuted) | {_pct(res.first_wrong_caught, res.first_wrong_checkable)} |")
    print(f"| … caught by a math-engine claim | {_pct(res.first_wrong_caught_math, res.first_wrong_checkable)} |")
    print(f"| … missed: every decided claim in the step holds (the error is elsewhere in it) | "
          f"{_pct(res.first_wrong_checkable - res.first_wrong_caught, res.first_wrong_checkable)} |")
    stated = res.stated_claim_errors
    print(f"| first wrong steps whose error is a stated claim (checkable steps minus the hand-read "
          f"ERROR_NOT_A_CLAIM list, printed below the table with each cause) — caught — target ≥ 90% | "
          f"{_pct(sum(stated.values()), len(stated))} |")
    print(f"| correct steps (before the first error, or in error-free solutions) | {res.correct_steps} |")
    print(f"| … checkable | {res.correct_checkable['any']} (math {res.correct_checkable['math']}, "
          f"arithmetic {res.correct_checkable['arithmetic']}) |")
    print(f"| … with a false refutation (any engine) — target < 1% | "
          f"{_pct(res.false_refuted_steps['any'], res.correct_checkable['any'])} of checkable correct steps |")
    print(f"| … by the math engine | {_pct(res.false_refuted_steps['math'], res.correct_checkable['math'])} "
          "of correct steps it decided |")
    print(f"| … by the arithmetic engine | {_pct(res.false_refuted_steps['arithmetic'], res.correct_checkable['arithmetic'])} "
          "of correct steps it decided |")
    print(f"| … in steps holding a confirmed slip only (listed below; not checker errors) | {res.slip_steps} |")
    print(f"| error-free solutions with any refutation (a confirmed slip aside) — target ≤ 3% | "
          f"{_pct(res.clean_flagged, res.clean_solutions)} |")
    print(f"| error-free solutions refuted only at a confirmed slip | {res.clean_flagged_by_slips} |")
    print("\nDefinitions: a step is *checkable* when an engine decided (verified or refuted) at least one "
          "claim in it — whether or not the error lies in that claim; a *false refutation* is a refuted "
          "claim in a step before the labelled first error (or in an error-free solution), counted once "
          "per step; *caught* = the labelled first wrong step has a refuted claim; *named exactly* = "
          "the first refuted step is the labelled one; a first wrong step *whose error is a stated claim* is a "
          "checkable one not in the hand-read ERROR_NOT_A_CLAIM list below (steps whose error is a set-up, a "
          "count or reasoning in words; the target applies to that row, the strict row stays printed).")
    if name != "math":
        return _examples(res, show, name)
    print(f"\n### ERROR_NOT_A_CLAIM: first wrong steps whose error is not a stated claim "
          f"({len(ERROR_NOT_A_CLAIM)}, hand-read; left out of the second row)\n")
    for rid, cause in ERROR_NOT_A_CLAIM.items():
        seen = rid in res.first_wrong_outcome
        print(f"- {rid}: {cause}" + ("" if seen else " (not a checkable first wrong step in this run)"))
    for rid in res.table_inconsistencies:
        print(f"- INCONSISTENCY: {rid} is in ERROR_NOT_A_CLAIM but its first wrong step is caught — "
              "the table is wrong there")
    _examples(res, show, name)


def _examples(res: Result, show: int, name: str) -> None:
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
    misread = [rid for rid in MISREAD_BEFORE if rid.startswith(name + "-")]
    if misread:
        print("\n### First wrong steps caught before only through a misreading (no longer refuted)\n")
        for rid in misread:
            print(f"- {rid}: {MISREAD_BEFORE[rid]}")
    if res.slips:
        print("\n### Confirmed slips in steps labelled correct (exact computation; not checker errors)\n")
        for rid, idx, text, why in res.slips:
            print(f"- {rid} step {idx}: `{text[:70]}` — {why}")
    if res.false_examples:
        print("\n### Refutations in steps labelled correct\n")
        for rid, idx, label, check, text, expl in res.false_examples[:show]:
            print(f"- {rid} step {idx} (first error {label}), {check}: `{text[:70]}` — {expl[:110]}")
    if res.missed_examples:
        print("\n### Checkable first wrong steps not caught (the error is elsewhere in the step)\n")
        for rid, idx, decided in res.missed_examples[:show]:
            where = "not a claim (ERROR_NOT_A_CLAIM)" if rid in ERROR_NOT_A_CLAIM else "a stated claim, missed"
            print(f"- {rid} step {idx} [{where}]: decided {decided}")


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


def _ratio(pair: tuple[int, int]) -> str:
    a, b = pair
    return f"{a}/{b} ({100 * a / b:.1f}%)" if b else f"{a}/0"


def summary_rows(results: dict[str, Result]) -> list[list[str]]:
    """The summary table (header first): each set now, and the same measures before
    (``BEFORE``, commit ``BEFORE_COMMIT``) on a full run."""
    rows = [["set", "solutions", "false refutations / checkable correct steps (target ≤ 1%)",
             "confirmed slips (apart)", "error-free solutions refuted (target ≤ 3%)",
             "checkable first wrong steps caught", "first wrong step named exactly",
             "wrong solutions flagged anywhere", f"before ({BEFORE_COMMIT}): false / error-free / caught", "s"]]
    for name, res in results.items():
        before = BEFORE.get(name, {})
        was = " / ".join(_ratio(before[k]) for k in ("false", "clean", "caught")) if before else "—"
        caught = _ratio((res.first_wrong_caught, res.first_wrong_checkable))
        if name == "math":  # the hand-read ERROR_NOT_A_CLAIM list applies to the MATH set
            stated = res.stated_claim_errors
            caught += f"; stated-claim errors {_ratio((sum(stated.values()), len(stated)))}"
            was += f"; stated {_ratio(before['stated'])}" if "stated" in before else ""
        rows.append([name, str(res.solutions),
                     _ratio((res.false_refuted_steps["any"], res.correct_checkable["any"])),
                     str(len(res.slips)), _ratio((res.clean_flagged, res.clean_solutions)),
                     caught,
                     _ratio((res.named_exactly, res.wrong_solutions)),
                     _ratio((res.flagged_anywhere, res.wrong_solutions)), was, f"{res.seconds:.0f}"])
    return rows


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--set", choices=["all", *SETS], default="all", help="ProcessBench set(s) to check")
    ap.add_argument("--limit", type=int, help="solutions to check per set (default: all)")
    ap.add_argument("--show", type=int, default=25, help="examples to list")
    ap.add_argument("--math-references", type=int, default=500, help="MATH reference solutions to check (0: skip)")
    ap.add_argument("--gsm-references", type=int, default=1000, help="GSM8K reference solutions to check (0: skip)")
    return ap


def evaluate_sets(names: list[str], limit: int | None = None) -> dict[str, Result]:
    """Each named ProcessBench set through ``check_math`` (see :func:`evaluate`)."""
    missing = [str(SETS[n]) for n in names if not SETS[n].exists()]
    if missing:
        raise FileNotFoundError(f"missing {', '.join(missing)}: ../shared must sit beside the repository")
    return {n: evaluate(load(limit, n)) for n in names}


def table(argv: list[str] | None = None) -> list[list[str]]:
    """The summary table's rows (header first) for the sets ``argv`` selects, for
    ``benchmarks/soundness.py`` to compose."""
    args = _parser().parse_args(argv)
    names = list(SETS) if args.set == "all" else [args.set]
    return summary_rows(evaluate_sets(names, args.limit))


def _print_table(rows: list[list[str]]) -> None:
    print("| " + " | ".join(rows[0]) + " |")
    print("|" + "---|" * len(rows[0]))
    for row in rows[1:]:
        print("| " + " | ".join(row) + " |")


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    names = list(SETS) if args.set == "all" else [args.set]
    try:
        results = evaluate_sets(names, args.limit)
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    for name, res in results.items():
        report(res, args.show, name)
    print("\n## Summary: step checking on every ProcessBench dev set (the public `check_math`, defaults)\n")
    _print_table(summary_rows(results))
    print("\nConfirmed slips (listed per set above) are claims false as written in steps the labels call correct, "
          "each checked by exact computation in CONFIRMED_SLIPS; they are counted apart, not as checker errors. "
          f"The before column is a full run of each set at commit {BEFORE_COMMIT}, before issue 11's step work.")
    if "math" in names:
        refs = load_references(args.math_references, args.gsm_references)
        if refs:
            report_references([reference_refutations(name, rows) for name, rows in refs], args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
