"""Stories in the collection: the stored story features, stories, memberships and their
history (tables ``story_docs``, ``stories``, ``story_articles``, ``story_events``;
``docs/schema.md``).

Plain data in and out (:class:`StoredStoryDoc`, :class:`StoryEventRow`, ids, dates);
clustering itself is :mod:`newsprism.stories`, and :mod:`newsprism.collection.stories`
runs it over the collection. The writes here run on the store's connection as they
are: group the ones that belong together in ``Store.transaction()``. Story ids never
change; a story merged into an older one keeps a ``merged_into`` pointer, which
:func:`resolve_story` follows.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from newsprism.errors import StoryNotFound
from newsprism.store.db import Store, chunks

__all__ = [
    "ActiveStory",
    "LiveStory",
    "StoredStoryDoc",
    "StoryEventRow",
    "active_stories",
    "live_stories",
    "read_story_docs",
    "resolve_story",
    "story_article_ids",
    "story_history",
    "story_members",
    "unassigned_articles",
    "write_story_docs",
    "write_story_events",
]


@dataclass(frozen=True)
class StoredStoryDoc:
    """An article's story features as stored (``title`` and ``source`` are read from
    the article, not written)."""

    id: str
    language: str
    published: date | None
    anchor: int | None
    terms: Mapping[str, float]
    names: Mapping[str, float]
    vector: npt.NDArray[np.float32]
    title: str = ""
    source: str | None = None


class StoryEventRow(NamedTuple):
    """One clustering event to write: ``created``, ``joined``, ``merged`` (``other``
    merged into ``story``), ``split`` (``story`` split off ``other``) or ``moved``."""

    kind: str
    story: str
    article: str | None
    other: str | None
    score: float
    reason: str


class ActiveStory(NamedTuple):
    """A live story that clustering keeps in memory."""

    id: str
    title: str
    first_seen: date | None
    last_seen: date | None


class LiveStory(NamedTuple):
    """A live story as listed: its members and their languages (``?`` when unknown,
    one per member), and how many distinct sources (or articles without one) it has."""

    id: str
    title: str
    first_seen: date | None
    last_seen: date | None
    members: tuple[str, ...]
    languages: tuple[str, ...]
    sources: int


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- story_docs -------------------------------------------------------------------------


def write_story_docs(store: Store, docs: Sequence[StoredStoryDoc]) -> None:
    """Store the story features of stored articles (replacing earlier ones)."""
    store.connection.executemany(
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


def read_story_docs(store: Store, ids: Sequence[str]) -> list[StoredStoryDoc]:
    """The stored story features of the articles among ``ids`` that have them."""
    out: list[StoredStoryDoc] = []
    for part, marks in chunks(ids):
        rows = store.connection.execute(
            "SELECT d.article_id, d.language, d.published, d.anchor, d.terms, d.names,"
            " d.vector, a.title, a.source FROM story_docs d JOIN articles a"
            f" ON a.id = d.article_id WHERE d.article_id IN ({marks})",
            part,
        )
        for ident, lang, pub, anchor, terms, names, blob, title, source in rows:
            out.append(
                StoredStoryDoc(
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


# --- clustering state -------------------------------------------------------------------


def story_article_ids(store: Store, story: str) -> list[str]:
    """The ids of the articles in story ``story`` (as stored, merges not followed)."""
    query = "SELECT article_id FROM story_articles WHERE story_id = ?"
    return [str(r[0]) for r in store.connection.execute(query, (story,))]


def active_stories(store: Store, active_days: int, max_active: int) -> list[ActiveStory]:
    """The live stories seen within ``active_days`` of the newest one (or never seen
    on a date), most recently updated first, at most ``max_active``."""
    conn = store.connection
    newest = conn.execute(
        "SELECT max(last_seen) FROM stories WHERE merged_into IS NULL"
    ).fetchone()[0]
    oldest = (
        date.fromordinal(date.fromisoformat(newest).toordinal() - active_days).isoformat()
        if newest
        else None
    )
    rows = conn.execute(
        "SELECT id, title, first_seen, last_seen FROM stories WHERE merged_into IS NULL"
        " AND (last_seen IS NULL OR ? IS NULL OR last_seen >= ?)"
        " ORDER BY updated_at DESC, id LIMIT ?",
        (oldest, oldest, max_active),
    ).fetchall()
    return [ActiveStory(sid, title, _day(first), _day(last)) for sid, title, first, last in rows]


def write_story_events(
    store: Store,
    events: Iterable[StoryEventRow],
    titles: Mapping[str, str],
    spans: Mapping[str, tuple[date | None, date | None]],
) -> None:
    """Record clustering ``events`` and apply them to stories and memberships; a story
    ``created`` by an article is titled ``titles[article]``. Then set the first and
    last dates of the stories in ``spans``."""
    conn = store.connection
    now = _now()
    for e in events:
        conn.execute(
            "INSERT INTO story_events (at, kind, story_id, other_id, article_id, score, reason)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (now, e.kind, e.story, e.other, e.article, e.score, e.reason),
        )
        if e.kind == "created" and e.article is not None:
            conn.execute(
                "INSERT OR IGNORE INTO stories (id, title, founder, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (e.story, titles.get(e.article, ""), e.article, now, now),
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
    for sid, (first, last) in spans.items():
        conn.execute(
            "UPDATE stories SET first_seen = ?, last_seen = ?, updated_at = ? WHERE id = ?",
            (_iso(first), _iso(last), now, sid),
        )


def unassigned_articles(store: Store, ids: Iterable[str] | None) -> list[str]:
    """The articles among ``ids`` in no story yet, in the order given (``None``: every
    such article, oldest first)."""
    conn = store.connection
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


def live_stories(store: Store) -> list[LiveStory]:
    """Every live story (not merged away) with at least one member."""
    rows = store.connection.execute(
        "SELECT s.id, s.title, s.first_seen, s.last_seen, group_concat(a.id, char(31)),"
        " group_concat(coalesce(a.language, '?'), char(31)),"
        " count(DISTINCT coalesce(a.source, a.id)) FROM stories s"
        " JOIN story_articles m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id"
        " WHERE s.merged_into IS NULL GROUP BY s.id"
    ).fetchall()
    return [
        LiveStory(sid, title, _day(first), _day(last), tuple(ids.split("\x1f")),
                  tuple(langs.split("\x1f")), int(sources))
        for sid, title, first, last, ids, langs, sources in rows
    ]  # fmt: skip
