"""Reading a worked solution into statements: chains ``side op side op …`` in LaTeX or plain
text, each side parsed as the text means it, with the spans a claim and its correction need.
Also the claim type every finder emits, :class:`MathClaim`."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

import sympy

from .answers import math_segments
from .latex import MathParseError, parse_expression, strip_wrappers
from .values import IntervalValue, SeqValue


MAX_STATEMENTS = 400
MAX_STATEMENT_CHARS = 600


@dataclass(frozen=True)
class Side:
    text: str
    start: int  # offsets into the whole answer
    end: int
    value: Any = None  # parsed (SymPy or structural); None when unreadable


@dataclass(frozen=True)
class Statement:
    """One chain ``side op side op side ...`` found in the text."""

    sides: tuple[Side, ...]
    ops: tuple[str, ...]
    source: str  # "latex" | "plain"
    context: str  # the sentence around it (for cues)
    #: the first side is the end of the previous display (this one opened with "=")
    continued: bool = False


HYPOTHETICAL_CUES = re.compile(r"\b(if|suppose|assum\w*|cases?|let|try\w*|test\w*|check\w*|plug\w*|"
                               r"substitut\w*|consider|for example|e\.g|where|for)\b", re.I)


_NOT_A_CASE = re.compile(r"\b(?:solv\w*|isolat\w*)\s+for\b|\bfor\s+(?:all|every|each)\b", re.I)


def hypothetical(context: str) -> bool:
    """Words that make a relation a case being tried, not a step ("solve for x" is a step)."""
    return HYPOTHETICAL_CUES.search(_NOT_A_CASE.sub(" ", context)) is not None


@dataclass(frozen=True)
class MathClaim:
    """A found claim: ``type`` decides how the engine checks it."""

    type: str  # a key of :data:`.decide.RULES` ("identity", "equation-step", "number-fact", …)
    text: str
    start: int
    end: int
    lhs: Any = None
    rhs: Any = None
    rhs_span: tuple[int, int] | None = None
    var: Any = None
    extra: dict = field(default_factory=dict)


# ---- splitting text into statements -----------------------------------------------------
REL_RE = re.compile(r"\\(?:leq?|geq?|neq?|ne|approx|equiv)(?![A-Za-z])|<=|>=|!=|≠|≤|≥|≈|=|<|>")
_SEP_RE = re.compile(r"\\(?:implies|Rightarrow|Longrightarrow|rightarrow(?=\s*\\text)|iff|Leftrightarrow|"
                     r"quad|qquad|therefore|because|text\s*\{(?!\s*of\s*\})[^{}]*[A-Za-z]{2,}[^{}]*\}|"
                     r"mbox\s*\{[^{}]*\}|hspace\s*\{[^{}]*\})|;|\\\\|(?<!\\),(?!\d{3}(?!\d)|\\!\s*\d{3}(?!\d))")


_OP_NAMES = {"\\le": "<=", "\\leq": "<=", "\\ge": ">=", "\\geq": ">=", "\\ne": "!=", "\\neq": "!=",
             "\\approx": "approx", "\\equiv": "equiv", "<=": "<=", ">=": ">=", "!=": "!=", "≠": "!=",
             "≤": "<=", "≥": ">=", "≈": "approx", "=": "=", "<": "<", ">": ">"}


def top_level(text: str, pattern: re.Pattern) -> list[re.Match]:
    """Matches of ``pattern`` at bracket depth 0 (not inside ``{}``, ``()``, ``[]``)."""
    depth_at = [0] * (len(text) + 1)
    depth = 0
    for i, c in enumerate(text):
        depth_at[i] = depth
        if c in "{([" and (i == 0 or text[i - 1] != "\\" or c == "{"):
            depth += 1
        elif c in "})]" and depth > 0:
            depth -= 1
    # \left( ... \right] style intervals are bracketed too; \{ \} are set braces
    return [m for m in pattern.finditer(text) if depth_at[m.start()] == 0]


def _split_statements(text: str, base: int) -> Iterator[tuple[str, int]]:
    """Pieces of a math segment separated by ``\\implies``, ``\\quad``, ``,``, ``\\\\``, text…"""
    pos = 0
    for m in top_level(text, _SEP_RE):
        yield text[pos:m.start()], base + pos
        pos = m.end()
    yield text[pos:], base + pos


def _chain(piece: str, start: int, source: str, context: str, head: Side | None = None) -> Statement | None:
    """Split one piece at its top-level relation operators; ``head`` stands in for an empty
    first side (a display ``\\[ = 576 \\times 11111 \\]`` continuing the one before it)."""
    ops = top_level(piece, REL_RE)
    if not ops:
        return None
    sides: list[Side] = []
    names: list[str] = []
    pos = 0
    for m in ops + [None]:
        end = m.start() if m is not None else len(piece)
        raw = piece[pos:end]
        lead = len(raw) - len(raw.lstrip())
        stripped = raw.strip().replace("&", " ").strip()
        if not stripped and head is not None and not sides:
            sides.append(head)
            names.append(_OP_NAMES.get(m.group(0).replace(" ", ""), m.group(0)))
            pos = m.end()
            continue
        if not stripped:
            return None
        sides.append(Side(stripped, start + pos + lead, start + pos + lead + len(raw.strip())))
        if m is not None:
            names.append(_OP_NAMES.get(m.group(0).replace(" ", ""), m.group(0)))
            pos = m.end()
    return Statement(tuple(sides), tuple(names), source, context, continued=head is not None and sides[0] is head)


PLAIN_RUN = re.compile(
    r"(?:(?<![A-Za-z])(?:d/d[a-z]|sqrt|sin|cos|tan|ln|log|exp|lim)(?![A-Za-z])"
    r"|\d{1,3}(?:,\d{3})+(?![\d,]\d)(?:\.\d+)?|\d+(?:\.\d+)?|(?<![A-Za-z'])[A-Za-z](?![A-Za-z])|(?<![A-Za-z])d[a-z](?=\s*=)"
    r"|[=+\-*/^()\[\]{}_²³√π·×÷−–<>≤≥≈!'∫→]|[ \t])+")


#: a number that names a part ("section 2", "day 3", "step 1") is a label, not an operand
_LABEL_BEFORE = re.compile(
    r"\b(?:sections?|days?|weeks?|months?|years?|pages?|steps?|parts?|chapters?|rows?|columns?|boxes|box|"
    r"groups?|levels?|rooms?|rounds?|questions?|problems?|stages?|phases?|floors?|grades?|teams?|classe?s?|"
    r"lanes?|gates?|items?|options?|games?|quarters?|periods?|shelf|shelves|buildings?|houses?|tanks?|"
    r"trucks?|buses|bus|cars?|plots?|fields?|zones?|blocks?|lots?|stations?|stops?|tables?|bags?|jars?|"
    r"bins?|baskets?|packs?|batch(?:es)?|trips?|tests?|exams?|quizz?e?s?|lessons?|units?|sets?|"
    r"no\.|number|#)\s*$", re.I)


#: "= approximately 40.71" in prose is an approximation claim
_APPROX_WORDS = re.compile(r"=\s*approximately\b|\bapproximately\s+equal\s+to\b", re.I)


def plain_runs(text: str, masked: list[tuple[int, int]]) -> Iterator[tuple[str, int]]:
    """Plain-text math (``(x+1)^2 = x^2 + 2x + 1``) outside LaTeX segments."""
    chars = list(text)
    for s, e in masked:
        for k in range(max(0, s - 2), min(len(chars), e + 2)):
            chars[k] = "\0"
    flat = _APPROX_WORDS.sub(lambda m: "≈" + " " * (len(m.group(0)) - 1), "".join(chars))
    for m in PLAIN_RUN.finditer(flat):
        run = m.group(0)
        if not re.search(r"[=<>≤≥≈]", run) or not (re.search(r"[A-Za-z]", run) or "≈" in run):
            continue
        if re.match(r"[A-Za-z]+\s*[-+*/^×÷]", flat[m.end():]):
            continue  # "6W / 6 = 30 feet / 6": a unit word cuts the expression short
        body = run.lstrip(" \t=")  # "V_PJ = π(1.5)²(6) ≈ 40.71": the name is cut off, the chain is not
        at = m.start() + len(run) - len(body)
        label = re.match(r"\d[\d,.]*\s*[=<>≤≥≈]", body)
        if label and _LABEL_BEFORE.search(flat[max(0, at - 24):at]):
            body = body[label.end():].lstrip(" \t=")  # "section 2 = x + 200": 2 names the section
        yield body.rstrip(), m.start() + len(run) - len(body)


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around ``text[start:end]``; a display on its own line keeps the line
    that introduces it ("Now, factor \\(x^3 - 1\\):")."""
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    if left >= 0 and text[left] == "\n" and text[:left].rstrip().endswith(":"):
        intro = text[:left].rstrip()
        left = max(intro.rfind(". "), intro.rfind("\n"))
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min(right_candidates) if right_candidates else len(text)
    return text[left + 1:right]


