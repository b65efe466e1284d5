"""Prose-arithmetic fuzz benchmark with its own oracle (issue 11).

Generated texts (seeded): a few lines of prose, each holding one arithmetic claim —
``+ − × ÷ /`` as symbols or words, parentheses, fractions, decimals (leading-dot too),
percentages (``45% of 200``, ``1/4 = 25%``), currency, thousands separators, approximations
(≈, about, approximately), chains (``a = b = c``, running ``a = b + 2 = c``) — some true,
some false, some wrapped in distractors: a closing ``)``, a ``!``, a ``:``, brackets around
the claim, invisible characters inside a number (zero-width joiner/space, word joiner, soft
hyphen, NUL), no-break spaces.

The oracle is independent of Verity: every link's truth is computed with
:class:`fractions.Fraction` from the generator's own expression tree. Corrections are judged
by a separate small parser written here (:func:`_parse_claim`), checked against the tree on
every generated claim before it judges anything. Semantics (README "Arithmetic"): ``=`` is
exact, ``N%`` is ``N/100``; ``≈``/about/approximately hold when the stated number is the value
rounded half away from zero to the digits shown; a term starting with the previous value is a
running computation (``3 × 4 = 12 + 2 = 14``).

Every text goes through ``verify.check(text)`` with default arguments. Counted:

- false links ``verified`` (target 0), by the engine that verified them;
- ``verified`` reports holding a false link no claim covers (target 0);
- corrections that leave their claim false (target 0);
- false alarms: true links refuted or unverified, by cause; true links not read;
- texts/s (CPU time of this single-threaded process).

    .venv/bin/python benchmarks/fuzz_arithmetic.py [--limit N] [--seed S] [--show K]

:func:`rows` returns the table rows, so ``benchmarks/soundness.py`` can print them too.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from verify import check  # noqa: E402

DEFAULT_TEXTS = 100_000
INVISIBLE = ("\u200d", "\u200b", "\u2060", "\u00ad", "\x00")
PREFIXES = ("First,", "Then", "So", "We get", "Note that", "Next,", "Hence", "In total,",
            "She works it out:", "Check:", "Clearly", "The shop adds it up:", "Altogether", "")
SUFFIXES = (".", ".", ".", " in all.", ", as expected.", "")
FILLER = ("She sells the rest at the market.", "The class meets on Monday.",
          "They share the cost evenly.", "He writes the steps down.")


# ------------------------------------------------------------------------ the tree
@dataclass
class Num:
    value: Fraction
    text: str


@dataclass
class Bin:
    op: str  # + - * /
    left: "Node"
    right: "Node"
    word: str  # the operator as written


Node = Num | Bin
_PREC = {"+": 1, "-": 1, "*": 2, "/": 2}


def value(node: Node) -> Fraction:
    if isinstance(node, Num):
        return node.value
    a, b = value(node.left), value(node.right)
    if node.op == "+":
        return a + b
    if node.op == "-":
        return a - b
    if node.op == "*":
        return a * b
    return a / b


def render(node: Node, parent: int = 0, right: bool = False) -> str:
    if isinstance(node, Num):
        return node.text
    p = _PREC[node.op]
    text = f"{render(node.left, p)} {node.word} {render(node.right, p, True)}"
    return f"({text})" if p < parent or (right and p == parent) else text


# ------------------------------------------------------------------------ numbers
def _group(n: int) -> str:
    return f"{n:,}"


def fmt_number(v: Fraction, rng: random.Random, *, money: bool = False, places: int | None = None) -> str:
    """``v`` (terminating) written as a reader would: 1,234 / 12.5 / .45 / $3.50."""
    sign = "-" if v < 0 else ""
    v = abs(v)
    if places is None:
        places = 0
        while (v * 10 ** places).denominator != 1:
            places += 1
        if money and places:
            places = max(places, 2)
    scaled = round(v * 10 ** places)
    whole, frac = divmod(scaled, 10 ** places)
    w = _group(whole) if whole >= 1000 and rng.random() < 0.4 else str(whole)
    if places:
        f = str(frac).rjust(places, "0")
        w = "" if whole == 0 and rng.random() < 0.3 and not money else w
        text = f"{w}.{f}"
    else:
        text = w
    return sign + ("$" + text if money else text)


def number_value(text: str) -> Fraction:
    """The value of a number written by :func:`fmt_number` (or a correction)."""
    t = text.replace("$", "").replace(",", "")
    neg = t.startswith(("-", "−"))
    t = t.lstrip("-−")
    whole, _, frac = t.partition(".")
    v = Fraction(int(whole or "0")) + (Fraction(int(frac), 10 ** len(frac)) if frac else 0)
    return -v if neg else v


def operand(rng: random.Random, money: bool) -> Num:
    kind = rng.random()
    if kind < 0.6:
        v = Fraction(rng.choice([rng.randint(1, 20), rng.randint(2, 999), rng.randint(1000, 99999)]))
    elif kind < 0.85:
        v = Fraction(rng.randint(1, 9999), rng.choice([10, 100]))
    else:
        v = Fraction(rng.randint(1, 99), 100) if not money else Fraction(rng.randint(1, 999), 100)
    return Num(v, fmt_number(v, rng, money=money))


_WORDS = {"+": ("+", "+", "plus"), "-": ("-", "−", "minus"), "*": ("×", "*", "x", "·", "times"),
          "/": ("÷", "/", "divided by")}


def expression(rng: random.Random, money: bool, size: int) -> Node:
    node: Node = operand(rng, money)
    for _ in range(size):
        op = rng.choice("+-*/" if not money else "++-*")
        right: Node = operand(rng, money and op in "+-")
        if op == "/" and value(right) == 0:
            continue
        if op in "*/" and money:
            right = Num(Fraction(rng.randint(2, 12)), "")
            right.text = str(right.value)
        word = rng.choice(_WORDS[op])
        swap = rng.random() >= 0.7
        if op == "/" and swap and value(node) == 0:
            swap = False
        node = Bin(op, right, node, word) if swap else Bin(op, node, right, word)
    return node


# ------------------------------------------------------------------------ claims
@dataclass
class Link:
    """Offsets of the two sides (in the final text), the truth, and the form's tag."""

    left: tuple[int, int]
    right: tuple[int, int]
    truth: bool
    tag: str


