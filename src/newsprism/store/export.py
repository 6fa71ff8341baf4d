"""Reading a collection in id order, a batch at a time (what an export streams).

:func:`article_stamps` pages through the articles matching an ``ArticleQuery`` by id
(``id > last``), so the whole collection is never read at once and articles added or
deleted meanwhile do not shift the pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from newsprism.store.db import ArticleQuery, Store

__all__ = ["ArticleStamp", "article_stamps"]


class ArticleStamp(NamedTuple):
    """A stored article's id, with what the store adds to it: its content hash and
    when it was ingested."""

    id: str
    content_hash: str
    ingested_at: str


def _where(query: ArticleQuery) -> tuple[str, list[Any]]:
    clauses, params = ["id > ?"], []
    for column, value in (("source", query.source), ("language", query.language)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    if query.since is not None:
        clauses.append("published >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        clauses.append("published <= ?")
        params.append(query.until.isoformat())
    return " AND ".join(clauses), params


def article_stamps(
    store: Store, query: ArticleQuery | None = None, batch: int = 200
) -> Iterator[ArticleStamp]:
    """The stored articles matching ``query`` (filters and limit), in id order, read
    ``batch`` at a time."""
    q = query or ArticleQuery()
    where, params = _where(q)
    left = q.limit if q.limit is not None else -1
    last = ""
    while left != 0:
        size = batch if left < 0 else min(batch, left)
        rows = store.connection.execute(
            f"SELECT id, content_hash, ingested_at FROM articles WHERE {where} ORDER BY id LIMIT ?",
            [last, *params, size],
        ).fetchall()
        if not rows:
            return
        yield from (ArticleStamp(str(i), str(h), str(at)) for i, h, at in rows)
        last = rows[-1][0]
        left = -1 if left < 0 else left - len(rows)
