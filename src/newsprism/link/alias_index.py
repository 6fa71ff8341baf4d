"""In-memory index of the collection's entity aliases, for constant-time linking.

:class:`TokenIndex` answers "which known tokens match this token" under
:func:`newsprism.link.names.tokens_match`, by exact blocking on the three ways two tokens
can match: equality (a set), the same consonant skeleton and first letter (a dict
keyed by both), and a fuzzy ratio of at least ``fuzzy_ratio`` between tokens of five
characters or more (:class:`FuzzyIndex`, a partition filter whose survivors are
checked by ``rapidfuzz`` in C). Every candidate is verified with ``tokens_match``, so the answer is
exactly the set of known tokens that match. Answers are cached and kept complete as
tokens are added: a new token is matched once, and added to the cached answers of the
tokens it matches.

:class:`AliasIndex` holds the entities (type, name, aliases) and posting lists of
alias ids by (number of words, position, word), by last word of multi-word names and
by one-word names, so that a name's candidate aliases are those sharing a matching
word at the most selective position.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import chain

from rapidfuzz import fuzz, process

from newsprism.link.names import LinkOptions, names_match, skeleton, tokens_match

__all__ = ["AliasIndex", "EntityState", "TokenIndex"]

_FUZZY_MIN_CHARS = 5  # the fuzzy branch of tokens_match needs both tokens this long
_PENDING_LIMIT = 1024


class FuzzyIndex:
    """Tokens of five characters or more (not numbers), found again by fuzzy ratio.

    A partition filter (PassJoin): tokens whose ``fuzz.ratio`` reaches ``r`` are at
    most ``d = (1 - r / 100) * (la + lb)`` insertions and deletions apart. Each token
    is cut into more chunks than ``d`` can be for any token it may match; one edit
    spoils at most one chunk, so at least one chunk occurs intact in the other token,
    shifted by at most ``d`` characters. A lookup therefore lists the chunks' posting
    lists at those shifts only: a superset of the matches, without scanning.
    """

    def __init__(self, ratio: float) -> None:
        self.ratio = ratio
        self._chunks: dict[tuple[int, int, str], list[str]] = {}
        self._plans: dict[int, tuple[tuple[int, int], ...] | None] = {}
        self._scan: dict[int, list[str]] = {}  # too short to cut (very low ratios only)

    def _distance(self, la: int, lb: int) -> int:
        """The most edits two tokens of these lengths may differ by (rounded up, so
        that no candidate is lost to rounding)."""
        return math.floor((1.0 - self.ratio / 100.0) * (la + lb) + 1e-6)

    def _plan(self, lb: int) -> tuple[tuple[int, int], ...] | None:
        """(start, length) of each chunk of a token of ``lb`` characters."""
        if lb in self._plans:
            return self._plans[lb]
        most = 0
        for la in range(_FUZZY_MIN_CHARS, 4 * lb + 16):
            d = self._distance(la, lb)
            if abs(la - lb) <= d:
                most = max(most, d)
            elif la > lb:
                break
        k = most + 1
        plan = (
            None
            if k > lb
            else tuple(((i * lb) // k, ((i + 1) * lb) // k - (i * lb) // k) for i in range(k))
        )
        self._plans[lb] = plan
        return plan

    def add(self, token: str) -> None:
        lb = len(token)
        plan = self._plan(lb)
        if plan is None:
            self._scan.setdefault(lb, []).append(token)
            return
        for i, (start, length) in enumerate(plan):
            self._chunks.setdefault((lb, i, token[start : start + length]), []).append(token)

    def candidates(self, token: str) -> set[str]:
        """Every added token whose ratio with ``token`` may reach the threshold: those
        the partition filter lets through, checked (in C) against a cutoff a little
        below the threshold, so that rounding never loses one."""
        la = len(token)
        lists: list[list[str]] = []
        for lb, plan in self._plans.items():
            d = self._distance(la, lb)
            if abs(la - lb) > d:
                continue
            if plan is None:
                lists.append(self._scan.get(lb, []))
                continue
            get = self._chunks.get
            for i, (start, length) in enumerate(plan):
                for p in range(max(0, start - d), min(la - length, start + d) + 1):
                    found = get((lb, i, token[p : p + length]))
                    if found:
                        lists.append(found)
        if not lists:
            return set()
        cutoff = max(0.0, self.ratio - 1.0)
        choices = list(set(chain.from_iterable(lists)))
        hits = process.extract(token, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        return {h[0] for h in hits}


class TokenIndex:
    """The known tokens, with complete lookup of those matching a token."""

    def __init__(self, opts: LinkOptions) -> None:
        self.opts = opts
        self._known: set[str] = set()
        self._by_skeleton: dict[tuple[str, str], list[str]] = {}
        self._fuzzy = FuzzyIndex(opts.fuzzy_ratio)
        self._cache: dict[str, set[str]] = {}  # known token -> known tokens matching it
        self._pending: dict[str, set[str]] = {}  # unknown token -> known tokens matching it

    def __contains__(self, token: object) -> bool:
        return token in self._known

    def __len__(self) -> int:
        return len(self._known)

    def _compute(self, token: str) -> set[str]:
        out = {token} if token in self._known else set()
        key = skeleton(token)
        candidates = list(self._by_skeleton.get((key, token[0]), ())) if key else []
        if len(token) >= _FUZZY_MIN_CHARS and not token.isdigit():
            candidates += self._fuzzy.candidates(token)
        out.update(c for c in candidates if tokens_match(token, c, self.opts))
        return out

    def matches(self, token: str) -> set[str]:
        """The known tokens ``t`` with ``tokens_match(token, t)`` (do not modify)."""
        found = self._cache.get(token)
        if found is None:
            found = self._pending.get(token)
        if found is None:
            found = self._compute(token)
            if token in self._known:
                self._cache[token] = found
            else:
                if len(self._pending) >= _PENDING_LIMIT:
                    self._pending.clear()
                self._pending[token] = found
        return found

    def add(self, token: str) -> None:
        """Make ``token`` known, keeping every cached answer complete."""
        if token in self._known or not token:
            return
        found = self._pending.pop(token, None)
        if found is None:
            if not self._cache and not self._pending:  # nothing to keep up to date
                self._register(token)
                return
            found = self._compute(token)
        for other in found:
            cached = self._cache.get(other)
            if cached is not None:
                cached.add(token)
        for other, cached in self._pending.items():
            if tokens_match(other, token, self.opts):
                cached.add(token)
        self._register(token)
        found.add(token)
        self._cache[token] = found

    def _register(self, token: str) -> None:
        self._known.add(token)
        key = skeleton(token)
        if key:
            self._by_skeleton.setdefault((key, token[0]), []).append(token)
        if len(token) >= _FUZZY_MIN_CHARS and not token.isdigit():
            self._fuzzy.add(token)


@dataclass
class EntityState:
    """An entity as the index knows it: its aliases are ``surface -> alias id``."""

    type: str
    name: str
    aliases: dict[str, int] = field(default_factory=dict)
    multiword: int = 0  # how many of its aliases do not have exactly one word


@dataclass(frozen=True)
class _Alias:
    entity: int
    tokens: str  # as stored: the name's words joined by spaces
    words: tuple[str, ...]
    ntokens: int


class AliasIndex:
    """Entities and aliases of a collection, with posting lists for blocking.

    Alias ids are the ``entity_aliases`` rowids, so sorting by id reproduces the order
    in which SQLite returns the aliases of a given length.
    """

    def __init__(self, opts: LinkOptions) -> None:
        self.opts = opts
        self.tokens = TokenIndex(opts)
        self.entities: dict[int, EntityState] = {}
        self._aliases: dict[int, _Alias] = {}
        self._exact: dict[str, dict[int, int]] = {}  # tokens -> entity -> alias count
        self._postings: dict[tuple[int, int, str], set[int]] = {}
        self._last: dict[str, set[int]] = {}  # last word of multi-word aliases -> ids
        self._single: dict[str, set[int]] = {}  # one-word aliases: word -> entity ids

    def add_entity(self, entity: int, name: str, kind: str) -> None:
        self.entities[entity] = EntityState(kind, name)

    def add_alias(self, rowid: int, entity: int, surface: str, tokens: str, ntokens: int) -> None:
        state = self.entities.get(entity)
        if state is None or rowid in self._aliases:
            return
        words = tuple(tokens.split())
        self._aliases[rowid] = _Alias(entity, tokens, words, ntokens)
        state.aliases[surface] = rowid
        state.multiword += ntokens != 1
        counts = self._exact.setdefault(tokens, {})
        counts[entity] = counts.get(entity, 0) + 1
        for i, word in enumerate(words):
            self.tokens.add(word)
            self._postings.setdefault((ntokens, i, word), set()).add(rowid)
        if ntokens > 1 and words:
            self._last.setdefault(words[-1], set()).add(rowid)
        if ntokens == 1:
            for word in set(words):
                self._single.setdefault(word, set()).add(entity)

    def remove_entity(self, entity: int) -> None:
        state = self.entities.pop(entity, None)
        if state is None:
            return
        for rowid in state.aliases.values():
            alias = self._aliases.pop(rowid)
            counts = self._exact[alias.tokens]
            counts[entity] -= 1
            if not counts[entity]:
                del counts[entity]
                if not counts:
                    del self._exact[alias.tokens]
            for i, word in enumerate(alias.words):
                self._postings[(alias.ntokens, i, word)].discard(rowid)
            if alias.ntokens > 1 and alias.words:
                self._last[alias.words[-1]].discard(rowid)
            if alias.ntokens == 1:
                for word in alias.words:
                    self._single[word].discard(entity)

    # --- queries ----------------------------------------------------------------------

    def exact(self, tokens: str) -> list[int]:
        """The entities with an alias of exactly these tokens, by id."""
        return sorted(self._exact.get(tokens, ()))

    def first_match(
        self, name: tuple[str, ...], accept: Callable[[int], bool] | None = None
    ) -> int | None:
        """The entity of the first alias (by id) of ``len(name)`` words that
        ``names_match`` ``name`` and whose entity ``accept`` takes."""
        n = len(name)
        best: list[set[int]] | None = None
        best_size = -1
        for i, word in enumerate(name):
            lists = [p for t in self.tokens.matches(word) if (p := self._postings.get((n, i, t)))]
            size = sum(map(len, lists))
            if best is None or size < best_size:
                best, best_size = lists, size
            if not size:
                return None
        candidates: set[int] = set().union(*best) if best else set()
        for rowid in sorted(candidates):
            alias = self._aliases[rowid]
            if (accept is None or accept(alias.entity)) and names_match(
                name, alias.words, self.opts
            ):
                return alias.entity
        return None

    def surname_owners(self, surname: str, limit: int = 0) -> set[int]:
        """The ``PERSON`` entities with a multi-word alias whose last word matches
        ``surname`` (stopping once ``limit`` are found, when it is positive)."""
        owners: set[int] = set()
        for token in self.tokens.matches(surname):
            for rowid in self._last.get(token, ()):
                entity = self._aliases[rowid].entity
                if self.entities[entity].type == "PERSON":
                    owners.add(entity)
                    if 0 < limit <= len(owners):
                        return owners
        return owners

    def surname_only(self, surname: str, exclude: int) -> list[int]:
        """The ``PERSON`` or ``MISC`` entities other than ``exclude`` known only by
        one-word names, all of which match ``surname``; by id."""
        candidates: set[int] = set()
        for token in self.tokens.matches(surname):
            candidates.update(self._single.get(token, ()))
        out = []
        for entity in candidates:
            state = self.entities[entity]
            if (
                entity != exclude
                and state.type in ("PERSON", "MISC")
                and not state.multiword
                and self._all_match(
                    surname, (self._aliases[r].tokens for r in state.aliases.values())
                )
            ):
                out.append(entity)
        return sorted(out)

    def _all_match(self, surname: str, tokens: Iterable[str]) -> bool:
        return all(tokens_match(surname, t, self.opts) for t in set(tokens))