@dataclass
class Line:
    pieces: list[tuple[str, str]]  # (role, text): role "L0".."Ln" for terms, "R" relation, "" prose
    truths: list[bool]
    rels: list[str]  # "=" or "≈" semantics of each link
    tag: str


def _terminating(v: Fraction) -> bool:
    d = v.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


def _round(v: Fraction, places: int) -> Fraction:
    scaled = abs(v) * 10 ** places
    n = int(scaled)
    if scaled - n >= Fraction(1, 2):
        n += 1
    return (n if v >= 0 else -n) / Fraction(10 ** places)


def _mutate(v: Fraction, rng: random.Random) -> Fraction:
    choice = rng.random()
    if choice < 0.4:
        return v + rng.choice([-2, -1, 1, 2, 10])
    if choice < 0.7:
        return v * 10 if v else Fraction(1)
    digits = str(abs(v.numerator))
    k = rng.randrange(len(digits))
    new = digits[:k] + str((int(digits[k]) + rng.randint(1, 8)) % 10) + digits[k + 1:]
    return Fraction(int(new) * (1 if v >= 0 else -1), v.denominator)


def claim_simple(rng: random.Random) -> Line:
    money = rng.random() < 0.2
    node = expression(rng, money, rng.randint(1, 3))
    v = value(node)
    lhs = render(node)
    true = rng.random() < 0.5
    if not _terminating(v):
        return claim_approx(rng, node)
    stated = v if true else _mutate(v, rng)
    if stated == v:
        true = True
    rel = rng.choice(["=", "=", "=", "equals", "is"])
    tag = "money" if money else "plain"
    if v.denominator != 1 and rng.random() < 0.25 and abs(v) < 1000 and isinstance(node, Bin):
        # the value written as a fraction of whole numbers: "= 9/4"
        den = v.denominator * rng.choice([1, 1, 2])
        num = stated * den
        if num.denominator == 1:
            return Line([("L0", lhs), ("R", rel), ("L1", f"{num.numerator}/{den}")], [stated == v],
                        ["="], "fraction result")
    return Line([("L0", lhs), ("R", rel), ("L1", fmt_number(stated, rng, money=money and stated.denominator in (1, 2, 4, 5, 10, 20, 25, 50, 100)))],
                [stated == v], ["="], tag)


