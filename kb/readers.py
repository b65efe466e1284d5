"""Readers: turn files into ``Document``s (extracted text + section spans).

Every reader returns the text a citation's offsets point into, and the spans of its
sections (heading path, kind, page). Readers use the standard library (``html.parser``,
``xml.etree``) plus ``pypdf`` for PDFs, imported only when a PDF is read. A file that cannot
be read raises ``ReadError`` with the reason; ``read_sources`` collects those and goes on.
The document types and shared helpers live in :mod:`kb.documents`; CNXML in :mod:`kb.cnxml`.
"""
from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Sequence

from . import cnxml
from .documents import Block, Document, ReadError, Section, _decode, _read_bytes, assemble, sha256

log = logging.getLogger(__name__)

SUFFIXES = {
    ".txt": "txt", ".text": "txt", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".pdf": "pdf",
    ".cnxml": "cnxml", ".xml": "xml", ".jsonl": "jsonl", ".ndjson": "jsonl",
}


# ---------------------------------------------------------------- plain text and Markdown
def read_txt(path: Path, source: str) -> Document:
    data = _read_bytes(path)
    text = _decode(data).replace("\r\n", "\n")
    if not text.strip():
        raise ReadError("empty file")
    return Document(source, path.stem, text, _paragraph_sections(text, 0, len(text), ()),
                    "txt", sha256(data), len(data))


def _paragraph_sections(text: str, start: int, end: int, path: tuple[str, ...]) -> tuple[Section, ...]:
    """One section for ``text[start:end]`` without its surrounding blank space."""
    body = text[start:end]
    lead = len(body) - len(body.lstrip())
    trail = len(body.rstrip())
    if trail <= lead:
        return ()
    return (Section(start + lead, start + trail, path),)


_ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$|^ {0,3}(#{1,6})[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(```+|~~~+)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_MD_INLINE = re.compile(r"[*_`]+|!?\[([^\]]*)\]\([^)]*\)")


def _md_plain(title: str) -> str:
    return _MD_INLINE.sub(lambda m: m.group(1) or "", title).strip()


def read_markdown(path: Path, source: str) -> Document:
    """Headings (ATX ``#`` and setext) delimit sections; the text is the file itself, so
    offsets point into the original Markdown. Headings inside code fences are ignored."""
    data = _read_bytes(path)
    text = _decode(data).replace("\r\n", "\n")
    if not text.strip():
        raise ReadError("empty file")
    lines = text.split("\n")
    offsets = []
    pos = 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    heads: list[tuple[int, int, str]] = []  # (offset of heading line, level, title)
    fence = None
    front_end = 0
    if lines and lines[0].strip() == "---":  # YAML front matter: not content
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                front_end = offsets[i] + len(lines[i]) + 1
                break
    front_title = None
    if front_end:
        m = re.search(r"^title:\s*['\"]?(.*?)['\"]?\s*$", text[:front_end], re.M)
        front_title = m.group(1) if m else None
    for i, line in enumerate(lines):
        if offsets[i] < front_end:
            continue
        f = _FENCE.match(line)
        if f:
            marker = f.group(1)[0]
            if fence is None:
                fence = marker
            elif fence == marker:
                fence = None
            continue
        if fence:
            continue
        m = _ATX.match(line)
        if m:
            level = len(m.group(1) or m.group(3))
            heads.append((offsets[i], level, _md_plain(m.group(2) or "")))
            continue
        if (i + 1 < len(lines) and line.strip() and _SETEXT.match(lines[i + 1])
                and not re.match(r"^ {0,3}([-*+>|]|\d+[.)])\s", line)
                and (i == 0 or not lines[i - 1].strip())):
            level = 1 if lines[i + 1].strip().startswith("=") else 2
            heads.append((offsets[i], level, _md_plain(line)))
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    bounds = [front_end] + [h[0] for h in heads] + [len(text)]
    paths: list[tuple[str, ...]] = [()]
    for _, level, title in heads:
        while stack and stack[-1][0] >= level:
            stack.pop()
        stack.append((level, title or "(untitled)"))
        paths.append(tuple(t for _, t in stack))
    for j, path in enumerate(paths):
        sections.extend(_paragraph_sections(text, bounds[j], bounds[j + 1], path))
    title = front_title or next((t for _, lvl, t in heads if lvl == 1), None) or path.stem
    return Document(source, title, text, tuple(sections), "markdown", sha256(data), len(data))


# ---------------------------------------------------------------- HTML
_BLOCK_TAGS = {"p", "div", "li", "ul", "ol", "tr", "table", "section", "article", "main",
               "header", "footer", "aside", "nav", "blockquote", "pre", "dl", "dt", "dd",
               "figure", "figcaption", "form", "hr", "body", "html", "details", "summary"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object"}
_VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "source",
         "track", "wbr", "param"}


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.buf: list[str] = []
        self.stack: list[tuple[int, str]] = []
        self.skip = 0
        self.pre = 0
        self.heading: list[str] | None = None
        self.heading_level = 0
        self.title: list[str] | None = None
        self.doc_title = ""

    def _flush(self) -> None:
        raw = "".join(self.buf)
        self.buf = []
        text = raw if self.pre else re.sub(r"[ \t\r\f\v]*\n[ \t\r\f\v\n]*", "\n",
                                           re.sub(r"[ \t\r\f\v]+", " ", raw))
        if text.strip():
            self.blocks.append(Block(text.strip(), tuple(t for _, t in self.stack)))

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "title" and self.title is None and not self.doc_title:
            self.title = []
            return
        if tag in _SKIP_TAGS:
            if tag not in _VOID:
                self.skip += 1
            return
        if self.skip:
            return
        if re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.heading, self.heading_level = [], int(tag[1])
        elif tag == "br":
            self.buf.append("\n")
        elif tag in ("td", "th"):
            self.buf.append(" | ")
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.title is not None:
            self.doc_title = " ".join("".join(self.title).split())
            self.title = None
            return
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if self.heading is not None and re.fullmatch(r"h[1-6]", tag):
            title = " ".join("".join(self.heading).split()) or "(untitled)"
            while self.stack and self.stack[-1][0] >= self.heading_level:
                self.stack.pop()
            self.stack.append((self.heading_level, title))
            self.blocks.append(Block(title, tuple(t for _, t in self.stack)))
            self.heading = None
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.title is not None:
            self.title.append(data)
        elif self.skip:
            return
        elif self.heading is not None:
            self.heading.append(data)
        else:
            self.buf.append(data)


def read_html(path: Path, source: str) -> Document:
    """Visible text, one block per block element; ``h1``–``h6`` open sections."""
    data = _read_bytes(path)
    parser = _HTMLText()
    try:
        parser.feed(_decode(data))
        parser.close()
    except ReadError:
        raise
    except Exception as exc:  # noqa: BLE001 - html.parser is lenient; anything left is broken input
        raise ReadError(f"unreadable HTML: {exc}") from None
    parser._flush()
    text, sections = assemble(parser.blocks)
    if not text:
        raise ReadError("no visible text")
    h1 = next((b.path[0] for b in parser.blocks if b.path), None)
    return Document(source, parser.doc_title or h1 or path.stem, text, sections, "html",
                    sha256(data), len(data))


# ---------------------------------------------------------------- PDF
def read_pdf(path: Path, source: str) -> Document:
    """Text per page (pages are 1-based in citations); the outline, when there is one,
    gives the section path of each page."""
    data = _read_bytes(path)
    try:
        import io

        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a declared dependency of [kb]
        raise ReadError("reading PDFs needs pypdf (pip install 'verity-middleware[kb]')") from exc
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError("encrypted PDF")
        outline = _pdf_outline(reader)
        blocks = []
        path_now: tuple[str, ...] = ()
        for number, page in enumerate(reader.pages, start=1):
            path_now = outline.get(number, path_now)
            blocks.append(Block(page.extract_text() or "", path_now, page=number))
        meta_title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except ReadError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ReadError(f"broken PDF: {exc}") from None
    text, sections = assemble(blocks)
    if not text:
        raise ReadError("no extractable text (a scanned PDF needs OCR first)")
    return Document(source, str(meta_title).strip() if meta_title else path.stem, text, sections,
                    "pdf", sha256(data), len(data))


def _pdf_outline(reader) -> dict[int, tuple[str, ...]]:
    """page number → heading path of the last outline entry starting on that page."""
    found: dict[int, tuple[str, ...]] = {}

    def walk(items, prefix: tuple[str, ...]) -> None:
        last: tuple[str, ...] | None = None
        for item in items:
            if isinstance(item, list):
                if last is not None:
                    walk(item, last)
                continue
            try:
                number = reader.get_destination_page_number(item) + 1
            except Exception:  # noqa: BLE001 - a dangling outline entry is just ignored
                continue
            last = prefix + (str(item.title).strip(),)
            found.setdefault(number, last)

    try:
        walk(reader.outline, ())
    except Exception:  # noqa: BLE001 - outline is optional decoration
        return {}
    return found


# ---------------------------------------------------------------- JSON Lines
def read_jsonl(path: Path, source: str) -> Document:
    """Records ``{"id", "title", "text"}`` (``text`` required); each record is a section
    with its own title and its ``id`` as anchor. Bad lines are reported and skipped."""
    data = _read_bytes(path)
    blocks = []
    warnings = []
    for number, line in enumerate(_decode(data).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{source}: line {number}: not valid JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
            warnings.append(f"{source}: line {number}: expected an object with a \"text\" string")
            continue
        rid = str(obj.get("id", number))
        title = str(obj.get("title") or rid)
        blocks.append(Block(obj["text"], (title,), anchor=rid, title=title))
    text, sections = assemble(blocks)
    if not text:
        raise ReadError("no records with text" + (f" ({warnings[0]})" if warnings else ""))
    return Document(source, path.stem, text, sections, "jsonl", sha256(data), len(data),
                    tuple(warnings))


# ---------------------------------------------------------------- dispatch
def sniff_xml(path: Path) -> str:
    """'collection', 'cnxml' or '' from the root element of an XML file."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    m = re.search(r"<([A-Za-z_][\w:.-]*)[\s>]", re.sub(r"<\?.*?\?>|<!--.*?-->", "", head, flags=re.S))
    if not m:
        return ""
    root = m.group(1).split(":")[-1]
    if root == "collection" and "cnx.rice.edu/collxml" in head:
        return "collection"
    if root == "document" and "cnx.rice.edu/cnxml" in head:
        return "cnxml"
    return ""


def file_format(path: Path) -> str:
    fmt = SUFFIXES.get(path.suffix.lower(), "")
    if fmt in ("xml", "cnxml"):
        return sniff_xml(path) or ("cnxml" if fmt == "cnxml" else "")
    return fmt


def read_file(path: Path, source: str, fmt: str | None = None) -> list[Document]:
    """The documents in one file (a CNXML collection yields one per module)."""

    fmt = fmt or file_format(path)
    if fmt == "collection":
        docs, problems = cnxml.read_collection(path, source)
        for name, reason in problems:
            log.warning("skipped %s: %s", name, reason)
        return docs
    reader = {"txt": read_txt, "markdown": read_markdown, "html": read_html, "pdf": read_pdf,
              "jsonl": read_jsonl, "cnxml": cnxml.read_module}.get(fmt)
    if reader is None:
        raise ReadError(f"unsupported file type {path.suffix or '(no extension)'!r}")
    return [reader(path, source)]


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        return {"source": self.source, "reason": self.reason}


def expand(sources: Sequence[str | os.PathLike]) -> list[tuple[Path, str]]:
    """``(path, source name)`` for every file under the given paths (directories are walked
    recursively, hidden entries skipped, order sorted). Source names keep the path as given.
    A path that does not exist is an error before any work is done."""
    out: list[tuple[Path, str]] = []
    for given in sources:
        name = os.fspath(given)
        p = Path(name)
        if not p.exists():
            raise FileNotFoundError(f"no such file or directory: {name}")
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                rel_root = os.path.relpath(root, p)
                for f in sorted(files):
                    if f.startswith("."):
                        continue
                    rel = f if rel_root == "." else os.path.join(rel_root, f)
                    out.append((Path(root) / f, os.path.join(name, rel).replace(os.sep, "/")))
        else:
            out.append((p, name.replace(os.sep, "/")))
    return out


def read_sources(sources: Sequence[str | os.PathLike]) -> tuple[list[Document], list[Skipped]]:
    """Read every file; collections first, so their modules get chapter titles and are read
    once. Unreadable and unknown files are returned as ``Skipped`` (and logged), never raised."""

    files = expand(sources)
    formats = {str(p): file_format(p) for p, _ in files}
    docs: list[Document] = []
    skipped: list[Skipped] = []
    consumed: set[str] = set()
    for p, name in files:
        if formats[str(p)] != "collection":
            continue
        try:
            got, problems = cnxml.read_collection(p, name)
        except ReadError as exc:
            skipped.append(Skipped(name, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - one odd file must not stop a build
            skipped.append(Skipped(name, f"unreadable ({type(exc).__name__}: {exc})"))
            continue
        for msource, reason in problems:
            consumed.add(os.path.normpath(msource))
            skipped.append(Skipped(msource, reason))
        for doc in got:
            consumed.add(os.path.normpath(doc.source))
            docs.append(doc)
    for p, name in files:
        if formats[str(p)] == "collection" or os.path.normpath(name) in consumed:
            continue
        if not formats[str(p)]:
            skipped.append(Skipped(name, f"unsupported file type {p.suffix or '(no extension)'!r}"))
            continue
        try:
            docs.extend(read_file(p, name, formats[str(p)]))
        except ReadError as exc:
            skipped.append(Skipped(name, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one odd file must not stop a build
            skipped.append(Skipped(name, f"unreadable ({type(exc).__name__}: {exc})"))
    seen: set[str] = set()
    unique = []
    for d in docs:
        if d.source in seen:
            continue
        seen.add(d.source)
        unique.append(d)
    for s in skipped:
        log.warning("skipped %s: %s", s.source, s.reason)
    for d in unique:
        for w in d.warnings:
            log.warning("%s", w)
    return unique, skipped
