"""Chunking: structure first (a document's sections), then sentence-aware windows.

Every chunk is a slice ``text[start:end]`` of its document, so a hit's offsets always show
the original. Windows pack whole sentences up to ``chunk_size`` characters and repeat the
last sentences of the previous window up to ``overlap`` characters, so a passage that
straddles a boundary is found whole in one of them. A sentence longer than a window is cut
at spaces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

from .readers import Document, Section

CHUNKER_VERSION = 1
DEFAULT_CHUNK_SIZE = 800
DEFAULT_OVERLAP = 160

# a sentence ends at . ! ? (plus closing quotes/brackets) before a space and an upper-case
# letter, digit, bullet or opening quote; every line break is a boundary too.
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)\]]*[ \t]+(?=[A-Z0-9•\"“'(\[])|\n+")
_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|vs|Mr|Mrs|Ms|Dr|Prof|St|No|Fig|approx)\.$", re.I)


@dataclass(frozen=True)
class Chunk:
    source: str
    title: str
    section: str
    kind: str
    start: int
    end: int
    page: int | None
    anchor: str | None
    text: str

    def embed_text(self) -> str:
        """What the embedder sees: the heading path first, so a passage carries its topic."""
        head = self.section if self.section.startswith(self.title) else \
            f"{self.title} > {self.section}" if self.section else self.title
        return f"{head}\n{self.text}" if head else self.text


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` without surrounding blanks."""
    spans = []
    pos = start
    for m in _BOUNDARY.finditer(text, start, end):
        if m.group(0).strip(" \t") == "" and _ABBREV.search(text, max(start, m.start() - 8), m.start()):
            continue
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    out = []
    for s, e in spans:
        seg = text[s:e]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg.rstrip())
        if trail > lead:
            out.append((s + lead, s + trail))
    return out


def _split_long(text: str, s: int, e: int, size: int) -> list[tuple[int, int]]:
    """Cut an over-long sentence at spaces into pieces of at most ``size`` characters."""
    out = []
    while e - s > size:
        cut = text.rfind(" ", s + size // 2, s + size)
        if cut <= s:
            cut = s + size
        out.append((s, cut))
        s = cut
        while s < e and text[s].isspace():
            s += 1
    if e > s:
        out.append((s, e))
    return out


def windows(text: str, section: Section, chunk_size: int, overlap: int) -> Iterator[tuple[int, int]]:
    units: list[tuple[int, int]] = []
    for s, e in sentences(text, section.start, section.end):
        units.extend(_split_long(text, s, e, chunk_size) if e - s > chunk_size else [(s, e)])
    i = 0
    while i < len(units):
        j = i
        while j + 1 < len(units) and units[j + 1][1] - units[i][0] <= chunk_size:
            j += 1
        yield units[i][0], units[j][1]
        if j + 1 >= len(units):
            return
        nxt = j + 1
        while nxt - 1 > i and units[j][1] - units[nxt - 1][0] <= overlap:
            nxt -= 1
        i = nxt


def _heading_only(text: str, path: tuple[str, ...]) -> bool:
    return bool(path) and text.strip().lstrip("#").strip() == path[-1]


def chunk_document(doc: Document, chunk_size: int = DEFAULT_CHUNK_SIZE,
                   overlap: int = DEFAULT_OVERLAP) -> list[Chunk]:
    if chunk_size < 50:
        raise ValueError(f"chunk_size must be at least 50 characters, got {chunk_size}")
    if not 0 <= overlap < chunk_size // 2:
        raise ValueError(f"overlap must be between 0 and chunk_size/2 ({chunk_size // 2}), got {overlap}")
    out = []
    for sec in doc.sections:
        if _heading_only(doc.text[sec.start:sec.end], sec.path):
            continue  # its heading lives on in the path of the sections below it
        for s, e in windows(doc.text, sec, chunk_size, overlap):
            out.append(Chunk(doc.source, sec.title or doc.title, " > ".join(sec.path), sec.kind,
                             s, e, sec.page, sec.anchor, doc.text[s:e]))
    return out
