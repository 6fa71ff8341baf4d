"""Sentence vectors in the collection, and nearest-neighbour search over them.

Vectors are L2-normalised float32 rows stored as BLOBs in ``sentence_embeddings``, one
per non-heading sentence and embedder (``model``). They are computed on demand, not
during ingest, by :mod:`newsprism.collection.vectors` (``newsprism embed``), which
also embeds a text query; here they are stored and read. :func:`nearest_to_vector`
is an exact cosine search in numpy over the stored vectors of one model, so the
collection file needs no SQLite extension.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from newsprism.errors import StoreError
from newsprism.store.db import Store

__all__ = [
    "DEFAULT_MODEL",
    "Neighbour",
    "embedded_count",
    "nearest_to_vector",
    "save_sentence_vectors",
    "sentence_vectors_by_text",
    "sentences_without_vectors",
]

DEFAULT_MODEL = "e5-small"

Vector = npt.NDArray[np.float32]


class Neighbour(NamedTuple):
    """A stored sentence near the query: its article, index and cosine distance (0..2)."""

    article_id: str
    idx: int
    distance: float


def _unit(vectors: Vector) -> Vector:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return (vectors / np.where(norms == 0, 1.0, norms)).astype(np.float32)


def sentences_without_vectors(
    store: Store, article_ids: Iterable[str] | None = None, *, model: str = DEFAULT_MODEL
) -> list[tuple[str, int, str]]:
    """``(article id, sentence idx, text)`` of the non-heading, non-blank sentences of the
    articles that have no vectors for ``model`` yet (``article_ids``: those articles, in
    that order; ``None``: every stored article, in id order)."""
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
    return todo


def save_sentence_vectors(
    store: Store, sentences: Sequence[tuple[str, int]], vectors: Vector, *, model: str
) -> None:
    """Store ``vectors[i]`` (L2-normalised here) as the ``model`` vector of sentence
    ``sentences[i]`` (article id, sentence idx), all in one transaction."""
    unit = _unit(np.asarray(vectors, dtype=np.float32))
    with store.transaction():
        store.connection.executemany(
            "INSERT OR REPLACE INTO sentence_embeddings (article_id, idx, model, vector)"
            " VALUES (?, ?, ?, ?)",
            [
                (ident, idx, model, v.astype("<f4").tobytes())
                for (ident, idx), v in zip(sentences, unit, strict=True)
            ],
        )


def embedded_count(store: Store, model: str = DEFAULT_MODEL) -> int:
    """How many sentence vectors of ``model`` are stored."""
    row = store.connection.execute(
        "SELECT count(*) FROM sentence_embeddings WHERE model = ?", (model,)
    ).fetchone()
    return int(row[0])


def nearest_to_vector(
    store: Store,
    vector: Sequence[float] | Vector,
    k: int = 10,
    *,
    model: str = DEFAULT_MODEL,
) -> list[Neighbour]:
    """The ``k`` stored ``model`` sentence vectors closest to ``vector`` by cosine
    distance, closest first."""
    target = np.asarray(vector, dtype=np.float32).reshape(-1)
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


def sentence_vectors_by_text(
    store: Store, article_ids: Iterable[str], *, model: str = DEFAULT_MODEL
) -> dict[str, Vector]:
    """The stored ``model`` vectors of the sentences of ``article_ids``, by sentence text."""
    known: dict[str, Vector] = {}
    for article_id in dict.fromkeys(article_ids):
        rows = store.connection.execute(
            "SELECT s.text, e.vector FROM sentence_embeddings e JOIN sentences s"
            " ON s.article_id = e.article_id AND s.idx = e.idx"
            " WHERE e.article_id = ? AND e.model = ?",
            (article_id, model),
        )
        for text, blob in rows:
            known[str(text)] = np.frombuffer(blob, dtype="<f4").astype(np.float32)
    return known
