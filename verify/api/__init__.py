"""The front doors besides :func:`verify.check`: ``check_math``, ``check_invoice``,
``check_logic`` (with ``check_program``) and ``ask``. Each takes user input, calls the
pipeline or its engine, and returns a typed, frozen result that serialises to JSON.

They are all built one way. The engine (or the pipeline) makes the decision; the door reads
the input and builds the public result, so engines never import a door. The main inputs
come first and every option is keyword-only, ``timeout`` (seconds) included, always with a
default (``ask``'s ``None`` leaves the whole check unbounded but each model call bounded).
Options are checked before any work: a wrong type raises ``TypeError`` and a wrong value
``ValueError``, each naming the option (:func:`require_timeout` for every ``timeout``). Bad
*data* is a verdict, not an exception: an invoice that cannot be read is ``flagged`` naming
each field, a formula or program that cannot be read is the ``error`` answer naming where.
Text is read as a reader sees it through :func:`verify.normalize.normalize` (by the
pipeline for ``check_math``'s steps and ``ask``'s answer, by the door for the final answer,
the reference, an invoice given as text, and ``check_logic``'s formulas and
``check_program``'s program, context and question).
The result is a frozen dataclass with ``to_dict()`` (its JSON form); the three checkers'
results also carry ``schema_version`` in it and print readably with ``str()``.
"""
from __future__ import annotations

from math import isfinite
from typing import Any


def require_timeout(timeout: Any) -> None:
    """A door's ``timeout`` must be a finite number of seconds above 0: a string is a
    ``TypeError``; 0, a negative number, NaN or infinity a ``ValueError`` (an infinite
    bound would reach the solver as an overflow, not as a message)."""
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)):
        raise TypeError(f"timeout must be a number of seconds, got {type(timeout).__name__}")
    if not (isfinite(timeout) and timeout > 0):
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
