"""Final-answer grading benchmark for ``check_math`` (issue 5), side by side with math-verify.

Two sets of cases, each a (solution text, reference, label) triple:

- **ProcessBench** (``../shared/data/processbench-math-dev-300.jsonl``): 300 model solutions
  to MATH problems; the solution is the steps joined with blank lines, the label is the
  dataset's ``final_answer_correct``.
- **MATH variants** (``../shared/data/math-train-sample.jsonl``): the reference answer of
  each problem (its last ``\\boxed{}``) rewritten into answers that must grade *equal*
  (``\\frac{a}{b}`` → ``a/b``, ``\\dfrac``, the exact decimal, a reordered list or set, an added
  ``\\text{ units}``, an ``x =`` prefix, ``\\left(…\\right)``) or *unequal* (one number
  perturbed, the sign flipped, a tuple's order swapped, a fraction left unsimplified where
  the question asks for a fraction or a simplest form — the convention of MATH graders and
  of ProcessBench's labels, e.g. -58/87 for "a simplified common fraction" is wrong). Each variant is embedded in a
  short solution, rotating through the answer formats graders meet (``\\boxed{}``,
  "The answer is $…$", "Final Answer: The final answer is …", ``#### …``).

Our verdict is ``check_math(question, solution, reference, steps=False).status``
(verified → correct, refuted → wrong, unverified → undecided); math-verify's is
``verify(parse("$" + reference + "$"), parse(solution))`` on the same cases in the same run.
Agreement counts an undecided verdict as a disagreement.

    .venv/bin/python benchmarks/math_answers.py [--limit N] [--show K]

Timing is single-process wall clock on a shared 2-core machine (one core used).
"""
from __future__ import annotations

import argparse
import ast
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._common import read_jsonl  # noqa: E402
#: A question asking for a fraction or a simplest form wants lowest terms (the MATH and
#: ProcessBench convention): there an unsimplified variant is a wrong answer, labelled by the
#: same question pattern the checker uses.
from verify.api.math import ASKS_LOWEST_TERMS, check_math, extract_final_answer  # noqa: E402
from verify.engines.math.latex import MathParseError, parse_answer  # noqa: E402
from verify.engines.math.values import ExprValue, SeqValue  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
PROCESSBENCH = DATA / "processbench-math-dev-300.jsonl"
MATH_TRAIN = DATA / "math-train-sample.jsonl"
GSM8K_SOLUTIONS = DATA / "gsm8k-model-solutions-dev.jsonl"
PEER_SETS = ("gsm8k", "olympiadbench", "omnimath")



LOWEST_TERMS_VARIANT = "unsimplified, lowest terms asked"


@dataclass(frozen=True)
class Case:
    source: str
    id: str
    question: str
    solution: str
    reference: str
    label: bool
    variant: str = "original"


# ---- variants of a reference answer ------------------------------------------------------
_FRAC = re.compile(r"\\[dt]?frac\{(-?\d+)\}\{(\d+)\}")
_INT = re.compile(r"(?<![\d.^_{])\d+(?![\d.]*\})(?![\d.])")


def _top_level_commas(s: str) -> list[str] | None:
    depth, parts, cur = 0, [], ""
    for ch in s:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts] if len(parts) > 1 else None


def equivalent_variants(ref: str) -> list[tuple[str, str]]:
    r = ref.strip()
    out: list[tuple[str, str]] = []
    if _FRAC.search(r) and "\\sqrt" not in r and not re.search(r"\d\s*\\[dt]?frac", r):
        out.append(("a/b", _FRAC.sub(lambda m: f"{m.group(1)}/{m.group(2)}", r)))
    if "\\frac" in r:
        out.append(("dfrac", r.replace("\\frac", "\\dfrac")))
    try:
        value = parse_answer(r)
    except MathParseError:
        value = None
    if isinstance(value, ExprValue) and value.expr.is_Rational and not value.expr.is_Integer:
        q = int(value.expr.q)
        while q % 2 == 0:
            q //= 2
        while q % 5 == 0:
            q //= 5
        if q == 1:
            digits = 0
            d = int(value.expr.q)
            while d > 1:
                d //= 10 if d % 10 == 0 else (2 if d % 2 == 0 else 5)
                digits += 1
            out.append(("decimal", f"{float(value.expr):.{max(digits, 1)}f}".rstrip("0").rstrip(".")))
    parts = None if re.search(r",\\!|\{,\}|\d,\d{3}", r) else _top_level_commas(r)
    if parts and not r.startswith(("(", "\\left(", "[")):
        out.append(("reordered", ", ".join(reversed(parts))))
    if r.startswith("\\{") and parts is None:
        inner = _top_level_commas(r[2:-2])
        if inner:
            out.append(("reordered set", "\\{" + ", ".join(reversed(inner)) + "\\}"))
    if isinstance(value, ExprValue) and value.expr.is_number and "\\text" not in r:
        out.append(("units", f"{r}\\text{{ units}}"))
    if isinstance(value, ExprValue) and value.expr.is_number:
        out.append(("x=", f"x = {r}"))
    if r.startswith("(") and r.endswith(")") and "\\left" not in r:
        out.append(("left-right", f"\\left{r[:-1]}\\right)"))
    m = _FRAC.search(r)
    if m and not re.search(r"\d\s*\\[dt]?frac", r):
        out.append(("unsimplified", r[:m.start()] + f"\\frac{{{3 * int(m.group(1))}}}{{{3 * int(m.group(2))}}}"
                    + r[m.end():]))
    if "\\sqrt{" in r and "\\sqrt[" not in r:
        out.append(("power 1/2", re.sub(r"\\sqrt\{([^{}]+)\}", r"(\1)^{1/2}", r)))
    return out


