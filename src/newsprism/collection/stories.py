"""Stories in the collection: put stored articles into stories, and list them.

``update_stories`` is what ingest calls: it turns the new articles into
``StoryDoc`` s (stored in ``story_docs`` so they are never recomputed), restores the
active stories from the store, clusters the new articles and writes every event, all
in one transaction. Story ids never change; a story merged into an older one keeps a
``merged_into`` pointer, so an old id still leads to its story. The tables are read
and written by :mod:`newsprism.store.stories` (which also answers
:func:`resolve_story`, :func:`story_members` and :func:`story_history`); clustering is
:mod:`newsprism.stories`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from newsprism.collection.duplicates import stored_links
from newsprism.dedupe import DedupeOptions, count_independent
from newsprism.embed.sentences import Embedder
from newsprism.errors import failure_of
from newsprism.model import Article
from newsprism.store.db import Store
from newsprism.store.stories import (
    StoredStoryDoc,
    StoryEventRow,
    active_stories,
    live_stories,
    read_story_docs,
    resolve_story,
    story_article_ids,
    story_history,
    story_members,
    unassigned_articles,
    write_story_docs,
    write_story_events,
)
from newsprism.stories.bag import Bag
from newsprism.stories.cluster import ClusterOptions, Story, StoryClusterer, StoryEvent
from newsprism.stories.features import StoryDoc
from newsprism.stories.prepare import PrepareOptions, story_docs
from newsprism.timings import Timings

__all__ = [
    "StoryInfo",
    "StoryOptions",
    "StoryUpdate",
    "list_stories",
    "resolve_story",
    "save_story_docs",
    "story_history",
    "story_members",
    "update_stories",
]


@dataclass(frozen=True)
class StoryOptions:
    """Options of story building: features, embedding and clustering."""

    prepare: PrepareOptions = field(default_factory=PrepareOptions)
    cluster: ClusterOptions = field(default_factory=ClusterOptions)


@dataclass(frozen=True)
class StoryUpdate:
    """What one update did."""

    articles: int
    created: int
    joined: int
    merged: int
    split: int = 0


@dataclass(frozen=True)
class StoryInfo:
    """A story as listed: size, sources, languages and when it was seen."""

    id: str
    title: str
    articles: int
    independent_sources: int
    sources: int
    languages: tuple[str, ...]
    first_seen: date | None
    last_seen: date | None


# --- story_docs -------------------------------------------------------------------------


def _stored(doc: StoryDoc) -> StoredStoryDoc:
    return StoredStoryDoc(doc.id, doc.language, doc.published, doc.anchor, doc.terms,
                          doc.names, doc.vector, doc.title, doc.source)  # fmt: skip


def _doc(row: StoredStoryDoc) -> StoryDoc:
    return StoryDoc(row.id, row.language, row.published, row.anchor, row.terms, row.names,
                    row.vector, row.title, row.source)  # fmt: skip


def _load_docs(store: Store, ids: Sequence[str]) -> list[StoryDoc]:
    return [_doc(row) for row in read_story_docs(store, ids)]


def _members(store: Store, sid: str) -> list[StoryDoc]:
    return _load_docs(store, story_article_ids(store, sid))


def save_story_docs(store: Store, docs: Sequence[StoryDoc]) -> None:
    """Keep the ``StoryDoc`` s of stored articles (computed where the articles were
    annotated), so that ``update_stories`` does not compute them again."""
    with store.transaction():
        write_story_docs(store, [_stored(d) for d in docs])


# --- restoring and writing --------------------------------------------------------------


def _restore(store: Store, opts: ClusterOptions) -> StoryClusterer:
    clusterer = StoryClusterer(opts, members=lambda sid: _members(store, sid))
    for active in active_stories(store, opts.active_days, opts.max_active):
        docs = _members(store, active.id)
        if not docs:
            continue
        bag = Bag.of(*docs)
        bag.prune(opts.max_terms, opts.max_names)
        clusterer.restore(
            Story(active.id, active.title, bag, active.first_seen, active.last_seen, 0)
        )
    return clusterer


def _write(store: Store, events: Sequence[StoryEvent], clusterer: StoryClusterer,
           docs: dict[str, StoryDoc]) -> StoryUpdate:  # fmt: skip
    counts = dict.fromkeys(("created", "joined", "merged", "split", "moved"), 0)
    touched: dict[str, None] = {}
    for e in events:
        counts[e.kind] += 1
        touched[e.story] = None
        if e.kind == "split" and e.other is not None:
            touched[e.other] = None
    spans = {
        sid: (story.first_seen, story.last_seen)
        for sid in touched
        if (story := clusterer.active.get(sid)) is not None
    }
    write_story_events(
        store,
        [StoryEventRow(e.kind, e.story, e.article, e.other, e.score, e.reason) for e in events],
        {ident: doc.title for ident, doc in docs.items()},
        spans,
    )
    return StoryUpdate(
        len(docs), counts["created"], counts["joined"], counts["merged"], counts["split"]
    )


def _recorder(store: Store) -> Callable[[Article, Exception], None]:
    """Records in the failures table an article whose story features failed; it stays
    in no story (and is tried again by the next update), the others go on."""

    def record(article: Article, err: Exception) -> None:
        where = article.path or article.url or article.id
        store.record_failure(failure_of(where, err))

    return record


def update_stories(
    store: Store,
    ids: Iterable[str] | None = None,
    options: StoryOptions | None = None,
    *,
    embedder: Embedder | None = None,
    timings: Timings | None = None,
) -> StoryUpdate:
    """Put the stored articles ``ids`` (default: every article in no story yet) into
    stories. Articles already in a story are left where they are."""
    opts = options or StoryOptions()
    todo = unassigned_articles(store, ids)
    if not todo:
        return StoryUpdate(0, 0, 0, 0)
    known = {d.id: d for d in _load_docs(store, todo)}
    missing = [i for i in todo if i not in known]
    articles = [a for a in (store.get(i) for i in missing) if a is not None and a.language]
    fresh = (
        story_docs(articles, opts.prepare, embedder, timings, failed=_recorder(store))
        if articles
        else []
    )
    docs = {**known, **{d.id: d for d in fresh}}
    ordered = [docs[i] for i in todo if i in docs]
    with store.transaction():
        # read again under the write lock: another process may have placed some of them
        # since ``todo`` was read, and its events must not be written a second time
        still = set(unassigned_articles(store, [d.id for d in ordered]))
        ordered = [d for d in ordered if d.id in still]
        docs = {ident: doc for ident, doc in docs.items() if ident in still}
        write_story_docs(store, [_stored(d) for d in fresh])
        clusterer = _restore(store, opts.cluster)
        events = clusterer.add(ordered)
        update = _write(store, events, clusterer, docs)
    return update


# --- reading ----------------------------------------------------------------------------


def list_stories(
    store: Store, *, min_articles: int = 1, language: str | None = None, limit: int | None = None
) -> list[StoryInfo]:
    """The live stories, largest and most recent first."""
    links = stored_links(store, DedupeOptions().threshold)
    out: list[StoryInfo] = []
    for story in live_stories(store):
        members = list(story.members)
        languages = tuple(sorted(set(story.languages)))
        if len(members) < min_articles or (language and language not in languages):
            continue
        out.append(
            StoryInfo(story.id, story.title, len(members), count_independent(members, links),
                      story.sources, languages, story.first_seen, story.last_seen)
        )  # fmt: skip
    out.sort(key=lambda s: (-s.articles, -(s.last_seen or date.min).toordinal(), s.id))
    return out[:limit] if limit else out
