"""The default judge: the deterministic checks decide; a trained judge, when given, joins them.

The deterministic checks (:mod:`.checks`) read what can be compared exactly — values, names,
negation, which option of an either-or question the evidence picks, whether the evidence
denies, quotes or disputes the claim. A trained cross-encoder (:mod:`.trained`, weights made by
``training/judge.py``; ``judge="path/to/weights"``) reads what rules cannot: whether
differently worded evidence states the claim. With one, a single decision joins them:

- a check that finds the claim unstated in a way no wording can repair (a value or name the
  evidence never states, a disputed or denied claim: ``VETOES``) keeps the claim ``not found``;
- a check that finds a contradiction (a different value or name in the aligned sentence, a
  negation) stands, with its correction, unless the model is confident the claim is stated:
  then the two readings disagree and the claim is ``not found``;
- a support the checks find (every value, name and word stated in one sentence; the evidence
  picks the answer's option) stands unless the model is confident of a contradiction;
- otherwise the model may make the claim ``supported`` at its calibrated threshold (≥ 0.97
  precision on held-out data). Its confident contradiction leaves the claim ``not found``:
  only an aligned value refutes.

No weights ship: the ones trained so far scored below the checks alone through ``check()``
(``training/README.md``). A configured model that fails to load or run supports nothing: the
claim is ``not found`` with the reason.
"""
from __future__ import annotations

import logging
from typing import Any, Sequence

from .base import Judgement, Passage, as_passages
from .deterministic import DeterministicJudge
from .trained import Scores, TrainedJudge, probabilities

log = logging.getLogger("verity.judges")

#: Checks after which a claim stays "not found" whatever the model says.
VETOES = frozenset({"value_unsupported", "name_unsupported", "empty_claim", "no_evidence",
                    "choice_ambiguous", "choice_undecided", "slot_rival", "answer_echo",
                    "answer_type", "disputed", "values_disagree", "framed"})


class DefaultJudge:
    """The deterministic checks, joined with a trained judge when one is given (see above)."""

    name = "default"

    def __init__(self, model: TrainedJudge | Any = None) -> None:
        self.deterministic = DeterministicJudge()
        self.model = model
        self.model_error: str | None = None

    @property
    def models(self) -> dict[str, str]:
        return dict(self.model.models) if self.model is not None else {}

    def judge(self, claim: str, passages: Sequence[Passage | str], *,
              question: str | None = None) -> Judgement:
        ps = as_passages(passages)
        d = self.deterministic.analyse(claim, ps, question)
        if self.model is None or set(d.checks) & VETOES:
            return d
        try:
            if self.model_error is not None:
                raise RuntimeError(self.model_error)
            sup, con = self.model.best(claim, ps)
        except Exception as exc:  # noqa: BLE001 - fail closed: a broken model supports nothing
            if self.model_error is None:
                self.model_error = f"{type(exc).__name__}: {exc}"
                log.warning("trained judge unavailable: %s", self.model_error)
            return _unsure(d, f"the trained judge is unavailable ({self.model_error}), so nothing "
                              f"is supported", {})
        if sup is None or con is None:
            return d
        return decide(d, sup, con, self.model.support_at, self.model.contradict_at)


def decide(d: Judgement, sup: Scores, con: Scores, support_at: float, contradict_at: float) -> Judgement:
    """Join the checks' judgement ``d`` and the model's best windows (module docstring)."""
    p = probabilities(sup, con)
    detail = {**d.detail, **p}
    confident_support = sup.supported >= support_at
    confident_contradiction = con.contradicted >= contradict_at and not confident_support
    if d.label == "contradicted":
        if confident_support:
            return _unsure(d, "the checks find a contradiction but the trained judge finds the claim "
                              f"stated (p={sup.supported:.2f}); the two readings disagree", p)
        return Judgement(d.label, d.score, d.passages, d.explanation, d.checks, d.correction,
                         d.wrong, detail)
    if d.label == "supported":
        if confident_contradiction:
            return _unsure(d, "the checks find the claim stated but the trained judge finds it "
                              f"contradicted (p={con.contradicted:.2f}); the two readings disagree", p)
        return Judgement(d.label, d.score, d.passages, d.explanation, d.checks, detail=detail)
    if d.label == "disputed":
        return d
    checks = (*d.checks, "trained")
    if confident_support:
        return Judgement("supported", round(sup.supported, 4), (sup.window,),
                         f"the trained judge finds the claim stated in this passage (p={sup.supported:.2f}).",
                         checks, detail=detail)
    if confident_contradiction:  # a refutation needs an aligned value from the checks
        return Judgement("not found", round(sup.supported, 4), (con.window,),
                         f"the trained judge finds the claim contradicted by this passage "
                         f"(p={con.contradicted:.2f}), but no value of the claim aligns with the "
                         f"evidence, so it is not refuted.", checks, detail=detail)
    return Judgement("not found", round(sup.supported, 4), d.passages or (sup.window,),
                     f"the trained judge does not find the claim stated (p={sup.supported:.2f}, "
                     f"needs {support_at:.2f}); {d.explanation}", checks, detail=detail)


def _unsure(d: Judgement, why: str, p: dict[str, float]) -> Judgement:
    return Judgement("not found", d.score, d.passages, why + ".", (*d.checks, "trained"),
                     detail={**d.detail, **p})
