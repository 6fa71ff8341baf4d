"""Near-duplicates (syndicated copies) and independent sources.

Several outlets often publish the same wire copy, lightly edited: another headline, a
sentence cut, a word changed. Such articles are *near-duplicates*; together they count
as **one independent source**.

Method: an article's cleaned text is cut into word shingles (``DedupeOptions.shingle``
consecutive words, case-folded; runs of letters without spaces — Chinese, Japanese,
Thai — into character shingles instead). A MinHash signature (``datasketch``,
``num_perm`` values) estimates the Jaccard similarity of two shingle sets; banded LSH
(``bands`` bands of ``num_perm // bands`` values) finds candidate pairs without
comparing every pair, and a candidate whose estimated similarity is at least
``threshold`` is linked. Links are stored, never acted on: both articles stay.

The default threshold is 0.7. Independently written reports of one event share few
3-word shingles (similarity below 0.1); a 300-word wire story with one sentence cut
scores about 0.82, with ten words changed about 0.82 too, and the estimate's standard
error is about 0.04 there (128 values), so 0.8 would miss lightly trimmed short copies.
With the defaults (128 values, 32 bands of 4) a pair at similarity 0.7 becomes a
candidate with probability 0.9998, at 0.5 with 0.87 (then refused by the estimate), at
0.2 with 0.05.

Stored form (``docs/schema.md``): ``minhash`` (one signature per article),
``minhash_bands`` (the LSH index), ``near_duplicates`` (links: ``article_id`` is the
later-indexed article, ``duplicate_of`` the earlier one, ``similarity`` the estimate).
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from datasketch import MinHash  # type: ignore[import-untyped,unused-ignore]

from newsprism.model import Article
from newsprism.store import Store

__all__ = [
    "DedupeOptions",
    "DuplicateGroup",
    "NearDuplicate",
    "band_keys",
    "count_independent",
    "duplicate_groups",
    "find_near_duplicates",
    "group_of",
    "independent_sources",
    "index_article",
    "index_missing",
    "shingles",
    "signature",
    "similarity",
    "stored_groups",
    "stored_links",
]

Signature = npt.NDArray[np.uint32]


@dataclass(frozen=True)
class DedupeOptions:
    """Options of near-duplicate detection.

    ``threshold``: estimated Jaccard similarity of shingle sets from which two articles
    are near-duplicates (0.7: a headline changed, a sentence or two cut, a few words
    changed; an independently written report of the same event scores below 0.1).
    ``shingle``: words per shingle (characters × 2 for unspaced scripts).
    ``num_perm``: MinHash values per signature; ``bands``: LSH bands (must divide
    ``num_perm``). ``seed``: MinHash permutations (signatures made with other
    ``shingle``/``num_perm``/``seed`` are not comparable and are recomputed).
    """

    threshold: float = 0.7
    shingle: int = 3
    num_perm: int = 128
    bands: int = 32
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold}")
        if self.shingle < 1 or self.num_perm < 1 or self.bands < 1:
            raise ValueError("shingle, num_perm and bands must be positive")
        if self.num_perm % self.bands:
            raise ValueError(f"bands ({self.bands}) must divide num_perm ({self.num_perm})")

    @property
    def rows(self) -> int:
        """MinHash values per LSH band."""
        return self.num_perm // self.bands

    @property
    def scheme(self) -> str:
        """The parameters that make two signatures comparable, as a short string."""
        return f"minhash-affine32:w{self.shingle}:p{self.num_perm}:s{self.seed}"


@dataclass(frozen=True)
class NearDuplicate:
    """A link: ``article_id`` is a near-duplicate of ``duplicate_of``."""

    article_id: str
    duplicate_of: str
    similarity: float


@dataclass(frozen=True)
class DuplicateGroup:
    """Articles connected by near-duplicate links (one independent source).

    ``ids`` sorted; ``links`` the links inside the group."""

    ids: tuple[str, ...]
    links: tuple[NearDuplicate, ...]


# --- signatures (pure) ------------------------------------------------------------------

_WORD = re.compile(r"\w+")
_UNSPACED = 10  # mean "word" length above which a text is treated as unspaced script


def shingles(text: str, size: int = 3) -> set[bytes]:
    """The shingles of ``text``: runs of ``size`` case-folded words, UTF-8 encoded.

    A text with fewer words is one shingle; a text whose "words" are very long (a
    script written without spaces) is cut into runs of ``2 * size`` characters.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return set()
    if sum(map(len, words)) / len(words) > _UNSPACED:
        chars = "".join(words)
        n = 2 * size
        return {chars[i : i + n].encode() for i in range(max(1, len(chars) - n + 1))}
    if len(words) <= size:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + size]).encode() for i in range(len(words) - size + 1)}


