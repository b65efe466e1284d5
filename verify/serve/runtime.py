"""Per-worker machinery: the one verification thread behind a bounded queue, and the
knowledge bases (re-opened when their directory is swapped for a new build)."""
from __future__ import annotations

import asyncio
import logging
import math
import os
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any, Callable, TypeVar

log = logging.getLogger("verity.serve")
T = TypeVar("T")
GRACE = 2.0  # seconds past its budget a request waits for the engines' own time bounds


class Busy(Exception):
    """The worker's queue is full: the client should retry after ``retry_after`` s."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"the server is busy; retry in {retry_after} s")
        self.retry_after = retry_after


class BudgetSpent(Exception):
    """A request's time budget ran out (waiting in the queue or checking)."""


class Verifier:
    """Runs verifications one at a time on a dedicated thread, so no engine (Z3 included)
    is ever used from two threads; at most ``limit`` wait, the next gets :class:`Busy`.
    A job whose deadline passed while it waited is dropped unrun."""

    def __init__(self, limit: int) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="verity-check")
        self._limit = limit
        self._pending = 0
        self._lock = threading.Lock()
        self._seconds_per_job = 0.05  # moving average, for Retry-After

    @property
    def pending(self) -> int:
        return self._pending

    def _finished(self, _future: Future) -> None:
        with self._lock:
            self._pending -= 1

    def submit(self, fn: Callable[[float], T], budget: float) -> "Future[T]":
        """Queue ``fn(seconds_left)``; raises :class:`Busy` when the queue is full."""
        deadline = time.monotonic() + budget
        with self._lock:
            if self._pending >= self._limit:
                wait = self._pending * self._seconds_per_job
                raise Busy(max(1, math.ceil(wait)))
            self._pending += 1

        def job() -> T:
            started = time.monotonic()
            left = deadline - started
            if left <= 0:
                raise BudgetSpent("the request waited in the queue past its time budget")
            try:
                return fn(left)
            finally:
                spent = time.monotonic() - started
                self._seconds_per_job = 0.9 * self._seconds_per_job + 0.1 * spent

        try:
            future = self._pool.submit(job)
        except BaseException:
            with self._lock:
                self._pending -= 1
            raise
        future.add_done_callback(self._finished)
        return future

    async def run(self, fn: Callable[[float], T], budget: float) -> T:
        """``fn(seconds_left)`` on the verification thread, awaited within the budget."""
        future = self.submit(fn, budget)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), budget + GRACE)
        except asyncio.TimeoutError:
            raise BudgetSpent(f"no result within the {budget:g} s budget") from None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _stamp(path: str) -> tuple[int, int, int] | None:
    """Identifies one build of a base: a swapped directory (rename or symlink) or a new
    generation changes it."""
    try:
        d = os.stat(path)
        m = os.stat(Path(path) / "manifest.json")
    except OSError:
        return None
    return d.st_ino, m.st_ino, m.st_mtime_ns


class KnowledgeBases:
    """The server's named knowledge bases. Used only from the verification thread. A base
    whose directory was replaced is re-opened before its next use; while a swap is half
    done (nothing readable at the path), the base already open keeps answering."""

    def __init__(self, paths: tuple[tuple[str, str], ...]) -> None:
        self.paths = dict(paths)
        self._open: dict[str, tuple[Any, Any]] = {}

    def names(self) -> list[str]:
        return sorted(self.paths)

    def get(self, name: str) -> Any:
        from verify.engines.base import open_kb

        path = self.paths[name]
        stamp = _stamp(path)
        current = self._open.get(name)
        if current is not None and (stamp is None or current[0] == stamp):
            return current[1]
        try:
            base = open_kb(path)
        except (FileNotFoundError, ValueError) as exc:
            if current is None:
                raise
            log.warning("knowledge base %s: cannot re-open (%s); keeping the open one", name, exc)
            return current[1]
        self._open[name] = (stamp, base)
        if current is not None:
            log.info("knowledge base %s: re-opened after its directory changed", name)
            current[1].close()
        return base

    def warm_up(self) -> None:
        """Open every base and load its search models, so the first request is not slow."""
        for name in self.paths:
            self.get(name).search("warm up", k=1)
