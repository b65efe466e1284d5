"""A correction is itself a claim: it stands only when the corrected text re-verifies it."""
from __future__ import annotations

from verify import check
from verify.report import Claim, Evidence, Report, Span, reverify_corrections


def _claim(text: str, start: int, end: int, status: str, correction: str | None = None,
           where: tuple[int, int] | None = None) -> Claim:
    return Claim(text=text[start:end], span=Span(start, end), kind="arithmetic", status=status,
                 method="test", explanation="test", correction=correction,
                 evidence=(Evidence("proof"),) if status == "verified" else (),
                 correction_span=Span(*where) if where else None)


def _report(text: str, claims: list[Claim]) -> Report:
    return Report(status="flagged", text=text, corrected_text=text, claims=tuple(claims))


def test_a_correction_that_re_verifies_stands():
    text = "2 + 2 = 5"
    claims = [_claim(text, 0, 9, "refuted", "4", (8, 9))]
    seen = []

    def recheck(fixed: str) -> Report:
        seen.append(fixed)
        return _report(fixed, [_claim(fixed, 0, 9, "verified")])

    out, corrected = reverify_corrections(text, claims, recheck)
    assert seen == ["2 + 2 = 4"] and corrected == "2 + 2 = 4"
    assert out[0].correction == "4"


def test_a_correction_the_recheck_does_not_verify_is_dropped():
    text = "2 + 2 = 5"
    claims = [_claim(text, 0, 9, "refuted", "7", (8, 9))]
    out, corrected = reverify_corrections(
        text, claims, lambda fixed: _report(fixed, [_claim(fixed, 0, 9, "refuted")]))
    assert corrected == text
    assert out[0].status == "refuted" and out[0].correction is None
    assert out[0].detail["correction_dropped"] == "the corrected text does not verify it"


def test_a_correction_adding_a_refutation_elsewhere_is_dropped():
    text = "2 + 2 = 5. 1 + 1 = 2."
    claims = [_claim(text, 0, 9, "refuted", "4", (8, 9)), _claim(text, 11, 20, "verified")]

    def recheck(fixed: str) -> Report:
        return _report(fixed, [_claim(fixed, 0, 9, "verified"), _claim(fixed, 11, 20, "refuted")])

    out, corrected = reverify_corrections(text, claims, recheck)
    assert corrected == text and out[0].correction is None
    assert out[0].detail["correction_dropped"] == "the corrected text has a new refutation"


def test_a_correction_never_touches_a_span_that_verified():
    text = "2 + 3 = 6 = 6"
    claims = [_claim(text, 0, 9, "refuted", "5", (8, 9)), _claim(text, 8, 13, "verified")]
    out, corrected = reverify_corrections(text, claims, lambda fixed: _report(fixed, []))
    assert corrected == text and out[0].correction is None
    assert out[0].detail["correction_dropped"] == "it would change text that verified"


def test_inside_a_recheck_corrections_apply_as_they_are():
    text = "2 + 2 = 5"
    out, corrected = reverify_corrections(text, [_claim(text, 0, 9, "refuted", "4", (8, 9))], None)
    assert corrected == "2 + 2 = 4" and out[0].correction == "4"


# end to end, with the default engines
def test_chain_link_that_holds_only_after_the_fix_is_refuted_with_it():
    report = check("2 + 3 = 6 = 10/2")
    assert [(c.text, c.status) for c in report.claims] == [("2 + 3 = 6", "refuted"),
                                                          ("6 = 10/2", "refuted")]
    assert report.claims[1].correction == "5" and report.claims[1].explanation.startswith("As written")
    assert report.corrected_text == "2 + 3 = 5 = 10/2" and report.status == "corrected"
    report = check("2 + 3 = 6 + 1 = 6")
    assert [c.status for c in report.claims] == ["refuted", "refuted"]
    assert report.corrected_text == "2 + 3 = 5 + 1 = 6"


def test_running_computations_start_from_signed_numbers_and_fractions():
    for text in ("3 - 5 = -2 + 10 = 8", "1/3 + 1/3 = 2/3 + 1 = 5/3"):
        report = check(text)
        assert report.status == "verified", report
        assert report.corrected_text == text


def test_when_the_text_cannot_tell_where_the_typo_is_there_is_no_correction():
    report = check("2 + 3 = 1 + 3")
    (claim,) = report.claims
    assert claim.status == "refuted" and claim.correction is None
    assert report.status == "flagged" and report.corrected_text == report.text


def test_every_correction_makes_its_claim_true():
    for text in ("847 × 923 = 781681", "3*4 = 13 + 2 = 15", "10/3 = 3.34", "1/4 = 0.25%",
                 "2+3 = 6. Then 6*2 = 12.", "12 kittens / 18 cats * 100% = 66.668...%"):
        report = check(text)
        assert report.status == "corrected", report
        again = check(report.corrected_text)
        assert again.status == "verified", (text, again)


def test_an_unreadable_number_fails_only_its_claim_and_logs_nothing(caplog):
    big = "7" * 700
    text = f"2 + 2 = 4 and 5 * 3 = 15. The code is {big}. Also 10/3 ≈ 3.{big[:200]}"
    with caplog.at_level("WARNING"):
        report = check(text)
    assert not caplog.records
    assert not report.meta["errors"]
    by_text = {c.text: c.status for c in report.claims}
    assert by_text["2 + 2 = 4"] == "verified" and by_text["5 * 3 = 15"] == "verified"
    assert any(status == "unverified" for status in by_text.values())


def test_a_final_answer_restating_a_wrong_result_is_never_corrected():
    # the slip may be in an operand: the stated answer can still be the right one
    text = "So 25/75 x 100% = 25%.\nA: 25"
    report = check(text)
    final = report.claims[-1]
    assert final.text == "25" and final.status == "unverified" and final.correction is None
    assert report.corrected_text.endswith("A: 25")


def test_an_engine_crash_logs_one_line_not_a_traceback(caplog):
    from verify.engines.base import Candidate
    from verify.report import Span as S

    class Broken:
        name = "broken"

        def find(self, text, ctx):
            return [Candidate(text, S(0, len(text)), "test", None)]

        def check(self, cands, ctx):
            raise RuntimeError("boom")

    with caplog.at_level("WARNING"):
        report = check("2 + 2 = 4", engines=(Broken(),))
    assert report.status == "flagged" and "boom" in report.claims[0].explanation
    (record,) = caplog.records
    assert record.exc_info is None and "RuntimeError: boom" in record.getMessage()
