"""Collection-wide entities in the store: entities, their aliases, and each stored
mention's link to one of them (tables ``entities``, ``entity_aliases``,
``mention_entities``; ``docs/schema.md``).

Plain data in and out: ids, names, aliases with their name tokens (the ASCII,
lower-cased words of :func:`newsprism.link.names.name_tokens`, joined by spaces). Which
entity a mention belongs to is decided by :class:`newsprism.collection.entities.EntityLinker`
over an in-memory :mod:`newsprism.link.alias_index`; it reads and writes through the
functions here, inside ``Store.transaction()``. :func:`entity_change_version` lets it
notice writes made meanwhile: SQLite's ``PRAGMA data_version`` counts commits by other
connections, and a per-connection counter kept by temporary triggers
(:func:`watch_entity_changes`) counts writes to the entity tables on this one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from newsprism.store.db import Store

__all__ = [
    "EntityRow",
    "add_alias",
    "alias_rows",
    "articles_without_links",
    "clear_mention_links",
    "create_entity",
    "entities",
    "entity_change_version",
    "entity_rows",
    "mentions_to_link",
    "merge_entity",
    "prune_entities",
    "save_mention_links",
    "set_entity_name",
    "set_entity_type",
    "watch_entity_changes",
]


class EntityRow(NamedTuple):
    """A collection-wide entity: its aliases (sorted) and how many articles mention it."""

    id: int
    name: str
    type: str
    aliases: tuple[str, ...]
    article_count: int


_TRIGGERS = [
    "CREATE TEMP TABLE IF NOT EXISTS newsprism_entity_epoch (n INTEGER NOT NULL)",
    "INSERT INTO newsprism_entity_epoch (n) SELECT 0"
    " WHERE NOT EXISTS (SELECT 1 FROM newsprism_entity_epoch)",
] + [
    f"CREATE TEMP TRIGGER IF NOT EXISTS newsprism_{table}_{event.lower()} AFTER {event}"
    f" ON main.{table} BEGIN UPDATE newsprism_entity_epoch SET n = n + 1; END"
    for table in ("entities", "entity_aliases")
    for event in ("INSERT", "UPDATE", "DELETE")
]


# --- noticing changes -------------------------------------------------------------------


def watch_entity_changes(store: Store) -> None:
    """Count writes to ``entities`` and ``entity_aliases`` on this connection (temporary
    triggers; idempotent). Needed before :func:`entity_change_version`."""
    for sql in _TRIGGERS:
        store.connection.execute(sql)


def entity_change_version(store: Store) -> tuple[int, int]:
    """Changes when another connection commits, or this one writes an entity table."""
    conn = store.connection
    data = int(conn.execute("PRAGMA data_version").fetchone()[0])
    epoch = int(conn.execute("SELECT n FROM newsprism_entity_epoch").fetchone()[0])
    return data, epoch


# --- reading ----------------------------------------------------------------------------


def entity_rows(store: Store) -> list[tuple[int, str, str]]:
    """``(id, name, type)`` of every entity."""
    rows = store.connection.execute("SELECT id, name, type FROM entities")
    return [(int(entity), str(name), str(kind)) for entity, name, kind in rows]


def alias_rows(store: Store) -> list[tuple[int, int, str, str, int]]:
    """``(alias id, entity id, alias, tokens, number of tokens)`` of every alias, in the
    order they were stored."""
    rows = store.connection.execute(
        "SELECT rowid, entity_id, alias, tokens, ntokens FROM entity_aliases ORDER BY rowid"
    )
    return [(int(r), int(e), str(a), str(t), int(n)) for r, e, a, t, n in rows]


def mentions_to_link(store: Store, article_id: str) -> list[tuple[int, str, str]]:
    """``(mention idx, name, label)`` of the stored mentions of ``article_id``; the name
    is the mention's base form when it has one, else its text."""
    rows = store.connection.execute(
        "SELECT idx, coalesce(nullif(base, ''), text), label FROM mentions"
        " WHERE article_id = ? ORDER BY idx",
        (article_id,),
    )
    return [(int(i), str(s), str(lb)) for i, s, lb in rows]


