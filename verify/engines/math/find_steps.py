"""Finding symbolic math claims in a worked solution (deterministic, no model).

What counts as a claim here (purely numeric equalities in plain text are left to the
arithmetic engine):

- calculus, in symbols or in words: ``d/dx x^3 = 3x^2``, ``\\int 2x\\,dx = x^2 + C``,
  "the integral of x² is x³/3 + C", "the derivative of … is …", ``\\lim_{x\\to 0} … = 1``;
- evaluations of a function defined earlier (in the answer or the question):
  ``f(x) = x^2 + 3`` … ``f(2) = 7`` (never a piece of a function defined by cases, nor a
  formula for a function the question describes in words);
- algebraic identities written as rewriting: chains ``A = B = C`` whose sides hold variables,
  an equation next to "expand", "factor", "simplify", …, a factorization
  (``x^3 - 4x^2 - 7x + 6 = (x-1)(x^2 - 3x - 6)``), terms cancelling
  (``x^2 - 2x^2 + x^2 + 25 = x^2``), a display opening with ``=`` that continues the one
  before it, a displayed expression announced as the rewriting of the one before ("combine
  like terms:", "this simplifies to:"), an identity recalled in passing
  (``\\sin^2 x + \\cos^2 x = 1``), chains of logs, roots or trigonometric functions of the
  same unknowns;
- equation steps: an equation in one unknown followed by the next one (``2x + 3 = 7``
  → ``2x = 4`` → ``x = 2``, also ``x = \\frac{24}{15} = \\frac85``), stated roots ("the roots
  are x = 2 and x = 3"), inequality steps, steps in several unknowns after ``\\implies``;
- numbers: LaTeX numeric links (``\\binom{8}{4} = 70``, ``195 \\bmod 19 = 5``), ``A \\neq B``,
  approximations (``\\frac{100}{11} \\approx 9.0909``, "= approximately 40.71"), congruences
  (``13^{-1} \\equiv 15 \\pmod{19}``), a value given for a division by zero;
- what the question states (:mod:`.math_facts`): an equation in the unknowns the question
  pins down (also when it pins some unknowns and not others, logs of one unknown read as
  unknowns), checked against its equations, its identities in ``x`` read coefficient by
  coefficient, and Vieta's relations for roots it names; results against the expression
  the question asks to simplify or compute; the equation given for line AB against the
  coordinates the question gives A and B;
- facts about whole numbers in words (:mod:`.math_words`): GCD/LCM, remainders, primes,
  divisibility, bases, rounding, lists, extremes ("the smallest power of 4 larger than 8");
- an implication between inequalities, "A, this means either B or C": refuted by a
  counterexample among small positive integers (also when A is a case being tried);
- a named term of the expression the question asks to simplify or compute ("the second part
  becomes −16a² − 32a"): it must be that term as written, with or without its sign;
- "Let θ be the argument of Z", then "θ = V" (an exact number): V ≡ arg Z modulo 2π;
- "let d be the ones digit of n", then "the ones digit of E(n) is F(d)" with E an integer
  polynomial (its ones digit depends on d alone): tried on every digit under the "if"
  conditions on d in the same sentence (an unread condition, or n given a value, leaves it).

Each claim keeps the character span it came from and the span of its right-hand side, so a
refuted claim can be corrected in place. Relations that are cases being tried ("if",
"testing x = 1"), negated, or named as the object of a phrase ("multiplying by …") are not
claims. Every claim carries its :func:`stance` — a contradiction the text reaches on purpose,
a supposition, one of alternatives — and the engine refutes only what the text asserts
unconditionally (issue 11). Names written as functions (``d(n)``, ``N_A(t)``, ``\\phi(n)``)
are applied, never multiplied; a letter the text introduces ("let u = …") leaves the
question's equations behind.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterator

import sympy

from .answers import math_segments
from verify.limits import TimeLimitExceeded, call_with_limit
from .answers import extract_final_answer
from .find_facts import Given, question_target, read_given
from .find_words import Needs, number_facts, question_facts
from .latex import MathParseError, parse_expression, strip_wrappers
from .values import IntervalValue, SeqValue

MAX_STATEMENTS = 400
MAX_STATEMENT_CHARS = 600
#: time for a numeric probe while finding claims (deciding them has the engine's budget)
FINDER_SECONDS = 0.25

#: words that mark an equality as a rewriting (an identity) rather than an equation to solve
IDENTITY_CUES = re.compile(
    r"\b(expand\w*|factor\w*|simplif\w*|distribut\w*|rewrit\w*|multiply(?:ing)? out|foil|"
    r"identity|equivalent(?:ly)?|combin\w* like terms|can be written|written as|same as)\b", re.I)
HYPOTHETICAL_CUES = re.compile(r"\b(if|suppose|assum\w*|cases?|let|try\w*|test\w*|check\w*|plug\w*|"
                               r"substitut\w*|consider|for example|e\.g|where|for)\b", re.I)
_NOT_A_CASE = re.compile(r"\b(?:solv\w*|isolat\w*)\s+for\b|\bfor\s+(?:all|every|each)\b", re.I)


def _hypothetical(context: str) -> bool:
    """Words that make a relation a case being tried, not a step ("solve for x" is a step)."""
    return HYPOTHETICAL_CUES.search(_NOT_A_CASE.sub(" ", context)) is not None


SOLVE_CUES = re.compile(r"\b(solv\w*|equation|set\w* (?:it |this )?equal|intersect\w*|when|both\s+sides|"
                        r"(?:left|right)(?:[\s-]+hand)?\s+side)\b", re.I)
ROOT_CUES = re.compile(r"\b(roots?|solutions?|zeros?|solve[sd]?|gives?|yields?|get|so|thus|hence|"
                       r"therefore|then)\b", re.I)


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


@dataclass(frozen=True)
class MathClaim:
    """A found claim: ``type`` decides how the engine checks it."""

    type: str  # identity | calculus | evaluation | equation-step | roots | integral | derivative | limit
    text: str
    start: int
    end: int
    lhs: Any = None
    rhs: Any = None
    rhs_span: tuple[int, int] | None = None
    var: Any = None
    extra: dict = field(default_factory=dict)


# ---- splitting text into statements -----------------------------------------------------
_REL_RE = re.compile(r"\\(?:leq?|geq?|neq?|ne|approx|equiv)(?![A-Za-z])|<=|>=|!=|≠|≤|≥|≈|=|<|>")
_SEP_RE = re.compile(r"\\(?:implies|Rightarrow|Longrightarrow|rightarrow(?=\s*\\text)|iff|Leftrightarrow|"
                     r"quad|qquad|therefore|because|text\s*\{(?!\s*of\s*\})[^{}]*[A-Za-z]{2,}[^{}]*\}|"
                     r"mbox\s*\{[^{}]*\}|hspace\s*\{[^{}]*\})|;|\\\\|(?<!\\),(?!\d{3}(?!\d)|\\!\s*\d{3}(?!\d))")
_OP_NAMES = {"\\le": "<=", "\\leq": "<=", "\\ge": ">=", "\\geq": ">=", "\\ne": "!=", "\\neq": "!=",
             "\\approx": "approx", "\\equiv": "equiv", "<=": "<=", ">=": ">=", "!=": "!=", "≠": "!=",
             "≤": "<=", "≥": ">=", "≈": "approx", "=": "=", "<": "<", ">": ">"}


def _top_level(text: str, pattern: re.Pattern) -> list[re.Match]:
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
    for m in _top_level(text, _SEP_RE):
        yield text[pos:m.start()], base + pos
        pos = m.end()
    yield text[pos:], base + pos


def _chain(piece: str, start: int, source: str, context: str, head: Side | None = None) -> Statement | None:
    """Split one piece at its top-level relation operators; ``head`` stands in for an empty
    first side (a display ``\\[ = 576 \\times 11111 \\]`` continuing the one before it)."""
    ops = _top_level(piece, _REL_RE)
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


_PLAIN_RUN = re.compile(
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


def _plain_runs(text: str, masked: list[tuple[int, int]]) -> Iterator[tuple[str, int]]:
    """Plain-text math (``(x+1)^2 = x^2 + 2x + 1``) outside LaTeX segments."""
    chars = list(text)
    for s, e in masked:
        for k in range(max(0, s - 2), min(len(chars), e + 2)):
            chars[k] = "\0"
    flat = _APPROX_WORDS.sub(lambda m: "≈" + " " * (len(m.group(0)) - 1), "".join(chars))
    for m in _PLAIN_RUN.finditer(flat):
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
    segs = [(s, e) for s, e in math_segments(text) if not _dollars(text, s, e)]
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
        bare = len(pieces) == 1 and not _top_level(pieces[0][0], _REL_RE)
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
    for run, at in _plain_runs(text, segs):
        for piece, pat in _split_statements(run, at):
            st = _chain(piece, pat, "plain", _sentence(text, at, at + len(run)))
            if st:
                out.append(st)
    out.sort(key=lambda st: st.sides[0].start)
    return out[:MAX_STATEMENTS]


_PROSE = re.compile(r"\b[A-Za-z]{2,}\s+[A-Za-z]{2,}\b")


def _dollars(text: str, s: int, e: int) -> bool:
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
    return len(gap.strip()) <= MAX_CONTINUATION_GAP and not _hypothetical(gap) \
        and len(re.findall(r"[A-Za-z]{2,}", gap)) <= MAX_CONTINUATION_WORDS


#: the only words between two displayed expressions that make the second a rewriting of
#: the first ("\\[E_1\\] Now, combine like terms: \\[E_2\\]"); anything else (a substitution,
#: "the denominator is") may name another expression
_LINKING_WORDS = r"[\s.,]*(?:(?:now|then|thus|so|hence|therefore|next|this|which|further|finally|and|we|it|let's|" \
                 r"can|be|first|after|that)\b[\s,']*)*"
_SIMPLIFY = r"simplif(?:y|ies|ying)"
#: ("becomes" is no cue: "squaring both sides, \\[\\sqrt{x+1}\\] becomes \\[x+1\\]" is an operation)
_REWRITE_GAP = re.compile(
    _LINKING_WORDS + r"(?:" + _SIMPLIFY + r"(?:\s+(?:further|this|it))?(?:\s+to)?|combin(?:e|ing)\s+like\s+terms|"
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
        ops = _top_level(piece, _REL_RE)
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
_DEF_LHS = re.compile(r"^([A-Za-z])\s*\(\s*([a-z])\s*\)$")


def _constant_symbols(e: Any) -> set:
    return {s for s in getattr(e, "free_symbols", set()) if s.name in ("C", "K", "c_1", "C_1")}


# ---- natural-language calculus -----------------------------------------------------------
_END = r"(?=\s*(?:[.;,](?:\s|$)|$|\n|\s+(?:and|but|since|because|so|which|as|for|by)\b))"
_EXPR = r"(?:\$[^$]+\$|\\\(.+?\\\)|[^.;,\n]+?)"
NL_PATTERNS = [
    ("integral", Needs("integral|antiderivative|anti-derivative|primitive", re.compile(
        r"(?:the\s+)?(?:indefinite\s+)?(?:integral|antiderivative|anti-derivative|primitive)\s+of\s+"
        r"(?P<f>" + _EXPR + r")\s+(?:with respect to\s+(?P<var>[a-z])\s+|d(?P<var2>[a-z])\s+)?"
        r"(?:is|equals|=|gives)\s+(?P<F>" + _EXPR + r")" + _END, re.I), re.I)),
    ("derivative", Needs("derivative", re.compile(
        r"(?:the\s+)?(?:first\s+)?derivative\s+of\s+(?P<f>" + _EXPR + r")\s+"
        r"(?:with respect to\s+(?P<var>[a-z])\s+)?(?:is|equals|=)\s+(?P<F>" + _EXPR + r")" + _END, re.I),
        re.I)),
    ("limit", Needs("limit", re.compile(
        r"(?:the\s+)?limit\s+of\s+(?P<f>" + _EXPR + r")\s+as\s+(?P<var>[a-z])\s+(?:approaches|goes to|"
        r"tends to|→|->)\s+(?P<a>" + _EXPR + r")\s+(?:is|equals|=)\s+(?P<F>" + _EXPR + r")" + _END, re.I),
        re.I)),
]


def _strip_math(s: str, start: int) -> tuple[str, int]:
    m = re.fullmatch(r"\s*(?:\$(.+)\$|\\\((.+)\\\))\s*", s, re.S)
    if m:
        g = 1 if m.group(1) is not None else 2
        return m.group(g), start + m.start(g)
    lead = len(s) - len(s.lstrip())
    return s.strip(), start + lead


def natural_language_claims(text: str) -> list[MathClaim]:
    out = []
    for kind, pat in NL_PATTERNS:
        for m in pat.finditer(text):
            f_text, f_at = _strip_math(m.group("f"), m.start("f"))
            F_text, F_at = _strip_math(m.group("F"), m.start("F"))
            f = parse_side(f_text, frozenset())
            F = parse_side(F_text, frozenset())
            if not isinstance(f, sympy.Expr) or not isinstance(F, sympy.Expr):
                continue
            var_name = (m.groupdict().get("var") or m.groupdict().get("var2") or "")
            var = sympy.Symbol(var_name) if var_name else _main_variable(f)
            if var is None:
                continue
            extra: dict = {}
            if kind == "limit":
                a_text, _ = _strip_math(m.group("a"), m.start("a"))
                point = parse_side(a_text.replace("infinity", "\\infty"), frozenset())
                if not isinstance(point, sympy.Expr):
                    continue
                extra["point"] = point
            end = F_at + len(F_text)
            out.append(MathClaim(kind, text[m.start():end], m.start(), end, lhs=f, rhs=F,
                                 rhs_span=(F_at, end), var=var, extra=extra))
    return out


def _main_variable(e: sympy.Expr) -> sympy.Symbol | None:
    syms = sorted(e.free_symbols - _constant_symbols(e), key=lambda s: s.name)
    if len(syms) == 1:
        return syms[0]
    for name in ("x", "t", "y"):
        for s in syms:
            if s.name == name:
                return s
    return None


# ---- what the text asserts unconditionally ---------------------------------------------
#: the text says that what it just reached fails: a contradiction derived on purpose, a
#: tried value that "does not work" (read in the rest of the sentence and the next one)
CONTRADICTION_CUES = re.compile(
    r"\bcontradict\w*|\bimpossib\w*|\babsurd\w*|\bnot\s+possible\b|\bincorrect\b|\bfails?\b|\bis\s+false\b|"
    r"\b(?:does|do|did|is|are|was|were)(?:\s+not|n't)\s+(?:work|hold|equal|equate|satisf\w*|match|true|valid|possible)\b|"
    r"\bnot\s+(?:a\s+|an\s+)?(?:valid\s+)?(?:solution|integer|true|valid)\b|\bno\s+(?:real\s+|integer\s+|valid\s+)?"
    r"solutions?\b|\bcannot\s+(?:be|hold)\b|\bcan't\s+(?:be|hold)\b", re.I)
#: a proof by contradiction announced earlier in the paragraph: what follows is supposed false
CONTRARY_CUES = re.compile(r"\bfor\s+(?:the\s+sake\s+of\s+)?(?:a\s+)?contradiction\b|\bto\s+the\s+contrary\b|"
                           r"\bby\s+contradiction\b", re.I)
#: a supposition or a case being tried ("if a = -1:", "suppose", "let's try", "case 2:")
SUPPOSITION_CUES = re.compile(r"\b(?:if|suppose[sd]?|supposing|assum\w*|cases?|try\w*|tries|test\w*|plug\w*|"
                              r"guess\w*|otherwise|hypothetic\w*|check\w*|whether)\b", re.I)
#: a step that opens with a supposition is a case throughout ("If f is constant, then …")
OPENS_CASE = re.compile(r"[\s\-*#\d.):]*(?:if|suppose|assume|assuming|case\b|in\s+the\s+case|consider\s+the\s+case)\b",
                        re.I)
#: an alternative: "A or B", "either A or B" right beside the relation (", or B" restates A)
ALTERNATIVE_CUES = re.compile(r"(?<![A-Za-z])(?<!,)(?<!,\s)(?<!,\s\s)(?:or|either)(?![A-Za-z])", re.I)
MAX_STANCE_AFTER = 200
MAX_ALTERNATIVE_GAP = 40


def _paragraph(text: str, start: int, end: int) -> tuple[int, int]:
    """The paragraph (a step of the solution) holding ``text[start:end]``."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    return (left + 2 if left >= 0 else 0), (right if right >= 0 else len(text))


