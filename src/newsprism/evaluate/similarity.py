"""``newsprism eval similarity``: article-pair similarity against SemEval-2022 Task 8 ratings.

Gold data: JSONL (or a JSON list) of SemEval-2022 Task 8 pair rows with
``lang1``/``lang2``, ``title1``/``title2``, ``text1``/``text2`` and ``scores``
(1 = very similar … 4 = very dissimilar) on ``Overall`` and, where present,
``Geography``, ``Entities``, ``Time``, ``Narrative``, ``Style``, ``Tone``.

Figures (Pearson correlation between predicted and gold scores, same direction):

* ``pearson_overall`` and ``pearson_<dimension>``: the shipped model;
* ``pearson_overall_cv`` (and ``pearson_cv`` per dimension): the same features with
  the model re-fitted in grouped 5-fold cross-validation on ``data`` itself, so
  that a figure is available for a model that never saw the pairs it scores.
  Folds are connected components of pairs that share an article text, so an
  article never appears on both sides of a split;
* ``pearson_overall_baseline_cosine``: the plain USE cosine of title + first
  1,000 characters (negated so that it points the same way as the scores).

Every distinct article is annotated and embedded once; ``pairs_per_second``
counts everything from raw text to scores.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from newsprism.embed.articles import default_doc_embedder
from newsprism.errors import EvalDataError
from newsprism.model import Article
from newsprism.pipeline.run import annotator
from newsprism.similarity.features import LEXICAL, TITLE_E5, FeatureOptions
from newsprism.similarity.model import (
    DIMENSIONS,
    LinearModel,
    SimilarityOptions,
    compare_pairs,
    design_matrix,
    load_model,
)

__all__ = [
    "GOLD_KEYS",
    "GoldPair",
    "cross_validate",
    "evaluate",
    "fit_model",
    "load_pairs",
    "pair_groups",
    "pearson",
    "render",
]

GOLD_KEYS = {d: d.capitalize() for d in DIMENSIONS}
FOLDS = 5
DEFAULT_ALPHA = 10.0
# Features measured only within one language, and what fills them in across languages.
IMPUTE_FROM = {LEXICAL: ("cos_lead", "lex_names"), TITLE_E5: ("cos_title", "cos_title_lead")}
# Sentence alignment only gives evidence; scoring a whole file goes without it.
BATCH_OPTIONS = SimilarityOptions(features=FeatureOptions(align=False))
Array = npt.NDArray[np.float64]


DATA_HINT = "pass SemEval-2022 Task 8 JSONL rows with text1, text2 and scores"
"""What the gold data of the similarity evaluation must be."""


class GoldPair:
    """One rated pair: the two articles and the gold scores present."""

    __slots__ = ("a", "b", "id", "scores")

    def __init__(self, pair_id: str, a: Article, b: Article, scores: dict[str, float]) -> None:
        self.id = pair_id
        self.a = a
        self.b = b
        self.scores = scores


def _article(row: dict[str, Any], side: str, pair_id: str) -> Article:
    text = row.get("text" + side)
    if not isinstance(text, str) or not text.strip():
        raise EvalDataError(f"{pair_id}: no text{side}", DATA_HINT)
    language = row.get("lang" + side)
    return Article(
        id=f"{pair_id}/{side}",
        text=text,
        title=str(row.get("title" + side) or ""),
        language=str(language) if language else None,
    )


def load_pairs(data: Path) -> list[GoldPair]:
    """Every rated pair in ``data`` (JSONL or a JSON list), in order."""
    data = Path(data)
    try:
        content = data.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise EvalDataError(f"{data}: cannot read ({err})", DATA_HINT) from err
    try:
        if data.suffix == ".json":
            rows = json.loads(content)
            if not isinstance(rows, list):
                raise EvalDataError(f"{data}: expected a JSON list of rows", DATA_HINT)
        else:
            rows = [json.loads(line) for line in content.splitlines() if line.strip()]
    except json.JSONDecodeError as err:
        raise EvalDataError(f"{data}: invalid JSON ({err})", DATA_HINT) from err
    pairs = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict) or not isinstance(row.get("scores"), dict):
            raise EvalDataError(f"{data}:{n}: expected a pair row with 'scores'", DATA_HINT)
        pair_id = str(row.get("pair_id", f"{data.name}:{n}"))
        scores = {
            dim: float(row["scores"][key])
            for dim, key in GOLD_KEYS.items()
            if isinstance(row["scores"].get(key), (int, float))
        }
        if "overall" not in scores:
            raise EvalDataError(f"{data}:{n}: no Overall score", DATA_HINT)
        pairs.append(
            GoldPair(pair_id, _article(row, "1", pair_id), _article(row, "2", pair_id), scores)
        )
    return pairs


def pearson(x: Sequence[float] | Array, y: Sequence[float] | Array) -> float:
    """Pearson's r (0.0 when either side is constant or there are fewer than 3 values)."""
    a, b = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if len(a) < 3 or a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def pair_groups(pairs: Sequence[tuple[str, str]]) -> list[int]:
    """The connected component of each pair, pairs being linked by a shared article key."""
    parent: dict[str, str] = {}

    def find(k: str) -> str:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for a, b in pairs:
        parent[find(a)] = find(b)
    roots: dict[str, int] = {}
    return [roots.setdefault(find(a), len(roots)) for a, _ in pairs]


