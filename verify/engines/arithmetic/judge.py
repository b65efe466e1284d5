"""Judging the links of one validated chain, with the correction of each wrong one.

How a link is judged:

- ``=`` against a plain number: equal → verified. A number written with decimals that the
  exact value cannot have (``10/3 = 3.33``) is verified when it is the correct rounding to
  the decimals shown, refuted otherwise. An integer must be exact.
- ``≈`` (≈, ~, about, roughly, approximately...): verified when the stated number is the
  value rounded to the precision it shows (3.14 → 2 decimals; 330 → tens): π ≈ 3.14 holds,
  22/7 ≈ 3.15 does not.
- Chains: each term must equal the first computation; a term that starts with the previous
  value is a running computation (``3 * 4 = 12 + 2 = 14``).
- A fraction of two whole numbers as a result (``3/12 + 2/12 = 6/12``) is a value: it is
  corrected as a fraction, over the same denominator when that is exact (``5/12``).
- A quotient with a stated remainder (``63 ÷ 5 = 12 R 3``, ``12 remainder 3``, ``12 with a
  remainder of 3``) is judged as integer division: verified when both are right, else
  corrected (``12 R 3``); a plain ``63 ÷ 5 = 12`` is still 12.6.

Separate from the engine (which finds candidates, translates each chain and turns verdicts
into claims): this is where the exact values meet the numbers as written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Sequence

from .chain import Chain
from .evaluate import evaluate, leaf_path_solve
from .expr import Bin, ExpressionError, Node, Num, bare_leaf
from .formatting import (format_like, half_unit, precision_of, render, round_to, show,
                         terminating_decimals)
from .state import Doc, Result, State
from .translate import Checked

_INEXACT_MARGIN = Fraction(1, 10 ** 35)
_INEXACT_MAX = Fraction(10 ** 20)
_PERCENT_WORD = re.compile(r"\s*percent$", re.IGNORECASE)


@dataclass
class Verdict:
    status: str
    explanation: str
    evidence: str
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # global offsets
    span: tuple[int, int] | None = None
    detail: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------ helpers
def _edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _leads(term: Node) -> list[Node]:
    """What a running computation may start with, outermost first: "12" in "12 + 2", "-2"
    in "-2 + 10", "2/3" then "2" in "2/3 + 1", "1/3" in "1/3 of $150"."""
    out: list[Node] = []
    node = term
    while isinstance(node, Bin) and (node is term or not node.paren):
        if node.form == "of":
            return [node.left]
        if node.form:
            return []
        node = node.left
        if bare_leaf(node) is not None or (
                isinstance(node, Bin) and node.op == "/" and not node.form and not node.paren
                and isinstance(node.left, Num) and isinstance(node.right, Num)):
            out.append(node)
    return out


def _group_style(chain_leaves: Sequence[Num]) -> bool:
    return any(leaf.grouped for leaf in chain_leaves)


# ------------------------------------------------------------------------ judging
class Judge:
    """Decides every link of one validated chain."""

    def __init__(self, doc: Doc, chain: Chain, checked: Checked, text: str, base: int,
                 state: State) -> None:
        self.doc, self.chain, self.text, self.base, self.state = doc, chain, text, base, state
        self.rel = checked.relation
        self.terms = self.rel.terms
        self.leaves = self.rel.leaves
        self.gspan = {leaf.index: (base + s, base + e)
                      for leaf, (s, e) in zip(self.leaves, checked.spans)}
        self.grouped = _group_style(self.leaves)
        self.minus = "−" if "−" in text else "-"
        self.subst: dict[int, Fraction] = {}
        self.sources: dict[int, Result] = {}
        for node, term in zip(self.terms, chain.terms):
            for leaf in node.leaves():
                s, e = self.gspan[leaf.index]
                if s < term.start or e > term.end:
                    raise ExpressionError("the translation's terms do not line up with the claim")
        if bare_leaf(self.terms[0]) is not None:
            raise ExpressionError("the translation does not start with a computation")

    # text helpers
    def written(self, leaf: Num) -> str:
        s, e = self.gspan[leaf.index]
        return self.doc.text[s:e]

    def fmt(self, value: Fraction, leaf: Num, places: int | None = None) -> str:
        return format_like(value, leaf, places, grouped=self.grouped or None, minus=self.minus)

    def leaf_edit(self, leaf: Num, value: Fraction, places: int | None = None
                  ) -> tuple[int, int, str]:
        """Replace just the digits of ``leaf`` (its currency and % stay in the text)."""
        s, e = self.gspan[leaf.index]
        return s, e, format_like(value, leaf, places, grouped=self.grouped or None,
                                 minus=self.minus, decorate=False)

    def expr(self, node: Node) -> str:
        """The computation as shown in evidence, with any substituted values."""
        if self.subst:
            shown = {i: self.fmt(v, self._leaf(i)) for i, v in self.subst.items()}
            return render(node, shown)
        return render(node)

    def _leaf(self, index: int) -> Num:
        return next(leaf for leaf in self.leaves if leaf.index == index)

    def value(self, node: Node) -> tuple[Fraction, bool]:
        return evaluate(node, self.subst or None)

    # propagation
    def propagate(self) -> None:
        """Substitute corrected values for wrong results reused by this chain's
        computations (never in a plain-number term: that is a stated result)."""
        if not self.state.refuted:
            return
        for term in self.terms:
            if bare_leaf(term) is not None:
                continue
            for leaf in term.leaves():
                start = self.gspan[leaf.index][0]
                src = self.state.fix_for(leaf.value, start, self.doc)
                if src is not None and src.correct is not None:
                    self.subst[leaf.index] = src.correct
                    self.sources[leaf.index] = src

    def run(self) -> dict[int, Verdict]:
        self.propagate()
        terms = self.terms
        n = len(terms) - 1
        ref, ref_exact = self.value(terms[0])
        ref_src = self.expr(terms[0])
        out: dict[int, Verdict] = {}
        for i in range(1, n + 1):
            self.link_text = self.doc.text[self.chain.terms[i - 1].start:self.chain.terms[i].end]
            term = terms[i]
            rel = self.chain.rels[i - 1]
            if bare_leaf(term) is not None:
                if self.chain.terms[i].remainder is not None:
                    verdict = self.remainder(i, term, rel)
                    if verdict is not None:
                        out[i] = verdict
                        continue
                out[i] = self.bare(term, ref, ref_exact, ref_src, rel)
                if out[i].status == "refuted":
                    out[i] = self.percent_reading(terms[0], term, ref_src, out[i])
                continue
            v, exact = self.value(term)
            if not (exact and ref_exact):
                out[i] = Verdict("unverified", "cannot compare two irrational expressions "
                                 "exactly; state the value as a decimal", "")
                continue
            if v == ref:
                out[i] = Verdict("verified", f"{ref_src} and {self.expr(term)} are both {show(ref)}.",
                                 f"{ref_src} = {show(ref)}; {self.expr(term)} = {show(ref)}",
                                 detail={"relation": rel, "value": str(ref)})
                continue
            if self.fraction_value(i, term, v, ref):
                out[i] = self.fraction(term, v, ref, ref_src, rel)
                continue
            out[i], ref, ref_src = self.expression_term(i, term, ref, ref_src, rel)
        self.as_written(out)
        self.attach_substitutions(out)
        first_wrong = next((i for i in sorted(out) if out[i].status == "refuted"), None)
        if first_wrong is not None:  # later refutations in this chain follow from that one
            s, e = self.chain.link_span(first_wrong)
            for i in sorted(out):
                if i > first_wrong and out[i].status == "refuted" \
                        and "propagated_from" not in out[i].detail:
                    out[i].detail["propagated_from"] = {"text": self.doc.text[s:e],
                                                        "start": s, "end": e}
        return out

    def as_written(self, out: dict[int, Verdict]) -> None:
        """Each link is judged as written. A link checked against the value the link before
        it should have had ("2 + 3 = 6 = 10/2": 10/2 is 5, the value of 2 + 3) holds only
        after that link is fixed; when its left side as written differs, it is not verified:
        refuted with the same fix ("6 = 10/2" → "5 = 10/2"), or unverified like the link
        before it."""
        for i in range(2, len(self.terms)):
            v, prev = out[i], out[i - 1]
            if v.status != "verified" or prev.status == "verified" or self.holds_as_written(i):
                continue
            left = self.chain.terms[i - 1]
            v.status = prev.status
            v.edits = [ed for ed in prev.edits if left.start <= ed[0] and ed[1] <= left.end]
            v.explanation = (f"As written, {self.doc.text[left.start:left.end]} does not equal "
                             f"{self.written_term(self.terms[i])}; it holds only once the link "
                             f"before it is fixed ({prev.explanation.rstrip('.')}).")

    def holds_as_written(self, i: int) -> bool:
        """Does link i hold between its two sides as written (no substituted value), the
        right side possibly running on from the left ("= 12 + 2")?"""
        left, exact_left = evaluate(self.terms[i - 1])
        right, exact_right = evaluate(self.terms[i])
        if not (exact_left and exact_right):
            return False
        return left == right or any(evaluate(lead)[0] == left for lead in _leads(self.terms[i]))

    # a plain-number term against the reference value
    def bare(self, term: Node, ref: Fraction, exact: bool, src: str, rel: str) -> Verdict:
        leaf = bare_leaf(term)
        assert leaf is not None
        stated, _ = evaluate(term)
        stated_text = self.written_term(term)
        approx = rel == "≈"
        detail: dict[str, Any] = {"relation": rel, "value": str(ref) if exact else show(ref, False),
                                  "stated": stated_text}
        if exact and stated == ref:
            return self.record(term, Verdict(
                "verified", f"{src} is {show(ref)}.", f"{src} = {stated_text}", detail=detail),
                stated, ref)
        if exact and self.in_cents(term) and stated == ref * 100:
            detail["unit"] = "cents"
            return self.record(term, Verdict(
                "verified", f"{src} is {show(ref)}, which is {stated_text} cents.",
                f"{src} = {show(ref)} = {stated_text} cents", detail=detail), stated, stated)
        # Compare in the units the number is written in. N% is N/100, so "1/4 = 25%" holds
        # and "1/4 = 0.25%" does not. A % result of a computation with no % in it may mean
        # percentage points ("100 - 5 = 95%", "x / y * 100 = 36%"): false as written, right
        # as meant, so never verified and never "corrected" (judged in points: unverified
        # when right, refuted without a correction when wrong).
        shown_ref = ref * 100 if leaf.pct else ref
        shown_stated = stated * 100 if leaf.pct else stated
        if not leaf.pct and self.times_hundred_percent():
            shown_ref = ref * 100  # "9 / 21 * 100% = 42.857": a percentage without its sign
            detail["percent_points"] = True
        if leaf.pct and not self.has_percent_operand() and abs(ref) > 1:
            shown_ref = ref  # read as percentage points
            detail["percent_points"] = True
        points = bool(detail.get("percent_points"))
        if points and exact and shown_ref == shown_stated:
            return self.record(term, self.points_verdict(src, ref, stated_text, detail),
                               stated, None)
        # "=" with a rounded number: fine for a value whose decimals never end (10/3 =
        # 3.33) and for money in cents ($0.0825 × 10 = $0.83); a value with a few exact
        # decimals must be written exactly (0 + 0.01 = 0.0 is wrong, not rounded)
        digits = terminating_decimals(shown_ref)
        rounded_form = approx or not exact or leaf.ellipsis or (
            leaf.decimals > 0 and (digits is None or (leaf.cur is not None and leaf.decimals >= 2
                                                      and digits > leaf.decimals)))
        places = precision_of(leaf, approx)
        extra_edits: list[tuple[int, int, str]] = []
        if rounded_form:
            if not exact and (abs(ref) > _INEXACT_MAX or places > 30):
                return self.record(term, Verdict(
                    "unverified", f"{src} is irrational; {stated_text} is too precise or too "
                    "large to judge from a 50-digit approximation", "", detail=detail), stated, None)
            diff = abs(shown_ref - shown_stated)
            half = half_unit(places)
            if leaf.ellipsis and exact and places >= 0:
                # "66.666...": the digits shown, cut off (or rounded) from the exact value
                scale = 10 ** places
                cut = Fraction(int(shown_ref * scale), scale)
                diff = Fraction(0) if shown_stated in (cut, round_to(shown_ref, places)) else diff
            if not exact and abs(diff - half) < _INEXACT_MARGIN:
                return self.record(term, Verdict(
                    "unverified", f"{src} sits on a rounding boundary of {stated_text}", "",
                    detail=detail), stated, None)
            where = (f"{places} decimal place{'s' if places != 1 else ''}" if places > 0
                     else "the nearest whole number" if places == 0
                     else f"the nearest {10 ** -places:,}")
            # rounding is half away from zero: 48.5 is 49 at whole numbers, never 48
            if (diff <= half and not exact) or (exact and (
                    diff == 0 or round_to(shown_ref, places) == shown_stated)):
                detail["rounded_to"] = places
                if points:
                    return self.record(term, self.points_verdict(src, ref, stated_text, detail),
                                       stated, None)
                if not (approx or leaf.ellipsis):  # only ≈, about, approximately round
                    return self.record(term, Verdict(
                        "unverified", f"{src} is {show(ref, exact)}, and {stated_text} is it "
                        f"rounded to {where}: \"=\" states an exact value (write ≈ or "
                        "\"about\" for a rounded one).", "", detail=detail), stated, None)
                how = "to the precision given" if approx else "to the digits shown"
                return self.record(term, Verdict(
                    "verified", f"{src} is {show(ref, exact)}, which is {stated_text} {how}.",
                    f"{src} = {show(ref, exact)} ≈ {stated_text} ({where})", detail=detail),
                    stated, ref)
            fixed_shown = round_to(shown_ref, places)
            fixed_value = fixed_shown / 100 if leaf.pct else fixed_shown
            fixed = self.fmt(fixed_value, leaf, max(places, 0))
            expl = (f"{src} is {show(ref, exact)}, which is {fixed} to the precision given, "
                    f"not {stated_text}.")
            if not approx:
                rel_edit = self.approx_edit(term)  # "= 3.34" → "≈ 3.33": rounded, so ≈
                if rel_edit is None:
                    fixed = ""
                else:
                    extra_edits.append(rel_edit)
        else:
            fixed_value = shown_ref / 100 if leaf.pct else shown_ref
            fixed = self.fmt(fixed_value, leaf)
            plain = terminating_decimals(shown_ref) is not None
            expl = f"{src} is {fixed if plain else show(ref)}, not {stated_text}."
            if not plain and not approx:  # "10/3 = 3" → "10/3 ≈ 3.33": a rounded value
                rel_edit = self.approx_edit(term)
                if rel_edit is None:
                    fixed = ""
                else:
                    extra_edits.append(rel_edit)
        word = _PERCENT_WORD.search(stated_text) if leaf.pct else None
        if word is not None and fixed.endswith("%"):  # "56 percent" → "60 percent"
            fixed = fixed[:-1] + word.group()
        edits = []
        if fixed and not points:
            detail["correct"] = fixed
            edits = [*extra_edits, (*self.term_span(term), fixed)]
        return self.record(term, Verdict(
            "refuted", self.propagated(expl), f"{src} = {show(ref, exact)}",
            edits=edits, detail=self.with_sources(detail)), stated, fixed_value if edits else None)

    def percent_reading(self, computation: Node, term: Node, src: str, verdict: Verdict) -> Verdict:
        """``a ± b%`` follows the price convention (``80 + 20% = 96``), but N% is also N/100:
        a stated value that the N/100 reading gives (``0.5 + 50% = 1``) is not refuted, nor
        "corrected" into the other reading: the text cannot tell which one it meant."""
        if not (isinstance(computation, Bin) and computation.form == "price"):
            return verdict
        plain, exact = self.value(Bin(computation.op, computation.left, computation.right.left))
        stated, _ = evaluate(term)
        if not exact or plain != stated:
            return verdict
        return Verdict("unverified", f"{src} reads two ways: as a change by a percentage it is "
                       f"{verdict.detail.get('value')}, with N% as N/100 it is {show(plain)}, "
                       f"which {self.written_term(term)} matches; so it is neither verified nor "
                       "corrected.", "", detail={**verdict.detail, "percent_readings": True})

    def points_verdict(self, src: str, ref: Fraction, stated_text: str,
                       detail: dict[str, Any]) -> Verdict:
        """A percentage that is right only as percentage points: N% is N/100."""
        return Verdict("unverified", f"{src} is {show(ref)}; {stated_text} matches it only "
                       "read as percentage points (N% means N/100), so it is not verified as "
                       "written.", "", detail=detail)

    def approx_edit(self, term: Node) -> tuple[int, int, str] | None:
        """The edit turning this term's plain "=" into "≈", or None (a word relation)."""
        i = self.terms.index(term)
        lo, hi = self.chain.terms[i - 1].end, self.chain.terms[i].start
        between = self.doc.text[lo:hi]
        if between.strip() != "=":
            return None
        at = lo + between.index("=")
        return at, at + 1, "≈"

    def fraction_value(self, i: int, term: Node, v: Fraction, ref: Fraction) -> bool:
        """Is this term a value written as a fraction of two whole numbers ("= 6/12"), not
        a running computation that starts from the previous value ("= 60/12 = 5")? Yes
        when nothing follows it, or when the fraction is nearer the value than its
        numerator is."""
        if not (self.chain.terms[i].fraction and isinstance(term, Bin) and term.op == "/"
                and isinstance(term.left, Num) and isinstance(term.right, Num)
                and term.left.index not in self.subst and term.right.index not in self.subst
                and term.left.literal.denominator == 1 and term.right.literal.denominator == 1
                and not term.left.pct and not term.right.pct and term.right.literal != 0):
            return False
        return i == len(self.terms) - 1 or abs(v - ref) < abs(term.left.literal - ref)

    def fraction(self, term: Bin, v: Fraction, ref: Fraction, src: str, rel: str) -> Verdict:
        """A fraction that does not equal the value: corrected as a fraction, over the
        same denominator when that is exact ("6/12" → "5/12"), else in lowest terms."""
        num, den = term.left, term.right
        assert isinstance(num, Num) and isinstance(den, Num)
        scaled = ref * den.literal
        if scaled.denominator == 1:
            new_num, new_den = scaled, den.literal
        else:
            new_num, new_den = Fraction(ref.numerator), Fraction(ref.denominator)
        ts, te = self.term_span(term)
        (ns, ne), (ds, de) = self.gspan[num.index], self.gspan[den.index]
        written = self.doc.text
        edits = [(ts, te, written[ts:ns] + self.leaf_edit(num, new_num)[2] + written[ne:ds]
                  + self.leaf_edit(den, new_den)[2] + written[de:te])]
        stated = f"{self.written(num)}/{self.written(den)}"
        fixed = f"{new_num}/{new_den}"
        detail = self.with_sources({"relation": rel, "value": str(ref), "stated": stated,
                                    "correct": fixed})
        verdict = Verdict("refuted", self.propagated(f"{src} is {fixed}, not {stated}."),
                          f"{src} = {show(ref)} = {fixed}", edits=edits, detail=detail)
        return self.record(term, verdict, v, ref)

    def remainder(self, i: int, term: Node, rel: str) -> Verdict | None:
        """"63 ÷ 5 = 12 R 3": an integer division with its remainder, judged as such.
        None when the text only says "with 3 left over" and the plain reading applies."""
        info = self.chain.terms[i]
        assert info.remainder is not None
        left = self.terms[i - 1]
        said = info.remainder_said
        if rel != "=" or not (isinstance(left, Bin) and left.op == "/" and not left.form):
            if not said:
                return None
            return self.record(term, Verdict(
                "unverified", "a remainder is stated, but the left side is not a division of "
                "whole numbers", "", detail={"relation": rel}), evaluate(term)[0], None)
        (a, ea), (b, eb) = self.value(left.left), self.value(left.right)
        if not (ea and eb and a.denominator == 1 and b.denominator == 1 and a >= 0 and b > 0):
            if not said:
                return None
            return self.record(term, Verdict(
                "unverified", "a remainder is stated, but the division is not of whole numbers",
                "", detail={"relation": rel}), evaluate(term)[0], None)
        q, r = divmod(a.numerator, b.numerator)
        leaf = bare_leaf(term)
        assert leaf is not None
        rs, re_ = info.remainder
        stated_q, stated_r = evaluate(term)[0], int(self.doc.text[rs:re_])
        a_text, b_text = self.expr(left.left), self.expr(left.right)
        evidence = f"{a_text} = {b_text} × {q} + {r}"
        detail = {"relation": rel, "value": str(Fraction(a, b)), "quotient": q, "remainder": r,
                  "stated": self.doc.text[self.chain.terms[i].start:re_]}
        if stated_q == q and stated_r == r:
            return self.record(term, Verdict(
                "verified", f"{a_text} ÷ {b_text} is {q} with remainder {r}.", evidence,
                span=(self.chain.terms[i - 1].start, re_), detail=detail), stated_q, stated_q)
        if not said:
            return None  # "= 12 with 2 left over" that is no remainder: judged plainly
        edits = []
        if stated_q != q:
            edits.append(self.leaf_edit(leaf, Fraction(q)))
        if stated_r != r:
            edits.append((rs, re_, str(r)))
        detail["correct"] = f"{q} R {r}"
        return self.record(term, Verdict(
            "refuted", self.propagated(f"{a_text} ÷ {b_text} is {q} with remainder {r}, not "
                                       f"{self.written(leaf)} with remainder {stated_r}."),
            evidence, edits=edits, span=(self.chain.terms[i - 1].start, re_),
            detail=self.with_sources(detail)), stated_q, Fraction(q))

    def in_cents(self, term: Node) -> bool:
        """A result in cents from a computation in dollars (or euros, pounds)."""
        unit = self.chain.terms[self.terms.index(term)].unit
        return unit in ("cents", "cent") and any(
            leaf.cur in ("$", "€", "£") for t in self.terms if bare_leaf(t) is None
            for leaf in t.leaves())

    def times_hundred_percent(self) -> bool:
        return any(leaf.pct and leaf.literal == 100 for t in self.terms
                   if bare_leaf(t) is None for leaf in t.leaves())

    def has_percent_operand(self) -> bool:
        return any(leaf.pct for t in self.terms if bare_leaf(t) is None for leaf in t.leaves())

    def expression_term(self, i: int, term: Node, ref: Fraction, ref_src: str, rel: str
                        ) -> tuple[Verdict, Fraction, str]:
        """A computation that does not equal the running value: a running computation
        ("12 + 2" after "= 12"), or a wrong step."""
        leads = _leads(term) if bare_leaf(self.terms[i - 1]) is None else []
        left_start = self.chain.terms[i - 1].start
        for lead in leads:
            lead_value, _ = self.value(lead)
            digits = lead.decimals if isinstance(lead, Num) else 0
            rounded = lead_value != ref and (
                digits > 0 and (terminating_decimals(ref) or 99) > digits
                and abs(ref - lead_value) <= half_unit(digits))
            lead_start = lead.start + self.base
            lead_end = max(self.gspan[x.index][1] for x in lead.leaves())
            if rounded:  # "10/3 = 3.33 + 2": "=" states an exact value
                v, _ = self.value(term)
                return Verdict("unverified", f"{ref_src} is {show(ref)}, and "
                               f"{self.written(lead) if isinstance(lead, Num) else self.expr(lead)} "
                               "is it rounded: \"=\" states an exact value (write ≈ for a rounded one).",
                               "", span=(left_start, lead_end),
                               detail={"relation": rel, "value": str(ref), "running": True,
                                       "rounded_to": digits}), v, self.expr(term)
            if lead_value == ref:  # running computation: "3 * 4 = 12 + 2 = 14"
                v, _ = self.value(term)
                lead_text = self.doc.text[lead_start:lead_end]
                verdict = Verdict("verified", f"{ref_src} is {show(ref)}.",
                                  f"{ref_src} = {lead_text}", span=(left_start, lead_end),
                                  detail={"relation": rel, "value": str(ref), "running": True})
                self.state.add(Result(lead_value, lead_start, lead_end, "verified",
                                                  ref, verdict.evidence,
                                                  self.doc.text[left_start:lead_end], verdict.explanation))
                return verdict, v, self.expr(term)
        nxt = self.terms[i + 1] if i + 1 < len(self.terms) else None
        chain_like = nxt is not None and bare_leaf(nxt) is not None and \
            evaluate(nxt)[0] == ref
        lead = leads[0] if len(leads) == 1 else None  # "2/3 + 1": which part restates it?
        # a running computation with a wrong start ("3 * 4 = 13 + 2 = 15"): only when the
        # chain runs on, or "2 + 3 = 1 + 3" would be read as one
        if isinstance(lead, Num) and nxt is not None and not chain_like and ref > 0:
            fixed = self.fmt(ref, lead)
            stated = self.written(lead)
            s, e = self.gspan[lead.index]
            edit = self.leaf_edit(lead, ref)
            self.subst[lead.index] = ref
            v, _ = self.value(term)
            expl = self.propagated(f"{ref_src} is {fixed}, not {stated}.")
            verdict = Verdict("refuted", expl, f"{ref_src} = {show(ref)}", edits=[edit],
                              span=(left_start, e),
                              detail=self.with_sources({"relation": rel, "value": str(ref),
                                                        "stated": stated, "correct": fixed,
                                                        "running": True}))
            self.state.add(Result(lead.value, s, e, "refuted", ref, verdict.evidence,
                                              self.doc.text[left_start:e], expl))
            return verdict, v, self.expr(term)
        # a term of a chain that does not equal it. Only when the next term restates the
        # value is the typo known to be here: then fix one new number if that is
        # unambiguous. Otherwise either side may hold the typo: no correction, and the
        # rest of the chain is judged against this term as written.
        v, _ = self.value(term)
        expl = self.propagated(f"{self.expr(term)} is {show(v)}, but it should equal "
                               f"{ref_src} = {show(ref)}.")
        evidence = f"{ref_src} = {show(ref)}; {self.expr(term)} = {show(v)}"
        detail = self.with_sources({"relation": rel, "value": str(ref)})
        if not chain_like:
            return Verdict("refuted", expl, evidence, detail=detail), v, self.expr(term)
        earlier = {leaf.literal for t in self.terms[:i] for leaf in t.leaves()}
        options = []
        for leaf in term.leaves():
            if leaf.literal in earlier or leaf.index in self.subst:
                continue
            need = leaf_path_solve(term, leaf.index, ref)
            if need is None or need <= 0 or terminating_decimals(need * (100 if leaf.pct else 1),
                                                                 max(leaf.decimals, 2)) is None:
                continue
            edit = self.leaf_edit(leaf, need)
            options.append((_edit_distance(self.written(leaf), edit[2]), edit))
        options.sort(key=lambda o: o[0])
        edits = [options[0][1]] if options and (len(options) == 1 or options[0][0] < options[1][0]) else []
        return Verdict("refuted", expl, evidence, edits=edits, detail=detail), ref, ref_src

    # bookkeeping
    def record(self, term: Node, verdict: Verdict, stated: Fraction,
               correct: Fraction | None) -> Verdict:
        s, e = self.term_span(term)
        leaf = bare_leaf(term)
        self.state.add(Result(stated, s, e, verdict.status, correct, verdict.evidence,
                                          self.link_text, verdict.explanation,
                                          leaf is not None and leaf.pct))
        return verdict

    def term_span(self, term: Node) -> tuple[int, int]:
        """The term's offsets as the finder saw it (with its currency, sign and %)."""
        t = self.chain.terms[self.terms.index(term)]
        return t.start, t.end

    def written_term(self, term: Node) -> str:
        s, e = self.term_span(term)
        return self.doc.text[s:e]

    def propagated(self, explanation: str) -> str:
        if not self.sources:
            return explanation
        src = next(iter(self.sources.values()))
        return (f"Follows from the earlier fix ({src.explanation.rstrip('.')}): "
                + explanation[0].lower() + explanation[1:])

    def with_sources(self, detail: dict[str, Any]) -> dict[str, Any]:
        if self.sources:
            src = next(iter(self.sources.values()))
            detail["propagated_from"] = {"text": src.claim_text, "start": src.start,
                                         "end": src.end}
        return detail

    def attach_substitutions(self, out: dict[int, Verdict]) -> None:
        """Write substituted (propagated) operands into the link that owns their term, and
        refute a link whose text uses a wrong earlier result even if its own arithmetic
        holds as written."""
        if not self.sources:
            return
        for k, term in enumerate(self.terms):
            subs = [leaf for leaf in term.leaves() if leaf.index in self.sources]
            if not subs:
                continue
            link = max(k, 1)  # the first computation's operands belong to the first link
            v = out.get(link)
            if v is None:
                continue
            for leaf in subs:
                v.edits.append(self.leaf_edit(leaf, self.subst[leaf.index]))
            if v.status == "verified":
                src = self.sources[subs[0].index]
                v.status = "refuted"
                v.explanation = (f"Uses {self.written(subs[0])} from an earlier step that should be "
                                 f"{self.fmt(self.subst[subs[0].index], subs[0])} "
                                 f"({src.explanation.rstrip('.')}).")
                v.detail = self.with_sources(dict(v.detail))
            if v.span is not None:
                lo = min([v.span[0]] + [self.gspan[leaf.index][0] for leaf in subs])
                hi = max([v.span[1]] + [self.gspan[leaf.index][1] for leaf in subs])
                v.span = (lo, hi)
