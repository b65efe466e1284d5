"""Chunking: structure first, sentence-aware windows, offsets that always slice the source."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kb.chunking import chunk_document, sentences
from kb.readers import Document, Section


def doc(text: str, sections=None) -> Document:
    secs = tuple(sections) if sections is not None else (Section(0, len(text), ("Notes",)),)
    return Document("notes.md", "Notes", text, secs, "markdown", "x")


def test_sentences_split_on_punctuation_and_lines_not_decimals_or_abbreviations():
    text = "The sum is 3.5 today. Dr. Lee agrees, e.g. in class! Next line?\nNew line here."
    spans = [text[s:e] for s, e in sentences(text, 0, len(text))]
    assert spans == ["The sum is 3.5 today.", "Dr. Lee agrees, e.g. in class!", "Next line?",
                     "New line here."]


def test_windows_respect_size_keep_sentences_whole_and_overlap():
    sents = [f"Sentence number {i} talks about fractions and ratios." for i in range(40)]
    text = " ".join(sents)
    chunks = chunk_document(doc(text), chunk_size=200, overlap=60)
    assert len(chunks) > 5
    for c in chunks:
        assert c.text == text[c.start:c.end]
        assert len(c.text) <= 200
        assert c.text.startswith("Sentence") and c.text.endswith(".")
        assert c.section == "Notes" and c.title == "Notes"
    for a, b in zip(chunks, chunks[1:]):
        assert b.start < a.end, "consecutive windows overlap"
        assert a.end - b.start <= 60
        assert b.start > a.start
    assert chunks[0].start == 0 and chunks[-1].end == len(text)


def test_no_overlap_partitions_the_text():
    text = " ".join(f"Fact {i} is short." for i in range(60))
    chunks = chunk_document(doc(text), chunk_size=100, overlap=0)
    assert all(b.start > a.end for a, b in zip(chunks, chunks[1:]))
    assert " ".join(c.text for c in chunks) == text


def test_overlong_sentence_is_cut_at_spaces():
    text = "word " * 300
    chunks = chunk_document(doc(text.strip()), chunk_size=120, overlap=0)
    assert all(len(c.text) <= 120 for c in chunks)
    assert all(not c.text.startswith(" ") and not c.text.endswith(" ") for c in chunks)


def test_sections_are_never_mixed_and_heading_only_sections_are_skipped():
    text = "# Fractions\n\n## Adding\n\nUse the LCD. Then add.\n\n## Multiplying\n\nMultiply across."
    a, m = text.index("## Adding"), text.index("## Multiplying")
    secs = [Section(0, 11, ("Fractions",)), Section(a, m - 2, ("Fractions", "Adding")),
            Section(m, len(text), ("Fractions", "Multiplying"), kind="example", page=3)]
    chunks = chunk_document(doc(text, secs))
    assert [(c.section, c.kind, c.page, c.text) for c in chunks] == [
        ("Fractions > Adding", "text", None, "## Adding\n\nUse the LCD. Then add."),
        ("Fractions > Multiplying", "example", 3, "## Multiplying\n\nMultiply across.")]
    assert chunks[0].embed_text() == "Notes > Fractions > Adding\n" + chunks[0].text


def test_bad_settings_are_refused():
    with pytest.raises(ValueError, match="chunk_size"):
        chunk_document(doc("x"), chunk_size=10)
    with pytest.raises(ValueError, match="overlap"):
        chunk_document(doc("x"), chunk_size=100, overlap=60)


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.text(alphabet="abcdefghij .!?\n", min_size=1, max_size=30), min_size=1,
                      max_size=80),
       size=st.integers(min_value=50, max_value=300), overlap_frac=st.floats(0, 0.45))
def test_chunks_cover_the_section_and_slice_it_exactly(words, size, overlap_frac):
    text = " ".join(words)
    overlap = int(size * overlap_frac)
    chunks = chunk_document(doc(text), chunk_size=size, overlap=overlap)
    covered = set()
    for c in chunks:
        assert text[c.start:c.end] == c.text and 0 < len(c.text) <= size
        covered.update(range(c.start, c.end))
    # every non-blank character is in some chunk
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())
