"""Near-duplicates among the stored articles: index them, read the links, count the
independent sources.

The logic (signatures, LSH band keys, similarity, groups) is :mod:`newsprism.dedupe`;
the tables are read and written by :mod:`newsprism.store.duplicates`. Indexing an
article reads its candidates and writes its signature and links in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.dedupe import (
    DedupeOptions,
    DuplicateGroup,
    NearDuplicate,
    band_keys,
    copy_groups,
    count_independent,
    find_near_duplicates,
    near_duplicates_of,
    signature,
    signature_from_bytes,
    signature_to_bytes,
)
from newsprism.model import Article
from newsprism.store.db import Store
from newsprism.store.duplicates import (
    StoredLink,
    band_neighbours,
    forget_signature,
    save_links,
    save_signature,
    signature_scheme,
    stored_link_rows,
    stored_signature,
    unindexed_articles,
)

__all__ = [
    "independent_sources",
    "index_article",
    "index_missing",
    "stored_groups",
    "stored_links",
]


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
    with store.transaction():
        if signature_scheme(store, ident) == opts.scheme:
            return []
        forget_signature(store, ident)
        if sig is None:  # no words: indexed as nothing, never linked
            save_signature(store, ident, opts.scheme, b"", [])
            return []
        keys = band_keys(sig, opts)
        candidates = band_neighbours(store, keys) - {ident}
        others = []
        for other in sorted(candidates):
            stored = stored_signature(store, other, opts.scheme)
            if stored:
                others.append((other, signature_from_bytes(stored)))
        links = near_duplicates_of(ident, sig, others, opts.threshold)
        save_signature(store, ident, opts.scheme, signature_to_bytes(sig), keys)
        save_links(store, [StoredLink(x.article_id, x.duplicate_of, x.similarity) for x in links])
    return links


def index_missing(store: Store, options: DedupeOptions | None = None) -> int:
    """Index every stored article not yet indexed with ``options``' scheme (articles
    ingested before near-duplicate detection existed, or after an interruption).
    Returns how many were indexed."""
    opts = options or DedupeOptions()
    count = 0
    for ident, text in unindexed_articles(store, opts.scheme):
        index_article(store, ident, text, opts)
        count += 1
    return count


def stored_links(store: Store, min_similarity: float = 0.0) -> list[NearDuplicate]:
    """The stored near-duplicate links with at least ``min_similarity``."""
    return [NearDuplicate(*row) for row in stored_link_rows(store, min_similarity)]


def stored_groups(store: Store, min_similarity: float = 0.0) -> list[DuplicateGroup]:
    """Groups of two or more stored near-duplicates, largest first."""
    return copy_groups(stored_links(store, min_similarity))


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
