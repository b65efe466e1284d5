"""Input and output shared by the verbs: TEXT | - | FILE arguments, JSON Lines batches."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable, Iterator, TextIO

from verify.batch import error_record

MAX_INPUT_BYTES = 64 * 1024 * 1024


class UsageError(Exception):
    """Bad usage or an unreadable input: the CLI prints it and exits 2."""


def open_kb(path: str) -> Any:
    """The knowledge base at ``path`` (``--kb``), or a :class:`UsageError` naming it."""
    from verify.engines.base import open_kb as open_retriever

    try:
        return open_retriever(path)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(f"cannot open knowledge base {path}: {exc}") from None


def read_text(value: str | None, stdin: TextIO | None = None) -> str:
    """The literal TEXT, or standard input for ``-`` (or when nothing was given)."""
    if value is None or value == "-":
        stream = stdin or sys.stdin
        if value is None and stream.isatty():
            raise UsageError("give the text to check, or - to read standard input")
        data = stream.read(MAX_INPUT_BYTES + 1)
        if len(data) > MAX_INPUT_BYTES:
            raise UsageError("standard input is larger than 64 MiB")
        return data
    return value


def read_file(path: str) -> str:
    """A file's text (``-`` = stdin), with a clear error for anything unreadable."""
    if path == "-":
        return read_text("-")
    p = Path(path)
    if not p.exists():
        raise UsageError(f"no such file: {path}")
    if p.is_dir():
        raise UsageError(f"{path} is a directory, not a file")
    if p.stat().st_size > MAX_INPUT_BYTES:
        raise UsageError(f"{path} is larger than 64 MiB")
    try:
        return p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None


def dump(obj: Any, out: TextIO | None = None) -> None:
    """One JSON object per line (JSON Lines), UTF-8 kept readable."""
    print(json.dumps(obj, ensure_ascii=False), file=out or sys.stdout)


def run_batch(records: Iterator[tuple[str, Any, str | None]], handle: Callable[[str, Any], dict],
              as_json: bool, render: Callable[[dict], str], ok: Callable[[dict], bool]) -> int:
    """Run ``handle`` on each record, print JSON Lines or text, keep order; exit code 0 only
    when every record is ``ok``."""
    code = 0
    for record_id, obj, error in records:
        result = error_record(record_id, error) if error else handle(record_id, obj)
        if result.get("status") == "error" or not ok(result):
            code = 1
        if as_json:
            dump(result)
        else:
            print(render(result) if result.get("status") != "error"
                  else f"{record_id}: error: {result['error']}")
    return code
