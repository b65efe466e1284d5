"""What every benchmark script shares: where the shared data lives and how to read it."""
from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: ../shared/data beside the repository (read-only; never copied into the repo).
SHARED_DATA = ROOT.parent / "shared" / "data"


def read_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    """The first ``limit`` JSON objects of a JSON Lines file (all when None)."""
    rows: list[dict] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
                if limit is not None and len(rows) >= limit:
                    break
    return rows
