"""The logic front door: ``check_logic`` (premises and a conclusion) and ``check_program``
(a logic program), with their typed result. The solver lives in the logic engine."""
from __future__ import annotations

from verify.engines.logic.solve import LogicResult, check_logic, check_program

__all__ = ["LogicResult", "check_logic", "check_program"]
