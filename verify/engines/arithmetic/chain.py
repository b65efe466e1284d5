"""What the chain scanner finds: a :class:`Chain` of terms (:class:`Term`) joined by
relations, and the claim-shaped text it could not read (:class:`Unread`).

Separate from the scanner so the final-answer finder, the translators and the engine share
these types (and a chain's reading in the translation grammar, :meth:`Chain.canonical`)
without depending on how the scanner reads prose.
"""
from __future__ import annotations

from dataclasses import dataclass

from .expr import CURRENCY_SYMBOLS


@dataclass(frozen=True)
class Term:
    """One side of a relation: char offsets, and its expression items (kind, text, start,
    end) with unit words removed. Kinds: num, cur (prefix), curs (suffix), pct, sup, op,
    lp, rp, root, pi."""

    start: int
    end: int
    bare: bool  # a plain number (a stated result), not a computation
    items: tuple[tuple[str, str, int, int], ...]
    unit: str = ""  # the word right after a plain number ("cents" in "= 250 cents")
    fraction: bool = False  # a/b of two plain numbers: a value written as a fraction
    remainder: tuple[int, int] | None = None  # "12 R 3": offsets of the stated remainder
    remainder_said: bool = False  # "R 3", "remainder 3" (not just "with 3 left over")


@dataclass(frozen=True)
class Chain:
    """``terms[0] rels[0] terms[1] ...``; every link has a computation on one side."""

    start: int
    end: int
    terms: tuple[Term, ...]
    rels: tuple[str, ...]  # "=" or "≈"

    def link_span(self, i: int) -> tuple[int, int]:
        """Offsets of link ``i`` (1-based: terms[i-1] rel terms[i]), with a remainder
        stated after its result ("63 ÷ 5 = 12 R 3")."""
        term = self.terms[i]
        return self.terms[i - 1].start, term.remainder[1] if term.remainder else term.end

    def canonical(self, base: int | None = None
                  ) -> tuple[str, tuple[str, ...], tuple[tuple[int, int], ...]]:
        """The chain in the translation grammar, its operands in order, and each operand's
        offsets relative to ``base`` (default: the chain's start)."""
        base = self.start if base is None else base
        parts: list[str] = []
        operands: list[str] = []
        spans: list[tuple[int, int]] = []
        for k, term in enumerate(self.terms):
            if k:
                parts.append(self.rels[k - 1])
            prev = ""
            items = _group_tight_fractions(term.items)
            for kind, text, s, e in items:
                if kind == "num":
                    operands.append(text)
                    spans.append((s - base, e - base))
                    if prev == "cur":
                        parts[-1] += ("" if parts[-1] in CURRENCY_SYMBOLS else " ") + text
                    else:
                        parts.append(text)
                elif kind == "curs":
                    parts[-1] += ("" if text in CURRENCY_SYMBOLS else " ") + text
                elif kind == "pct":
                    parts[-1] += "%"
                elif kind == "sup":
                    operands.append(text)
                    spans.append((s - base, e - base))
                    parts[-1] += "^" + text
                else:
                    parts.append(text)
                prev = kind
        return " ".join(parts), tuple(operands), tuple(spans)


def _group_tight_fractions(items: tuple) -> list:
    """"28 / 1/5" means 28 ÷ (1/5): a fraction written tight after a spaced "/" is one
    number, so it gets parentheses (the visual grouping writers rely on)."""
    out = list(items)
    k = 0
    while k + 3 < len(out):
        op, a, bar, b = out[k:k + 4]
        if (op[0] == "op" and op[1] == "/" and a[0] == "num" and bar[0] == "op" and bar[1] == "/"
                and b[0] == "num" and a[2] > op[3] and k and op[2] > out[k - 1][3]
                and bar[2] == a[3] and b[2] == bar[3]
                and (k + 4 == len(out) or out[k + 4][0] != "sup")):
            out[k + 1:k + 4] = [("lp", "(", a[2], a[2]), a, bar, b, ("rp", ")", b[3], b[3])]
            k += 5
        else:
            k += 1
    return out


@dataclass(frozen=True)
class Unread:
    """Text shaped like an arithmetic claim (numbers around a relation) that the scanner
    could not read, and why: reported as unchecked, never passed over in silence."""

    start: int
    end: int
    cause: str