def statements(text: str) -> list[Statement]:
    """Every relation chain in the text, LaTeX segments first, in text order."""
    out: list[Statement] = []
    # "$60 = 12W + 12A\n$60 = 48A" in prose: dollar amounts, not a $…$ formula across lines
    segs = [(s, e) for s, e in math_segments(text) if not in_dollars(text, s, e)]
    for s, e in _bare_environments(text, segs):
        segs.append((s, e))
    tail: tuple[Side, int] | None = None  # the last expression of the previous segment, its end
    bare_tail = False  # that segment was one expression with no relation
    for s, e in sorted(segs):
        seg = text[s:e]
        if len(seg) > 20 * MAX_STATEMENT_CHARS:
            tail = None
            continue
        ctx = _sentence(text, s, e)
        pieces = list(_split_statements(_flatten_env(seg), s))
        bare = len(pieces) == 1 and not top_level(pieces[0][0], REL_RE)
        if bare and bare_tail and tail is not None and _rewritten(text, tail[0].start, tail[1], s):
            st = _rewriting(tail[0], pieces[0], ctx)
            if st is not None:
                out.append(st)
        for n, (piece, at) in enumerate(pieces):
            if len(piece) <= MAX_STATEMENT_CHARS:
                head = tail[0] if n == 0 and tail is not None and _continues(text, tail[1], at, piece) else None
                st = _chain(piece, at, "latex", ctx, head)
                if st:
                    out.append(st)
        tail = _last_side(pieces, e)
        bare_tail = bare
    for run, at in plain_runs(text, segs):
        for piece, pat in _split_statements(run, at):
            st = _chain(piece, pat, "plain", _sentence(text, at, at + len(run)))
            if st:
                out.append(st)
    out.sort(key=lambda st: st.sides[0].start)
    return out[:MAX_STATEMENTS]


