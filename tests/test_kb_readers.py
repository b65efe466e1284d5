"""Readers: every format from real files (written here or bundled in kb/samples).

``make_pdf`` is a minimal PDF writer (text pages, outline, title), so PDF reading is tested
on real files without a PDF-writing dependency; it also made ``kb/samples/geometry.pdf``.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.chunking import chunk_document
from kb.readers import ReadError, read_file, read_sources

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "kb" / "samples"


def _esc(s: str) -> str:
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(path: Path, pages: list[list[str]], outline: list[tuple[str, int]] | None = None,
             title: str | None = None) -> Path:
    """Write ``pages`` (lines of ASCII text each) as a PDF; ``outline`` = [(title, page index)]."""
    objs: list[bytes] = []

    def add(body: str | bytes) -> int:
        objs.append(body.encode("latin-1") if isinstance(body, str) else body)
        return len(objs)

    catalog = add("")  # filled in below
    pages_obj = add("")
    font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    page_ids = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 740 Td"]
        for line in lines:
            ops.append(f"({_esc(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        content = add(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        page_ids.append(add(f"<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 612 792] "
                            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>"))
    objs[pages_obj - 1] = (f"<< /Type /Pages /Kids [{' '.join(f'{p} 0 R' for p in page_ids)}] "
                           f"/Count {len(page_ids)} >>").encode("latin-1")
    outline_ref = ""
    if outline:
        root = add("")
        items = [add("") for _ in outline]
        for n, ((text, page), oid) in enumerate(zip(outline, items)):
            prev = f"/Prev {items[n - 1]} 0 R " if n else ""
            nxt = f"/Next {items[n + 1]} 0 R " if n + 1 < len(items) else ""
            objs[oid - 1] = (f"<< /Title ({_esc(text)}) /Parent {root} 0 R {prev}{nxt}"
                             f"/Dest [{page_ids[page]} 0 R /Fit] >>").encode("latin-1")
        objs[root - 1] = (f"<< /Type /Outlines /First {items[0]} 0 R /Last {items[-1]} 0 R "
                          f"/Count {len(items)} >>").encode("latin-1")
        outline_ref = f" /Outlines {root} 0 R"
    objs[catalog - 1] = f"<< /Type /Catalog /Pages {pages_obj} 0 R{outline_ref} >>".encode("latin-1")
    info = add(f"<< /Title ({_esc(title)}) >>") if title else None
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    trailer = f"<< /Size {len(objs) + 1} /Root {catalog} 0 R" + (f" /Info {info} 0 R" if info else "") + " >>"
    out += b"trailer\n" + trailer.encode("latin-1") + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    Path(path).write_bytes(bytes(out))
    return Path(path)


GEOMETRY_PAGES = [
    ["Perimeter", "", "The perimeter of a shape is the distance around it.",
     "For a rectangle with length L and width W, the perimeter is P = 2L + 2W.",
     "A rectangle that is 8 feet long and 5 feet wide has a perimeter of 26 feet.",
     "The perimeter of a square with side s is 4s."],
    ["Area", "", "Area measures the space inside a flat shape in square units.",
     "The area of a rectangle is length times width: A = LW.",
     "A rectangle 8 feet long and 5 feet wide covers 40 square feet.",
     "The area of a triangle is one half of the base times the height: A = bh/2."]]


def sections(doc):
    return [(" > ".join(s.path), s.kind, doc.text[s.start:s.end]) for s in doc.sections]


def test_bundled_sample_pdf_is_reproducible(tmp_path):
    made = make_pdf(tmp_path / "g.pdf", GEOMETRY_PAGES, outline=[("Perimeter", 0), ("Area", 1)],
                    title="Perimeter and Area")
    assert made.read_bytes() == (SAMPLES / "geometry.pdf").read_bytes()


def test_txt(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_text("Integers\r\n\r\nThe absolute value of -7 is 7.\r\n", encoding="utf-8")
    [doc] = read_file(p, "notes.txt")
    assert doc.title == "notes" and doc.format == "txt"
    assert doc.text == "Integers\n\nThe absolute value of -7 is 7.\n"
    assert [doc.text[s.start:s.end] for s in doc.sections] == [doc.text.strip()]


def test_markdown_headings_fences_setext_front_matter(tmp_path):
    p = tmp_path / "f.md"
    p.write_text("---\ntitle: Fraction notes\n---\nIntro line.\n\n# Fractions\n\nParts of a whole.\n\n"
                 "## Adding\n\nUse the LCD.\n\n```\n# not a heading\n```\n\nSubtracting\n-----------\n\n"
                 "Same idea.\n\n### **Bold** [link](http://x) heading ###\n\nText.\n", encoding="utf-8")
    [doc] = read_file(p, "f.md")
    assert doc.title == "Fraction notes"
    got = sections(doc)
    assert [g[0] for g in got] == ["", "Fractions", "Fractions > Adding", "Fractions > Subtracting",
                                   "Fractions > Subtracting > Bold link heading"]
    assert "# not a heading" in got[2][2]  # a fenced line stays in its section
    assert got[0][2] == "Intro line."  # front matter is not content
    assert doc.text == p.read_text()  # offsets point into the original file


def test_html_visible_text_and_headings(tmp_path):
    p = tmp_path / "d.html"
    p.write_text("<html><head><title>Decimals</title><style>p{}</style><script>var x = 'hidden';</script>"
                 "</head><body><h1>Decimals</h1><p>Tenths &amp; hundredths.</p><h2>Rounding</h2>"
                 "<p>Round 3.14159<br>to 3.14.</p><table><tr><td>0.5</td><td>1/2</td></tr></table>"
                 "<h2>Place value</h2><ul><li>ones</li><li>tenths</li></ul></body></html>",
                 encoding="utf-8")
    [doc] = read_file(p, "d.html")
    assert doc.title == "Decimals"
    assert "hidden" not in doc.text and "p{}" not in doc.text
    got = sections(doc)
    assert got[0] == ("Decimals", "text", "Decimals\n\nTenths & hundredths.")
    assert got[1][0] == "Decimals > Rounding" and "Round 3.14159\nto 3.14." in got[1][2]
    assert "0.5 | 1/2" in got[1][2]
    assert got[2][0] == "Decimals > Place value" and "ones" in got[2][2] and "tenths" in got[2][2]


def test_pdf_pages_and_outline(tmp_path):
    p = make_pdf(tmp_path / "g.pdf", GEOMETRY_PAGES, outline=[("Perimeter", 0), ("Area", 1)],
                 title="Perimeter and Area")
    [doc] = read_file(p, "g.pdf")
    assert doc.title == "Perimeter and Area" and doc.format == "pdf"
    assert [(s.page, s.path) for s in doc.sections] == [(1, ("Perimeter",)), (2, ("Area",))]
    assert "P = 2L + 2W" in doc.text[doc.sections[0].start:doc.sections[0].end]
    assert "A = LW" in doc.text[doc.sections[1].start:doc.sections[1].end]
    chunks = chunk_document(doc)
    assert {c.page for c in chunks} == {1, 2}


def test_pdf_without_outline_or_text(tmp_path):
    [doc] = read_file(make_pdf(tmp_path / "plain.pdf", [["Just one page of text."]]), "plain.pdf")
    assert doc.title == "plain" and doc.sections[0].path == () and doc.sections[0].page == 1
    with pytest.raises(ReadError, match="no extractable text"):
        read_file(make_pdf(tmp_path / "blank.pdf", [[]]), "blank.pdf")


def test_jsonl_records_and_bad_lines(tmp_path):
    p = tmp_path / "faq.jsonl"
    p.write_text(json.dumps({"id": "p1", "title": "Percent", "text": "Percent means per hundred."}) + "\n"
                 "{not json\n" + json.dumps({"id": 7, "text": "No title here."}) + "\n"
                 + json.dumps({"title": "no text"}) + "\n", encoding="utf-8")
    [doc] = read_file(p, "faq.jsonl")
    assert [(s.anchor, s.title, doc.text[s.start:s.end]) for s in doc.sections] == [
        ("p1", "Percent", "Percent means per hundred."), ("7", "7", "No title here.")]
    assert len(doc.warnings) == 2 and "line 2" in doc.warnings[0] and "line 4" in doc.warnings[1]


def test_cnxml_module_structure_and_math():
    [doc] = read_file(SAMPLES / "book/modules/m90001/index.cnxml", "m90001/index.cnxml")
    assert doc.title == "Ratios and Rates" and doc.format == "cnxml"
    got = sections(doc)
    paths = {g[0]: g for g in got}
    # standalone module: the chapter title still comes from ../../collections/*.xml
    assert "Ratios and Percents > Ratios and Rates > Write a Ratio as a Fraction" in paths
    assert "6/9, which simplifies to 2/3" in doc.text  # MathML fractions as linear text
    assert "b ≠ 0" in doc.text
    kinds = {g[1] for g in got}
    assert kinds == {"text", "example", "exercise", "glossary"}
    example = next(g for g in got if g[1] == "example")
    assert example[0].endswith("> Example") and "Solution: Divide both numbers" in example[2]
    tries = [g for g in got if g[1] == "exercise" and g[0].endswith("Try It")]
    assert tries and "10 pencils" in tries[0][2]
    section_ex = [g for g in got if g[0].endswith("Practice Makes Perfect")]
    assert section_ex and section_ex[0][1] == "exercise"
    glossary = [s for s in doc.sections if s.kind == "glossary"]
    assert [s.anchor for s in glossary] == ["ratio", "unit rate"]


def test_cnxml_math_mixed_numbers_powers_roots(tmp_path):
    m = "http://www.w3.org/1998/Math/MathML"
    p = tmp_path / "index.cnxml"
    p.write_text(f'<document xmlns="http://cnx.rice.edu/cnxml" xmlns:m="{m}"><title>T</title><content>'
                 "<para id='a'><m:math><m:mn>2</m:mn><m:mfrac><m:mn>1</m:mn><m:mn>3</m:mn></m:mfrac></m:math>"
                 " and <m:math><m:msup><m:mi>x</m:mi><m:mn>2</m:mn></m:msup></m:math>"
                 " and <m:math><m:msqrt><m:mn>49</m:mn></m:msqrt></m:math>"
                 " and <m:math><m:mfrac><m:mrow><m:mi>a</m:mi><m:mo>+</m:mo><m:mn>1</m:mn></m:mrow>"
                 "<m:mn>4</m:mn></m:mfrac></m:math></para></content></document>", encoding="utf-8")
    [doc] = read_file(p, "index.cnxml")
    assert "2 1/3 and x^2 and √(49) and (a + 1)/4" in doc.text


def test_collection_gives_chapters_and_module_sources():
    docs, skipped = read_sources([str(SAMPLES / "book")])
    assert not skipped
    assert [d.source for d in docs] == [f"{SAMPLES / 'book'}/modules/m90001/index.cnxml",
                                        f"{SAMPLES / 'book'}/modules/m90002/index.cnxml"]
    assert all(d.sections[0].path[0] == "Ratios and Percents" for d in docs)


def test_directory_walk_skips_unknown_and_broken_files(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.md").write_text("# A\n\nText about ratios.\n", encoding="utf-8")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a pdf")
    (tmp_path / "bad.html").write_bytes(b"<p>\xff\xfe latin junk</p>")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "bad.cnxml").write_text("<document><unclosed></document>", encoding="utf-8")
    (tmp_path / "other.xml").write_text("<root/>", encoding="utf-8")
    (tmp_path / ".hidden.md").write_text("# hidden\n", encoding="utf-8")
    docs, skipped = read_sources([str(tmp_path)])
    assert [d.source for d in docs] == [f"{tmp_path}/sub/a.md"]
    reasons = {Path(s.source).name: s.reason for s in skipped}
    assert set(reasons) == {"image.png", "broken.pdf", "bad.html", "empty.txt", "bad.cnxml", "other.xml"}
    assert "unsupported" in reasons["image.png"] and "unsupported" in reasons["other.xml"]
    assert "PDF" in reasons["broken.pdf"] and "UTF-8" in reasons["bad.html"]
    assert "empty" in reasons["empty.txt"] and "XML" in reasons["bad.cnxml"]


def test_missing_path_is_an_error_before_any_work(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope"):
        read_sources([str(tmp_path / "nope")])


def test_collection_with_missing_modules_is_reported(tmp_path):
    (tmp_path / "collections").mkdir()
    (tmp_path / "collections" / "c.collection.xml").write_text(
        (SAMPLES / "book/collections/sample.collection.xml").read_text(), encoding="utf-8")
    docs, skipped = read_sources([str(tmp_path)])
    assert docs == [] and len(skipped) == 1 and "none of its 2 modules" in skipped[0].reason
    (tmp_path / "modules" / "m90002").mkdir(parents=True)
    (tmp_path / "modules" / "m90002" / "index.cnxml").write_text(
        (SAMPLES / "book/modules/m90002/index.cnxml").read_text(), encoding="utf-8")
    docs, skipped = read_sources([str(tmp_path)])
    assert [d.title for d in docs] == ["Proportions"]
    assert [(Path(s.source).parent.name, "missing" in s.reason) for s in skipped] == [("m90001", True)]


def test_shared_textbook_reads_completely(shared_data):
    docs, skipped = read_sources([str(shared_data / "openstax-prealgebra-2e")])
    assert not skipped and len(docs) == 75
    fractions = next(d for d in docs if d.source.endswith("m81285/index.cnxml"))
    assert fractions.title == "Visualize Fractions"
    assert fractions.sections[0].path[:2] == ("Fractions", "Visualize Fractions")
    assert {s.kind for s in fractions.sections} == {"text", "example", "exercise", "glossary"}
    assert "numerator" in fractions.text and "3/4" in fractions.text


def test_an_unexpected_reader_failure_is_reported_not_raised(tmp_path, monkeypatch):
    import kb.readers as readers

    (tmp_path / "a.txt").write_text("Fine text.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Also fine.", encoding="utf-8")
    real = readers.read_txt

    def flaky(path, source):
        if path.name == "b.txt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(path, source)

    monkeypatch.setattr(readers, "read_txt", flaky)
    docs, skipped = read_sources([str(tmp_path)])
    assert [d.title for d in docs] == ["a"]
    assert skipped[0].reason == "unreadable (RecursionError: maximum recursion depth exceeded)"
