"""Sentence vectors of a collection: computing them, and searching by text.

:func:`embed_stored` embeds the non-heading sentences of stored articles that have no
vectors for a model yet (``newsprism embed``); :func:`stored_embedder` serves stored
vectors to a coverage diff; :func:`nearest` finds the stored sentences closest to a
text or a vector. The vectors are stored and searched by
:mod:`newsprism.store.vectors`; the embedders are :mod:`newsprism.embed.sentences`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np

from newsprism.embed.sentences import Embedder, default_embedder
from newsprism.errors import StoreError
from newsprism.store.db import Store
from newsprism.store.vectors import (
    DEFAULT_MODEL,
    Neighbour,
    Vector,
    nearest_to_vector,
    save_sentence_vectors,
    sentence_vectors_by_text,
    sentences_without_vectors,
)

__all__ = ["StoredFirst", "embed_stored", "nearest", "stored_embedder"]

_BATCH = 256


def embed_stored(
    store: Store,
    article_ids: Iterable[str] | None = None,
    embedder: Embedder | None = None,
    *,
    model: str = DEFAULT_MODEL,
) -> int:
    """Embed the non-heading sentences of the articles that have no vectors for
    ``model`` yet (``article_ids``: those articles; ``None``: every stored article).

    ``embedder`` defaults to :func:`newsprism.embed.sentences.default_embedder` (loaded only when
    there is something to embed). Each batch of vectors is written in one
    transaction. Returns how many sentences were embedded.
    """
    todo = sentences_without_vectors(store, article_ids, model=model)
    if not todo:
        return 0
    model_impl = embedder if embedder is not None else default_embedder()
    for start in range(0, len(todo), _BATCH):
        batch = todo[start : start + _BATCH]
        vectors = np.asarray(model_impl.embed([t for _, _, t in batch]), dtype=np.float32)
        save_sentence_vectors(store, [(i, n) for i, n, _ in batch], vectors, model=model)
    return len(todo)


def nearest(
    store: Store,
    query: str | Sequence[float] | Vector,
    k: int = 10,
    *,
    embedder: Embedder | None = None,
    model: str = DEFAULT_MODEL,
) -> list[Neighbour]:
    """The ``k`` stored sentences closest to ``query`` (a text, embedded with
    ``embedder``, or a vector) by cosine distance, closest first."""
    if isinstance(query, str):
        if not query.strip():
            raise StoreError("empty query", "give a sentence to look for")
        model_impl = embedder if embedder is not None else default_embedder()
        target = np.asarray(model_impl.embed([query]), dtype=np.float32)[0]
        return nearest_to_vector(store, target, k, model=model)
    return nearest_to_vector(store, query, k, model=model)


class StoredFirst:
    """An :class:`~newsprism.embed.sentences.Embedder` that answers from the vectors stored for
    some articles' sentences and asks ``inner`` only for other texts (the reported
    claims and counted phrases the coverage diff also embeds)."""

    def __init__(self, known: dict[str, Vector], inner: Embedder) -> None:
        self._known = known
        self._inner = inner
        self.dim = inner.dim

    def embed(self, texts: Sequence[str]) -> Vector:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        missing = [i for i, t in enumerate(texts) if t not in self._known]
        for i, t in enumerate(texts):
            if t in self._known:
                out[i] = self._known[t]
        if missing:
            out[missing] = self._inner.embed([texts[i] for i in missing])
        return out


def stored_embedder(
    store: Store,
    article_ids: Iterable[str],
    embedder: Embedder | None = None,
    *,
    model: str = DEFAULT_MODEL,
) -> StoredFirst:
    """Store the missing sentence vectors of ``article_ids`` (once), then an embedder
    that serves them from the collection."""
    ids = list(dict.fromkeys(article_ids))
    inner = embedder or default_embedder()
    embed_stored(store, ids, inner, model=model)
    return StoredFirst(sentence_vectors_by_text(store, ids, model=model), inner)