def _lead(text: str, start: int, floor: int) -> str:
    """The text of the sentence before ``start``; a line ending with ":" that introduces it
    ("If \\(a = -1\\):" above a display) belongs to it."""
    left = max(text.rfind(". ", floor, start), text.rfind("\n", floor, start))
    if left > floor and text[left] == "\n" and text[floor:left].rstrip().endswith(":"):
        intro = text[floor:left].rstrip()
        left = floor + max(intro.rfind(". "), intro.rfind("\n"))
    return text[max(left + 1, floor):start]


def stance(text: str, start: int, end: int) -> str | None:
    """Why the relation at ``text[start:end]`` is not asserted unconditionally, or None:
    ``"contradiction"`` (the text reaches it on purpose and says it fails),
    ``"supposition"`` (a case being tried, "if …"), ``"alternative"`` ("… or …")."""
    p0, p1 = _paragraph(text, start, end)
    after = text[end:min(p1, end + MAX_STANCE_AFTER)]
    sentence_end = [m.end() for m in re.finditer(r"[.!?](?:\s|$)|\n\s*\n", after)]  # not a display's line break
    # the rest of this sentence and the next one
    cut = sentence_end[1] if len(sentence_end) > 1 else len(after)
    if CONTRADICTION_CUES.search(_words(after[:cut])) or CONTRARY_CUES.search(text[p0:start]):
        return "contradiction"
    if SUPPOSITION_CUES.search(_words(_lead(text, start, p0))) or OPENS_CASE.match(text[p0:start]):
        return "supposition"
    before = text[max(p0, start - MAX_ALTERNATIVE_GAP):start]
    before = before[max(before.rfind("="), before.rfind("."), -1) + 1:]
    after_gap = text[end:min(p1, end + MAX_ALTERNATIVE_GAP)]
    after_gap = re.split(r"[=.]", after_gap, maxsplit=1)[0]
    if ALTERNATIVE_CUES.search(_words(before)) or ALTERNATIVE_CUES.search(_words(after_gap)):
        return "alternative"
    return None


def _words(s: str) -> str:
    """Prose and ``\\text{…}`` words of ``s``, LaTeX commands dropped (``\\quad`` is no "quad")."""
    s = re.sub(r"\\(?:text|mbox|textbf|mathrm)\s*\{([^{}]*)\}", r" \1 ", s)
    return re.sub(r"\\[A-Za-z]+", " ", s)


# ---- the finder ------------------------------------------------------------------------
#: letters read as function names when written f(…): f(2) is "f at 2", not f·2
FUNCTION_LETTERS = frozenset("fghpqrsFGHPQRST")
#: words between two equations that mean "the second is another case, not a consequence"
UNLINKED = re.compile(r"\b(if|case|cases|suppose|assum\w*|for|when|where|check\w*|test\w*|try\w*|"
                      r"consider\w*|not|otherwise|alternatively|either|or|but|however|instead|also|"
                      r"let|another|other|next|similarly|critical|interval|and|first|second|third|fourth)\b|"
                      r"\\(?:neq|ne|pm)\b|[?]|"
                      r"\(\s*\d+\s*\)",  # an equation label "(1)": a list of equations
                      re.I)
#: words that introduce several separate equations, not a derivation
LISTING_CUES = re.compile(r"\b(separate\w*|two|both|system|each|respectively|following|given|"
                          r"conditions?|cases?)\b", re.I)
_BOTH_SIDES = re.compile(r"\b(?:both|each)\s+sides?\b", re.I)


def _listing(context: str) -> bool:
    """Words that introduce separate equations ("both equations"), not "both sides"."""
    return LISTING_CUES.search(_BOTH_SIDES.sub(" ", context)) is not None


#: check numeric links written in LaTeX here (the arithmetic engine reads plain numbers only)
NUMERIC_LATEX = True
MAX_LINK_GAP = 160  # characters of text between an equation and the one it must imply
MAX_SIBLING_GAP = 30  # between two roots of the same equation ("x = 2 or x = 3")
NEGATED = re.compile(r"[\s\\)$.,]*(?:is|are|does|do)?\s*(?:not|n't|never|no longer)\b|\s*\\ne", re.I)


@dataclass
class _State:
    defs: dict[str, tuple[sympy.Symbol, sympy.Expr]] = field(default_factory=dict)
    #: the last equation in one unknown: (lhs, rhs, unknown)
    equation: tuple[Any, Any, sympy.Symbol] | None = None
    #: every equation seen so far as lhs − rhs (to recognise substitutions of known facts)
    facts: list[sympy.Expr] = field(default_factory=list)
    last_end: int = 0
    #: what the previous statement was: "equation" (set ``equation``), "root" (a root of it
    #: linked to it), or "other"; only the first two can be followed by a linked step
    last_kind: str = "other"
    #: the variable the previous statement assigned a number to ("b = -1"), if it did
    prev_assign: sympy.Symbol | None = None
    #: relations stated in the question, as lhs − rhs
    given: list[sympy.Expr] = field(default_factory=list)
    #: the last inequality in one unknown: (lhs, op, rhs, unknown)
    inequality: tuple[Any, str, Any, sympy.Symbol] | None = None
    #: what the question pins down (its equations, named roots, identities in x)
    known: Given = field(default_factory=Given)
    #: function letters the question describes in words (never defined by a step's formula)
    described: set = field(default_factory=set)
    #: the question's equations (not its inequalities), as lhs − rhs, however they read
    question_equations: list[sympy.Expr] = field(default_factory=list)
    #: letters a domain word or an unreadable inequality restricts (question or earlier step)
    restricted: set = field(default_factory=set)
    #: inequalities stated so far (question or earlier step): a probe must meet them
    domain: list = field(default_factory=list)
    #: letters written as functions (``d(n)``, ``s(k)``): ``d(9)`` is d at 9, never d·9
    applied: frozenset = frozenset()
    #: other names written as functions (``N_A(t)``, ``\\phi(n)``): a side applying one is not read
    applied_names: re.Pattern | None = None
    #: letters the solution (re)defines ("let u = \\sin x", "set k = 2m"): the question's
    #: equations and earlier facts no longer speak of them
    redefined: set = field(default_factory=set)
    #: the text or question uses [x] for the integer part ("the greatest integer …")
    floor_brackets: bool = False

    def bound(self, *exprs: Any) -> bool:
        """Some equation or restriction stated so far (in the question or a step) shares an
        unknown with ``exprs``: a relation between them may hold only where that one does
        ("for $x > 20$", "$x \\geq 0$")."""
        syms: set = set()
        for e in exprs:
            syms |= _symbols(e)
        return any(_symbols(f) & syms for f in list(self.facts) + self.question_equations) \
            or any(s.name in self.restricted for s in syms)

    def domain_of(self, *exprs: Any) -> tuple:
        """The stated inequalities on the unknowns of ``exprs``."""
        syms: set = set()
        for e in exprs:
            syms |= _symbols(e)
        return tuple(r for r in self.domain if r.free_symbols & syms)

    def read_restrictions(self, items: list) -> None:
        """Take in :func:`_restriction_items`: inequalities join the domain; a domain word or
        an inequality that does not parse restricts its letters outright."""
        for _, rel, letters in items:
            if rel is not None:
                self.domain.append(rel)
            self.restricted |= letters