def unequal_variants(ref: str) -> list[tuple[str, str]]:
    r = ref.strip()
    out: list[tuple[str, str]] = []
    m = _INT.search(r)
    if m and not re.search(r"\\(?:begin|end)\{", r[:m.start()]) and "^\\circ" not in r[m.end():m.end() + 6]:
        n = int(m.group(0))
        out.append(("perturbed", r[:m.start()] + str(n + 1) + r[m.end():]))
    try:
        value = parse_answer(r)
    except MathParseError:
        value = None
    if isinstance(value, ExprValue) and value.expr.is_number and value.expr != 0:
        flipped = r[1:].lstrip() if r.startswith("-") else f"-{r}" if not r[0].isalpha() else None
        if flipped:
            out.append(("sign", flipped))
    if re.match(r"^(\\left)?\(.*\](\s*\\cup.*)?$|^(\\left)?\[.*\)(\s*\\cup.*)?$", r) or (
            r.startswith("(") and "\\cup" in r):
        if not re.match(r"^(\\left)?[(\[]\s*-\s*\\infty", r):  # [-∞ is no interval: keep ∞ ends open
            out.append(("bracket", ("[" + r[1:]) if r.startswith("(") else ("(" + r[1:])))
    if isinstance(value, SeqValue) and value.kind == "tuple" and len(value.items) >= 2:
        inner = r[r.index("(") + 1:r.rindex(")")]
        parts = _top_level_commas(inner)
        if parts and len(set(parts)) == len(parts) and parts[0] != parts[1]:
            swapped = [parts[1], parts[0]] + parts[2:]
            out.append(("swapped", r[:r.index("(") + 1] + ", ".join(swapped) + r[r.rindex(")"):]))
    return out


_FORMATS = [
    "We work it out step by step. Therefore the answer is $\\boxed{{{a}}}$.",
    "Putting it together, the answer is ${a}$.",
    "Final Answer: The final answer is ${a}$. I hope it is correct.",
    "Adding these gives the result.\n#### {a}",
]


def math_variant_cases(limit: int | None) -> list[Case]:
    cases = []
    k = 0
    for i, r in enumerate(read_jsonl(MATH_TRAIN, limit)):
        ref = r["answer"]
        for label, variants in ((True, equivalent_variants(ref)), (False, unequal_variants(ref))):
            for name, v in variants:
                equal = label
                if name == "unsimplified" and ASKS_LOWEST_TERMS.search(r["problem"]):
                    equal, name = False, LOWEST_TERMS_VARIANT
                fmt = _FORMATS[k % len(_FORMATS)]
                if "####" in fmt and ("$" in v or "\\" in v or " " in v):
                    fmt = _FORMATS[0]
                k += 1
                cases.append(Case("math-variants", f"{r['unique_id']}#{name}", r["problem"],
                                  fmt.format(a=v), ref, equal, name))
    return cases


def processbench_cases(limit: int | None) -> list[Case]:
    return [Case("processbench", r["id"], r["problem"], "\n\n".join(r["steps"]), r["reference"],
                 bool(r["final_answer_correct"])) for r in read_jsonl(PROCESSBENCH, limit)]


def gsm8k_solution_cases(limit: int | None) -> list[Case]:
    """Four models' GSM8K solutions (``is_correct``) against the reference's ``A: N``."""
    out = []
    for i, r in enumerate(read_jsonl(GSM8K_SOLUTIONS, limit)):
        m = re.search(r"A:\s*(.+?)\s*$", r["ground_truth"])
        if not m:
            continue
        for model in ("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification"):
            sol = r[model]
            sol = sol if isinstance(sol, dict) else ast.literal_eval(sol)
            out.append(Case("gsm8k-solutions", f"{i}/{model}", r["question"], sol["solution"], m.group(1),
                            bool(sol["is_correct"])))
    return out


