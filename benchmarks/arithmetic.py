"""GSM8K arithmetic benchmark through the default ``check(text)`` (issues 3 and 11).

Answers are GSM8K *train* reference solutions (../shared/data/gsm8k-train.jsonl) with the
``<<expr=result>>`` calculator notes removed and the prose kept. Each answer is checked:

- as written (all arithmetic should hold: any refutation is either a false refutation or
  an error in the GSM8K solution itself, told apart below);
- **slip**: one result of an explicit equation (a result written right after "=", with an
  operator between two numbers before it and no variable such as 2S or 4x) is altered — seeded; ±small offset, one digit
  changed, two digits swapped, or ×10/÷10, keeping the number's format — and every later
  use of that result is left as written (the writer slipped once and carried on with the
  right value). Success: the engine refutes the claim containing the altered number
  ("at the right claim") and its correction has the original value ("corrected");
- **carried**: the same alteration, but later steps use the wrong value consistently, as a
  model would: every later calculator note whose expression uses the altered result is
  recomputed, its operand and result in the prose are rewritten, and so on down the
  solution, including the ``#### N`` line. Success: the first error is caught and
  corrected, and the final answer is corrected back to the original.

Source errors: some GSM8K solutions have wrong or rounded arithmetic of their own. A
Verity refutation on an unaltered answer is counted as a *source error* when a calculator
note inside the refuted claim is itself wrong under exact evaluation ("annotation"), when
the prose computation differs from its note or is wrong under a separate exact evaluation
("prose"), or when it follows from one of those ("propagated"); anything else is a *false
refutation*. (The list was reviewed by hand.) A refutation no note decides (a math engine
step) is a source error only when read and confirmed by hand (:data:`CONFIRMED_SOURCE`, each
with its reason). A baseline refutation counts as a source error only when it refutes one of
those same numbers.

Rows, in the same run: Verity as a user calls it (``check(text, question=q)``, every engine —
the headline), the arithmetic engine alone (``engines=("arithmetic",)``, an extra row), and a
baseline: a naive checker — a regex for ``a op b ... = c`` with plain
numbers and ``+ - * / x × ÷``, evaluated with floats (shunting-yard, no eval), equal when
within 1e-9 relative.

    .venv/bin/python benchmarks/arithmetic.py [--limit N] [--seed S] [--show K]

Timing: one answer is one ``verify.check(...)`` call; throughput and p50/p99 latency are measured in CPU time of the (single-threaded) process,
because the machine is shared; wall-clock figures are printed below the table.
"""
from __future__ import annotations

import argparse
import ast
import json
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable, Mapping

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from verify.pipeline import check  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "gsm8k-train.jsonl"

_NOTE = re.compile(r"<<([^<>]*)>>")
_LITERAL = re.compile(r"-?(?:(?:\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+)")
_VARIABLE = re.compile(r"\d(?:[A-Zxyzn])(?![A-Za-z])")  # 2S, 4x: algebra, not arithmetic
_OPERATOR_BETWEEN = re.compile(
    r"\d.*?(?:[-+*/×÷^]|\bx\b|(?<=\d)x|\btimes\b|\bplus\b|\bminus\b|\bdivided\b|"
    r"\bmultiplied\b|%\s*of\b).*?(?:\d|\.\d)")


# ---------------------------------------------------------------------------- data
def exact_eval(expr: str) -> Fraction:
    """Evaluate a calculator note exactly (ast walk over Fractions; no eval)."""
    src = expr.replace(",", "").replace("^", "**").replace("x", "*").replace("X", "*")
    src = re.sub(r"(\d+(?:\.\d+)?)%", r"(\1/100)", src)
    tree = ast.parse(src.strip(), mode="eval")

    def walk(node: ast.AST) -> Fraction:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Fraction(str(node.value))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            v = walk(node.operand)
            return -v if isinstance(node.op, ast.USub) else v
        if isinstance(node, ast.BinOp):
            a, b = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Add):
                return a + b
            if isinstance(node.op, ast.Sub):
                return a - b
            if isinstance(node.op, ast.Mult):
                return a * b
            if isinstance(node.op, ast.Div):
                return a / b
            if isinstance(node.op, ast.Pow) and b.denominator == 1 and abs(b) <= 64:
                return a ** int(b)
        raise ValueError(f"unsupported note {expr!r}")

    return walk(tree)


