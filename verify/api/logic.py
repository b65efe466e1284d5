"""The logic front door: ``check_logic`` (do first-order premises entail, contradict, or leave
open a conclusion?) and ``check_program`` (a logic program an LLM wrote), with their typed
result :class:`LogicResult`.

    from verify import check_logic
    r = check_logic(["∀x (Man(x) → Mortal(x))", "Man(socrates)"], "Mortal(socrates)")
    r.answer, r.core      # ("entailed", (0, 1))

This module reads the user's input (options, limits, a program and its cross-checks) and
builds the public result; Z3 decides in :mod:`verify.engines.logic.solve` (the answers, cores
and models are described there). Input that cannot be read is an ``error`` answer naming
where, never an exception; bad options raise ``TypeError``/``ValueError``.
"""
from __future__ import annotations

import dataclasses
import re
import time
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from verify.api import require_timeout
from verify.engines.logic import fol
from verify.engines.logic import program as _program
from verify.engines.logic import validate as _validate
from verify.engines.logic.solve import DEFAULT_TIMEOUT, SYNTAXES, Decision, InputError, decide
from verify.normalize import normalize
from verify.report import SCHEMA_VERSION, freeze, thaw

__all__ = ["LogicResult", "check_logic", "check_program", "DEFAULT_TIMEOUT"]

MAX_PREMISES = 500

ANSWERS = ("entailed", "contradicted", "unknown", "inconsistent", "undecided", "error")
STATUS_OF = {"entailed": "verified", "contradicted": "refuted"}
WORLDS = ("open", "closed")
VERDICT_OF = {"entailed": "true", "contradicted": "false", "unknown": "unknown"}


@dataclass(frozen=True)
class LogicResult:
    """The verdict on one problem. ``status`` is the claim status of the conclusion
    (entailed → verified, contradicted → refuted, anything else → unverified)."""

    answer: str
    core: tuple[int, ...] = ()
    countermodel: Mapping[str, Any] | None = None
    supporting_model: Mapping[str, Any] | None = None
    explanation: str = ""
    id: str | None = None
    core_minimal: bool = True
    warnings: tuple[str, ...] = ()
    error: Mapping[str, Any] | None = None
    elapsed_ms: float = 0.0
    world: str = "open"
    validation: tuple[Mapping[str, Any], ...] = ()
    program: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.answer not in ANSWERS:
            raise ValueError(f"unknown logic answer {self.answer!r}")
        if self.world not in WORLDS:
            raise ValueError(f"world must be one of {WORLDS}, got {self.world!r}")
        object.__setattr__(self, "core", tuple(self.core))
        object.__setattr__(self, "warnings", tuple(self.warnings))
        object.__setattr__(self, "validation", tuple(freeze(dict(c)) for c in self.validation))
        for name in ("countermodel", "supporting_model", "error", "program"):
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, freeze(dict(value)))

    @property
    def validated(self) -> bool:
        """False when a cross-check with the source text failed and was not repaired."""
        return all(c["ok"] or c["repaired"] for c in self.validation)

    @property
    def status(self) -> str:
        """A failed translation check leaves the claim unverified, whatever Z3 says."""
        return STATUS_OF.get(self.answer, "unverified") if self.validated else "unverified"

    @property
    def verdict(self) -> str | None:
        """The answer to "is the conclusion true?": ``true``/``false``/``unknown``; in the
        closed world what is not entailed is ``false``. None when there is no answer
        (inconsistent, undecided, error)."""
        if self.answer == "unknown" and self.world == "closed":
            return "false"
        return VERDICT_OF.get(self.answer)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "answer": self.answer,
            "status": self.status,
            "core": list(self.core),
            "countermodel": thaw(self.countermodel),
            "supporting_model": thaw(self.supporting_model),
            "explanation": self.explanation,
            "core_minimal": self.core_minimal,
            "warnings": list(self.warnings),
            "error": thaw(self.error),
            "elapsed_ms": self.elapsed_ms,
            "world": self.world,
            "verdict": self.verdict,
            "validated": self.validated,
            "validation": [thaw(c) for c in self.validation],
            "program": thaw(self.program),
        }

    def __str__(self) -> str:
        head = f"{self.id}: " if self.id is not None else ""
        return f"{head}{self.answer.upper()} ({self.status}): {self.explanation}"


def _as_read(formula: Any) -> Any:
    """Text as a reader sees it (``verify.normalize``: no invisible characters, NFKC where
    safe), as ``check()`` reads it; formulas given as objects pass through."""
    return normalize(formula).text if isinstance(formula, str) else formula