_ANY_MATH = re.compile(r"\$[^$]{1,200}\$|\\\((?:(?!\\[()]).){1,200}\\\)|\\\[(?:(?!\\[\[\]]).){1,400}\\\]", re.S)


def _restriction_items(text: str) -> list:
    """(position, inequality or None, restricted letters) for each restriction in ``text``:
    a math bit holding one inequality is read; any other bit ordering a letter, and a
    domain word or inequality in plain words, restricts its letters."""
    out = []
    plain = list(text)
    for b in _ANY_MATH.finditer(text):
        plain[b.start():b.end()] = " " * (b.end() - b.start())
        letters = _restricted_letters(b.group(0))
        if not letters:
            continue
        bit = b.group(0)
        rel = _inequality(bit if not bit.startswith("\\[") else "\\(" + bit[2:-2] + "\\)")
        out.append((b.start(), rel, set() if rel is not None else letters))
    for m in _RESTRICTED.finditer("".join(plain)):
        out.append((m.start(), None, {g for g in m.groups() if g}))
    # a domain word before a math letter ("positive $x$") spans both
    for m in re.finditer(r"\b(?:positive|negative|nonnegative|non-negative|nonzero|non-zero)\s+(?:numbers?\s+|integers?\s+)?"
                         r"(?:\$|\\\()\s*([A-Za-z])(?![A-Za-z])", text, re.I):
        out.append((m.start(), None, {m.group(1)}))
    return sorted(out, key=lambda t: t[0])


_ORDER_WORD = r"(?:<|>|≤|≥|\\(?:leq?|geq?|leqslant|geqslant|in|ne|neq)(?![A-Za-z]))"
#: a letter an inequality or a domain word restricts: "x > 20", "0 \le x", "positive $x$"
_RESTRICTED = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(?:_\{?\w+\}?)?\s*" + _ORDER_WORD
                         + r"|" + _ORDER_WORD + r"\s*-?\s*([A-Za-z])(?![A-Za-z])"
                         r"|\b(?:positive|negative|nonnegative|non-negative|nonzero|non-zero|real)\s+"
                         r"(?:numbers?\s+|integers?\s+|values?\s+(?:of\s+)?)?(?:\$|\\\()?\s*([A-Za-z])(?![A-Za-z])")


def _restricted_letters(text: str) -> set:
    """Letters ``text`` restricts by an inequality or a domain word."""
    return {a or b or c for a, b, c in _RESTRICTED.findall(text)}


def _is_calculus(e: Any) -> bool:
    return isinstance(e, sympy.Basic) and e.has(sympy.Integral, sympy.Derivative, sympy.Limit,
                                                 sympy.Sum, sympy.Product, sympy.Subs)


def _symbols(e: Any) -> set:
    return set(getattr(e, "free_symbols", set())) if isinstance(e, sympy.Basic) else set()


def _calls(e: Any) -> list:
    if not isinstance(e, sympy.Basic):
        return []
    return [a for a in sympy.preorder_traversal(e) if isinstance(a, sympy.core.function.AppliedUndef)]


def _applies(e: Any, defs: dict) -> bool:
    return any(a.func.__name__ in defs for a in _calls(e))


def _undefined_calls(e: Any, defs: dict) -> bool:
    return any(a.func.__name__ not in defs for a in _calls(e))


def _is_name(e: Any) -> bool:
    return isinstance(e, sympy.Symbol) or isinstance(e, sympy.core.function.AppliedUndef)


def _read_definitions(text: str, state: _State) -> None:
    for st in statements(text):
        _maybe_define(st, state)


def _maybe_define(st: Statement, state: _State) -> bool:
    if not st.ops or st.ops[0] != "=":
        return False
    m = _DEF_LHS.match(st.sides[0].text.replace(" ", ""))
    if not m:
        return False
    name, var_name = m.group(1), m.group(2)
    if name == var_name or name in state.defs or name in state.described:
        return False  # restating a defined function is a claim about it, checked as such
    if _PIECEWISE.search(st.sides[1].text) or _PIECEWISE.search(st.context):
        return False  # one piece of a function defined by cases is not the function
    body = parse_side(st.sides[1].text, frozenset(state.defs) | {name})
    var = sympy.Symbol(var_name)
    if isinstance(body, sympy.Expr) and var in body.free_symbols and not _calls(body):
        state.defs[name] = (var, body)
        return True
    return False


_ASY = re.compile(r"\[asy\].*?(?:\[/asy\]|$)", re.S)
_PIECEWISE = re.compile(r"\\begin\s*\{(?:array|cases)\}|\\left\s*\\\{|\\text\s*\{\s*(?:if|for|when)\b", re.I)


def _described_functions(question: str, state: _State) -> set[str]:
    """Letters the question uses as functions without an equation for them ("let f(n) be
    the sum of the divisors of n"): a formula a step gives for one (on some case) is not
    their definition."""
    used = set(re.findall(r"(?<![A-Za-z\\])([A-Za-z])\s*\(\s*[a-z]\s*\)", question))
    return {f for f in used if f in FUNCTION_LETTERS and f not in state.defs}


#: a name applied to one letter: ``d(n)``, ``N_A(t)``, ``\\phi(n)`` (a function, in the question or the text)
_APPLIED = re.compile(r"(?<![A-Za-z\\])(\\(?:phi|varphi|sigma|tau|pi|mu|lambda|omega|psi|rho|nu|chi|eta|Phi)(?![A-Za-z])|"
                      r"[A-Za-z](?:_\{?[A-Za-z0-9]{1,3}\}?)?)\s*(?:\\left\s*)?\(\s*([A-Za-z])\s*(?:\\right\s*)?\)")


def _applied_names(text: str) -> tuple[frozenset, re.Pattern | None]:
    """Names the text writes as functions of a letter (``d(n)``, ``N_A(t)``, ``\\sigma(n)``;
    not ``x(x)``): single letters, and a pattern for the others, written applied to anything."""
    letters, others = set(), set()
    for m in _APPLIED.finditer(text):
        name, arg = m.group(1), m.group(2)
        if name == arg or name in ("e", "i"):
            continue
        if len(name) == 1:
            letters.add(name)
        else:
            base, _, sub = name.partition("_")
            others.add(re.escape(base) + (r"_\{?" + re.escape(sub.strip("{}")) + r"\}?" if sub else r"(?![A-Za-z])"))
    pattern = re.compile(r"(?<![A-Za-z])(?:" + "|".join(sorted(others)) + r")\s*(?:\\left\s*)?\(") if others else None
    return frozenset(letters), pattern


_FLOOR_WORDS = re.compile(r"\bgreatest\s+integer\b|\binteger\s+part\b|\bfloor\s+function\b", re.I)
#: a lone fraction in square brackets (``\\left[ \\frac{n}{m} \\right]``): nobody groups a lone
#: fraction, so the brackets are notation (the integer part)
_BRACKETED_FRACTION = re.compile(r"\\left\s*\[\s*\\[dt]?frac\s*(?:\{[^{}]*\}|\w)\s*(?:\{[^{}]*\}|\w)\s*\\right\s*\]")
#: a name introduced or given a new meaning just before a relation: "let u = …", "set k = …"
_INTRODUCED = re.compile(r"\b(?:let(?:'s)?|set(?:ting)?|denote|define|substitut\w*|where|put(?:ting)?|introduce|"
                         r"call)\b[^.;]{0,25}$", re.I)


def _introduce(st: Statement, text: str, state: _State) -> None:
    """A letter the text introduces by a relation ("let $u = \\sin x$"): the question's
    equations and earlier facts about it no longer apply, and a function of the question
    written anew on it (``f(u) = …``) is the text's own function."""
    name = st.sides[0].text.strip()
    if not st.ops or st.ops[0] != "=" or not re.fullmatch(r"[A-Za-z](?:_\{?\w{1,3}\}?)?", name):
        return
    lead = re.sub(r"\$|\\\(|\\\[", " ", text[max(0, st.sides[0].start - 60):st.sides[0].start])
    if not _INTRODUCED.search(lead.rstrip()):
        return
    sym = parse_side(name, frozenset())
    if not isinstance(sym, sympy.Symbol):
        return
    state.redefined.add(sym)
    state.facts = [f for f in state.facts if sym not in f.free_symbols]
    if state.equation is not None and state.equation[2] == sym:
        state.equation, state.last_kind = None, "other"


def _redefine(st: Statement, state: _State) -> bool:
    """``f(u) = body`` with ``f`` defined on another letter and ``u`` introduced by the text:
    the text's own function of ``u`` (the question's ``f`` written anew), not a claim about it."""
    if not st.ops or st.ops[0] != "=":
        return False
    m = _DEF_LHS.match(st.sides[0].text.replace(" ", ""))
    if not m or m.group(1) not in state.defs or sympy.Symbol(m.group(2)) not in state.redefined:
        return False
    name, var = m.group(1), sympy.Symbol(m.group(2))
    body = parse_side(st.sides[1].text, frozenset(state.defs) | {name})
    if isinstance(body, sympy.Expr) and var in body.free_symbols and not _calls(body):
        state.defs[name] = (var, body)
        return True
    return False


def find_claims(text: str, question: str | None = None) -> list[MathClaim]:
    """All symbolic claims in ``text`` (the question only supplies definitions/equations)."""
    state = _State()
    state.applied, state.applied_names = _applied_names(text + "\n" + (question or ""))
    state.floor_brackets = _FLOOR_WORDS.search(text + "\n" + (question or "")) is not None \
        or _BRACKETED_FRACTION.search(question or "") is not None
    if question:
        question = _ASY.sub(" ", question)  # drawing code: its "pair A=(-4.07,0)" is no equation
        _read_definitions(question, state)
        state.described = _described_functions(question, state)
        _question_equation(question, state)
        try:  # reading the question's equations is bounded like any other SymPy work
            state.known = call_with_limit(4 * FINDER_SECONDS, _question_facts, question, state,
                                          what="reading the question's equations")
        except (TimeLimitExceeded, TypeError, ValueError, ArithmeticError, RecursionError):
            state.known = Given()
        state.last_end = 0
    claims: list[MathClaim] = natural_language_claims(text)
    for _, s, e, fact in number_facts(text):
        s += len(text[s:e]) - len(text[s:e].lstrip())
        e -= len(text[s:e]) - len(text[s:e].rstrip())
        claims.append(MathClaim("number-fact", text[s:e], s, e, extra=fact))
    if question:
        for _, s, e, fact in question_facts(text, question):
            claims.append(MathClaim("number-fact", text[s:e], s, e, extra=fact))
    taken = [(c.start, c.end) for c in claims]
    claims += _argument_claims(text) + _digit_formula_claims(text)  # ahead of the chain claims on the same span
    if question:
        state.read_restrictions(_restriction_items(question))
    pending = _restriction_items(text)
    for st in statements(text):
        if any(s <= st.sides[0].start < e for s, e in taken):
            continue
        state.read_restrictions([r for r in pending if r[0] < st.sides[0].start])
        pending = [r for r in pending if r[0] >= st.sides[0].start]
        between = text[state.last_end:st.sides[0].start] if st.sides[0].start >= state.last_end else ""
        after = text[st.sides[-1].end:st.sides[-1].end + 40]
        kind_before = state.last_kind
        state.last_kind = "other"
        _introduce(st, text, state)
        if _redefine(st, state):
            state.last_end = max(state.last_end, st.sides[-1].end)
            continue
        if _maybe_define(st, state):
            # f(x) = body = simpler body: the links after the definition are identities
            claims.extend(_chain_claims(st, state, True, between, after, kind_before))
        else:
            claims.extend(_chain_claims(st, state, False, between, after, kind_before))
        state.last_end = max(state.last_end, st.sides[-1].end)
    claims += _list_claims(text)
    claims += _implication_claims(text, question)
    if question:
        claims += _target_claims(text, question, state)
        claims += _named_part_claims(text, question, state)
        claims += _line_claims(text, question, state)
    claims.sort(key=lambda c: (c.start, c.end))
    return [_with_stance(c, text) for c in _drop_overlaps(claims)]