def claim_approx(rng: random.Random, node: Node | None = None) -> Line:
    if node is None:
        a, b = rng.randint(1, 999), rng.choice([3, 6, 7, 9, 11, 12, 13, 17])
        node = Bin("/", Num(Fraction(a), str(a)), Num(Fraction(b), str(b)), rng.choice(_WORDS["/"]))
    v = value(node)
    choice = rng.random()
    shift = rng.choice([-1, 1])
    for places in range(rng.randint(0, 3), 6):
        right = _round(v, places)
        if choice < 0.45:
            stated = right
        elif choice < 0.7:  # digits cut, not rounded
            stated = Fraction(int(abs(v) * 10 ** places), 10 ** places) * (1 if v >= 0 else -1)
        else:
            stated = right + Fraction(shift, 10 ** places)
        if places or stated % 10:  # "≈ 870" may mean to the nearest ten: not generated
            break
    rel_text = rng.choice(["≈", "≈", "is about", "is approximately", "=", "~"])
    exact = rel_text == "="
    truth = stated == v if exact else stated == right
    text = fmt_number(stated, rng, places=places)
    return Line([("L0", render(node)), ("R", rel_text), ("L1", text)], [truth],
                ["=" if exact else "≈"], "rounded with =" if exact else "approximation")


def claim_percent(rng: random.Random) -> Line:
    p = rng.choice([5, 10, 12, 15, 20, 25, 30, 40, 45, 50, 60, 75, 80, 90])
    base = rng.choice([20, 40, 80, 120, 200, 250, 400, 600, 1000, 1200])
    v = Fraction(p, 100) * base
    true = rng.random() < 0.5
    stated = v if true else _mutate(v, rng)
    form = rng.randrange(5)
    if form == 0:
        lhs = f"{p}% of {base}"
    elif form == 1:
        lhs = f"{p} percent of {base}"
    elif form == 2:
        lhs = f"{p}/100 * {base}"
    elif form == 3:
        d = fmt_number(Fraction(p, 100), rng)
        lhs = f"{d} × {base}"
    else:  # "1/4 = 25%" and its misreadings
        den = rng.choice([2, 4, 5, 8, 10, 20, 25])
        num = rng.randint(1, den - 1)
        f = Fraction(num, den)
        pct = f * 100
        choice = rng.random()
        if choice < 0.5:
            shown, truth = pct, True
        elif choice < 0.75:
            shown, truth = f, f == f / 100  # "1/4 = 0.25%": the decimal with a % sign
        else:
            shown = _mutate(pct, rng)
            truth = shown == pct
        text = fmt_number(shown, rng) + rng.choice(["%", "%", " percent"])
        return Line([("L0", f"{num}/{den}"), ("R", rng.choice(["=", "is", "equals"])),
                     ("L1", text)], [truth], ["="], "fraction = percent")
    rel = rng.choice(["=", "is", "equals"])
    return Line([("L0", lhs), ("R", rel), ("L1", fmt_number(stated, rng))], [stated == v], ["="],
                "percent of")


def claim_chain(rng: random.Random) -> Line:
    node = expression(rng, False, rng.randint(1, 2))
    v = value(node)
    if not _terminating(v) or abs(v) > 10 ** 7:
        return claim_simple(rng)
    mode = rng.random()
    if mode < 0.5:  # running: A = v op k = w
        k = rng.randint(1, 20)
        op = rng.choice("+-*")
        kind = rng.random()
        shown = v if kind < 0.5 else _mutate(v, rng)
        carried = kind < 0.75  # later steps use the value shown
        base = shown if carried else v
        w = base + k if op == "+" else base - k if op == "-" else base * k
        if rng.random() < 0.2:
            w = _mutate(w, rng)
        mid = f"{fmt_number(shown, rng)} {rng.choice(_WORDS[op])} {k}"
        mid_value = shown + k if op == "+" else shown - k if op == "-" else shown * k
        return Line([("L0", render(node)), ("R", "="), ("L1", mid), ("R", "="),
                     ("L2", fmt_number(w, rng))],
                    [shown == v or mid_value == v, mid_value == w], ["=", "="], "running chain")
    # A = v = B, with B an equal (or not) expression
    shown = v if rng.random() < 0.6 else _mutate(v, rng)
    m = rng.randint(2, 5)
    b_num = v * m if rng.random() < 0.7 else _mutate(v * m, rng)
    if not _terminating(b_num):
        return claim_simple(rng)
    b_text = f"{fmt_number(b_num, rng)}/{m}" if rng.random() < 0.5 else f"{fmt_number(b_num, rng)} ÷ {m}"
    return Line([("L0", render(node)), ("R", "="), ("L1", fmt_number(shown, rng)), ("R", "="),
                 ("L2", b_text)], [shown == v, shown in (b_num / m, b_num)], ["=", "="],
                "equal chain")  # "1 = 1 ÷ 2" runs on from 1: a running computation