def peer_reference_cases(name: str, limit: int | None) -> list[Case]:
    """ProcessBench GSM8K / OlympiadBench / Omni-MATH dev carry no reference: for a problem
    solved by several models, the final answer of its first solution labelled
    ``final_answer_correct`` (read by Verity's extractor; both graders get the same string)
    is the reference for the *other* solutions, each labelled by its own flag."""
    rows = read_jsonl(DATA / f"processbench-{name}-dev.jsonl")  # sorted by label: limit the cases instead
    by_problem: dict[str, list[dict]] = {}
    for r in rows:
        by_problem.setdefault(r["problem"], []).append(r)
    out = []
    for group in by_problem.values():
        ref_row = next((r for r in group if str(r["final_answer_correct"]) == "True"), None)
        if ref_row is None or len(group) < 2:
            continue
        found = extract_final_answer("\n\n".join(_steps(ref_row)))
        if found is None or not found.text.strip():
            continue
        for r in group:
            if r is not ref_row:
                out.append(Case(f"{name} (peer ref.)", r["id"], r["problem"], "\n\n".join(_steps(r)),
                                found.text.strip(), str(r["final_answer_correct"]) == "True"))
    return out[:limit] if limit is not None else out


def _steps(row: dict) -> list[str]:
    steps = row["steps"]
    return ast.literal_eval(steps) if isinstance(steps, str) else list(steps)


# ---- graders ------------------------------------------------------------------------------
def ours(case: Case) -> tuple[bool | None, str]:
    r = check_math(case.question, case.solution, case.reference, steps=False)
    verdict = {"verified": True, "refuted": False}.get(r.status)
    return verdict, f"{r.method}: {r.explanation}"


def math_verify_grader() -> Callable[[Case], tuple[bool | None, str]]:
    from math_verify import parse, verify

    def grade(case: Case) -> tuple[bool | None, str]:
        try:
            gold = parse(f"${case.reference}$")
            pred = parse(case.solution)
            return bool(verify(gold, pred)), f"pred={str(pred)[:60]}"
        except Exception as exc:  # noqa: BLE001 - a crash of the baseline is its verdict
            return None, f"error: {type(exc).__name__}"
    return grade


@dataclass
class Score:
    n: int = 0
    agree: int = 0
    false_verified: int = 0
    false_refuted: int = 0
    undecided: int = 0
    seconds: float = 0.0

    def add(self, verdict: bool | None, label: bool) -> None:
        self.n += 1
        if verdict is None:
            self.undecided += 1
        elif verdict == label:
            self.agree += 1
        elif verdict:
            self.false_verified += 1
        else:
            self.false_refuted += 1

    def as_dict(self) -> dict:
        return {"cases": self.n, "agree": self.agree, "false_verified": self.false_verified,
                "false_refuted": self.false_refuted, "undecided": self.undecided,
                "answers_per_s": round(self.n / self.seconds) if self.seconds else None}

    @staticmethod
    def format_row(r: dict) -> str:
        pct = lambda x: f"{100 * x / r['cases']:.1f}%" if r["cases"] else "–"  # noqa: E731
        rate = r["answers_per_s"] if r["answers_per_s"] is not None else "–"
        return (f"| {r['grader']} / {r['set']} | {r['cases']} | {r['agree']} ({pct(r['agree'])}) | "
                f"{r['false_verified']} | {r['false_refuted']} | {r['undecided']} ({pct(r['undecided'])}) | {rate} |")


def grade_all(cases: list[Case]) -> list[tuple[str, list, dict[str, float]]]:
    """Both graders on every case, timed per set: [(grader, verdicts, seconds per set)]."""
    mv = math_verify_grader()
    results = []
    sources = tuple(dict.fromkeys(c.source for c in cases))
    for name, grader in (("verity", ours), ("math-verify", mv)):
        grader(cases[0])  # warm-up: imports, not timed
        parse_answer.cache_clear()
        out: list = [None] * len(cases)
        secs: dict[str, float] = {}
        for source in sources:  # timed per set, one process, one core
            idx = [i for i, c in enumerate(cases) if c.source == source]
            started = time.perf_counter()
            for i in idx:
                out[i] = grader(cases[i])
            secs[source] = time.perf_counter() - started
        secs["all"] = sum(secs.values())
        results.append((name, out, secs))
    return results


