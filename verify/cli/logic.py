"""verity logic FILE [--json] [--timeout S] [--repair] [--syntax auto|fol|smtlib]
[--world open|closed]

FILE (``-`` = stdin) is one JSON problem or JSON Lines of them, each with an optional
``id``, in one of two shapes:

- ``{"premises": [...], "conclusion": "..."}``. FOLIO records work as they are: their
  ``premises-FOL``/``conclusion-FOL`` win over ``premises``/``conclusion`` (which hold the
  English text there). A formula is FOL text, SMT-LIB 2 text, or the JSON form of the AST.
- ``{"program": "...", "context": "...", "question": "..."}``: a logic program as an LLM
  writes it (Logic-LM's rule or FOL format, :mod:`verify.engines.logic.program`); the optional
  ``context``/``question`` turn on translation validation (:func:`verify.api.logic.check_program`).

``--world closed`` reads a conclusion the premises do not entail as false (the ``verdict``);
the default ``open`` keeps it unknown. Exit 0 when every problem is entailed, 1 otherwise
or on any bad record, 2 when the input cannot be read at all.
"""
from __future__ import annotations

import argparse
from typing import Any, Iterator

from verify.api.records import logic_record
from verify.batch import iter_json_records

from ._io import UsageError, read_file, run_batch


def register(sub: argparse._SubParsersAction) -> None:
    from verify.api.logic import DEFAULT_TIMEOUT

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
                     lambda rid, obj: logic_record(rid, obj, args.timeout, args.repair, args.syntax,
                                            args.world),
                     args.json, render, ok=lambda r: r.get("answer") == "entailed")