def literal(text: str) -> Fraction:
    return Fraction(text.replace(",", ""))


@dataclass
class Note:
    expr: str
    result: str
    start: int           # literal offsets in the stripped text
    end: int
    text: str            # the literal as written after the note
    explicit: bool
    note_ok: bool        # expr == result exactly
    segment_start: int   # where the prose computation before this note starts


@dataclass
class Answer:
    index: int
    question: str
    text: str
    notes: list[Note]
    final: tuple[int, int] | None  # offsets of N in "#### N"


def strip_notes(index: int, question: str, answer: str) -> Answer:
    pieces: list[str] = []
    marks: list[tuple[int, str]] = []
    pos = 0
    out_len = 0
    for m in _NOTE.finditer(answer):
        pieces.append(answer[pos:m.start()])
        out_len += m.start() - pos
        marks.append((out_len, m.group(1)))
        pos = m.end()
    pieces.append(answer[pos:])
    text = "".join(pieces)
    notes: list[Note] = []
    prev_end = 0
    for at, body in marks:
        if "=" not in body:
            continue
        expr, _, result = body.rpartition("=")
        lm = _LITERAL.match(text, at)
        if lm is None:
            continue
        try:
            lit_value = literal(lm.group())
            res_value = literal(result.strip())
            note_ok = exact_eval(expr) == res_value
        except (ValueError, ZeroDivisionError, SyntaxError):
            continue
        line_start = text.rfind("\n", 0, at) + 1
        seg_start = max(line_start, prev_end)
        before = text[seg_start:at].rstrip(" $€£¥¢")
        explicit = False
        if before.endswith("="):
            comp = before[:-1]
            last_eq = comp.rfind("=")
            comp = comp[last_eq + 1:] if last_eq >= 0 else comp
            comp = re.split(r"(?<=[a-z])\.\s|[;:]\s|,\s(?=[A-Za-z])", comp)[-1]
            after = text[lm.end():lm.end() + 2]
            explicit = (bool(_OPERATOR_BETWEEN.search(comp)) and lit_value == res_value
                        and not _VARIABLE.search(comp) and not _VARIABLE.match("0" + after))
        notes.append(Note(expr, result.strip(), lm.start(), lm.end(), lm.group(), explicit,
                          note_ok, seg_start))
        prev_end = lm.end()
    fm = re.search(r"(?m)^####\s*(-?[\d,]*\.?\d+)\s*$", text)
    final = fm.span(1) if fm else None
    return Answer(index, question, text, notes, final)


# ---------------------------------------------------------------------------- altering
def _format(value: Fraction, like: str) -> str | None:
    """``value`` in the format of ``like`` (decimals, commas); None if it cannot be."""
    decimals = len(like.split(".")[1]) if "." in like else 0
    scaled = value * 10 ** decimals
    if scaled.denominator != 1:
        places = decimals
        while places < 4 and (value * 10 ** places).denominator != 1:
            places += 1
        if (value * 10 ** places).denominator != 1:
            return None
        decimals = places
        scaled = value * 10 ** decimals
    n = scaled.numerator
    s = str(abs(n)).rjust(decimals + 1, "0")
    if decimals:
        s = s[:-decimals] + "." + s[-decimals:]
    if like.startswith(".") and s.startswith("0."):
        s = s[1:]
    if "," in like:
        whole, dot, frac = s.partition(".")
        whole = f"{int(whole):,}"
        s = whole + dot + frac
    return ("-" if n < 0 else "") + s


