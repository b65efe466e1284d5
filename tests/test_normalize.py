"""The input layer: engines read the text as a reader sees it; spans index the original."""
from __future__ import annotations

import pytest

from verify import check
from verify.normalize import normalize


@pytest.mark.parametrize("hidden", ["\u200d", "\u200b", "\u2060", "\u00ad", "\x00", "\ufeff"])
def test_invisible_characters_are_dropped_and_offsets_map_back(hidden):
    text = f"Total: 3{hidden}5 + 1 = 36"
    norm = normalize(text)
    assert norm.text == "Total: 35 + 1 = 36"
    start = norm.text.index("35")
    assert norm.span(start, start + 2) == (7, 10)  # the number with its hidden character
    assert norm.span(0, len(norm.text)) == (0, len(text))


def test_safe_compatibility_forms_only():
    norm = normalize("\uff11\uff12 +\u00a01 = 13, x² and ½ stay")
    assert norm.text == "12 + 1 = 13, x² and ½ stay"  # fullwidth digits, no-break space
    assert normalize("plain ascii 2 + 2 = 4").origin is None  # nothing to map


def test_an_empty_span_stays_empty():
    norm = normalize("a\u200bb")
    assert norm.span(1, 1) == (2, 2)


@pytest.mark.parametrize("hidden", ["\u200d", "\u200b", "\u2060", "\u00ad", "\x00"])
def test_a_claim_joined_by_an_invisible_character_reads_as_shown(hidden):
    text = f"1{hidden}0 + 1 = 1"
    report = check(text)
    assert report.text == text  # the report keeps the user's text
    (claim,) = [c for c in report.claims if c.kind == "arithmetic"]
    assert claim.status == "refuted" and claim.text == "10 + 1 = 1"
    assert claim.span.start == 0 and claim.span.end == len(text)
    assert text[claim.correction_span.start:claim.correction_span.end] == "1"
    assert report.corrected_text == f"1{hidden}0 + 1 = 11"


def test_spans_after_invisible_characters_index_the_original():
    text = "A\u200b\u200bB: 2 + 2 = 5."
    report = check(text, engines=("arithmetic",))
    (claim,) = report.claims
    assert text[claim.span.start:claim.span.end] == "2 + 2 = 5"
    assert report.corrected_text == "A\u200b\u200bB: 2 + 2 = 4."