def _with_stance(c: MathClaim, text: str) -> MathClaim:
    """The claim with its :func:`stance` in ``extra`` (the engine refutes a relation only
    where the text asserts it unconditionally)."""
    found = stance(text, c.start, c.end)
    if found is None:
        return c
    if found == "contradiction" and c.type in ("numeric", "approx") and re.search(r"=\s*$", text[:c.start]):
        return c  # an inner link of a computation whose result the text then says fails: still computed
    return replace(c, extra={**c.extra, "stance": found})


#: words that present an expression as the whole result, not a part of it
_RESULT_CUES = re.compile(r"\b(?:simplified|final|resulting)\s+(?:expression|form|result|answer)\b|"
                          r"\bexpression\s+(?:becomes|simplifies\s+to|is\s+now)\b|\bthe\s+(?:final\s+)?answer\s+is\b|"
                          r"\bvalue\s+of\s+the\s+(?:given\s+|original\s+)?expression\b[^.]{0,40}?\bis\b", re.I)
_STRONG_RULES = ("boxed", "final-answer", "hashes", "answer-section", "answer-is")


def _target_claims(text: str, question: str, state: _State) -> list[MathClaim]:
    """The final answer, and any expression presented as the simplified result, against the
    expression the question asks to simplify or evaluate."""
    target = question_target(question, lambda t: parse_side(t, frozenset(state.defs), FUNCTION_LETTERS), state.defs)
    if target is None:
        return []
    value = substitute_definitions(target.value, state.defs)
    found: list[tuple[int, int, str]] = []
    final = extract_final_answer(text)
    if final is not None and final.rule not in _STRONG_RULES:
        final = None  # "the last expression" is a guess, not a stated answer
    if final is not None:
        found.append((final.start, final.end, final.text))
    for s, e in math_segments(text):
        seg = text[s:e]
        # the cue must introduce this very expression: "The simplified expression becomes: $$…$$"
        lead = re.sub(r"(?:\$\$?|\\[\[(])\s*$", "", text[max(0, s - 60):s]).rstrip(" :\n")
        cue = [m for m in _RESULT_CUES.finditer(lead) if len(lead) - m.end() <= 12]
        if _top_level(seg, _REL_RE) or not cue:
            continue
        if final is not None and s <= final.start < e + 8:
            continue
        found.append((s, e, seg))
    out = []
    for s, e, shown in found:
        claimed = parse_side(strip_wrappers(shown), frozenset(state.defs), FUNCTION_LETTERS)
        if not isinstance(claimed, sympy.Expr) or _calls(claimed):
            continue
        if not target.symbolic and claimed.free_symbols or target.symbolic and not claimed.free_symbols <= value.free_symbols:
            continue
        out.append(MathClaim("target", text=text[s:e], start=s, end=e, lhs=claimed, rhs=value, rhs_span=(s, e),
                             extra={"question": target.text, "rounded": target.rounded,
                                    "places": _decimals(shown) if target.rounded else None}))
    return out


#: a named point with coordinates: "A(2,2)", "$B = (7, -1)$"
_POINT = re.compile(r"(?<![A-Za-z\\])([A-Z])\s*=?\s*\(\s*([^(),$]{1,20}?)\s*,\s*([^(),$]{1,20}?)\s*\)")
#: "the line AB", "line $\\overline{AB}$", "the line through A and B"
_LINE = re.compile(r"\bline\s+(?:(?:passing\s+)?through\s+(?:points?\s+)?)?(?:\$|\\\(\s*)?(?:\\overline\s*\{|\\overleftrightarrow\s*\{)?"
                   r"([A-Z])\}?(?:\$|\s*\\\))?\s*(?:and\s+)?(?:\$|\\\(\s*)?([A-Z])\b", re.I)
#: "its equation is", "the equation of the line is", "so the line is"
_LINE_EQUATION = re.compile(r"\b(?:(?:its\s+equation|(?:the\s+)?equation\s+(?:of\s+(?:the\s+|this\s+)?line\s*"
                            r"(?:\$?[A-Z]{2}\$?\s*)?)?)\s*(?:is|becomes|will\s+be)|(?:has|with)\s+(?:the\s+)?equation)"
                            r"\s*:?\s*$", re.I)
#: another figure named between the line and its equation: the equation may be that one's
_OTHER_FIGURE = re.compile(r"\b(?:perpendicular|bisector|tangent|normal|parallel|circle|parabola|median|altitude|"
                           r"another|other|second|reflect\w*|rotat\w*|shift\w*|translat\w*|image|if|suppose)\b", re.I)
MAX_LINE_GAP = 200


def _line_claims(text: str, question: str, state: _State) -> list[MathClaim]:
    """"The line AB … its equation is $y = x + 5$" with A and B given coordinates in the
    question: both points must lie on the stated line."""
    points = {}
    for m in _POINT.finditer(question):
        xy = [parse_side(g, frozenset()) for g in (m.group(2), m.group(3))]
        if all(isinstance(v, sympy.Expr) and v.is_number and v.is_real for v in xy):
            points.setdefault(m.group(1), tuple(xy))
    if len(points) < 2:
        return []
    x, y = sympy.Symbol("x"), sympy.Symbol("y")
    out = []
    for m in _LINE.finditer(text):
        a, b = m.group(1).upper(), m.group(2).upper()
        if a == b or a not in points or b not in points or m.group(1) != a or m.group(2) != b:
            continue
        for st in statements(text[m.end():m.end() + MAX_LINE_GAP]):
            gap = text[m.end():m.end() + st.sides[0].start]
            lead = re.sub(r"(?:\$\$?|\\[\[(])\s*$", "", gap)
            named = re.search(r"\bequation\s+of\s+(?:the\s+)?$", text[max(0, m.start() - 30):m.start()], re.I) \
                and re.fullmatch(r"[\s$}]*(?:\\\))?\s*(?:is|:)\s*:?\s*", lead)  # "the equation of line AB is …"
            if st.ops != ("=",) or not (named or _LINE_EQUATION.search(lead)) or _OTHER_FIGURE.search(gap):
                continue
            lhs, rhs = (parse_side(side.text.rstrip(". "), frozenset()) for side in st.sides)
            if not isinstance(lhs, sympy.Expr) or not isinstance(rhs, sympy.Expr):
                break
            d = sympy.Add(lhs, -rhs)
            if _symbols(d) != {x, y} or not d.is_polynomial(x, y) or sympy.Poly(d, x, y).total_degree() != 1:
                break
            s, e = m.end() + st.sides[0].start, m.end() + st.sides[1].end
            out.append(MathClaim("line-points", text=text[s:e], start=s, end=e, lhs=lhs, rhs=rhs,
                                 extra={"points": ((a, points[a]), (b, points[b]))}))
            break
    return out


_COMMA = re.compile(r"(?<!\\),(?!\d{3}(?!\d))")
#: the only words between two lists of values when the second simplifies the first
_SIMPLIFIED_LIST = re.compile(_LINKING_WORDS + _SIMPLIFY + r"(?:\s+(?:these|them|each))?(?:\s+(?:gives?|yields?|to))?"
                              r"(?:\s+us)?\s*:?\s*", re.I)


def _value_list(seg: str) -> tuple[str, list[tuple[str, int]]] | None:
    """``k = E = a_1, a_2, …, a_n`` → ("k", [(a_1, offset), …]): a name given several values,
    each with where it starts in ``seg`` (equal values written twice keep their own places)."""
    cuts = [m.start() for m in _top_level(seg, _COMMA)]
    starts = [0] + [c + 1 for c in cuts]
    items = [seg[a:b] for a, b in zip(starts, cuts + [len(seg)])]
    if len(items) < 2:
        return None
    first = [m for m in _top_level(items[0], _REL_RE)]
    if not first or any(m.group(0) != "=" for m in first):
        return None
    name = items[0][:first[0].start()].strip()
    if not re.fullmatch(r"[A-Za-z](?:_\{?\w+\}?)?", name):
        return None
    raw = [(items[0][first[-1].end():], first[-1].end())] + [
        (it.split("=")[0] if _top_level(it, _REL_RE) else it, at) for it, at in zip(items[1:], starts[1:])]
    return name, [(v.strip().rstrip(".").strip(), at + len(v) - len(v.lstrip())) for v, at in raw]


def _list_claims(text: str) -> list[MathClaim]:
    """``k = \\frac{56 + 1}{18}, \\frac{28 + 2}{18}`` then "simplifying these gives"
    ``k = 3, \\frac{5}{3}``: the values pair up in order, each a numeric claim."""
    segs = [(s, e) for s, e in math_segments(text) if not _dollars(text, s, e)]
    out = []
    for (s1, e1), (s2, e2) in zip(segs, segs[1:]):
        gap = re.sub(r"\\[\[\]()]|\$", " ", text[e1:s2])
        if len(gap) > MAX_CONTINUATION_GAP or _SIMPLIFIED_LIST.fullmatch(gap) is None:
            continue
        before, after = _value_list(text[s1:e1]), _value_list(text[s2:e2])
        if before is None or after is None or before[0] != after[0] or len(before[1]) != len(after[1]):
            continue
        pairs = [(parse_side(a, frozenset()), parse_side(b, frozenset()), a, b, s2 + where)
                 for (a, _), (b, where) in zip(before[1], after[1])]
        if not all(isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr) and a.is_number and b.is_number
                   for a, b, _, _, _ in pairs):
            continue
        for a, b, ta, tb, at in pairs:
            out.append(MathClaim("numeric", text=f"{ta} = {tb}", start=at, end=at + len(tb), lhs=a, rhs=b,
                                 rhs_span=(at, at + len(tb)), extra={"decimal": bool(_DECIMAL.match(tb))}))
    return out


_MATH_BIT = r"(\$[^$]{1,200}\$|\\\((?:(?!\\[()]).){1,200}\\\))"  # one $…$ or \(…\), never two
#: "$xy > x + y$, this means either $x > y + 1$ or $y > x + 1$": an implication between inequalities
_IMPLIES_OR = re.compile(_MATH_BIT + r"\s*,?\s*(?:(?:this|which|that)\s+(?:means|implies)|(?:so|hence|thus|therefore))"
                         r"\s+(?:that\s+)?(?:either\s+)?" + _MATH_BIT + r"\s+or\s+" + _MATH_BIT, re.S)
_ORDER_OPS = {">": sympy.StrictGreaterThan, "<": sympy.StrictLessThan, ">=": sympy.GreaterThan, "<=": sympy.LessThan}
MAX_IMPLICATION_SYMBOLS = 3


def _inequality(bit: str) -> Any:
    """One inequality ``a < b`` (strict or not) as a SymPy relation; None for anything else."""
    inner = strip_wrappers(bit.strip()[1:-1] if bit.startswith("$") else bit[2:-2]).strip().rstrip(".,")
    ops = list(_top_level(inner, _REL_RE))
    if len(ops) != 1:
        return None
    op = _OP_NAMES.get(ops[0].group(0), ops[0].group(0))
    if op not in _ORDER_OPS:
        return None
    lhs, rhs = (parse_side(t, frozenset()) for t in (inner[:ops[0].start()], inner[ops[0].end():]))
    if not (isinstance(lhs, sympy.Expr) and isinstance(rhs, sympy.Expr)):
        return None
    return _ORDER_OPS[op](lhs, rhs, evaluate=False)


#: words that narrow the unknowns below "any positive integer" (a counterexample among small
#: positive integers may break them)
_DOMAIN_WORDS = re.compile(r"\b(?:even|odd|primes?|multiples?|divisible|divisors?|factors?|digits?|integers?|whole|"
                           r"natural|squares?|cubes?|consecutive|distinct|negative|remainder|mod|parity)\b", re.I)


