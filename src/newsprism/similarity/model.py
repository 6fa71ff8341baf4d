"""How similar two news articles are, on the seven SemEval-2022 Task 8 dimensions.

Scores use the task's 1–4 scale, where **1 = very similar** and 4 = very
dissimilar: ``geography``, ``entities``, ``time``, ``narrative``, ``overall``,
``style`` and ``tone``. Each score comes from a small linear model (ridge
regression on standardised, language-independent features, see
:mod:`newsprism.similarity.features`) whose parameters are shipped as JSON in
``newsprism/data/similarity_model.json`` and produced by
``scripts/train_similarity.py``. Predictions are clipped to [1, 4].

``compare_pair(a, b)`` scores one pair; ``compare_pairs(articles, pairs)``
scores many pairs and embeds every article once, in batches.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsprism.embed.articles import default_doc_embedder
from newsprism.embed.sentences import Embedder
from newsprism.errors import ModelError, OptionError
from newsprism.model import Annotate, Article
from newsprism.similarity.features import (
    SIMILARITY_STAGES,
    AlignedPair,
    FeatureOptions,
    PairEvidence,
    SharedEntity,
    pair_features,
    prepare,
)

__all__ = [
    "DIMENSIONS",
    "AlignedPair",
    "LinearModel",
    "SharedEntity",
    "Similarity",
    "SimilarityOptions",
    "compare_pair",
    "compare_pairs",
    "design_matrix",
    "load_model",
]

DIMENSIONS: tuple[str, ...] = (
    "geography",
    "entities",
    "time",
    "narrative",
    "overall",
    "style",
    "tone",
)
LOW, HIGH = 1.0, 4.0


@dataclass(frozen=True)
class SimilarityOptions:
    """``features``: how articles are embedded and compared.

    ``model_path``: a model JSON to use instead of the shipped one (``None``).
    """

    features: FeatureOptions = field(default_factory=FeatureOptions)
    model_path: Path | None = None


@dataclass(frozen=True)
class Similarity:
    """The seven scores (1 = very similar … 4 = very dissimilar) and their evidence.

    ``features`` holds the feature values the scores were computed from;
    ``shared_entities`` the entities named in both articles with each one's
    surface forms; ``shared_places`` the places among them; ``shared_dates``
    the calendar days (ISO) both mention; ``shared_numbers`` the numbers
    (with units) both give; ``aligned`` the most similar sentence pairs.
    """

    a: str
    b: str
    geography: float
    entities: float
    time: float
    narrative: float
    overall: float
    style: float
    tone: float
    features: dict[str, float]
    shared_entities: tuple[SharedEntity, ...] = ()
    shared_places: tuple[str, ...] = ()
    shared_dates: tuple[str, ...] = ()
    shared_numbers: tuple[str, ...] = ()
    aligned: tuple[AlignedPair, ...] = ()

    def scores(self) -> dict[str, float]:
        """The seven scores by dimension name."""
        return {d: float(getattr(self, d)) for d in DIMENSIONS}


@dataclass(frozen=True)
class LinearModel:
    """Ridge regression per dimension on standardised terms.

    A term is a feature name, ``name^2`` (its square), ``x*y`` (a product) or
    ``name>t`` (the hinge ``max(0, name - t)``). ``impute`` fills a feature that
    a pair lacks (``lex_words`` across languages) from others, linearly:
    ``{feature: {"from": [names], "coef": [...], "intercept": c}}``.
    """

    terms: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: dict[str, tuple[float, ...]]
    intercept: dict[str, float]
    impute: dict[str, dict[str, Any]] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def complete(self, features: dict[str, float]) -> dict[str, float]:
        """``features`` with the missing imputable ones filled in."""
        missing = [name for name in self.impute if name not in features]
        if not missing:
            return features
        out = dict(features)
        for name in missing:
            rule = self.impute[name]
            value = float(rule["intercept"]) + sum(
                float(c) * out[f] for f, c in zip(rule["from"], rule["coef"], strict=True)
            )
            out[name] = value
        return out

    def predict(self, features: Sequence[dict[str, float]]) -> dict[str, npt.NDArray[np.float64]]:
        """Scores per dimension for each feature dict, clipped to [1, 4]."""
        x = design_matrix([self.complete(f) for f in features], self.terms)
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return {
            dim: np.clip(z @ np.asarray(self.coef[dim]) + self.intercept[dim], LOW, HIGH)
            for dim in self.coef
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "terms": list(self.terms),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coef": {d: list(c) for d, c in self.coef.items()},
            "intercept": dict(self.intercept),
            "impute": self.impute,
            "meta": self.meta,
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> LinearModel:
        terms = tuple(str(t) for t in data["terms"])
        coef = {str(d): tuple(float(v) for v in c) for d, c in data["coef"].items()}
        model = LinearModel(
            terms,
            tuple(float(v) for v in data["mean"]),
            tuple(float(v) for v in data["scale"]),
            coef,
            {str(d): float(v) for d, v in data["intercept"].items()},
            dict(data.get("impute", {})),
            dict(data.get("meta", {})),
        )
        sizes = {len(model.mean), len(model.scale), *(len(c) for c in coef.values())}
        if sizes != {len(terms)} or set(coef) != set(model.intercept):
            raise ValueError("inconsistent sizes")
        return model


def _term(features: dict[str, float], term: str) -> float:
    if term.endswith("^2"):
        value = features[term[:-2]]
        return value * value
    if ">" in term:
        name, knot = term.split(">", 1)
        return max(0.0, features[name] - float(knot))
    if "*" in term:
        left, right = term.split("*", 1)
        return features[left] * features[right]
    return features[term]


def design_matrix(
    features: Sequence[dict[str, float]], terms: Sequence[str]
) -> npt.NDArray[np.float64]:
    """One row per feature dict, one column per term."""
    return np.array([[_term(f, t) for t in terms] for f in features], dtype=np.float64).reshape(
        len(features), len(terms)
    )


@cache
def _load(path: Path | None) -> LinearModel:
    try:
        if path is None:
            text = (
                resources.files("newsprism")
                .joinpath("data/similarity_model.json")
                .read_text(encoding="utf-8")
            )
        else:
            text = path.read_text(encoding="utf-8")
        return LinearModel.from_json(json.loads(text))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as err:
        where = path or "newsprism/data/similarity_model.json"
        raise ModelError(f"{where}: cannot load the similarity model ({err})") from err


def load_model(path: Path | None = None) -> LinearModel:
    """The shipped model, or the one in ``path``."""
    return _load(path)


def compare_pairs(
    articles: Sequence[Article],
    pairs: Sequence[tuple[int, int]],
    options: SimilarityOptions | None = None,
    *,
    embedder: Embedder | None = None,
    model: LinearModel | None = None,
    annotate: Annotate | None = None,
) -> list[Similarity]:
    """Score every pair ``(i, j)`` of indexes into ``articles``.

    Articles with no sentences yet are annotated by ``annotate`` (the pipeline's
    :func:`~newsprism.pipeline.run.annotator`: sentences, entities, figures, dates; they
    need a ``language``); each article is embedded once.
    """
    opts = options or SimilarityOptions()
    used = sorted({i for pair in pairs for i in pair})
    annotated = {i: articles[i] for i in used}
    todo = [i for i in used if not articles[i].sentences]
    if todo:
        if annotate is None:
            raise OptionError(
                f"{articles[todo[0]].id}: the article is not annotated and no annotate"
                " function was given",
                hint="pass annotate=newsprism.pipeline.run.annotator(options)",
            )
        done = annotate([articles[i] for i in todo], SIMILARITY_STAGES)
        annotated.update(zip(todo, done, strict=True))
    embedded = prepare(
        [annotated[i] for i in used], embedder or default_doc_embedder(), opts.features
    )
    views = dict(zip(used, embedded, strict=True))
    feats = []
    evidence: list[PairEvidence] = []
    for i, j in pairs:
        f, ev = pair_features(annotated[i], views[i], annotated[j], views[j], opts.features)
        feats.append(f)
        evidence.append(ev)
    predicted = (model or load_model(opts.model_path)).predict(feats)
    out = []
    for n, ((i, j), f, ev) in enumerate(zip(pairs, feats, evidence, strict=True)):
        scores = {
            d: round(float(predicted[d][n]), 4) if d in predicted else 0.0 for d in DIMENSIONS
        }
        out.append(
            Similarity(
                articles[i].id,
                articles[j].id,
                features=f,
                shared_entities=ev.shared_entities,
                shared_places=ev.shared_places,
                shared_dates=ev.shared_dates,
                shared_numbers=ev.shared_numbers,
                aligned=ev.aligned,
                **scores,
            )
        )
    return out


def compare_pair(
    a: Article,
    b: Article,
    options: SimilarityOptions | None = None,
    annotate: Annotate | None = None,
) -> Similarity:
    """How similar ``a`` and ``b`` are (see the module doc and :func:`compare_pairs`)."""
    return compare_pairs([a, b], [(0, 1)], options, annotate=annotate)[0]
