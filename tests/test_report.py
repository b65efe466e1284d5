"""The verdict model: frozen objects, the JSON shape of CONTRACTS.md, and the policies."""
from __future__ import annotations

import dataclasses
import json

import jsonschema
import pytest

from verify import check
from verify.cli.schema import load
from verify.report import (POLICIES, Claim, Evidence, Policy, Report, Span, apply_corrections)


def claim(status: str = "verified", *, correction: str | None = None, start: int = 0,
          end: int = 9, **kw) -> Claim:
    evidence = (Evidence("2 + 2 = 4"),) if status != "unverified" else ()
    return Claim(text="2 + 2 = 4", span=Span(start, end), kind="arithmetic", status=status,
                 method="exact-rational", explanation="2 + 2 is 4.", correction=correction,
                 evidence=evidence, **kw)


# --------------------------------------------------------------------------- frozen, typed
def test_objects_are_frozen_all_the_way_down():
    c = claim(detail={"steps": [1, 2], "inner": {"a": [3]}})
    with pytest.raises(dataclasses.FrozenInstanceError):
        c.status = "refuted"  # type: ignore[misc]
    with pytest.raises(TypeError):
        c.detail["new"] = 1  # type: ignore[index]
    assert c.detail["steps"] == (1, 2) and c.detail["inner"]["a"] == (3,)
    report = Report(status="verified", text="2 + 2 = 4", corrected_text="2 + 2 = 4", claims=[c])
    assert isinstance(report.claims, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.status = "flagged"  # type: ignore[misc]
    with pytest.raises(TypeError):
        report.meta["x"] = 1  # type: ignore[index]


def test_verified_without_evidence_is_refused():
    with pytest.raises(ValueError, match="evidence"):
        Claim(text="2 + 2 = 5", span=Span(0, 9), kind="arithmetic", status="verified",
              method="x", explanation="trust me")


def test_invalid_values_are_refused():
    with pytest.raises(ValueError):
        claim(status="true")
    with pytest.raises(ValueError):
        Span(5, 2)
    with pytest.raises(ValueError):
        Span(-1, 2)
    with pytest.raises(TypeError):
        Claim("t", Span(0, 1), "arithmetic", "refuted", "x", "e", evidence=("not evidence",))
    with pytest.raises(ValueError, match="correction_span"):
        claim("refuted", correction="5", correction_span=Span(8, 12))
    with pytest.raises(ValueError):
        Report(status="maybe", text="", corrected_text="")
    with pytest.raises(ValueError, match="refuted"):
        Report(status="verified", text="x", corrected_text="x", claims=[claim("refuted")])


def test_span_overlap():
    assert Span(0, 5).overlaps(Span(4, 9))
    assert not Span(0, 5).overlaps(Span(5, 9))
    assert Span(0, 9).overlaps(Span(3, 4))


# --------------------------------------------------------------------------- JSON shape
def test_to_dict_has_the_contract_fields_and_validates_against_the_schema():
    report = check("847 × 923 = 781681. Hello.", engines=("arithmetic",))
    data = report.to_dict()
    assert set(data) == {"schema_version", "status", "reason", "text", "corrected_text", "claims",
                         "unchecked", "coverage", "unchecked_sentences", "stages", "meta"}
    assert data["schema_version"] == 1
    assert data["status"] == "corrected"
    (c,) = data["claims"]
    assert set(c) == {"text", "span", "kind", "status", "method", "correction", "evidence",
                      "explanation", "detail", "correction_span"}
    assert c["span"] == {"start": 0, "end": 18}
    assert c["correction_span"] == {"start": 12, "end": 18}
    assert c["evidence"] == [{"text": "847 × 923 = 781781", "source": None, "citation": None}]
    assert data["unchecked"] == [{"start": 18, "end": 26}]  # ". Hello."
    assert data["stages"] == ["arithmetic"]
    assert {"verity_version", "elapsed_ms", "models", "kb_manifest"} <= set(data["meta"])
    jsonschema.validate(data, load("report"))


def test_to_json_round_trips_and_keeps_unicode():
    report = check("847 × 923 = 781781", engines=("arithmetic",))
    text = report.to_json()
    assert "×" in text  # not \u00d7
    assert json.loads(text) == report.to_dict()


def test_str_is_readable():
    report = check("847 × 923 = 781681", engines=("arithmetic",))
    assert str(report).splitlines() == [
        "CORRECTED 1 claim",
        "  1 claim(s) refuted and corrected",
        "  ✗ [arithmetic/exact-rational] 847 × 923 = 781681 → 781781: 847 × 923 is 781781, "
        "not 781681.",
        "  corrected: 847 × 923 = 781781"]


def test_summary_lists_the_problems():
    report = check("847 × 923 = 781681", engines=("arithmetic",))
    assert report.summary() == ('Verity: corrected (1 claim(s) refuted and corrected)\n'
                                '- refuted: "847 × 923 = 781681". 847 × 923 is 781781, not 781681.'
                                ' Correct value: 781781.')


# --------------------------------------------------------------------------- policies
def test_policy_decisions():
    strict, lenient, permissive = (Policy.of(n) for n in ("strict", "lenient", "permissive"))
    assert strict.decide([]) == ("flagged", "nothing checkable: no claim in the answer could be checked")
    assert lenient.decide([])[0] == "verified"
    assert permissive.decide([])[0] == "verified"
    assert strict.decide([claim()])[0] == "verified"
    assert strict.decide([claim(), claim("unverified")])[0] == "flagged"
    assert lenient.decide([claim(), claim("unverified")])[0] == "flagged"
    assert permissive.decide([claim(), claim("unverified")])[0] == "verified"
    assert strict.decide([claim("refuted", correction="4")])[0] == "corrected"
    assert strict.decide([claim("refuted")]) == ("flagged", "a refuted claim has no correction")
    assert strict.decide([claim("refuted", correction="4"), claim("unverified")])[0] == "flagged"


def test_policy_of_names_objects_and_errors():
    assert Policy.of("strict") is POLICIES["strict"]
    custom = Policy("mine", require_claims=False, allow_unverified=True)
    assert Policy.of(custom) is custom
    with pytest.raises(ValueError, match="unknown policy"):
        Policy.of("bogus")


def test_nothing_checkable_is_flagged_by_default_and_configurable():
    assert check("The sky is blue.", engines=("arithmetic",)).status == "flagged"
    assert check("The sky is blue.", engines=("arithmetic",), policy="lenient").status == "verified"


# --------------------------------------------------------------------------- corrections
def test_apply_corrections_uses_correction_spans_and_skips_overlaps():
    text = "2 + 2 = 5 and 3 + 3 = 7"
    a = claim("refuted", correction="4", end=9, correction_span=Span(8, 9))
    b = claim("refuted", correction="6", start=14, end=23, correction_span=Span(22, 23))
    overlapping = claim("refuted", correction="XX", start=0, end=23)
    assert apply_corrections(text, [b, a]) == "2 + 2 = 4 and 3 + 3 = 6"
    assert apply_corrections(text, [a, overlapping]) == "XX"  # the later overlapping fix is dropped
    assert apply_corrections(text, [claim()]) == text
