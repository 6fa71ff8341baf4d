"""Collection-wide entities: each stored mention linked to one canonical entity.

Linking is incremental: when an article is stored, each of its mentions (its lemma, or
its surface) is matched against the aliases already known, with the rules of
cross-document linking (:mod:`newsprism.link`): names match when every word matches
(spelling, transliteration, consonant skeleton); ``Feuerwehrchef Oleksandr Kowalenko``
joins ``Oleksandr Kowalenko``; a surname alone joins the one multi-word ``PERSON`` whose
last word it matches. A mention that matches nothing creates an entity. A full name
seen after its surname alone (``Zelensky``, then ``Volodymyr Zelensky``) absorbs the
surname-only entity when it is the only full name for it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import NamedTuple

from newsprism.link import LinkOptions, name_tokens, names_match, tokens_match
from newsprism.store.db import Store

__all__ = ["EntityRow", "entities", "link_missing", "link_stored", "prune_entities"]


class EntityRow(NamedTuple):
    """A collection-wide entity: its aliases (sorted) and how many articles mention it."""

    id: int
    name: str
    type: str
    aliases: tuple[str, ...]
    article_count: int


class _Linker:
    def __init__(self, conn: sqlite3.Connection, opts: LinkOptions) -> None:
        self.conn = conn
        self.opts = opts

    def _type(self, entity: int) -> str:
        return str(
            self.conn.execute("SELECT type FROM entities WHERE id = ?", (entity,)).fetchone()[0]
        )

    def _candidates(
        self, ntokens: int, person_only: bool = False
    ) -> list[tuple[int, tuple[str, ...], str]]:
        sql = (
            "SELECT a.entity_id, a.tokens, e.type FROM entity_aliases a"
            " JOIN entities e ON e.id = a.entity_id WHERE a.ntokens "
            + ("> 1" if ntokens < 0 else "= ?")
        )
        params: tuple[int, ...] = () if ntokens < 0 else (ntokens,)
        if person_only:
            sql += " AND e.type = 'PERSON'"
        return [(int(i), tuple(t.split()), str(ty)) for i, t, ty in self.conn.execute(sql, params)]

    def find(self, name: tuple[str, ...], label: str) -> int | None:
        norp = label == "NORP"
        rows = self.conn.execute(
            "SELECT a.entity_id, e.type FROM entity_aliases a JOIN entities e ON e.id = a.entity_id"
            " WHERE a.tokens = ? ORDER BY a.entity_id",
            (" ".join(name),),
        ).fetchall()
        for entity, kind in rows:
            if (kind == "NORP") == norp:
                return int(entity)
        if rows:
            return int(rows[0][0])
        for entity, tokens, kind in self._candidates(len(name)):
            if (kind == "NORP") == norp and names_match(name, tokens, self.opts):
                return entity
        if len(name) >= 3:  # a title glued to a known two-word name
            for entity, tokens, _ in self._candidates(2):
                if names_match(name[-2:], tokens, self.opts):
                    return entity
        if len(name) == 1 and label != "LOC":
            owners = self._surname_owners(name[0])
            if len(owners) == 1:
                return owners.pop()
        return None

    def _surname_owners(self, surname: str) -> set[int]:
        return {
            entity
            for entity, tokens, _ in self._candidates(-1, person_only=True)
            if tokens_match(surname, tokens[-1], self.opts)
        }

    def create(self, surface: str, label: str) -> int:
        cur = self.conn.execute("INSERT INTO entities (name, type) VALUES (?, ?)", (surface, label))
        entity = int(cur.lastrowid or 0)
        self.add_alias(entity, surface, label)
        name = name_tokens(surface)
        if label == "PERSON" and len(name) > 1 and self._surname_owners(name[-1]) == {entity}:
            self._absorb_surname_entities(entity, name[-1])
        return entity

    def _absorb_surname_entities(self, entity: int, surname: str) -> None:
        """Merge entities known only by this surname into the new full name."""
        rows = self.conn.execute(
            "SELECT e.id FROM entities e WHERE e.type IN ('PERSON', 'MISC') AND e.id != ?"
            " AND NOT EXISTS (SELECT 1 FROM entity_aliases a WHERE a.entity_id = e.id"
            " AND a.ntokens != 1)",
            (entity,),
        ).fetchall()
        for (other,) in rows:
            tokens = {t for (t,) in self.conn.execute(
                "SELECT tokens FROM entity_aliases WHERE entity_id = ?", (other,))}  # fmt: skip
            if tokens and all(tokens_match(surname, t, self.opts) for t in tokens):
                self.conn.execute(
                    "UPDATE mention_entities SET entity_id = ? WHERE entity_id = ?", (entity, other)
                )
                self.conn.execute(
                    "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, tokens, ntokens)"
                    " SELECT ?, alias, tokens, ntokens FROM entity_aliases WHERE entity_id = ?",
                    (entity, other),
                )
                self.conn.execute("DELETE FROM entities WHERE id = ?", (other,))

    def add_alias(self, entity: int, surface: str, label: str) -> None:
        tokens = name_tokens(surface)
        self.conn.execute(
            "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, tokens, ntokens)"
            " VALUES (?, ?, ?, ?)",
            (entity, surface, " ".join(tokens), len(tokens)),
        )
        if label != "MISC" and self._type(entity) == "MISC":
            self.conn.execute("UPDATE entities SET type = ? WHERE id = ?", (label, entity))
        if len(tokens) > 1:  # a full name replaces a surname as the canonical name
            name = self.conn.execute("SELECT name FROM entities WHERE id = ?", (entity,))
            if len(name_tokens(str(name.fetchone()[0]))) < 2:
                self.conn.execute("UPDATE entities SET name = ? WHERE id = ?", (surface, entity))


def link_stored(store: Store, article_id: str, options: LinkOptions | None = None) -> int:
    """Link the stored mentions of ``article_id`` to collection-wide entities (creating
    entities and aliases as needed), in one transaction; returns how many mentions were
    linked. Linking an article again replaces its links."""
    conn = store.connection
    linker = _Linker(conn, options or LinkOptions())
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = conn.execute(
            "SELECT idx, coalesce(nullif(base, ''), text), label FROM mentions"
            " WHERE article_id = ? ORDER BY idx",
            (article_id,),
        ).fetchall()
        conn.execute("DELETE FROM mention_entities WHERE article_id = ?", (article_id,))
        # Two-word names first, then longer ones, then single words (maybe surnames).
        rank = {2: 0, 1: 2}
        named = [(int(i), str(s), str(lb), name_tokens(str(s))) for i, s, lb in rows]
        named = [m for m in named if m[3]]
        named.sort(key=lambda m: (rank.get(len(m[3]), 1), m[0]))
        seen: dict[tuple[tuple[str, ...], bool], int] = {}
        for idx, surface, label, name in named:
            key = (name, label == "NORP")
            entity = seen.get(key)
            if entity is None:
                entity = linker.find(name, label)
            if entity is None:
                entity = linker.create(surface, label)
            seen[key] = entity
            linker.add_alias(entity, surface, label)
            conn.execute(
                "INSERT INTO mention_entities (article_id, idx, entity_id) VALUES (?, ?, ?)",
                (article_id, idx, entity),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(named)


def link_missing(store: Store, options: LinkOptions | None = None) -> int:
    """Link the articles that have mentions but no links yet (stored before entities
    existed, or by a run killed in between); returns how many articles were linked."""
    ids = [
        str(r[0])
        for r in store.connection.execute(
            "SELECT DISTINCT m.article_id FROM mentions m WHERE NOT EXISTS"
            " (SELECT 1 FROM mention_entities me WHERE me.article_id = m.article_id)"
            " ORDER BY 1"
        )
    ]
    for ident in ids:
        link_stored(store, ident, options)
    return len(ids)


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
