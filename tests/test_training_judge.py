"""The judge-training script's pieces: generated pairs, the mixed loss, calibration."""
from __future__ import annotations

import random

import pytest

from conftest import load_script


@pytest.fixture(scope="module")
def tj():
    return load_script("training/judge.py", "training_judge")


def test_generated_edits_keep_or_break_the_statement(tj):
    rng = random.Random(0)
    s = "The bridge, which spans the river, opened in 1932 and carries 4 lanes."
    assert tj._compress(s) == "The bridge opened in 1932 and carries 4 lanes."
    swapped = tj._swap_number(s, rng)
    assert swapped != s and ("1932" not in swapped or " 4 lanes" not in swapped)
    assert tj._negate("The bridge is open to traffic.") == "The bridge is not open to traffic."
    assert tj._negate("The bridge is not open.") == "The bridge is open."
    assert tj._reorder("In 1932, the bridge opened to traffic.") == "The bridge opened to traffic in 1932."
    assert tj._swap_name("The bridge was designed by Ammann.", ["Strauss"], rng) == \
        "The bridge was designed by Strauss."
    assert tj._INSTRUCTION.match("Find the slope of the line.") and not tj._INSTRUCTION.match("The slope is 2.")


def test_binary_labels_train_only_the_support_probability(tj):
    import torch

    logits = torch.tensor([[4.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 4.0]])
    # "not supported" is satisfied by contradiction and by missing information alike
    not_sup = tj._loss(logits[1:], torch.tensor([tj.NOT_SUP, tj.NOT_SUP]))
    assert not_sup.item() < 0.05
    assert tj._loss(logits[:1], torch.tensor([tj.NOT_SUP])).item() > 3.0
    assert tj._loss(logits, torch.tensor([tj.SUP, tj.CON, tj.NEI])).item() < 0.05


def test_the_threshold_is_the_deepest_cut_that_holds_the_precision(tj):
    import numpy as np

    scores = np.array([0.99, 0.95, 0.90, 0.85, 0.80, 0.70])
    positive = np.array([True, True, True, False, True, False])
    assert tj.threshold(scores, positive, 1.0) == 0.90
    assert tj.threshold(scores, positive, 0.8) == 0.80
    assert tj.threshold(scores, np.zeros(6, dtype=bool), 0.97) == 1.01  # never
