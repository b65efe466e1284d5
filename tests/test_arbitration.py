"""Owned spans (issue 11, item 2): one reading per span, the most specific engine owns it,
and two readings that disagree about a span's truth leave it unverified, never refuted."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from verify import check
from verify.engines.base import Candidate
from verify.report import Claim, Evidence, Span


@dataclass
class Reader:
    """A test engine: reads fixed fragments of the text with fixed verdicts."""

    name: str
    reads: dict  # fragment -> (status, correction)

    def find(self, text, ctx):
        out = []
        for fragment in self.reads:
            i = text.find(fragment)
            if i >= 0:
                out.append(Candidate(fragment, Span(i, i + len(fragment)), self.name, fragment))
        return out

    def check(self, candidates, ctx):
        out = []
        for c in candidates:
            status, correction = self.reads[c.payload]
            if status == "verified":
                out.append(Claim(c.text, c.span, self.name, "verified", self.name, "holds",
                                 evidence=(Evidence("shown", self.name),)))
            elif status == "refuted":
                out.append(Claim(c.text, c.span, self.name, "refuted", self.name, "false",
                                 correction=correction))
            else:
                out.append(Claim.unverified(c.text, c.span, self.name, self.name, "cannot tell"))
        return out


TEXT = "Pay 3 x 4 = 12 now. Then 5 + 5 = 10."


def test_two_readings_that_disagree_leave_the_span_unverified_with_both():
    owner = Reader("owner", {"3 x 4 = 12": ("refuted", "13")})
    rival = Reader("rival", {"3 x 4 = 12": ("verified", None), "5 + 5 = 10": ("verified", None)})
    report = check(TEXT, engines=(owner, rival))
    first, second = report.claims
    assert (first.text, first.status, first.kind) == ("3 x 4 = 12", "unverified", "owner")
    assert [r["engine"] for r in first.detail["readings"]] == ["owner", "rival"]
    assert [r["status"] for r in first.detail["readings"]] == ["refuted", "verified"]
    assert first.detail["readings"][0]["correction"] == "13"
    assert "disagree" in first.explanation
    assert (second.text, second.status) == ("5 + 5 = 10", "verified")  # the rival's own span
    assert report.status == "flagged" and report.corrected_text == TEXT
    assert not report.refuted


@pytest.mark.parametrize("owner_says, rival_says, expected", [
    ("verified", "verified", "verified"),      # agreement: one claim, the owner's
    ("refuted", "refuted", "refuted"),
    ("verified", "unverified", "verified"),    # a reading that decides nothing changes nothing
    ("unverified", "refuted", "unverified"),   # the owner's doubt is never turned into a refutation
    ("unverified", "verified", "unverified"),
])
def test_the_owner_reading_stands_unless_a_rival_decides_the_other_way(owner_says, rival_says, expected):
    # "13" verified: the owner's correction re-verifies when the corrected text is checked again
    owner = Reader("owner", {"3 x 4 = 12": (owner_says, "13"), "Pay 13 now": ("verified", None)})
    rival = Reader("rival", {"x 4 = 12": (rival_says, "14")})
    report = check("Pay 3 x 4 = 12 now.", engines=(owner, rival))
    (claim,) = report.claims
    assert (claim.kind, claim.status) == ("owner", expected)
    assert "readings" not in claim.detail
    assert report.stages == ("owner",)
    if expected == "refuted":
        assert claim.correction == "13"


@pytest.mark.parametrize("whole_says, part_says, owner, expected", [
    # a false whole may hold a true part: the whole's refutation stands
    ("refuted", "verified", "whole", "refuted"),
    # a true part does not make a whole another reading refutes true: in doubt
    ("refuted", "verified", "part", "unverified"),
    # a whole read as true cannot hold a false part, whichever engine owns the span
    ("verified", "refuted", "whole", "unverified"),
    ("verified", "refuted", "part", "unverified"),
])
def test_only_a_refuted_whole_stands_against_a_true_part(
        whole_says, part_says, owner, expected):
    text = "The smallest cube here is 2^3 = 8."
    whole = Reader("whole", {"smallest cube here is 2^3 = 8": (whole_says, None)})
    part = Reader("part", {"2^3 = 8": (part_says, None)})
    report = check(text, engines=(whole, part) if owner == "whole" else (part, whole))
    (claim,) = report.claims
    assert (claim.kind, claim.status) == (owner, expected)
    assert ("readings" in claim.detail) == (expected == "unverified")


def test_rank_is_the_engine_order():
    a = Reader("a", {"3 x 4 = 12": ("verified", None)})
    b = Reader("b", {"3 x 4 = 12": ("refuted", "13")})
    assert check("Pay 3 x 4 = 12 now.", engines=(b, a)).claims[0].detail["owner"] == "b"
    assert check("Pay 3 x 4 = 12 now.", engines=(a, b)).claims[0].detail["owner"] == "a"


@pytest.mark.parametrize("text", [
    "She keeps 15/100*2000 = 300 dollars for the trip.",
    "Snacks cost $3+$9+$14 = $26 in all.",
    "Each dime is worth .10*50 = 5 dollars.",
    "He earns 12 x 8 = 96 dollars because 96 / 2 = 48 per day.",
    "The total is $7+$8 = $15 and the tax was 15*.1 = $1.50.",
    "So that's 6*4 = $24.00 for the pens and 24 + 6 = $30.00 in total.",
    "Late fee: 2 * $15 = $30\nAdd them up for the total cost: $30 + $100 + $45 = $175",
])
def test_prose_arithmetic_is_never_read_as_an_invoice(text):
    report = check(text)
    assert report.claims and report.status == "verified", report.claims
    assert not any(c.kind == "invoice" and "total" in c.text.lower() for c in report.claims)
    assert sum(c.kind == "arithmetic" for c in report.claims) >= 1


def test_a_rival_reading_that_decides_nothing_leaves_the_invoice_reading_standing():
    # Half-even rounding makes 5 × 0.125 = 0.62 for the invoice engine. The arithmetic engine
    # reads "= $0.63" as a rounded value stated with "=", which it leaves undecided (issue 11:
    # "=" states an exact value), so it does not contest the invoice's verdict either way.
    text = "Widget: 5 × $0.125 = $0.63\nSubtotal: $0.63\nTotal: $0.63"
    item = check(text, rounding="half-even").claims[0]
    assert (item.kind, item.status) == ("invoice", "refuted") and "readings" not in item.detail
    assert check(text).status == "verified"  # half-up: the invoice reading holds


def test_invoice_shaped_text_is_still_an_invoice():
    text = ("Lamp: 4 × $12.50 = $50.00\nShade (1 @ $7.25): $7.25\n"
            "Subtotal: $57.25\nTax (8%): $4.58\nTotal: $61.38")
    report = check(text)
    assert report.status == "corrected"
    assert report.corrected_text == text.replace("$61.38", "$61.83")
    assert {c.kind for c in report.claims} == {"invoice"}


def test_spans_that_only_share_an_end_are_two_claims():
    # X = 5 + 3 (a reading of the unknown) and 5 + 3 = 9 (a link of the same chain) are two
    # statements; the wrong link is reported even though a higher-ranked engine reads the other.
    owner = Reader("owner", {"X = 5 + 3": ("verified", None)})
    rival = Reader("rival", {"5 + 3 = 9": ("refuted", "8")})
    report = check("So X = 5 + 3 = 9 apples.", engines=(owner, rival))
    assert [(c.kind, c.status) for c in report.claims] == [("owner", "verified"), ("rival", "refuted")]
    assert report.stages == ("owner", "rival")


def test_a_wrong_link_after_an_unknown_is_caught_on_the_default_path():
    text = "Let Y be the start.\nY + 120 = 410 so Y = 410 - 120 = 2900 cards."
    report = check(text)
    wrong = [c for c in report.claims if c.status == "refuted"]
    assert [c.text for c in wrong] == ["410 - 120 = 2900"]
    assert report.corrected_text == text.replace("2900", "290")


def test_a_sentence_that_sums_amounts_is_arithmetic_not_an_invoice():
    text = ("Her total monthly costs are $700 on rent + $250 on food + $50 on fees = $1000\n"
            "She saves $1000 - $700 = $300.")
    report = check(text)
    assert report.status == "verified", report.claims
    assert {c.kind for c in report.claims} == {"arithmetic"}


def test_a_reading_that_differs_only_by_its_full_stop_is_a_reading_of_the_same_span():
    owner = Reader("owner", {"(x + 3) = 2x + 5": ("refuted", None)})
    rival = Reader("rival", {"3) = 2x + 5.": ("unverified", None)})  # an unread tail of it
    report = check("Simplify: 2(x + 3) = 2x + 5.", engines=(owner, rival))
    assert [(c.kind, c.status) for c in report.claims] == [("owner", "refuted")]
