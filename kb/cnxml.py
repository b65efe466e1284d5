"""OpenStax CNXML: modules (``index.cnxml``) and collections (the book's table of contents).

A module becomes one ``Document``: its title, learning objectives, sections (heading path),
notes, worked examples (kind ``example``), exercises (kind ``exercise``: "try it" notes and
the end-of-section exercise sets) and glossary (kind ``glossary``). MathML is written out as
linear text (``3/4``, ``x^2``, ``√(2)``) so BM25 and embeddings see the numbers. A collection
gives each of its modules the chapter title as the first element of the section path.
Parsing uses ``xml.etree`` (no external entities are resolved).
"""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

from .documents import Block, Document, ReadError, _read_bytes, assemble, sha256

CNXML = "http://cnx.rice.edu/cnxml"
MDML = "http://cnx.rice.edu/mdml"
COLLXML = "http://cnx.rice.edu/collxml"
MATHML = "http://www.w3.org/1998/Math/MathML"

#: section classes whose whole subtree is exercises, and the heading used when untitled
EXERCISE_SECTIONS = {"section-exercises": "Section Exercises", "practice-perfect": "Practice Makes Perfect",
                     "everyday": "Everyday Math", "writing": "Writing Exercises",
                     "self-check": "Self Check", "review-exercises": "Review Exercises",
                     "practice-test": "Practice Test"}
