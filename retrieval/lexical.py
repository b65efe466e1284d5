"""BM25 over SQLite FTS5: exact words, numbers and names, where embeddings blur them.

The FTS5 table lives in the caller's SQLite connection (the knowledge base's chunk store),
so lexical and chunk data commit together. A user's query is never passed to FTS5's query
language: it is cut into word tokens, each quoted, joined with OR, and ranked by ``bm25()``.
"""
from __future__ import annotations

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


def query_terms(query: str) -> list[str]:
    """The distinct word tokens of a query, stopwords dropped unless nothing else is left."""
    tokens = [t.lower() for t in _TOKEN.findall(query)]
    content = [t for t in tokens if t not in STOPWORDS] or tokens
    return list(dict.fromkeys(content))[:MAX_QUERY_TERMS]


def match_expression(query: str | list[str]) -> str:
    """An FTS5 MATCH expression for free text: quoted tokens joined by OR; '' when the
    query has no word at all."""
    terms = query_terms(query) if isinstance(query, str) else query
    return " OR ".join(f'"{t}"' for t in terms)


#: FTS5 spends ~1.4 µs per matching row on bm25(), so an OR of common words over 100k
#: chunks costs 50–150 ms. When the query's terms together match more rows than this, the
#: match becomes  (rare₁ OR rare₂ …) OR (common₁ AND common₂ …): the rarest terms up to the
#: budget, plus rows holding *all* the common ones. Every matched row still gets its exact
#: BM25 score over all terms; only rows with some common words and no rare one (low BM25
#: by construction) are not scored. None = always the plain OR (exact top-k).
#: ``kb`` applies it in hybrid search only, where dense retrieval covers the tail: over
#: 100k chunks it halves BM25's time with the same hybrid accuracy (benchmarks/retrieval.py).
POSTING_BUDGET: int | None = 5_000
_TOKENIZER = "porter unicode61 remove_diacritics 2"


class FTS5Index:
    """A BM25 index of (id, text, context) rows; ``context`` (title and heading path) is
    weighted below the text itself."""

    def __init__(self, conn: sqlite3.Connection, table: str = "chunks_fts",
                 weights: Sequence[float] = (1.0, 0.5), posting_budget: int | None = None) -> None:
        if not _NAME.match(table):
            raise ValueError(f"bad table name {table!r}")
        self.conn = conn
        self.table = table
        self.weights = tuple(float(w) for w in weights)
        self.posting_budget = posting_budget

    def create(self) -> None:
        try:
            self.conn.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.table} USING fts5("
                f"text, context, tokenize = '{_TOKENIZER}')")
        except sqlite3.OperationalError as exc:
            raise RuntimeError(f"this Python's SQLite has no FTS5 ({exc}); BM25 search needs it") from exc

    def add(self, rows: Iterable[tuple[int, str, str]]) -> None:
        self.conn.executemany(f"INSERT INTO {self.table}(rowid, text, context) VALUES (?, ?, ?)", rows)

    def remove(self, ids: Iterable[int]) -> None:
        self.conn.executemany(f"DELETE FROM {self.table} WHERE rowid = ?", ((int(i),) for i in ids))

    def search(self, query: str, k: int, *, allowed: Collection[int] | None = None
               ) -> list[tuple[int, float]]:
        """Top ``k`` (id, score), best first; score = −bm25 (higher is better)."""
        terms = query_terms(query)
        if not terms or k <= 0:
            return []
        expr = self._expression(terms)
        w = ", ".join(str(x) for x in self.weights)
        t = self.table
        if allowed is None:
            sql = f"SELECT rowid, -bm25({t}, {w}) FROM {t} WHERE {t} MATCH ? ORDER BY bm25({t}, {w}) LIMIT ?"
        else:  # a join with a temp table: `rowid IN (...)` makes FTS5 re-run the match per id
            self.conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {t}_allowed (id INTEGER PRIMARY KEY)")
            self.conn.execute(f"DELETE FROM {t}_allowed")
            self.conn.executemany(f"INSERT OR IGNORE INTO {t}_allowed VALUES (?)", ((int(i),) for i in allowed))
            sql = (f"SELECT f.rowid, -bm25({t}, {w}) FROM {t}_allowed a JOIN {t} f ON f.rowid = a.id "
                   f"WHERE {t} MATCH ? ORDER BY bm25({t}, {w}) LIMIT ?")
        return [(int(r[0]), float(r[1])) for r in self.conn.execute(sql, (expr, int(k)))]

    def _expression(self, terms: list[str]) -> str:
        """The MATCH expression: a plain OR, or within the posting budget (see above)."""
        if self.posting_budget is None or len(terms) < 2:
            return match_expression(terms)
        df = self._document_frequencies(terms)
        if sum(df.values()) <= self.posting_budget:
            return match_expression(terms)
        rare, total = [], 0
        for t in sorted(terms, key=lambda t: df[t]):
            if rare and total + df[t] > self.posting_budget:
                break
            rare.append(t)
            total += df[t]
        common = [t for t in terms if t not in rare]
        return match_expression(rare) + " OR (" + " AND ".join(f'"{t}"' for t in common) + ")"

    def _document_frequencies(self, terms: list[str]) -> dict[str, int]:
        """Rows containing each term, read from FTS5's own vocabulary (stemmed the same way)."""
        t = self.table
        c = self.conn
        c.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{t}_q USING fts5(x, tokenize = '{_TOKENIZER}')")
        c.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{t}_qv USING fts5vocab(temp, {t}_q, instance)")
        c.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{t}_v USING fts5vocab(main, {t}, row)")
        c.execute(f"DELETE FROM temp.{t}_q")
        c.executemany(f"INSERT INTO temp.{t}_q(rowid, x) VALUES (?, ?)", enumerate(terms))
        stems: dict[int, list[str]] = {}
        for term, doc in c.execute(f"SELECT term, doc FROM temp.{t}_qv"):
            stems.setdefault(doc, []).append(term)
        every = sorted({s for v in stems.values() for s in v})
        rows = dict(c.execute(f"SELECT term, doc FROM temp.{t}_v WHERE term IN ({','.join('?' * len(every))})",
                              every)) if every else {}
        # a term that tokenizes into several stems ("3.5" → 3, 5) matches at most its rarest
        return {term: min((rows.get(s, 0) for s in stems.get(i, [])), default=0)
                for i, term in enumerate(terms)}
