"""check(): find claims → route each to the engine that can decide it → one Report.

The pipeline owns the fail-closed guarantees, so no engine has to get them right alone:
an engine that raises, returns the wrong number of verdicts, or runs past the deadline
turns its claims into ``unverified`` with the reason; nothing becomes ``verified`` without
evidence (``Claim`` refuses it).
"""
from __future__ import annotations

import importlib
import logging
import re
import time
from pathlib import Path
from typing import Any, Iterable, Sequence

from . import __version__
from .engines.base import Candidate, Context, Engine, EngineError
from .report import Claim, Policy, Report, Span, apply_corrections

log = logging.getLogger("verity")

#: Engines in priority order: a span found by an earlier engine is not offered to a later
#: one. Each name is a module ``verify.engines.<name>`` exposing ``ENGINE``.
DEFAULT_ENGINES: tuple[str, ...] = ("invoice", "math", "arithmetic", "logic", "grounding")

MAX_TEXT_CHARS = 1_000_000


def load_engine(name: str) -> Engine:
    module = importlib.import_module(f"{__package__}.engines.{name}")
    return module.ENGINE


def _engines(names: Iterable[str | Engine]) -> list[tuple[str, Engine | None, str | None]]:
    out: list[tuple[str, Engine | None, str | None]] = []
    for item in names:
        if not isinstance(item, str):
            out.append((item.name, item, None))
            continue
        try:
            out.append((item, load_engine(item), None))
        except ModuleNotFoundError as exc:
            if exc.name == f"{__package__}.engines.{item}":
                continue  # engine not part of this build
            out.append((item, None, f"engine {item!r} could not load: {exc}"))
        except Exception as exc:  # noqa: BLE001 - any load failure must fail closed
            out.append((item, None, f"engine {item!r} could not load: {exc}"))
    return out


def _fail_all(cands: Sequence[Candidate], method: str, reason: str) -> list[Claim]:
    return [Claim.unverified(c.text, c.span, c.kind, method, reason) for c in cands]


def _run_engine(engine: Engine, cands: Sequence[Candidate], ctx: Context) -> list[Claim]:
    if ctx.expired():
        return _fail_all(cands, engine.name, "not checked: the time limit for the whole check ran out")
    try:
        claims = list(engine.check(cands, ctx))
    except EngineError as exc:
        return _fail_all(cands, engine.name, str(exc))
    except Exception as exc:  # noqa: BLE001 - an engine crash is never a verdict
        log.exception("engine %s failed", engine.name)
        return _fail_all(cands, engine.name, f"the {engine.name} engine failed: {type(exc).__name__}: {exc}")
    if len(claims) != len(cands) or not all(isinstance(c, Claim) for c in claims):
        return _fail_all(cands, engine.name, f"the {engine.name} engine returned malformed verdicts")
    return claims


_CONTENT = re.compile(r"\w")


def uncovered(text: str, spans: Sequence[Span]) -> list[Span]:
    """The stretches of ``text`` no claim covers, trimmed, ignoring pure punctuation."""
    out: list[Span] = []
    pos = 0
    for s in sorted(spans, key=lambda s: s.start) + [Span(len(text), len(text))]:
        if s.start > pos:
            piece = text[pos:s.start]
            if _CONTENT.search(piece):
                lead = len(piece) - len(piece.lstrip())
                trail = len(piece) - len(piece.rstrip())
                out.append(Span(pos + lead, s.start - trail))
        pos = max(pos, s.end)
    return out


def check(text: str, *, question: str | None = None, evidence: Sequence[str] | None = None,
          kb: Any = None, llm: Any = None, samples: int = 1, cove: bool = False,
          policy: str | Policy = "strict", timeout: float | None = None,
          engines: Sequence[str | Engine] | None = None, **options: Any) -> Report:
    """Check every claim in ``text`` and return a :class:`Report`.

    ``evidence`` is a list of passages the answer must be grounded in; ``kb`` a
    ``kb.KnowledgeBase`` or its path; ``llm`` an adapter (see ``verify.llm``); ``timeout``
    bounds the whole check in seconds (each engine call is bounded on its own too).
    """
    started = time.monotonic()
    if not isinstance(text, str):
        raise TypeError(f"check() needs the answer as str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"answer too long to check: {len(text):,} characters "
                         f"(limit {MAX_TEXT_CHARS:,})")
    if evidence is not None and (isinstance(evidence, str) or not all(isinstance(e, str) for e in evidence)):
        raise TypeError("evidence must be a list of passages (str)")
    if samples < 1:
        raise ValueError("samples must be at least 1")
    pol = Policy.of(policy)
    if isinstance(kb, (str, Path)):
        from kb import KnowledgeBase  # lazy: kb pulls in faiss and torch
        kb = KnowledgeBase.open(kb)
    ctx = Context(question=question, evidence=tuple(evidence or ()), kb=kb, llm=llm,
                  deadline=None if timeout is None else started + timeout,
                  options=dict(options, samples=samples, cove=cove))

    claims: list[Claim] = []
    stages: list[str] = []
    errors: list[str] = []
    taken: list[Span] = []
    for name, engine, load_error in _engines(engines or DEFAULT_ENGINES):
        if engine is None:
            errors.append(load_error or f"engine {name!r} unavailable")
            continue
        try:
            found = [c for c in engine.find(text, ctx)
                     if not any(c.span.overlaps(t) for t in taken)]
        except Exception as exc:  # noqa: BLE001 - a finder crash leaves text unchecked
            log.exception("engine %s could not read the text", name)
            errors.append(f"{name}: could not read the text: {type(exc).__name__}: {exc}")
            continue
        if not found:
            continue
        stages.append(name)
        taken.extend(c.span for c in found)
        claims.extend(_run_engine(engine, found, ctx))

    claims.sort(key=lambda c: (c.span.start, c.span.end))
    status, reason = pol.decide(claims)
    if errors and status == "verified" and not claims:
        status, reason = "flagged", "nothing checkable; " + "; ".join(errors)
    return Report(
        status=status, text=text, corrected_text=apply_corrections(text, claims),
        claims=tuple(claims), unchecked=tuple(uncovered(text, [c.span for c in claims])),
        stages=tuple(stages), reason=reason,
        meta={"verity_version": __version__, "policy": pol.name,
              "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
              "models": {}, "kb_manifest": None, "errors": errors},
    )