def table_rows(cases: list[Case], results: list[tuple[str, list, dict[str, float]]]) -> list[dict]:
    """One row per grader and set (then all, then the lowest-terms variants apart)."""
    sources = tuple(dict.fromkeys(c.source for c in cases))
    rows = []
    for name, out, secs in results:
        for source in sources + ("all",):
            s = Score()
            for i, c in enumerate(cases):
                if source == "all" or c.source == source:
                    s.add(out[i][0], c.label)
            s.seconds = secs[source]
            rows.append({"grader": name, "set": source, **s.as_dict()})
        s = Score()  # labelled unequal by the checker's own lowest-terms pattern: shown apart
        for i, c in enumerate(cases):
            if c.variant == LOWEST_TERMS_VARIANT:
                s.add(out[i][0], c.label)
        rows.append({"grader": name, "set": f"of which: {LOWEST_TERMS_VARIANT}", **s.as_dict()})
    return rows


def rows(limit: int | None = None) -> list[dict]:
    """The benchmark's main table as rows (for ``benchmarks/soundness.py``)."""
    cases = load_cases(limit)
    return table_rows(cases, grade_all(cases))


def load_cases(limit: int | None) -> list[Case]:
    return (processbench_cases(limit) + math_variant_cases(limit) + gsm8k_solution_cases(limit)
            + [c for name in PEER_SETS for c in peer_reference_cases(name, limit)])


def run(cases: list[Case], show: int) -> int:
    results = grade_all(cases)
    print("\n## Final-answer grading: verity vs math-verify (same cases, same run)\n")
    print("| grader / set | cases | agree with label | false verified | false refuted | undecided | answers/s |")
    print("|---|---|---|---|---|---|---|")
    for r in table_rows(cases, results):
        print(Score.format_row(r))
    ours_out, mv_out = results[0][1], results[1][1]
    print("\n## Where verity and math-verify differ\n")
    print("| case | variant | label | verity | math-verify | right | verity's reason |")
    print("|---|---|---|---|---|---|---|")
    shown = 0
    wins = {"verity": 0, "math-verify": 0, "neither": 0}
    for c, (ov, oe), (mvv, _) in zip(cases, ours_out, mv_out):
        if ov == mvv:
            continue
        right = "verity" if ov == c.label else "math-verify" if mvv == c.label else "neither"
        wins[right] += 1
        if shown < show:
            shown += 1
            print(f"| {c.id} | {c.variant} | {c.label} | {ov} | {mvv} | {right} | {oe[:90].replace('|', '/')} |")
    print(f"\nDiffering cases: {sum(wins.values())}; right: verity {wins['verity']}, "
          f"math-verify {wins['math-verify']}, neither {wins['neither']}.")
    print("\n## Cases where verity disagrees with the label (original solutions)\n")
    for c, (ov, oe) in zip(cases, ours_out):
        if c.source != "math-variants" and ov != c.label:
            print(f"- {c.source} {c.id}: label {c.label}, verity {ov} — {oe[:140]}")
    print("\n## Variants verity gets wrong\n")
    for c, (ov, oe) in zip(cases, ours_out):
        if c.source == "math-variants" and ov != c.label:
            print(f"- {c.id} ({c.variant}): reference {c.reference!r}, answer {c.solution[-60:]!r}, "
                  f"label {c.label}, verity {ov} — {oe[:120]}")
    per = [t for t in _latencies(cases[: min(len(cases), 200)])]
    print(f"\nverity median latency: {statistics.median(per) * 1000:.2f} ms per answer "
          f"(single process; shared 2-core machine)")
    return 0


def _latencies(cases: list[Case]) -> list[float]:
    out = []
    for c in cases:
        parse_answer.cache_clear()  # cold: no answer parsed before
        t = time.perf_counter()
        ours(c)
        out.append(time.perf_counter() - t)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="records per data file (default: all)")
    ap.add_argument("--show", type=int, default=60, help="differing cases to list")
    args = ap.parse_args(argv)
    for path in (PROCESSBENCH, MATH_TRAIN, GSM8K_SOLUTIONS):
        if not path.exists():
            print(f"missing {path}: ../shared must sit beside the repository", file=sys.stderr)
            return 2
    cases = load_cases(args.limit)
    counts = ", ".join(f"{sum(c.source == s for c in cases)} {s}" for s in dict.fromkeys(c.source for c in cases))
    print(f"{len(cases)} cases: {counts}; MATH variants: "
          f"{sum(c.label for c in cases if c.source == 'math-variants')} equal, "
          f"{sum(not c.label for c in cases if c.source == 'math-variants')} unequal")
    return run(cases, args.show)


if __name__ == "__main__":
    sys.exit(main())
