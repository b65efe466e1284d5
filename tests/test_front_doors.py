"""The front doors are built one way (see ``verify/api/__init__.py``): main inputs then
keyword-only options with a default ``timeout``, bad options a ``TypeError``/``ValueError``
naming the option, a frozen result with ``to_dict()``; the engine decides, the door owns the
public result (the logic door over ``engines.logic.solve.decide``)."""
from __future__ import annotations

import dataclasses
import inspect
import math

import pytest

import verify
from verify.api import ask as ask_module
from verify.api import invoice, logic
from verify.api import math as math_door
from verify.engines.logic import solve
from verify.report import SCHEMA_VERSION

DOORS = {
    "check_math": (verify.check_math, ("question", "answer", "reference")),
    "check_invoice": (verify.check_invoice, ("invoice",)),
    "check_logic": (verify.check_logic, ("premises", "conclusion")),
    "check_program": (verify.check_program, ("program",)),
    "ask": (ask_module.ask, ("question",)),
}
CALLS = {
    "check_math": lambda **kw: verify.check_math("What is 1 + 1?", "1 + 1 = 2", "2", **kw),
    "check_invoice": lambda **kw: verify.check_invoice({"subtotal": "5", "total": "5"}, **kw),
    "check_logic": lambda **kw: verify.check_logic(["P(a)"], "P(a)", **kw),
    "check_program": lambda **kw: verify.check_program("not a program", **kw),
    "ask": lambda **kw: ask_module.ask("Where?", kb="/nonexistent/kb", llm=None, **kw),
}


@pytest.mark.parametrize("name", DOORS)
def test_every_option_after_the_main_inputs_is_keyword_only_with_a_default_timeout(name):
    door, inputs = DOORS[name]
    params = inspect.signature(door).parameters.values()
    positional = tuple(p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD)
    keyword = {p.name: p for p in params if p.kind is p.KEYWORD_ONLY}
    assert positional == inputs
    assert "timeout" in keyword and keyword["timeout"].default is not inspect.Parameter.empty


@pytest.mark.parametrize("name", DOORS)
@pytest.mark.parametrize("timeout, error", [
    ("5", TypeError), (True, TypeError), (0, ValueError), (-1.5, ValueError),
    (math.nan, ValueError), (math.inf, ValueError)])
def test_a_bad_timeout_is_a_clear_error_naming_it_before_any_work(name, timeout, error):
    with pytest.raises(error, match="timeout must be"):
        CALLS[name](timeout=timeout)


def test_an_invoice_currency_that_is_not_text_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="currency must be an ISO 4217 code"):
        verify.check_invoice({"subtotal": "5", "total": "5"}, currency=978)


@pytest.mark.parametrize("name", ["check_math", "check_invoice", "check_logic"])
def test_each_checker_returns_a_frozen_result_whose_dict_carries_the_schema_version(name):
    result = CALLS[name]()
    assert dataclasses.is_dataclass(result) and type(result).__dataclass_params__.frozen
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.id = "changed"
    assert result.to_dict()["schema_version"] == SCHEMA_VERSION


def test_the_public_names_live_in_the_doors_and_are_exported_by_verify():
    assert verify.LogicResult is logic.LogicResult
    assert verify.check_logic is logic.check_logic and verify.check_program is logic.check_program
    assert verify.InvoiceReport is invoice.InvoiceReport and verify.MathReport is math_door.MathReport
    assert not hasattr(solve, "LogicResult") and not hasattr(solve, "check_logic")


def test_the_logic_engine_decides_and_the_door_adds_id_world_and_timing():
    premises, conclusion = ["∀x (Bird(x) → Flies(x))", "Bird(tweety)"], "¬Flies(tweety)"
    decision = solve.decide(premises, conclusion, timeout=5.0)
    assert isinstance(decision, solve.Decision) and decision.answer == "contradicted"
    result = verify.check_logic(premises, conclusion, id="p1", world="closed")
    assert (result.answer, result.core, result.explanation) == \
        (decision.answer, decision.core, decision.explanation)
    assert (result.id, result.world, result.status) == ("p1", "closed", "refuted")


def test_a_formula_the_engine_cannot_read_raises_there_and_is_the_error_answer_at_the_door():
    with pytest.raises(solve.InputError, match="premise 1"):
        solve.decide(["P(a)", "P(a, b)"], "P(a)")
    result = verify.check_logic(["P(a)", "P(a, b)"], "P(a)")
    assert result.answer == "error" and result.error["where"] == "premise 1"


@pytest.mark.parametrize("name", ["Man(soc\u200brates)", "Man(\uff53ocrates)", "Man(socrates\u00ad)"])
def test_check_logic_reads_formulas_as_a_reader_sees_them(name):
    assert verify.check_logic([name], "Man(socrates)").answer == "entailed"
