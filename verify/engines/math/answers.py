"""Find the final answer in a worked solution, the way graders do, and say which rule fired.

Rules, first match wins:

1. ``boxed`` — the last ``\\boxed{…}`` / ``\\fbox{…}`` (nested braces respected);
2. ``final-answer`` — "Final Answer: The final answer is …" / "the final answer is …";
3. ``hashes`` — a GSM8K-style ``#### 72`` line;
4. ``answer-section`` — the text under a ``# Answer`` heading;
5. ``answer-is`` — "The answer is …" / "Answer: …" / a line "A: …" (GSM8K's style);
6. ``bold`` — the last Markdown ``**…**`` holding math in the last paragraph;
7. ``last-math`` — the last ``$…$`` / ``\\(…\\)`` / ``\\[…\\]`` segment of the last paragraph (a
   closing bulleted list with one segment per item is read as one list);
8. ``bare`` — the last line, when it is bare math (no ``$``, no prose) that parses;
9. ``last-number`` — the last number in the text, or the LaTeX fraction / root / base
   numeral holding it (``\\frac{10}{9}``, not ``9``; ``.4``, not ``4``).

Several boxes at the end, separated only by commas or "and", are one list answer.
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
_ANSWER_IS = re.compile(r"(?:the\s+(?:correct\s+)?answer\s+is|\banswer\s*:|^[ \t]*(?-i:A)[ \t]*:)\s*:?\s*",
                        re.I | re.M)
_BOLD = re.compile(r"\*\*([^*\n]{1,120}?)\*\*")
_MATH_SEG = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$|\\\((.+?)\\\)|\\\[(.+?)\\\]",
                       re.S)
_NUMBER = re.compile(r"-?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:/\d+)?")
#: The last number, or the LaTeX atom holding it (``\\frac{10}{9}``, ``\\sqrt{2}``, ``52_8``).
_ATOM = re.compile(r"-?\\[dt]?frac\s*\{[^{}]*\}\s*\{[^{}]*\}|-?\d*\\sqrt(?:\[[^\]]*\])?\s*\{[^{}]*\}"
                   r"|-?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:_\{?\d+\}?|/\d+)?")
#: What may stand between two boxed answers read as one list: commas, "and", spacing.
_BOX_GAP = re.compile(r"[\s$,;]*(?:(?:and|or|&|\\quad|\\qquad|\\text\{\s*(?:and|or|,)?\s*\}|\\[,;!])[\s$,;]*)*")
#: "The largest $n$ is 34": the value stated after the last "is" / "=" of the sentence.
_IS_TAIL = re.compile(r"(?:\bis\b|\bequals\b)\s*(?!.*(?:\bis\b|\bequals\b))", re.S)
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
    """The last box; several boxes at the end separated only by commas, "and" or spacing
    (``\\boxed{2} and \\boxed{3}``) are one answer, the list ``2, 3``. Boxes joined by
    anything else keep the last one (``\\boxed{4 \\log_{10} 1} = \\boxed{0}``)."""
    boxes: list[tuple[int, int, int]] = []  # (command start, content start, content end)
    for m in _BOX.finditer(text):
        end = _balanced(text, m.end() - 1)
        if end is not None and (not boxes or m.start() >= boxes[-1][2]):
            boxes.append((m.start(), m.end(), end - 1))
    if not boxes:
        return None
    run = [boxes[-1]]
    for box in reversed(boxes[:-1]):
        if not _BOX_GAP.fullmatch(text[box[2] + 1:run[0][0]]):
            break
        run.insert(0, box)
    parts = [text[a:b].strip() for _, a, b in run]
    if len(run) > 1 and all(parts):
        return Extraction(", ".join(parts), "boxed", run[0][1], run[-1][2])
    start, end = run[-1][1], run[-1][2]
    inner = text[start:end]
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
    bold = list(_BOLD.finditer(piece))
    outside_math = _MATH_SEG.sub(lambda m: " " * len(m.group(0)), piece)  # "is" inside $…$ is the answer's
    tail = _IS_TAIL.search(outside_math) if not bold else None
    if tail is not None and tail.end() < len(piece) and re.search(r"[\d\\$]", piece[tail.end():]):
        return _after(text, pos + tail.end(), rule)  # "The largest $n$ is 34."
    inner = bold or [m for m in _MATH_SEG.finditer(piece)]
    if inner:
        m = inner[-1]
        g = next(i for i in range(1, 5) if m.group(i) is not None) if m.re is _MATH_SEG else 1
        s = pos + m.start(g)
        return Extraction(m.group(g).strip(), rule, s, s + len(m.group(g).strip()))
    if len(_prose_words(piece)) >= 4:
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
    # "#### 72" (GSM8K), not a Markdown heading "#### For \\(T = 3\\):"
    hashes = [m for m in _HASHES.finditer(text) if not _prose_words(m.group(1))]
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
    summary = _bullet_summary(text, segs)
    if summary is not None:
        return summary
    if segs:
        s, e = segs[-1]
        inner = text[s:e]
        lead = len(inner) - len(inner.lstrip())
        return Extraction(inner.strip(), "last-math", s + lead, s + lead + len(inner.strip()))
    bare = _bare_answer(text)
    if bare is not None:
        return bare
    atoms = list(_ATOM.finditer(text))
    if atoms:
        m = atoms[-1]
        return Extraction(m.group(0), "last-number", m.start(), m.end())
    return None


_PROSE = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{3,}")
_LATEX_WORDS = re.compile(r"\\(?:text|textbf|mbox|mathrm|begin|end|operatorname)\s*\{[^{}]*\}|\\[A-Za-z]+")


def _prose_words(piece: str) -> list[str]:
    """The words of a piece of text outside LaTeX commands (``\\begin{pmatrix}`` is no prose)."""
    return _PROSE.findall(_LATEX_WORDS.sub(" ", piece))



def _bare_answer(text: str) -> Extraction | None:
    """``bare`` — the last line when it is math without prose (``\\frac{10}{9}``, ``x = .4``)
    and parses: the whole expression, not its last number."""
    from .latex import MathParseError, parse_answer  # latex imports the parser: keep this module light

    body = text.rstrip()
    start = body.rfind("\n") + 1
    line = body[start:]
    lead = len(line) - len(line.lstrip())
    line = line.strip().rstrip(".")
    if not line or len(line) > 300:
        return None
    whole = text.strip().rstrip(".") == line
    sentence = text.rstrip().endswith(".") and len(line.split()) > 2  # "I could not solve it."
    if whole and not sentence and not re.search(r"\d", line) and len(line.split()) <= 6 \
            and not re.search(r"[,;!?]\s", line):
        # the whole text is a few words without numbers or sentence punctuation (no full stop
        # after three words or more): a word answer ("Yes", "Charlie", "No such constant
        # exists") or math the parser may not read; it is the answer, judged as written
        return Extraction(line, "bare", start + lead, start + lead + len(line))
    if _prose_words(line) or (not re.search(r"[\d\\]", line) and not whole):
        return None  # prose, or a short word on the last line of a longer text
    try:
        parse_answer(line)
    except MathParseError:
        return None
    return Extraction(line, "bare", start + lead, start + lead + len(line))


_BULLET = re.compile(r"[ \t]*(?:[-*•]|\d+[.)])[ \t]+")


def _bullet_summary(text: str, segs: list[tuple[int, int]]) -> Extraction | None:
    """A last paragraph that ends in a bulleted list with one math segment per item
    ("- \\(d(6) = \\frac{1}{3}\\)" …) states one answer per item: read them as one list."""
    items: list[tuple[int, int]] = []
    for s, e in reversed(segs):
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e)
        line_end = len(text) if line_end < 0 else line_end
        if not _BULLET.match(text, line_start) or any(line_start <= a < line_end for a, _ in items):
            break
        if text[e:line_end].strip(" \t.,;)$\\") or _prose_words(text[line_start:s]):
            break
        items.insert(0, (s, e))
    if len(items) < 2 or items[-1] != segs[-1] or text[items[-1][1]:].count("\n") > 1:
        return None
    parts = [text[s:e].strip() for s, e in items]
    return Extraction(", ".join(parts), "last-math", items[0][0], items[-1][1])


def _last_paragraph_start(text: str) -> int:
    body = text.rstrip()
    cut = body.rfind("\n\n")
    return 0 if cut < 0 else cut + 2
