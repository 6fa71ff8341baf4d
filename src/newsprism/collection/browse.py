"""Browsing a collection: its stories, a story with its coverage diff, an article with
its story, full-text hits with their stories, and the values of the filter menus.

Every function takes an open :class:`~newsprism.store.Store` and returns plain data
(the web pages, the JSON API and the ``story`` command show the same things).
Coverage diffs are costly (entity linking and statement alignment), so
:class:`CoverageCache` keeps the most recent ones, keyed by the story's compared
members: a story that gains an article gets a fresh diff.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsprism.collection.comparison import compare_stored
from newsprism.collection.stories import (
    StoryInfo,
    list_stories,
    resolve_story,
    story_history,
    story_members,
)
from newsprism.errors import NewsprismError, NotFound
from newsprism.model import Article, Coverage
from newsprism.store import ArticleInfo, ArticleQuery, SearchHit, Store
from newsprism.store.browse import (
    article_languages,
    article_sources,
    stories_of_articles,
    story_of_article,
    story_title,
)

__all__ = [
    "MAX_COMPARED",
    "ArticleData",
    "CoverageCache",
    "FilterChoices",
    "Filters",
    "Overview",
    "StoryData",
    "StoryHit",
    "article_data",
    "choices",
    "overview",
    "pick_members",
    "search_hits",
    "stories",
    "story_data",
    "story_of",
]

MAX_COMPARED = 8
"""Members of a story compared at most (spread over sources and languages)."""


@dataclass(frozen=True)
class Filters:
    """Filters of the stories and the search; ``None`` means no filter."""

    language: str | None = None
    source: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def on_articles(self) -> bool:
        """Whether a filter other than the language applies (stories are then kept
        when one of their articles matches)."""
        return any(x is not None for x in (self.source, self.since, self.until))

    def query(self, limit: int | None = None) -> ArticleQuery:
        """The same filters as an article query, with at most ``limit`` rows."""
        return ArticleQuery(self.source, self.language, self.since, self.until, limit)


@dataclass(frozen=True)
class StoryData:
    """A story: its members (oldest first), history and coverage diff.

    ``requested`` is the id asked for (an id merged into ``id`` leads here);
    ``compared`` the members the diff compares."""

    id: str
    requested: str
    title: str
    members: tuple[ArticleInfo, ...]
    compared: tuple[str, ...]
    history: tuple[dict[str, Any], ...]
    coverage: Coverage


@dataclass(frozen=True)
class ArticleData:
    """One stored article with every annotation, its live story when it has one, and
    that story's coverage diff when it was asked for and the article is compared."""

    article: Article
    info: ArticleInfo | None
    story: str | None
    coverage: Coverage | None


@dataclass(frozen=True)
class StoryHit:
    """A full-text hit and the live story of its article (``None``: in no story)."""

    hit: SearchHit
    story: str | None


@dataclass(frozen=True)
class FilterChoices:
    """The languages and sources found in a collection, sorted, for filter menus."""

    languages: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Overview:
    """The stories matching some filters, the filter choices and, when a search was
    asked for, its hits; ``search_error`` is the search's error (the rest stands)."""

    stories: tuple[StoryInfo, ...]
    choices: FilterChoices
    hits: tuple[StoryHit, ...]
    search_error: NewsprismError | None


class CoverageCache:
    """The coverage diffs of the ``size`` most recently viewed stories (thread-safe)."""

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, ...], Coverage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, ...], make: Callable[[], Coverage]) -> Coverage:
        """The diff stored under ``key``, made with ``make()`` when there is none."""
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


def pick_members(store: Store, ids: list[str], limit: int) -> list[str]:
    """Up to ``limit`` of a story's members ``ids`` (oldest first) to compare,
    spreading over sources and languages, oldest first."""
    if len(ids) <= limit:
        return ids
    rows = {i: (a.source or i, a.language or "") for i, a in store.infos(ids).items()}
    chosen: list[str] = []
    seen: set[tuple[str, str]] = set()
    rules: tuple[Callable[[str], tuple[str, str]], ...] = (
        lambda k: rows[k],
        lambda k: ("", rows[k][1]),
        lambda k: ("", k),
    )
    for rule in rules:
        for ident in ids:
            key = rule(ident)
            if len(chosen) < limit and ident not in chosen and key not in seen:
                chosen.append(ident)
                seen.add(key)
    return chosen


def stories(
    store: Store, filters: Filters | None = None, *, min_articles: int = 1, limit: int | None = None
) -> list[StoryInfo]:
    """Live stories of at least ``min_articles`` articles, largest first, with an article
    matching every filter; at most ``limit``."""
    wanted = filters or Filters()
    found = list_stories(store, min_articles=min_articles, language=wanted.language)
    if wanted.on_articles:
        ids = [i.id for i in store.articles(wanted.query())]
        keep = {resolve_story(store, s) for s in stories_of_articles(store, ids)}
        found = [s for s in found if s.id in keep]
    return found[:limit] if limit else found


def choices(store: Store) -> FilterChoices:
    """The languages and sources found in the collection, for the filter menus."""
    return FilterChoices(tuple(article_languages(store)), tuple(article_sources(store)))


def story_of(store: Store, article_id: str) -> str | None:
    """The live story of an article, ``None`` when it has none."""
    found = story_of_article(store, article_id)
    return resolve_story(store, found) if found is not None else None


def story_data(
    store: Store, ident: str, cache: CoverageCache, *, limit: int = MAX_COMPARED
) -> StoryData:
    """Story ``ident`` (merged ids lead to the live story) with the diff of up to ``limit``
    members; :class:`~newsprism.errors.StoryNotFound` if there is no such
    story."""
    sid = resolve_story(store, ident)
    members = story_members(store, sid)
    compared = pick_members(store, members, limit)
    infos = store.infos(members)
    key = (str(Path(store.path).resolve()), sid, *compared)
    coverage = cache.get(key, lambda: compare_stored(store, compared))
    return StoryData(
        id=sid,
        requested=ident,
        title=story_title(store, sid) or sid,
        members=tuple(infos[m] for m in members if m in infos),
        compared=tuple(compared),
        history=tuple(story_history(store, sid)),
        coverage=coverage,
    )


def article_data(store: Store, ident: str, cache: CoverageCache | None) -> ArticleData:
    """Article ``ident`` with its story and, when ``cache`` is given and the article is
    among the compared members, the story's coverage diff; :class:`NotFound` if there
    is no such article."""
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
    store: Store,
    text: str,
    filters: Filters | None = None,
    *,
    limit: int = 50,
    marks: tuple[str, str] = ("[", "]"),
) -> list[StoryHit]:
    """Full-text hits (best first, at most ``limit``) with the live story of each hit's
    article."""
    hits = store.search(text, (filters or Filters()).query(limit), marks=marks)
    return [StoryHit(h, story_of(store, h.article.id)) for h in hits]


def overview(
    store: Store,
    filters: Filters | None = None,
    text: str = "",
    *,
    marks: tuple[str, str] = ("[", "]"),
) -> Overview:
    """The stories matching ``filters``, the filter choices, and the hits of searching
    ``text`` (none when empty). A search that fails leaves its error in the result."""
    hits: list[StoryHit] = []
    problem: NewsprismError | None = None
    if text:
        try:
            hits = search_hits(store, text, filters, marks=marks)
        except NewsprismError as err:
            problem = err
    return Overview(tuple(stories(store, filters)), choices(store), tuple(hits), problem)
