"""Equivalence fuzz (issue 11, item 9): near-equal constants and expressions must never be
judged ``equal``.

Generated pairs, seeded, by family — every pair in the first five is UNEQUAL:

- ``perturbed constant``: a closed form c against c·(1 + 10^-k), k = 15…30;
- ``decimal of an irrational``: c against its decimal expansion to 13–40 significant digits
  (correctly rounded, so the digits are the best a finite decimal can do);
- ``huge + tiny``: 10^k + r against 10^k (r an irrational or 10^-m), k = 10…40;
- ``perturbed expression``: f(x) against f(x) plus or times a 10^-k perturbation;
- ``branch identity``: identities that hold only on part of the domain (``\\ln(x^2)`` vs
  ``2\\ln x``, ``\\sqrt{x^2}`` vs ``x``, ``\\sqrt{x}\\sqrt{y}`` vs ``\\sqrt{xy}``, ...): equal
  there is false, undecided or not equal are both sound;
- ``true identity`` (control, EQUAL pairs): how many true equalities are still proved.

Each pair goes through ``equivalent(a, b)`` with its default time budget. The table counts
equal / not equal / undecided per family; the target is 0 ``equal`` in the unequal families.

    .venv/bin/python benchmarks/equivalence_fuzz.py [--limit N] [--seed S]
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import mpmath  # noqa: E402

from verify.engines.math.equivalence import equivalent  # noqa: E402

#: Closed forms (LaTeX) and their values, for the constant families.
CONSTANTS: list[tuple[str, Any]] = [
    ("\\pi", lambda: mpmath.pi), ("e", lambda: mpmath.e), ("\\sqrt{2}", lambda: mpmath.sqrt(2)),
    ("\\sqrt{3}", lambda: mpmath.sqrt(3)), ("\\ln 3", lambda: mpmath.log(3)), ("\\sin 1", lambda: mpmath.sin(1)),
    ("\\frac{1+\\sqrt{5}}{2}", lambda: (1 + mpmath.sqrt(5)) / 2), ("\\sqrt[3]{7}", lambda: mpmath.cbrt(7)),
    ("\\pi^2", lambda: mpmath.pi ** 2), ("e^{3}", lambda: mpmath.e ** 3), ("\\log_2 5", lambda: mpmath.log(5, 2)),
    ("\\frac{\\pi}{7}", lambda: mpmath.pi / 7), ("2\\sqrt{5}-1", lambda: 2 * mpmath.sqrt(5) - 1),
]
FUNCTIONS = ["x", "x^2+1", "\\sin x", "e^{x}", "\\sqrt{x+1}", "\\frac{x}{x+2}", "x y", "\\ln(x+3)", "x^3-2x"]
BRANCH = [
    ("\\ln(x^2)", "2\\ln x"), ("\\sqrt{x^2}", "x"), ("\\sqrt{x}\\sqrt{y}", "\\sqrt{xy}"),
    ("\\ln(xy)", "\\ln x + \\ln y"), ("(x^3)^{1/3}", "x"), ("\\arcsin(\\sin x)", "x"),
    ("\\sqrt{x^2y^2}", "xy"), ("(x^2)^{3/2}", "x^3"), ("\\ln\\frac{x}{y}", "\\ln x - \\ln y"),
    ("\\frac{\\sqrt{x}}{\\sqrt{y}}", "\\sqrt{\\frac{x}{y}}"), ("(x^2)^{1/4}", "\\sqrt{x}"),
    ("\\arctan x + \\arctan \\frac{1}{x}", "\\frac{\\pi}{2}"), ("\\sqrt{(x-1)^2}", "x-1"),
]
IDENTITIES = [
    ("\\sin^2 x + \\cos^2 x", "1"), ("(x+1)^2", "x^2+2x+1"), ("\\sqrt{8}", "2\\sqrt{2}"),
    ("\\frac{x^2-1}{x-1}", "x+1"), ("e^{x}e^{y}", "e^{x+y}"), ("\\sqrt{2+\\sqrt{3}}", "\\frac{\\sqrt{6}+\\sqrt{2}}{2}"),
    ("\\cos\\frac{\\pi}{3}", "\\frac{1}{2}"), ("\\ln 8", "3\\ln 2"), ("\\frac{1}{\\sqrt{2}}", "\\frac{\\sqrt{2}}{2}"),
    ("2\\sin x\\cos x", "\\sin 2x"), ("\\tan x", "\\frac{\\sin x}{\\cos x}"), ("(a-b)(a+b)", "a^2-b^2"),
]

UNEQUAL_FAMILIES = ("perturbed constant", "decimal of an irrational", "huge + tiny", "perturbed expression",
                    "branch identity")


@dataclass(frozen=True)
class Pair:
    family: str
    a: str
    b: str


def _decimal(value: Any, digits: int) -> str:
    with mpmath.workdps(digits + 20):
        return mpmath.nstr(value(), digits, strip_zeros=False, min_fixed=-mpmath.inf, max_fixed=mpmath.inf)


def generate(n: int, seed: int = 0) -> list[Pair]:
    """``n`` pairs per unequal family (the branch and identity families are fixed lists)."""
    rng = random.Random(seed)
    out: list[Pair] = []
    for _ in range(n):
        c, _v = rng.choice(CONSTANTS)
        k = rng.randint(15, 30)
        form = rng.choice([f"{c}(1+10^{{-{k}}})", f"{c} + 10^{{-{k}}}", f"{c}\\cdot\\frac{{10^{{{k}}}+1}}{{10^{{{k}}}}}"])
        out.append(Pair("perturbed constant", form, c))
    for _ in range(n):
        c, v = rng.choice(CONSTANTS)
        out.append(Pair("decimal of an irrational", _decimal(v, rng.randint(13, 40)), c))
    for _ in range(n):
        k = rng.randint(10, 40)
        tiny = rng.choice(["\\sqrt{2}", "\\pi", f"10^{{-{rng.randint(1, 30)}}}", "\\frac{1}{3}", "e^{-5}"])
        out.append(Pair("huge + tiny", f"10^{{{k}}} + {tiny}", f"10^{{{k}}}"))
    for _ in range(n):
        f = rng.choice(FUNCTIONS)
        k = rng.randint(15, 30)
        form = rng.choice([f"({f})(1+10^{{-{k}}})", f"{f} + 10^{{-{k}}}", f"{f} + 10^{{-{k}}}x"])
        out.append(Pair("perturbed expression", form, f))
    out += [Pair("branch identity", a, b) for a, b in BRANCH]
    out += [Pair("true identity", a, b) for a, b in IDENTITIES]
    return out


def rows(n: int = 200, seed: int = 0) -> list[dict[str, Any]]:
    """Counts per family: pairs, equal, not equal, undecided, and the false ``equal`` ones."""
    tally: dict[str, dict[str, Any]] = {}
    for p in generate(n, seed):
        v = equivalent(p.a, p.b).equal
        t = tally.setdefault(p.family, {"family": p.family, "pairs": 0, "equal": 0, "not_equal": 0,
                                        "undecided": 0, "false_equal": []})
        t["pairs"] += 1
        t["equal" if v is True else "not_equal" if v is False else "undecided"] += 1
        if v is True and p.family in UNEQUAL_FAMILIES:
            t["false_equal"].append(p)
    return list(tally.values())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=200, help="pairs per generated family (default 200)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    started = time.perf_counter()
    table = rows(args.limit, args.seed)
    seconds = time.perf_counter() - started
    print("\n## Equivalence fuzz: near-equal constants and expressions (`equivalent`, defaults)\n")
    print("| family | pairs | equal | not equal | undecided | false equal |")
    print("|---|---|---|---|---|---|")
    for t in table:
        false_eq = len(t["false_equal"]) if t["family"] in UNEQUAL_FAMILIES else "– (equal pairs)"
        print(f"| {t['family']} | {t['pairs']} | {t['equal']} | {t['not_equal']} | {t['undecided']} | {false_eq} |")
    bad = [p for t in table for p in t["false_equal"]]
    print(f"\n{sum(t['pairs'] for t in table)} pairs in {seconds:.1f} s; false equal: {len(bad)}.")
    for p in bad[:20]:
        print(f"- {p.family}: {p.a!r} vs {p.b!r}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
