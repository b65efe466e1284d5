"""Metamorphic test of final-answer reading (issue 11, item 6): one answer, many renderings,
one verdict.

Every final answer of the dev sets is rendered the ways solutions write it — bare; ``$…$``,
``\\(…\\)``, ``\\[…\\]``; ``\\boxed{}``; "The answer is X"; "Final Answer: The final answer is
X. I hope it is correct."; "Final Answer: The value asked for is X."; and, where the answer
allows, thousands separators (``1,000``, ``1\\,000``, ``1{,}000``, ``1,\\!000``), a leading-dot
decimal (``.4``), ``\\dfrac`` / ``\\tfrac`` / ``a/b``, a named tuple (``(p,q)=(3,2)``), an
interval as ``x \\in [a,b]`` and as ``a \\le x \\le b``, a base-subscript numeral (``52_8``
for 42: a base-subscript numeral compares by its value) and a list as several boxes. Each
rendering is graded against the answer itself with ``check_math(question, solution,
reference)`` — default arguments, as a user calls it — and must get the verdict of the
canonical rendering (``\\boxed{X}`` in a sentence). Then one number of the answer is changed
(n → n+1) and every rendering of the changed answer must flip the verdict (verified →
refuted).

Sets: the ``reference`` of ProcessBench MATH dev, the ``answer`` of the MATH train sample,
the ``A: N`` of the GSM8K model-solutions references, and — the ProcessBench GSM8K,
OlympiadBench and Omni-MATH dev files carry no reference — the final answer of each
solution labelled ``final_answer_correct`` (one per problem).

    .venv/bin/python benchmarks/answers_metamorphic.py [--limit N] [--show K]
"""
from __future__ import annotations

import argparse
import ast
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._common import SHARED_DATA, read_jsonl  # noqa: E402
from verify.engines.math.equivalence import equivalent  # noqa: E402
from verify.api.math import check_math  # noqa: E402
from verify.engines.math.answers import extract_final_answer  # noqa: E402
from verify.engines.math.latex import MathParseError, parse_answer  # noqa: E402
from verify.engines.math.values import IntervalValue, SeqValue  # noqa: E402


@dataclass(frozen=True)
class Item:
    """One canonical final answer and the question it answers."""

    source: str
    id: str
    question: str
    answer: str


@dataclass(frozen=True)
class Outcome:
    """One rendering of one answer: its verdict against the canonical one's, and whether
    the rendering of the changed answer flipped (None: no changed answer to render)."""

    item: Item
    rendering: str
    solution: str
    reference: str
    canonical: str
    status: str
    flipped: bool | None

    @property
    def invariant(self) -> bool:
        return self.status == self.canonical


# ---- the dev sets' answers ---------------------------------------------------------------
def _steps(row: dict) -> list[str]:
    steps = row["steps"]
    return ast.literal_eval(steps) if isinstance(steps, str) else list(steps)


def load_items(limit: int | None = None) -> list[Item]:
    """The canonical answers of every dev set, deduplicated by (question, answer)."""
    items: list[Item] = []
    for r in read_jsonl(SHARED_DATA / "processbench-math-dev-300.jsonl", limit):
        items.append(Item("processbench-math", r["id"], r["problem"], r["reference"].strip()))
    for r in read_jsonl(SHARED_DATA / "math-train-sample.jsonl", limit):
        items.append(Item("math-train", r["unique_id"], r["problem"], r["answer"].strip()))
    for i, r in enumerate(read_jsonl(SHARED_DATA / "gsm8k-model-solutions-dev.jsonl", limit)):
        m = re.search(r"A:\s*(.+?)\s*$", r["ground_truth"])
        if m:
            items.append(Item("gsm8k-solutions", str(i), r["question"], m.group(1)))
    for name in ("gsm8k", "olympiadbench", "omnimath"):
        seen: set[str] = set()
        for r in read_jsonl(SHARED_DATA / f"processbench-{name}-dev.jsonl"):  # sorted: wrong ones first
            if limit is not None and len(seen) >= limit:
                break
            if str(r["final_answer_correct"]) != "True" or r["problem"] in seen:
                continue
            found = extract_final_answer("\n\n".join(_steps(r)))
            # an empty box or a whole sentence is an extraction slip of that solution, no answer
            if found is not None and found.text.strip() and "\\boxed" not in found.text \
                    and len(found.text.split()) <= 6:
                seen.add(r["problem"])
                items.append(Item(f"processbench-{name}", r["id"], r["problem"], found.text.strip()))
    out, keys = [], set()
    for it in items:
        if (it.source, it.question, it.answer) not in keys:
            keys.add((it.source, it.question, it.answer))
            out.append(it)
    return out


# ---- renderings ----------------------------------------------------------------------------
#: A rendering maps the answer to (solution text, reference), or None where it does not apply.
Rendering = Callable[[str, Any], "tuple[str, str] | None"]
_PLAIN_INT = re.compile(r"-?\d+")
_SIMPLE_FRAC = re.compile(r"(-?)\\frac\{(\d+)\}\{(\d+)\}")


