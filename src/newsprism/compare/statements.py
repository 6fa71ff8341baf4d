"""What the alignment compares of each statement.

Every non-heading sentence of at least ``min_words`` words (two characters of Chinese or
Japanese count as one) is a statement. Besides its text it carries the canonical entities it
names (and which of them are places), the speakers it quotes, its figures, its clock times
and its claim: what is reported, without who reported it. Statements and the ``counted``
phrases of their figures are embedded here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.compare.options import CompareOptions
from newsprism.embed.sentences import Embedder
from newsprism.model import Article, Entity, Quantity, Sentence
from newsprism.words import word_count

__all__ = [
    "StatementFeatures",
    "clock_times",
    "counted_vectors",
    "statement_features",
    "statement_vectors",
]


@dataclass(frozen=True)
class StatementFeatures:
    """One statement with what alignment compares: ``article`` is its index in the list of
    articles, ``entities``/``places``/``speakers`` are canonical entity ids."""

    article: int
    sentence: Sentence
    entities: frozenset[str]
    places: frozenset[str]
    speakers: frozenset[str]
    quantities: tuple[Quantity, ...]
    claim: str  # what is reported, without who reported it
    times: frozenset[str] = frozenset()  # clock times, "03:40"


def statement_features(
    articles: Sequence[Article],
    links: Sequence[tuple[str, int, str]],
    opts: CompareOptions,
    entities: Sequence[Entity] = (),
) -> list[StatementFeatures]:
    """The statements of ``articles`` in order, with their entities resolved through
    ``links`` (``(article id, mention start, entity id)``)."""
    link_map = {(a, s): e for a, s, e in links}
    types = {e.id: e.type for e in entities}
    out: list[StatementFeatures] = []
    for ai, art in enumerate(articles):
        for sent in art.sentences:
            if sent.heading or word_count(sent.text) < opts.min_words:
                continue
            ents = frozenset(
                e
                for m in art.mentions
                if sent.start <= m.start < sent.end
                and (e := link_map.get((art.id, m.start))) is not None
            )
            speakers = frozenset(
                e
                for q in art.quotes
                if sent.start <= q.start < sent.end or sent.start <= q.speaker_start < sent.end
                if (e := link_map.get((art.id, q.speaker_start))) is not None
            )
            qs = tuple(q for q in art.quantities if sent.start <= q.start < sent.end)
            places = frozenset(e for e in ents if types.get(e) == "LOC")
            said = [q.text for q in art.quotes if sent.start <= q.start < sent.end]
            claim = " ".join(said) if said else sent.text
            times = clock_times(sent.text)
            out.append(StatementFeatures(ai, sent, ents, places, speakers, qs, claim, times))
    return out


_CLOCK = re.compile(
    r"\b([01]?\d|2[0-3])(?::([0-5]\d)\b\s*([ap]\.?m\b\.?)?"
    r"|(?:\.([0-5]\d)\s*(?:([ap]\.?m\b\.?)|uhr\b|h\b))"
    r"|\s?h\s?([0-5]\d)\b)",
    re.IGNORECASE,
)


def clock_times(text: str) -> frozenset[str]:
    """Clock times in ``text`` as ``HH:MM``: ``3:40``, ``3.40am``, ``3.40 Uhr``,
    ``3 h 40``, ``15:40`` (a bare ``3.40`` is a decimal, not a time)."""
    out = set()
    for m in _CLOCK.finditer(text):
        minutes = m.group(2) or m.group(4) or m.group(6)
        suffix = (m.group(3) or m.group(5) or "").lower()
        hour = int(m.group(1))
        if suffix.startswith("p") and hour < 12:
            hour += 12
        if suffix.startswith("a") and hour == 12:
            hour = 0
        out.add(f"{hour:02d}:{minutes}")
    return frozenset(out)


def statement_vectors(stmts: list[StatementFeatures], embedder: Embedder) -> np.ndarray:
    """One vector per statement: the mean of the sentence's embedding and that
    of its claim (the reported content, when the sentence reports speech), so
    that "X said A" and "X said B" are not close merely through "X said"."""
    sentences = embedder.embed([s.sentence.text for s in stmts])
    claims = embedder.embed([s.claim for s in stmts])
    mixed = sentences + claims
    norms = np.linalg.norm(mixed, axis=1, keepdims=True)
    return np.asarray(mixed / np.maximum(norms, 1e-9), dtype=np.float32)


def counted_vectors(stmts: list[StatementFeatures], embedder: Embedder) -> dict[str, np.ndarray]:
    """Embedding of every ``counted`` phrase of the statements' figures (``people``,
    ``homes destroyed``), to tell whether two figures count the same thing."""
    phrases = sorted({q.counted for s in stmts for q in s.quantities if q.counted})
    if not phrases:
        return {}
    vecs = embedder.embed(phrases)
    return dict(zip(phrases, vecs, strict=True))
