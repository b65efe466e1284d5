"""check(): find claims → route each to the engine that can decide it → one Report.

The pipeline owns the fail-closed guarantees, so no engine has to get them right alone:
an engine that raises, returns the wrong number of verdicts, or runs past the deadline
turns its claims into ``unverified`` with the reason; nothing becomes ``verified`` without
evidence (``Claim`` refuses it).

Owned spans (one reading per span). Every engine reads the whole text on its own. Engines
are ranked by how specific their reading is — the order of :data:`DEFAULT_ENGINES`: an
invoice reading (the structure of a document: item lines, labelled subtotal/tax/total
lines) before a math reading (functions, unknowns, LaTeX) before plain-number arithmetic,
then a logic block, then grounding of free prose. Two readings are of one span when one
span holds the other (an arithmetic link inside an invoice's item line); spans that only
share an end are two claims (``X = 536 - 278`` and ``536 - 278 = 2580``, two links of one
chain), and both are reported. A candidate nested with a span a higher-ranked engine
already reads is not reported: the more specific reading owns the span. The lower-ranked
engine still decides those candidates, apart from the ones it owns (so its own claims are
judged exactly as before), and when the two readings contradict each other, the owner's
claim becomes ``unverified`` with both readings in ``detail["readings"]``: two readings of
one text that disagree are never a refutation, and never a correction. One exception: a
refuted owner whose span holds a verified rival stays refuted (a false whole may hold a
true part: "The smallest cube in the list is 2^3 = 8"). Each engine keeps its own shape
rules too (the invoice engine reads only invoice-shaped text: item lines with a quantity ×
unit price, or labelled values that are not the result of a computation).
"""
from __future__ import annotations

import bisect
import contextvars
import importlib
import itertools
import logging
import re
import time
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import __version__
from verify.prose.nlp import sentence_units
from verify.engines.base import Candidate, Context, Engine, EngineError, Retriever, open_kb
from .normalize import normalize, restore
from .limits import Budget
from .report import Claim, Policy, Report, Span, reverify_corrections

log = logging.getLogger("verity")

#: Engines ranked by specificity: a span read by an earlier engine is owned by it (see the
#: module docstring). Each name is a module ``verify.engines.<name>`` exposing ``ENGINE``.
DEFAULT_ENGINES: tuple[str, ...] = ("invoice", "math", "arithmetic", "logic", "grounding")

MAX_TEXT_CHARS = 1_000_000
#: Set while a corrected text is re-checked, so a re-check does not re-check its own fixes.
_RECHECKING: contextvars.ContextVar[bool] = contextvars.ContextVar("verity_rechecking", default=False)

#: The whole check's time budget when the caller gives none (seconds). Past it, claims not yet
#: decided are ``unverified`` ("the time limit for the whole check ran out").
DEFAULT_TIMEOUT = 120.0


def load_engine(name: str) -> Engine:
    module = importlib.import_module(f"{__package__}.engines.{name}.engine")
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
            if exc.name in (f"{__package__}.engines.{item}", f"{__package__}.engines.{item}.engine"):
                continue  # engine not part of this build
            out.append((item, None, f"engine {item!r} could not load: {exc}"))
        except Exception as exc:  # noqa: BLE001 - any load failure must fail closed
            out.append((item, None, f"engine {item!r} could not load: {exc}"))
    return out


def _log_failure(what: str, exc: BaseException) -> None:
    """One line at the default level (the reason is in the report too); the traceback
    only when debugging."""
    log.warning("%s: %s: %s", what, type(exc).__name__, exc)
    log.debug("%s", what, exc_info=exc)


def _fail_all(cands: Sequence[Candidate], method: str, reason: str) -> list[Claim]:
    return [Claim.unverified(c.text, c.span, c.kind, method, reason, engine_failed=True)
            for c in cands]


