"""``Collection(path)``: the front object of a stored collection (one SQLite file).

Every ``newsprism`` command and web route over a collection makes one call into it::

    with Collection("news.db") as news:
        news.ingest(["articles/"])
        for story in news.stories(limit=5):
            print(story.id, story.title, news.story(story.id).coverage.facts[:3])
        news.export("jsonl", Path("news.jsonl"))

It opens (or creates, and migrates) the file and delegates to the functions of
:mod:`newsprism.collection` — ingest, fetch, browse, stored comparisons, stories, export
— and to the store; it adds no logic of its own. Coverage diffs of stories are cached
(:class:`~newsprism.collection.browse.CoverageCache`), and the cache can be shared by
collections opened on the same file (one per request of the web app).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, TYPE_CHECKING, Any

from newsprism.collection import browse
from newsprism.collection.browse import (
    MAX_COMPARED,
    ArticleData,
    CoverageCache,
    FilterChoices,
    Filters,
    Overview,
    StoryData,
    StoryHit,
)
from newsprism.collection.comparison import compare_stored, load_stored
from newsprism.collection.duplicates import index_missing, stored_groups
from newsprism.collection.ingest import IngestOptions, IngestProgress, IngestSummary, ingest
from newsprism.collection.stories import StoryInfo, story_history
from newsprism.dedupe import DedupeOptions, DuplicateGroup, NearDuplicate
from newsprism.errors import MissingArticles
from newsprism.model import Article, Coverage
from newsprism.pipeline.run import PipelineOptions
from newsprism.store import ArticleInfo, ArticleQuery, FailureRow, SearchHit, Store
from newsprism.store.browse import sentence_text

if TYPE_CHECKING:
    from newsprism.collection.engines import Engine
    from newsprism.collection.fetch import FetchOptions, FetchProgress, FetchSummary
    from newsprism.similarity.model import Similarity, SimilarityOptions
    from newsprism.store.entities import EntityRow
    from newsprism.timings import Timings

__all__ = [
    "Collection",
    "DuplicateArticle",
    "DuplicateSet",
    "Duplicates",
    "EmbedSummary",
    "SimilarSentence",
]


@dataclass(frozen=True)
class DuplicateArticle:
    """An article of a near-duplicate group as listings show it (fields left empty when
    the store has no metadata for it)."""

    id: str
    title: str = ""
    source: str | None = None
    url: str | None = None
    published: date | None = None


@dataclass(frozen=True)
class DuplicateSet:
    """A near-duplicate group: its ``ids`` (sorted), their ``articles`` in that order,
    and the ``links`` inside it."""

    ids: tuple[str, ...]
    articles: tuple[DuplicateArticle, ...]
    links: tuple[NearDuplicate, ...]


@dataclass(frozen=True)
class Duplicates:
    """The near-duplicate groups of a collection (largest first), the number of stored
    ``articles`` and of ``independent_sources`` (a group counts once)."""

    articles: int
    independent_sources: int
    groups: tuple[DuplicateSet, ...]


@dataclass(frozen=True)
class EmbedSummary:
    """Sentences ``embedded`` by one run, and the ``total`` of vectors stored."""

    embedded: int
    total: int


@dataclass(frozen=True)
class SimilarSentence:
    """A stored sentence near a query: its article, index, cosine distance and text."""

    article_id: str
    idx: int
    distance: float
    text: str


class Collection:
    """A collection of annotated articles, their stories and near-duplicates in the
    SQLite file ``path`` — in the spirit of sqlite-utils' ``Database``.

    ``create=False`` refuses a missing file (:class:`~newsprism.errors.StoreError`).
    ``coverages``: a cache of stories' coverage diffs to share (default: a new one).
    Use as a context manager or call :meth:`close`.
    """

    def __init__(
        self, path: Path | str, *, create: bool = True, coverages: CoverageCache | None = None
    ) -> None:
        self.path = Path(path)
        self._store = Store(self.path, create=create)
        self._coverages = coverages if coverages is not None else CoverageCache()

    # --- lifecycle --------------------------------------------------------------------

    @property
    def store(self) -> Store:
        """The underlying :class:`~newsprism.store.Store` (for what this class does not
        cover)."""
        return self._store

    def close(self) -> None:
        """Close the file (the collection cannot be used after)."""
        self._store.close()

    def __enter__(self) -> Collection:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __len__(self) -> int:
        return len(self._store)

    def __contains__(self, ident: object) -> bool:
        return ident in self._store

    # --- adding articles --------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[Path | str],
        options: IngestOptions | None = None,
        progress: Callable[[IngestProgress], None] | None = None,
        *,
        timings: Timings | None = None,
        engine: Engine | None = None,
    ) -> IngestSummary:
        """Read, annotate and store the articles of ``paths`` (files or folders) and put
        them into stories (:func:`newsprism.collection.ingest.ingest`)."""
        return ingest(paths, self._store, options, progress, timings, engine)

    def fetch(
        self,
        urls: Iterable[str],
        options: FetchOptions | None = None,
        progress: Callable[[FetchProgress], None] | None = None,
    ) -> FetchSummary:
        """Download pages and feeds, annotate and store their articles
        (:func:`newsprism.collection.fetch.fetch`)."""
        from newsprism.collection.fetch import fetch

        return fetch(urls, self._store, options, progress)

    # --- articles ---------------------------------------------------------------------

    def articles(self, query: ArticleQuery | None = None) -> list[ArticleInfo]:
        """Metadata of the stored articles matching ``query``, newest first."""
        return self._store.articles(query)

    def article(self, ident: str, *, coverage: bool = False) -> ArticleData:
        """Article ``ident`` with every annotation and its story; with ``coverage``, also
        the story's coverage diff when the article is among the compared members.
        :class:`~newsprism.errors.NotFound` if there is no such article."""
        return browse.article_data(self._store, ident, self._coverages if coverage else None)

    def load(self, ids: Iterable[str]) -> list[Article]:
        """The stored articles ``ids`` with their annotations, in the order given;
        :class:`MissingArticles` when some are not stored."""
        articles, missing = load_stored(self._store, ids)
        if missing:
            raise MissingArticles(missing)
        return articles

    def search(
        self, text: str, query: ArticleQuery | None = None, *, marks: tuple[str, str] = ("[", "]")
    ) -> list[SearchHit]:
        """Full-text search of titles and texts (FTS5 syntax or plain words), best first;
        each hit has a snippet with the matched words between ``marks``."""
        return self._store.search(text, query, marks=marks)

    def search_stories(
        self,
        text: str,
        filters: Filters | None = None,
        *,
        limit: int = 50,
        marks: tuple[str, str] = ("[", "]"),
    ) -> list[StoryHit]:
        """Full-text hits (best first) with the live story of each hit's article."""
        return browse.search_hits(self._store, text, filters, limit=limit, marks=marks)

    def failures(self) -> list[FailureRow]:
        """The files, records and URLs that failed, most recent first."""
        return self._store.failures()

    def entities(self) -> list[EntityRow]:
        """Every entity linked across the collection, most mentioned first."""
        from newsprism.store.entities import entities

        return entities(self._store)

    def choices(self) -> FilterChoices:
        """The languages and sources found in the collection, for filter menus."""
        return browse.choices(self._store)

    def overview(
        self, filters: Filters | None = None, text: str = "", *, marks: tuple[str, str] = ("[", "]")
    ) -> Overview:
        """The stories matching ``filters``, the filter choices and the hits of searching
        ``text`` (what the stories page shows)."""
        return browse.overview(self._store, filters, text, marks=marks)

    # --- comparing --------------------------------------------------------------------

    def compare(self, ids: Iterable[str], options: PipelineOptions | None = None) -> Coverage:
        """The coverage diff of the stored articles ``ids``; ids not stored are the
        coverage's failures (:func:`newsprism.collection.comparison.compare_stored`)."""
        return compare_stored(self._store, ids, options)

    def similarity(self, a: str, b: str, options: SimilarityOptions | None = None) -> Similarity:
        """How similar the stored articles ``a`` and ``b`` are, on seven dimensions;
        :class:`MissingArticles` when one is not stored."""
        from newsprism.similarity.model import compare_pair

        first, second = self.load([a, b]) if a != b else self.load([a]) * 2
        if first.id == second.id:
            second = dataclasses.replace(second, id=f"{second.id}-2")
        return compare_pair(first, second, options)

    def duplicates(self, threshold: float | None = None) -> Duplicates:
        """Groups of near-duplicate articles linked at least ``threshold`` similar
        (default: the indexing threshold); articles not indexed yet are indexed first."""
        default = DedupeOptions().threshold
        wanted = default if threshold is None else threshold
        index_missing(self._store, DedupeOptions(threshold=min(wanted, default)))
        groups = stored_groups(self._store, wanted)
        total = len(self._store)
        infos = self._store.infos([i for g in groups for i in g.ids])
        independent = total - sum(len(g.ids) - 1 for g in groups)
        return Duplicates(total, independent, tuple(_with_articles(g, infos) for g in groups))

    # --- stories ----------------------------------------------------------------------

    def stories(
        self, filters: Filters | None = None, *, min_articles: int = 1, limit: int | None = None
    ) -> list[StoryInfo]:
        """Live stories of at least ``min_articles`` articles, largest first, with an
        article matching every filter; at most ``limit``."""
        return browse.stories(self._store, filters, min_articles=min_articles, limit=limit)

    def story(self, ident: str, *, limit: int = MAX_COMPARED) -> StoryData:
        """Story ``ident`` (a merged id leads to its live story): members, history and
        the coverage diff of up to ``limit`` members;
        :class:`~newsprism.errors.StoryNotFound` if there is none."""
        return browse.story_data(self._store, ident, self._coverages, limit=limit)

    def history(self, ident: str) -> list[dict[str, object]]:
        """The events of story ``ident`` (joins, merges, splits), oldest first."""
        return story_history(self._store, ident)

    # --- sentence vectors and export --------------------------------------------------

    def embed(self) -> EmbedSummary:
        """Compute sentence vectors for the stored articles that have none."""
        from newsprism.collection.vectors import embed_stored
        from newsprism.store.vectors import embedded_count

        added = embed_stored(self._store)
        return EmbedSummary(added, embedded_count(self._store))

    def similar(self, text: str, limit: int = 10) -> list[SimilarSentence]:
        """The ``limit`` stored sentences closest in meaning to ``text`` (after
        :meth:`embed`), closest first."""
        from newsprism.collection.vectors import nearest

        found = nearest(self._store, text, limit)
        return [
            SimilarSentence(n.article_id, n.idx, n.distance,
                            sentence_text(self._store, n.article_id, n.idx))
            for n in found
        ]  # fmt: skip

    def export(self, fmt: str, target: Path | IO[Any], query: ArticleQuery | None = None) -> int:
        """Write the articles matching ``query`` in ``fmt`` (jsonl, json, csv, parquet)
        to the file or stream ``target``; returns how many
        (:func:`newsprism.collection.export.export`)."""
        from newsprism.collection.export import export

        return export(self._store, fmt, target, query)


def _with_articles(group: DuplicateGroup, infos: Mapping[str, ArticleInfo]) -> DuplicateSet:
    """``group`` with the metadata of each of its articles."""

    def article(ident: str) -> DuplicateArticle:
        info = infos.get(ident)
        if info is None:
            return DuplicateArticle(ident)
        return DuplicateArticle(ident, info.title, info.source, info.url, info.published)

    return DuplicateSet(group.ids, tuple(article(i) for i in group.ids), group.links)
