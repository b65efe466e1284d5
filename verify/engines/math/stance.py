"""How the text holds a relation (issue 11): asserted, reached on purpose to fail (a
contradiction), supposed (a case being tried), or one of alternatives. The engine refutes
only what the text asserts unconditionally."""
from __future__ import annotations

import re
from dataclasses import replace


from .statements import MathClaim


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


def lead_in(text: str, start: int, floor: int) -> str:
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
    if CONTRADICTION_CUES.search(words_of(after[:cut])) or CONTRARY_CUES.search(text[p0:start]):
        return "contradiction"
    if SUPPOSITION_CUES.search(words_of(lead_in(text, start, p0))) or OPENS_CASE.match(text[p0:start]):
        return "supposition"
    before = text[max(p0, start - MAX_ALTERNATIVE_GAP):start]
    before = before[max(before.rfind("="), before.rfind("."), -1) + 1:]
    after_gap = text[end:min(p1, end + MAX_ALTERNATIVE_GAP)]
    after_gap = re.split(r"[=.]", after_gap, maxsplit=1)[0]
    if ALTERNATIVE_CUES.search(words_of(before)) or ALTERNATIVE_CUES.search(words_of(after_gap)):
        return "alternative"
    return None


def words_of(s: str) -> str:
    """Prose and ``\\text{…}`` words of ``s``, LaTeX commands dropped (``\\quad`` is no "quad")."""
    s = re.sub(r"\\(?:text|mbox|textbf|mathrm)\s*\{([^{}]*)\}", r" \1 ", s)
    return re.sub(r"\\[A-Za-z]+", " ", s)


def with_stance(c: MathClaim, text: str) -> MathClaim:
    """The claim with its :func:`stance` in ``extra`` (the engine refutes a relation only
    where the text asserts it unconditionally)."""
    found = stance(text, c.start, c.end)
    if found is None:
        return c
    if found == "contradiction" and c.type in ("numeric", "approx") and re.search(r"=\s*$", text[:c.start]):
        return c  # an inner link of a computation whose result the text then says fails: still computed
    return replace(c, extra={**c.extra, "stance": found})
