"""Small read-only queries for browsing a collection: which story an article is in, a
story's title, the languages and sources for filter menus, one sentence's text.

Story ids returned here are the ids stored with the membership; a story merged into
another is followed to its live story by the caller
(:func:`newsprism.collection.stories.resolve_story`).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.store.db import Store, chunks

__all__ = [
    "article_languages",
    "article_sources",
    "sentence_text",
    "stories_of_articles",
    "story_of_article",
    "story_title",
]

_DISTINCT = (
    "SELECT DISTINCT {0} FROM articles WHERE {0} IS NOT NULL AND {0} != ''"
    " ORDER BY {0} COLLATE NOCASE"
)


def stories_of_articles(store: Store, article_ids: Sequence[str]) -> set[str]:
    """The stored story ids that have any of ``article_ids`` as a member."""
    found: set[str] = set()
    for part, marks in chunks(article_ids):
        rows = store.connection.execute(
            f"SELECT DISTINCT story_id FROM story_articles WHERE article_id IN ({marks})", part
        )
        found.update(str(r[0]) for r in rows)
    return found


def story_of_article(store: Store, article_id: str) -> str | None:
    """The stored story id of an article's membership, ``None`` when it has none."""
    row = store.connection.execute(
        "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
    ).fetchone()
    return str(row[0]) if row else None


def story_title(store: Store, story_id: str) -> str:
    """The title of story ``story_id`` (empty when it has none or does not exist)."""
    row = store.connection.execute("SELECT title FROM stories WHERE id = ?", (story_id,))
    found = row.fetchone()
    return str(found[0]) if found and found[0] else ""


def article_languages(store: Store) -> list[str]:
    """The languages of the stored articles, each once, sorted without regard to case."""
    return [str(r[0]) for r in store.connection.execute(_DISTINCT.format("language"))]


def article_sources(store: Store) -> list[str]:
    """The sources of the stored articles, each once, sorted without regard to case."""
    return [str(r[0]) for r in store.connection.execute(_DISTINCT.format("source"))]


def sentence_text(store: Store, article_id: str, idx: int) -> str:
    """The text of sentence ``idx`` of article ``article_id`` (empty when not stored)."""
    row = store.connection.execute(
        "SELECT text FROM sentences WHERE article_id = ? AND idx = ?", (article_id, idx)
    ).fetchone()
    return str(row[0]) if row else ""