def _implication_claims(text: str, question: str | None = None) -> list[MathClaim]:
    """"A, this means B or C" between inequalities: every value satisfying A must satisfy B or
    C (the engine looks for a counterexample among small positive integers). "If A" or "in
    case 1, A" changes nothing: the implication is claimed for every value. Not when the
    question or an earlier step narrows the unknowns ("both $m$ and $n$ are even", "$m > 3$"):
    the counterexample may not be one of the values meant."""
    out = []
    for m in _IMPLIES_OR.finditer(text):
        rels = [_inequality(m.group(k)) for k in (1, 2, 3)]
        if any(r is None for r in rels):
            continue
        syms = set().union(*(r.free_symbols for r in rels))
        if not syms or len(syms) > MAX_IMPLICATION_SYMBOLS or not rels[0].free_symbols:
            continue
        earlier = (question or "") + "\n" + text[:m.start()]
        restrictions = _restrictions(earlier, syms)
        if _DOMAIN_WORDS.search(earlier) or restrictions is None:
            continue
        # the span is the connective ("this means either"): the inequalities keep their own claims
        start = m.end(1) + len(text[m.end(1):m.start(2)]) - len(text[m.end(1):m.start(2)].lstrip(" ,"))
        out.append(MathClaim("implication", text[start:m.start(2)].rstrip(), start, start + len(text[start:m.start(2)].rstrip()),
                             lhs=rels[0], extra={"cases": tuple(rels[1:]), "restrictions": restrictions}))
    return out


def _restrictions(earlier: str, syms: set) -> tuple | None:
    """The inequalities ``earlier`` states on ``syms`` (a counterexample must meet them), or
    None when one of them cannot be read (then no counterexample can be trusted)."""
    names = {s.name for s in syms}
    out = []
    for _, rel, letters in _restriction_items(earlier):
        if letters & names:
            return None  # a domain word or an inequality this reading does not capture
        if rel is not None and {s.name for s in rel.free_symbols} & names:
            if not rel.free_symbols <= syms:
                return None
            out.append(rel)
    return tuple(out)


def _decimals(shown: str) -> int | None:
    m = re.fullmatch(r"\s*-?\d+(?:\.(\d+))?\s*", strip_wrappers(shown).strip("$ ."))
    return len(m.group(1) or "") if m else None


def _question_equation(question: str, state: _State) -> None:
    for st in statements(question):
        if len(st.ops) == 1:
            sides = [parse_side(x.text, frozenset(state.defs), FUNCTION_LETTERS) for x in st.sides]
            if all(isinstance(v, sympy.Expr) for v in sides):
                state.given.append(sympy.Add(sides[0], -sides[1]))
                if st.ops[0] == "=":
                    state.question_equations.append(sympy.Add(sides[0], -sides[1]))
        if len(st.ops) == 1 and st.ops[0] == "=":
            lhs = parse_side(st.sides[0].text, frozenset(state.defs))
            rhs = parse_side(st.sides[1].text, frozenset(state.defs))
            unknowns = _symbols(lhs) | _symbols(rhs)
            if isinstance(lhs, sympy.Expr) and isinstance(rhs, sympy.Expr) and len(unknowns) == 1 \
                    and not _is_name(lhs) and not _calls(lhs) and not _calls(rhs):
                (x,) = unknowns
                state.equation, state.last_kind = (lhs, rhs, x), "equation"


_CONDITION = re.compile(r"\b(?:if|when|whenever|unless|otherwise)\b", re.I)


def _question_facts(question: str, state: _State) -> Given:
    relations = []
    for st in statements(question):
        if st.ops == ("=",) and _CONDITION.search(_words(_lead(question, st.sides[0].start, 0))):
            # "If r = 0, P.J. sets s = 0": a relation stated under a condition is no fact
            relations.append((f"{st.sides[0].text} = {st.sides[1].text}", None, None))
            continue
        if st.ops == ("=",) and not _DEF_LHS.match(st.sides[0].text.replace(" ", "")):
            lhs, rhs = (parse_side(x.text, frozenset(state.defs), FUNCTION_LETTERS) for x in st.sides)
            if isinstance(lhs, sympy.Expr) and isinstance(rhs, sympy.Expr):
                lhs, rhs = substitute_definitions(lhs, state.defs), substitute_definitions(rhs, state.defs)
                relations.append((f"{st.sides[0].text} = {st.sides[1].text}", lhs, rhs))
    return read_given(question, relations, lambda t: parse_side(t, frozenset(state.defs), FUNCTION_LETTERS),
                      state.defs)


def _drop_overlaps(claims: list[MathClaim]) -> list[MathClaim]:
    """Drop a claim nested inside another one; links of one chain share a side and stay."""
    out: list[MathClaim] = []
    for c in claims:
        if any(o.start <= c.start and c.end <= o.end for o in out):
            continue
        out.append(c)
    return out


def _unexpanded(e: sympy.Expr) -> bool:
    """Written as a product, power or quotient of sums (something a rewriting would expand)."""
    return any(isinstance(a, sympy.Pow) and isinstance(a.base, sympy.Add) or
               isinstance(a, sympy.Mul) and any(isinstance(f, sympy.Add) for f in a.args)
               for a in sympy.preorder_traversal(e))


def _equation_in_chain(st: Statement, values: list, k: int) -> bool:
    """Links of a chain that state an equation rather than rewrite: ``r^2 = 1 + (2\\sqrt2 - r)^2
    = …`` opens with a power of the unknown set equal to an expression in it, and ``f(x) =
    \\frac{-3x-7}{9x-6} = x - 3`` (a chain that evaluates a function) ends with the equation."""
    a, b = values[k], values[k + 1]
    if k == 0 and not st.continued and isinstance(a, sympy.Expr) and (
            isinstance(a, sympy.Symbol) or isinstance(a, sympy.Pow) and isinstance(a.base, sympy.Symbol)) \
            and _symbols(a) <= _symbols(b):
        return True
    first = values[0]
    call_text = re.fullmatch(r"[A-Za-z](?:_\{?[\w+\-]+\}?)?\s*(?:\\left)?\(.*\)", st.sides[0].text.strip())
    return k == len(st.ops) - 1 and k > 0 and (first is None or _is_name(first) or call_text is not None)


def _factorization(poly: Any, product: Any, poly_text: str, product_text: str) -> bool:
    """``x^3 - 4x^2 - 7x + 6 = (x-1)(x^2 - 3x - 6)``: an expanded polynomial written out and
    a product of factors with the same degree and leading coefficient. As an equation it
    would have lost its top term, so it is a factorization claim."""
    syms = _symbols(poly)
    if len(syms) != 1 or not isinstance(poly, sympy.Add) or len(poly.args) < 3 or "(" in poly_text:
        return False
    # a square (x + 2)^2 = x^2 + 2 is usually an equation whose top terms cancel; a product
    # of two or more factors against a polynomial written out in full is a factorization
    factors = [f for f in sympy.Mul.make_args(product) if _symbols(f)]
    if not (isinstance(product, sympy.Mul) and len(factors) >= 2):
        return False
    (x,) = syms
    try:
        p, q = sympy.Poly(poly, x), sympy.Poly(product, x)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return False
    return p.degree() >= 2 and p.degree() == q.degree() and p.LC() == q.LC() and "(" in product_text


_LETTER = re.compile(r"(?<![\\A-Za-z_])[A-Za-z](?![A-Za-z_])")


def _cancelled(text: str, value: Any, other: Any) -> bool:
    """``x^2 - 2x^2 + x^2 + 10x - 10x + 25 = x^2``: the written side names a variable of the
    other side that cancelled on reading: the writer is simplifying, not solving. (A gcd,
    floor or remainder of expressions is about integers, not a rewriting.)"""
    if not isinstance(value, sympy.Expr) or not isinstance(other, sympy.Expr) or _is_name(other) or _is_name(value):
        return False
    if re.search(r"\\(?:gcd|lcm|max|min|lfloor|lceil|b?mod|operatorname)\b|\b(?:gcd|lcm)\b", text):
        return False
    written = set(_LETTER.findall(re.sub(r"\\[A-Za-z]+", " ", text)))
    lost = {s for s in _symbols(other) if s.name in written} - _symbols(value)
    return bool(lost) and _symbols(other) <= {sympy.Symbol(n) for n in written}


_TRAILING_TERM = re.compile(r"([+\-]\s*[^+\-=]+?)\s*$")


def _same_operation(left: str, right: str) -> bool:
    """``6x - x = x - 20 - x``: both sides end with the same added or subtracted term, so the
    writer did one thing to both sides of an equation (the step is an equation, not a
    rewriting whose cancelled term shows simplifying)."""
    ends = [_TRAILING_TERM.search(t) for t in (left, right)]
    if None in ends:
        return False
    a, b = (re.sub(r"\s+", "", m.group(1)) for m in ends)
    return a == b and ends[0].start() > 0 and ends[1].start() > 0


def _probe(k: int, probe: int) -> sympy.Rational:
    """Unremarkable values (no linear relation between unknowns or across probes)."""
    return sympy.Rational(1000 + 37 * k * k + 101 * probe * (k + 1) + 13 * probe * probe, 997 - 11 * k - 7 * probe)


def _holds_everywhere(a: Any, b: Any) -> bool:
    """``a = b`` at three unremarkable points for every unknown: a known identity stated,
    not an equation (the engine then proves or refutes it as an identity)."""
    syms = sorted(_symbols(a) | _symbols(b), key=lambda s: s.name)
    if not syms or len(syms) > 3 or _calls(a) or _calls(b):
        return False

    def probe_all() -> bool:
        for probe in range(3):
            point = {s: _probe(k, probe) for k, s in enumerate(syms)}
            d = complex(sympy.N(sympy.Add(a, -b).xreplace(point), 20))
            scale = 1 + abs(complex(sympy.N(a.xreplace(point), 20)))
            if not abs(d) <= 1e-12 * scale:
                return False
        return True
    try:
        return call_with_limit(FINDER_SECONDS, probe_all, what="probing an identity")
    except (TimeLimitExceeded, TypeError, ValueError, ArithmeticError, AttributeError, RecursionError):
        return False


def _rewrites_functions(st: Statement, values: list, k: int) -> bool:
    """A chain of three or more sides in the same unknowns, none a bare name or number, whose
    link ``k`` carries a log, trigonometric or root of an unknown
    (``2\\log_{10} x - \\log_x \\frac{1}{100} = 2\\log_{10} x + 2\\log_{10} x = 4\\log_{10} x``): a
    rewriting of one expression, the way a product of sums is (an equation chain ends in a
    number or a name: ``\\sin x = \\cos x = \\frac{\\sqrt2}{2}``)."""
    if len(values) < 3 or not all(isinstance(v, sympy.Expr) for v in values):
        return False
    syms = _symbols(values[0])
    if not syms or any(_symbols(v) != syms or _is_name(v) or _calls(v) for v in values):
        return False
    return any(isinstance(f, (sympy.log, sympy.sin, sympy.cos, sympy.tan, sympy.exp)) and f.free_symbols
               or isinstance(f, sympy.Pow) and not f.exp.is_Integer and f.base.free_symbols
               for v in (values[k], values[k + 1]) for f in sympy.preorder_traversal(v))


def _grouped(text: str) -> bool:
    """Written with a bracketed sum (``3(2x-3)``, ``\\left(x + 1\\right)^2``): SymPy
    distributes a number over a sum on reading, so the text tells what the writer rewrote."""
    return re.search(r"(?<![_^])[(\[{][^()\[\]{}]*[^\s(\[{^_]\s*[+\-]", text) is not None


