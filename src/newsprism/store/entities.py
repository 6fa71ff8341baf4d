"""Collection-wide entities: each stored mention linked to one canonical entity.

Linking is incremental: when an article is stored, each of its mentions (its lemma, or
its surface) is matched against the aliases already known, with the rules of
cross-document linking (:mod:`newsprism.link.names`): names match when every word matches
(spelling, transliteration, consonant skeleton); ``Feuerwehrchef Oleksandr Kowalenko``
joins ``Oleksandr Kowalenko``; a surname alone joins the one multi-word ``PERSON`` whose
last word it matches. A mention that matches nothing creates an entity. A full name
seen after its surname alone (``Zelensky``, then ``Volodymyr Zelensky``) absorbs the
surname-only entity when it is the only full name for it.

An ingest run links through one :class:`EntityLinker`, which keeps the collection's
entities and aliases in memory (:mod:`newsprism.store.alias_index`), loaded once in
O(aliases) and updated as it creates, retypes, renames and merges entities. A name is
looked up by exact blocking instead of a scan: its exact tokens in a dict; otherwise
the aliases of as many words that share, at the most selective position, a word
matching the name's (the known words matching a word come from a dict of spellings, a
dict keyed by consonant skeleton and first letter, and a partition filter for the
fuzzy ratio, and are cached); the candidates are then checked with ``names_match`` in
alias order, so results are those of a full scan. The cost per mention depends on how
many aliases share a matching word, not on the size of the collection; a word never
seen before costs one partition-filter lookup. Writes by other connections (``PRAGMA
data_version``) or by other code on the same connection (a per-connection counter kept
by temporary triggers) make the next :meth:`EntityLinker.link` reload the index, and a
failed link, rolled back, drops it.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from typing import NamedTuple

from newsprism.link.names import LinkOptions, name_tokens
from newsprism.store.alias_index import AliasIndex
from newsprism.store.db import Store

__all__ = [
    "EntityLinker",
    "EntityRow",
    "entities",
    "link_missing",
    "link_stored",
    "prune_entities",
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


class EntityLinker:
    """Links stored articles to collection-wide entities, one article at a time.

    Keep one linker for a whole ingest run: it loads the entities and aliases into an
    :class:`~newsprism.store.alias_index.AliasIndex` on first use and keeps it in step
    with what it writes. Changes made meanwhile by another connection, or on the same
    connection by other code, are noticed at the start of :meth:`link` and the index is
    reloaded; a failed link rolls back and drops the index.
    """

    def __init__(self, store: Store, options: LinkOptions | None = None) -> None:
        self.store = store
        self.opts = options or LinkOptions()
        self._index: AliasIndex | None = None
        self._version: tuple[int, int] = (-1, -1)
        self._pending: list[list[object]] = []

    @property
    def conn(self) -> sqlite3.Connection:
        return self.store.connection

    def invalidate(self) -> None:
        """Forget the index; the next :meth:`link` reloads it."""
        self._index = None

    def _data_version(self) -> tuple[int, int]:
        conn = self.conn
        data = int(conn.execute("PRAGMA data_version").fetchone()[0])
        epoch = int(conn.execute("SELECT n FROM newsprism_entity_epoch").fetchone()[0])
        return data, epoch

    def _load(self) -> AliasIndex:
        index = AliasIndex(self.opts)
        for entity, name, kind in self.conn.execute("SELECT id, name, type FROM entities"):
            index.add_entity(int(entity), str(name), str(kind))
        for rowid, entity, alias, tokens, ntokens in self.conn.execute(
            "SELECT rowid, entity_id, alias, tokens, ntokens FROM entity_aliases ORDER BY rowid"
        ):
            index.add_alias(int(rowid), int(entity), str(alias), str(tokens), int(ntokens))
        return index

    def link(self, article_id: str) -> int:
        """Link the stored mentions of ``article_id`` (replacing its links), in one
        transaction; returns how many mentions were linked."""
        conn = self.conn
        if self._index is None:
            for sql in _TRIGGERS:
                conn.execute(sql)
        try:
            with self.store.transaction():
                if self._index is None or self._data_version() != self._version:
                    self._index = self._load()
                linked = self._link(self._index, article_id)
                self._version = self._data_version()
        except BaseException:
            self._index = None
            raise
        return linked

    def _link(self, index: AliasIndex, article_id: str) -> int:
        conn = self.conn
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
        self._pending = []
        for idx, surface, label, name in named:
            key = (name, label == "NORP")
            entity = seen.get(key)
            if entity is None:
                entity = self._find(index, name, label)
            if entity is None:
                entity = self._create(index, surface, label)
            seen[key] = entity
            self._add_alias(index, entity, surface, label)
            self._pending.append([article_id, idx, entity])
        conn.executemany(
            "INSERT INTO mention_entities (article_id, idx, entity_id) VALUES (?, ?, ?)",
            self._pending,
        )
        self._pending = []
        return len(named)

    def _find(self, index: AliasIndex, name: tuple[str, ...], label: str) -> int | None:
        norp = label == "NORP"
        exact = index.exact(" ".join(name))
        for entity in exact:
            if (index.entities[entity].type == "NORP") == norp:
                return entity
        if exact:
            return exact[0]
        found = index.first_match(name, lambda e: (index.entities[e].type == "NORP") == norp)
        if found is None and len(name) >= 3:  # a title glued to a known two-word name
            found = index.first_match(name[-2:])
        if found is None and len(name) == 1 and label != "LOC":
            owners = index.surname_owners(name[0], limit=2)
            if len(owners) == 1:
                found = owners.pop()
        return found

    def _create(self, index: AliasIndex, surface: str, label: str) -> int:
        cur = self.conn.execute("INSERT INTO entities (name, type) VALUES (?, ?)", (surface, label))
        entity = int(cur.lastrowid or 0)
        index.add_entity(entity, surface, label)
        self._add_alias(index, entity, surface, label)
        name = name_tokens(surface)
        if (
            label == "PERSON"
            and len(name) > 1
            and index.surname_owners(name[-1], limit=2) == {entity}
        ):
            self._absorb_surname_entities(index, entity, name[-1])
        return entity

    def _absorb_surname_entities(self, index: AliasIndex, entity: int, surname: str) -> None:
        """Merge entities known only by this surname into the new full name."""
        conn = self.conn
        for other in index.surname_only(surname, entity):
            conn.execute(
                "UPDATE mention_entities SET entity_id = ? WHERE entity_id = ?", (entity, other)
            )
            conn.execute(
                "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, tokens, ntokens)"
                " SELECT ?, alias, tokens, ntokens FROM entity_aliases WHERE entity_id = ?",
                (entity, other),
            )
            conn.execute("DELETE FROM entities WHERE id = ?", (other,))
            index.remove_entity(other)
            for row in self._pending:
                if row[2] == other:
                    row[2] = entity
            known = index.entities[entity].aliases
            for rowid, alias, tokens, ntokens in conn.execute(
                "SELECT rowid, alias, tokens, ntokens FROM entity_aliases WHERE entity_id = ?",
                (entity,),
            ).fetchall():
                if str(alias) not in known:
                    index.add_alias(int(rowid), entity, str(alias), str(tokens), int(ntokens))

    def _add_alias(self, index: AliasIndex, entity: int, surface: str, label: str) -> None:
        conn = self.conn
        state = index.entities[entity]
        tokens = name_tokens(surface)
        if surface not in state.aliases:
            joined = " ".join(tokens)
            cur = conn.execute(
                "INSERT OR IGNORE INTO entity_aliases (entity_id, alias, tokens, ntokens)"
                " VALUES (?, ?, ?, ?)",
                (entity, surface, joined, len(tokens)),
            )
            if cur.rowcount == 1 and cur.lastrowid:
                index.add_alias(int(cur.lastrowid), entity, surface, joined, len(tokens))
        if label != "MISC" and state.type == "MISC":
            conn.execute("UPDATE entities SET type = ? WHERE id = ?", (label, entity))
            state.type = label
        if len(tokens) > 1 and len(name_tokens(state.name)) < 2:
            # a full name replaces a surname as the canonical name
            conn.execute("UPDATE entities SET name = ? WHERE id = ?", (surface, entity))
            state.name = surface


def link_stored(store: Store, article_id: str, options: LinkOptions | None = None) -> int:
    """Link the stored mentions of ``article_id`` to collection-wide entities (creating
    entities and aliases as needed), in one transaction; returns how many mentions were
    linked. Linking an article again replaces its links. To link many articles, use
    one :class:`EntityLinker` for all of them."""
    return EntityLinker(store, options).link(article_id)


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
    linker = EntityLinker(store, options)
    for ident in ids:
        linker.link(ident)
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
