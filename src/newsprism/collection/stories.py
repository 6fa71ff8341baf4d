"""Stories in the collection: features, stories, memberships and their history.

``update_stories`` is what ingest calls: it turns the new articles into
``StoryDoc`` s (stored in ``story_docs`` so they are never recomputed), restores the
active stories from the store, clusters the new articles and writes every event, all
in one transaction. Story ids never change; a story merged into an older one keeps a
``merged_into`` pointer, so an old id still leads to its story.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np

from newsprism.collection.duplicates import stored_links
from newsprism.dedupe import DedupeOptions, count_independent
from newsprism.embed.sentences import Embedder
from newsprism.errors import InputError
from newsprism.store.db import Store, chunks
from newsprism.stories.bag import Bag
from newsprism.stories.cluster import ClusterOptions, Story, StoryClusterer, StoryEvent
from newsprism.stories.features import StoryDoc
from newsprism.stories.prepare import PrepareOptions, story_docs
from newsprism.timings import Timings

__all__ = [
    "StoryInfo",
    "StoryNotFound",
    "StoryOptions",
    "StoryUpdate",
    "list_stories",
    "resolve_story",
    "save_story_docs",
    "story_history",
    "story_members",
    "update_stories",
]


class StoryNotFound(InputError):
    """No story has this id."""

    default_hint = "list the stories with `newsprism stories --db FILE`"


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


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- story_docs -------------------------------------------------------------------------


def _save_docs(conn: sqlite3.Connection, docs: Sequence[StoryDoc]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO story_docs VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                d.id,
                d.language,
                _iso(d.published),
                d.anchor,
                json.dumps(d.terms, ensure_ascii=False),
                json.dumps(d.names, ensure_ascii=False),
                np.asarray(d.vector, dtype="<f4").tobytes(),
            )
            for d in docs
        ],
    )


def _load_docs(conn: sqlite3.Connection, ids: Sequence[str]) -> list[StoryDoc]:
    out: list[StoryDoc] = []
    for part, marks in chunks(ids):
        rows = conn.execute(
            "SELECT d.article_id, d.language, d.published, d.anchor, d.terms, d.names,"
            " d.vector, a.title, a.source FROM story_docs d JOIN articles a"
            f" ON a.id = d.article_id WHERE d.article_id IN ({marks})",
            part,
        )
        for ident, lang, pub, anchor, terms, names, blob, title, source in rows:
            out.append(
                StoryDoc(
                    id=ident,
                    language=lang,
                    published=_day(pub),
                    anchor=anchor,
                    terms=json.loads(terms),
                    names=json.loads(names),
                    vector=np.frombuffer(blob, dtype="<f4").copy(),
                    title=title,
                    source=source,
                )
            )
    return out


def save_story_docs(store: Store, docs: Sequence[StoryDoc]) -> None:
    """Keep the ``StoryDoc`` s of stored articles (computed where the articles were
    annotated), so that ``update_stories`` does not compute them again."""
    with store.transaction():
        _save_docs(store.connection, docs)


# --- restoring and writing --------------------------------------------------------------


def _members(conn: sqlite3.Connection, sid: str) -> list[StoryDoc]:
    query = "SELECT article_id FROM story_articles WHERE story_id = ?"
    return _load_docs(conn, [r[0] for r in conn.execute(query, (sid,))])


def _restore(conn: sqlite3.Connection, opts: ClusterOptions) -> StoryClusterer:
    clusterer = StoryClusterer(opts, members=lambda sid: _members(conn, sid))
    newest = conn.execute(
        "SELECT max(last_seen) FROM stories WHERE merged_into IS NULL"
    ).fetchone()[0]
    oldest = (
        date.fromordinal(date.fromisoformat(newest).toordinal() - opts.active_days).isoformat()
        if newest
        else None
    )
    rows = conn.execute(
        "SELECT id, title, first_seen, last_seen FROM stories WHERE merged_into IS NULL"
        " AND (last_seen IS NULL OR ? IS NULL OR last_seen >= ?)"
        " ORDER BY updated_at DESC, id LIMIT ?",
        (oldest, oldest, opts.max_active),
    ).fetchall()
    for sid, title, first, last in rows:
        docs = _members(conn, sid)
        if not docs:
            continue
        bag = Bag.of(*docs)
        bag.prune(opts.max_terms, opts.max_names)
        clusterer.restore(Story(sid, title, bag, _day(first), _day(last), 0))
    return clusterer


def _write(conn: sqlite3.Connection, events: Iterable[StoryEvent], clusterer: StoryClusterer,
           docs: dict[str, StoryDoc]) -> StoryUpdate:  # fmt: skip
    now = _now()
    counts = dict.fromkeys(("created", "joined", "merged", "split", "moved"), 0)
    touched: dict[str, None] = {}
    for e in events:
        counts[e.kind] += 1
        touched[e.story] = None
        if e.kind == "split" and e.other is not None:
            touched[e.other] = None
        conn.execute(
            "INSERT INTO story_events (at, kind, story_id, other_id, article_id, score, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now, e.kind, e.story, e.other, e.article, e.score, e.reason),
        )
        if e.kind == "created" and e.article is not None:
            title = docs[e.article].title if e.article in docs else ""
            conn.execute(
                "INSERT OR IGNORE INTO stories (id, title, founder, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (e.story, title, e.article, now, now),
            )
        if e.kind == "split" and e.article is not None:
            conn.execute(
                "INSERT INTO stories (id, title, founder, created_at, updated_at)"
                " VALUES (?, coalesce((SELECT title FROM articles WHERE id = ?), ''), ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET merged_into = NULL",
                (e.story, e.article, e.article, now, now),
            )  # a story once merged away comes back when its founder's part splits off
        if e.kind == "merged" and e.other is not None:
            conn.execute(
                "UPDATE story_articles SET story_id = ? WHERE story_id = ?", (e.story, e.other)
            )
            conn.execute(
                "UPDATE stories SET merged_into = ?, updated_at = ? WHERE id = ?",
                (e.story, now, e.other),
            )
            conn.execute(
                "UPDATE stories SET merged_into = ? WHERE merged_into = ?", (e.story, e.other)
            )
        elif e.article is not None:
            conn.execute(
                "INSERT OR REPLACE INTO story_articles VALUES (?, ?, ?, ?)",
                (e.article, e.story, e.score, e.reason),
            )
    for sid in touched:
        story = clusterer.active.get(sid)
        if story is not None:
            conn.execute(
                "UPDATE stories SET first_seen = ?, last_seen = ?, updated_at = ? WHERE id = ?",
                (_iso(story.first_seen), _iso(story.last_seen), now, sid),
            )
    return StoryUpdate(
        len(docs), counts["created"], counts["joined"], counts["merged"], counts["split"]
    )


def _unassigned(conn: sqlite3.Connection, ids: Iterable[str] | None) -> list[str]:
    if ids is None:
        rows = conn.execute(
            "SELECT id FROM articles WHERE id NOT IN (SELECT article_id FROM story_articles)"
            " ORDER BY published IS NULL, published, ingested_at, id"
        )
        return [r[0] for r in rows]
    wanted = list(dict.fromkeys(ids))
    done: set[str] = set()
    for part, marks in chunks(wanted):
        query = f"SELECT article_id FROM story_articles WHERE article_id IN ({marks})"
        done.update(r[0] for r in conn.execute(query, part))
    return [i for i in wanted if i not in done]


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
    conn = store.connection
    todo = _unassigned(conn, ids)
    if not todo:
        return StoryUpdate(0, 0, 0, 0)
    known = {d.id: d for d in _load_docs(conn, todo)}
    missing = [i for i in todo if i not in known]
    articles = [a for a in (store.get(i) for i in missing) if a is not None and a.language]
    fresh = story_docs(articles, opts.prepare, embedder, timings) if articles else []
    docs = {**known, **{d.id: d for d in fresh}}
    ordered = [docs[i] for i in todo if i in docs]
    with store.transaction():
        _save_docs(conn, fresh)
        clusterer = _restore(conn, opts.cluster)
        events = clusterer.add(ordered)
        update = _write(conn, events, clusterer, docs)
    return update


# --- reading ----------------------------------------------------------------------------


def resolve_story(store: Store, ident: str) -> str:
    """The live id of story ``ident`` (following merges); :class:`StoryNotFound` if none."""
    seen: set[str] = set()
    current = ident
    while current not in seen:
        seen.add(current)
        row = store.connection.execute(
            "SELECT merged_into FROM stories WHERE id = ?", (current,)
        ).fetchone()
        if row is None:
            raise StoryNotFound(f"{ident}: no such story")
        if row[0] is None:
            return current
        current = row[0]
    return current


def story_members(store: Store, ident: str) -> list[str]:
    """The article ids of story ``ident``, oldest first."""
    sid = resolve_story(store, ident)
    rows = store.connection.execute(
        "SELECT a.id FROM story_articles s JOIN articles a ON a.id = s.article_id"
        " WHERE s.story_id = ? ORDER BY a.published IS NULL, a.published, a.id",
        (sid,),
    )
    return [r[0] for r in rows]


def story_history(store: Store, ident: str) -> list[dict[str, object]]:
    """The events of story ``ident`` (and of the stories merged into it, and the splits
    off it), oldest first."""
    sid = resolve_story(store, ident)
    query = "SELECT id FROM stories WHERE merged_into = ?"
    merged = [r[0] for r in store.connection.execute(query, (sid,))]
    ids = [sid, *merged]
    marks = ",".join("?" * len(ids))
    rows = store.connection.execute(
        "SELECT at, kind, story_id, other_id, article_id, score, reason FROM story_events"
        f" WHERE story_id IN ({marks}) OR (kind = 'split' AND other_id IN ({marks}))"
        " ORDER BY id",
        [*ids, *ids],
    )
    keys = ("at", "kind", "story", "other", "article", "score", "reason")
    return [dict(zip(keys, r, strict=True)) for r in rows]


def list_stories(
    store: Store, *, min_articles: int = 1, language: str | None = None, limit: int | None = None
) -> list[StoryInfo]:
    """The live stories, largest and most recent first."""
    conn = store.connection
    links = stored_links(store, DedupeOptions().threshold)
    rows = conn.execute(
        "SELECT s.id, s.title, s.first_seen, s.last_seen, group_concat(a.id, char(31)),"
        " group_concat(coalesce(a.language, '?'), char(31)),"
        " count(DISTINCT coalesce(a.source, a.id)) FROM stories s"
        " JOIN story_articles m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id"
        " WHERE s.merged_into IS NULL GROUP BY s.id"
    ).fetchall()
    out: list[StoryInfo] = []
    for sid, title, first, last, ids, langs, sources in rows:
        members = ids.split("\x1f")
        languages = tuple(sorted(set(langs.split("\x1f"))))
        if len(members) < min_articles or (language and language not in languages):
            continue
        out.append(
            StoryInfo(sid, title, len(members), count_independent(members, links), sources,
                      languages, _day(first), _day(last))
        )  # fmt: skip
    out.sort(key=lambda s: (-s.articles, -(s.last_seen or date.min).toordinal(), s.id))
    return out[:limit] if limit else out
