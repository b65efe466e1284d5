"""What a reader produces: a ``Document`` (extracted text + section spans) built from
``Block``s, and the helpers every reader shares (bounded file reading, UTF-8 decoding,
checksums). The readers (``kb.readers``, ``kb.cnxml``) import from here, never each other's
internals."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

MAX_FILE_BYTES = 256 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read as a document (the message says why)."""


@dataclass(frozen=True)
class Section:
    """A span ``[start, end)`` of a document's text under one heading path.

    ``kind`` tells explanatory text from exercises, examples and glossary entries (so a
    caller can index only some of them); ``title`` overrides the document title for the
    span (a JSON Lines record has its own title)."""

    start: int
    end: int
    path: tuple[str, ...] = ()
    kind: str = "text"
    page: int | None = None
    anchor: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class Document:
    source: str
    title: str
    text: str
    sections: tuple[Section, ...]
    format: str
    checksum: str
    size: int = 0
    warnings: tuple[str, ...] = field(default_factory=tuple)

    def without_kinds(self, kinds: Iterable[str]) -> "Document":
        """The same document with the sections of ``kinds`` left out of indexing (the
        text and offsets stay, so citations still point into the original)."""
        drop = set(kinds)
        return Document(self.source, self.title, self.text,
                        tuple(s for s in self.sections if s.kind not in drop), self.format,
                        self.checksum + "-" + ",".join(sorted(drop)), self.size, self.warnings)


@dataclass(frozen=True)
class Block:
    """One piece of extracted text with its place in the structure (used by readers)."""

    text: str
    path: tuple[str, ...] = ()
    kind: str = "text"
    page: int | None = None
    anchor: str | None = None
    title: str | None = None


def assemble(blocks: Iterable[Block], sep: str = "\n\n") -> tuple[str, tuple[Section, ...]]:
    """Join blocks into one text; consecutive blocks with the same place form one section."""
    parts: list[str] = []
    sections: list[Section] = []
    pos = 0
    for b in blocks:
        text = b.text.strip()
        if not text:
            continue
        if parts:
            parts.append(sep)
            pos += len(sep)
        start = pos
        parts.append(text)
        pos += len(text)
        key = (b.path, b.kind, b.page, b.anchor, b.title)
        last = sections[-1] if sections else None
        if last and (last.path, last.kind, last.page, last.anchor, last.title) == key:
            sections[-1] = Section(last.start, pos, *key)
        else:
            sections.append(Section(start, pos, *key))
    return "".join(parts), tuple(sections)


def sha256(data: bytes, *extra: str) -> str:
    h = hashlib.sha256(data)
    for e in extra:
        h.update(b"\0" + e.encode("utf-8"))
    return h.hexdigest()


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ReadError(f"larger than {MAX_FILE_BYTES // 2**20} MiB")
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None


def _decode(data: bytes) -> str:
    if b"\0" in data[:8192]:
        raise ReadError("binary data, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