def alter(text: str, rng: random.Random) -> str:
    """A plausible wrong version of a number written as ``text`` (same format)."""
    value = literal(text)
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    for _ in range(20):
        kind = rng.choice(["offset", "offset", "digit", "swap", "scale"])
        if kind == "offset":
            unit = Fraction(1, 10 ** (len(text.split(".")[1]) if "." in text else 0))
            new = value + rng.choice([-1, 1]) * rng.randint(1, 9) * unit
            cand = _format(new, text) if new > 0 else None
        elif kind == "digit":
            i = rng.choice(digits)
            d = rng.choice([c for c in "0123456789" if c != text[i]])
            if i == digits[0] and d == "0" and len(digits) > 1 and "." not in text[:i + 2]:
                continue
            cand = text[:i] + d + text[i + 1:]
        elif kind == "swap":
            pairs = [(a, b) for a, b in zip(digits, digits[1:]) if b == a + 1 and text[a] != text[b]]
            if not pairs:
                continue
            a, b = rng.choice(pairs)
            cand = text[:a] + text[b] + text[a] + text[b + 1:]
            if cand[0] == "0" and len(digits) > 1 and not cand.startswith("0."):
                continue
        else:
            new = value * 10 if rng.random() < 0.5 or value.denominator != 1 else value / 10
            cand = _format(new, text)
        if cand and cand != text and literal(cand) != value:
            return cand
    return _format(value + 1, text) or text + "1"


@dataclass
class Variant:
    text: str
    start: int          # the altered literal in this text
    end: int
    original: Fraction  # its value before altering
    final: tuple[int, int] | None = None
    final_original: Fraction | None = None
    final_changed: bool = False


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out, pos = [], 0
    for s, e, rep in sorted(edits):
        out.append(text[pos:s])
        out.append(rep)
        pos = e
    out.append(text[pos:])
    return "".join(out)


def make_slip(ans: Answer, note: Note, wrong: str) -> Variant:
    text = _apply(ans.text, [(note.start, note.end, wrong)])
    return Variant(text, note.start, note.start + len(wrong), literal(note.text))


_EXPR_NUM = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")


def make_carried(ans: Answer, k: int, wrong: str) -> Variant | None:
    """Alter note k and carry the wrong value through later notes, prose and ####."""
    note = ans.notes[k]
    changed: dict[Fraction, Fraction] = {literal(note.text): literal(wrong)}
    edits = [(note.start, note.end, wrong)]
    for later in ans.notes[k + 1:]:
        nums = list(_EXPR_NUM.finditer(later.expr))
        if not any(literal(m.group()) in changed for m in nums):
            continue
        new_expr = "".join(
            (later.expr[nums[i - 1].end() if i else 0:m.start()]
             + (str(float(changed[literal(m.group())])) if literal(m.group()) in changed
                else m.group()))
            for i, m in enumerate(nums)) + later.expr[nums[-1].end():]
        try:
            new_result = exact_eval(new_expr)
        except (ValueError, ZeroDivisionError, SyntaxError):
            return None
        old_result = literal(later.text)
        # rewrite the prose operands in this step's segment
        for m in _EXPR_NUM.finditer(ans.text, later.segment_start, later.start):
            v = literal(m.group())
            if v in changed and not ans.text[m.start() - 1:m.start()].isalpha():
                rep = _format(changed[v], m.group())
                if rep is None:
                    return None
                edits.append((m.start(), m.end(), rep))
        if new_result != old_result:
            rep = _format(new_result, later.text)
            if rep is None or new_result < 0:
                return None
            edits.append((later.start, later.end, rep))
            changed[old_result] = new_result
    final = None
    final_changed = False
    final_original = None
    if ans.final:
        fs, fe = ans.final
        final_original = literal(ans.text[fs:fe])
        if final_original in changed:
            rep = _format(changed[final_original], ans.text[fs:fe])
            if rep is None:
                return None
            edits.append((fs, fe, rep))
            final_changed = True
    edits = sorted(set(edits))
    if any(a[1] > b[0] for a, b in zip(edits, edits[1:])):
        return None
    text = _apply(ans.text, edits)
    if ans.final:
        shift = sum(len(r) - (e - s) for s, e, r in edits if s < ans.final[0])
        fs, fe = ans.final
        flen = len(next((r for s, e, r in edits if s == fs), ans.text[fs:fe]))
        final = (fs + shift, fs + shift + flen)
    return Variant(text, note.start, note.start + len(wrong), literal(note.text), final,
                   final_original, final_changed)