_PROSE = re.compile(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")


def in_dollars(text: str, s: int, e: int) -> bool:
    """A ``$…$`` span that is prose between two dollar amounts ("$450, is the sum of … or
    $"), not a formula: it runs across lines or holds plain words outside ``\\text{}``."""
    if text[s - 1:s] != "$" or text[s - 2:s] == "$$":
        return False
    inner = re.sub(r"\\(?:text|mbox|mathrm|textbf)\s*\{[^{}]*\}|\\[A-Za-z]+", " ", text[s:e])
    return "\n" in text[s:e] or _PROSE.search(inner) is not None


MAX_CONTINUATION_GAP = 160  # text between a display and the next one starting with "="
MAX_CONTINUATION_WORDS = 8  # "This sum is:", "which simplifies to": more words speak of something else


def _continues(text: str, prev_end: int, at: int, piece: str) -> bool:
    """A segment that opens with ``=`` right after another one continues its chain."""
    if not re.match(r"\s*&?\s*=(?!=)", piece):
        return False
    gap = text[prev_end:at]
    if re.search(r"[A-Za-z]{2,}\s*(?:\$|\\\()\s*$", gap):
        return False  # "Width $= \\frac{1}{3} \\div \\frac{3}{5}$": the word is the left side
    gap = re.sub(r"\\[\[\]()]|\$", " ", gap)
    return len(gap.strip()) <= MAX_CONTINUATION_GAP and not hypothetical(gap) \
        and len(re.findall(r"[A-Za-z]{2,}", gap)) <= MAX_CONTINUATION_WORDS


#: the only words between two displayed expressions that make the second a rewriting of
#: the first ("\\[E_1\\] Now, combine like terms: \\[E_2\\]"); anything else (a substitution,
#: "the denominator is") may name another expression
LINKING_WORDS = r"[\s.,]*(?:(?:now|then|thus|so|hence|therefore|next|this|which|further|finally|and|we|it|let's|" \
                 r"can|be|first|after|that)\b[\s,']*)*"


SIMPLIFY = r"simplif(?:y|ies|ying)"
#: ("becomes" is no cue: "squaring both sides, \\[\\sqrt{x+1}\\] becomes \\[x+1\\]" is an operation)
_REWRITE_GAP = re.compile(
    LINKING_WORDS + r"(?:" + SIMPLIFY + r"(?:\s+(?:further|this|it))?(?:\s+to)?|combin(?:e|ing)\s+like\s+terms|"
    r"collect(?:ing)?\s+like\s+terms|(?:re)?writ(?:e|ten)\s+(?:it\s+|this\s+)?as)[\s,]*:?\s*", re.I)


#: an operation applied to an expression: what follows is no rewriting of it
_OPERATION_WORDS = re.compile(
    r"\b(?:squar\w*|cub(?:e|ing)|tak(?:e|ing)|differentiat\w*|integrat\w*|substitut\w*|multipl\w*(?!\s+out)|divid\w*|"
    r"plug\w*|rais\w*|exponentiat\w*|appl(?:y|ying)|add(?:ing)?|subtract\w*|invert\w*|reciprocal|"
    r"both\s+sides|(?:left|right)(?:[\s-]+hand)?\s+side|when|if|at|replac\w*|set\w*|solv\w*)\b", re.I)


def _rewritten(text: str, prev_start: int, prev_end: int, at: int) -> bool:
    """The text between the end of one displayed expression and the next one only says
    the next one rewrites it, and the sentence leading to the first names no operation on
    it ("Squaring both sides, …")."""
    gap = re.sub(r"\\[\[\]()]|\$", " ", text[prev_end:at])
    lead = text[:prev_start].rstrip(" \t\n$\\([")
    opening = re.split(r"(?<=[.!?])\s", lead[lead.rfind("\n") + 1:])[-1]  # its own line, its last sentence
    return len(gap) <= MAX_CONTINUATION_GAP and _REWRITE_GAP.fullmatch(gap) is not None \
        and _OPERATION_WORDS.search(opening) is None


def _rewriting(head: Side, piece: tuple[str, int], ctx: str) -> Statement | None:
    """``head = piece``: a displayed expression written as the rewriting of the one before."""
    raw, at = piece
    text = raw.strip().rstrip(".,;:").strip().replace("&", " ").strip()
    if not text or len(text) > MAX_STATEMENT_CHARS or len(head.text) > MAX_STATEMENT_CHARS:
        return None
    start = at + len(raw) - len(raw.lstrip())
    return Statement((head, Side(text, start, start + len(text))), ("=",), "latex", ctx, continued=True)


def _last_side(pieces: list[tuple[str, int]], seg_end: int) -> tuple[Side, int] | None:
    """The expression a segment ends with (after its last relation), for a continuation."""
    for piece, at in reversed(pieces):
        if not piece.strip():
            continue
        ops = top_level(piece, REL_RE)
        pos = ops[-1].end() if ops else 0
        raw = piece[pos:]
        text = raw.strip().rstrip(".,;:").strip().replace("&", " ").strip()
        if not text or len(text) > MAX_STATEMENT_CHARS:
            return None
        start = at + pos + len(raw) - len(raw.lstrip())
        return Side(text, start, start + len(text)), seg_end
    return None


_ENV = re.compile(r"\\begin\{(align\*?|aligned|eqnarray\*?|gather\*?|equation\*?|split)\}(.*?)\\end\{\1\}", re.S)


def _bare_environments(text: str, segs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for m in _ENV.finditer(text):
        if not any(s <= m.start() < e for s, e in segs):
            out.append((m.start(2), m.end(2)))
    return out


def _flatten_env(seg: str) -> str:
    """Keep offsets: blank out ``\\begin{align}``/``\\end{…}`` and alignment ``&``, and join a
    row that starts with a relation (``&= …``) to the row before it."""
    def blank(m: re.Match) -> str:
        return " " * len(m.group(0))
    seg = re.sub(r"\\(?:begin|end)\{(?:align|aligned|eqnarray|gather|equation|split)\*?\}", blank, seg)
    seg = seg.replace("&", " ")
    return re.sub(r"\\\\(?=\s*(?:=|<|>|\\(?:leq?|geq?|approx)(?![A-Za-z])))", lambda m: " " * len(m.group(0)), seg)


# ---- parsing sides ---------------------------------------------------------------------
_PLAIN_FIXES = [(re.compile(r"(?<![A-Za-z\\])d/d([a-z])\s*"), r"\\frac{d}{d\1}")]


def parse_side(text: str, functions: frozenset[str], function_letters: frozenset[str] = frozenset()) -> Any:
    """A side's SymPy value, or None when it is not readable math."""
    s = text
    if _INVERSE.search(s):
        return None  # f^{-1}(x): the inverse function, not a power of f times x
    for pat, rep in _PLAIN_FIXES:
        s = pat.sub(rep, s)
    try:
        value = parse_expression(s, functions=functions, function_letters=function_letters)
    except (MathParseError, TypeError, ValueError, ZeroDivisionError, RecursionError, AttributeError):
        return None
    if isinstance(value, sympy.Expr) and value.has(sympy.E) and _BARE_E.search(re.sub(r"\\[A-Za-z]+", " ", s)):
        return None  # "d + e = 25": e is a letter here, not Euler's number (e^{x} is)
    if _VECTORS.search(s):
        return None  # \mathbf{a} \times \mathbf{b}: vector algebra, not products of numbers
    if _UNIT_POWER.search(s):
        return None  # (10 \text{ cm}^2)(4 \text{ cm}): units with powers or ratios
    if _NESTED_DEGREES.search(s):
        return None  # (90^\circ - 2^k)^\circ: degrees marked inside and outside, read twice
    if isinstance(value, sympy.Expr) or isinstance(value, (SeqValue, IntervalValue)):
        return value
    return None


_INVERSE = re.compile(r"(?<![A-Za-z\\])[A-Za-z]\s*\^\s*\{?\s*-\s*1\s*\}?\s*(?:\\left\s*)?\(|"
                      r"\\[a-z]+\s*\^\s*\{?\s*-\s*1\s*\}?\s*\(")  # \\tan^{-1}(-1): which branch is meant is unsaid


_NESTED_DEGREES = re.compile(r"\\circ[^()]*\)\s*\^\s*\{?\s*\\circ")
_BARE_E = re.compile(r"(?<![A-Za-z])e(?![A-Za-z^])")
_VECTORS = re.compile(r"\\(?:mathbf|vec|overrightarrow|boldsymbol|bm)\b")
_UNIT_POWER = re.compile(r"\\(?:text|mbox|mathrm)\s*\{\s*[A-Za-z][^{}]*\}\s*(?:\^|/)|/\s*\\(?:text|mbox|mathrm)\s*\{")


def constant_symbols(e: Any) -> set:
    return {s for s in getattr(e, "free_symbols", set()) if s.name in ("C", "K", "c_1", "C_1")}


_ORDER_OPS = {">": sympy.StrictGreaterThan, "<": sympy.StrictLessThan, ">=": sympy.GreaterThan, "<=": sympy.LessThan}


def read_inequality(bit: str) -> Any:
    """One inequality ``a < b`` (strict or not) as a SymPy relation; None for anything else."""
    inner = strip_wrappers(bit.strip()[1:-1] if bit.startswith("$") else bit[2:-2]).strip().rstrip(".,")
    ops = list(top_level(inner, REL_RE))
    if len(ops) != 1:
        return None
    op = _OP_NAMES.get(ops[0].group(0), ops[0].group(0))
    if op not in _ORDER_OPS:
        return None
    lhs, rhs = (parse_side(t, frozenset()) for t in (inner[:ops[0].start()], inner[ops[0].end():]))
    if not (isinstance(lhs, sympy.Expr) and isinstance(rhs, sympy.Expr)):
        return None
    return _ORDER_OPS[op](lhs, rhs, evaluate=False)