def _monomials_of_one_degree(a: sympy.Expr, b: sympy.Expr, syms: set) -> bool:
    """``8a·(-4) = -32a``: two single terms of the same degree can only be a computation
    (as an equation it would just say a = 0)."""
    if isinstance(a, sympy.Add) or isinstance(b, sympy.Add):
        return False
    gens = sorted(syms, key=lambda s: s.name)
    try:
        pa, pb = sympy.Poly(a, *gens), sympy.Poly(b, *gens)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return False
    return len(pa.terms()) == 1 and len(pb.terms()) == 1 and pa.total_degree() == pb.total_degree() > 0


def _names_new(e: Any, calculus: Any) -> bool:
    """``e`` is a plain expression whose letters the calculus side does not hold: the
    relation defines a name for it (or is an equation in that name), not an identity."""
    return not _is_calculus(e) and _is_calculus(calculus) and bool(_symbols(e)) and not (_symbols(e) & _symbols(calculus))


def _subscripted_index(e: Any) -> bool:
    """A sum over ``x_i`` whose index is only a subscript: not something SymPy can evaluate."""
    for a in sympy.preorder_traversal(e) if isinstance(e, sympy.Basic) else ():
        if isinstance(a, (sympy.Sum, sympy.Product)):
            idx = {str(lim[0]) for lim in a.limits}
            if any("_" in s.name and s.name.split("_", 1)[1] in idx for s in a.function.free_symbols):
                return True
    return False


_MODULUS = re.compile(r"\\pmod\s*\{?\s*(\d{1,12})\s*\}?|\(\s*\\?b?mod\s*\{?\s*(\d{1,12})\s*\}?\s*\)|"
                      r"\\b?mod\s*\{?\s*(\d{1,12})\s*\}?", re.I)


def _congruence_claims(st: Statement) -> list[MathClaim]:
    """``13^{-1} \\equiv 15 \\pmod{19}``: numbers congruent modulo the stated modulus
    (a fraction stands for the product with an inverse, as in modular arithmetic)."""
    last = st.sides[-1]
    m = _MODULUS.search(last.text)
    if m is None or _MODULUS.search(last.text, m.end()) or last.text[m.end():].strip(" .,"):
        return []
    modulus = int(next(g for g in m.groups() if g))
    texts = [x.text for x in st.sides[:-1]] + [last.text[:m.start()]]
    values = [parse_side(t, frozenset(), frozenset()) for t in texts]
    out = []
    for k, op in enumerate(st.ops):
        a, b = values[k], values[k + 1]
        if op not in ("equiv", "=") or not isinstance(a, sympy.Expr) or not isinstance(b, sympy.Expr):
            continue
        if not (a.is_Rational and b.is_Rational) or modulus < 2:
            continue
        sa, sb = st.sides[k], st.sides[k + 1]
        end = sb.end if k + 1 < len(st.sides) - 1 else last.start + len(last.text.rstrip(" .,"))
        out.append(MathClaim("congruence", text=f"{sa.text} ≡ {texts[k + 1].strip()} (mod {modulus})",
                             start=sa.start, end=end, lhs=a, rhs=b, extra={"modulus": modulus}))
    return out


def _read_side(text: str, state: _State, fns: frozenset) -> Any:
    """A side as the text's notation means it: a name used as a function is applied, not
    multiplied (unread when the parser has no such name); square brackets where the text
    uses them for the integer part are not grouping (unread)."""
    if state.applied_names is not None and state.applied_names.search(text):
        return None
    if state.floor_brackets and "[" in text:
        return None
    return parse_side(text, fns, FUNCTION_LETTERS | state.applied)


def _chain_claims(st: Statement, state: _State, skip_first: bool, between: str, after: str,
                  kind_before: str) -> list[MathClaim]:
    if "equiv" in st.ops:
        return _congruence_claims(st)
    fns = frozenset(state.defs) | frozenset(state.described)  # f \left( … \right) is a call
    values = [_read_side(s.text, state, fns) for s in st.sides]
    out: list[MathClaim] = []
    n_links = len(st.ops) + st.continued  # a continued display is a link of a longer chain
    identity_cue = bool(IDENTITY_CUES.search(st.context)) and not SOLVE_CUES.search(st.context)
    for k, op in enumerate(st.ops):
        if skip_first and k == 0:
            continue
        a, b = values[k], values[k + 1]
        sa, sb = st.sides[k], st.sides[k + 1]
        if op == "!=" and isinstance(a, sympy.Expr) and isinstance(b, sympy.Expr) and a.is_number \
                and b.is_number and not _calls(a) and not _calls(b):
            # "162 - 108 - 45 - 6 - 3 \neq 0": a computed value said to differ from a number
            out.append(MathClaim("numeric-neq", text=f"{sa.text} \\neq {sb.text}", start=sa.start, end=sb.end,
                                 lhs=a, rhs=b))
            continue
        if op in ("<", "<=", ">", ">=") and len(st.ops) == 1 and st.source == "latex" and isinstance(a, sympy.Expr) \
                and isinstance(b, sympy.Expr) and a.is_number and b.is_number and not _calls(a) and not _calls(b):
            # "since 2^3 < 25": a comparison of two numbers (alone: a chain "… = 68.125 > 0" keeps
            # its plain links for the arithmetic engine, which a span taken here would hide)
            out.append(MathClaim("numeric-order", text=f"{sa.text} {op} {sb.text}", start=sa.start, end=sb.end,
                                 lhs=a, rhs=b, extra={"op": op}))
            continue
        if op == "approx":
            claim = _approx_claim(a, b, sa, sb)
            if claim is not None:
                out.append(claim)
            continue
        if op == "=" and st.source == "latex" and a is None and isinstance(b, sympy.Expr) and b.is_number \
                and _divides_by_zero(sa.text, fns):
            # "\frac{0 - 1994}{0 - 0} = -1": no number equals a division by zero
            out.append(MathClaim("undefined", text=f"{sa.text} = {sb.text}", start=sa.start, end=sb.end, lhs=None, rhs=b))
            continue
        if not isinstance(a, sympy.Expr) or not isinstance(b, sympy.Expr) or op != "=":
            continue
        if _undefined_calls(a, state.defs) or _undefined_calls(b, state.defs):
            continue  # P(2), f(x) + g(x) with f, g unknown: nothing to compute
        # a continued display's first link belongs where its new side is (it may be the next step)
        common = dict(text=f"{sa.text} {op} {sb.text}", start=sb.start if st.continued and k == 0 else sa.start,
                      end=sb.end, lhs=a, rhs=b, rhs_span=(sb.start, sb.end))
        if _is_calculus(a) or _is_calculus(b):
            if _names_new(a, b) or _names_new(b, a):
                continue  # "S = \\sum_{k=1}^{n} a_k", "ks = \\sum …": a name given to the sum, no claim
            if not _subscripted_index(a) and not _subscripted_index(b):
                out.append(MathClaim("calculus", extra={"defs": dict(state.defs)}, **common))
            continue
        if _applies(a, state.defs) or _applies(b, state.defs):
            claim = _evaluation_claim(a, b, state, common)
            if claim is None:
                claim = _given_claim(substitute_definitions(a, state.defs), substitute_definitions(b, state.defs),
                                     st, state, common, after)
            if claim is not None:
                out.append(claim)
            fact = substitute_definitions(sympy.Add(a, -b), state.defs)
            if claim is None and fact.free_symbols and not fact.has(sympy.core.function.AppliedUndef):
                state.facts.append(fact)  # "Q(z) = 0" given Q: a fact about z (a value claim is no fact)
            continue
        syms_a, syms_b = _symbols(a), _symbols(b)
        if not syms_a and not syms_b:
            if k == len(st.ops) - 1 and _REMAINDER_AFTER.match(after):
                continue  # "-161 \\div 13 = -12 \\text{ remainder } -5": a quotient, not the exact value
            claim = _numeric_claim(st, k, values, common) if NUMERIC_LATEX else None
            if claim is not None:
                out.append(claim)
            continue
        if syms_a and syms_a == syms_b and a == b and not _is_name(a):
            out.append(MathClaim("identity", extra={"cue": "same", "facts": ()}, **common))
            continue  # a rewriting step SymPy already sees as the same expression (8a·2a = 16a²)
        if (syms_a and syms_a == syms_b and not _is_name(a) and not _is_name(b) and (
                ((_unexpanded(a) or _unexpanded(b) or _grouped(sa.text) or _grouped(sb.text))
                 and ((n_links >= 2 and not _equation_in_chain(st, values, k)) or identity_cue))
                or (_rewrites_functions(st, values, k) and not _equation_in_chain(st, values, k))
                or _monomials_of_one_degree(a, b, syms_a) or _factorization(a, b, sa.text, sb.text)
                or _factorization(b, a, sb.text, sa.text))) or (
                    (_cancelled(sa.text, a, b) or _cancelled(sb.text, b, a)) and not _same_operation(sa.text, sb.text)):
            # a rewriting (expand, factor, simplify): same variables, one side not expanded,
            # inside a chain or announced by the wording
            out.append(MathClaim("identity", extra={"cue": "chain" if n_links >= 2 else "wording",
                                                    # an = chain over one expression, or "expand", "simplify" …
                                                    "rewriting": n_links >= 2 or identity_cue,
                                                    "facts": tuple(state.facts),
                                                    "given": None if (_symbols(a) | _symbols(b)) & state.redefined
                                                    else state.known,
                                                    "bound": state.bound(a, b), "domain": state.domain_of(a, b)},
                                 **common))
            continue
        if syms_a | syms_b and _holds_everywhere(a, b):
            # sin^2 x + cos^2 x = 1 recalled in passing: an identity, not the next equation
            # (the equation before it stays the one the next step is checked against)
            out.append(MathClaim("identity", extra={"cue": "known", "facts": (), "bound": state.bound(a, b),
                                                    "domain": state.domain_of(a, b)}, **common))
            if n_links == 1:
                state.last_kind = kind_before
            continue
        if n_links == 1 and _OPERAND.search(between):
            continue  # "multiplying by $z^6 - 1 = 0$", "the roots of $z^2 + 1 = 0$": named, not stated
        premise = n_links == 1 and _FROM.search(between) is not None  # "From $x - 8 = 12$ we get …"
        if n_links == 1 or (k == 0 and isinstance(a, sympy.Symbol) and all(
                isinstance(v, sympy.Expr) and v.is_number for v in values[1:])):
            # "x = \frac{24}{15} = \frac{8}{5}": the first link states the root
            claim = _equation_claim(a, b, st, state, common, between, after, kind_before)
            if claim is not None and not premise:
                out.append(claim)
        else:
            claim = None
        if claim is None and not premise:
            claim = _given_claim(a, b, st, state, common, after)
            if claim is not None:
                out.append(claim)
        if syms_a | syms_b:
            state.facts.append(sympy.Add(a, -b))
    if n_links == 1 and st.ops[0] in ("<", "<=", ">", ">=") and all(isinstance(v, sympy.Expr) for v in values):
        claim = _inequality_claim(values[0], st.ops[0], values[1], st, state, between, after, kind_before)
        if claim is not None:
            out.append(claim)
    a, b = values[0], values[-1]
    state.prev_assign = a if (n_links == 1 and isinstance(a, sympy.Symbol) and isinstance(b, sympy.Expr)
                              and b.is_number) else None
    return out


_REMAINDER_AFTER = re.compile(r"\s*(?:\\(?:text|mathrm|textrm)\s*\{\s*)?(?:with\s+)?(?:a\s+)?(?:remainder|R)\b")
_LATEX_MARK = re.compile(r"\\[A-Za-z]|[{}^]")
_DECIMAL = re.compile(r"^-?\d+\.\d+$")


