"""The verdict model: what every engine returns and every user reads.

Everything here is frozen and serialises to the JSON shape fixed in CONTRACTS.md
(``schema_version`` 1). Engines build :class:`Claim` objects; the pipeline assembles them
into a :class:`Report` and decides its status with a :class:`Policy`.
"""
from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Mapping, Sequence  # abc, not typing: isinstance is hot here
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal

SCHEMA_VERSION = 1

ClaimStatus = Literal["verified", "refuted", "unverified"]
ReportStatus = Literal["verified", "corrected", "flagged"]
CLAIM_STATUSES: tuple[str, ...] = ("verified", "refuted", "unverified")
REPORT_STATUSES: tuple[str, ...] = ("verified", "corrected", "flagged")


_ATOMS = frozenset({str, int, float, bool, type(None)})


def freeze(value: Any) -> Any:
    """Deep-freeze JSON-like data so a frozen dataclass is frozen all the way down: a
    mapping becomes a read-only ``MappingProxyType`` (keys as strings), a list or tuple a
    tuple, recursively; anything else is kept. A result type calls it in ``__post_init__``
    on its mapping fields (``object.__setattr__(self, "detail", freeze(dict(self.detail)))``)."""
    if type(value) in _ATOMS:  # the common case first: isinstance on an ABC is slow
        return value
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """The inverse of :func:`freeze`, for JSON output (``to_dict``): read-only mappings
    become dicts, tuples lists, and an object with ``to_dict`` its dict."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value


@dataclass(frozen=True)
class Span:
    """0-based character offsets into the original text, end exclusive."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start <= self.end):
            raise ValueError(f"invalid span {self.start}..{self.end}")

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end

    def to_dict(self) -> dict[str, int]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class Evidence:
    """What a verdict rests on: a computation, a solver answer, or a cited passage."""

    text: str
    source: str | None = None
    citation: Any = None  # a kb Citation (has to_dict()) or a plain mapping

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source": self.source, "citation": thaw(self.citation)}


@dataclass(frozen=True)
class Claim:
    """One checked statement of an answer, with its verdict.

    ``status`` is ``verified`` only when ``evidence`` holds the proof: the constructor
    refuses anything else, so no engine can return a bare "verified".
    """

    text: str
    span: Span
    kind: str
    status: ClaimStatus
    method: str
    explanation: str
    correction: str | None = None
    evidence: tuple[Evidence, ...] = ()
    detail: Mapping[str, Any] = field(default_factory=dict)
    correction_span: Span | None = None  # the part of the text `correction` replaces

    def __post_init__(self) -> None:
        if self.status not in CLAIM_STATUSES:
            raise ValueError(f"unknown claim status {self.status!r}")
        ev = tuple(self.evidence)
        if not all(isinstance(e, Evidence) for e in ev):
            raise TypeError("Claim.evidence must hold Evidence objects")
        object.__setattr__(self, "evidence", ev)
        object.__setattr__(self, "detail", freeze(dict(self.detail)))
        if self.status == "verified" and not ev:
            raise ValueError("a verified claim needs the evidence that proves it")
        cs = self.correction_span
        if cs is not None and not (self.span.start <= cs.start and cs.end <= self.span.end):
            raise ValueError("correction_span must lie inside the claim's span")

    @property
    def replaced_span(self) -> Span:
        """Where ``correction`` goes in the original text."""
        return self.correction_span or self.span

    # Builders keep engines short and make the fail-closed path the easy one.
    @classmethod
    def unverified(cls, text: str, span: Span, kind: str, method: str, reason: str,
                   **detail: Any) -> "Claim":
        return cls(text=text, span=span, kind=kind, status="unverified", method=method,
                   explanation=reason, detail=detail)

    def with_(self, **changes: Any) -> "Claim":
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "span": self.span.to_dict(),
            "kind": self.kind,
            "status": self.status,
            "method": self.method,
            "correction": self.correction,
            "evidence": [e.to_dict() for e in self.evidence],
            "explanation": self.explanation,
            "detail": thaw(self.detail),
            "correction_span": self.correction_span.to_dict() if self.correction_span else None,
        }

    def __str__(self) -> str:
        mark = {"verified": "✓", "refuted": "✗", "unverified": "?"}[self.status]
        fix = f" → {self.correction}" if self.correction is not None else ""
        return f"{mark} [{self.kind}/{self.method}] {self.text}{fix}: {self.explanation}"


