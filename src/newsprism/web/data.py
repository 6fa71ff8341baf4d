"""What the web views and the JSON API read from a collection.

Every function takes an open :class:`~newsprism.store.Store` and returns plain data;
nothing here knows about HTTP. Coverage diffs are costly (entity linking and statement
alignment), so :class:`CoverageCache` keeps the most recent ones, keyed by the story's
compared members: a story that gains an article gets a fresh diff.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsprism.collection.stories import (
    StoryInfo,
    list_stories,
    resolve_story,
    story_history,
    story_members,
)
from newsprism.collection.story_members import pick_members
from newsprism.errors import InputError
from newsprism.model import Article, Coverage
from newsprism.store import ArticleInfo, ArticleQuery, SearchHit, Store
from newsprism.store.db import chunks

__all__ = [
    "ArticleData",
    "CoverageCache",
    "Filters",
    "NotFound",
    "StoryData",
    "article_data",
    "choices",
    "search_hits",
    "stories",
    "story_data",
    "story_of",
]

MAX_COMPARED = 8


class NotFound(InputError):
    """No article or story has this id."""

    default_hint = "start from the stories page, or search the collection"


@dataclass(frozen=True)
class Filters:
    """Filters of the stories page and the search; ``None`` means no filter."""

    language: str | None = None
    source: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def on_articles(self) -> bool:
        return any(x is not None for x in (self.source, self.since, self.until))

    def query(self, limit: int | None = None) -> ArticleQuery:
        return ArticleQuery(self.source, self.language, self.since, self.until, limit)


@dataclass(frozen=True)
class StoryData:
    """A story: its members (oldest first), history and coverage diff."""

    id: str
    requested: str
    title: str
    members: tuple[ArticleInfo, ...]
    compared: tuple[str, ...]
    history: tuple[dict[str, Any], ...]
    coverage: Coverage


@dataclass(frozen=True)
class ArticleData:
    """One stored article with every annotation, and its story when it has one."""

    article: Article
    info: ArticleInfo | None
    story: str | None
    coverage: Coverage | None


class CoverageCache:
    """The coverage diffs of the ``size`` most recently viewed stories (thread-safe)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, ...], Coverage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...], make: Callable[[], Coverage]) -> Coverage:
        # One diff at a time: the models behind it are shared and loaded once.
        with self._lock:
            found = self._items.get(key)
            if found is None:
                found = make()
                self._items[key] = found
                while len(self._items) > self.size:
                    self._items.popitem(last=False)
            self._items.move_to_end(key)
            return found


def stories(store: Store, filters: Filters, *, limit: int | None = None) -> list[StoryInfo]:
    """Live stories, largest first, with an article matching every filter."""
    found = list_stories(store, language=filters.language)
    if filters.on_articles:
        ids = [i.id for i in store.articles(filters.query())]
        keep: set[str] = set()
        for part, marks in chunks(ids):
            rows = store.connection.execute(
                f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN ({marks})",
                part,
            )
            keep.update(resolve_story(store, r[0]) for r in rows)
        found = [s for s in found if s.id in keep]
    return found[:limit] if limit else found


def choices(store: Store) -> tuple[list[str], list[str]]:
    """(languages, sources) found in the collection, sorted, for the filter menus."""
    conn = store.connection
    where = "FROM articles WHERE {0} IS NOT NULL AND {0} != '' ORDER BY {0} COLLATE NOCASE"
    langs = [r[0] for r in conn.execute("SELECT DISTINCT language " + where.format("language"))]
    sources = [r[0] for r in conn.execute("SELECT DISTINCT source " + where.format("source"))]
    return langs, sources


def story_of(store: Store, article_id: str) -> str | None:
    """The live story of an article, ``None`` when it has none."""
    row = store.connection.execute(
        "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    return resolve_story(store, row[0]) if row else None


def story_data(
    store: Store, ident: str, cache: CoverageCache, *, limit: int = MAX_COMPARED
) -> StoryData:
    """Story ``ident`` (merged ids lead to the live story) with the diff of up to ``limit``
    members; :class:`StoryNotFound` if there is no such story."""
    from newsprism.collection.stored import compare_stored

    sid = resolve_story(store, ident)
    members = story_members(store, sid)
    compared = pick_members(store, members, limit)
    row = store.connection.execute("SELECT title FROM stories WHERE id = ?", (sid,)).fetchone()
    infos = store.infos(members)
    key = (str(Path(store.path).resolve()), sid, *compared)
    coverage = cache.get(key, lambda: compare_stored(store, compared))
    return StoryData(
        id=sid,
        requested=ident,
        title=(row[0] if row and row[0] else "") or sid,
        members=tuple(infos[m] for m in members if m in infos),
        compared=tuple(compared),
        history=tuple(story_history(store, sid)),
        coverage=coverage,
    )


def article_data(store: Store, ident: str, cache: CoverageCache | None) -> ArticleData:
    """Article ``ident`` with its story and, when ``cache`` is given and the article is
    among the compared members, the story's coverage diff."""
    article = store.get(ident)
    if article is None:
        raise NotFound(f"{ident}: no such article in the collection")
    sid = story_of(store, ident)
    coverage = None
    if sid is not None and cache is not None:
        data = story_data(store, sid, cache)
        if ident in data.compared:
            coverage = data.coverage
    return ArticleData(article, store.infos([ident]).get(ident), sid, coverage)


def search_hits(
    store: Store, text: str, filters: Filters, *, limit: int = 50, marks: tuple[str, str]
) -> list[tuple[SearchHit, str | None]]:
    """Full-text hits (best first) with the live story of each hit's article."""
    from newsprism.collection.ingest import search

    hits = search(store, text, filters.query(limit), marks=marks)
    return [(h, story_of(store, h.article.id)) for h in hits]