def _run_engine(engine: Engine, cands: Sequence[Candidate], ctx: Context) -> list[Claim]:
    if ctx.expired():
        return _fail_all(cands, engine.name, "not checked: the time limit for the whole check ran out")
    try:
        claims = list(engine.check(cands, ctx))
    except EngineError as exc:
        return _fail_all(cands, engine.name, str(exc))
    except Exception as exc:  # noqa: BLE001 - an engine crash is never a verdict
        _log_failure(f"engine {engine.name} failed", exc)
        return _fail_all(cands, engine.name, f"the {engine.name} engine failed: {type(exc).__name__}: {exc}")
    if len(claims) != len(cands) or not all(isinstance(c, Claim) for c in claims):
        return _fail_all(cands, engine.name, f"the {engine.name} engine returned malformed verdicts")
    return claims


def _nested(a: Span, b: Span) -> bool:
    """One span holds the other: two readings of one stretch of text. Spans that only
    share an end (``X = 536 - 278`` and ``536 - 278 = 2580``, two links of one chain) are
    two claims, not two readings of one."""
    return a.start <= b.start and b.end <= a.end or b.start <= a.start and a.end <= b.end


class _Spans:
    """Spans indexed by start, for "does any of them nest with this span" in logarithmic
    time (plus the spans starting inside it), so a 1,000-line invoice stays linear."""

    def __init__(self, spans: Iterable[Span] = ()) -> None:
        self.spans = sorted((s for s in spans if s.start < s.end), key=lambda s: (s.start, -s.end))
        self.starts = [s.start for s in self.spans]
        self.reach = list(itertools.accumulate((s.end for s in self.spans), max))

    def nests(self, span: Span) -> bool:
        i = bisect.bisect_right(self.starts, span.start)
        if i and self.reach[i - 1] >= span.end:  # a span starting no later reaches as far
            return True
        lo = bisect.bisect_left(self.starts, span.start)
        hi = bisect.bisect_right(self.starts, span.end)
        return any(s.end <= span.end for s in self.spans[lo:hi])  # a span inside it


def _find(name: str, engine: Engine, text: str, ctx: Context,
          errors: list[str], failed: list[str]) -> list[Candidate]:
    try:
        return list(engine.find(text, ctx))
    except Exception as exc:  # noqa: BLE001 - a finder crash leaves text unchecked
        _log_failure(f"engine {name} could not read the text", exc)
        errors.append(f"{name}: could not read the text: {type(exc).__name__}: {exc}")
        failed.append(errors[-1])
        return []


def _read(text: str, ctx: Context, names: Sequence[str | Engine], stages: list[str],
          errors: list[str], failed: list[str]) -> list[Claim]:
    """Every engine's claims, one reading per span (the rule is in the module docstring)."""
    owners: list[tuple[str, Claim]] = []
    rivals: list[tuple[str, Claim]] = []  # lower-ranked readings of owned spans
    owned: list[Span] = []
    for name, engine, load_error in _engines(names):
        if engine is None:
            errors.append(load_error or f"engine {name!r} unavailable")
            continue
        found = _find(name, engine, text, ctx, errors, failed)
        if not found:
            continue
        if owned:
            index = _Spans(owned)
            mine, nested = [], []
            for c in found:
                (nested if index.nests(_core(text, c.span)) else mine).append(c)
            # readings of spans owned by higher-ranked engines, where those decided something
            contested = _decided_nested(text, nested, [c for _, c in owners]) if nested else []
        else:
            mine, contested = found, []
        if mine:
            stages.append(name)
            verdicts = _run_engine(engine, mine, ctx)
            if any(c.detail.get("engine_failed") for c in verdicts):
                failed.append(f"{name}: {verdicts[0].explanation}")
            owners.extend((name, c) for c in verdicts)
        if contested:
            verdicts = _run_engine(engine, contested, ctx)
            if any(c.detail.get("engine_failed") for c in verdicts):
                errors.append(f"{name} (a second reading): {verdicts[0].explanation}")
            rivals.extend((name, c) for c in verdicts if c.status in _DECIDED)
        owned.extend(_core(text, c.span) for c in mine)
    return _arbitrate(text, owners, rivals)


_EDGES = " \t\r\n.,;:?"