def check_logic(premises: Sequence[Any], conclusion: Any, *, timeout: float = DEFAULT_TIMEOUT,
                syntax: str = "auto", repair: bool = False, id: str | None = None,
                world: str = "open") -> LogicResult:
    """Decide whether ``premises`` entail, contradict or leave open ``conclusion``.

    Each formula is FOL text, a JSON-form dict, a ``verify.engines.logic.fol`` formula, or
    SMT-LIB 2 text (``syntax="auto"`` tells them apart; force with ``"fol"``/``"smtlib"``).
    ``timeout`` (seconds) bounds every Z3 call; core minimisation and model shrinking share
    one more ``timeout`` of budget, so a check takes at most about four times ``timeout``.
    ``repair=True`` accepts the annotation slips listed in :func:`fol.parse_full`
    and reports each in ``warnings``; leave it off for untrusted translations.
    ``world`` sets how ``verdict`` reads an ``unknown``: ``"open"`` (classical: unknown) or
    ``"closed"`` (what the premises do not entail is false, as Pyke and ProntoQA assume);
    ``answer`` and ``status`` are the classical ones either way.
    Safe to call from many threads: each call builds its own Z3 context.
    """
    started = time.monotonic()
    if world not in WORLDS:
        raise ValueError(f"world must be one of {WORLDS}, got {world!r}")
    if isinstance(premises, (str, bytes, Mapping)) or not isinstance(premises, Sequence):
        raise TypeError("premises must be a list of formulas, got "
                        f"{type(premises).__name__}")
    if syntax not in SYNTAXES:
        raise ValueError(f"syntax must be one of {SYNTAXES}, got {syntax!r}")
    require_timeout(timeout)

    def done(**kw: Any) -> LogicResult:
        return LogicResult(id=id, world=world,
                           elapsed_ms=round((time.monotonic() - started) * 1000, 3), **kw)

    try:
        if len(premises) > MAX_PREMISES:
            raise InputError("the premises", f"too many premises ({len(premises)}; "
                                             f"limit {MAX_PREMISES})")
        decision = decide([_as_read(p) for p in premises], _as_read(conclusion),
                          timeout=timeout, syntax=syntax, repair=repair)
    except InputError as exc:
        return done(answer="error", explanation=str(exc), error=exc.detail,
                    warnings=exc.warnings)
    return done(**{f.name: getattr(decision, f.name) for f in dataclasses.fields(Decision)})


def check_program(program: str, *, context: str | None = None, question: str | None = None,
                  world: str = "open", repair: bool = False, timeout: float = DEFAULT_TIMEOUT,
                  id: str | None = None) -> LogicResult:
    """Run a logic program an LLM wrote (Logic-LM's rule or FOL format, see
    :mod:`verify.engines.logic.program`) and decide its query.

    With ``question`` the query is cross-checked against it (its names occur in the
    statement; its polarity matches the statement's "not", repaired when unambiguous and
    reported as repaired); with ``context`` every premise must map to a sentence of it, and
    its sentences in controlled English are read into the program's vocabulary: one no
    premise states is added, a premise that mistranslates one is replaced or dropped
    (:mod:`verify.engines.logic.controlled`), each reported as repaired. In rule programs the
    question's statement is read the same way and a query saying something else is
    replaced by it. A failed check is in ``validation`` and leaves ``status`` unverified. A program that
    cannot be read is an ``error`` naming the line; one Z3 cannot decide in ``timeout`` is
    ``undecided``: never a guess. ``world`` as in :func:`check_logic`. In the result,
    ``program`` lists the premises with their line numbers (``core`` indexes them).
    """
    started = time.monotonic()
    if world not in WORLDS:
        raise ValueError(f"world must be one of {WORLDS}, got {world!r}")
    require_timeout(timeout)
    for name, value in (("context", context), ("question", question)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{name} must be text, got {type(value).__name__}")
    program, context, question = _as_read(program), _as_read(context), _as_read(question)
    try:
        prog = _program.read_program(program, repair=repair, question=question)
    except _program.ProgramError as exc:
        return LogicResult(answer="error", explanation=f"the program, {exc}", id=id,
                           world=world, error={"where": "the program", **exc.to_dict()},
                           elapsed_ms=round((time.monotonic() - started) * 1000, 3))
    query = prog.query.formula
    checks: list[_validate.Check] = []
    if question is not None:
        query, found = _validate.check_query(prog.query, question)
        checks += found
        if prog.format == "rules":
            query, found = _validate.check_query_reading(
                prog, query, _program.statement_of(question))
            checks += found
    premises = prog.premises
    if context is not None:
        checks += _validate.check_premises(prog.premises, context)
        premises, read = _validate.cross_check(prog, context)
        checks += read
    result = check_logic([p.formula for p in premises], query, timeout=timeout, id=id,
                         world=world)
    summary = {"format": prog.format,
               "premises": [{"line": p.line or None, "formula": fol.to_text(p.formula),
                             **({"source": p.comment} if not p.line else {})}
                            for p in premises],
               "query": {"line": prog.query.line, "formula": fol.to_text(query)}}
    warnings = list(prog.notes) + [f"{c.message} (repaired)" for c in checks if c.repaired]
    lines = [f"line {p.line}" if p.line else "from the context" for p in premises]
    explanation = re.sub(  # "premise 3" → "premise 3 (line 12)": where to look in the program
        r"\bpremise (\d+)\b", lambda m: f"{m.group(0)} ({lines[int(m.group(1))]})",
        result.explanation) if result.answer == "error" else result.explanation
    return dataclasses.replace(
        result, warnings=tuple(warnings) + result.warnings, explanation=explanation,
        validation=tuple(c.to_dict() for c in checks), program=summary,
        elapsed_ms=round((time.monotonic() - started) * 1000, 3))
