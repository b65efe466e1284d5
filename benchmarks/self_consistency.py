"""Self-consistency benchmark: does voting over sampled solutions beat one sample, does
restricting the vote to solutions whose steps pass Verity's checks help, and how well does
agreement predict correctness?

Data: ``../shared/data/qwen25math-samples-100.jsonl`` — 100 MATH problems × 8 sampled
chain-of-thought solutions by a Qwen2.5-Math model, each judged correct or not by the
Qwen2.5-Math rule-based grader (``scores``; 728 of 800 correct).

Systems, in one run:
  - one sample: the mean accuracy of a single sample (all 800), and the first sample;
  - majority vote of the final answers, canonicalised by the math engine
    (:func:`verify.stages.consistency.vote`, ``kind="math"``: extraction + exact/symbolic equality);
  - checked vote: the same vote over only the samples whose steps ``check_math`` does not
    refute (every sample refuted → the plain vote);
  - oracle: some sample is correct (the ceiling for any selection).
A vote is correct when the grader judged its cluster's first sample correct; the table also
gives the vote judged by Verity's own equivalence against the reference.
Agreement (majority share) is scored as a predictor of the vote being correct, and each
sample's cluster share as a predictor of that sample being correct: AUROC (ties count half).

    .venv/bin/python benchmarks/self_consistency.py [--limit N] [--no-steps]
"""
from __future__ import annotations

import argparse
import logging
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT.parent / "shared" / "data" / "qwen25math-samples-100.jsonl"

from benchmarks._common import read_jsonl  # noqa: E402
from verify.stages.consistency import vote  # noqa: E402
from verify.api.math import check_math, equivalent  # noqa: E402

#: Time limit for checking one sample's steps (seconds).
STEP_TIMEOUT = 10.0


def load(path: Path = DATA, limit: int | None = None) -> list[dict[str, Any]]:
    return read_jsonl(path, limit)


def auroc(scores: Sequence[float], labels: Sequence[bool]) -> float | None:
    """P(score of a random positive > score of a random negative), ties counted half;
    None when one class is absent."""
    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    if not pos or not neg:
        return None
    wins = sum(1.0 if p > n else 0.5 if p == n else 0.0 for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


@dataclass
class Problem:
    """One problem's outcome under every system."""

    idx: Any
    scores: list[bool]
    plain_correct: bool
    plain_equiv: bool | None
    agreement: float
    entropy: float
    tie: bool
    sample_share: list[float]
    checked_correct: bool
    kept: int
    vote_s: float
    steps_s: float
    refuted_samples: list[int] = field(default_factory=list)


def _vote_correct(v: Any, scores: Sequence[bool]) -> bool:
    return bool(v.clusters) and bool(scores[v.clusters[0].members[0]])


def evaluate(rows: Sequence[dict[str, Any]], *, steps: bool = True) -> list[Problem]:
    out = []
    for r in rows:
        responses, scores = r["responses"], [bool(s) for s in r["scores"]]
        t0 = time.perf_counter()
        v = vote(responses, kind="math")
        t1 = time.perf_counter()
        refuted: list[int] = []
        if steps:
            for i, resp in enumerate(responses):
                m = check_math(question=r["question"], answer=resp, timeout=STEP_TIMEOUT)
                if m.first_error is not None:
                    refuted.append(i)
        t2 = time.perf_counter()
        keep = [i for i in range(len(responses)) if i not in refuted] or list(range(len(responses)))
        checked = vote([responses[i] for i in keep], kind="math")
        checked_correct = bool(checked.clusters) and scores[keep[checked.clusters[0].members[0]]]
        equiv = None
        if v.answer is not None:
            equiv = equivalent(v.answer, r["reference"]).equal
        share = [v.clusters[lab].size / v.total if lab >= 0 else 0.0 for lab in v.labels]
        out.append(Problem(r.get("idx"), scores, _vote_correct(v, scores), equiv, v.agreement,
                           v.entropy, v.tie, share, checked_correct, len(keep), t1 - t0, t2 - t1,
                           refuted))
    return out


def table(problems: Sequence[Problem], elapsed: float) -> str:
    n = len(problems)
    samples = [s for p in problems for s in p.scores]
    acc = lambda xs: sum(xs) / len(xs) if xs else float("nan")  # noqa: E731
    rows = [
        ("one sample (mean of all samples)", acc(samples)),
        ("one sample (the first)", acc([p.scores[0] for p in problems])),
        ("majority vote, math-engine canonicalised", acc([p.plain_correct for p in problems])),
        ("checked vote (samples whose steps are not refuted)", acc([p.checked_correct for p in problems])),
        ("oracle: some sample is correct", acc([any(p.scores) for p in problems])),
    ]
    lines = [f"Self-consistency on qwen25math-samples-100 ({n} problems × "
             f"{len(samples) // max(n, 1)} samples)", "",
             "| system | accuracy |", "|---|---|"]
    lines += [f"| {name} | {value:.3f} |" for name, value in rows]
    judged = [p.plain_equiv for p in problems]
    lines += ["", f"Majority vote judged by Verity's equivalence against the reference: "
                  f"{sum(j is True for j in judged)}/{n} equal, {sum(j is False for j in judged)} "
                  f"unequal, {sum(j is None for j in judged)} undecided "
                  f"(grader: {sum(p.plain_correct for p in problems)}/{n})."]
    a_vote = auroc([p.agreement for p in problems], [p.plain_correct for p in problems])
    a_ent = auroc([-p.entropy for p in problems], [p.plain_correct for p in problems])
    a_sample = auroc([s for p in problems for s in p.sample_share], samples)
    mixed = [p for p in problems if 0 < sum(p.scores) < len(p.scores)]
    a_mixed = auroc([s for p in mixed for s in p.sample_share], [s for p in mixed for s in p.scores])
    fmt = lambda x: "n/a (one class)" if x is None else f"{x:.3f}"  # noqa: E731
    refuted = sum(len(p.refuted_samples) for p in problems)
    refuted_wrong = sum(not p.scores[i] for p in problems for i in p.refuted_samples)
    lines += ["", "| agreement as a predictor of correctness | AUROC |", "|---|---|",
              f"| vote agreement → vote correct ({n} problems) | {fmt(a_vote)} |",
              f"| −semantic entropy → vote correct | {fmt(a_ent)} |",
              f"| sample's cluster share → sample correct ({len(samples)} samples) | {fmt(a_sample)} |",
              f"| same, only the {len(mixed)} problems with mixed samples | {fmt(a_mixed)} |",
              "", f"Step checks refuted {refuted} samples ({refuted_wrong} of them judged wrong by "
                  f"the grader); {sum(p.tie for p in problems)} votes were ties (first-seen answer "
                  "wins).",
              f"Median time per problem: vote {statistics.median(p.vote_s for p in problems) * 1000:.1f} ms, "
              f"step checks {statistics.median(p.steps_s for p in problems) * 1000:.0f} ms; "
              f"total {elapsed:.1f} s."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, help="only the first N problems")
    ap.add_argument("--no-steps", action="store_true", help="skip step checking (checked = plain)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if not DATA.exists():
        print(f"missing {DATA}: ../shared must sit beside the repository", file=sys.stderr)
        return 2
    started = time.perf_counter()
    problems = evaluate(load(DATA, args.limit), steps=not args.no_steps)
    print(table(problems, time.perf_counter() - started))
    return 0


if __name__ == "__main__":
    sys.exit(main())
