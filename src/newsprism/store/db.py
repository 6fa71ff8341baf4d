"""The ``Store``: a collection of annotated articles in one SQLite file.

Opening a store applies pending migrations (see :mod:`newsprism.store.schema`), turns
on WAL journaling and foreign keys. An article is written with all its annotations in
one transaction, so after a crash it is either fully stored or absent. Articles are
unique by ``id`` and by ``content_hash`` (exact duplicates are refused, not stored
twice). ``docs/schema.md`` describes the tables.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from newsprism.errors import SchemaError, StoreError
from newsprism.model import Article, DateRef, Failure, Mention, Quantity, Quote, Sentence
from newsprism.store.schema import MIGRATIONS, migrate, schema_version
from newsprism.store.transaction import immediate_transaction

__all__ = [
    "ArticleInfo",
    "ArticleQuery",
    "ConstraintFailed",
    "FailureRow",
    "SearchHit",
    "Store",
    "content_hash",
]


ConstraintFailed = sqlite3.IntegrityError
"""What :meth:`Store.add` raises when the schema refuses an article's annotations (a
constraint fails: two sentences with one index…): the document's problem, not the
store's. Nothing of the article is stored."""


def content_hash(text: str) -> str:
    """blake2b-128 (hex) of an article's cleaned text: equal for exact duplicates."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class ArticleQuery:
    """Filters on articles; ``None`` means no filter. Dates are inclusive and drop
    articles without a publication date. ``limit``: at most this many rows."""

    source: str | None = None
    language: str | None = None
    since: date | None = None
    until: date | None = None
    limit: int | None = None


@dataclass(frozen=True)
class ArticleInfo:
    """One article's metadata, without its text or annotations (for listings)."""

    id: str
    title: str
    source: str | None
    url: str | None
    language: str | None
    published: date | None
    path: str | None
    content_hash: str
    ingested_at: str
    chars: int


@dataclass(frozen=True)
class SearchHit:
    """A full-text match: the article, and a snippet with the matched words marked."""

    article: ArticleInfo
    snippet: str
    score: float  # bm25: lower is better


@dataclass(frozen=True)
class FailureRow:
    """A recorded failure: the ``Failure`` and when it last happened."""

    failure: Failure
    at: str


_INFO_COLUMNS = (
    "a.id, a.title, a.source, a.url, a.language, a.published, a.path, a.content_hash, "
    "a.ingested_at, length(a.text)"
)


def _info(row: sqlite3.Row | tuple[Any, ...]) -> ArticleInfo:
    published = date.fromisoformat(row[5]) if row[5] else None
    return ArticleInfo(row[0], row[1], row[2], row[3], row[4], published, row[6], row[7],
                       row[8], row[9])  # fmt: skip


def chunks(ids: Sequence[str], size: int = 500) -> Iterator[tuple[Sequence[str], str]]:
    """``ids`` in slices small enough for SQLite's parameter limit, each with the
    ``?, ?, …`` placeholders of an ``IN (…)`` clause."""
    for start in range(0, len(ids), size):
        part = ids[start : start + size]
        yield part, ",".join("?" * len(part))


def _low(x: float) -> float | None:
    return None if x == -math.inf else x


def _high(x: float) -> float | None:
    return None if x == math.inf else x


def _quantity(
    text: str, start: int, end: int, value: float, low: float | None, high: float | None,
    low_inclusive: int, high_inclusive: int, unit: str | None, counted: str | None,
    qualifier: str, sentence: int,
) -> Quantity:  # fmt: skip
    return Quantity(
        text, start, end, value,
        -math.inf if low is None else low, math.inf if high is None else high,
        bool(low_inclusive), bool(high_inclusive), unit, counted, qualifier, sentence,
    )  # fmt: skip


def _quote(
    text: str, start: int, end: int, direct: int, speaker: str | None, speaker_start: int,
    speaker_end: int, cue: str | None, sentence: int,
) -> Quote:  # fmt: skip
    return Quote(text, start, end, bool(direct), speaker, speaker_start, speaker_end, cue,
                 sentence)  # fmt: skip