def _numeric_claim(st: Statement, k: int, values: list, common: dict) -> MathClaim | None:
    """A numeric link written in LaTeX (``\\frac{1}{2} + \\frac{1}{3} = \\frac{5}{6}``,
    ``\\binom{8}{4} = 70``, ``2^{10} = 1024``): the arithmetic engine reads plain numbers only,
    so these are checked here. Plain chains are left to it. A running computation
    (``3 \\cdot 4 = 12 + 2 = 14``) restarts from the value just computed."""
    sa, sb = st.sides[k], st.sides[k + 1]
    marked = _LATEX_MARK.search(sa.text) or _LATEX_MARK.search(sb.text) or (st.continued and k == 0)
    if st.source != "latex" or not marked:  # (a continued display is out of the arithmetic engine's view)
        return None
    if re.search(r"\\(?:gcd|lcm|max|min|operatorname)\b", sa.text + sb.text) and \
            _LETTER.search(re.sub(r"\\[A-Za-z]+", " ", sa.text + sb.text)):
        return None  # \\gcd(f(m) + n, f(n) + m) read as a number: a gcd of expressions in unknowns
    if "%" in sa.text + sb.text or re.search(r"\\(?:approx|ldots|dots|cdots)", sa.text + sb.text):
        return None
    if re.search(r"\\circ|°", sa.text + sb.text) and re.search(r"\\pi|π", sa.text + sb.text):
        return None  # 9π/4 = (180°/π)(9π/4): a change of units written as an equality
    a, b = values[k], values[k + 1]
    lead = re.match(r"\s*(-?\d+(?:\.\d+)?)\s*[-+]", sb.text)
    if lead is not None and a != b:
        try:
            if sympy.Rational(lead.group(1)) == a:
                return None  # "= 12 + 2": a running computation continues from 12
        except (TypeError, ValueError):
            return None
    return MathClaim("numeric", extra={"decimal": bool(_DECIMAL.match(sb.text.strip()))}, **common)


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?")


def _divides_by_zero(text: str, functions: frozenset[str]) -> bool:
    """The side is unreadable because a denominator is exactly zero (numbers only)."""
    if re.search(r"[A-Za-z]", re.sub(r"\\[A-Za-z]+", " ", text)):
        return False
    try:
        parse_expression(text, functions=functions)
    except MathParseError as exc:
        return "division by zero" in str(exc)
    except (TypeError, ValueError, ZeroDivisionError, RecursionError, AttributeError):
        return False
    return False


def _approx_claim(a: Any, b: Any, sa: Side, sb: Side) -> MathClaim | None:
    """``\\frac{100}{11} \\approx 9.0909``: a computed number and a decimal shown for it."""
    shown = re.sub(r"\\(?:text|mbox)\s*\{[^{}]*\}|[A-Za-z]{2,}.*$", "", sb.text).strip(" .,$")
    m = _PLAIN_NUMBER.fullmatch(shown)
    if m is None or not isinstance(a, sympy.Expr) or not a.is_number or _calls(a) or a.is_Float:
        return None
    if _PLAIN_NUMBER.fullmatch(sa.text.strip(" $")):
        return None  # "3.14 ≈ 3.1": a rounding of a shown decimal, nothing computed
    places = len(m.group(1) or "")
    return MathClaim("approx", text=f"{sa.text} ≈ {shown}", start=sa.start, end=sb.start + sb.text.find(shown) + len(shown),
                     lhs=a, rhs=sympy.Rational(shown), extra={"places": places, "shown": shown})


def _evaluation_claim(a: Any, b: Any, state: _State, common: dict) -> MathClaim | None:
    """``f(2) = 7`` (all arguments known) or ``f(x+1) = (x+1)^2 + 3`` (a rewriting)."""
    if _is_name(a) and not _applies(a, state.defs) or _is_name(b) and not _applies(b, state.defs):
        return None  # y = f(x): a definition
    if _applies(a, state.defs) and _applies(b, state.defs):
        return None  # f(g(x)) = g(f(x)): an equation to solve
    call_side, other = (a, b) if _applies(a, state.defs) else (b, a)
    has_free = bool(_symbols(call_side))
    if has_free and not _symbols(other):
        return None  # h(x) = 0: an equation
    return MathClaim("evaluation", extra={"defs": dict(state.defs), "facts": tuple(state.facts),
                                          "given": state.known}, **common)


def substitute_definitions(e: Any, defs: dict) -> Any:
    """Replace ``f(a)`` by the body of ``f`` with ``a`` put in, for every defined ``f``."""
    def is_call(a: Any) -> bool:
        return isinstance(a, sympy.core.function.AppliedUndef) and a.func.__name__ in defs and len(a.args) == 1

    def expand_call(a: Any) -> Any:
        var, body = defs[a.func.__name__]
        return body.xreplace({var: a.args[0]})

    for _ in range(4):  # compositions f(g(x)) unfold in a few rounds
        if not any(is_call(a) for a in sympy.preorder_traversal(e)):
            break
        e = e.replace(is_call, expand_call)
    return e


def _equation_claim(a: Any, b: Any, st: Statement, state: _State, common: dict,
                    between: str, after: str, kind_before: str) -> MathClaim | None:
    """Equations in one unknown: the next equation must keep the previous one's solutions,
    a stated root must satisfy it. Linked only when it directly follows that equation (or a
    root of it: "x = 2 or x = 3") and nothing around suggests another case ("if", "testing
    x = -1", "for x = 0", "where c = -2", "x = 3 is not a root")."""
    unknowns = _symbols(a) | _symbols(b)
    if len(unknowns) > 1 and not _constant_symbols(a) | _constant_symbols(b):
        return _system_claim(a, b, unknowns, state, common, between, kind_before)
    if len(unknowns) != 1 or _constant_symbols(a) | _constant_symbols(b):
        return None
    (x,) = unknowns
    solved = (a == x and not _symbols(b)) or (b == x and not _symbols(a))
    value_text = st.sides[1].text if a == x else st.sides[0].text
    computed_value = solved and re.search(r"\d\s*(?:[-+*/×·]|\\cdot|\\times|\\div|\\b?mod\b|mod\b)\s*\(?\d|"
                                          r"\d\s*\(|\\frac|\\binom|\d!", value_text.lstrip("-")) is not None
    previous = state.equation
    # "a = 1, b = -1, and c = -2": a list of parameter values, not a root of the c-equation
    in_list = state.prev_assign is not None and state.prev_assign != x and len(between) <= MAX_SIBLING_GAP
    gap_words = {w.lower() if isinstance(w, str) else w for w in UNLINKED.findall(between)}
    if kind_before == "root":  # "x = 2 or x = 3": another root only when nothing but "or"/"and" joins them
        ok_gap = solved and len(between) <= MAX_SIBLING_GAP and _joined(between, ("or", "and"))
    elif kind_before == "value":  # "42·56 = c, or c = 2336": "or" restates the value as a number
        ok_gap = (solved and not computed_value and len(between) <= MAX_SIBLING_GAP and _joined(between, ("or",))
                  and re.fullmatch(r"-?\s*\d[\d,]*(?:\.\d+)?", value_text.strip(" .,$")) is not None)
    else:  # "2x = 4 and x = 2" is a derivation; "9x^2 = 16 and 15x^2 = -12" lists two equations
        ok_gap = kind_before == "equation" and len(between) <= MAX_LINK_GAP and not (
            gap_words - {"and"} if solved else gap_words)
    linked = (previous is not None and previous[2] == x and x is not None and ok_gap and not in_list and
              not _hypothetical(st.context) and not NEGATED.match(after) and
              not (_listing(st.context) and not solved) and not _given(a, b, state))
    claim = None
    if linked:
        claim = MathClaim("equation-step", var=x,
                          extra={"from": (previous[0], previous[1]), "solved": solved}, **common)
    if computed_value and not _hypothetical(st.context):
        state.equation, state.last_kind = (a, b, x), "value"  # c = 42·56 fixes c
    elif solved:
        state.last_kind = "root" if linked else "other"
    elif (not linked and kind_before == "equation" and previous is not None and previous[2] == x
          and len(between) <= MAX_SIBLING_GAP and _joined(between, ("or", "either", "and"))):
        # "x - 3 = 0 or x + 1 = 0": alternatives; what comes next follows from the
        # disjunction (the product of the two), not from the last one alone
        state.equation = (sympy.Mul(sympy.Add(previous[0], -previous[1]), sympy.Add(a, -b)), sympy.Integer(0), x)
        state.last_kind = "equation"
    else:
        state.equation, state.last_kind = (a, b, x), "equation"
    return claim


#: what may stand between two relations joined as a list or as alternatives: punctuation,
#: spacing, math delimiters and the joining words themselves
_JOINERS = r"(?:[\s,;:&$]|\\[\[\]()]|\\q?quad\b|\\[,;!]|\\(?:text|mbox)\s*\{\s*(?:{w})?\s*\}|(?<![A-Za-z])(?:{w})(?![A-Za-z]))*"


def _joined(between: str, words: tuple[str, ...]) -> bool:
    """``between`` holds nothing but punctuation, spacing and the joining ``words``."""
    pattern = _JOINERS.replace("{w}", "|".join(words))
    return re.fullmatch(pattern, between, re.I) is not None


#: "Expanding both sides gives:": the next equation is the one before, rewritten side by side
_BOTH_SIDES_REWRITTEN = re.compile(r"\b(?:expand\w*|simplif\w*|distribut\w*|multiply(?:ing)?\s+out)\s+"
                                   r"(?:both\s+sides|each\s+side)\b[^.;]*$", re.I)
IMPLIES = re.compile(r"\\(?:implies|Rightarrow|Longrightarrow|therefore)\b|⇒|⟹")
MAX_FACTS = 40


def _system_claim(a: Any, b: Any, unknowns: set, state: _State, common: dict, between: str,
                  kind_before: str) -> MathClaim | None:
    """An equation in several unknowns written right after another with an explicit
    ``\\implies``: it must follow from that one and the equations stated before it, as
    a combination with constant factors (``xy - y^2 = -112 \\implies 33 - y^2 = -112``
    after ``xy = 33``)."""
    previous = state.equation if kind_before == "system" else None
    claim = None
    implied = IMPLIES.search(between) and len(between) <= MAX_SIBLING_GAP and not UNLINKED.findall(between)
    rewritten = len(between) <= MAX_LINK_GAP and _BOTH_SIDES_REWRITTEN.search(between) is not None
    if previous is not None and (implied or rewritten):
        premise = sympy.Add(previous[0], -previous[1])
        facts = [f for f in state.facts[-MAX_FACTS:] if f != premise]
        claim = MathClaim("system-step", var=None, extra={"premise": premise, "facts": tuple(facts),
                                                          "from": (previous[0], previous[1]),
                                                          "all_facts": len(state.facts) <= MAX_FACTS,
                                                          "rewritten": rewritten}, **common)
    state.equation, state.last_kind = (a, b, None), "system"
    return claim


def _given_claim(a: Any, b: Any, st: Statement, state: _State, common: dict, after: str) -> MathClaim | None:
    """An equation in the unknowns the question pins down (its equations, roots, identities):
    checked against them, unless it is a case being tried or said not to hold."""
    known = state.known
    syms = _symbols(a) | _symbols(b)
    if not known or not syms or not syms <= known.symbols or _calls(a) or _calls(b) or syms & state.redefined:
        return None
    if _hypothetical(st.context) or NEGATED.match(after) or _given(a, b, state):
        return None
    return MathClaim("given", extra={"given": known}, **common)


def _given(a: Any, b: Any, state: _State) -> bool:
    """The relation restates one from the question (a given condition, not a derived step)."""
    d = sympy.Add(a, -b)
    return any(d == g or d == -g for g in state.given)


#: an equation named as the object of a phrase, not asserted
_OPERAND = re.compile(r"\b(?:by|of|into|than|with)\s*(?:\$\$?|\\[(\[])?\s*$", re.I)
#: "From $x - 8 = 12$", "solve $x + 2 = x^2$:": an equation recalled as a premise, or named as the one
#: to solve, not a step derived from the one before
_FROM = re.compile(r"\b(?:from|solv(?:e|ing))\s*(?:the\s+(?:\w+\s+)?equation\s*)?:?\s*(?:\$\$?|\\[(\[])?\s*$", re.I)
#: "Since $b > 1$": a condition recalled, not the next step of a derivation
_PREMISE = re.compile(r"\b(?:since|because|given|as)\b", re.I)