@dataclass(frozen=True)
class Policy:
    """When a whole answer counts as verified.

    - ``require_claims``: an answer with no checkable claim is ``flagged`` ("nothing
      checkable") when true, ``verified`` when false.
    - ``allow_unverified``: when false (the default), any claim left ``unverified`` flags
      the answer; when true, unverified claims are reported but do not block.
    """

    name: str = "strict"
    require_claims: bool = True
    allow_unverified: bool = False

    @classmethod
    def of(cls, policy: "str | Policy") -> "Policy":
        if isinstance(policy, Policy):
            return policy
        try:
            return POLICIES[policy]
        except KeyError:
            raise ValueError(f"unknown policy {policy!r}; use one of {sorted(POLICIES)} "
                             "or a verify.Policy") from None

    def decide(self, claims: Sequence[Claim]) -> tuple[ReportStatus, str]:
        """The report status and the one-sentence reason for it."""
        if not claims:
            if self.require_claims:
                return "flagged", "nothing checkable: no claim in the answer could be checked"
            return "verified", "nothing checkable (accepted by the lenient policy)"
        refuted = [c for c in claims if c.status == "refuted"]
        unverified = [c for c in claims if c.status == "unverified"]
        if unverified and not self.allow_unverified:
            return "flagged", f"{len(unverified)} claim(s) could not be verified"
        if refuted:
            if all(c.correction is not None for c in refuted):
                return "corrected", f"{len(refuted)} claim(s) refuted and corrected"
            return "flagged", "a refuted claim has no correction"
        return "verified", f"all {len(claims) - len(unverified)} checked claim(s) verified"


POLICIES: dict[str, Policy] = {
    "strict": Policy("strict", require_claims=True, allow_unverified=False),
    "lenient": Policy("lenient", require_claims=False, allow_unverified=False),
    "permissive": Policy("permissive", require_claims=False, allow_unverified=True),
}


@dataclass(frozen=True)
class Report:
    """The verdict on one answer: status, the corrected text, and every claim."""

    status: ReportStatus
    text: str
    corrected_text: str
    claims: tuple[Claim, ...] = ()
    unchecked: tuple[Span, ...] = ()
    stages: tuple[str, ...] = ()
    reason: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)
    schema_version: int = SCHEMA_VERSION
    #: Share of the answer's sentences holding a decided (verified or refuted) claim.
    coverage: float = 0.0
    #: The answer's sentences (lines, in a worked solution) that no claim touches.
    unchecked_sentences: tuple[Span, ...] = ()

    def __post_init__(self) -> None:
        if self.status not in REPORT_STATUSES:
            raise ValueError(f"unknown report status {self.status!r}")
        object.__setattr__(self, "claims", tuple(self.claims))
        object.__setattr__(self, "unchecked", tuple(self.unchecked))
        object.__setattr__(self, "unchecked_sentences", tuple(self.unchecked_sentences))
        object.__setattr__(self, "stages", tuple(self.stages))
        object.__setattr__(self, "meta", freeze(dict(self.meta)))
        if self.status == "verified" and any(c.status == "refuted" for c in self.claims):
            raise ValueError("a report with a refuted claim cannot be verified")

    @property
    def ok(self) -> bool:
        return self.status == "verified"

    @property
    def refuted(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.status == "refuted")

    @property
    def unverified(self) -> tuple[Claim, ...]:
        return tuple(c for c in self.claims if c.status == "unverified")

    def summary(self) -> str:
        """A short plain-text account of the problems, for logs and for re-asking a model."""
        lines = [f"Verity: {self.status} ({self.reason})" if self.reason
                 else f"Verity: {self.status}"]
        for c in self.claims:
            if c.status != "verified":
                fix = f" Correct value: {c.correction}." if c.correction is not None else ""
                lines.append(f"- {c.status}: \"{c.text}\". {c.explanation}{fix}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": self.schema_version,
            "status": self.status,
            "reason": self.reason,
            "text": self.text,
            "corrected_text": self.corrected_text,
            "claims": [c.to_dict() for c in self.claims],
            "unchecked": [s.to_dict() for s in self.unchecked],
            "coverage": self.coverage,
            "unchecked_sentences": [s.to_dict() for s in self.unchecked_sentences],
            "stages": list(self.stages),
            "meta": thaw(self.meta),
        }

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    def __str__(self) -> str:
        n = len(self.claims)
        head = f"{self.status.upper()} {n} claim{'' if n == 1 else 's'}"
        if self.unchecked_sentences:
            head += " · not checked: " + "; ".join(
                f'"{_clip(self.text[s.start:s.end])}"' for s in self.unchecked_sentences)
        out = [head] + ([f"  {self.reason}"] if self.reason else [])
        out += [f"  {c}" for c in self.claims]
        if self.corrected_text != self.text:
            out.append(f"  corrected: {self.corrected_text}")
        return "\n".join(out)