GENERATORS = ((claim_simple, 0.4), (claim_approx, 0.15), (claim_percent, 0.2), (claim_chain, 0.25))


# ------------------------------------------------------------------------ texts
@dataclass
class Case:
    text: str
    links: list[Link]
    lines: list[tuple[int, int, int, int]]  # per line: line start, claim start, claim end, line end
    line_defs: list[Line]
    distractors: list[str]


_DIGITS = re.compile(r"\d{2,}")


def make_case(rng: random.Random) -> Case:
    parts: list[str] = []
    pos = 0
    links: list[Link] = []
    lines = []
    defs = []
    distractors = []
    for n in range(rng.randint(2, 4)):
        if n:
            parts.append("\n")
            pos += 1
        line_start = pos
        if rng.random() < 0.2:
            filler = rng.choice(FILLER) + " "
            parts.append(filler)
            pos += len(filler)
        gen = rng.choices([g for g, _ in GENERATORS], [w for _, w in GENERATORS])[0]
        line = gen(rng)
        distractor = rng.choice(["none"] * 10 + ["paren", "dot-paren", "bang", "colon",
                                                 "brackets", "invisible", "nbsp"])
        distractors.append(distractor)
        prefix = rng.choice(PREFIXES)
        head = (prefix + " " if prefix else "") + ("(" if distractor in ("paren", "brackets") else "")
        if distractor == "brackets":
            head = head[:-1] + "["
        parts.append(head)
        pos += len(head)
        claim_start = pos
        spans: dict[str, tuple[int, int]] = {}
        space = "\u00a0" if distractor == "nbsp" else " "
        for k, (role, piece) in enumerate(line.pieces):
            if k:
                parts.append(space)
                pos += 1
            if distractor == "invisible" and role.startswith("L"):
                m = _DIGITS.search(piece)
                if m is not None:
                    cut = m.start() + 1
                    piece = piece[:cut] + rng.choice(INVISIBLE) + piece[cut:]
            parts.append(piece)
            if role.startswith("L"):
                spans[role] = (pos, pos + len(piece))
            pos += len(piece)
        claim_end = pos
        tail = {"paren": ")", "brackets": "]", "dot-paren": ".)", "bang": "!", "colon": ": noted."}.get(
            distractor, rng.choice(SUFFIXES))
        parts.append(tail)
        pos += len(tail)
        lines.append((line_start, claim_start, claim_end, pos))
        defs.append(line)
        for i, truth in enumerate(line.truths):
            links.append(Link(spans[f"L{i}"], spans[f"L{i + 1}"], truth, line.tag))
    return Case("".join(parts), links, lines, defs, distractors)


# ------------------------------------------------------------------------ independent parser
_TOKEN = re.compile(r"\s*(?:(?P<num>\$?(?:(?:\d{1,3}(?:,\d{3})+(?![\d,])|\d+)(?:\.\d+)?|\.\d+)"
                    r"(?:\s?%|\s?percent\b)?)"
                    r"|(?P<op>[-−+×*x·÷/]|plus|minus|times|divided by|of)"
                    r"|(?P<rel>=|≈|~|is about|is approximately|equals|is)|(?P<lp>\()|(?P<rp>\)))")