EXERCISE_NOTES = {"try": "Try It", "be-prepared": "Be Prepared"}
_SPACED_OPS = set("=+−-×÷<>≤≥≠≈±·") | {"⋅", "→"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").replace("'", "").split())


def _parse(path: Path) -> tuple[bytes, ET.Element]:
    data = _read_bytes(path)
    try:
        return data, ET.fromstring(data)
    except ET.ParseError as exc:
        raise ReadError(f"broken XML: {exc}") from None


# ---------------------------------------------------------------- MathML → linear text
def math_text(el: ET.Element) -> str:
    """Linear text for a MathML element: fractions as a/b, powers as a^b, roots as √(a)."""
    name = _local(el.tag)
    kids = list(el)
    if name in ("mn", "mi", "mtext", "ms"):
        return "".join(el.itertext()).strip() if name != "mtext" else "".join(el.itertext())
    if name == "mo":
        op = "".join(el.itertext()).strip()
        if op in _SPACED_OPS:
            return f" {op} "
        return op + " " if op in (",", ";") else op
    if name == "mspace":
        return " "
    if name in ("mphantom", "annotation", "annotation-xml"):
        return ""
    if name == "mfrac" and len(kids) == 2:
        return f"{_group(kids[0])}/{_group(kids[1])}"
    if name == "msup" and len(kids) == 2:
        return f"{math_text(kids[0])}^{_group(kids[1])}"
    if name == "msub" and len(kids) == 2:
        return f"{math_text(kids[0])}_{_group(kids[1])}"
    if name == "msubsup" and len(kids) == 3:
        return f"{math_text(kids[0])}_{_group(kids[1])}^{_group(kids[2])}"
    if name == "msqrt":
        return f"√({''.join(math_text(k) for k in kids).strip()})"
    if name == "mroot" and len(kids) == 2:
        return f"{_group(kids[1])}√({math_text(kids[0]).strip()})"
    if name in ("mover", "munder", "munderover") and kids:
        base = math_text(kids[0])
        marks = "".join(math_text(k).strip() for k in kids[1:])
        return base + ("\u0305" if marks in ("¯", "_", "‾", "―") else "")
    if name == "mfenced":
        return (el.get("open", "(") + ", ".join(math_text(k).strip() for k in kids)
                + el.get("close", ")"))
    if name == "mtable":
        return "\n".join(math_text(k).strip() for k in kids)
    if name == "mtr":
        return "   ".join(math_text(k).strip() for k in kids if math_text(k).strip())
    out = ""
    for k in kids:
        piece = math_text(k)
        if _local(k.tag) == "mfrac" and out[-1:].isdigit():
            out += " "  # a mixed number: 1 2/3, not 12/3
        out += piece
    return out


def _group(el: ET.Element) -> str:
    s = re.sub(r"\s+", " ", math_text(el)).strip()
    return f"({s})" if re.search(r"[\s+\-−/]", s) and not (s.startswith("(") and s.endswith(")")) else s


# ---------------------------------------------------------------- inline text
def inline(el: ET.Element) -> str:
    """The text of a paragraph-like element, math and nested lists included."""
    parts: list[str] = [_ws(el.text)]
    for child in el:
        name = _local(child.tag)
        if _ns(child.tag) == MATHML:
            parts.append(" " + re.sub(r"[ \t]+", " ", math_text(child)).strip() + " ")
        elif name == "newline":
            parts.append("\n")
        elif name == "list":
            parts.append("\n" + list_text(child) + "\n")
        elif name in ("media", "image", "figure", "label"):
            pass
        elif name == "title":
            parts.append(inline(child) + ": ")
        else:
            parts.append(inline(child))
        parts.append(_ws(child.tail))
    return _tidy("".join(parts))


def _ws(s: str | None) -> str:
    """Source line breaks inside running text are just spaces (``<newline/>`` is a break)."""
    return re.sub(r"\s+", " ", s) if s else ""


def _tidy(s: str) -> str:
    s = re.sub(r"[ \t\r\f\v]+", " ", s)
    s = re.sub(r" *\n *", "\n", s)
    s = re.sub(r"\n{3,}", "\n\n", s)
    s = re.sub(r" ([.,;:?!)])", r"\1", s)
    s = re.sub(r"\( ", "(", s)
    return s.strip()


def list_text(el: ET.Element) -> str:
    numbered = el.get("list-type") == "enumerated" and "circled" not in _classes(el)
    lines = []
    n = 0
    for item in el:
        if _local(item.tag) != "item":
            continue
        n += 1
        lines.append((f"{n}. " if numbered else "• ") + inline(item))
    return "\n".join(lines)


def table_text(el: ET.Element) -> str:
    rows = []
    for row in el.iter(f"{{{CNXML}}}row"):
        cells = [inline(e) for e in row if _local(e.tag) == "entry"]
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


# ---------------------------------------------------------------- module structure
def _title_of(el: ET.Element) -> str | None:
    for child in el:
        if _local(child.tag) == "title" and _ns(child.tag) == CNXML:
            return inline(child) or None
    return None


def _blocks(el: ET.Element, path: tuple[str, ...], kind: str) -> Iterator[Block]:
    """Walk block-level content; headings extend ``path``; exercises and examples set ``kind``."""
    for child in el:
        if _ns(child.tag) == MATHML:
            yield Block(inline(ET.Element("p")) + math_text(child), path, kind)
            continue
        name = _local(child.tag)
        if name in ("title", "label", "media", "image", "metadata"):
            continue
        classes = _classes(child)
        if name == "section":
            title = _title_of(child)
            ex_class = next((c for c in classes if c in EXERCISE_SECTIONS), None)
            sub_kind = "exercise" if ex_class else kind
            sub_path = path + ((title or EXERCISE_SECTIONS.get(ex_class or "", "")),) \
                if (title or ex_class) else path
            if title:
                yield Block(title, sub_path, sub_kind)
            yield from _blocks(child, sub_path, sub_kind)
        elif name == "note":
            ex_class = next((c for c in classes if c in EXERCISE_NOTES), None)
            title = _title_of(child) or (EXERCISE_NOTES[ex_class] if ex_class else None)
            sub_kind = "exercise" if ex_class else kind
            sub_path = path + (title,) if title else path
            if any(_local(c.tag) in ("para", "list", "exercise", "table", "equation", "note",
                                     "example", "figure") for c in child):
                yield from _blocks(child, sub_path, sub_kind)
            else:  # a note written as running text
                yield Block(inline(child), sub_path, sub_kind)
        elif name == "example":
            title = _title_of(child) or "Example"
            yield from _blocks(child, path + (title,), "example")
        elif name == "exercise":
            ex_kind = "example" if kind == "example" else "exercise"
            for part in child:
                pname = _local(part.tag)
                if pname in ("problem", "solution", "commentary"):
                    label = {"problem": "", "solution": "Solution: ", "commentary": ""}[pname]
                    texts = [t.text for t in _blocks(part, path, ex_kind)]
                    body = "\n".join(t for t in texts if t)
                    if body:
                        yield Block(label + body, path, ex_kind)
        elif name in ("para", "equation", "quote", "preformat", "code", "definition"):
            yield Block(inline(child), path, kind)
        elif name == "list":
            title = _title_of(child)
            yield Block((title + "\n" if title else "") + list_text(child), path, kind)
        elif name == "table":
            title = _title_of(child)
            yield Block((title + "\n" if title else "") + table_text(child), path, kind)
        elif name == "figure":
            for cap in child.iter(f"{{{CNXML}}}caption"):
                yield Block(inline(cap), path, kind)
        else:  # content, problem, solution, div-like containers
            yield from _blocks(child, path, kind)


def module_blocks(root: ET.Element, prefix: tuple[str, ...] = ()) -> tuple[str, list[Block]]:
    """(title, blocks) of a parsed module; ``prefix`` (the chapter) starts every path."""
    if _local(root.tag) != "document" or _ns(root.tag) != CNXML:
        raise ReadError("not a CNXML module (root element is not cnxml:document)")
    title = _title_of(root) or root.findtext(f".//{{{MDML}}}title") or "(untitled module)"
    top = prefix + (title,)
    blocks = [Block(title, top)]
    abstract = root.find(f".//{{{MDML}}}abstract")
    if abstract is not None:
        blocks.extend(_blocks(abstract, top, "text"))
    content = root.find(f"{{{CNXML}}}content")
    if content is not None:
        blocks.extend(_blocks(content, top, "text"))
    glossary = root.find(f"{{{CNXML}}}glossary")
    if glossary is not None:
        for d in glossary.iter(f"{{{CNXML}}}definition"):
            term = inline(d.find(f"{{{CNXML}}}term")) if d.find(f"{{{CNXML}}}term") is not None else ""
            meanings = [inline(m) for m in d.iter(f"{{{CNXML}}}meaning")]
            if term:
                blocks.append(Block(f"{term}: {' '.join(meanings)}", top + ("Glossary",), "glossary",
                                    anchor=term))
    return title, blocks


def module_id(root: ET.Element, path: Path) -> str:
    return (root.findtext(f".//{{{MDML}}}content-id") or path.parent.name).strip()


def read_module(path: Path, source: str, chapter: str | None = None) -> Document:
    """One module. Without ``chapter``, the book's collection (``../../collections/*.xml``
    next to the module folder) is consulted for the chapter title when it is there."""
    data, root = _parse(path)
    if chapter is None:
        chapter = _chapter_from_collections(path, module_id(root, path))
    prefix = (chapter,) if chapter else ()
    title, blocks = module_blocks(root, prefix)
    text, sections = assemble(blocks)
    return Document(source, title, text, sections, "cnxml", sha256(data, chapter or ""), len(data))


def collection_toc(root: ET.Element) -> list[tuple[str | None, str]]:
    """[(chapter title or None, module id)] in book order."""
    if _local(root.tag) != "collection":
        raise ReadError("not a CNXML collection")
    out: list[tuple[str | None, str]] = []

    def walk(el: ET.Element, chapter: str | None) -> None:
        for child in el:
            name = _local(child.tag)
            if name == "module" and child.get("document"):
                out.append((chapter, child.get("document")))
            elif name == "subcollection":
                t = child.findtext(f"{{{MDML}}}title")
                walk(child, t.strip() if t else chapter)
            elif name == "content":
                walk(child, chapter)

    content = root.find(f"{{{COLLXML}}}content")
    walk(content if content is not None else root, None)
    return out


def _module_path(collection: Path, mid: str) -> Path:
    return collection.parent.parent / "modules" / mid / "index.cnxml"


def _module_source(collection_source: str, mid: str) -> str:
    base = os.path.dirname(os.path.dirname(collection_source))
    if not os.path.dirname(collection_source):  # collection given as a bare file name
        base = ".."
    return os.path.join(base, "modules", mid, "index.cnxml").replace(os.sep, "/")


def read_collection(path: Path, source: str) -> tuple[list[Document], list[tuple[str, str]]]:
    """Every module the collection lists (found at ``../modules/<id>/index.cnxml``), with
    its chapter title, and ``(module source, reason)`` for each module missing or broken.
    ``ReadError`` when the collection itself is unreadable or none of its modules is there."""
    _, root = _parse(path)
    docs, problems = [], []
    toc = collection_toc(root)
    for chapter, mid in toc:
        mpath = _module_path(path, mid)
        msource = _module_source(source, mid)
        if not mpath.is_file():
            problems.append((msource, f"module {mid} listed in {source} is missing"))
            continue
        try:
            docs.append(read_module(mpath, msource, chapter=chapter or ""))
        except ReadError as exc:
            problems.append((msource, str(exc)))
        except Exception as exc:  # noqa: BLE001 - one odd module must not stop a build
            problems.append((msource, f"unreadable ({type(exc).__name__}: {exc})"))
    if not docs:
        raise ReadError(f"none of its {len(toc)} modules could be read under "
                        f"{path.parent.parent / 'modules'}")
    return docs, problems


def _chapter_from_collections(module: Path, mid: str) -> str | None:
    coll_dir = module.parent.parent.parent / "collections"
    if not coll_dir.is_dir():
        return None
    for coll in sorted(coll_dir.glob("*.xml")):
        try:
            toc = collection_toc(ET.parse(coll).getroot())
        except (ET.ParseError, ReadError, OSError):
            continue
        for chapter, m in toc:
            if m == mid:
                return chapter
    return None


def exercises(path: Path) -> Iterator[dict]:
    """The exercises and glossary terms of a module, for evaluation: dicts with the module
    id, ``kind`` (``try``, ``be-prepared``, ``section``, ``review`` for chapter review and
    practice tests, ``glossary``), ``text`` (the problem, or the glossary term) and
    ``instruction`` (the "In the following exercises, ..." line a section exercise sits under)."""
    _, root = _parse(path)
    mid = module_id(root, path)
    review = {"review-exercises", "practice-test"}

    def walk(el: ET.Element, where: str | None, instruction: str) -> Iterator[dict]:
        for child in el:
            name = _local(child.tag)
            classes = _classes(child)
            here = where
            if name == "note" and classes & set(EXERCISE_NOTES):
                here = next(iter(classes & set(EXERCISE_NOTES)))
            elif name == "section" and classes & review:
                here = "review"
            elif name == "section" and classes & set(EXERCISE_SECTIONS) and where != "review":
                here = "section"
            elif name == "example":
                here = "example"
            if name == "para" and where in ("section", "review"):
                instruction = inline(child)
                continue
            if name == "exercise":
                problem = child.find(f"{{{CNXML}}}problem")
                if problem is not None and here not in (None, "example"):
                    text = "\n".join(b.text for b in _blocks(problem, (), "exercise"))
                    yield {"module": mid, "kind": here, "text": text,
                           "instruction": instruction if here in ("section", "review") else ""}
                continue
            yield from walk(child, here, instruction if name != "section" else "")

    content = root.find(f"{{{CNXML}}}content")
    if content is not None:
        yield from walk(content, None, "")
    for d in root.iter(f"{{{CNXML}}}definition"):
        term = d.find(f"{{{CNXML}}}term")
        if term is not None and inline(term):
            yield {"module": mid, "kind": "glossary", "text": inline(term), "instruction": ""}