def _clip(sentence: str, limit: int = 80) -> str:
    flat = " ".join(sentence.split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def apply_corrections(text: str, claims: Sequence[Claim]) -> str:
    """Replace each refuted claim's span by its correction (spans must not overlap)."""
    fixes = sorted((c for c in claims if c.status == "refuted" and c.correction is not None),
                   key=lambda c: c.replaced_span.start)
    out, pos = [], 0
    for c in fixes:
        where = c.replaced_span
        if where.start < pos:  # overlapping fixes: keep the first, never garble the text
            continue
        out.append(text[pos:where.start])
        out.append(c.correction)
        pos = where.end
    out.append(text[pos:])
    return "".join(out)


def _fix_groups(claims: Sequence[Claim]) -> list[tuple[Span, str, list[int]]]:
    """The distinct edits the refuted claims propose, in text order: (where, replacement,
    indices of the claims proposing it). Links of one chain often propose the same edit."""
    groups: dict[tuple[int, int, str], list[int]] = {}
    for k, c in enumerate(claims):
        if c.status == "refuted" and c.correction is not None:
            where = c.replaced_span
            groups.setdefault((where.start, where.end, c.correction), []).append(k)
    return [(Span(s, e), rep, ks) for (s, e, rep), ks in sorted(groups.items())]


def _drop_correction(claim: Claim, why: str) -> Claim:
    return claim.with_(correction=None, correction_span=None,
                       detail={**claim.detail, "correction_dropped": why})


#: Rounds of re-checking before every correction of an answer is given up.
MAX_RECHECKS = 3


def reverify_corrections(text: str, claims: Sequence[Claim],
                         recheck: "Callable[[str], Report] | None") -> tuple[list[Claim], str]:
    """Keep only the corrections that re-verify; return the claims and ``corrected_text``.

    A correction is itself a claim. It stands only when (1) it touches no span that verified,
    and (2) ``recheck`` (the same check, same settings, on the corrected text) verifies every
    claim over the corrected part and refutes nothing the original text did not. A failing
    correction is dropped: its claim stays refuted, without one. Dropping one may change what
    the others rely on, so the check repeats (at most :data:`MAX_RECHECKS` times, then every
    correction goes). ``recheck=None`` (inside a re-check) applies the corrections as they are.
    """
    claims = list(claims)
    if recheck is None or not _fix_groups(claims):
        return claims, apply_corrections(text, claims)
    verified = sorted((c.span for c in claims if c.status == "verified"), key=lambda s: s.start)
    v_starts = [v.start for v in verified]
    v_longest = max((v.end - v.start for v in verified), default=0)
    for k, c in enumerate(claims):
        if c.status == "refuted" and c.correction is not None:
            where = c.replaced_span
            near = verified[bisect_left(v_starts, where.start - v_longest):
                            bisect_right(v_starts, where.end)]
            if any(where.overlaps(v) for v in near):
                claims[k] = _drop_correction(c, "it would change text that verified")
    original_refuted = {(c.span.start, c.span.end) for c in claims if c.status == "refuted"}
    for _ in range(MAX_RECHECKS):
        groups = _fix_groups(claims)
        if not groups:
            return claims, text
        failing: dict[int, str] = {}
        pieces, pos, shift = [], 0, 0
        placed: list[tuple[Span, list[int]]] = []  # each applied edit, in corrected offsets
        moves: list[tuple[int, int, int]] = []  # (original end, corrected end, shift after)
        for where, rep, ks in groups:
            if where.start < pos:  # overlaps an edit already made: cannot be applied too
                failing.update((k, "it overlaps another correction") for k in ks)
                continue
            pieces.append(text[pos:where.start])
            new_start = where.start + shift
            pieces.append(rep)
            shift += len(rep) - (where.end - where.start)
            pos = where.end
            placed.append((Span(new_start, new_start + len(rep)), ks))
            moves.append((where.end, where.end + shift, shift))
        pieces.append(text[pos:])
        corrected = "".join(pieces)
        if not failing:
            again = sorted(recheck(corrected).claims, key=lambda c: c.span.start)
            starts = [c.span.start for c in again]
            longest = max((c.span.end - c.span.start for c in again), default=0)
            touched: set[int] = set()
            for at, ks in placed:  # the re-checked claims over each edit must all verify
                lo = bisect_left(starts, at.start - longest)
                hi = bisect_right(starts, at.end)
                over = [m for m in range(lo, hi) if again[m].span.overlaps(at) or (
                    at.start == at.end and again[m].span.start <= at.start < again[m].span.end)]
                touched.update(over)
                if not over or any(again[m].status != "verified" for m in over):
                    failing.update((k, "the corrected text does not verify it") for k in ks)
            ends = [new_end for _, new_end, _ in moves]
            for m, c in enumerate(again):  # and nothing else may become refuted
                if c.status != "refuted" or m in touched:
                    continue
                before = bisect_right(ends, c.span.start)
                back = moves[before - 1][2] if before else 0
                if (c.span.start - back, c.span.end - back) not in original_refuted:
                    failing.update((k, "the corrected text has a new refutation")
                                   for _, ks in placed for k in ks)
                    break
        if not failing:
            return claims, corrected
        for k, why in failing.items():
            claims[k] = _drop_correction(claims[k], why)
    claims = [_drop_correction(c, "the corrections did not settle") if c.correction is not None
              and c.status == "refuted" else c for c in claims]
    return claims, text