def _inequality_claim(a: Any, op: str, b: Any, st: Statement, state: _State, between: str,
                      after: str, kind_before: str) -> MathClaim | None:
    """One-unknown inequalities: the next one must have the same solution set."""
    unknowns = _symbols(a) | _symbols(b)
    if len(unknowns) != 1:
        state.inequality = None
        return None
    (x,) = unknowns
    previous = state.inequality
    gap_words = UNLINKED.findall(between) + _PREMISE.findall(between)
    linked = (previous is not None and previous[3] == x and kind_before == "inequality" and
              len(between) <= MAX_LINK_GAP and not gap_words and not re.search(r"[.;]\s", between) and not _hypothetical(st.context)
              and not NEGATED.match(after) and not _listing(st.context) and not _given(a, b, state))
    state.inequality, state.last_kind = (a, op, b, x), "inequality"
    if not linked:
        return None
    sa, sb = st.sides[0], st.sides[1]
    return MathClaim("inequality-step", text=f"{sa.text} {op} {sb.text}", start=sa.start, end=sb.end,
                     lhs=a, rhs=b, var=x, extra={"from": previous[:3], "op": op})


# ---- named parts, arguments, digit formulas ----------------------------------------------
_MATH_ONE = r"(?:\$[^$]{1,300}\$|\\\((?:(?!\\[()]).){1,300}\\\)|\\\[(?:(?!\\[\[\]]).){1,300}\\\])"
_ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}
#: "So, the second part becomes \(-16a^2 - 32a\)": a named term of the expression asked about
_NAMED_PART = re.compile(r"\bthe\s+(?P<ord>first|second|third|fourth|last)\s+(?:term|part)\s+"
                         r"(?:becomes|simplifies\s+to|expands\s+to)\s*:?\s*(?P<math>" + _MATH_ONE + r")", re.I | re.S)


def _math_inner(bit: str) -> str:
    bit = bit.strip()
    inner = bit[1:-1] if bit.startswith("$") else bit[2:-2]
    return strip_wrappers(inner).strip().rstrip(".,;:").strip()


def written_terms(text: str) -> list[str]:
    """The terms of a sum in written order, each with its sign (``7a^3(3a^2 - a) - 8a(2a - 4)``
    → ``7a^3(3a^2 - a)``, ``- 8a(2a - 4)``): cut at a top-level ``+``/``-`` that follows an
    operand (not the sign of an exponent or of a factor after ``\\cdot``)."""
    depth, cuts = 0, []
    for i, c in enumerate(text):
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth = max(0, depth - 1)
        elif c in "+-" and depth == 0 and i > 0:
            prev = text[:i].rstrip()
            if prev and (prev[-1].isalnum() or prev[-1] in ")}]") and not re.search(r"\\[A-Za-z]+$", prev):
                cuts.append(i)
    bounds = [0] + cuts + [len(text)]
    return [text[a:b].strip() for a, b in zip(bounds, bounds[1:]) if text[a:b].strip()]


def _named_part_claims(text: str, question: str, state: _State) -> list[MathClaim]:
    """"The second part becomes X" where the question asks to simplify or compute a sum: X
    must be that term of the sum as written, with or without its sign."""
    parse = lambda t: parse_side(t, frozenset(state.defs), FUNCTION_LETTERS)  # noqa: E731
    target = question_target(question, parse, state.defs)
    if target is None:
        return []
    terms = written_terms(target.text)
    values = [parse(t) for t in terms]
    if len(terms) < 2 or not all(isinstance(v, sympy.Expr) and not _calls(v) for v in values):
        return []
    out = []
    for m in _NAMED_PART.finditer(text):
        k = _ORDINALS[m.group("ord").lower()]
        if k >= len(terms):
            continue
        shown = _math_inner(m.group("math"))
        claimed = parse(shown)
        if not isinstance(claimed, sympy.Expr) or _calls(claimed) or _top_level(shown, _REL_RE):
            continue
        s, e = m.start("math"), m.end("math")
        out.append(MathClaim("named-part", text=text[m.start():e], start=m.start(), end=e, lhs=claimed,
                             rhs=substitute_definitions(values[k], state.defs), rhs_span=(s, e),
                             extra={"part": terms[k], "question": target.text}))
    return out


_GREEK_NAME = r"\\(?:theta|phi|alpha|beta|psi|varphi|vartheta)"
#: "Let \( \theta \) be the argument of \( \frac{64}{5} - \frac{48}{5}i \)"
_ARGUMENT_OF = re.compile(r"\blet\s+(?:\$|\\\()\s*(?P<name>" + _GREEK_NAME + r")\s*(?:\$|\\\))\s+be\s+the\s+argument\s+"
                          r"(?:\(angle\)\s+)?of\s+(?:the\s+complex\s+number\s+)?(?P<math>" + _MATH_ONE + r")", re.I | re.S)


def _argument_claims(text: str) -> list[MathClaim]:
    """"Let θ be the argument of Z" then "θ = V": V must be an argument of the complex
    number Z (equal to it up to a multiple of 2π). Only until θ is named again."""
    decls = list(_ARGUMENT_OF.finditer(text))
    out = []
    for n, m in enumerate(decls):
        z = parse_side(_math_inner(m.group("math")), frozenset())
        if not isinstance(z, sympy.Expr) or not z.is_number or z.has(sympy.Float) or z == 0:
            continue
        name = m.group("name")
        end = decls[n + 1].start() if n + 1 < len(decls) else len(text)
        for st in statements(text[m.end():end]):
            if st.ops[0] != "=" or st.sides[0].text.strip() != name or _hypothetical(st.context):
                continue  # "if we guessed θ = π/2, …" tries a value, it does not state one
            side = st.sides[1]
            value = parse_side(side.text, frozenset())
            if not isinstance(value, sympy.Expr) or not value.is_number or value.has(sympy.Float) \
                    or re.search(r"\d\.\d", side.text):
                continue  # a decimal is a rounding of the angle, not an exact value
            s, e = m.end() + st.sides[0].start, m.end() + side.end
            out.append(MathClaim("argument", text=text[s:e], start=s, end=e, lhs=value, rhs=z,
                                 rhs_span=(m.end() + side.start, e), extra={"name": name}))
    return out


_DIGIT_WORD = r"(?:ones|units|unit)\s+digit"
_MATH_SHORT = r"(?:\$[^$]{1,80}\$|\\\((?:(?!\\[()]).){1,80}\\\))"
#: "denote the ones digit of \(n\) as \(d\)", "let $d$ be the units digit of $n$"
_DIGIT_NAMED = re.compile(r"\b(?:denote|call)\s+the\s+" + _DIGIT_WORD + r"\s+of\s+(?P<n>" + _MATH_SHORT + r")\s+(?:as|by)\s+"
                          r"(?P<d>" + _MATH_SHORT + r")|\blet\s+(?P<d2>" + _MATH_SHORT + r")\s+be\s+the\s+" + _DIGIT_WORD
                          + r"\s+of\s+(?P<n2>" + _MATH_SHORT + r")", re.I)
#: "the ones digit of \(51 - n\) is actually \(10 - d\)"
_DIGIT_OF = re.compile(r"\bthe\s+" + _DIGIT_WORD + r"\s+of\s+(?P<e>" + _MATH_SHORT + r")\s+is\s+(?:actually\s+|then\s+|just\s+)?"
                       r"(?P<f>" + _MATH_SHORT + r")", re.I)
_IF_MATH = re.compile(r"\bif\s+(" + _MATH_SHORT + r")\s*,?\s*(?:then\s*,?\s*)?", re.I)
_CONDITION_WORDS = re.compile(r"\b(?:if|when|whenever|unless|for|suppose|assum\w*|case|where|only)\b", re.I)
#: words that set a condition before the claim ("Since d ≥ 2, …"); after it they usually
#: explain it ("(since we borrow 1)") and count only with a bound on the digit
_PREMISE_WORDS = re.compile(r"\b(?:since|because|as|given|now)\b", re.I)
_ORDER_SIGN = re.compile(r"<|>|\\[lg]eq?\b|\\n(?:eq|e)\b|\\[lg]eqslant|[≤≥≠]")
_SCALAR = re.compile(r"^[A-Za-z]$")


def _digit_formula_claims(text: str) -> list[MathClaim]:
    """"Let d be the ones digit of n" then "the ones digit of E(n) is F(d)", E a polynomial
    in n with integer coefficients (so its ones digit depends on d alone): checked on every
    ones digit, under the "if" conditions on d written in the same sentence."""
    out = []
    for decl in _DIGIT_NAMED.finditer(text):
        n_text, d_text = (_math_inner(decl.group(g) or decl.group(g + "2")) for g in ("n", "d"))
        if not (_SCALAR.match(n_text) and _SCALAR.match(d_text)) or n_text == d_text:
            continue
        n, d = sympy.Symbol(n_text), sympy.Symbol(d_text)
        if re.search(r"(?<![A-Za-z\\])" + n_text + r"\s*=\s*-?\d", text[:decl.start()]):
            continue  # n was given a value: the claim is about that number only
        for m in _DIGIT_OF.finditer(text, decl.end()):
            claim = _digit_formula(text, m, n, d, decl.end())
            if claim is not None:
                out.append(claim)
        break  # one naming of the digit per solution
    return out


def _bounds_digit(bit: str, d: sympy.Symbol) -> bool:
    """A piece of math that orders or excludes the digit ("d \\geq 2", "d < 5", "d \\neq 0")."""
    return _ORDER_SIGN.search(bit) is not None and re.search(r"(?<![A-Za-z\\])" + d.name + r"(?![A-Za-z])", bit) is not None


def _digit_formula(text: str, m: re.Match, n: sympy.Symbol, d: sympy.Symbol, decl_end: int) -> MathClaim | None:
    e = parse_side(_math_inner(m.group("e")), frozenset())
    f = parse_side(_math_inner(m.group("f")), frozenset())
    if not isinstance(e, sympy.Expr) or not isinstance(f, sympy.Expr) or e.free_symbols != {n} \
            or d not in f.free_symbols or f.free_symbols != {d}:
        return None
    try:
        poly = sympy.Poly(e, n)
    except (sympy.PolynomialError, sympy.GeneratorsNeeded):
        return None
    if poly.degree() > 6 or not all(c.is_Integer for c in poly.all_coeffs()):
        return None
    start = max(text.rfind(". ", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
    stops = [i for i in (text.find(". ", m.end()), text.find("\n", m.end())) if i >= 0]
    before, after = text[start:m.start()], text[m.end():min(stops) if stops else len(text)]
    conditions = []
    for c in _IF_MATH.finditer(before):
        rel = _inequality(c.group(1))
        if rel is None or rel.free_symbols != {d}:
            return None
        conditions.append(rel)
    unread_before = _IF_MATH.sub(" ", before)
    if _CONDITION_WORDS.search(unread_before) or _PREMISE_WORDS.search(unread_before) \
            or _CONDITION_WORDS.search(after):
        return None  # a condition this reading does not capture
    # "Suppose d ≥ 2. Then …", "… (as d ≥ 2)": a bound on the digit stated outside an "if"
    # (one the "if" repeats is read)
    unread = text[decl_end:start] + unread_before + after
    for b in re.finditer(_MATH_SHORT, unread):
        if _bounds_digit(b.group(0), d) and _inequality(b.group(0)) not in conditions:
            return None
    return MathClaim("digit-formula", text=text[m.start():m.end()], start=m.start(), end=m.end(), lhs=e, rhs=f,
                     rhs_span=(m.start("f"), m.end("f")), var=n, extra={"digit": d, "conditions": tuple(conditions)})