# ---------------------------------------------------------------------------- checkers
@dataclass
class Found:
    """One refutation: the span it covers and the value it corrects to."""

    start: int
    end: int
    value: Fraction | None
    text: str = ""
    propagated: bool = False


@dataclass
class Outcome:
    refuted: list[Found]
    claims: int
    unverified: int
    corrected_text: str = ""


def _correction_value(text: str | None) -> Fraction | None:
    if not text:
        return None
    m = re.search(r"-?(?:\d[\d,]*(?:\.\d+)?|\.\d+)", text.replace("−", "-"))
    if m is None:
        return None
    return literal(m.group())  # as written: "25%" → 25, like the altered literal


def verity_checker(text: str, question: str, engines: tuple[str, ...] | None = None) -> Outcome:
    """Verity's refutations: the default path (every engine) unless ``engines`` is given."""
    report = check(text, question=question, engines=engines)
    refuted = []
    for c in report.claims:
        if c.status == "refuted":
            where = c.correction_span or c.span
            value = _correction_value(c.correction)
            if value is not None and c.correction and "=" in c.correction:
                value = _correction_value(c.correction.rsplit("=", 1)[1])
            refuted.append(Found(where.start, where.end, value, c.text,
                                 "propagated_from" in c.detail))
    return Outcome(refuted, len(report.claims),
                   sum(c.status == "unverified" for c in report.claims), report.corrected_text)


_NAIVE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?(?:\s*[-+*/x×÷]\s*\d+(?:\.\d+)?)+)\s*=\s*\$?"
                    r"(\d+(?:\.\d+)?)")
_NAIVE_TOKEN = re.compile(r"\d+(?:\.\d+)?|[-+*/x×÷]")


def naive_eval(expr: str) -> float:
    """Float evaluation with precedence (shunting-yard), no eval."""
    prec = {"+": 1, "-": 1, "*": 2, "/": 2}
    values: list[float] = []
    ops: list[str] = []

    def reduce() -> None:
        b, a, op = values.pop(), values.pop(), ops.pop()
        values.append(a + b if op == "+" else a - b if op == "-" else a * b if op == "*"
                      else a / b)

    for tok in _NAIVE_TOKEN.findall(expr):
        if tok[0].isdigit():
            values.append(float(tok))
            continue
        op = {"x": "*", "×": "*", "÷": "/"}.get(tok, tok)
        while ops and prec[ops[-1]] >= prec[op]:
            reduce()
        ops.append(op)
    while ops:
        reduce()
    return values[0]


def naive_checker(text: str, question: str) -> Outcome:
    refuted = []
    claims = 0
    for m in _NAIVE.finditer(text):
        claims += 1
        try:
            value = naive_eval(m.group(1))
        except ZeroDivisionError:
            continue
        stated = float(m.group(2))
        if abs(value - stated) > 1e-9 * max(1.0, abs(value)):
            fixed = Fraction(round(value)) if abs(value - round(value)) < 1e-9 else \
                Fraction(str(round(value, 2)))
            refuted.append(Found(m.start(2), m.end(2), fixed, m.group(0)))
    return Outcome(refuted, claims, 0)


