"""Many answers at once: ``check_many`` maps one pure function (a batch line → its report
dict) over one process, a pool of local worker processes, or a Ray cluster, and yields the
results in input order whichever backend ran them.

A line is ``{"id", "text", "question"?, "evidence"?}``; its result is the ``verity check
--json`` report with the line's ``id`` in front, or ``{"id", "status": "error", "error"}``
naming what is wrong with the line. Every worker process imports the engines and opens the
knowledge base once, then serves many lines; at most ``workers × PREFETCH`` chunks are in
flight, so a file of any length streams through in bounded memory.
"""
from __future__ import annotations

import json
import os
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Literal, Mapping, Sequence

from .report import SCHEMA_VERSION

Backend = Literal["local", "ray"]
#: One batch line as the runners see it: (id, object, error) — ``iter_json_records``' shape.
Record = tuple[str, Any, "str | None"]

CHUNK = 16      # lines per task: amortises inter-process traffic, keeps order cheap
PREFETCH = 4    # chunks in flight per worker
WARMUP_TEXT = "2 + 3 = 5"  # imports and first-call set-up of the engines, once per worker


@dataclass(frozen=True)
class Options:
    """What every line is checked with; plain data so it travels to worker processes."""

    kb: str | None = None
    policy: str = "strict"
    timeout: float | None = None


class InputError(ValueError):
    """The input as a whole cannot be read as records (empty, a JSON array); one bad line
    is an error record instead."""


def iter_json_records(text: str, source: str = "input") -> Iterator[Record]:
    """Yield ``(id, object, error)`` for a JSON document holding one object, or for each
    line of JSON Lines. ``id`` is the object's ``id``, else the 1-based line number."""
    stripped = text.strip()
    if not stripped:
        raise InputError(f"{source} is empty")
    if stripped.startswith("{"):
        try:
            obj = json.loads(stripped)
        except json.JSONDecodeError:
            obj = None  # not one object: fall through to JSON Lines
        else:
            if isinstance(obj, dict):
                yield str(obj.get("id", "1")), obj, None
                return
    if stripped.startswith("["):
        raise InputError(f"{source}: a JSON array is not accepted; use one object or JSON Lines")
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield str(number), None, f"line {number}: not valid JSON ({exc.msg} at column {exc.colno})"
            continue
        if not isinstance(obj, dict):
            yield str(number), None, f"line {number}: expected a JSON object, got {type(obj).__name__}"
            continue
        yield str(obj.get("id", number)), obj, None


def error_record(record_id: str, error: str) -> dict[str, Any]:
    """The result of a record that cannot be checked, naming what is wrong with it."""
    return {"schema_version": SCHEMA_VERSION, "id": record_id, "status": "error", "error": error}


