"""Find the final answer in a worked solution, the way graders do, and say which rule fired.

Rules, first match wins:

1. ``boxed`` — the last ``\\boxed{…}`` / ``\\fbox{…}`` (nested braces respected);
2. ``final-answer`` — "Final Answer: The final answer is …" / "the final answer is …";
3. ``hashes`` — a GSM8K-style ``#### 72`` line;
4. ``answer-section`` — the text under a ``# Answer`` heading;
5. ``answer-is`` — "The answer is …" / "Answer: …";
6. ``bold`` — the last Markdown ``**…**`` holding math in the last paragraph;
7. ``last-math`` — the last ``$…$`` / ``\\(…\\)`` / ``\\[…\\]`` segment of the last paragraph;
8. ``last-number`` — the last number in the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["Extraction", "extract_final_answer", "math_segments"]


@dataclass(frozen=True)
class Extraction:
    """The final answer's text, where it is in the solution, and the rule that found it."""

    text: str
    rule: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "rule": self.rule, "start": self.start, "end": self.end}


_BOX = re.compile(r"\\(?:boxed|fbox)\s*\{")
_FINAL = re.compile(r"final answer\s*(?:is|:)\s*:?\s*", re.I)
_HASHES = re.compile(r"^[ \t]*####[ \t]*(.+?)[ \t]*$", re.M)
_SECTION = re.compile(r"^[ \t]*#+[ \t]*Answer[ \t]*:?[ \t]*\n+[ \t]*(.+?)[ \t]*$", re.M | re.I)
_ANSWER_IS = re.compile(r"(?:the\s+(?:correct\s+)?answer\s+is|\banswer\s*:)\s*:?\s*", re.I)
_BOLD = re.compile(r"\*\*([^*\n]{1,120}?)\*\*")
_MATH_SEG = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]",
                       re.S)
_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?(?:/\d+)?")
_SENTENCE_END = re.compile(r"\.(?:\s|$)|\n|\s+I hope\b|,\s+(?:which|so|and|where)\b", re.I)


def _balanced(text: str, open_at: int) -> int | None:
    """Index just after the brace group opening at ``text[open_at] == '{'``."""
    depth = 0
    for j in range(open_at, len(text)):
        c = text[j]
        if c == "{" and (j == 0 or text[j - 1] != "\\"):
            depth += 1
        elif c == "}" and (j == 0 or text[j - 1] != "\\"):
            depth -= 1
            if depth == 0:
                return j + 1
    return None


def _last_boxed(text: str) -> Extraction | None:
    found = None
    for m in _BOX.finditer(text):
        end = _balanced(text, m.end() - 1)
        if end is not None:
            found = (m.end(), end - 1)
    if found is None:
        return None
    start, end = found
    inner = text[start:end]
    # "\boxed{4 \log_{10} 1} = \boxed{0}" keeps the last box; a box holding "x = 5" stays whole
    lead = len(inner) - len(inner.lstrip())
    return Extraction(inner.strip(), "boxed", start + lead, start + lead + len(inner.strip()))


def _after(text: str, pos: int, rule: str) -> Extraction | None:
    """The answer written after ``pos``: a math segment if one starts there, else up to the
    end of the sentence."""
    rest = text[pos:]
    lead = len(rest) - len(rest.lstrip())
    rest, pos = rest.lstrip(), pos + lead
    m = _MATH_SEG.match(rest)
    if m:
        g = next(i for i in range(1, 5) if m.group(i) is not None)
        inner = m.group(g)
        boxed = _last_boxed(inner)
        if boxed is not None:
            s = pos + m.start(g) + boxed.start
            return Extraction(boxed.text, rule, s, s + len(boxed.text))
        s = pos + m.start(g) + (len(inner) - len(inner.lstrip()))
        return Extraction(inner.strip(), rule, s, s + len(inner.strip()))
    end = _SENTENCE_END.search(rest)
    piece = rest[:end.start()] if end else rest
    piece = piece.rstrip(" .")
    if not piece:
        return None
    # "the answer is that there are **6** such numbers": the marked-up part is the answer
    inner = [m for m in _BOLD.finditer(piece)] or [m for m in _MATH_SEG.finditer(piece)]
    if inner:
        m = inner[-1]
        g = next(i for i in range(1, 5) if m.group(i) is not None) if m.re is _MATH_SEG else 1
        s = pos + m.start(g)
        return Extraction(m.group(g).strip(), rule, s, s + len(m.group(g).strip()))
    if len(re.findall(r"[A-Za-z]{3,}", piece)) >= 4:
        numbers = list(_NUMBER.finditer(piece))
        if numbers:
            m = numbers[-1]
            return Extraction(m.group(0), rule, pos + m.start(), pos + m.end())
    return Extraction(piece, rule, pos, pos + len(piece))


def math_segments(text: str) -> list[tuple[int, int]]:
    """(start, end) of the content of every ``$…$``, ``$$…$$``, ``\\(…\\)``, ``\\[…\\]``."""
    out = []
    for m in _MATH_SEG.finditer(text):
        g = next(i for i in range(1, 5) if m.group(i) is not None)
        out.append((m.start(g), m.end(g)))
    return out


def extract_final_answer(text: str) -> Extraction | None:
    """The final answer of a solution and the rule that found it; None if there is none."""
    if not isinstance(text, str):
        raise TypeError(f"a solution must be str, got {type(text).__name__}")
    boxed = _last_boxed(text)
    if boxed is not None and boxed.text:
        return boxed
    for m in reversed(list(_FINAL.finditer(text))):
        found = _after(text, m.end(), "final-answer")
        if found is not None:
            return found
    hashes = list(_HASHES.finditer(text))
    if hashes:
        m = hashes[-1]
        return Extraction(m.group(1).strip(), "hashes", m.start(1), m.end(1))
    section = list(_SECTION.finditer(text))
    if section:
        m = section[-1]
        return Extraction(m.group(1).strip(), "answer-section", m.start(1), m.end(1))
    for m in reversed(list(_ANSWER_IS.finditer(text))):
        found = _after(text, m.end(), "answer-is")
        if found is not None:
            return found
    last_para_start = _last_paragraph_start(text)
    bold = [m for m in _BOLD.finditer(text, last_para_start) if re.search(r"[\d\\]", m.group(1))]
    if bold:
        m = bold[-1]
        return Extraction(m.group(1).strip(), "bold", m.start(1), m.end(1))
    segs = [(s, e) for s, e in math_segments(text) if s >= last_para_start and text[s:e].strip()]
    if segs:
        s, e = segs[-1]
        inner = text[s:e]
        lead = len(inner) - len(inner.lstrip())
        return Extraction(inner.strip(), "last-math", s + lead, s + lead + len(inner.strip()))
    numbers = list(_NUMBER.finditer(text))
    if numbers:
        m = numbers[-1]
        return Extraction(m.group(0), "last-number", m.start(), m.end())
    return None


def _last_paragraph_start(text: str) -> int:
    body = text.rstrip()
    cut = body.rfind("\n\n")
    return 0 if cut < 0 else cut + 2
