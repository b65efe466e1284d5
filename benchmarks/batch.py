"""Batch throughput: the same 10,000 GSM8K answers through ``verify.batch.check_many`` in
one process, in N local worker processes, and on a local Ray instance (N CPUs, loopback);
compares each backend's reports with the one-process run (timing fields aside, input order
kept), lists every line that differs with the claim kinds involved, and exits 1 if any does.

The answers: GSM8K train solutions, then the model-written solutions of the GSM8K test
questions (4 models each), calculator notes ``<<…>>`` stripped; checked as ``check(text)``.

    .venv/bin/python benchmarks/batch.py [--limit 10000] [--workers N] [--no-ray]
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks._common import SHARED_DATA, read_jsonl  # noqa: E402

NOTE = re.compile(r"<<[^<>]*>>")
MODELS = ("6b_finetuning", "6b_verification", "175b_finetuning", "175b_verification")


def items(limit: int) -> list[dict]:
    out = [{"id": f"train-{i}", "text": NOTE.sub("", r["answer"])}
           for i, r in enumerate(read_jsonl(SHARED_DATA / "gsm8k-train.jsonl", limit))]
    if len(out) < limit:
        for i, r in enumerate(read_jsonl(SHARED_DATA / "gsm8k-model-solutions-dev.jsonl")):
            out += [{"id": f"test-{i}-{m}", "text": NOTE.sub("", r[m]["solution"])}
                    for m in MODELS]
    return out[:limit]


def comparable(report: dict) -> dict:
    meta = {k: v for k, v in report.get("meta", {}).items() if k != "elapsed_ms"}
    return {**report, "meta": meta}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--limit", type=int, default=10_000, help="answers (default 10,000)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-ray", action="store_true", help="skip the Ray row")
    args = ap.parse_args()

    from verify.batch import check_many

    data = items(args.limit)
    runs: list[tuple[str, float, list[dict]]] = []
    backends = [("one process", dict(workers=1)),
                (f"{args.workers} local workers", dict(workers=args.workers))]
    if not args.no_ray:
        backends.append((f"Ray, local instance, {args.workers} CPUs",
                         dict(workers=args.workers, backend="ray")))
    for label, kw in backends:
        started = time.perf_counter()
        reports = list(check_many(data, **kw))
        runs.append((label, time.perf_counter() - started, reports))

    baseline = [comparable(r) for r in runs[0][2]]
    differing = {label: [b["id"] for b, r in zip(baseline, reports) if comparable(r) != b]
                 for label, _, reports in runs}
    statuses: dict[str, int] = {}
    for r in runs[0][2]:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1

    print(f"\n{len(data)} GSM8K answers on {os.cpu_count()} cores; "
          f"verdicts: {', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}\n")
    print("| backend | seconds (incl. start-up) | answers/s | ratio to one process "
          "| reports identical to one process |")
    print("|---|---:|---:|---:|---|")
    base_rate = len(data) / runs[0][1]
    for label, seconds, _ in runs:
        rate = len(data) / seconds
        diff = differing[label]
        print(f"| {label} | {seconds:.1f} | {rate:.1f} | {rate / base_rate:.2f} | "
              f"{'yes' if not diff else f'NO: {len(diff)} differ'} |")
    if not args.no_ray:
        import ray
        ray.shutdown()
    for label, ids in differing.items():
        for rid in ids:
            one = next(r for r in runs[0][2] if r["id"] == rid)
            other = next(r for r in dict((lb, rs) for lb, _, rs in runs)[label] if r["id"] == rid)
            kinds = sorted({c["kind"] for c in one["claims"] + other["claims"]
                            if c not in one["claims"] or c not in other["claims"]})
            print(f"differs on {label}: {rid} ({one['status']} vs {other['status']}; "
                  f"claims differ in: {', '.join(kinds)})")
    return 0 if not any(differing.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
