"""Deterministic cross-checks between a claim and its evidence.

What a careful fact-checker does first, without any model: find the evidence sentence the
claim talks about (lexical alignment), then compare what can be compared exactly —
numbers, years, dates and units; names; negation; a short list of antonyms; and whether
the evidence itself marks the point as disputed. A value or name the evidence states
differently in the aligned sentence is a contradiction, and that value is the correction.
A several-word name must be stated as one name, a value in its own clause, a negation only
where it negates the claim's words. For an answer to a question, the answer must be of the
type asked (a time for "when") and stand in the slot the question asks about (not "Neil
Gaiman" for "directed by whom?" when the evidence says "directed by Robert Zemeckis and
written by Neil Gaiman"); an answer in its own words must state what it adds, and an
answer that only repeats the question's words ("Glass Harbor" to "Which city is the band
that released Glass Harbor from?") is never supported. A possessive relation must belong to
the claim's owner in the supporting sentence ("Tom Reed's father" is not stated by "John
Reed's father, Tom Reed, ..."). A supported
claim uses no word the evidence never uses, and the sentence stating it is about its subject
(named there or just before). A claim written all in lower case is recased from the
evidence's own spelling, so its names are still checked as names.
Passages are only ever read as data, so text inside them ("ignore previous instructions")
cannot change a verdict.

The checks are data: :data:`~.checks.CHECKS` is an ordered registry of small functions, each
reading one immutable :class:`~.view.View` of the claim and its evidence and keyed by the label
it reports; ``DeterministicJudge(disable={...})`` turns checks off. Every threshold is a named
constant in :mod:`.lexicon`; none is fitted per run.
"""
from __future__ import annotations

from typing import Iterable, Sequence

from .base import Judgement, Passage, as_passages, not_found
from .checks import CHECKS, STAGES, Check, Finding
from .evidence import split_units
from .lexicon import RELATED_COVERAGE, SUPPORT_COVERAGE, is_disputed
from .view import View

__all__ = ["CHECKS", "CHECK_LABELS", "Check", "DeterministicJudge", "Finding", "is_disputed"]

#: Every label a check reports, in registry order (what ``disable`` accepts).
CHECK_LABELS: tuple[str, ...] = tuple(c.label for c in CHECKS)


class DeterministicJudge:
    """Cross-checks of values, names, negation and antonyms after lexical alignment.

    ``disable`` names checks (labels of :data:`CHECKS`) to turn off, for ablations or a
    domain where a rule does not hold; an unknown label is refused. They stay off in the
    parts of an answer judged on their own (a yes/no answer's conjuncts). Besides the checks'
    labels, a judgement reports "no_evidence" (nothing to judge against) and "coverage"
    (lexical support was weighed), which are steps of the judge, not checks.
    """

    name = "deterministic"

    def __init__(self, *, disable: Iterable[str] | str = ()) -> None:
        labels = (disable,) if isinstance(disable, str) else tuple(disable)
        unknown = [x for x in labels if x not in CHECK_LABELS]
        if unknown:
            raise ValueError(f"unknown judge check {unknown[0]!r} in disable=; "
                             f"the checks are: {', '.join(CHECK_LABELS)}")
        self.disabled = frozenset(labels)
        self._stages: dict[str, tuple[Check, ...]] = {
            s: tuple(c for c in CHECKS if c.stage == s and c.label not in self.disabled) for s in STAGES}

    def judge(self, claim: str, passages: Sequence[Passage | str], *,
              question: str | None = None) -> Judgement:
        return self.analyse(claim, as_passages(passages), question)

    def analyse(self, claim: str, passages: Sequence[Passage], question: str | None = None) -> Judgement:
        """Run the enabled checks stage by stage (see :data:`~.checks.STAGES`)."""
        if not isinstance(claim, str) or not claim.strip():
            raise ValueError("the claim to judge is empty")
        units = split_units(passages)
        if not units:
            return not_found("no evidence was given or retrieved for this claim.", checks=["no_evidence"])
        view = View.read(claim, passages, question, units, self.analyse)
        for check in self._stages["decide"]:
            found = check.fn(view)
            if found is not None:
                return found.judgement(check.label, view.detail)
        # lexical support, within one sentence (or a sentence and its continuation): words
        # scattered over unrelated sentences do not make a claim
        gaps = [(c.label, f) for c in self._stages["gap"] if (f := c.fn(view)) is not None]
        lead = ("coverage", *(label for label, _ in gaps))
        cov = view.support_coverage
        if view.support_window and cov >= SUPPORT_COVERAGE and not gaps:
            for check in self._stages["overturn"]:
                found = check.fn(view)
                if found is not None:
                    return found.judgement(check.label, view.support_detail, lead)
            return Judgement("supported", round(cov, 3), view.support_cites,
                             "the evidence states the claim's values, names and words.", lead,
                             detail=view.support_detail)
        for check in self._stages["explain"]:
            found = check.fn(view)
            if found is not None:
                return found.judgement(check.label, view.support_detail, lead)
        missing = view.missing
        why = ("the evidence is about something else." if view.coverage < RELATED_COVERAGE else
               next((f.explanation for _, f in gaps if f.explanation), "") or
               f"no passage states it together: {', '.join(missing[:6])} "
               f"{'is' if len(missing) == 1 else 'are'} missing.")
        return not_found(why, checks=lead, passages=view.cite, score=round(cov, 3), **view.support_detail)
