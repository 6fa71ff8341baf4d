"""Sentence vectors in the collection, and nearest-neighbour search over them.

Vectors are L2-normalised float32 rows stored as BLOBs in ``sentence_embeddings``, one
per non-heading sentence and embedder (``model``). They are computed on demand
(:func:`embed_stored`, ``newsprism embed``), not during ingest. :func:`nearest` is an
exact cosine search in numpy over the stored vectors of one model, so the collection
file needs no SQLite extension.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from newsprism.embed.sentences import Embedder, default_embedder
from newsprism.store.db import Store, StoreError

__all__ = [
    "DEFAULT_MODEL",
    "Neighbour",
    "StoredFirst",
    "embed_stored",
    "embedded_count",
    "nearest",
    "stored_embedder",
]

DEFAULT_MODEL = "e5-small"
_BATCH = 256

Vector = npt.NDArray[np.float32]


class Neighbour(NamedTuple):
    """A stored sentence near the query: its article, index and cosine distance (0..2)."""

    article_id: str
    idx: int
    distance: float


def _unit(vectors: Vector) -> Vector:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)


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
    there is something to embed). Each article's vectors are written in one
    transaction. Returns how many sentences were embedded.
    """
    conn = store.connection
    if article_ids is None:
        ids = [str(r[0]) for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    else:
        ids = list(dict.fromkeys(article_ids))
    todo: list[tuple[str, int, str]] = []
    for ident in ids:
        if conn.execute(
            "SELECT 1 FROM sentence_embeddings WHERE article_id = ? AND model = ? LIMIT 1",
            (ident, model),
        ).fetchone():
            continue
        todo.extend(
            (ident, int(i), str(t))
            for i, t in conn.execute(
                "SELECT idx, text FROM sentences WHERE article_id = ? AND heading = 0"
                " AND trim(text) != '' ORDER BY idx",
                (ident,),
            )
        )
    if not todo:
        return 0
    model_impl = embedder if embedder is not None else default_embedder()
    for start in range(0, len(todo), _BATCH):
        batch = todo[start : start + _BATCH]
        vectors = _unit(np.asarray(model_impl.embed([t for _, _, t in batch]), dtype=np.float32))
        with store.transaction():
            conn.executemany(
                "INSERT OR REPLACE INTO sentence_embeddings (article_id, idx, model, vector)"
                " VALUES (?, ?, ?, ?)",
                [
                    (ident, idx, model, v.astype("<f4").tobytes())
                    for (ident, idx, _), v in zip(batch, vectors, strict=True)
                ],
            )
    return len(todo)


def embedded_count(store: Store, model: str = DEFAULT_MODEL) -> int:
    """How many sentence vectors of ``model`` are stored."""
    row = store.connection.execute(
        "SELECT count(*) FROM sentence_embeddings WHERE model = ?", (model,)
    ).fetchone()
    return int(row[0])


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
    else:
        target = np.asarray(query, dtype=np.float32).reshape(-1)
    target = _unit(target)
    rows = store.connection.execute(
        "SELECT article_id, idx, vector FROM sentence_embeddings WHERE model = ?"
        " ORDER BY article_id, idx",
        (model,),
    ).fetchall()
    if not rows or k <= 0:
        return []
    matrix = np.frombuffer(b"".join(r[2] for r in rows), dtype="<f4")
    if matrix.size != len(rows) * target.size:
        raise StoreError(
            f"stored {model} vectors do not have {target.size} dimensions",
            "embed the query with the same model as the collection",
        )
    distances = 1.0 - matrix.reshape(len(rows), target.size).astype(np.float32) @ target
    count = min(k, len(rows))
    best = np.argpartition(distances, count - 1)[:count]
    order = sorted(best.tolist(), key=lambda i: (float(distances[i]), i))
    return [Neighbour(str(rows[i][0]), int(rows[i][1]), float(distances[i])) for i in order]


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
    known: dict[str, Vector] = {}
    for article_id in ids:
        rows = store.connection.execute(
            "SELECT s.text, e.vector FROM sentence_embeddings e JOIN sentences s"
            " ON s.article_id = e.article_id AND s.idx = e.idx"
            " WHERE e.article_id = ? AND e.model = ?",
            (article_id, model),
        )
        for text, blob in rows:
            known[str(text)] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
    return StoredFirst(known, inner)
