"""The default judge: the trained judge decides; the deterministic checks are its features.

The deterministic checks (:mod:`.checks`) read what can be compared exactly — values, names,
negation, which option of an either-or question the evidence picks, whether the evidence
denies, quotes or disputes the claim. The trained cross-encoder (:mod:`.trained`) reads what
rules cannot: whether differently worded evidence states the claim. One decision joins them:

- a check that finds the claim unstated in a way no wording can repair (a value or name the
  evidence never states, a disputed or denied claim: ``VETOES``) keeps the claim ``not found``;
- a check that finds a contradiction (a different value or name in the aligned sentence, a
  negation) stands, with its correction, unless the model is confident the claim is stated:
  then the two readings disagree and the claim is ``not found``;
- a structural support (the evidence picks the answer's option; a yes/no answer's parts) stands
  unless the model is confident of a contradiction;
- otherwise the model decides at its calibrated thresholds (``supported`` at ≥ 0.97 precision
  on held-out data; ``contradicted`` likewise, without a correction: only an aligned value
  yields one).

Without the model (no ``torch``/``transformers``, or unreadable weights) nothing is supported:
the claim is ``not found`` with the reason, and ``judge="deterministic"`` remains available.
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
#: Checks whose "supported" rests on structure the model does not read (which option, yes/no).
STRUCTURAL_SUPPORT = frozenset({"choice", "yes_no"})


class DefaultJudge:
    """Deterministic checks as features, the trained judge's calibrated decision (see above)."""

    name = "default"

    def __init__(self, model: Any = None, *, use_model: bool = True) -> None:
        self.deterministic = DeterministicJudge()
        self.use_model = use_model
        self._model = model
        self.model_error: str | None = None

    @property
    def model(self) -> TrainedJudge | None:
        if self._model is None and self.use_model and self.model_error is None:
            try:
                self._model = TrainedJudge()
            except Exception as exc:  # noqa: BLE001 - a missing model is a reason, not a crash
                self._unavailable(exc)
        return self._model

    @property
    def models(self) -> dict[str, str]:
        return self.model.models if self.model is not None else {}

    def _unavailable(self, exc: Exception) -> None:
        self.model_error = f"{type(exc).__name__}: {exc}"
        log.warning("trained judge unavailable: %s", self.model_error)

    def judge(self, claim: str, passages: Sequence[Passage | str], *,
              question: str | None = None) -> Judgement:
        ps = as_passages(passages)
        d = self.deterministic.analyse(claim, ps, question)
        if not self.use_model or set(d.checks) & VETOES:
            return d
        model = self.model
        try:
            if model is None:
                raise RuntimeError(self.model_error)
            sup, con = model.best(claim, ps)
        except Exception as exc:  # noqa: BLE001 - fail closed: no model, no support
            if model is not None:
                self._unavailable(exc)
            return _unsure(d, f"the trained judge is unavailable ({self.model_error}), so nothing "
                              f"is supported; judge='deterministic' runs the checks alone", {})
        if sup is None or con is None:
            return d
        return decide(d, sup, con, model.support_at, model.contradict_at)


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
    if d.label == "supported" and set(d.checks) & STRUCTURAL_SUPPORT:
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
    if confident_contradiction:
        return Judgement("contradicted", round(con.contradicted, 4), (con.window,),
                         f"the trained judge finds the claim contradicted by this passage "
                         f"(p={con.contradicted:.2f}); no value of it aligns with the evidence, so there "
                         f"is no correction.", checks, detail=detail)
    return Judgement("not found", round(sup.supported, 4), d.passages or (sup.window,),
                     f"the trained judge does not find the claim stated (p={sup.supported:.2f}, "
                     f"needs {support_at:.2f}); {d.explanation}", checks, detail=detail)


def _unsure(d: Judgement, why: str, p: dict[str, float]) -> Judgement:
    return Judgement("not found", d.score, d.passages, why + ".", (*d.checks, "trained"),
                     detail={**d.detail, **p})