def _core(text: str, span: Span) -> Span:
    """A span without the spaces and sentence punctuation at its edges: two engines that
    read one claim with or without its full stop (``3) = 2x + 5.``) read one span."""
    start, end = span.start, span.end
    while start < end and text[start] in _EDGES:
        start += 1
    while end > start and text[end - 1] in _EDGES:
        end -= 1
    return Span(start, end) if start < end else span


_DECIDED = ("verified", "refuted")


def _decided_nested(text: str, cands: Sequence[Candidate], claims: Sequence[Claim]) -> list[Candidate]:
    """The candidates nested with a decided claim (only those can disagree with it)."""
    decided = _Spans(_core(text, c.span) for c in claims if c.status in _DECIDED)
    return [c for c in cands if decided.nests(_core(text, c.span))]


def _reading(name: str, c: Claim) -> dict[str, Any]:
    out = {"engine": name, "kind": c.kind, "method": c.method, "status": c.status,
           "text": c.text, "span": c.span.to_dict(), "explanation": c.explanation}
    if c.correction is not None:
        out["correction"] = c.correction
    return out


def _disputes(owner: Claim, rival: Claim, owner_span: Span, rival_span: Span) -> bool:
    """Does a rival reading of a nested span leave the owner's verdict in doubt? Yes when
    they decide it opposite ways, except for a true part of a false whole: a refuted claim
    may hold a part that holds ("The smallest cube in the list is 2^3 = 8" is false while
    2^3 = 8 holds), so that refutation stands. A verified owner is always in doubt when a
    nested reading is refuted: a true whole cannot hold a false part, and a true part does
    not make a whole that another reading refutes true. Spans are compared without their
    edge punctuation (:func:`_core`)."""
    if owner.status == rival.status or owner.status not in _DECIDED or rival.status not in _DECIDED:
        return False
    true_part_of_false_whole = (owner.status == "refuted" and owner_span.start <= rival_span.start
                                and rival_span.end <= owner_span.end and owner_span != rival_span)
    return not true_part_of_false_whole


def _arbitrate(text: str, owners: Sequence[tuple[str, Claim]],
               rivals: Sequence[tuple[str, Claim]]) -> list[Claim]:
    """Each owner's claim, except where a rival reading of a nested span disputes it
    (:func:`_disputes`): then the claim is ``unverified`` with every reading."""
    if not rivals:
        return [c for _, c in owners]
    order = sorted(range(len(owners)), key=lambda k: owners[k][1].span.start)
    starts = [owners[k][1].span.start for k in order]
    longest = max((c.span.end - c.span.start for _, c in owners), default=0)
    cores = [_core(text, c.span) for _, c in owners]
    against: dict[int, list[tuple[str, Claim]]] = {}
    for rname, rival in rivals:
        theirs = _core(text, rival.span)
        lo = bisect.bisect_left(starts, rival.span.start - longest)
        hi = bisect.bisect_right(starts, rival.span.end)
        for k in order[lo:hi]:
            owner, claim = owners[k]
            mine = cores[k]
            if owner != rname and _nested(mine, theirs) and _disputes(claim, rival, mine, theirs):
                against.setdefault(k, []).append((rname, rival))
    out = []
    for k, (name, claim) in enumerate(owners):
        if k not in against:
            out.append(claim)
            continue
        readings = [_reading(name, claim)] + [_reading(n, r) for n, r in against[k]]
        said = "; ".join(f"{r['engine']} ({r['method']}) reads {r['text']!r} as {r['status']}: "
                         f"{r['explanation']}" for r in readings)
        out.append(Claim.unverified(
            claim.text, claim.span, claim.kind, claim.method,
            f"two readings of this text disagree, so it is not decided: {said}",
            readings=readings, owner=name))
    return out


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


