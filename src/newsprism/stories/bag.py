"""Sums of article features, and the average-link score between two sums.

A :class:`Bag` holds the sum of its articles' vectors per language, the sum of their
name vectors and a histogram of their year anchors. Because every part of the pair
score is a dot product or a count, the mean score over all pairs of two bags (their
*average link*) follows exactly from the sums, so a story of any size costs the same
to compare. Sums are pruned to their heaviest entries, which keeps memory bounded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from newsprism.stories.features import StoryDoc

__all__ = ["Bag", "LinkWeights", "Score", "link"]

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class LinkWeights:
    """How the pair score is made (see ``docs/stories.md``).

    ``score = terms * T + names * N + same_year * Y - clash * C`` where ``T`` is the
    cosine of the word vectors (for two languages: ``cross_slope * cos(vectors) +
    cross_intercept``, the embedding cosine mapped onto the word-cosine scale), ``N`` the
    cosine of the name vectors, ``Y`` 1 when both articles are anchored to the same year
    and ``C`` 1 when they are anchored to different years.
    """

    terms: float = 0.5
    names: float = 0.5
    same_year: float = 0.1
    clash: float = 0.1
    cross_slope: float = 0.6
    cross_intercept: float = -0.2


@dataclass(frozen=True)
class Score:
    """An average-link score and its parts (means over all pairs)."""

    total: float
    terms: float
    names: float
    clash: float


@dataclass
class _Lang:
    n: int = 0
    terms: dict[str, float] = field(default_factory=dict)
    vector: Vector | None = None


def _add_into(into: dict[str, float], other: Mapping[str, float]) -> None:
    if not into:
        into.update(other)
        return
    get = into.get
    for k, v in other.items():
        into[k] = get(k, 0.0) + v


def _prune(weights: dict[str, float], keep: int) -> dict[str, float]:
    if len(weights) <= keep:
        return weights
    return dict(sorted(weights.items(), key=lambda kv: -kv[1])[:keep])


def _dot(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    return sum([a[k] * b[k] for k in a.keys() & b.keys()])


class Bag:
    """Summed features of a group of articles."""

    __slots__ = ("anchored", "anchors", "langs", "n", "names", "vector")

    def __init__(self, dim: int) -> None:
        self.n = 0
        self.langs: dict[str, _Lang] = {}
        self.names: dict[str, float] = {}
        self.anchors: Counter[int] = Counter()
        self.anchored = 0
        self.vector = np.zeros(dim, dtype=np.float32)

    @classmethod
    def of(cls, *docs: StoryDoc) -> Bag:
        """The summed features of ``docs`` (at least one), added in this order."""
        bag = cls(docs[0].vector.shape[0])
        for doc in docs:
            bag.add_doc(doc)
        return bag

    def add_doc(self, doc: StoryDoc) -> None:
        lang = self.langs.setdefault(doc.language, _Lang())
        lang.n += 1
        _add_into(lang.terms, doc.terms)
        lang.vector = doc.vector.copy() if lang.vector is None else lang.vector + doc.vector
        _add_into(self.names, doc.names)
        if doc.anchor is not None:
            self.anchors[doc.anchor] += 1
            self.anchored += 1
        self.vector += doc.vector
        self.n += 1

    def absorb(self, other: Bag) -> None:
        for code, theirs in other.langs.items():
            mine = self.langs.setdefault(code, _Lang())
            mine.n += theirs.n
            _add_into(mine.terms, theirs.terms)
            if theirs.vector is not None:
                mine.vector = (
                    theirs.vector.copy() if mine.vector is None else mine.vector + theirs.vector
                )
        _add_into(self.names, other.names)
        self.anchors.update(other.anchors)
        self.anchored += other.anchored
        self.vector += other.vector
        self.n += other.n

    def prune(self, max_terms: int, max_names: int) -> None:
        for lang in self.langs.values():
            lang.terms = _prune(lang.terms, max_terms)
        self.names = _prune(self.names, max_names)

    def centroid(self) -> Vector:
        norm = float(np.linalg.norm(self.vector))
        return self.vector / norm if norm > 0 else self.vector


def shared_names(a: Bag, b: Bag, k: int = 4) -> list[str]:
    """The names that weigh most in the link of ``a`` and ``b``."""
    common = [(a.names[n] * b.names[n], n) for n in a.names.keys() & b.names.keys()]
    return [n for _, n in sorted(common, reverse=True) if not n.startswith("year:")][:k]


def link(a: Bag, b: Bag, w: LinkWeights) -> Score:
    """Average over all article pairs (one from each bag) of the pair score."""
    pairs = a.n * b.n
    if pairs == 0:
        return Score(0.0, 0.0, 0.0, 0.0)
    terms = 0.0
    for code, la in a.langs.items():
        for other, lb in b.langs.items():
            if code == other:
                terms += _dot(la.terms, lb.terms)
            elif la.vector is not None and lb.vector is not None:
                cos_sum = float(la.vector @ lb.vector)
                terms += w.cross_slope * cos_sum + w.cross_intercept * la.n * lb.n
    names = _dot(a.names, b.names)
    same_year = sum(c * b.anchors.get(y, 0) for y, c in a.anchors.items())
    clash = a.anchored * b.anchored - same_year
    t, n, c, y = terms / pairs, names / pairs, clash / pairs, same_year / pairs
    return Score(w.terms * t + w.names * n + w.same_year * y - w.clash * c, t, n, c)
