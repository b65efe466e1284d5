"""A trained claim–evidence judge: a folder of weights made by ``training/judge.py``.

A MiniLM cross-encoder fine-tuned by ``training/judge.py`` reads (evidence window, claim) and
gives P(supported), P(contradicted), P(not enough information). The claim is scored against
the few evidence windows that share most of its words (:mod:`.windows`); the best window
decides. Its thresholds come from the calibration the training script wrote beside the
weights (``calibration.json``): ``supported`` only at a score that reached
``target_precision`` (0.97) on held-out data, and ``contradicted`` likewise. Below both, the
answer is ``not found`` (:func:`~.default.decide`). The weights load once per process, on first
use, from the folder given: nothing is downloaded. ``judge="path/to/folder"`` joins it with
the deterministic checks (:class:`~.default.DefaultJudge`).
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from verify.limits import torch_threads

from .base import Passage
from .windows import evidence_windows

#: torch threads per scoring call: a handful of short pairs is faster on one core than split.
JUDGE_THREADS = 1
#: Longest (window, claim) pair read, in tokens (as in training).
MAX_TOKENS = 128


class JudgeModelError(RuntimeError):
    """A trained judge's folder is missing or unusable."""


@dataclass(frozen=True)
class Scores:
    """The model's reading of a claim against one evidence window."""

    supported: float
    contradicted: float
    nei: float
    window: Passage


class TrainedJudge:
    """A trained cross-encoder's probabilities and its calibrated thresholds (a component of
    :class:`~.default.DefaultJudge`, which makes the decision)."""

    name = "trained"

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._model: Any = None
        self._tokenizer: Any = None
        self.calibration = self._read_calibration()
        self.support_at = float(self.calibration["thresholds"]["supported"])
        self.contradict_at = float(self.calibration["thresholds"]["contradicted"])

    @property
    def models(self) -> dict[str, str]:
        return {"judge": f"verity-judge ({self.path.name})"}

    def _read_calibration(self) -> dict[str, Any]:
        try:
            return json.loads((self.path / "calibration.json").read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError) as exc:
            raise JudgeModelError(f"no usable judge at {self.path}: {exc}") from exc

    def _load(self) -> None:
        if self._model is None:
            self._tokenizer, self._model = _load(self.path)

    def score(self, claim: str, windows: Sequence[Passage]) -> list[Scores]:
        """The model's probabilities for ``claim`` against each window."""
        if not windows:
            return []
        import torch

        self._load()
        with torch_threads(JUDGE_THREADS), torch.inference_mode():
            enc = self._tokenizer([w.text for w in windows], [claim] * len(windows),
                                  truncation="longest_first", max_length=MAX_TOKENS, padding=True,
                                  return_tensors="pt")
            probs = self._model(**enc).logits.float().softmax(-1).tolist()
        return [Scores(p[0], p[1], p[2], w) for p, w in zip(probs, windows)]

    def best(self, claim: str, passages: Sequence[Passage]) -> tuple[Scores | None, Scores | None]:
        """(the window most supporting the claim, the one most contradicting it)."""
        scores = self.score(claim, evidence_windows(claim, passages))
        if not scores:
            return None, None
        return max(scores, key=lambda s: s.supported), max(scores, key=lambda s: s.contradicted)


#: Loaded (tokenizer, model) by weights folder: one load per process, shared by every judge.
_LOADED: dict[Path, tuple[Any, Any]] = {}
_LOAD_LOCK = threading.Lock()


def _load(path: Path) -> tuple[Any, Any]:
    with _LOAD_LOCK:
        if path in _LOADED:
            return _LOADED[path]
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
            tok = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
            model = AutoModelForSequenceClassification.from_pretrained(
                str(path), local_files_only=True, dtype=torch.float32)
        except Exception as exc:  # noqa: BLE001 - say plainly what failed
            raise JudgeModelError(f"cannot load the judge at {path}: {exc}") from exc
        model.eval()
        _LOADED[path] = (tok, model)
        return tok, model


def probabilities(sup: Scores, con: Scores) -> dict[str, float]:
    """What a judgement records of the model's reading (for ``detail``)."""
    return {"p_supported": round(sup.supported, 4), "p_contradicted": round(con.contradicted, 4)}
