"""Time bounds for solver calls, so a pathological input ends as ``unverified``, never a hang.

SymPy is pure Python, so a call can be interrupted between bytecodes:

- in the main thread, :func:`time_limit` arms ``signal.setitimer`` and the alarm handler
  raises inside the call (nested limits and a caller's own SIGALRM timer are restored);
- in any other thread (signals only reach the main thread), :func:`call_with_limit` runs the
  call in a daemon worker thread, waits at most the bound, then abandons it and asks it to
  stop by raising an asynchronous exception in it.

Either way the caller gets :class:`TimeLimitExceeded` on time.

:class:`Budget` is the one time-budget type: a deadline shared by every step of one call
(an engine, a stage, an LLM request), which each step slices with :meth:`Budget.bound`.
"""
from __future__ import annotations

import ctypes
import logging
import math
import signal
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, TypeVar

log = logging.getLogger("verity.limits")

T = TypeVar("T")

#: Per-call default for SymPy work in the math engine (seconds).
DEFAULT_CALL_SECONDS = 2.0


class TimeLimitExceeded(Exception):
    """A bounded call ran out of time; the message says which bound."""


class _Alarm(BaseException):
    """Raised inside the bounded code. A BaseException so that library code with a broad
    ``except Exception`` cannot swallow it; converted to :class:`TimeLimitExceeded`."""


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _check_seconds(seconds: float) -> float:
    if not isinstance(seconds, (int, float)) or math.isnan(seconds) or seconds <= 0:
        raise ValueError(f"a time limit must be a positive number of seconds, got {seconds!r}")
    return float(seconds)


@contextmanager
def time_limit(seconds: float, what: str = "the computation") -> Iterator[None]:
    """Bound the enclosed block to ``seconds`` (main thread only: uses SIGALRM).

    Raises :class:`TimeLimitExceeded` when the time runs out. An enclosing limit, or a timer
    the application armed itself, is honoured: the shorter bound wins and the outer timer
    is re-armed with its remaining time afterwards.
    """
    seconds = _check_seconds(seconds)
    if not _in_main_thread():
        raise RuntimeError("time_limit() works in the main thread only; use call_with_limit()")
    token = object()
    state = {"active": token}

    def on_alarm(signum: int, frame: Any) -> None:
        if state.get("active") is token:  # a late alarm after the block ended is ignored
            raise _Alarm()

    started = time.monotonic()
    previous_handler = signal.signal(signal.SIGALRM, on_alarm)
    outer_delay, outer_interval = signal.setitimer(signal.ITIMER_REAL, 0)
    bound = seconds if outer_delay <= 0 else min(seconds, outer_delay)
    signal.setitimer(signal.ITIMER_REAL, bound)
    try:
        yield
    except _Alarm:
        # When the enclosing timer was the shorter one, it is re-armed below and fires
        # right away in the enclosing block, so the outer bound is honoured too.
        raise TimeLimitExceeded(f"{what} took longer than {bound:g} s") from None
    finally:
        if state["active"] is token:
            state["active"] = None
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
            if outer_delay > 0:
                left = outer_delay - (time.monotonic() - started)
                signal.setitimer(signal.ITIMER_REAL, max(left, 1e-6), outer_interval)


@dataclass(frozen=True)
class Budget:
    """A wall-clock deadline (``time.monotonic``) shared by every step of one call, so the
    steps together end on time; ``deadline`` None means unbounded. ``seconds`` is what it
    was given (for messages), ``what`` names whose budget it is."""

    deadline: float | None = None
    seconds: float | None = None
    what: str = "the work"

    @classmethod
    def start(cls, seconds: float | None, what: str = "the work") -> "Budget":
        """A budget of ``seconds`` from now (None: unbounded)."""
        return cls(None if seconds is None else time.monotonic() + seconds, seconds, what)

    def remaining(self) -> float | None:
        """Seconds left (never negative); None when unbounded."""
        return None if self.deadline is None else max(0.0, self.deadline - time.monotonic())

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def bound(self, per_call: float) -> float:
        """A per-call time limit that also respects the deadline (at least 1 ms, so a
        bounded call still fails by timing out rather than by a bad argument)."""
        left = self.remaining()
        return per_call if left is None else max(0.001, min(per_call, left))

    def child(self, seconds: float, what: str | None = None) -> "Budget":
        """A budget for one step: ``seconds`` from now, cut to what this one has left."""
        return Budget.start(self.bound(seconds), self.what if what is None else what)

    def call(self, fn: Callable[..., T], *args: Any, what: str, share: float = 1.0,
             **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` bounded by the time left (``share`` of it: one optional
        step must not starve the steps after it). :class:`TimeLimitExceeded` when none is left."""
        if self.deadline is None:
            raise ValueError("Budget.call needs a bounded budget")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeLimitExceeded(f"{self.what} ran out of its {self.seconds:g} s budget")
        return call_with_limit(max(0.02, left * share), fn, *args, what=what, **kwargs)


def _raise_in_thread(thread_id: int) -> None:
    """Ask a thread to stop by raising :class:`_Alarm` in it (delivered at its next bytecode)."""
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(_Alarm))


def call_with_limit(seconds: float, fn: Callable[..., T], *args: Any, what: str = "the computation",
                    **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` bounded to ``seconds``, from any thread.

    Main thread: :func:`time_limit`. Other threads: a worker thread that is abandoned (and
    interrupted) when the bound passes, so the caller returns on time either way.
    """
    seconds = _check_seconds(seconds)
    if _in_main_thread():
        try:
            with time_limit(seconds, what):
                return fn(*args, **kwargs)
        except _Alarm:  # fired in the instant between the call's end and the disarm
            raise TimeLimitExceeded(f"{what} took longer than {seconds:g} s") from None
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except _Alarm:
            box["timeout"] = True
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller
            box["error"] = exc

    worker = threading.Thread(target=run, name="verity-bounded-call", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        if worker.ident is not None:
            _raise_in_thread(worker.ident)
        log.warning("%s exceeded %.3g s in a worker thread; abandoned", what, seconds)
        raise TimeLimitExceeded(f"{what} took longer than {seconds:g} s")
    if "error" in box:
        raise box["error"]
    if box.get("timeout"):
        raise TimeLimitExceeded(f"{what} took longer than {seconds:g} s")
    return box["value"]


@contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """torch's intra-op thread count set to ``n`` for one call, then restored: a model run
    keeps to the cores it was given. A no-op for ``None``, or when torch is not loaded (the
    work does not run on torch then)."""
    torch = sys.modules.get("torch")
    if n is None or torch is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)