def _tokens(text: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos or not m.group(m.lastgroup):
            raise ValueError(f"cannot read {text[pos:]!r}")
        out.append((m.lastgroup, m.group(m.lastgroup)))
        pos = m.end()
    return out


_OPS = {"+": "+", "plus": "+", "-": "-", "−": "-", "minus": "-", "×": "*", "*": "*", "x": "*",
        "·": "*", "times": "*", "÷": "/", "/": "/", "divided by": "/", "of": "*"}


def _num(text: str) -> Fraction:
    pct = text.endswith(("%", "percent"))
    core = re.sub(r"\s?(?:%|percent)$", "", text)
    v = number_value(core)
    return v / 100 if pct else v


def _parse_claim(text: str) -> tuple[list[tuple[Fraction, Fraction | None]], list[str]]:
    """Each term's (value, leading value) and the relations ("=" or "≈"), by this file's own
    reading of the generated grammar. The leading value is what a running computation
    starts from (None for a plain number)."""
    toks = _tokens(text.replace("\u00a0", " "))
    terms: list[list[tuple[str, str]]] = [[]]
    rels: list[str] = []
    for kind, tok in toks:
        if kind == "rel":
            rels.append("=" if tok in ("=", "equals", "is") else "≈")
            terms.append([])
        else:
            terms[-1].append((kind, tok))
    out = []
    for term in terms:
        v, _ = _expr(term, 0)
        lead = None
        sign = 1
        if len(term) > 2 and term[0][0] == "op" and _OPS[term[0][1]] == "-":
            sign, term = -1, term[1:]
        if len(term) > 1 and term[0][0] == "num":
            lead = sign * _num(term[0][1])
            if len(term) > 3 and term[1] == ("op", "/") and term[2][0] == "num" \
                    and term[3][0] == "op" and _OPS[term[3][1]] in "+-":
                lead = None  # "2/3 + 1": the lead is ambiguous; not generated that way
        out.append((v, lead))
    return out, rels


def _expr(toks: list[tuple[str, str]], i: int) -> tuple[Fraction, int]:
    v, i = _term(toks, i)
    while i < len(toks) and toks[i][0] == "op" and _OPS[toks[i][1]] in "+-":
        op = _OPS[toks[i][1]]
        w, i = _term(toks, i + 1)
        v = v + w if op == "+" else v - w
    return v, i


def _term(toks: list[tuple[str, str]], i: int) -> tuple[Fraction, int]:
    v, i = _atom(toks, i)
    while i < len(toks) and toks[i][0] == "op" and _OPS[toks[i][1]] in "*/":
        op = _OPS[toks[i][1]]
        w, i = _atom(toks, i + 1)
        v = v * w if op == "*" else v / w
    return v, i


def _atom(toks: list[tuple[str, str]], i: int) -> tuple[Fraction, int]:
    kind, tok = toks[i]
    if kind == "op" and _OPS[tok] == "-":
        v, i = _atom(toks, i + 1)
        return -v, i
    if kind == "lp":
        v, i = _expr(toks, i + 1)
        return v, i + 1
    return _num(tok), i + 1


def _places(text: str) -> int:
    core = re.sub(r"\s?(?:%|percent)$", "", text.strip())
    return len(core.partition(".")[2])


def link_holds(left: tuple[Fraction, Fraction | None], right: tuple[Fraction, Fraction | None],
               rel: str, right_text: str) -> bool:
    lv, rv = left[0], right[0]
    if rel == "≈":
        return rv == _round(lv, _places(right_text))
    return rv == lv or right[1] == lv


# ------------------------------------------------------------------------ scoring
@dataclass
class Tally:
    texts: int = 0
    links: int = 0
    false_links: int = 0
    true_links: int = 0
    false_verified: Counter = field(default_factory=Counter)
    verified_with_unread_false: int = 0
    corrections: int = 0
    corrections_false: Counter = field(default_factory=Counter)
    true_refuted: Counter = field(default_factory=Counter)
    true_unverified: Counter = field(default_factory=Counter)
    true_unread: Counter = field(default_factory=Counter)
    false_caught: int = 0
    statuses: Counter = field(default_factory=Counter)
    cpu: float = 0.0
    examples: dict[str, list[str]] = field(default_factory=dict)

    def example(self, key: str, text: str, limit: int = 8) -> None:
        bucket = self.examples.setdefault(key, [])
        if len(bucket) < limit:
            bucket.append(text)


def _covering(claims, link: Link):
    (ls, le), (rs, re_) = link.left, link.right
    return [c for c in claims if c.span.start < le and ls < c.span.end
            and c.span.start < re_ and rs < c.span.end]


def _cause(claim) -> str:
    d = claim.detail
    if d.get("unread"):
        return "could not read"
    if d.get("percent_points"):
        return "percentage points"
    if "rounded_to" in d:
        return "rounded value with ="
    if d.get("propagated_from") is not None:
        return "follows from another link"
    if claim.explanation.startswith("As written"):
        return "link after a wrong link"
    return f"{claim.kind}: {claim.explanation[:40]}"


def score(case: Case, report, t: Tally) -> None:
    claims = report.claims
    unread_false = False
    for link in case.links:
        t.links += 1
        t.false_links += not link.truth
        t.true_links += link.truth
        over = _covering(claims, link)
        statuses = {c.status for c in over}
        if not link.truth:
            if over and statuses == {"verified"}:
                engine = "/".join(sorted({c.kind for c in over}))
                t.false_verified[engine] += 1
                t.example(f"false verified ({engine})", repr(case.text))
            elif not over:
                unread_false = True
            if "refuted" in statuses:
                t.false_caught += 1
        else:
            if not over:
                t.true_unread[link.tag] += 1
                t.example(f"true unread ({link.tag})", repr(case.text))
            elif "refuted" in statuses:
                c = next(c for c in over if c.status == "refuted")
                t.true_refuted[_cause(c)] += 1
                t.example(f"true refuted: {_cause(c)}", repr(case.text))
            elif "unverified" in statuses:
                c = next(c for c in over if c.status == "unverified")
                t.true_unverified[_cause(c)] += 1
    if report.status == "verified" and unread_false:
        t.verified_with_unread_false += 1
        t.example("verified with an unread false link", repr(case.text))
    _score_corrections(case, report, t)


def _score_corrections(case: Case, report, t: Tally) -> None:
    """Each line's claim as corrected must hold, link by link, wherever a correction fell."""
    fixes = [c for c in report.claims if c.status == "refuted" and c.correction is not None]
    if not fixes or report.corrected_text == report.text:
        return
    new_lines = report.corrected_text.split("\n")
    old_lines = report.text.split("\n")
    if len(new_lines) != len(old_lines):
        t.corrections += 1
        t.corrections_false["/".join(sorted({c.kind for c in fixes}))] += 1
        t.example("correction broke the text", repr(case.text))
        return
    for (line_start, cs, ce, line_end), line, old, new in zip(case.lines, case.line_defs, old_lines,
                                                              new_lines):
        if old == new:
            continue
        t.corrections += 1
        head, tail = old[:cs - line_start], old[ce - line_start:]
        ok = new.startswith(head) and new.endswith(tail)
        claim = new[len(head):len(new) - len(tail)] if ok else ""
        try:
            terms, rels = _parse_claim(_visible(claim)) if ok else ([], [])
            texts = re.split(r"\s*(?:=|≈|~|is about|is approximately|equals|\bis\b)\s*", _visible(claim))
            fixed_links = [i for i, c in enumerate(fixes) if line_start <= c.span.start < line_end]
            ok = ok and len(terms) == len(rels) + 1 and bool(fixed_links) and all(
                link_holds(terms[i], terms[i + 1], rels[i], texts[i + 1]) for i in range(len(rels))
                if _link_fixed(case, line_start, line_end, i, fixes))
        except (ValueError, ZeroDivisionError, IndexError):
            ok = False
        if not ok:
            engine = "/".join(sorted({c.kind for c in fixes
                                      if line_start <= c.span.start < line_end})) or "?"
            t.corrections_false[engine] += 1
            t.example(f"correction leaves the claim false ({engine})", f"{old!r} → {new!r}")


def _link_fixed(case: Case, line_start: int, line_end: int, i: int, fixes) -> bool:
    links = [ln for ln in case.links if line_start <= ln.left[0] < line_end]
    return i < len(links) and bool(_covering(fixes, links[i]))


def _visible(text: str) -> str:
    return "".join(ch for ch in text if ch not in INVISIBLE)


def self_check(case: Case) -> None:
    """The independent parser must agree with the tree on every generated claim."""
    for (line_start, cs, ce, _), line in zip(case.lines, case.line_defs):
        claim = _visible(case.text[cs:ce])
        terms, rels = _parse_claim(claim)
        texts = [p for role, p in line.pieces if role.startswith("L")]
        got = [link_holds(terms[i], terms[i + 1], rels[i], _visible(texts[i + 1]))
               for i in range(len(rels))]
        if got != line.truths:
            raise AssertionError(f"oracle disagreement on {claim!r}: parser {got}, tree {line.truths}")


# ------------------------------------------------------------------------ run
RESTRICTED_TEXTS = 20_000


def run(limit: int = DEFAULT_TEXTS, seed: int = 11, restricted: int = 0) -> tuple[Tally, Tally]:
    """The default path on ``limit`` texts, and the arithmetic engine alone
    (``engines=("arithmetic",)``) on the first ``restricted`` of them: an extra row."""
    rng = random.Random(seed)
    t, alone = Tally(), Tally()
    check("1 + 1 = 2")  # warm-up: imports, compiled patterns
    for k in range(limit):
        case = make_case(rng)
        self_check(case)
        for tally, kwargs in ((t, {}), (alone, {"engines": ("arithmetic",)})):
            if tally is alone and k >= restricted:
                continue
            started = time.process_time()
            report = check(case.text, **kwargs)
            tally.cpu += time.process_time() - started
            tally.texts += 1
            tally.statuses[report.status] += 1
            score(case, report, tally)
    return t, alone


def rows(limit: int = DEFAULT_TEXTS, seed: int = 11, tally: Tally | None = None) -> list[tuple[str, str, str]]:
    """(measure, value, target) rows of the fuzz table, for this script and soundness.py."""
    t = tally or run(limit, seed)[0]
    fv = sum(t.false_verified.values())
    return [
        ("texts (claim links)", f"{t.texts:,} ({t.links:,}: {t.false_links:,} false, {t.true_links:,} true)", ""),
        ("false links verified", f"{fv}" + (f" ({dict(t.false_verified)})" if fv else ""), "0"),
        ("verified reports holding an unread false link", f"{t.verified_with_unread_false}", "0"),
        ("corrections leaving the claim false", f"{sum(t.corrections_false.values())} of {t.corrections:,}"
         + (f" ({dict(t.corrections_false)})" if t.corrections_false else ""), "0"),
        ("false links refuted", f"{t.false_caught:,} of {t.false_links:,} ({100 * t.false_caught / max(t.false_links, 1):.1f}%)", ""),
        ("true links refuted", f"{sum(t.true_refuted.values()):,}", ""),
        ("true links unverified", f"{sum(t.true_unverified.values()):,}", ""),
        ("true links not read", f"{sum(t.true_unread.values()):,}", ""),
        ("report statuses", ", ".join(f"{k} {v:,}" for k, v in sorted(t.statuses.items())), ""),
        ("texts/s (CPU, one core)", f"{t.texts / max(t.cpu, 1e-9):,.0f}", ""),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=DEFAULT_TEXTS, help="texts to generate")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--show", type=int, default=3, help="examples printed per failure kind")
    ap.add_argument("--restricted", type=int, default=RESTRICTED_TEXTS,
                    help="texts also checked with the arithmetic engine alone (extra column)")
    args = ap.parse_args(argv)
    wall = time.perf_counter()
    t, alone = run(args.limit, args.seed, min(args.restricted, args.limit))
    print(f"\n### Prose-arithmetic fuzz (seed {args.seed}; independent Fraction oracle)\n")
    print(f"| measure | check(text), defaults | engines=(\"arithmetic\",), first {alone.texts:,} texts | target |")
    print("|---|---|---|---|")
    for (measure, val, target), (_, val_alone, _) in zip(rows(tally=t), rows(tally=alone)):
        print(f"| {measure} | {val} | {val_alone} | {target} |")
    for title, counter in (("True links refuted, by cause", t.true_refuted),
                           ("True links unverified, by cause", t.true_unverified),
                           ("True links not read, by form", t.true_unread)):
        if counter:
            print(f"\n{title}:\n")
            for cause, n in counter.most_common(12):
                print(f"- {cause}: {n:,}")
    if args.show:
        for key, items in sorted(t.examples.items()):
            print(f"\n#### {key}\n")
            for item in items[:args.show]:
                print(f"- {item}")
    print(f"\n({time.perf_counter() - wall:.1f} s wall clock)")
    bad = sum(t.false_verified.values()) + t.verified_with_unread_false + sum(t.corrections_false.values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