def _where(query: ArticleQuery) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if query.source is not None:
        clauses.append("a.source = ?")
        params.append(query.source)
    if query.language is not None:
        clauses.append("a.language = ?")
        params.append(query.language)
    if query.since is not None:
        clauses.append("a.published >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("a.published <= ?")
        params.append(query.until.isoformat())
    return (" AND ".join(clauses) or "1"), params


def fts_phrase_query(text: str) -> str:
    """``text`` as an FTS5 query of quoted terms (all required), free of FTS syntax."""
    terms = [t.replace('"', '""') for t in text.split()]
    return " ".join(f'"{t}"' for t in terms if t.strip('"'))


class Store:
    """A collection of annotated articles in the SQLite file ``path``.

    ``create=False`` refuses to create a missing file. Use as a context manager or
    call :meth:`close`.
    """

    def __init__(self, path: Path | str, *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(
                f"{self.path}: no collection here", "create one with `newsprism ingest FILES`"
            )
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None)
        except sqlite3.Error as err:
            raise StoreError(f"{self.path}: cannot open: {err}") from err
        try:
            self._conn.execute("PRAGMA busy_timeout = 10000")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
            migrate(self._conn, MIGRATIONS)
        except sqlite3.DatabaseError as err:
            self._conn.close()
            raise StoreError(f"{self.path}: not a newsprism collection ({err})") from err
        except SchemaError:
            self._conn.close()
            raise

    # --- lifecycle --------------------------------------------------------------------

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection (autocommit mode; write through :meth:`transaction`)."""
        return self._conn

    def transaction(self) -> AbstractContextManager[None]:
        """``with store.transaction():`` — the block's writes are committed together, or,
        when it raises, rolled back and its exception raised unchanged (``BEGIN
        IMMEDIATE`` … ``COMMIT``/``ROLLBACK``; see :mod:`newsprism.store.transaction`)."""
        return immediate_transaction(self._conn)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def schema_version(self) -> int:
        return schema_version(self._conn)

    def pragma(self, name: str) -> Any:
        """The value of ``PRAGMA name`` (``journal_mode``, ``foreign_keys`` …)."""
        if not name.replace("_", "").isalnum():
            raise StoreError(f"not a pragma name: {name!r}")
        row = self._conn.execute(f"PRAGMA {name}").fetchone()
        return row[0] if row else None

    def check(self) -> list[str]:
        """Problems found by SQLite's and FTS5's integrity checks (empty when sound)."""
        problems = [r[0] for r in self._conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        try:
            self._conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as err:
            problems.append(f"full-text index: {err}")
        return problems

    def rebuild_search_index(self) -> None:
        """Rebuild ``articles_fts`` from ``articles`` (after editing the file by hand)."""
        self._conn.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")

    # --- writing ----------------------------------------------------------------------

    def add(self, article: Article, *, ingested_at: str | None = None) -> str | None:
        """Store ``article`` with all its annotations in one transaction.

        Returns the id it was stored under, or ``None`` when the same text is already
        stored (an exact duplicate). A different article whose id is taken is stored as
        ``<id>-<first 8 hex digits of its content hash>`` (or with a counter after that).
        """
        digest = content_hash(article.text)
        with self.transaction():
            if self._conn.execute(
                "SELECT 1 FROM articles WHERE content_hash = ?", (digest,)
            ).fetchone():
                return None
            ident = self._free_id(article.id, digest)
            self._insert(article, ident, digest, ingested_at or _now())
        return ident

    def _free_id(self, ident: str, digest: str) -> str:
        candidates = [ident, f"{ident}-{digest[:8]}"]
        candidates += (f"{ident}-{digest[:8]}-{n}" for n in range(2, 1000))
        for candidate in candidates:
            if not self._conn.execute(
                "SELECT 1 FROM articles WHERE id = ?", (candidate,)
            ).fetchone():
                return candidate
        raise StoreError(f"{ident}: no free id left for this article")  # pragma: no cover

    def _insert(self, a: Article, ident: str, digest: str, ingested_at: str) -> None:
        c = self._conn
        c.execute(
            "INSERT INTO articles (id, source, url, title, language, published, content_hash,"
            " text, path, removed, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (ident, a.source, a.url, a.title, a.language,
             a.published.isoformat() if a.published else None, digest, a.text, a.path,
             json.dumps(list(a.removed), ensure_ascii=False), ingested_at),
        )  # fmt: skip
        c.executemany(
            'INSERT INTO sentences (article_id, idx, start, "end", text, heading)'
            " VALUES (?, ?, ?, ?, ?, ?)",
            [(ident, s.index, s.start, s.end, s.text, int(s.heading)) for s in a.sentences],
        )
        c.executemany(
            'INSERT INTO mentions (article_id, idx, start, "end", text, base, label, sentence)'
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(ident, i, m.start, m.end, m.text, m.base, m.label, m.sentence)
             for i, m in enumerate(a.mentions)],
        )  # fmt: skip
        c.executemany(
            'INSERT INTO quantities (article_id, idx, start, "end", text, value, low, high,'
            " low_inclusive, high_inclusive, unit, counted, qualifier, sentence)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(ident, i, q.start, q.end, q.text, q.value, _low(q.low), _high(q.high),
              int(q.low_inclusive), int(q.high_inclusive), q.unit, q.counted, q.qualifier,
              q.sentence) for i, q in enumerate(a.quantities)],
        )  # fmt: skip
        c.executemany(
            'INSERT INTO quotes (article_id, idx, start, "end", text, direct, speaker,'
            " speaker_start, speaker_end, cue, sentence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(ident, i, q.start, q.end, q.text, int(q.direct), q.speaker, q.speaker_start,
              q.speaker_end, q.cue, q.sentence) for i, q in enumerate(a.quotes)],
        )  # fmt: skip
        c.executemany(
            'INSERT INTO dates (article_id, idx, start, "end", text, value, sentence)'
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(ident, i, d.start, d.end, d.text, d.value.isoformat() if d.value else None,
              d.sentence) for i, d in enumerate(a.dates)],
        )  # fmt: skip

    def delete(self, ident: str) -> bool:
        """Remove an article and its annotations; False when there was none."""
        return self._conn.execute("DELETE FROM articles WHERE id = ?", (ident,)).rowcount > 0

    def record_failure(self, failure: Failure, at: str | None = None) -> None:
        """Record a failure; the same (path, reason) again only updates its time."""
        self._conn.execute(
            "INSERT INTO failures (path, reason, hint, at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (path, reason) DO UPDATE SET hint = excluded.hint, at = excluded.at",
            (failure.path, failure.reason, failure.hint, at or _now()),
        )

    def clear_failures(self, path: str) -> int:
        """Forget failures of file ``path`` and of its records (``path:line 3`` …)."""
        return self._conn.execute(
            "DELETE FROM failures WHERE path = ? OR substr(path, 1, ?) = ?",
            (path, len(path) + 1, path + ":"),
        ).rowcount

    # --- reading ----------------------------------------------------------------------

    def __len__(self) -> int:
        return int(self._conn.execute("SELECT count(*) FROM articles").fetchone()[0])

    def __contains__(self, ident: object) -> bool:
        return bool(self._conn.execute("SELECT 1 FROM articles WHERE id = ?", (ident,)).fetchone())

    def find_hash(self, digest: str) -> str | None:
        """The id of the article with this content hash, if stored."""
        row = self._conn.execute("SELECT id FROM articles WHERE content_hash = ?", (digest,))
        found = row.fetchone()
        return str(found[0]) if found else None

    def has_url(self, url: str) -> bool:
        """Whether an article was stored from ``url`` (as its ``path`` or its ``url``)."""
        sql = "SELECT 1 FROM articles WHERE path = ? OR url = ? LIMIT 1"
        return self._conn.execute(sql, (url, url)).fetchone() is not None

    def get(self, ident: str) -> Article | None:
        """The article ``ident`` with all its annotations, equal to what was stored
        (under its stored id)."""
        c = self._conn
        row = c.execute(
            "SELECT id, text, title, language, source, url, published, path, removed"
            " FROM articles WHERE id = ?",
            (ident,),
        ).fetchone()
        if row is None:
            return None

        def rows(table: str, columns: str) -> list[tuple[Any, ...]]:
            sql = f"SELECT {columns} FROM {table} WHERE article_id = ? ORDER BY idx"
            return c.execute(sql, (ident,)).fetchall()

        def day(value: str | None) -> date | None:
            return date.fromisoformat(value) if value else None

        sentences = rows("sentences", 'idx, start, "end", text, heading')
        mentions = rows("mentions", 'text, start, "end", label, sentence, base')
        quantities = rows(
            "quantities",
            'text, start, "end", value, low, high, low_inclusive, high_inclusive, unit,'
            " counted, qualifier, sentence",
        )
        quotes = rows(
            "quotes",
            'text, start, "end", direct, speaker, speaker_start, speaker_end, cue, sentence',
        )
        dates = rows("dates", 'text, start, "end", value, sentence')
        return Article(
            id=row[0],
            text=row[1],
            title=row[2],
            language=row[3],
            source=row[4],
            url=row[5],
            published=day(row[6]),
            path=row[7],
            removed=tuple(json.loads(row[8])),
            sentences=tuple(Sentence(i, s, e, t, bool(h)) for i, s, e, t, h in sentences),
            mentions=tuple(Mention(*m) for m in mentions),
            quantities=tuple(_quantity(*q) for q in quantities),
            quotes=tuple(_quote(*q) for q in quotes),
            dates=tuple(DateRef(t, s, e, day(v), n) for t, s, e, v, n in dates),
        )

    def __iter__(self) -> Iterator[Article]:
        """Every stored article, fully loaded, in id order."""
        ids = [r[0] for r in self._conn.execute("SELECT id FROM articles ORDER BY id")]
        for ident in ids:
            article = self.get(ident)
            if article is not None:
                yield article

    def articles(self, query: ArticleQuery | None = None) -> list[ArticleInfo]:
        """Metadata of the articles matching ``query``, newest first (undated last)."""
        q = query or ArticleQuery()
        where, params = _where(q)
        sql = (
            f"SELECT {_INFO_COLUMNS} FROM articles a WHERE {where}"
            " ORDER BY a.published DESC NULLS LAST, a.id"
        )
        if q.limit is not None:
            sql += " LIMIT ?"
            params.append(q.limit)
        return [_info(r) for r in self._conn.execute(sql, params)]

    def infos(self, ids: Sequence[str]) -> dict[str, ArticleInfo]:
        """Metadata of the stored articles among ``ids``, by id."""
        out: dict[str, ArticleInfo] = {}
        for part, marks in chunks(ids):
            rows = self._conn.execute(
                f"SELECT {_INFO_COLUMNS} FROM articles a WHERE a.id IN ({marks})", part
            )
            out.update((r[0], _info(r)) for r in rows)
        return out

    def search(
        self,
        text: str,
        query: ArticleQuery | None = None,
        *,
        marks: tuple[str, str] = ("[", "]"),
        snippet_tokens: int = 16,
    ) -> list[SearchHit]:
        """Articles whose title or text match ``text``, best first (titles weigh 5×).

        ``text`` is an FTS5 query (``"exact phrase"``, ``OR``, ``NOT``, ``prefix*``);
        when it is not valid FTS5 syntax its words are searched as plain terms.
        ``query`` filters and limits (default limit 20).
        """
        if not text.strip():
            raise StoreError("empty search query", "give words to search for")
        q = query or ArticleQuery()
        where, params = _where(q)
        sql = (
            f"SELECT {_INFO_COLUMNS}, snippet(articles_fts, -1, ?, ?, '…', ?),"
            " bm25(articles_fts, 5.0, 1.0) AS score"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            f" WHERE articles_fts MATCH ? AND {where} ORDER BY score, a.id LIMIT ?"
        )
        limit = q.limit if q.limit is not None else 20
        for fts in (text, fts_phrase_query(text)):
            args = [marks[0], marks[1], snippet_tokens, fts, *params, limit]
            try:
                found = self._conn.execute(sql, args).fetchall()
            except sqlite3.OperationalError as err:  # query syntax, or the database's state
                if any(word in str(err) for word in ("locked", "busy", "disk", "I/O")):
                    raise StoreError(f"search failed: {err}") from err
                continue
            return [SearchHit(_info(r[:10]), r[10], float(r[11])) for r in found]
        raise StoreError(f"cannot search for {text!r}", "use words, or quote a phrase")

    def failures(self) -> list[FailureRow]:
        """Recorded failures, most recent first."""
        rows = self._conn.execute(
            "SELECT path, reason, hint, at FROM failures ORDER BY at DESC, id"
        )
        return [FailureRow(Failure(p, r, h), at) for p, r, h, at in rows]