def articles_without_links(store: Store) -> list[str]:
    """The articles that have mentions but no links to entities, by id."""
    rows = store.connection.execute(
        "SELECT DISTINCT m.article_id FROM mentions m WHERE NOT EXISTS"
        " (SELECT 1 FROM mention_entities me WHERE me.article_id = m.article_id)"
        " ORDER BY 1"
    )
    return [str(r[0]) for r in rows]


# --- writing ----------------------------------------------------------------------------


def clear_mention_links(store: Store, article_id: str) -> None:
    """Drop the links of the mentions of ``article_id``."""
    store.connection.execute("DELETE FROM mention_entities WHERE article_id = ?", (article_id,))


def save_mention_links(store: Store, links: Iterable[tuple[str, int, int]]) -> None:
    """Store ``(article id, mention idx, entity id)`` links."""
    store.connection.executemany(
        "INSERT INTO mention_entities (article_id, idx, entity_id) VALUES (?, ?, ?)", links
    )


def create_entity(store: Store, name: str, kind: str) -> int:
    """A new entity named ``name`` of type ``kind``; returns its id."""
    cur = store.connection.execute("INSERT INTO entities (name, type) VALUES (?, ?)", (name, kind))
    return int(cur.lastrowid or 0)


def add_alias(store: Store, entity: int, alias: str, tokens: str, ntokens: int) -> int | None:
    """Give ``entity`` the alias ``alias``; returns the new alias id, ``None`` when the
    entity already has it."""
    cur = store.connection.execute(
        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, tokens, ntokens)"
        " VALUES (?, ?, ?, ?)",
        (entity, alias, tokens, ntokens),
    )
    return int(cur.lastrowid) if cur.rowcount == 1 and cur.lastrowid else None


def set_entity_type(store: Store, entity: int, kind: str) -> None:
    store.connection.execute("UPDATE entities SET type = ? WHERE id = ?", (kind, entity))


def set_entity_name(store: Store, entity: int, name: str) -> None:
    store.connection.execute("UPDATE entities SET name = ? WHERE id = ?", (name, entity))


def merge_entity(store: Store, into: int, other: int) -> list[tuple[int, str, str, int]]:
    """Merge entity ``other`` into ``into``: its links and aliases move, it is deleted.
    Returns ``(alias id, alias, tokens, number of tokens)`` of every alias ``into`` has
    now."""
    conn = store.connection
    conn.execute("UPDATE mention_entities SET entity_id = ? WHERE entity_id = ?", (into, other))
    conn.execute(
        "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, tokens, ntokens)"
        " SELECT ?, alias, tokens, ntokens FROM entity_aliases WHERE entity_id = ?",
        (into, other),
    )
    conn.execute("DELETE FROM entities WHERE id = ?", (other,))
    rows = conn.execute(
        "SELECT rowid, alias, tokens, ntokens FROM entity_aliases WHERE entity_id = ?", (into,)
    ).fetchall()
    return [(int(r), str(a), str(t), int(n)) for r, a, t, n in rows]


def prune_entities(store: Store) -> int:
    """Drop entities no stored mention links to; returns how many."""
    return store.connection.execute(
        "DELETE FROM entities WHERE NOT EXISTS"
        " (SELECT 1 FROM mention_entities me WHERE me.entity_id = entities.id)"
    ).rowcount


def entities(store: Store) -> list[EntityRow]:
    """Every entity with its aliases and article count, most mentioned first."""
    conn = store.connection
    aliases: dict[int, list[str]] = {}
    for entity, alias in conn.execute("SELECT entity_id, alias FROM entity_aliases ORDER BY 1, 2"):
        aliases.setdefault(int(entity), []).append(str(alias))
    counts: Counter[int] = Counter(
        {int(e): int(n) for e, n in conn.execute(
            "SELECT entity_id, count(DISTINCT article_id) FROM mention_entities GROUP BY 1")}
    )  # fmt: skip
    rows = conn.execute("SELECT id, name, type FROM entities").fetchall()
    out = [
        EntityRow(int(i), str(n), str(t), tuple(aliases.get(int(i), [])), counts[int(i)])
        for i, n, t in rows
    ]
    return sorted(out, key=lambda e: (-e.article_count, e.name, e.id))
