"""The eight stories of SCENARIOS.md, played end to end with bundled examples.

Everything here runs offline with no API key and no model server: the knowledge base is the
small demo corpus in ``verify/data/demo_kb`` (written for the demo), self-consistency uses
five fixed samples through a ``CallableLLM``, the decorator story wraps a plain function,
and the optional LLM path uses the packaged SmolLM2. Each story checks its own expected
outcome, so ``verity demo`` doubles as an end-to-end self-test.
"""
from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .report import Report

log = logging.getLogger("verity.demo")

DEMO_KB_SOURCES = Path(__file__).resolve().parent / "data" / "demo_kb"
#: Seconds the optional SmolLM2 story may take in all (loading included).
LLM_STORY_TIMEOUT = 240.0


def _sources_digest() -> str:
    h = hashlib.sha256()
    for p in sorted(DEMO_KB_SOURCES.glob("*")):
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


def build_demo_kb(out: str | os.PathLike, *, progress: bool = False) -> Any:
    """Index the bundled demo corpus into ``out`` (sources cited as ``demo_kb/<file>``)."""
    from kb import KnowledgeBase
    from kb.readers import read_sources

    docs, skipped = read_sources([DEMO_KB_SOURCES])
    if skipped or not docs:
        raise RuntimeError(f"the bundled demo corpus is unreadable: {skipped}")
    docs = [dataclasses.replace(d, source=f"demo_kb/{Path(d.source).name}") for d in docs]
    return KnowledgeBase.build(docs, out, progress=progress)


def open_demo_kb(cache_dir: str | os.PathLike | None = None) -> Any:
    """The demo knowledge base, built on first use and reused while the corpus is unchanged.

    It lives in ``cache_dir`` (default: the system temp directory) under a name that carries
    the corpus checksum; a concurrent first run builds in a private directory and renames.
    """
    from kb import KnowledgeBase

    root = Path(cache_dir) if cache_dir is not None else Path(tempfile.gettempdir())
    target = root / f"verity-demo-kb-{_sources_digest()}"
    if target.is_dir():
        try:
            return KnowledgeBase.open(target)
        except (FileNotFoundError, ValueError) as exc:
            log.warning("rebuilding the demo knowledge base (%s)", exc)
            shutil.rmtree(target, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="verity-demo-kb-", dir=root))
    try:
        build_demo_kb(scratch / "kb").close()
        try:
            os.rename(scratch / "kb", target)
        except OSError:
            if not target.is_dir():  # not a lost race: a real failure
                raise
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return KnowledgeBase.open(target)