def _coverage(text: str, claims: Sequence[Claim]) -> tuple[float, tuple[Span, ...]]:
    """The share of the answer's sentences holding a decided claim, and the sentences no
    claim touches at all (what a reader should know was not checked)."""
    units = sentence_units(text)
    if not units:
        return 0.0, ()

    def touching(spans: Iterable[Span]) -> Callable[[int, int], bool]:
        ordered = sorted(spans, key=lambda sp: sp.start)
        starts = [sp.start for sp in ordered]
        reach = list(itertools.accumulate((sp.end for sp in ordered), max))
        # a span touches [s, e) when it starts before e and reaches past s
        return lambda s, e: (i := bisect.bisect_left(starts, e)) > 0 and reach[i - 1] > s

    decided = touching(c.span for c in claims if c.status != "unverified")
    touched = touching(c.span for c in claims)
    covered = sum(decided(s, e) for s, e in units)
    untouched = tuple(Span(s, e) for s, e in units if not touched(s, e))
    return round(covered / len(units), 4), untouched


def check(text: str, *, question: str | None = None, evidence: Sequence[str] | None = None,
          kb: Retriever | str | Path | None = None, llm: Any = None, samples: int = 1,
          cove: bool = False, policy: str | Policy = "strict", timeout: float | None = None,
          engines: Sequence[str | Engine] | None = None, **options: Any) -> Report:
    """Check every claim in ``text`` and return a :class:`Report`.

    ``evidence`` is a list of passages the answer must be grounded in; ``kb`` a
    ``kb.KnowledgeBase`` or its path (or any :class:`~verify.engines.base.Retriever`); ``llm`` an adapter (see ``verify.llm``); ``timeout``
    bounds the whole check in seconds (default :data:`DEFAULT_TIMEOUT`; each engine call is
    bounded on its own too).
    """
    started = time.monotonic()
    if not isinstance(text, str):
        raise TypeError(f"check() needs the answer as str, got {type(text).__name__}")
    if len(text) > MAX_TEXT_CHARS:
        raise ValueError(f"answer too long to check: {len(text):,} characters "
                         f"(limit {MAX_TEXT_CHARS:,})")
    if evidence is not None and (isinstance(evidence, str) or not all(isinstance(e, str) for e in evidence)):
        raise TypeError("evidence must be a list of passages (str)")
    if timeout is None:
        timeout = DEFAULT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout >= 0:
        raise ValueError(f"timeout must be a number of seconds ≥ 0, got {timeout!r}")
    if samples < 1:
        raise ValueError("samples must be at least 1")
    if samples > 1 and llm is None:
        raise ValueError("samples > 1 needs an llm to sample answers from (check(..., llm=...))")
    pol = Policy.of(policy)
    if llm is not None:
        from .llm import as_llm  # a URL, model path, "default" or callable becomes an adapter
        llm = as_llm(llm)
    kb = open_kb(kb)
    norm = normalize(text)  # engines read the text as a reader sees it; spans map back
    if question is not None:
        question = normalize(question).text
    ctx = Context(question=question, evidence=tuple(evidence or ()), kb=kb, llm=llm,
                  budget=Budget(started + timeout, timeout, "the check"),
                  options=dict(options, samples=samples, cove=cove, policy=pol.name))

    stages: list[str] = []
    errors: list[str] = []
    failed: list[str] = []  # an engine or stage that crashed, timed out or misbehaved
    claims = _read(norm.text, ctx, engines or DEFAULT_ENGINES, stages, errors, failed)

    claims = sorted((restore(c, norm) for c in claims), key=lambda c: (c.span.start, c.span.end))
    claims, corrected = reverify_corrections(text, claims, None if _RECHECKING.get() else (
        lambda fixed: _recheck(fixed, question=question, evidence=evidence, kb=kb, llm=llm,
                               policy=pol, started=started, timeout=timeout, engines=engines,
                               **options)))
    extra: dict[str, Any] = {}
    models: dict[str, Any] = {"llm": getattr(llm, "name", type(llm).__name__)} if llm is not None else {}
    if samples > 1 and llm is not None:
        claim, corrected = _consistency_stage(text, ctx, corrected, extra, models,
                                              dict(llm=llm, policy=pol, engines=engines, **options))
        stages.append("consistency")
        claims.append(claim)
    if cove:
        stages.append("cove")
        try:
            claims, corrected = _cove_stage(text, ctx, claims, corrected, extra, models)
        except Exception as exc:  # noqa: BLE001 - a crashed stage is never a verdict
            _log_failure("chain-of-verification failed", exc)
            failed.append(f"chain-of-verification failed: {type(exc).__name__}: {exc}")
            errors.append(failed[-1])

    for c in claims:  # engines name the models they used in their claims' detail
        if isinstance(c.detail.get("models"), Mapping):
            models.update(c.detail["models"])
        if isinstance(c.detail.get("judge"), str):
            models.setdefault("judge", c.detail["judge"])
    status, reason = pol.decide(claims)
    if errors and status == "verified" and not claims:
        status, reason = "flagged", "nothing checkable; " + "; ".join(errors)
    if failed and status == "verified":
        status, reason = "flagged", "; ".join(failed)
    coverage, unchecked_sentences = _coverage(text, claims)
    return Report(
        status=status, text=text, corrected_text=corrected,
        claims=tuple(claims), unchecked=tuple(uncovered(text, [c.span for c in claims])),
        coverage=coverage, unchecked_sentences=unchecked_sentences,
        stages=tuple(stages), reason=reason,
        meta={"verity_version": __version__, "policy": pol.name,
              "elapsed_ms": round((time.monotonic() - started) * 1000, 3),
              "models": models, "kb_manifest": getattr(kb, "manifest", None) if kb is not None else None,
              "errors": errors, **extra},
    )


