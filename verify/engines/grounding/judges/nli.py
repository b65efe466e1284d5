"""Plug a local NLI model (a ``transformers`` sequence-classification directory) in as judge.

Nothing is downloaded: the directory must already hold the model. It loads on first use.
Labels are read from the model's ``id2label`` (entailment / contradiction / neutral).
"""
from __future__ import annotations

import os
import threading
from typing import Any, Sequence

from .base import Judgement, Passage, as_passages, not_found
from .llm import _select

#: Entailment probability at which a passage supports the claim.
NLI_SUPPORT = 0.70
#: Contradiction probability at which a passage contradicts the claim.
NLI_CONTRADICT = 0.70
#: Evidence sentences scored per claim.
NLI_MAX_PASSAGES = 8


class NLIModelError(RuntimeError):
    """The NLI model directory is missing or unusable."""


class NLIJudge:
    """An NLI cross-encoder from a local directory, e.g. a DeBERTa-MNLI checkpoint."""

    name = "nli"

    def __init__(self, path: str | os.PathLike[str], *, device: str = "cpu") -> None:
        self.path = os.fspath(path)
        if not os.path.isdir(self.path):
            raise NLIModelError(f"NLI model directory not found: {self.path}")
        self.device = device
        self._model: Any = None
        self._tokenizer: Any = None
        self._labels: dict[int, str] = {}
        self._lock = threading.Lock()

    @property
    def models(self) -> dict[str, str]:
        return {"nli": os.path.basename(self.path.rstrip("/"))}

    def _load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            try:
                from transformers import AutoModelForSequenceClassification, AutoTokenizer
                tok = AutoTokenizer.from_pretrained(self.path, local_files_only=True)
                model = AutoModelForSequenceClassification.from_pretrained(self.path, local_files_only=True)
            except Exception as exc:  # noqa: BLE001 - say plainly what failed
                raise NLIModelError(f"cannot load an NLI model from {self.path}: {exc}") from exc
            labels = {int(i): str(n).lower() for i, n in model.config.id2label.items()}
            if not any(n.startswith("entail") for n in labels.values()):
                raise NLIModelError(f"{self.path} is not an NLI model: labels {sorted(labels.values())}")
            model.eval()
            self._tokenizer, self._model, self._labels = tok, model.to(self.device), labels

    def judge(self, claim: str, passages: Sequence[Passage | str], *,
              question: str | None = None) -> Judgement:
        import torch

        self._load()
        ps = _select(claim, as_passages(passages))[:NLI_MAX_PASSAGES]
        if not ps:
            return not_found("no evidence was given or retrieved for this claim.", checks=["no_evidence"])
        enc = self._tokenizer([p.text for p in ps], [claim] * len(ps), truncation=True,
                              padding=True, return_tensors="pt").to(self.device)
        with torch.no_grad():
            probs = self._model(**enc).logits.softmax(-1).cpu().numpy()
        ent = next(i for i, n in self._labels.items() if n.startswith("entail"))
        con = next((i for i, n in self._labels.items() if n.startswith("contradict")), None)
        e_i = int(probs[:, ent].argmax())
        if probs[e_i, ent] >= NLI_SUPPORT:
            return Judgement("supported", float(probs[e_i, ent]), (ps[e_i],),
                             f"the NLI model finds the claim entailed (p={probs[e_i, ent]:.2f}).", ("nli",))
        if con is not None:
            c_i = int(probs[:, con].argmax())
            if probs[c_i, con] >= NLI_CONTRADICT:
                return Judgement("contradicted", float(probs[c_i, con]), (ps[c_i],),
                                 f"the NLI model finds the claim contradicted (p={probs[c_i, con]:.2f}).", ("nli",))
        return not_found("the NLI model finds no passage that entails or contradicts the claim.",
                         checks=["nli"], score=float(probs[e_i, ent]))
