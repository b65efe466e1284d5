"""Do two revisions of Verity give identical reports? (a guard for speed work)

Runs the default ``check(text)`` on every GSM8K model solution of the dev file and the
first 2,000 GSM8K train answers (calculator notes ``<<...>>`` removed), on this checkout
and on git revision ``REV`` (exported with ``git archive`` into a temporary directory and
run in a subprocess), and compares ``report.to_dict()`` without ``meta.elapsed_ms``.
Prints each differing text and the count of differences (0 means identical), plus the CPU
time of each side (each side runs in its own subprocess; run on a busy machine, the times
are indicative only). ``REV`` should be the commit this branch started from: a newer main
differs by its own changes.

    .venv/bin/python benchmarks/_verdict_diff.py [--against main] [--limit N]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CODE = Path(os.environ.get("VERITY_CODE_ROOT", ROOT))
for _path in (ROOT, CODE):
    if str(_path) in sys.path:
        sys.path.remove(str(_path))
    sys.path.insert(0, str(_path))

from benchmarks._common import SHARED_DATA, read_jsonl  # noqa: E402
from benchmarks.arithmetic import strip_notes  # noqa: E402
from benchmarks.gsm8k_solutions import load  # noqa: E402

TRAIN = SHARED_DATA / "gsm8k-train.jsonl"


def texts(limit: int | None) -> list[str]:
    """The solutions (all four models per question), then the train answers."""
    out = [s.text for s in load(limit)]
    out += [strip_notes(i, row["question"], row["answer"]).text
            for i, row in enumerate(read_jsonl(TRAIN, 2000 if limit is None else limit))]
    return out


def reports(limit: int | None) -> tuple[list[Any], float]:
    """Each text's report as a dict without ``meta.elapsed_ms``, and the CPU seconds spent."""
    from verify.pipeline import check
    out = []
    t0 = time.process_time()
    for text in texts(limit):
        d = check(text).to_dict()
        d.get("meta", {}).pop("elapsed_ms", None)
        out.append(d)
    return out, time.process_time() - t0


def reports_in(code: Path, limit: int | None) -> tuple[list[Any], float]:
    """:func:`reports` with ``verify`` imported from ``code``, in a fresh subprocess (each
    side pays the same start-up and holds no reports of the other while it runs)."""
    with tempfile.TemporaryDirectory() as tmp:
        out_path = Path(tmp) / "reports.json"
        cmd = [sys.executable, str(Path(__file__).resolve()), "--dump", str(out_path)]
        if limit:
            cmd += ["--limit", str(limit)]
        subprocess.run(cmd, check=True, env=dict(os.environ, VERITY_CODE_ROOT=str(code)))
        data = json.loads(out_path.read_text())
    return data["reports"], data["cpu"]


def reports_at(rev: str, limit: int | None) -> tuple[list[Any], float]:
    """:func:`reports` on Verity as of git revision ``rev`` (exported with ``git archive``)."""
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "verify"],
                                 check=True, capture_output=True).stdout
        tar_path = Path(tmp) / "rev.tar"
        tar_path.write_bytes(archive)
        with tarfile.open(tar_path) as tar:
            tar.extractall(tmp, filter="data")
        return reports_in(Path(tmp), limit)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--against", default="main", metavar="REV")
    p.add_argument("--limit", type=int, help="first N dev questions (x4) and N train answers")
    p.add_argument("--dump", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.dump:
        got, cpu = reports(args.limit)
        Path(args.dump).write_text(json.dumps({"reports": got, "cpu": cpu}))
        return 0
    base, base_cpu = reports_at(args.against, args.limit)
    here, here_cpu = reports_in(ROOT, args.limit)
    all_texts = texts(args.limit)
    diffs = [i for i, (a, b) in enumerate(zip(base, here)) if a != b]
    for i in diffs[:20]:
        print(f"--- text {i}: {all_texts[i][:120]!r}")
        print(f"  {args.against}: {json.dumps(base[i])[:600]}")
        print(f"  here: {json.dumps(here[i])[:600]}")
    print(f"| texts | differences | CPU s ({args.against}) | CPU s (here) |")
    print("|---|---|---|---|")
    print(f"| {len(here)} | {len(diffs) + abs(len(base) - len(here))} | {base_cpu:.1f} "
          f"| {here_cpu:.1f} |")
    return 1 if diffs or len(base) != len(here) else 0


if __name__ == "__main__":
    sys.exit(main())