@functools.cache
def _permutations(num_perm: int, seed: int) -> Any:
    return MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations


def signature(text: str, options: DedupeOptions | None = None) -> Signature | None:
    """The MinHash signature of ``text`` (``num_perm`` uint32), or ``None`` when the
    text has no words."""
    opts = options or DedupeOptions()
    found = shingles(text, opts.shingle)
    if not found:
        return None
    sketch = MinHash(
        num_perm=opts.num_perm,
        seed=opts.seed,
        scheme="affine32",
        permutations=_permutations(opts.num_perm, opts.seed),
    )
    sketch.update_batch(sorted(found))
    return np.asarray(sketch.hashvalues, dtype=np.uint32)


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the shingle sets behind two signatures."""
    if a.shape != b.shape:
        raise ValueError("signatures of different sizes are not comparable")
    return float(np.count_nonzero(a == b)) / float(a.size)


def band_keys(sig: Signature, options: DedupeOptions) -> list[int]:
    """One signed 64-bit key per LSH band (``options.bands`` keys)."""
    rows = options.rows
    data = sig.astype("<u4").tobytes()
    secret = options.scheme.encode()[:64]
    keys = []
    for band in range(options.bands):
        chunk = data[band * rows * 4 : (band + 1) * rows * 4]
        digest = hashlib.blake2b(chunk, digest_size=8, key=secret).digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


def _to_blob(sig: Signature) -> bytes:
    return sig.astype("<u4").tobytes()


def _from_blob(blob: bytes) -> Signature:
    return np.frombuffer(blob, dtype="<u4").astype(np.uint32)


# --- in memory (pure) -------------------------------------------------------------------


def find_near_duplicates(
    articles: Iterable[Article], options: DedupeOptions | None = None
) -> list[NearDuplicate]:
    """Near-duplicate links among ``articles`` (each later article linked to the
    earlier ones it resembles), computed in memory."""
    opts = options or DedupeOptions()
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    ids: list[str] = []
    sigs: list[Signature] = []
    links: list[NearDuplicate] = []
    for article in articles:
        sig = signature(article.text, opts)
        if sig is None:
            continue
        n = len(ids)
        candidates: set[int] = set()
        for band, key in enumerate(band_keys(sig, opts)):
            bucket = buckets[(band, key)]
            candidates.update(bucket)
            bucket.append(n)
        for m in sorted(candidates):
            score = similarity(sig, sigs[m])
            if score >= opts.threshold and ids[m] != article.id:
                links.append(NearDuplicate(article.id, ids[m], score))
        ids.append(article.id)
        sigs.append(sig)
    return links


def duplicate_groups(ids: Iterable[str], links: Iterable[NearDuplicate]) -> list[DuplicateGroup]:
    """The articles ``ids`` partitioned by ``links`` (links to other articles are
    ignored): every group, singletons included, ordered by their first id."""
    parent = {i: i for i in ids}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    inside: list[NearDuplicate] = []
    for link in links:
        if link.article_id in parent and link.duplicate_of in parent:
            inside.append(link)
            a, b = root(link.article_id), root(link.duplicate_of)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[str, list[str]] = defaultdict(list)
    for ident in parent:
        members[root(ident)].append(ident)
    by_root: dict[str, list[NearDuplicate]] = defaultdict(list)
    for link in inside:
        by_root[root(link.article_id)].append(link)
    return sorted(
        (DuplicateGroup(tuple(sorted(m)), tuple(by_root[r])) for r, m in members.items()),
        key=lambda g: g.ids[0],
    )


def count_independent(ids: Iterable[str], links: Iterable[NearDuplicate]) -> int:
    """How many independent sources ``ids`` are: groups of near-duplicates count once."""
    return len(duplicate_groups(set(ids), links))


def group_of(links: Iterable[NearDuplicate]) -> dict[str, str]:
    """For each linked article, the smallest id of its group (unlinked ones are absent)."""
    linked = {x for link in links for x in (link.article_id, link.duplicate_of)}
    found: dict[str, str] = {}
    for group in duplicate_groups(linked, links):
        for ident in group.ids:
            found[ident] = group.ids[0]
    return found


# --- in a store -------------------------------------------------------------------------


def index_article(
    store: Store, ident: str, text: str, options: DedupeOptions | None = None
) -> list[NearDuplicate]:
    """Add the stored article ``ident`` (whose text is ``text``) to the near-duplicate
    index and link it to the stored articles it resembles, in one transaction.

    Returns the new links. An article already indexed with the same scheme is left
    as it is (no new links).
    """
    opts = options or DedupeOptions()
    sig = signature(text, opts)
    c = store.connection
    with store.transaction():
        row = c.execute("SELECT scheme FROM minhash WHERE article_id = ?", (ident,)).fetchone()
        if row is not None and row[0] == opts.scheme:
            return []
        c.execute("DELETE FROM minhash WHERE article_id = ?", (ident,))
        c.execute("DELETE FROM minhash_bands WHERE article_id = ?", (ident,))
        if sig is None:  # no words: indexed as nothing, never linked
            c.execute(
                "INSERT INTO minhash (article_id, scheme, signature) VALUES (?, ?, ?)",
                (ident, opts.scheme, b""),
            )
            return []
        keys = band_keys(sig, opts)
        candidates: set[str] = set()
        for band, key in enumerate(keys):
            found = c.execute(
                "SELECT article_id FROM minhash_bands WHERE band = ? AND key = ?", (band, key)
            )
            candidates.update(r[0] for r in found)
        candidates.discard(ident)
        links = []
        for other in sorted(candidates):
            got = c.execute(
                "SELECT signature FROM minhash WHERE article_id = ? AND scheme = ?",
                (other, opts.scheme),
            ).fetchone()
            if got is None or not got[0]:
                continue
            score = similarity(sig, _from_blob(got[0]))
            if score >= opts.threshold:
                links.append(NearDuplicate(ident, other, score))
        c.execute(
            "INSERT INTO minhash (article_id, scheme, signature) VALUES (?, ?, ?)",
            (ident, opts.scheme, _to_blob(sig)),
        )
        c.executemany(
            "INSERT INTO minhash_bands (article_id, band, key) VALUES (?, ?, ?)",
            [(ident, band, key) for band, key in enumerate(keys)],
        )
        c.executemany(
            "INSERT OR REPLACE INTO near_duplicates (article_id, duplicate_of, similarity)"
            " VALUES (?, ?, ?)",
            [(x.article_id, x.duplicate_of, x.similarity) for x in links],
        )
    return links


def _unindexed(store: Store, scheme: str, batch: int = 500) -> Iterator[tuple[str, str]]:
    last = ""
    while True:
        rows = store.connection.execute(
            "SELECT a.id, a.text FROM articles a LEFT JOIN minhash m ON m.article_id = a.id"
            " WHERE a.id > ? AND (m.scheme IS NULL OR m.scheme != ?) ORDER BY a.id LIMIT ?",
            (last, scheme, batch),
        ).fetchall()
        if not rows:
            return
        yield from ((str(ident), str(text)) for ident, text in rows)
        last = rows[-1][0]


def index_missing(store: Store, options: DedupeOptions | None = None) -> int:
    """Index every stored article not yet indexed with ``options``' scheme (articles
    ingested before near-duplicate detection existed, or after an interruption).
    Returns how many were indexed."""
    opts = options or DedupeOptions()
    count = 0
    for ident, text in _unindexed(store, opts.scheme):
        index_article(store, ident, text, opts)
        count += 1
    return count


def stored_links(store: Store, min_similarity: float = 0.0) -> list[NearDuplicate]:
    """The stored near-duplicate links with at least ``min_similarity``."""
    rows = store.connection.execute(
        "SELECT article_id, duplicate_of, similarity FROM near_duplicates"
        " WHERE similarity >= ? ORDER BY article_id, duplicate_of",
        (min_similarity,),
    )
    return [NearDuplicate(a, b, float(s)) for a, b, s in rows]


def stored_groups(store: Store, min_similarity: float = 0.0) -> list[DuplicateGroup]:
    """Groups of two or more stored near-duplicates, largest first."""
    links = stored_links(store, min_similarity)
    linked = {x for link in links for x in (link.article_id, link.duplicate_of)}
    groups = [g for g in duplicate_groups(linked, links) if len(g.ids) > 1]
    return sorted(groups, key=lambda g: (-len(g.ids), g.ids[0]))


def independent_sources(
    items: Sequence[Article] | Sequence[str],
    store: Store | None = None,
    options: DedupeOptions | None = None,
) -> int:
    """How many independent sources ``items`` are: near-duplicates count once.

    Articles are compared in memory (``options``); article ids need ``store`` and use
    its stored links (at least ``options.threshold`` similar).
    """
    opts = options or DedupeOptions()
    articles = [x for x in items if isinstance(x, Article)]
    if len(articles) == len(items):
        ids = [a.id for a in articles]
        return count_independent(ids, find_near_duplicates(articles, opts))
    if store is None:
        raise ValueError("counting independent sources of article ids needs the store")
    ids = [x if isinstance(x, str) else x.id for x in items]
    return count_independent(ids, stored_links(store, opts.threshold))
