"""What story clustering knows of one article: a :class:`StoryDoc`.

Four views, each usable in any language and stable over a stream (nothing is fitted
to the collection, so a vector never changes as articles keep arriving):

* ``terms``: content words weighted by sublinear term frequency times an inverse
  document frequency taken from the language's general word frequencies (``wordfreq``);
  in scripts written without spaces (Chinese, Japanese, Korean, Thai …) the words are
  pairs of characters (:mod:`newsprism.words`); comparable only between articles of one
  language;
* ``names``: the article's named entities (full names and their rare words, ASCII
  folded so ``Zelensky`` in two scripts or spellings can meet) and the years it
  mentions; comparable across languages;
* ``vector``: a multilingual embedding of title and lead (:mod:`newsprism.embed.articles`); the
  cross-lingual signal;
* ``anchor``: the year the article is about (the publication year, or else the latest
  year the text names), so that two events of one kind years apart stay apart.

``terms`` and ``names`` are L2-normalised sparse vectors kept as ``{token: weight}``
with at most ``max_terms``/``max_names`` entries.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from anyascii import anyascii

from newsprism.model import Article, Mention
from newsprism.words import unspaced_terms, without_unspaced, zipf

__all__ = ["StoryDoc", "StoryFeatureOptions", "doc_features", "rare_weight"]

Vector = npt.NDArray[np.float32]
Sparse = dict[str, float]

_WORD = re.compile(r"[^\W\d_]{3,}")
_YEAR = re.compile(r"(?<![\d.,/-])(1[89]\d\d|20\d\d)(?![\d.,/]\d)")
_DEFAULT_RARITY = 4.0  # words of languages wordfreq does not know: moderately rare
_YEAR_WEIGHT = 4.0


@dataclass(frozen=True)
class StoryFeatureOptions:
    """``max_terms``/``max_names``: entries kept per article (the heaviest).

    ``min_rarity``: words more common than this (7 minus their Zipf frequency) are
    skipped; ``name_min_rarity`` is the same for single words of names.
    """

    max_terms: int = 120
    max_names: int = 60
    min_rarity: float = 1.5
    name_min_rarity: float = 2.0


@dataclass(frozen=True)
class StoryDoc:
    """One article as story clustering sees it."""

    id: str
    language: str
    published: date | None
    anchor: int | None
    terms: Mapping[str, float]
    names: Mapping[str, float]
    vector: Vector
    title: str = ""
    source: str | None = None


@lru_cache(maxsize=200_000)
def rare_weight(word: str, language: str) -> float:
    """How rare ``word`` is in ``language``: 7 minus its Zipf frequency, at least 0."""
    frequency = zipf(word, language)
    if frequency is None:
        return _DEFAULT_RARITY
    return max(0.0, 7.0 - frequency)


def _unit(weights: Mapping[str, float], keep: int) -> Sparse:
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
    norm = math.sqrt(sum(v * v for _, v in top))
    return {k: v / norm for k, v in top} if norm > 0 else {}


def _terms(text: str, language: str, opts: StoryFeatureOptions) -> Sparse:
    lowered = text.lower()
    counts = Counter(_WORD.findall(without_unspaced(lowered)))
    counts.update(unspaced_terms(lowered))
    weights: dict[str, float] = {}
    for word, n in counts.items():
        rarity = rare_weight(word, language)
        if rarity >= opts.min_rarity:
            weights[word] = (1.0 + math.log(n)) * rarity
    return _unit(weights, opts.max_terms)


def _fold(name: str) -> str:
    return " ".join(anyascii(name).lower().split())


def _names(
    mentions: Iterable[Mention], years: Iterable[int], language: str, opts: StoryFeatureOptions
) -> Sparse:
    counts: Counter[str] = Counter()
    rarity: dict[str, float] = {}
    for m in mentions:
        full = _fold(m.base or m.text)
        words = re.findall(r"[a-z]{3,}", full)
        rare = [(w, r) for w in words if (r := rare_weight(w, language)) >= opts.name_min_rarity]
        if not rare:
            continue
        if len(words) > 1:
            counts[full] += 1
            rarity[full] = max(r for _, r in rare) + 1.0
        for w, r in rare:
            counts[w] += 1
            rarity[w] = r
    for year in years:
        key = f"year:{year}"
        counts[key] += 1
        rarity[key] = _YEAR_WEIGHT
    return _unit({k: (1.0 + math.log(n)) * rarity[k] for k, n in counts.items()}, opts.max_names)


def _years(text: str, published: date | None) -> list[int]:
    latest = published.year if published else date.today().year
    return [y for y in map(int, _YEAR.findall(text)) if y <= latest]


def doc_features(
    article: Article, vector: Vector, options: StoryFeatureOptions | None = None
) -> StoryDoc:
    """The clustering view of an annotated ``article`` (mentions are used when present).

    ``vector`` is the article's embedding from :mod:`newsprism.embed.articles` (title and lead).
    """
    opts = options or StoryFeatureOptions()
    language = article.language or "und"
    body = f"{article.title}\n{article.text}" if article.title else article.text
    years = _years(body, article.published)
    anchor = article.published.year if article.published else (max(years) if years else None)
    return StoryDoc(
        id=article.id,
        language=language,
        published=article.published,
        anchor=anchor,
        terms=_terms(body, language, opts),
        names=_names(article.mentions, years, language, opts),
        vector=np.asarray(vector, dtype=np.float32),
        title=article.title or article.text[:80],
        source=article.source,
    )
