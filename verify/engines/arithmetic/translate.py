"""The translator interface: a claim's text in, its symbolic form out.

A :class:`Translator` turns the text of one arithmetic claim (``"12 times 3 is 36"``) into a
:class:`Translation`: an expression in the grammar below plus the operands it uses. The
rule-based translator (:mod:`verify.engines.arithmetic.rules`) is the embedded default; an
LLM-backed translator plugs in behind the same interface.

Whatever a translator returns is **untrusted**. :func:`validate` is the only way a
translation reaches an engine, and it fails closed with :class:`TranslationError`:

- the expression is re-parsed by the safe parser of :mod:`verify.engines.arithmetic.expr` (never
  ``eval``/``sympify``), under its size limits;
- the operands listed must be exactly the numbers of the expression, in order;
- every number of the expression must occur in the claim (no invented operands), and every
  number of the claim must be used (no dropped result turning ``2 + 2 = 5`` into a
  tautology);
- ``≈`` is allowed only when the claim says it approximates (≈, ~, about, roughly...);
  ``π`` only when the claim mentions it; each operation used must be attested in the claim
  (a ``+`` needs a "+", "plus", "sum"...), so an operator cannot be silently swapped;
- operand offsets, when given, must point at that very number in the claim;
- the number of terms must match what the claim finder saw.

Grammar of ``Translation.expression`` (the canonical subset of the arithmetic grammar)::

    relation := expr (("=" | "≈") expr)+
    expr     := term (("+" | "-") term)*
    term     := unary (("*" | "/" | "of" | "off") unary)*
    unary    := "-" unary | power
    power    := postfix ["^" unary]
    postfix  := atom ["%"]
    atom     := [CUR] NUMBER | "(" expr ")" | "pi" | "√" atom
    NUMBER   := 1234 | 1,234.50 | .5 | ½ ;  CUR := $ € £ ¥ ₹ ¢ (currency is decoration)

Example: ``Natalia sold 48/2 = 24 clips`` → ``Translation("48 / 2 = 24", ("48", "2", "24"),
((13, 15), (16, 17), (20, 22)))``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Protocol, runtime_checkable

from .expr import (MAX_EXPRESSION_CHARS, VULGAR, ExpressionError, Relation, literal_value,
                    parse_relation)

MAX_TERMS = 24

#: :func:`parse_relation`, cached on the expression (≤ MAX_EXPRESSION_CHARS characters):
#: the parse is pure and its tree is never changed after parsing, so one parsed relation
#: serves every claim that states the same computation (a re-checked correction, several
#: answers to one question). A refused expression raises each time (exceptions are not cached).
_parse = lru_cache(maxsize=4096)(parse_relation)


class TranslationError(ValueError):
    """A translation was refused (malformed, invented operands, unparseable...). The
    message says why; the claim it concerns becomes ``unverified``."""


@dataclass(frozen=True)
class Translation:
    """One claim in the arithmetic grammar.

    ``operands``: the numbers of ``expression`` in order, as written there.
    ``spans``: optional (start, end) offsets of each operand in the claim text; empty when
    the translator cannot say (the engine then locates them by value).
    """

    expression: str
    operands: tuple[str, ...] = ()
    spans: tuple[tuple[int, int], ...] = ()
    translator: str = "rules"

    def to_dict(self) -> dict:
        return {"expression": self.expression, "operands": list(self.operands),
                "spans": [list(s) for s in self.spans], "translator": self.translator}


@runtime_checkable
class Translator(Protocol):
    """Turns one claim into a :class:`Translation`; raises :class:`TranslationError`
    when it cannot. Its output is checked by :func:`validate` before any use."""

    name: str

    def translate(self, claim: str) -> Translation:
        ...


@dataclass(frozen=True)
class Checked:
    """A translation that passed :func:`validate`: the parsed relation and, for each
    operand (leaf index order), its offsets in the claim text."""

    relation: Relation
    spans: tuple[tuple[int, int], ...]
    translation: Translation


# Numbers as they may appear in a claim; each yields the values an operand may take.
_CLAIM_NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+)"
                           r"(?:\.\d+(?:\.\.\.|…)?|[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒])?"
                           r"|\.\d+(?:\.\.\.|…)?|[½⅓⅔¼¾⅕⅖⅗⅘⅙⅚⅐⅛⅜⅝⅞⅑⅒]|(?<=[\d)])[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
# (a superscript after a letter is a unit's power, cm³, not a number of the claim)
_SUPER = {c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}
_APPROX_MARK = re.compile(r"[≈~≃≅]|\b(?:about|approximately|approx|roughly|around|nearly|almost|"
                          r"circa)\b", re.IGNORECASE)
_PI_MARK = re.compile(r"π|(?<![^\W\d_])pi\b", re.IGNORECASE)
_ATTESTED = {
    "+": re.compile(r"\+|\b(?:plus|add|adds|added|adding|sum|total|more|and|combined|"
                    r"altogether|increase[sd]?)\b", re.IGNORECASE),
    "-": re.compile(r"[-−–]|\b(?:minus|less|subtract\w*|difference|off|fewer|remain\w*|left|"
                    r"decrease[sd]?|discount\w*)\b", re.IGNORECASE),
    "*": re.compile(r"[*×·⋅∗xX(%]|\\cdot|\\ast|\d\s?\\?(?:π|pi\b)|\b(?:times|multipl\w*|product|of|twice|double[sd]?|triple[sd]?|"
                    r"each|per)\b", re.IGNORECASE),
    "/": re.compile(r"[/÷]|\\div|\\[dt]?frac|\b(?:divided|divide[sd]?|over|per|half|halves|quotient|ratio|split|"
                    r"shared?|average|quarter)\b", re.IGNORECASE),
    "^": re.compile(r"\^|\*\*|[⁰¹²³⁴⁵⁶⁷⁸⁹]|\b(?:power|squared|cubed)\b", re.IGNORECASE),
    "√": re.compile(r"√|\b(?:sqrt|root)\b", re.IGNORECASE),
    "off": re.compile(r"\boff\b", re.IGNORECASE),
}


def claim_numbers(claim: str) -> list[tuple[int, int, tuple[tuple[int, int], ...]]]:
    """Each number written in ``claim``: its offsets and the values an operand may use
    for it, as (numerator, denominator) pairs (``1½`` allows 3/2, 1 and 1/2; ``18%``
    allows 18). Pairs, not Fractions: hashing a Fraction is slow and this is hot."""
    out = []
    for m in _CLAIM_NUMBER.finditer(claim):
        s = m.group()
        if s[0] in _SUPER:
            out.append((m.start(), m.end(), ((int("".join(_SUPER[c] for c in s)), 1),)))
            continue
        try:
            value = literal_value(s)[0]
        except ExpressionError:
            continue
        if s[-1] in VULGAR:
            parts = {value, VULGAR[s[-1]]}
            if len(s) > 1:
                parts.add(literal_value(s[:-1])[0])
            out.append((m.start(), m.end(), tuple(_key(v) for v in parts)))
        else:
            out.append((m.start(), m.end(), ((value.numerator, value.denominator),)))
    return out


def _key(value: Fraction) -> tuple[int, int]:
    return value.numerator, value.denominator


def validate(translation: object, claim: str, *, terms: int | None = None) -> Checked:
    """Check an untrusted translation against the claim it came from; return the parsed
    relation with operand offsets, or raise :class:`TranslationError` saying why not."""
    if not isinstance(translation, Translation):
        raise TranslationError(f"the translator returned {type(translation).__name__}, "
                               "not a Translation")
    expr = translation.expression
    if not isinstance(expr, str) or not expr.strip():
        raise TranslationError("the translation has no expression")
    if len(expr) > MAX_EXPRESSION_CHARS:
        raise TranslationError(f"the translation is too long ({len(expr):,} characters)")
    if not isinstance(translation.operands, tuple) or not all(
            isinstance(o, str) for o in translation.operands):
        raise TranslationError("the translation's operands must be a tuple of str")
    try:
        relation = _parse(expr)
    except ExpressionError as exc:
        raise TranslationError(f"the translation does not parse: {exc}") from None
    if len(relation.terms) > MAX_TERMS:
        raise TranslationError(f"the translation has {len(relation.terms)} terms "
                               f"(limit {MAX_TERMS})")
    if terms is not None and len(relation.terms) != terms:
        raise TranslationError(f"the translation has {len(relation.terms)} terms; "
                               f"the claim has {terms}")
    leaves = relation.leaves
    if translation.operands and [o.strip() for o in translation.operands] != [
            leaf.text for leaf in leaves]:
        try:
            listed = [literal_value(o.strip().lstrip("$€£¥₹¢").rstrip("%").strip())[0]
                      for o in translation.operands]
        except (ExpressionError, ValueError, IndexError):
            raise TranslationError("the translation lists an operand that is not a number") from None
        if listed != [leaf.literal for leaf in leaves]:
            raise TranslationError("the translation's operands do not match its expression")

    found = claim_numbers(claim)
    allowed = {k for _, _, v in found for k in v}
    used = {leaf.key for leaf in leaves}
    for leaf in leaves:
        if leaf.key not in allowed:
            raise TranslationError(f"the translation uses {leaf.text}, which the claim does not "
                                   "contain (an invented operand)")
    for s, e, values in found:
        if not any(k in used for k in values):
            raise TranslationError(f"the translation leaves out {claim[s:e]}, which the claim states")
    if "≈" in relation.rels and not _APPROX_MARK.search(claim):
        raise TranslationError("the translation says ≈ but the claim states an exact value")
    if relation.has_pi and not _PI_MARK.search(claim):
        raise TranslationError("the translation uses π, which the claim does not mention")
    for op in sorted(relation.ops):
        if not _ATTESTED[op].search(claim):
            raise TranslationError(f"the translation uses '{op}', which the claim does not express")
    return Checked(relation, _locate(translation, leaves, found, claim), translation)


def _locate(translation: Translation, leaves, found, claim: str) -> tuple[tuple[int, int], ...]:
    """Each operand's offsets in the claim, one distinct number of the claim per operand
    (so "1 - 1 = 1" cannot become the tautology "1 - 1 = 1 - 1")."""
    if translation.spans:
        spans = translation.spans
        if len(spans) != len(leaves):
            raise TranslationError("the translation gives offsets for a different number of operands")
        if len(set(spans)) != len(spans):
            raise TranslationError("the translation uses one number of the claim twice")
        at = {(s, e): v for s, e, v in found}
        for leaf, span in zip(leaves, spans):
            if (type(span) is not tuple or len(span) != 2 or type(span[0]) is not int
                    or type(span[1]) is not int or not 0 <= span[0] < span[1] <= len(claim)):
                raise TranslationError(f"bad operand offsets {span!r}")
            values = at.get(span)
            if values is None or leaf.key not in values:
                raise TranslationError(f"the offsets {span} do not point at {leaf.text} in the claim")
        return tuple(spans)
    out = []
    free = list(found)
    cursor = 0
    for leaf in leaves:  # in order first, then anywhere: translations may reorder terms
        key = leaf.key
        hit = next((f for f in free if f[0] >= cursor and key in f[2]), None)
        if hit is None:
            hit = next((f for f in free if key in f[2]), None)
        if hit is None:
            raise TranslationError(f"the translation uses {leaf.text} more often than the claim "
                                   "states it")
        free.remove(hit)
        out.append((hit[0], hit[1]))
        cursor = hit[1]
    return tuple(out)


__all__ = ["Checked", "Translation", "TranslationError", "Translator", "claim_numbers",
           "validate"]