def _value(answer: str) -> Any:
    try:
        return parse_answer(answer)
    except MathParseError:
        return None


def _top_level_commas(s: str) -> list[str] | None:
    depth, parts, cur = 0, [], ""
    for i, ch in enumerate(s):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0 and not s[i + 1:i + 3] == "\\!" and not re.match(r"\d{3}(?!\d)", s[i + 1:]):
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.strip() for p in parts] if len(parts) > 1 and all(p.strip() for p in parts) else None


def _thousands(sep: str) -> Rendering:
    def render(a: str, v: Any) -> tuple[str, str] | None:
        if not _PLAIN_INT.fullmatch(a) or abs(int(a)) < 1000:
            return None
        sign, digits = ("-", a[1:]) if a.startswith("-") else ("", a)
        groups = re.findall(r"\d{1,3}(?=(?:\d{3})*$)", digits)
        return f"The answer is ${sign}{sep.join(groups)}$.", a
    return render


def _leading_dot(a: str, v: Any) -> tuple[str, str] | None:
    m = re.fullmatch(r"(-?)0(\.\d+)", a)
    return (f"The answer is ${m.group(1)}{m.group(2)}$.", a) if m else None


def _frac_as(cmd: str) -> Rendering:
    def render(a: str, v: Any) -> tuple[str, str] | None:
        if "\\frac" not in a or "\\dfrac" in a or "\\tfrac" in a:
            return None
        return f"The answer is ${a.replace(chr(92) + 'frac', chr(92) + cmd)}$.", a
    return render


def _slash(a: str, v: Any) -> tuple[str, str] | None:
    m = _SIMPLE_FRAC.fullmatch(a)
    return (f"The answer is {m.group(1)}{m.group(2)}/{m.group(3)}.", a) if m else None


def _named_tuple(a: str, v: Any) -> tuple[str, str] | None:
    if not (isinstance(v, SeqValue) and v.kind == "tuple" and 2 <= len(v.items) <= 6 and a.startswith("(")):
        return None
    names = ",".join("pqrstu"[:len(v.items)])
    return f"The answer is $({names})={a}$.", a


def _interval_in(a: str, v: Any) -> tuple[str, str] | None:
    return (f"The answer is $x \\in {a}$.", a) if isinstance(v, IntervalValue) else None


def _interval_chain(a: str, v: Any) -> tuple[str, str] | None:
    if not isinstance(v, IntervalValue) or v.start.is_infinite or v.end.is_infinite:
        return None
    inner = _top_level_commas(a.strip()[1:-1].replace("\\left", "").replace("\\right", ""))
    if inner is None or len(inner) != 2:
        return None
    lo, hi = "<" if v.left_open else "\\le", "<" if v.right_open else "\\le"
    name = next(c for c in "xtuvw" if c not in a)
    return f"The answer is ${inner[0]} {lo} {name} {hi} {inner[1]}$.", a


def _base8(a: str, v: Any) -> tuple[str, str] | None:
    if not re.fullmatch(r"\d+", a) or not 8 <= int(a) < 10 ** 15:
        return None
    return f"The answer is ${format(int(a), 'o')}_8$.", a


def _several_boxes(a: str, v: Any) -> tuple[str, str] | None:
    if not (isinstance(v, SeqValue) and v.kind == "list"):
        return None
    parts = _top_level_commas(a)
    if parts is None:
        return None
    return "So the answers are " + ", ".join(f"$\\boxed{{{p}}}$" for p in parts) + ".", a


RENDERINGS: dict[str, Rendering] = {
    "bare": lambda a, v: (a, a),
    "$…$": lambda a, v: (f"So the result is ${a}$.", a),
    "\\(…\\)": lambda a, v: (f"So the result is \\({a}\\).", a),
    "\\[…\\]": lambda a, v: (f"So the result is\n\\[{a}\\]", a),
    "\\boxed{}": lambda a, v: (f"Hence \\boxed{{{a}}}", a),
    "the answer is": lambda a, v: (f"The answer is {a}.", a),
    "Final Answer (template)": lambda a, v: (f"Final Answer: The final answer is ${a}$. I hope it is correct.", a),
    "Final Answer (sentence)": lambda a, v: (f"Final Answer: The value asked for is ${a}$.", a),
    "1,000": _thousands(","),
    "1\\,000": _thousands("\\,"),
    "1{,}000": _thousands("{,}"),
    "1,\\!000": _thousands(",\\!"),
    ".4": _leading_dot,
    "\\dfrac": _frac_as("dfrac"),
    "\\tfrac": _frac_as("tfrac"),
    "a/b": _slash,
    "(p,q)=(…)": _named_tuple,
    "x \\in [a,b]": _interval_in,
    "a \\le x \\le b": _interval_chain,
    "base 8 (52_8)": _base8,
    "several \\boxed{}": _several_boxes,
}