def optional_str(obj: Mapping[str, Any], key: str) -> str | None:
    """``obj[key]`` when it is a string, None when absent; ValueError for anything else."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{key!r} must be a string, got {type(value).__name__}")
    return value


_KB_CACHE: dict[str, Any] = {}


def _open_kb(path: str | None) -> Any:
    """The knowledge base at ``path``, opened once per process."""
    if path is None:
        return None
    if path not in _KB_CACHE:
        from verify.engines.base import open_kb

        _KB_CACHE[path] = open_kb(path)
    return _KB_CACHE[path]



def check_record(record_id: str, obj: Any, *, kb: Any = None, policy: str = "strict",
                 timeout: float | None = None) -> dict[str, Any]:
    """One batch line → ``{"id", **report}``, or an error record naming the bad field."""
    from .pipeline import check

    if not isinstance(obj, Mapping):
        return error_record(record_id, f"expected a JSON object, got {type(obj).__name__}")
    try:
        text = obj.get("text")
        if text is None:
            raise ValueError("missing 'text'")
        if not isinstance(text, str):
            raise ValueError(f"'text' must be a string, got {type(text).__name__}")
        question = optional_str(obj, "question")
        evidence = obj.get("evidence")
        if evidence is not None and (not isinstance(evidence, list)
                                     or not all(isinstance(e, str) for e in evidence)):
            raise ValueError("'evidence' must be a list of strings")
        report = check(text, question=question, evidence=evidence, kb=kb, policy=policy,
                       timeout=timeout)
    except (TypeError, ValueError) as exc:
        return error_record(record_id, str(exc))
    return {"id": record_id, **report.to_dict()}


def run_chunk(chunk: Sequence[Record], options: Options) -> list[dict[str, Any]]:
    """The pure function every backend maps: a chunk of lines → their results, in order."""
    kb = _open_kb(options.kb)
    return [error_record(rid, error) if error else
            check_record(rid, obj, kb=kb, policy=options.policy, timeout=options.timeout)
            for rid, obj, error in chunk]


def warm_up(options: Options) -> None:
    """Load what every line needs (engines, the knowledge base) before the first line."""
    from .pipeline import check

    check(WARMUP_TEXT, kb=_open_kb(options.kb))


def _chunks(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for record in records:
        chunk.append(record)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _ordered(chunks: Iterator[list[Record]], submit: Callable[[list[Record]], Any],
             result: Callable[[Any], list[dict[str, Any]]], in_flight: int) -> Iterator[dict[str, Any]]:
    """Submit chunks with at most ``in_flight`` pending; yield results in submission order."""
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= in_flight:
            yield from result(pending.popleft())
    while pending:
        yield from result(pending.popleft())


def records_of(items: Iterable[Any]) -> Iterator[Record]:
    """``check_many``'s items as records: a mapping keeps its ``id`` (else its 1-based
    position), a string is the text of an answer."""
    for number, item in enumerate(items, start=1):
        if isinstance(item, str):
            item = {"text": item}
        rid = str(item.get("id", number)) if isinstance(item, Mapping) else str(number)
        yield rid, item, None


def run_records(records: Iterable[Record], options: Options, *, workers: int = 1,
                backend: Backend = "local", ray_address: str | None = None) -> Iterator[dict[str, Any]]:
    """Results for ``records`` in order, on the chosen backend (see :func:`check_many`)."""
    if backend not in ("local", "ray"):
        raise ValueError(f"backend must be 'local' or 'ray', got {backend!r}")
    if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
        raise ValueError(f"workers must be a positive int, got {workers!r}")
    chunks = _chunks(records, CHUNK)
    if backend == "ray":
        return _run_ray(chunks, options, workers, ray_address)
    if workers == 1:
        return (r for chunk in chunks for r in run_chunk(chunk, options))
    return _run_pool(chunks, options, workers)


def _run_pool(chunks: Iterator[list[Record]], options: Options,
              workers: int) -> Iterator[dict[str, Any]]:
    import multiprocessing

    # spawn: a fresh interpreter per worker, never a fork of a process holding threads or Z3
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=warm_up, initargs=(options,)) as pool:
        yield from _ordered(chunks, lambda c: pool.submit(run_chunk, c, options),
                            Future.result, workers * PREFETCH)


def _run_ray(chunks: Iterator[list[Record]], options: Options, workers: int,
             address: str | None) -> Iterator[dict[str, Any]]:
    try:
        import ray
    except ImportError:
        raise RuntimeError("backend='ray' needs Ray: pip install 'verity-middleware[ray]'") from None
    if not ray.is_initialized():
        # a local instance imports this very copy of verify; a cluster's nodes must have it installed
        here = str(Path(__file__).resolve().parents[1])
        env = {"PYTHONPATH": os.pathsep.join(p for p in (here, os.environ.get("PYTHONPATH")) if p)}
        if address in (None, "local"):
            ray.init(num_cpus=workers, include_dashboard=False, runtime_env={"env_vars": env},
                     log_to_driver=False, _node_ip_address="127.0.0.1")  # loopback only
        else:
            ray.init(address=address, log_to_driver=False)
    task = ray.remote(run_chunk)
    options_ref = ray.put(options)
    in_flight = max(workers, int(ray.cluster_resources().get("CPU", workers))) * PREFETCH
    yield from _ordered(chunks, lambda c: task.remote(c, options_ref), ray.get, in_flight)


def check_many(items: Iterable[Any], *, workers: int = 1, backend: Backend = "local",
               ray_address: str | None = None, kb: str | os.PathLike | None = None,
               policy: str = "strict", timeout: float | None = None) -> Iterator[dict[str, Any]]:
    """Check many answers; yield one report dict per item, in input order.

    ``items``: mappings ``{"id", "text", "question"?, "evidence"?}`` or strings. ``workers``:
    local worker processes (``backend="local"``) or the local Ray instance's CPUs
    (``backend="ray"``, started unless one is running or ``ray_address`` names a cluster,
    e.g. ``"auto"``). ``kb``: a knowledge base path, opened once per worker. ``timeout``:
    seconds per answer. The reports are the same whichever backend runs them.
    """
    if kb is not None and not isinstance(kb, (str, os.PathLike)):
        raise TypeError("check_many needs kb as a path, so each worker can open it once")
    options = Options(kb=None if kb is None else os.fspath(kb), policy=policy, timeout=timeout)
    return run_records(records_of(items), options, workers=workers, backend=backend,
                       ray_address=ray_address)
