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
entities and aliases in memory (:mod:`newsprism.link.alias_index`), loaded once in
O(aliases) and updated as it creates, retypes, renames and merges entities. A name is
looked up by exact blocking instead of a scan: its exact tokens in a dict; otherwise
the aliases of as many words that share, at the most selective position, a word
matching the name's (the known words matching a word come from a dict of spellings, a
dict keyed by consonant skeleton and first letter, and a partition filter for the
fuzzy ratio, and are cached); the candidates are then checked with ``names_match`` in
alias order, so results are those of a full scan. The cost per mention depends on how
many aliases share a matching word, not on the size of the collection; a word never
seen before costs one partition-filter lookup. Writes by other connections or by other
code on the same connection (:func:`newsprism.store.entities.entity_change_version`)
make the next :meth:`EntityLinker.link` reload the index, and a failed link, rolled
back, drops it. The tables are read and written by :mod:`newsprism.store.entities`.
"""

from __future__ import annotations

from newsprism.link.alias_index import AliasIndex
from newsprism.link.names import LinkOptions, name_tokens
from newsprism.store.db import Store
from newsprism.store.entities import (
    add_alias,
    alias_rows,
    articles_without_links,
    clear_mention_links,
    create_entity,
    entity_change_version,
    entity_rows,
    mentions_to_link,
    merge_entity,
    save_mention_links,
    set_entity_name,
    set_entity_type,
    watch_entity_changes,
)

__all__ = ["EntityLinker", "link_missing", "link_stored"]


class EntityLinker:
    """Links stored articles to collection-wide entities, one article at a time.

    Keep one linker for a whole ingest run: it loads the entities and aliases into an
    :class:`~newsprism.link.alias_index.AliasIndex` on first use and keeps it in step
    with what it writes. Changes made meanwhile by another connection, or on the same
    connection by other code, are noticed at the start of :meth:`link` and the index is
    reloaded; a failed link rolls back and drops the index.
    """

    def __init__(self, store: Store, options: LinkOptions | None = None) -> None:
        self.store = store
        self.opts = options or LinkOptions()
        self._index: AliasIndex | None = None
        self._version: tuple[int, int] = (-1, -1)
        self._pending: list[tuple[str, int, int]] = []  # (article, mention, entity) links

    def invalidate(self) -> None:
        """Forget the index; the next :meth:`link` reloads it."""
        self._index = None

    def _load(self) -> AliasIndex:
        index = AliasIndex(self.opts)
        for entity, name, kind in entity_rows(self.store):
            index.add_entity(entity, name, kind)
        for rowid, entity, alias, tokens, ntokens in alias_rows(self.store):
            index.add_alias(rowid, entity, alias, tokens, ntokens)
        return index

    def link(self, article_id: str) -> int:
        """Link the stored mentions of ``article_id`` (replacing its links), in one
        transaction; returns how many mentions were linked."""
        store = self.store
        if self._index is None:
            watch_entity_changes(store)
        try:
            with store.transaction():
                if self._index is None or entity_change_version(store) != self._version:
                    self._index = self._load()
                linked = self._link(self._index, article_id)
                self._version = entity_change_version(store)
        except BaseException:
            self._index = None
            raise
        return linked

    def _link(self, index: AliasIndex, article_id: str) -> int:
        rows = mentions_to_link(self.store, article_id)
        clear_mention_links(self.store, article_id)
        # Two-word names first, then longer ones, then single words (maybe surnames).
        rank = {2: 0, 1: 2}
        named = [(i, s, lb, name_tokens(s)) for i, s, lb in rows]
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
            self._pending.append((article_id, idx, entity))
        save_mention_links(self.store, self._pending)
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
        entity = create_entity(self.store, surface, label)
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
        for other in index.surname_only(surname, entity):
            aliases = merge_entity(self.store, entity, other)
            index.remove_entity(other)
            self._pending = [(a, i, entity if e == other else e) for a, i, e in self._pending]
            known = index.entities[entity].aliases
            for rowid, alias, tokens, ntokens in aliases:
                if alias not in known:
                    index.add_alias(rowid, entity, alias, tokens, ntokens)

    def _add_alias(self, index: AliasIndex, entity: int, surface: str, label: str) -> None:
        state = index.entities[entity]
        tokens = name_tokens(surface)
        if surface not in state.aliases:
            joined = " ".join(tokens)
            rowid = add_alias(self.store, entity, surface, joined, len(tokens))
            if rowid is not None:
                index.add_alias(rowid, entity, surface, joined, len(tokens))
        if label != "MISC" and state.type == "MISC":
            set_entity_type(self.store, entity, label)
            state.type = label
        if len(tokens) > 1 and len(name_tokens(state.name)) < 2:
            # a full name replaces a surname as the canonical name
            set_entity_name(self.store, entity, surface)
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
    ids = articles_without_links(store)
    linker = EntityLinker(store, options)
    for ident in ids:
        linker.link(ident)
    return len(ids)
