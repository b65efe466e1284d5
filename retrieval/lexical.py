"""BM25 over SQLite FTS5: exact words, numbers and names, where embeddings blur them.

The FTS5 table lives in the caller's SQLite connection (the knowledge base's chunk store),
so lexical and chunk data commit together. A user's query is never passed to FTS5's query
language: it is cut into word tokens, each quoted, joined with OR, and ranked by ``bm25()``.
"""
from __future__ import annotations

import json
import re
import sqlite3
from typing import Collection, Iterable, Sequence

STOPWORDS = frozenset("""a an and are as at be been but by can could did do does for from had has
have how i if in into is it its me my of on or our so that the their them then there these they
this those to was we were what when where which who whom why will with would you your""".split())
MAX_QUERY_TERMS = 64
_TOKEN = re.compile(r"\w+", re.UNICODE)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def has_fts5() -> bool:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        return True
    except sqlite3.OperationalError:
        return False


def match_expression(query: str) -> str:
    """An FTS5 MATCH expression for free text: quoted tokens joined by OR (stopwords
    dropped unless nothing else is left); '' when the query has no word at all."""
    tokens = [t.lower() for t in _TOKEN.findall(query)]
    content = [t for t in tokens if t not in STOPWORDS] or tokens
    seen: list[str] = []
    for t in content:
        if t not in seen:
            seen.append(t)
    return " OR ".join(f'"{t}"' for t in seen[:MAX_QUERY_TERMS])


class FTS5Index:
    """A BM25 index of (id, text, context) rows; ``context`` (title and heading path) is
    weighted below the text itself."""

    def __init__(self, conn: sqlite3.Connection, table: str = "chunks_fts",
                 weights: Sequence[float] = (1.0, 0.5)) -> None:
        if not _NAME.match(table):
            raise ValueError(f"bad table name {table!r}")
        self.conn = conn
        self.table = table
        self.weights = tuple(float(w) for w in weights)

    def create(self) -> None:
        try:
            self.conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                "text, context, tokenize = 'porter unicode61 remove_diacritics 2')")
        except sqlite3.OperationalError as exc:
            raise RuntimeError(f"this Python's SQLite has no FTS5 ({exc}); BM25 search needs it") from exc

    def add(self, rows: Iterable[tuple[int, str, str]]) -> None:
        self.conn.executemany(f"INSERT INTO {self.table}(rowid, text, context) VALUES (?, ?, ?)", rows)

    def remove(self, ids: Iterable[int]) -> None:
        self.conn.executemany(f"DELETE FROM {self.table} WHERE rowid = ?", ((int(i),) for i in ids))

    def search(self, query: str, k: int, *, allowed: Collection[int] | None = None
               ) -> list[tuple[int, float]]:
        """Top ``k`` (id, score), best first; score = −bm25 (higher is better)."""
        expr = match_expression(query)
        if not expr or k <= 0:
            return []
        w = ", ".join(str(x) for x in self.weights)
        sql = f"SELECT rowid, -bm25({self.table}, {w}) AS s FROM {self.table} WHERE {self.table} MATCH ?"
        params: list = [expr]
        if allowed is not None:
            sql += " AND rowid IN (SELECT value FROM json_each(?))"
            params.append(json.dumps([int(i) for i in allowed]))
        sql += " ORDER BY bm25(" + self.table + f", {w}) LIMIT ?"
        params.append(int(k))
        return [(int(r[0]), float(r[1])) for r in self.conn.execute(sql, params)]