# ---------------------------------------------------------------------------- running
@dataclass
class Tally:
    name: str
    times: list[float] = field(default_factory=list)   # CPU seconds per answer (one core)
    walls: list[float] = field(default_factory=list)   # wall-clock seconds per answer
    claims: int = 0
    unaltered: int = 0
    false_answers: int = 0
    false_refutations: int = 0
    source_refutations: int = 0
    source_answers: int = 0
    unverified: int = 0
    slip_total: int = 0
    slip_caught: int = 0
    slip_corrected: int = 0
    slip_collateral: int = 0
    carried_total: int = 0
    carried_caught: int = 0
    carried_corrected: int = 0
    final_total: int = 0
    final_corrected: int = 0
    failures: list[str] = field(default_factory=list)
    false_examples: list[str] = field(default_factory=list)
    source_examples: list[str] = field(default_factory=list)

    def timed(self, fn: Callable[[str, str], Outcome], text: str, question: str) -> Outcome:
        w0, t0 = time.perf_counter(), time.process_time()
        out = fn(text, question)
        self.times.append(time.process_time() - t0)
        self.walls.append(time.perf_counter() - w0)
        self.claims += out.claims
        return out


def _independent(claim: str) -> bool | None:
    """Does ``claim`` ("a op b = c") hold, evaluated apart from the engine? None: unreadable."""
    text = claim.replace("×", "*").replace("÷", "/").replace("%", "/100")
    text = re.sub(r"[–—−]", "-", text)  # dashes and the minus sign as written in prose
    text = re.sub(r"/\s*[A-Za-z]+", " ", text)  # "$12/game": a unit
    text = re.sub(r"(?<=[\d)\s])[xX](?=[\s\d.($])", "*", text)
    for word, op in (("multiplied by", "*"), ("divided by", "/"), ("plus", "+"),
                     ("minus", "-"), ("times", "*"), ("equals", "="), ("is", "=")):
        text = re.sub(rf"\b{word}\b", op, text)
    parts = [re.sub(r"[$€£¥¢]|[A-Za-z]+(?:'s)?", " ", p).strip() for p in text.split("=")]
    if len(parts) < 2:
        return None
    try:
        values = [exact_eval(p) for p in parts]
    except (ValueError, ZeroDivisionError, SyntaxError, TypeError):
        return None
    return all(v == values[0] for v in values)


#: Refutations of equation steps in unaltered answers, read by hand and confirmed to be
#: errors of the GSM8K solution itself (keyed by answer index and claim text).
CONFIRMED_SOURCE = {
    (696, "52 = B + 8"): "53 - B = 8 gives 53 = B + 8, not 52",
    (696, "B = 53 - 8"): "follows from the slip 52 = B + 8 (the text's next step)",
    (1394, "4c = 150"): "150 = 10 + 4c gives 4c = 140, not 150",
    (1394, "c = 35"): "follows from the slip 4c = 150",
    (3205, "b = 180"): "10b = 180 gives b = 18 (the text says 18 in the next line)",
}


def classify(ans: Answer, found: Found,
             confirmed: Mapping[tuple[int, str], str] = CONFIRMED_SOURCE) -> str:
    """Why a refutation on an unaltered answer happened: 'annotation' (a wrong calculator
    note), 'prose' (the written computation is wrong or differs from its note),
    'propagated' (follows from one of those), or 'engine' (a false refutation)."""
    if found.propagated:
        return "propagated"
    inside = [n for n in ans.notes if n.start < found.end and found.start < n.end]
    if any(not n.note_ok for n in inside):
        return "annotation"
    claim_nums = {literal(m.group()) for m in _EXPR_NUM.finditer(found.text)}
    for n in inside:
        if any(literal(m.group()) not in claim_nums for m in _EXPR_NUM.finditer(n.expr)):
            return "prose"
    if _independent(found.text) is False:
        return "prose"
    if (ans.index, found.text) in confirmed:
        return "confirmed by hand"
    return "engine"


def hit(out: Outcome, v: Variant) -> Found | None:
    return next((f for f in out.refuted if f.start <= v.start and v.end <= f.end), None)