def canonical(a: str) -> tuple[str, str]:
    return f"The answer is $\\boxed{{{a}}}$.", a


_MUTABLE = re.compile(r"(?<![\d.^_{\\A-Za-z])\d+(?![\d.]*\})(?![\d.])")


def mutate(a: str) -> str | None:
    """The answer with its first plain integer (not an exponent, index or decimal part)
    raised by one, when that changes its value; None when there is none."""
    for m in _MUTABLE.finditer(a):
        if re.search(r"\\(?:begin|end)\{[^}]*$", a[:m.start()]) or a[max(0, m.start() - 1):m.start()] == "^":
            continue
        changed = a[:m.start()] + str(int(m.group(0)) + 1) + a[m.end():]
        if equivalent(changed, a).equal is False:
            return changed
        return None
    return None


def grade(question: str, solution: str, reference: str) -> str:
    return check_math(question, solution, reference).status


def run_item(item: Item) -> list[Outcome]:
    """Every applicable rendering of one answer, with the flip of its changed value."""
    value = _value(item.answer)
    base = grade(item.question, *canonical(item.answer))
    changed = mutate(item.answer)
    changed_value = _value(changed) if changed is not None else None
    out = []
    for name, render in RENDERINGS.items():
        pair = render(item.answer, value)
        if pair is None:
            continue
        solution, reference = pair
        flipped = None
        if changed is not None and base == "verified":
            moved = render(changed, changed_value)
            if moved is not None:
                flipped = grade(item.question, moved[0], item.answer) == "refuted"
        out.append(Outcome(item, name, solution, reference, base, grade(item.question, solution, reference),
                           flipped))
    return out


def rows(limit: int | None = None, sample: int | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """The benchmark's table rows (per set, then per rendering): invariance and flips.
    ``sample`` grades a seeded random sample of that many answers instead of all."""
    items = load_items(limit)
    if sample is not None and sample < len(items):
        items = random.Random(seed).sample(items, sample)
    outcomes = [o for it in items for o in run_item(it)]
    return _table(outcomes, items)


def _table(outcomes: list[Outcome], items: list[Item]) -> list[dict[str, Any]]:
    out = []
    groups = [("set", s, [o for o in outcomes if o.item.source == s]) for s in dict.fromkeys(i.source for i in items)]
    groups += [("rendering", r, [o for o in outcomes if o.rendering == r]) for r in RENDERINGS]
    groups.append(("all", "all", outcomes))
    for kind, name, group in groups:
        if not group:
            continue
        answers = {(o.item.source, o.item.id, o.item.answer) for o in group}
        mutated = [o for o in group if o.flipped is not None]
        out.append({"kind": kind, "name": name, "answers": len(answers), "renderings": len(group),
                    "invariant": sum(o.invariant for o in group),
                    "canonical_verified": sum(o.canonical == "verified" for o in group),
                    "mutated": len(mutated), "flipped": sum(bool(o.flipped) for o in mutated),
                    "failures": [o for o in group if not o.invariant or o.flipped is False]})
    return out


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "–"


def print_table(table: list[dict[str, Any]], show: int, seconds: float) -> None:
    print("\n## Final answers rendered many ways: same verdict as the canonical `\\boxed{X}`\n")
    print("| set / rendering | answers | renderings graded | canonical verified | invariant | "
          "changed value graded | flipped |")
    print("|---|---|---|---|---|---|---|")
    for r in table:
        label = f"**{r['name']}**" if r["kind"] != "rendering" else r["name"]
        print(f"| {label} | {r['answers']} | {r['renderings']} | {r['canonical_verified']} | "
              f"{r['invariant']} ({_pct(r['invariant'], r['renderings'])}) | {r['mutated']} | "
              f"{r['flipped']} ({_pct(r['flipped'], r['mutated'])}) |")
    total = next(r for r in table if r["kind"] == "all")
    print(f"\n{total['renderings']} gradings of {total['answers']} answers in {seconds:.1f} s "
          "(check_math with default arguments; one process).")
    failures = total["failures"]
    if failures:
        print(f"\n## Failures ({len(failures)}; first {min(show, len(failures))})\n")
        for o in failures[:show]:
            what = "changed value not refuted" if o.invariant else f"{o.status} vs canonical {o.canonical}"
            print(f"- {o.item.source} {o.item.id} [{o.rendering}] {what}: {o.solution[:90]!r} vs {o.reference[:60]!r}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="records per data file (default: all)")
    ap.add_argument("--show", type=int, default=40, help="failures to list")
    args = ap.parse_args(argv)
    if not (SHARED_DATA / "math-train-sample.jsonl").exists():
        print(f"missing {SHARED_DATA}: ../shared must sit beside the repository", file=sys.stderr)
        return 2
    started = time.perf_counter()
    table = rows(args.limit)
    print_table(table, args.show, time.perf_counter() - started)
    return 0


if __name__ == "__main__":
    sys.exit(main())
