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

This module is the pure logic (no I/O). Stored form (``docs/schema.md``,
:mod:`newsprism.store.duplicates`): ``minhash`` (one signature per article,
:func:`signature_to_bytes`), ``minhash_bands`` (the LSH index, :func:`band_keys`),
``near_duplicates`` (links: ``article_id`` is the later-indexed article,
``duplicate_of`` the earlier one, ``similarity`` the estimate); indexing stored
articles and counting the independent sources among stored ones is
:mod:`newsprism.collection.duplicates`.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from datasketch import MinHash  # type: ignore[import-untyped,unused-ignore]

from newsprism.model import Article
from newsprism.words import unspaced_share

__all__ = [
    "DedupeOptions",
    "DuplicateGroup",
    "NearDuplicate",
    "band_keys",
    "copy_groups",
    "count_independent",
    "duplicate_groups",
    "find_near_duplicates",
    "group_of",
    "near_duplicates_of",
    "shingles",
    "signature",
    "signature_from_bytes",
    "signature_to_bytes",
    "similarity",
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

    A text with fewer words is one shingle; a text mostly in a script written without
    spaces (or whose "words" are very long) is cut into runs of ``2 * size`` characters.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return set()
    if sum(map(len, words)) / len(words) > _UNSPACED or unspaced_share(text) > 0.5:
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


def signature_to_bytes(sig: Signature) -> bytes:
    """A signature as stored: its values as little-endian uint32."""
    return sig.astype("<u4").tobytes()


def signature_from_bytes(data: bytes) -> Signature:
    """The signature stored as ``data`` (see :func:`signature_to_bytes`)."""
    return np.frombuffer(data, dtype="<u4").astype(np.uint32)


def near_duplicates_of(
    ident: str, sig: Signature, others: Iterable[tuple[str, Signature]], threshold: float
) -> list[NearDuplicate]:
    """Links from article ``ident`` (signature ``sig``) to each of ``others`` (id,
    signature) at least ``threshold`` similar, in the order of ``others``."""
    links = []
    for other, other_sig in others:
        score = similarity(sig, other_sig)
        if score >= threshold:
            links.append(NearDuplicate(ident, other, score))
    return links


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


def copy_groups(links: Iterable[NearDuplicate]) -> list[DuplicateGroup]:
    """The groups of two or more articles that ``links`` connect, largest first."""
    found = list(links)
    linked = {x for link in found for x in (link.article_id, link.duplicate_of)}
    groups = [g for g in duplicate_groups(linked, found) if len(g.ids) > 1]
    return sorted(groups, key=lambda g: (-len(g.ids), g.ids[0]))


def group_of(links: Iterable[NearDuplicate]) -> dict[str, str]:
    """For each linked article, the smallest id of its group (unlinked ones are absent)."""
    linked = {x for link in links for x in (link.article_id, link.duplicate_of)}
    found: dict[str, str] = {}
    for group in duplicate_groups(linked, links):
        for ident in group.ids:
            found[ident] = group.ids[0]
    return found