def run(limit: int | None, seed: int, show: int) -> dict[str, Tally]:
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    if limit:
        rows = rows[:limit]
    answers = [strip_notes(i, r["question"], r["answer"]) for i, r in enumerate(rows)]
    rng = random.Random(seed)
    plans = []
    for ans in answers:
        explicit = [k for k, n in enumerate(ans.notes) if n.explicit and n.note_ok]
        if not explicit:
            plans.append(None)
            continue
        k = rng.choice(explicit)
        plans.append((k, alter(ans.notes[k].text, rng)))
    checkers: dict[str, Callable[[str, str], Outcome]] = {
        "Verity: check(text, question=q)": verity_checker,
        "extra row: Verity, engines=('arithmetic',)":
            lambda text, question: verity_checker(text, question, ("arithmetic",)),
        "naive regex + float": naive_checker}
    for fn in checkers.values():  # warm-up: imports, compiled patterns
        fn(answers[0].text, answers[0].question)
    tallies = {}
    # wrong numbers in the GSM8K solutions themselves, as found and classified on Verity's
    # run (reviewed by hand): a baseline refuting the same number found a source error too
    source_spans: dict[int, list[tuple[int, int]]] = {}
    for name, fn in checkers.items():
        t = Tally(name)
        first = not tallies
        for ans, plan in zip(answers, plans):
            out = t.timed(fn, ans.text, ans.question)
            t.unaltered += 1
            t.unverified += out.unverified
            if first:
                kinds = [classify(ans, f) for f in out.refuted]
                source_spans[ans.index] = [(f.start, f.end) for f, kd in zip(out.refuted, kinds)
                                           if kd != "engine"]
            else:
                kinds = ["source" if any(s < f.end and f.start < e
                                         for s, e in source_spans.get(ans.index, ()))
                         else "engine" for f in out.refuted]
            engine = [f for f, kd in zip(out.refuted, kinds) if kd == "engine"]
            t.false_refutations += len(engine)
            t.false_answers += bool(engine)
            t.source_refutations += len(out.refuted) - len(engine)
            t.source_answers += len(out.refuted) > len(engine)
            for f, kd in zip(out.refuted, kinds):
                line = f"#{ans.index} [{kd}] {f.text!r} → {f.value}"
                (t.false_examples if kd == "engine" else t.source_examples).append(line)
            if plan is None:
                continue
            k, wrong = plan
            note = ans.notes[k]
            slip = make_slip(ans, note, wrong)
            out = t.timed(fn, slip.text, ans.question)
            t.slip_total += 1
            found = hit(out, slip)
            if found is not None:
                t.slip_caught += 1
                if found.value == slip.original:
                    t.slip_corrected += 1
                else:
                    t.failures.append(f"#{ans.index} slip corrected to {found.value}, "
                                      f"expected {slip.original}: {found.text!r}")
            else:
                ctx = slip.text[max(0, slip.start - 60):slip.end + 15].replace("\n", "⏎")
                t.failures.append(f"#{ans.index} slip missed {note.text}→{wrong}: …{ctx}…")
            t.slip_collateral += sum(1 for f in out.refuted if f is not found
                                     and classify(ans, f) == "engine")
            carried = make_carried(ans, k, wrong)
            if carried is None:
                continue
            out = t.timed(fn, carried.text, ans.question)
            t.carried_total += 1
            found = hit(out, carried)
            if found is not None:
                t.carried_caught += 1
                t.carried_corrected += found.value == carried.original
            if carried.final_changed and carried.final:
                t.final_total += 1
                fs, fe = carried.final
                fixed = next((f for f in out.refuted if f.start <= fs and fe <= f.end), None)
                if fixed is not None and fixed.value == carried.final_original:
                    t.final_corrected += 1
                elif len(t.failures) < 10_000:
                    t.failures.append(f"#{ans.index} carried final not restored "
                                      f"({ans.text[ans.final[0]:ans.final[1]]})")
        tallies[name] = t
    return tallies


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.2f}% ({a}/{b})" if b else "n/a"