def _folds(groups: Sequence[int], k: int) -> list[int]:
    """Fold of each item: whole groups, largest first, each to the smallest fold."""
    sizes: dict[int, int] = {}
    for g in groups:
        sizes[g] = sizes.get(g, 0) + 1
    load = [0] * k
    fold_of: dict[int, int] = {}
    for g, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        f = min(range(k), key=lambda i: (load[i], i))
        fold_of[g] = f
        load[f] += size
    return [fold_of[g] for g in groups]


def _fit_imputer(features: Sequence[dict[str, float]]) -> dict[str, dict[str, Any]]:
    """Least squares of each one-language feature on cross-lingual ones, where it is known."""
    out: dict[str, dict[str, Any]] = {}
    for name, sources in IMPUTE_FROM.items():
        rows = [f for f in features if name in f]
        if len(rows) < len(sources) + 2:
            continue
        x = np.array([[f[n] for n in sources] + [1.0] for f in rows])
        y = np.array([f[name] for f in rows])
        w = np.linalg.lstsq(x, y, rcond=None)[0]
        out[name] = {
            "from": list(sources),
            "coef": [float(v) for v in w[:-1]],
            "intercept": float(w[-1]),
        }
    return out


def fit_model(
    features: Sequence[dict[str, float]],
    gold: Sequence[dict[str, float]],
    terms: Sequence[str],
    alpha: float = DEFAULT_ALPHA,
) -> LinearModel:
    """Ridge regression per dimension (rows without that gold score are left out)."""
    impute = _fit_imputer(features)
    filler = LinearModel((), (), (), {}, {}, impute)
    x = design_matrix([filler.complete(f) for f in features], terms)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = (x - mean) / scale
    coef: dict[str, tuple[float, ...]] = {}
    intercept: dict[str, float] = {}
    for dim in DIMENSIONS:
        rows = [i for i, g in enumerate(gold) if dim in g]
        if len(rows) < 3:
            continue
        zd = z[rows]
        y = np.array([gold[i][dim] for i in rows])
        zm = zd.mean(axis=0)
        zc = zd - zm
        w = np.linalg.solve(zc.T @ zc + alpha * np.eye(len(terms)), zc.T @ (y - y.mean()))
        coef[dim] = tuple(float(v) for v in w)
        intercept[dim] = float(y.mean() - zm @ w)
    return LinearModel(
        tuple(terms),
        tuple(float(v) for v in mean),
        tuple(float(v) for v in scale),
        coef,
        intercept,
        impute,
    )


def cross_validate(
    features: Sequence[dict[str, float]],
    gold: Sequence[dict[str, float]],
    groups: Sequence[int],
    terms: Sequence[str],
    alpha: float = DEFAULT_ALPHA,
    k: int = FOLDS,
) -> dict[str, float]:
    """Pearson per dimension of out-of-fold predictions (grouped ``k``-fold)."""
    folds = _folds(groups, k)
    predicted: dict[str, list[float]] = {d: [0.0] * len(features) for d in DIMENSIONS}
    for f in range(k):
        train = [i for i, g in enumerate(folds) if g != f]
        test = [i for i, g in enumerate(folds) if g == f]
        if not test or not train:
            continue
        model = fit_model([features[i] for i in train], [gold[i] for i in train], terms, alpha)
        out = model.predict([features[i] for i in test])
        for dim, values in out.items():
            for i, v in zip(test, values, strict=True):
                predicted[dim][i] = float(v)
    result = {}
    for dim in DIMENSIONS:
        rows = [i for i, g in enumerate(gold) if dim in g]
        if rows:
            result[dim] = pearson([predicted[dim][i] for i in rows], [gold[i][dim] for i in rows])
    return result


