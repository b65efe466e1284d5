"""verity logic FILE [--json] [--timeout S] [--repair] [--syntax auto|fol|smtlib]
[--world open|closed]

FILE (``-`` = stdin) is one JSON problem or JSON Lines of them, each with an optional
``id``, in one of two shapes:

- ``{"premises": [...], "conclusion": "..."}``. FOLIO records work as they are: their
  ``premises-FOL``/``conclusion-FOL`` win over ``premises``/``conclusion`` (which hold the
  English text there). A formula is FOL text, SMT-LIB 2 text, or the JSON form of the AST.
- ``{"program": "...", "context": "...", "question": "..."}``: a logic program as an LLM
  writes it (Logic-LM's rule or FOL format, :mod:`verify.engines.logic.program`); the optional
  ``context``/``question`` turn on translation validation (:func:`verify.engines.logic.solve.check_program`).

``--world closed`` reads a conclusion the premises do not entail as false (the ``verdict``);
the default ``open`` keeps it unknown. Exit 0 when every problem is entailed, 1 otherwise
or on any bad record, 2 when the input cannot be read at all.
"""
from __future__ import annotations

import argparse
from typing import Any, Iterator, Mapping

from ._io import UsageError, error_record, iter_json_records, read_file, run_batch

_FORMULA_TYPES = (str, Mapping)


def register(sub: argparse._SubParsersAction) -> None:
    from verify.engines.logic.solve import DEFAULT_TIMEOUT

    p = sub.add_parser(
        "logic", help="decide whether premises entail a conclusion (first-order logic, Z3)",
        description="Decide entailed / contradicted / unknown / inconsistent / undecided for "
                    "each problem in FILE: JSON {\"premises\": [...], \"conclusion\": \"...\"} "
                    "or JSON Lines (optional \"id\"); - reads standard input.")
    p.add_argument("file", help="JSON or JSON Lines problems, or - for standard input")
    p.add_argument("--json", action="store_true", help="print one JSON object per problem")
    p.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT,
                   help=f"seconds per solver call (default {DEFAULT_TIMEOUT:g})")
    p.add_argument("--repair", action="store_true",
                   help="accept annotation slips (stray parentheses, ',' for ∧, ...) and "
                        "report each one")
    p.add_argument("--syntax", choices=["auto", "fol", "smtlib"], default="auto",
                   help="formula syntax (default: auto — '(' + s-expression = SMT-LIB)")
    p.add_argument("--world", choices=["open", "closed"], default="open",
                   help="open (default): what is not entailed or contradicted is unknown; "
                        "closed: what is not entailed is false (Pyke, ProntoQA)")
    p.set_defaults(func=run)


def _field(obj: Mapping[str, Any], fol_key: str, key: str) -> tuple[str, Any]:
    if fol_key in obj:
        return fol_key, obj[fol_key]
    if key in obj:
        return key, obj[key]
    raise ValueError(f"missing {key!r} (or {fol_key!r}); a program record has 'program'")


def problem_of(obj: Mapping[str, Any]) -> tuple[list[Any], Any]:
    """The premises and conclusion of one record; ValueError names what is wrong."""
    pkey, premises = _field(obj, "premises-FOL", "premises")
    ckey, conclusion = _field(obj, "conclusion-FOL", "conclusion")
    if not isinstance(premises, list):
        raise ValueError(f"{pkey!r} must be a list of formulas, got {type(premises).__name__}")
    for i, p in enumerate(premises):
        if not isinstance(p, _FORMULA_TYPES):
            raise ValueError(f"{pkey}[{i}] must be a formula (string or JSON object), "
                             f"got {type(p).__name__}")
    if not isinstance(conclusion, _FORMULA_TYPES):
        raise ValueError(f"{ckey!r} must be a formula (string or JSON object), "
                         f"got {type(conclusion).__name__}")
    return premises, conclusion


def _program_of(obj: Mapping[str, Any]) -> tuple[str, str | None, str | None]:
    """The program, context and question of a program record; ValueError names what is
    wrong."""
    out = []
    for key in ("program", "context", "question"):
        value = obj.get(key)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{key!r} must be text, got {type(value).__name__}")
        out.append(value)
    return out[0], out[1], out[2]


def solve(record_id: str, obj: Mapping[str, Any], timeout: float, repair: bool,
          syntax: str, world: str = "open") -> dict[str, Any]:
    from verify.engines.logic.solve import check_logic, check_program

    try:
        if "program" in obj:
            program, context, question = _program_of(obj)
            return check_program(program, context=context, question=question, world=world,
                                 repair=repair, timeout=timeout, id=record_id).to_dict()
        premises, conclusion = problem_of(obj)
    except ValueError as exc:
        return error_record(record_id, str(exc))
    result = check_logic(premises, conclusion, timeout=timeout, repair=repair, syntax=syntax,
                         id=record_id, world=world)
    return result.to_dict()


def render(result: dict[str, Any]) -> str:
    verdict = (f"; {result['verdict']} in the {result['world']} world"
               if result.get("verdict") else "")
    lines = [f"{result['id']}: {result['answer'].upper()} ({result['status']}{verdict}): "
             f"{result['explanation']}"]
    lines += [f"  warning: {w}" for w in result.get("warnings", ())]
    lines += [f"  validation failed: {c['message']}" for c in result.get("validation", ())
              if not c["ok"] and not c["repaired"]]
    return "\n".join(lines)


def _guarded(records: Iterator[tuple[str, Any, str | None]]) -> Iterator[tuple[str, Any, str | None]]:
    """JSON nested deeper than Python's parser allows is unreadable input, not a crash."""
    try:
        yield from records
    except RecursionError:
        raise UsageError("input is nested too deeply to read as JSON") from None


def run(args: argparse.Namespace) -> int:
    if not args.timeout > 0:
        raise UsageError("--timeout must be a positive number of seconds")
    text = read_file(args.file)
    source = "standard input" if args.file == "-" else args.file
    records = _guarded(iter_json_records(text, source))
    return run_batch(records,
                     lambda rid, obj: solve(rid, obj, args.timeout, args.repair, args.syntax,
                                            args.world),
                     args.json, render, ok=lambda r: r.get("answer") == "entailed")
