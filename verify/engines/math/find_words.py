"""Number facts stated in words (deterministic, no model): what a worked solution says about
whole numbers without writing an equation.

- "the GCD of 116 and 174 is 2", "the least common multiple of 9 and 15 is 45";
- "1529 divided by 6 leaves a remainder of 4", "the remainder when 706 is divided by 7 is 1",
  "706 ÷ 7 = 100 with a remainder of 6";
- "31 is prime", "57 is not a prime number", "125 is not divisible by 2", "96 is a multiple of 4";
- "411 and 333 do not share any common factors", "5 and 8 are relatively prime";
- "in base 3, 87 can be written as 10000", "87 in base 2 is 1010111";
- "Rounding to the nearest whole number, the time is 161" after a value 161.7;
- "multiples of 4: 32, 36, 64" (each one listed must be), "there are 7 choices (0, 2, 4, 6)"
  (a count must match the list it counts);
- "64, which is the smallest power of 4 larger than 8", "the largest perfect square less than
  50 is 49", "the smallest prime greater than 20 is 23" (also multiples and perfect cubes);
- with the question (:func:`question_facts`): "the smallest perfect cube in the list is 8"
  against the question's one run of numbers ("25, 26, …, 250"; not when the solution writes
  another list first), and numbers listed "from the given digits" against the one set of
  digits the question gives (each may use only those digits).

Each becomes a :class:`~verify.engines.math.find_steps.MathClaim` of type ``number-fact`` whose
``extra["fact"]`` names the fact and holds its integers; the engine decides it exactly. A
fact inside "check if 11 is prime" or "whether 12 is divisible by 4" is a question, not a claim.
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Iterator

MAX_DIGITS = 30  # numbers this long are read; longer ones are left alone


class Needs:
    """A pattern and a word every match of it holds: a text without the word is not scanned
    (most answers state none of these facts, and trying a number at every digit is slow)."""

    def __init__(self, word: str, pattern: re.Pattern, flags: int = 0) -> None:
        self.word, self.pattern = re.compile(word, flags), pattern

    def finditer(self, text: str) -> Iterator[re.Match]:
        return self.pattern.finditer(text) if self.word.search(text) else iter(())


def _num(name: str | None = None) -> str:
    """A whole number, bare or in ``$…$`` / ``\\(…\\)``, as a (named) group."""
    group = f"?P<{name}>" if name else ""
    return (r"(?:\$|\\\()?\s*(" + group + r"\d{1,3}(?:\{,\}\d{3})+|\d{1,3}(?:,\d{3})+|\d{1,30})"
            r"(?![\d^_]|\.\d|\s*(?:\\cdot|\\times|[*×·/+\-^]\s*\d))\s*(?:\$|\\\))?")  # a whole number, not 2^3·3


_N = _num()
_D = r"(?:\$|\\\()?\s*(\d{1,30}(?:\.\d{1,12})?)\s*(?:\$|\\\))?"
_ASKING = re.compile(r"\b(?:if|whether|check|checking|test|testing|see|determine)(?:\s+\w+){0,2}\s*[$(\\]*$", re.I)

_GCD = re.compile(
    r"\b(?:the\s+)?(?P<kind>GCD|gcd|GCF|greatest\s+common\s+(?:divisor|factor)|LCM|lcm|least\s+common\s+multiple)"
    r"(?:\s*\((?:GCD|GCF|LCM)\))?\s+of\s+(?P<nums>" + _N + r"(?:\s*,\s*" + _N + r")*,?\s+and\s+" + _N + r")"
    r"\s+(?:is|=|equals)\s+" + _N)
_REMAINDER_WHEN = re.compile(
    r"\bremainder\s+(?:when|of)\s+" + _N + r"\s+(?:is\s+)?divided\s+by\s+" + _N + r"\s+is\s+" + _N)
_LEAVES = re.compile(
    _N + r"\s+divided\s+by\s+" + _N + r"\s+(?:leaves|gives|has)\s+(?:a\s+|us\s+a\s+)?remainder\s+(?:of\s+)?" + _N)
_REMAINDER_WORDS = r"(?:with\s+)?(?:a\s+)?(?:remainder|R|r)\s*(?:of\s+)?"
#: "706 ÷ 7 = 100 R 6", LaTeX too: "63 \div 5 = 12 \text{ remainder } 3"
_DIVISION = re.compile(
    _N + r"\s*(?:÷|\\div)\s*" + _N + r"\s*=\s*" + _N + r"\s*(?:\\(?:text|mathrm|textrm)\s*\{\s*"
    + _REMAINDER_WORDS + r"\s*\}\s*|" + _REMAINDER_WORDS + r")" + _N)
_SIGNED = r"(?:\$|\\\()?\s*(-?\s*\d{1,30})(?![\d^_]|\.\d)\s*(?:\$|\\\))?"
#: "-161 \\div 13 = -12 \\text{ remainder } -5": a negative dividend (the remainder may take its sign)
_SIGNED_DIVISION = re.compile(
    r"(?<![\d\w])(?:\$|\\\()?\s*(-\s*\d{1,30})\s*(?:÷|\\div)\s*" + _N + r"\s*=\s*" + _SIGNED
    + r"\s*(?:\\(?:text|mathrm|textrm)\s*\{\s*" + _REMAINDER_WORDS + r"\s*\}\s*|" + _REMAINDER_WORDS + r")" + _SIGNED)
_PRIME = re.compile(_N + r"\s+is\s+(?P<neg>not\s+)?(?:a\s+)?(?P<word>prime|composite)(?:\s+number)?\b(?!\s+factor)")
_DIVISIBLE = re.compile(_N + r"\s+is\s+(?P<neg>not\s+)?(?:divisible\s+by|a\s+multiple\s+of)\s+" + _N)
_COPRIME = re.compile(_N + r"\s+and\s+" + _N + r"\s+(?:are\s+(?P<neg>not\s+)?(?:relatively\s+prime|coprime)|"
                      r"(?:do\s+not|don't)\s+(?:share|have)\s+any\s+(?:other\s+)?common\s+(?:prime\s+)?(?:factors|divisors))")
_BASE = re.compile(
    r"\bin\s+base[\s-]*(?P<b>\d{1,2}),?\s+" + _N + r"\s+(?:can\s+be\s+written|is\s+written|is\s+represented|is|becomes)"
    r"(?:\s+as)?\s+\$?(?P<d>[0-9]{1,40})\$?(?!\d|\.\d)"
    r"|" + _num("n2") + r"\s+in\s+base[\s-]*(?P<b2>\d{1,2})\s+is\s+\$?(?P<d2>[0-9]{1,40})\$?(?!\d|\.\d)", re.I)
_ROUND = re.compile(
    r"\bround(?:ing|ed)?\s+(?:" + _D + r"\s+)?(?:up\s+|down\s+)?to\s+the\s+nearest\s+"
    r"(?P<place>whole\s+number|integer|tenth|hundredth|thousandth)s?\b[^.\n]{0,60}?"
    r"(?:\bis\b|\bgives(?:\s+us)?\b|=|\bbecomes\b|\bget\b|\bwe\s+get\b)\s*" + _D, re.I)
_LIST = r"(?P<list>-?\d{1,12}(?:\s*,\s*(?:and\s+)?-?\d{1,12}){2,40})(?!\s*,?\s*(?:\.\.\.|\\[lc]?dots|…))"
#: "multiples of 4: 32, 36, 64": every number listed must be one
_MULTIPLES_LIST = re.compile(r"\b(?:multiples?\s+of|divisible\s+by)\s+" + _num("d") + r"\s*(?:are|is)?\s*:\s*" + _LIST, re.I)
#: "there are 7 choices for the exponent of 3 (0, 2, 4, 6)": a count and the list it counts
_COUNTED_LIST = re.compile(r"\bthere\s+(?:are|is)\s+(?P<count>\d{1,3})\s+(?:[A-Za-z]+\s+|\d+\s+){1,8}?\(\s*"
                           + _LIST.replace("{2,40}", "{1,40}") + r"\s*\)", re.I)
_PLACES = {"whole number": 0, "integer": 0, "tenth": 1, "hundredth": 2, "thousandth": 3}
#: "the smallest power of 4 larger than 8", "the largest perfect square less than 50",
#: "the smallest prime greater than or equal to 20", "the least multiple of 7 above 100"
_EXTREME = (r"the\s+(?P<ext>smallest|least|largest|greatest|biggest)\s+(?:positive\s+)?"
            r"(?P<kind>power\s+of\s+" + _num("base") + r"|multiple\s+of\s+" + _num("d")
            + r"|perfect\s+square|perfect\s+cube|prime(?:\s+number)?)\s+(?:that\s+is\s+)?"
            r"(?P<cmp>larger|greater|bigger|more|higher|less|smaller|lower|above|below|under|over)"
            r"(?:\s+than)?(?P<eq>\s+or\s+equal\s+to)?\s+" + _num("bound"))
#: "64, which is the smallest power of 4 larger than 8" / "64 is the smallest …"
#: the phrase must end the clause: "29 is the smallest prime greater than 20 that ends in 9"
#: narrows the kind, so the bound alone does not decide it
_EXTREME_AFTER = re.compile(_num("value") + r"\s*,?\s*(?P<verb>which\s+is|is)\s+" + _EXTREME
                            + r"(?=\s*(?:[.,;:!?)\n]|\\\]|$|(?:and|so)\b))"
                            r"(?!\s*,?\s*(?:that|which|whose|with|where|ending|ends|having|and\s+(?:that|which|whose|"
                            r"also|is|ends|has|with)|so\s+that)\b)", re.I)
#: "the smallest power of 4 larger than 8 is 64"
_EXTREME_BEFORE = re.compile(r"\b" + _EXTREME + r"\s+(?:is|=|equals)\s+" + _num("value"), re.I)
_ABOVE = {"larger", "greater", "bigger", "more", "higher", "above", "over"}
_VALUE_OPENERS = ("=", "(", ",", ":", ";")
_LAST_DECIMAL = re.compile(r"(\d{1,30}\.\d{1,12})(?!.*\d\.\d)", re.S)
#: the word each fact's pattern needs (see Needs)
_GCD = Needs("GCD|gcd|GCF|greatest|LCM|lcm|least", _GCD)
_REMAINDER_WHEN = Needs("remainder", _REMAINDER_WHEN)
_LEAVES = Needs("divided", _LEAVES)
_DIVISION = Needs(r"÷|\\div", _DIVISION)
_PRIME = Needs("prime|composite", _PRIME)
_DIVISIBLE = Needs("divisible|multiple", _DIVISIBLE)
_COPRIME = Needs("prime|common", _COPRIME)
_BASE = Needs("base", _BASE, re.I)
_ROUND = Needs("round", _ROUND, re.I)
_MULTIPLES_LIST = Needs("multiple|divisible", _MULTIPLES_LIST, re.I)
_COUNTED_LIST = Needs("there", _COUNTED_LIST, re.I)
_EXTREME_AFTER = Needs("smallest|least|largest|greatest|biggest", _EXTREME_AFTER, re.I)
_EXTREME_BEFORE = Needs("smallest|least|largest|greatest|biggest", _EXTREME_BEFORE, re.I)


def _int(text: str) -> int | None:
    digits = text.replace("{,}", "").replace(",", "")
    return int(digits) if len(digits) <= MAX_DIGITS else None


#: words after which a number is the subject of a new clause ("so 57 is prime"); after
#: others it belongs to a phrase ("a digit sum of 9 is prime", "3x - 1 is divisible by 19")
_LEADS = {"and", "so", "since", "because", "thus", "therefore", "then", "but", "that", "yes", "no",
          "hence", "which", "as", "clearly", "now", "also", "however", "indeed", "number", "integer",
          "first", "second", "third", "finally", "both", "where", "while", "note", "notice", "here"}


def _subject(text: str, start: int) -> bool:
    """The number at ``start`` opens a clause (sentence start, punctuation, a math opener
    such as ``\\[`` or a leading word)."""
    before = text[:start].rstrip(" \t$(\\[")
    if not before or before[-1] in ",.:;!?\n":
        return True
    word = re.search(r"([A-Za-z]+)$", before)
    return word is not None and word.group(1).lower() in _LEADS


def _standalone(text: str, start: int) -> bool:
    """The number at ``start`` is a whole value, not the end of a product or an exponent
    ("2 \\cdot 32, which is …" names 64, not 32)."""
    before = text[:start].rstrip(" \t$")
    if not before or before[-1] in _VALUE_OPENERS or before.endswith("\\("):
        return True
    word = re.search(r"(?<![\\A-Za-z])([A-Za-z]+)$", before)
    return word is not None


def _asked(text: str, start: int) -> bool:
    return _ASKING.search(text[max(0, start - 40):start].rstrip()) is not None


#: words before "multiples of d" in its clause that make the list describe something else:
#: a union ("factors of 34 or multiples of 7"), a complement ("not multiples of 7"), a
#: conjunction joined right before ("primes and multiples of 7")
_NOT_ONLY_MULTIPLES = re.compile(r"\b(?:or|nor|either|neither|not|non|except|excluding|without|other\s+than)\b"
                                 r"|\b(?:and|plus)\s+(?:also\s+)?(?:(?:that|which)\s+are\s+)?$|\bnon-", re.I)


def _only_multiples(text: str, start: int) -> bool:
    """The list after "multiples of d:" is said to be multiples of d, and only that: its
    clause does not join another property to it."""
    clause = re.split(r"[.;:!?\n]", text[max(0, start - 200):start])[-1]
    return _NOT_ONLY_MULTIPLES.search(clause) is None


def number_facts(text: str) -> Iterator[tuple[str, int, int, dict]]:
    """(type, start, end, fact) for each number fact stated in ``text``."""
    for m in _GCD.finditer(text):
        nums = [_int(x) for x in re.findall(r"\d{1,3}(?:\{,\}\d{3})+|\d{1,3}(?:,\d{3})+|\d+", m.group("nums"))]
        claimed = _int(m.groups()[-1])
        kind = "lcm" if re.search(r"lcm|least", m.group("kind"), re.I) else "gcd"
        if None not in nums and claimed is not None and len(nums) >= 2:
            yield kind, m.start(), m.end(), {"fact": kind, "numbers": nums, "claimed": claimed}
    for pat in (_REMAINDER_WHEN, _LEAVES):
        for m in pat.finditer(text):
            n, d, r = (_int(g) for g in m.groups()[:3])
            if None not in (n, d, r) and d > 0 and not _asked(text, m.start()) and (
                    pat is _REMAINDER_WHEN or _subject(text, m.start(1))):
                yield "remainder", m.start(), m.end(), {"fact": "remainder", "n": n, "d": d, "claimed": r}
    for m in (*_DIVISION.finditer(text), *_SIGNED_DIVISION.finditer(text)):
        n, d, q, r = (_int(g.replace(" ", "")) for g in m.groups()[:4])
        if None not in (n, d, q, r) and d > 0 and _subject(text, m.start(1)):
            yield "division", m.start(), m.end(), {"fact": "division", "n": n, "d": d, "quotient": q, "claimed": r}
    for m in _PRIME.finditer(text):
        n = _int(m.group(1))
        if n is not None and not _asked(text, m.start()) and _subject(text, m.start(1)):
            prime = (m.group("word") == "prime") != bool(m.group("neg"))
            yield "prime", m.start(), m.end(), {"fact": "prime", "n": n, "claimed": prime}
    for m in _DIVISIBLE.finditer(text):
        n, d = _int(m.group(1)), _int(m.groups()[-1])
        if None not in (n, d) and d > 0 and not _asked(text, m.start()) and _subject(text, m.start(1)):
            yield "divisible", m.start(), m.end(), {"fact": "divisible", "n": n, "d": d, "claimed": not m.group("neg")}
    for m in _COPRIME.finditer(text):
        a, b = _int(m.group(1)), _int(m.group(2))
        if None not in (a, b) and not _asked(text, m.start()) and _subject(text, m.start(1)):
            yield "coprime", m.start(), m.end(), {"fact": "coprime", "numbers": [a, b], "claimed": not m.group("neg")}
    for m in _BASE.finditer(text):
        base = int(m.group("b") or m.group("b2"))
        n = _int(m.group(2) if m.group("b") else m.group("n2"))
        digits = m.group("d") or m.group("d2")
        if n is not None and 2 <= base <= 10 and all(int(c) < base for c in digits):
            yield "base", m.start(), m.end(), {"fact": "base", "n": n, "base": base, "claimed": digits}
    for m in _MULTIPLES_LIST.finditer(text):
        d = _int(m.group("d"))
        items = [int(x) for x in re.findall(r"-?\d+", m.group("list"))]
        if d is not None and d > 0 and not _asked(text, m.start()) and _only_multiples(text, m.start()):
            yield "multiples", m.start(), m.end(), {"fact": "multiples", "d": d, "items": items}
    for m in _COUNTED_LIST.finditer(text):
        items = re.findall(r"-?\d+", m.group("list"))
        yield "count", m.start(), m.end(), {"fact": "count", "items": items, "claimed": int(m.group("count"))}
    for pat in (_EXTREME_AFTER, _EXTREME_BEFORE):
        for m in pat.finditer(text):
            if pat is _EXTREME_AFTER and not _standalone(text, m.start("value")):
                continue
            kind = re.sub(r"\s+", " ", m.group("kind").lower())
            fact = {"fact": "extreme", "largest": m.group("ext").lower() in ("largest", "greatest", "biggest"),
                    "above": m.group("cmp").lower() in _ABOVE, "or_equal": bool(m.group("eq")),
                    "bound": _int(m.group("bound")), "claimed": _int(m.group("value")),
                    "kind": "power" if kind.startswith("power") else "multiple" if kind.startswith("multiple")
                    else kind.split()[-1] if kind.startswith("perfect") else "prime",
                    "of": _int(m.group("base") or m.group("d") or "0")}
            if (None not in (fact["bound"], fact["claimed"], fact["of"]) and fact["largest"] != fact["above"]
                    and not _asked(text, m.start())):  # "the largest … above 8" has no answer
                # "16, which is …" spans from "which": the value may end a claim of its own (4^2 = 16)
                yield "extreme", m.start("verb") if pat is _EXTREME_AFTER else m.start(), m.end(), fact
    for m in _ROUND.finditer(text):
        given, claimed = m.group(1), m.groups()[-1]
        if given is None:
            before = _LAST_DECIMAL.search(text[max(0, m.start() - 120):m.start()])
            given = before.group(1) if before else None
        if given is None:
            continue
        yield "round", m.start(), m.end(), {"fact": "round", "value": Fraction(given),
                                            "places": _PLACES[re.sub(r"\s+", " ", m.group("place").lower())],
                                            "claimed": Fraction(claimed), "shown": claimed}


#: "25, 26, 27, \dots, 250": a run of whole numbers (two or more written terms, dots, the last)
_RUN = re.compile(r"(?<![\d.])(?P<a>\d{1,12})\s*,\s*(?P<b>\d{1,12})\s*,\s*(?:(?P<c>\d{1,12})\s*,\s*)?"
                  r"(?:\\[lc]?dots|\.\.\.|…)\s*,?\s*(?P<last>\d{1,12})(?![\d.]\d)")
#: "the smallest perfect cube in the list is \(2^3 = 8\)": an extreme over the question's list
_LIST_EXTREME = re.compile(
    r"\bthe\s+(?P<ext>smallest|least|largest|greatest|biggest)\s+(?:positive\s+)?"
    r"(?P<kind>power\s+of\s+" + _num("base") + r"|multiple\s+of\s+" + _num("d")
    + r"|perfect\s+square|perfect\s+cube|prime(?:\s+number)?)\s+in\s+the\s+(?:given\s+)?list\s+(?:is|=|equals)\s+"
    r"(?:(?P<open>\$|\\\()\s*(?:[\d\s^{}]{1,20}=\s*)?(?P<value>\d{1,30})\s*(?:\$|\\\))|(?P<bare>\d{1,30})(?![\d^]|\.\d|\s*[*×·+\-/^]))",
    re.I)
MAX_RUN_MEMBERS = 10**6


_DOTTED = re.compile(r"(?<![\d.])(?P<a>-?\d{1,12})\s*,\s*(?:-?\d{1,12}\s*,\s*){1,12}(?:\\[lc]?dots|\.\.\.|…)\s*,?\s*"
                     r"(?P<last>-?\d{1,12})(?![\d.]\d)")


def _other_list(text: str, run: tuple[int, int, int]) -> bool:
    """A list written with dots in ``text`` that is not ``run`` (it may be "the list")."""
    flat = re.sub(r"\$|\\[()]", "", text)
    return any((int(m.group("a")), int(m.group("last"))) != (run[0], run[2]) for m in _DOTTED.finditer(flat))


def _runs(text: str) -> set[tuple[int, int, int]]:
    """(first, step, last) of every run of whole numbers written with dots."""
    flat = re.sub(r"\$|\\[()]", "", text)
    out = set()
    for m in _RUN.finditer(flat):
        a, b, last = int(m.group("a")), int(m.group("b")), int(m.group("last"))
        step = b - a
        if m.group("c") is not None and int(m.group("c")) - b != step:
            continue
        if step > 0 and last >= b and (last - a) % step == 0 and (last - a) // step < MAX_RUN_MEMBERS:
            out.add((a, step, last))
    return out


_GIVEN_DIGITS = re.compile(r"\bthe\s+digits\s+(?P<list>\$?\d\$?(?:\s*,\s*(?:and\s+)?\$?\d\$?)+,?\s*(?:and|or)\s+\$?\d\$?)"
                           r"(?!\d|\.\d|\s*,\s*\d)", re.I)
#: "list all two-digit combinations from the given digits that are multiples of 4: 32, 36, 64"
_FROM_GIVEN_DIGITS = re.compile(r"\b(?:from|using|with)\s+the\s+given\s+digits\b[^:.\n]{0,80}:\s*" + _LIST, re.I)


def question_facts(text: str, question: str) -> Iterator[tuple[str, int, int, dict]]:
    """Facts in ``text`` that lean on what the question lists: the extreme of a kind among
    its run of numbers ("the smallest perfect cube in the list 25, 26, …, 250"), numbers
    formed "from the given digits" (each must use only those digits)."""
    runs = _runs(question)
    if len(runs) == 1:
        (first, step, last), = runs
        for m in _LIST_EXTREME.finditer(text):
            if _asked(text, m.start()) or _other_list(text[:m.start()], (first, step, last)):
                continue  # another run written before the claim: "the list" may be that one
            kind = re.sub(r"\s+", " ", m.group("kind").lower())
            fact = {"fact": "extreme-in-list", "largest": m.group("ext").lower() in ("largest", "greatest", "biggest"),
                    "run": (first, step, last), "claimed": _int(m.group("value") or m.group("bare")),
                    "kind": "power" if kind.startswith("power") else "multiple" if kind.startswith("multiple")
                    else kind.split()[-1] if kind.startswith("perfect") else "prime",
                    "of": _int(m.group("base") or m.group("d") or "0")}
            if fact["claimed"] is not None and fact["of"] is not None:
                yield "extreme-in-list", m.start(), m.end(), fact
    digit_sets = {frozenset(int(d) for d in re.findall(r"\d", m.group("list"))) for m in _GIVEN_DIGITS.finditer(question)}
    if len(digit_sets) == 1:
        (digits,) = digit_sets
        for m in _FROM_GIVEN_DIGITS.finditer(text):
            if not _asked(text, m.start()):
                items = [x for x in re.findall(r"-?\d+", m.group("list"))]
                # only the list is the claim: the words around it may state more ("multiples of 4",
                # "without repeating"), which a digits check alone does not decide
                opening = re.split(r"[.!?\n]", text[:m.start("list")])[-1]
                multiple = _MULTIPLE_OF.search(opening)
                fact = {"fact": "given-digits", "digits": sorted(digits), "items": items,
                        "digits_only": _only_digit_words(_MULTIPLE_OF.sub(" ", opening))}
                start = m.start("list")
                if multiple is not None and (multiple.group("even") or _int(multiple.group("d"))):
                    # "… from the given digits that are multiples of 4 (even): …" — both are checked, in
                    # one claim that covers the multiples claim on the same list
                    fact["d"] = 2 if multiple.group("even") else _int(multiple.group("d"))
                    start = min(m.start(), m.start("list") - len(opening) + multiple.start())
                yield "given-digits", start, m.end("list"), fact


_MULTIPLE_OF = re.compile(r"\b(?:that\s+are\s+|which\s+are\s+)?(?:(?:multiples?\s+of|divisible\s+by)\s+" + _num("d")
                          + r"|(?P<even>even)\b)", re.I)
#: words that describe numbers formed from digits without narrowing them
_DIGIT_WORDS = {"from", "using", "with", "the", "given", "digits", "digit", "numbers", "number", "integers",
                "integer", "combinations", "combination", "possible", "all", "we", "can", "could", "form",
                "formed", "make", "made", "get", "are", "is", "list", "listing", "these", "them", "they",
                "two", "three", "four", "five", "one", "s", "of", "here", "so", "thus", "then", "now", "be",
                "that", "ways", "following", "options", "choices", "candidates", "like", "first", "out", "write",
                "down", "let", "us", "let's", "are", "which"}


def _only_digit_words(opening: str) -> bool:
    """The sentence before the list says nothing but "numbers formed from the given digits"
    ("Two-digit numbers from the given digits:"), so checking the digits decides it."""
    words = re.findall(r"[A-Za-z]+", re.sub(r"\$[^$]*\$|\\\(.*?\\\)", " ", opening).lower())
    return all(w in _DIGIT_WORDS for w in words)