def _keyed(pairs: Sequence[GoldPair]) -> tuple[list[Article], list[tuple[int, int]]]:
    """Distinct articles (by title and text) and each pair as two indexes into them."""
    index: dict[tuple[str, str], int] = {}
    articles: list[Article] = []
    out = []
    for p in pairs:
        ends = []
        for art in (p.a, p.b):
            key = (art.title, art.text)
            if key not in index:
                index[key] = len(articles)
                articles.append(art)
            ends.append(index[key])
        out.append((ends[0], ends[1]))
    return articles, out


def evaluate(data: Path, *, limit: int | None = None) -> dict[str, Any]:
    """Pearson of the shipped model, of a grouped-CV re-fit and of the plain cosine."""
    pairs = load_pairs(data)
    if limit is not None:
        pairs = pairs[:limit]
    if not pairs:
        raise EvalDataError(f"{data}: no pairs to evaluate", DATA_HINT)
    model = load_model()
    articles, index = _keyed(pairs)
    started = time.perf_counter()
    results = compare_pairs(articles, index, BATCH_OPTIONS, model=model, annotate=annotator())
    seconds = time.perf_counter() - started
    gold = [p.scores for p in pairs]
    per_dim: dict[str, float] = {}
    counts: dict[str, int] = {}
    for dim in DIMENSIONS:
        rows = [i for i, g in enumerate(gold) if dim in g]
        if rows:
            predicted = [getattr(results[i], dim) for i in rows]
            per_dim[dim] = round(pearson(predicted, [gold[i][dim] for i in rows]), 4)
            counts[dim] = len(rows)
    features = [r.features for r in results]
    groups = pair_groups([(articles[i].text, articles[j].text) for i, j in index])
    alpha = float(model.meta.get("alpha", DEFAULT_ALPHA))
    cv = cross_validate(features, gold, groups, model.terms, alpha)
    cosine = [-f["cos_lead"] for f in features]
    out: dict[str, Any] = {
        "data": str(data),
        "pairs": len(pairs),
        "articles": len(articles),
        "pearson_overall": per_dim["overall"],
    }
    for dim in DIMENSIONS:
        if dim != "overall" and dim in per_dim:
            out[f"pearson_{dim}"] = per_dim[dim]
    out |= {
        "pearson_overall_cv": round(cv.get("overall", 0.0), 4),
        "pearson_cv": {d: round(v, 4) for d, v in cv.items()},
        "pearson_overall_baseline_cosine": round(pearson(cosine, [g["overall"] for g in gold]), 4),
        "cv_scheme": f"{FOLDS}-fold, groups = connected components of pairs sharing an article"
        f" ({len(set(groups))} groups)",
        "gold_counts": counts,
        "model": {"terms": len(model.terms), **{k: v for k, v in model.meta.items() if k != "cv"}},
        "embedder": type(default_doc_embedder()).__name__,
        "seconds": round(seconds, 3),
        "pairs_per_second": round(len(pairs) / seconds, 2) if seconds > 0 else 0.0,
    }
    return out


def render(result: dict[str, Any]) -> str:
    """A readable table of ``evaluate``'s result."""
    cv = result.get("pearson_cv", {})
    lines = [
        f"Article similarity on {result['pairs']} pairs ({result['data']})",
        "Pearson r with gold ratings (1 = very similar … 4 = very dissimilar)",
        "",
        f"{'dimension':<12}{'n':>6}{'shipped':>10}{'grouped CV':>12}",
    ]
    for dim in DIMENSIONS:
        key = f"pearson_{dim}"
        if key in result:
            n = result["gold_counts"].get(dim, 0)
            cv_value = f"{cv[dim]:.4f}" if dim in cv else "-"
            lines.append(f"{dim:<12}{n:>6}{result[key]:>10.4f}{cv_value:>12}")
    lines += [
        "",
        "baseline (USE cosine, title + 1,000 chars): "
        f"{result['pearson_overall_baseline_cosine']:.4f}",
        f"cross-validation: {result['cv_scheme']}",
        f"throughput: {result['pairs_per_second']:.2f} pairs/s ({result['seconds']:.1f} s)",
    ]
    return "\n".join(lines)
