"""The near-duplicate index in the collection: MinHash signatures, LSH bands and links.

Plain data in and out: a signature is the bytes of its uint32 values (little-endian),
band keys are signed 64-bit integers, a link is a :class:`StoredLink`. What the values
mean, and when two articles are near-duplicates, is :mod:`newsprism.dedupe`'s
business; :mod:`newsprism.collection.duplicates` puts the two together. The tables are
``minhash``, ``minhash_bands`` and ``near_duplicates`` (``docs/schema.md``). These
functions run on the store's connection as they are; group writes that belong
together in ``Store.transaction()``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple

from newsprism.store.db import Store

__all__ = [
    "StoredLink",
    "band_neighbours",
    "forget_signature",
    "save_links",
    "save_signature",
    "signature_scheme",
    "stored_link_rows",
    "stored_signature",
    "unindexed_articles",
]


class StoredLink(NamedTuple):
    """A stored link: ``article_id`` (indexed later) is a near-duplicate of
    ``duplicate_of``, with this estimated similarity."""

    article_id: str
    duplicate_of: str
    similarity: float


def signature_scheme(store: Store, ident: str) -> str | None:
    """The scheme article ``ident`` is indexed with, ``None`` when it is not indexed."""
    row = store.connection.execute(
        "SELECT scheme FROM minhash WHERE article_id = ?", (ident,)
    ).fetchone()
    return None if row is None else str(row[0])


def forget_signature(store: Store, ident: str) -> None:
    """Drop the signature and band keys of article ``ident`` (its links stay)."""
    store.connection.execute("DELETE FROM minhash WHERE article_id = ?", (ident,))
    store.connection.execute("DELETE FROM minhash_bands WHERE article_id = ?", (ident,))


def save_signature(
    store: Store, ident: str, scheme: str, signature: bytes, band_keys: Sequence[int]
) -> None:
    """Store the signature of article ``ident`` (empty bytes: a text without words,
    indexed as nothing) and its band keys (key ``i`` is band ``i``'s)."""
    conn = store.connection
    conn.execute(
        "INSERT INTO minhash (article_id, scheme, signature) VALUES (?, ?, ?)",
        (ident, scheme, signature),
    )
    conn.executemany(
        "INSERT INTO minhash_bands (article_id, band, key) VALUES (?, ?, ?)",
        [(ident, band, key) for band, key in enumerate(band_keys)],
    )


def band_neighbours(store: Store, band_keys: Sequence[int]) -> set[str]:
    """The articles that share at least one band key (key ``i`` of band ``i``)."""
    found: set[str] = set()
    for band, key in enumerate(band_keys):
        rows = store.connection.execute(
            "SELECT article_id FROM minhash_bands WHERE band = ? AND key = ?", (band, key)
        )
        found.update(str(r[0]) for r in rows)
    return found


def stored_signature(store: Store, ident: str, scheme: str) -> bytes | None:
    """The signature of article ``ident`` made with ``scheme`` (``None``: none stored
    with it; empty bytes: a text without words)."""
    row = store.connection.execute(
        "SELECT signature FROM minhash WHERE article_id = ? AND scheme = ?", (ident, scheme)
    ).fetchone()
    return None if row is None else bytes(row[0])


def save_links(store: Store, links: Sequence[StoredLink]) -> None:
    """Store near-duplicate links (a link stored before is replaced)."""
    store.connection.executemany(
        "INSERT OR REPLACE INTO near_duplicates (article_id, duplicate_of, similarity)"
        " VALUES (?, ?, ?)",
        [(x.article_id, x.duplicate_of, x.similarity) for x in links],
    )


def unindexed_articles(store: Store, scheme: str, batch: int = 500) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of the stored articles not indexed with ``scheme``, in id order,
    read ``batch`` at a time."""
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


def stored_link_rows(store: Store, min_similarity: float = 0.0) -> list[StoredLink]:
    """The stored links with at least ``min_similarity``, by article and duplicate."""
    rows = store.connection.execute(
        "SELECT article_id, duplicate_of, similarity FROM near_duplicates"
        " WHERE similarity >= ? ORDER BY article_id, duplicate_of",
        (min_similarity,),
    )
    return [StoredLink(str(a), str(b), float(s)) for a, b, s in rows]