def rows(tallies: dict[str, Tally]) -> list[dict[str, str]]:
    """One table row per checker (``benchmarks/soundness.py`` composes these)."""
    out = []
    for t in tallies.values():
        total = sum(t.times)
        q = statistics.quantiles(t.times, n=100)
        out.append({
            "checker": t.name,
            "refuted at the right claim": pct(t.slip_caught, t.slip_total),
            "corrected to the right value": pct(t.slip_corrected, t.slip_total),
            "false refutations (unaltered)": f"{t.false_refutations} in {t.false_answers} of "
                                             f"{t.unaltered} answers",
            "source errors found": f"{t.source_refutations} in {t.source_answers} answers",
            "carried: first error corrected": pct(t.carried_corrected, t.carried_total),
            "carried: final answer restored": pct(t.final_corrected, t.final_total),
            "claims/s": f"{t.claims / total:,.0f}",
            "answers/s": f"{len(t.times) / total:,.0f}",
            "p50 ms": f"{1000 * statistics.median(t.times):.3f}",
            "p99 ms": f"{1000 * q[98]:.3f}"})
    return out


def measure(limit: int | None = None, seed: int = 20240501) -> list[dict[str, str]]:
    """The benchmark's table rows, for composing (e.g. ``benchmarks/soundness.py``)."""
    return rows(run(limit, seed, 0))


def report(tallies: dict[str, Tally], show: int) -> None:
    print("\n### GSM8K train: explicit-equation errors (slip) and unaltered answers\n")
    print("| checker | refuted at the right claim | corrected to the right value | "
          "false refutations (unaltered) | source errors found | claims/s | answers/s | "
          "p50 ms | p99 ms |")  # throughput and latency in CPU time of one core
    print("|---|---|---|---|---|---|---|---|---|")
    for t in tallies.values():
        total = sum(t.times)
        q = statistics.quantiles(t.times, n=100)
        print(f"| {t.name} | {pct(t.slip_caught, t.slip_total)} | "
              f"{pct(t.slip_corrected, t.slip_total)} | "
              f"{t.false_refutations} in {t.false_answers} of {t.unaltered} answers | "
              f"{t.source_refutations} in {t.source_answers} answers | "
              f"{t.claims / total:,.0f} | {len(t.times) / total:,.0f} | "
              f"{1000 * statistics.median(t.times):.3f} | {1000 * q[98]:.3f} |")
    print("\n### Carried errors (later steps use the wrong value)\n")
    print("| checker | first error refuted | corrected | final answer restored |")
    print("|---|---|---|---|")
    for t in tallies.values():
        print(f"| {t.name} | {pct(t.carried_caught, t.carried_total)} | "
              f"{pct(t.carried_corrected, t.carried_total)} | "
              f"{pct(t.final_corrected, t.final_total)} |")
    v = next(iter(tallies.values()))
    print("\nThroughput and latency are CPU time of one core (the machine is shared). "
          "Wall clock:", "; ".join(
              f"{t.name} {len(t.walls) / sum(t.walls):,.0f} answers/s, p50 "
              f"{1000 * statistics.median(t.walls):.3f} ms, p99 "
              f"{1000 * statistics.quantiles(t.walls, n=100)[98]:.3f} ms"
              for t in tallies.values()) + ".")
    print(f"\nVerity: {v.unverified} claims left unverified on unaltered answers; "
          f"{v.slip_collateral} extra refutations in slip answers.")
    if show:
        for t in tallies.values():
            print(f"\n#### {t.name}: source errors (first {show})")
            for line in t.source_examples[:show]:
                print("-", line)
            print(f"\n#### {t.name}: false refutations (first {show})")
            for line in t.false_examples[:show]:
                print("-", line)
            print(f"\n#### {t.name}: misses (first {show})")
            for line in t.failures[:show]:
                print("-", line)
            if t is v:
                continue


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--limit", type=int, help="use only the first N answers")
    p.add_argument("--seed", type=int, default=20240501)
    p.add_argument("--show", type=int, default=8, help="list this many failures of each kind")
    args = p.parse_args(argv)
    if not DATA.exists():
        print(f"{DATA} is missing: ../shared must sit beside the repository", file=sys.stderr)
        return 2
    started = time.perf_counter()
    tallies = report_data = run(args.limit, args.seed, args.show)
    report(report_data, args.show)
    print(f"\n({len(next(iter(tallies.values())).times):,} checks per checker; "
          f"{time.perf_counter() - started:.1f} s total)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
