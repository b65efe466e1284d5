"""The on-disk layout of a knowledge base, and atomic generations.

One directory::

    manifest.json          format version, model, chunker settings, source checksums, and
                           the names of the current generation's files (the commit point)
    chunks-<gen>.sqlite    documents (extracted text), chunks (offsets, heading path), FTS5
    vectors-<gen>.faiss    the vector index, ids = chunk row ids
    .lock                  held while writing

A write never touches the current generation: it copies the chunk store into a new file,
changes the copy, writes a new vector index, and only then replaces ``manifest.json``
(``os.replace``, after fsync). A crash or Ctrl-C anywhere before that leaves the previous
generation intact and openable; leftovers of an interrupted write are removed by the next.
"""
from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Any, Iterator

log = logging.getLogger(__name__)

FORMAT = "verity-kb"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
LOCK = ".lock"
_OURS = re.compile(r"^(manifest\.json(\.tmp-\d+)?|\.lock|(chunks|vectors)-\d+\.(sqlite|faiss)(\.tmp)?"
                   r"(-journal|-wal|-shm|\.tmp-\d+)?)$")

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    source TEXT PRIMARY KEY, title TEXT NOT NULL, format TEXT NOT NULL,
    checksum TEXT NOT NULL, size INTEGER NOT NULL, text TEXT NOT NULL,
    n_chunks INTEGER NOT NULL, added REAL NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, source TEXT NOT NULL, title TEXT NOT NULL,
    section TEXT NOT NULL, kind TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    page INTEGER, anchor TEXT, text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_source ON chunks(source);
"""


def is_ours(directory: Path) -> bool:
    """True when every entry is a file a knowledge base writes (an empty dir counts)."""
    return all(_OURS.match(p.name) for p in directory.iterdir())


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest, validated; ``FileNotFoundError``/``ValueError`` say what is wrong."""
    if not directory.exists():
        raise FileNotFoundError(f"no knowledge base at {directory} (the directory does not exist)")
    if not directory.is_dir():
        raise ValueError(f"{directory} is a file, not a knowledge base directory")
    path = directory / MANIFEST
    if not path.is_file():
        hint = " (an interrupted first build?)" if is_ours(directory) and any(directory.iterdir()) else ""
        raise FileNotFoundError(f"{directory} is not a knowledge base: no {MANIFEST}{hint}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path} is corrupt: {exc}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ValueError(f"{path} is not a Verity knowledge base manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ValueError(f"{directory} has format version {version!r}; this Verity reads up to "
                         f"{FORMAT_VERSION} (upgrade Verity)")
    files = manifest.get("files") or {}
    for key in ("chunks", "vectors"):
        name = files.get(key)
        if not isinstance(name, str) or not _OURS.match(name) or not (directory / name).is_file():
            raise ValueError(f"{directory} is corrupt: the {key} file {name!r} named in {MANIFEST} is missing")
    return manifest


def connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    if readonly:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM chunks").fetchone()
    except sqlite3.DatabaseError as exc:
        if readonly:
            conn.close()
            raise ValueError(f"{path} is corrupt: {exc}") from None
    return conn


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform can fsync a directory
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())


@contextlib.contextmanager
def write_lock(directory: Path) -> Iterator[None]:
    """An exclusive lock on the directory for the duration of a write (POSIX flock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: single-writer by convention
        yield
        return
    fh = open(directory / LOCK, "a+")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RuntimeError(f"another process is writing {directory}; try again when it is done") from None
        yield
    finally:
        fh.close()


class Generation:
    """A new generation being written: file names, the chunk-store copy, and the commit."""

    def __init__(self, directory: Path, number: int, base: Path | None) -> None:
        self.directory = directory
        self.number = number
        self.committed = False
        self.chunks_name = f"chunks-{number}.sqlite"
        self.vectors_name = f"vectors-{number}.faiss"
        self.chunks_tmp = directory / (self.chunks_name + ".tmp")
        self.vectors_tmp = directory / (self.vectors_name + ".tmp")
        for p in (self.chunks_tmp, self.vectors_tmp):
            if p.exists():
                p.unlink()
        self.conn = sqlite3.connect(self.chunks_tmp, check_same_thread=False)
        if base is not None:  # copy the current store page by page (consistent snapshot)
            src = sqlite3.connect(f"file:{base}?mode=ro", uri=True)
            try:
                src.backup(self.conn)
            finally:
                src.close()
        self.conn.executescript(SCHEMA)

    def commit(self, manifest: dict[str, Any]) -> None:
        """Make this generation current: rename its files, then replace the manifest."""
        self.conn.commit()
        self.conn.close()
        _fsync_file(self.chunks_tmp)
        _fsync_file(self.vectors_tmp)
        os.replace(self.chunks_tmp, self.directory / self.chunks_name)
        os.replace(self.vectors_tmp, self.directory / self.vectors_name)
        manifest = dict(manifest, files={"chunks": self.chunks_name, "vectors": self.vectors_name},
                        generation=self.number, updated=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        tmp = self.directory / f"{MANIFEST}.tmp-{os.getpid()}"
        tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        _fsync_file(tmp)
        _fsync_dir(self.directory)
        os.replace(tmp, self.directory / MANIFEST)  # the commit point
        self.committed = True
        _fsync_dir(self.directory)
        sweep(self.directory, keep={self.chunks_name, self.vectors_name})

    def abort(self) -> None:
        """Remove this generation's files, unless it was already committed."""
        if self.committed:
            return
        with contextlib.suppress(Exception):
            self.conn.close()
        for p in (self.chunks_tmp, self.vectors_tmp,
                  self.directory / self.chunks_name, self.directory / self.vectors_name):
            with contextlib.suppress(FileNotFoundError):
                p.unlink()


def sweep(directory: Path, keep: set[str]) -> None:
    """Delete generation files and temporaries other than ``keep`` (old or interrupted)."""
    for p in directory.iterdir():
        if p.name in keep or p.name in (MANIFEST, LOCK) or not _OURS.match(p.name):
            continue
        if p.name.startswith(f"{MANIFEST}.tmp-") and p.name != f"{MANIFEST}.tmp-{os.getpid()}":
            pid = int(p.name.rsplit("-", 1)[1])
            if _alive(pid):
                continue
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
            log.debug("removed %s", p)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def next_generation(directory: Path) -> int:
    """One above any generation number present (current, or left by an interrupted write)."""
    numbers = [int(m.group(1)) for p in directory.iterdir()
               if (m := re.match(r"^(?:chunks|vectors)-(\d+)\.", p.name))]
    return max(numbers, default=0) + 1
