"""One JSON record in, one result dict out, for each front door: the functions the CLI verbs
(``verity math|invoice|logic``) and the REST API (``/v1/math|invoice|logic``) share, so a
reply is byte-for-byte what ``verity … --json`` prints. A record that is wrong (a missing or
mistyped field) gives an error record naming the problem, never an exception.
"""
from __future__ import annotations

from typing import Any, Mapping

from verify.batch import error_record, optional_str

_FORMULA_TYPES = (str, Mapping)


def math_record(record_id: str, obj: Mapping[str, Any], timeout: float, steps: bool) -> dict[str, Any]:
    """``{"question"?, "answer", "reference"?}`` → the ``check_math`` result dict."""
    from .math import check_math

    try:
        answer = obj.get("answer")
        if answer is None:
            raise ValueError("missing 'answer'")
        if not isinstance(answer, (str, list)) or (isinstance(answer, list) and
                                                  not all(isinstance(s, str) for s in answer)):
            raise ValueError("'answer' must be a string or a list of strings (the steps)")
        question = optional_str(obj, "question")
        reference = optional_str(obj, "reference")
        result = check_math(question, answer, reference, timeout=timeout, steps=steps, id=record_id)
    except (ValueError, TypeError) as exc:
        return error_record(record_id, str(exc))
    return result.to_dict()


def invoice_record(record_id: str, obj: Any, **opts: Any) -> dict[str, Any]:
    """One invoice (a parsed ``Invoice``, a JSON object, ``{"id", "invoice": ...}`` or
    plain text) → its result dict; ``opts`` are ``check_invoice``'s keywords."""
    from verify.engines.invoice.model import Invoice

    from .invoice import check_invoice, check_parsed

    if isinstance(obj, Invoice):
        return check_parsed(obj, id=record_id, **opts).to_dict()
    if isinstance(obj, dict) and isinstance(obj.get("invoice"), (dict, str)):
        obj = obj["invoice"]
    return check_invoice(obj, id=record_id, **opts).to_dict()


def logic_record(record_id: str, obj: Mapping[str, Any], timeout: float, repair: bool,
                 syntax: str, world: str = "open") -> dict[str, Any]:
    """``{"premises", "conclusion"}`` (FOLIO's ``*-FOL`` keys win) or ``{"program",
    "context"?, "question"?}`` → the ``check_logic`` / ``check_program`` result dict."""
    from .logic import check_logic, check_program

    try:
        if "program" in obj:
            program, context, question = _program_of(obj)
            return check_program(program, context=context, question=question, world=world,
                                 repair=repair, timeout=timeout, id=record_id).to_dict()
        premises, conclusion = _problem_of(obj)
    except ValueError as exc:
        return error_record(record_id, str(exc))
    result = check_logic(premises, conclusion, timeout=timeout, repair=repair, syntax=syntax,
                         id=record_id, world=world)
    return result.to_dict()


def _field(obj: Mapping[str, Any], fol_key: str, key: str) -> tuple[str, Any]:
    if fol_key in obj:
        return fol_key, obj[fol_key]
    if key in obj:
        return key, obj[key]
    raise ValueError(f"missing {key!r} (or {fol_key!r}); a program record has 'program'")


def _problem_of(obj: Mapping[str, Any]) -> tuple[list[Any], Any]:
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
