"""The input layer: what every engine reads is the text as a reader sees it.

A reader does not see a zero-width joiner, a soft hyphen or a NUL, so ``1\u200d0 + 1 = 1``
reads ``10 + 1 = 1``. Engines must read it the same way, or an invisible character decides
the verdict. :func:`normalize` drops those characters (Unicode category ``Cf``, NUL and the
other C0/C1 controls but tab and new line) and applies NFKC only where it cannot change
meaning: width variants (fullwidth ``１２`` → ``12``), compatibility spaces (no-break, thin,
ideographic → a space) and mathematical alphanumeric digits. NFKC is *not* applied
everywhere: it would turn ``x²`` into ``x2`` and ``½`` into ``1⁄2``.

Each character of the normalised text keeps the offset of the character it came from, so
a claim found in the normalised text maps back to the original (:meth:`Normalized.span`):
reports keep indexing the text the user gave.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .report import Claim, Span

#: Blocks where NFKC only changes a character's width or style, never its meaning.
_SAFE_NFKC_RANGES = ((0xFF01, 0xFF5E),    # fullwidth ASCII
                     (0xFF61, 0xFFEE),    # halfwidth forms
                     (0x1D7CE, 0x1D7FF))  # mathematical digits


def _replacement(ch: str) -> str | None:
    """What ``ch`` becomes ("" drops it), or None when it stays as it is."""
    code = ord(ch)
    if code < 0x80:  # the common case first
        return "" if code < 0x20 and ch not in "\t\n\r" or code == 0x7F else None
    cat = unicodedata.category(ch)
    if cat == "Cf" or cat == "Cc" or ch == "\u00ad":
        return ""
    if cat == "Zs":
        return " "
    if cat in ("Zl", "Zp"):
        return "\n"
    if any(lo <= code <= hi for lo, hi in _SAFE_NFKC_RANGES):
        return unicodedata.normalize("NFKC", ch)
    return None


@dataclass(frozen=True)
class Normalized:
    """The normalised text and, for each of its characters, the original offset.
    ``origin`` has one more entry than ``text``: the original length."""

    text: str
    original: str
    origin: tuple[int, ...] | None  # None: nothing changed (offsets are the same)

    @property
    def changed(self) -> bool:
        return self.origin is not None

    def offset(self, k: int, end: bool = False) -> int:
        """The original offset of normalised offset ``k`` (as a span end when ``end``: just
        after the original character that produced offset ``k - 1``)."""
        if self.origin is None:
            return k
        if end and k > 0:
            return self.origin[k - 1] + 1
        return self.origin[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of a normalised span (an empty span stays empty)."""
        if end <= start:
            s = self.offset(start)
            return s, s
        return self.offset(start), self.offset(end, end=True)


#: Every character :func:`_replacement` may change (a superset; it decides for each one), so
#: text outside these ranges is copied without a look.
_CANDIDATE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\xa0\xad\u0600-\u0605\u061c\u06dd"
                        "\u070f\u0890\u0891\u08e2\u1680\u180e\u2000-\u200f\u2028-\u202f"
                        "\u205f-\u206f\u3000\ufeff\ufff9-\ufffb\uff01-\uffee\U000110bd"
                        "\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
                        "\U0001d173-\U0001d17a\U0001d7ce-\U0001d7ff\U000e0001-\U000e007f]")


def normalize(text: str) -> Normalized:
    """``text`` as a reader sees it, with the offset map back to ``text`` (linear: only
    characters outside printable ASCII are looked at)."""
    out: list[str] = []
    origin: list[int] = []
    pos = 0
    for m in _CANDIDATE.finditer(text):
        k = m.start()
        rep = _replacement(text[k])
        if rep is None or rep == text[k]:
            continue
        out.append(text[pos:k])
        origin.extend(range(pos, k))
        out.append(rep)
        origin.extend([k] * len(rep))
        pos = k + 1
    if not out:
        return Normalized(text, text, None)
    out.append(text[pos:])
    origin.extend(range(pos, len(text) + 1))
    return Normalized("".join(out), text, tuple(origin))


def restore(claim: Claim, norm: Normalized) -> Claim:
    """``claim`` (found in ``norm.text``) with its offsets in the original text."""
    if not norm.changed:
        return claim
    changes: dict[str, Any] = {"span": Span(*norm.span(claim.span.start, claim.span.end))}
    if claim.correction_span is not None:
        changes["correction_span"] = Span(*norm.span(claim.correction_span.start,
                                                     claim.correction_span.end))
    source = claim.detail.get("propagated_from")
    if isinstance(source, Mapping) and isinstance(source.get("start"), int):
        start, end = norm.span(source["start"], source["end"])
        changes["detail"] = {**claim.detail, "propagated_from": {**source, "start": start,
                                                                 "end": end}}
    return claim.with_(**changes)