def _recheck(fixed: str, *, started: float, timeout: float | None, **kwargs: Any) -> Report:
    """``fixed`` checked like the original (same engines and settings, no sampling stages,
    within what is left of the time limit), without re-checking its own corrections."""
    token = _RECHECKING.set(True)
    try:
        left = None if timeout is None else max(0.0, timeout - (time.monotonic() - started))
        return check(fixed, timeout=left, **kwargs)
    finally:
        _RECHECKING.reset(token)


def _consistency_stage(text: str, ctx: Context, corrected: str, extra: dict[str, Any],
                       models: dict[str, Any], check_kwargs: dict[str, Any]) -> tuple[Claim, str]:
    """Self-consistency: sample, vote, and flag or correct the answer (``verify.stages.consistency``).

    The majority is re-checked with the same engines, policy and model (one sample, no
    CoVe) before it may become the correction; a whole-answer correction replaces the text.
    """
    from verify.stages.consistency import consistency_claim

    def check_majority(answer: str, **kw: Any) -> Report:
        return check(answer, **{**check_kwargs, **kw})

    claim, record = consistency_claim(text, ctx, check_majority)
    extra["consistency"] = record
    if record.get("method", "").startswith("string+embedding"):
        models["embedder"] = "all-MiniLM-L6-v2"
    if claim.status == "refuted" and claim.correction is not None:
        corrected = claim.correction
    return claim, corrected


def _cove_stage(text: str, ctx: Context, claims: list[Claim], corrected: str,
                extra: dict[str, Any], models: dict[str, Any]) -> tuple[list[Claim], str]:
    """Chain-of-verification (``verify.stages.cove``): its verdicts merged with the engines', and
    the revised answer as ``corrected_text`` (each sentence linked to its claims in
    ``meta.cove.sentences``). With nothing verified to build on, the text keeps the
    engines' corrections and ``meta.cove.revised`` is empty."""
    from verify.stages.cove import run_stage

    consistency = [c for c in claims if c.kind == "consistency"]
    result = run_stage(text, ctx, [c for c in claims if c.kind != "consistency"])
    record = dict(result.record)
    models["judge"] = record.get("judge")
    if result.revision.sentences:
        corrected = result.revision.text
    else:
        record["note"] = "no claim was verified, so there is no revised answer"
    extra["cove"] = record
    # the answer-level consistency claim stays last, so revision indices stay valid
    return list(result.claims) + consistency, corrected
