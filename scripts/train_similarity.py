"""Fit the article-similarity model and write ``src/newsprism/data/similarity_model.json``.

    python scripts/train_similarity.py --data ../shared/data/semeval2022-t8/es-fr.jsonl

Computes the features of every pair (``newsprism.similarity.features``), prints the
grouped cross-validated Pearson r per dimension for each candidate ridge strength
(folds = connected components of pairs sharing an article, so an article is never
in both train and test), keeps the strength with the best mean CV r on ``overall``,
re-fits on all pairs and writes the JSON model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from newsprism.evaluate.similarity import (
    BATCH_OPTIONS,
    FOLDS,
    _keyed,
    cross_validate,
    fit_model,
    load_pairs,
    pair_groups,
    pearson,
)
from newsprism.pipeline.run import annotator
from newsprism.similarity.features import FEATURES, LEXICAL, MONOLINGUAL
from newsprism.similarity.model import DIMENSIONS, LinearModel, compare_pairs

ALPHAS = (1.0, 3.0, 10.0, 30.0, 100.0)
# The rating is not linear in a similarity: hinges at the quartiles of the two
# strongest features (quartiles of the features only, never of the ratings).
HINGED = ("cos_views", LEXICAL)
QUARTILES = (0.25, 0.5, 0.75)


def terms_for(features: list[dict[str, float]]) -> tuple[str, ...]:
    terms = [*FEATURES, *MONOLINGUAL]
    for name in HINGED:
        values = np.array([f[name] for f in features if name in f])
        terms += [f"{name}>{float(np.quantile(values, q)):.4f}" for q in QUARTILES]
    return tuple(terms)


OUT = Path(__file__).resolve().parents[1] / "src" / "newsprism" / "data" / "similarity_model.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="SemEval-2022 Task 8 JSONL")
    parser.add_argument("--out", type=Path, default=OUT, help="where to write the model")
    args = parser.parse_args()

    pairs = load_pairs(args.data)
    articles, index = _keyed(pairs)
    # Features do not depend on the model: an empty one only leaves the scores at 0.
    model = LinearModel((), (), (), {}, {})
    results = compare_pairs(articles, index, BATCH_OPTIONS, model=model, annotate=annotator())
    features = [r.features for r in results]
    terms = terms_for(features)
    gold = [p.scores for p in pairs]
    groups = pair_groups([(articles[i].text, articles[j].text) for i, j in index])
    print(f"{len(pairs)} pairs, {len(articles)} articles, {len(set(groups))} groups, {FOLDS} folds")
    base = pearson([-f["cos_lead"] for f in features], [g["overall"] for g in gold])
    print(f"baseline cosine (title + 1,000 chars): {base:.4f}")
    print(f"{'alpha':>7} " + " ".join(f"{d[:9]:>9}" for d in DIMENSIONS))
    best_alpha, best = ALPHAS[0], -1.0
    cv_best: dict[str, float] = {}
    for alpha in ALPHAS:
        cv = cross_validate(features, gold, groups, terms, alpha)
        print(f"{alpha:>7g} " + " ".join(f"{cv.get(d, 0.0):>9.4f}" for d in DIMENSIONS))
        if cv["overall"] > best:
            best_alpha, best, cv_best = alpha, cv["overall"], cv
    languages = [p.a.language or "?" for p in pairs]
    for held in sorted(set(languages)):
        train = [i for i, lang in enumerate(languages) if lang != held]
        test = [i for i, lang in enumerate(languages) if lang == held]
        if len(train) < 10 or not test:
            continue
        fitted = fit_model(
            [features[i] for i in train], [gold[i] for i in train], terms, best_alpha
        )
        predicted = fitted.predict([features[i] for i in test])["overall"]
        r = pearson(predicted, [gold[i]["overall"] for i in test])
        print(f"held-out language {held}: trained on the others, overall r {r:.4f}")
    final = fit_model(features, gold, terms, best_alpha)
    meta = {
        "alpha": best_alpha,
        "trained_on": f"{args.data.name} ({len(pairs)} pairs)",
        "cv": {d: round(v, 4) for d, v in cv_best.items()},
        "cv_scheme": f"{FOLDS}-fold grouped by connected components of shared articles",
    }
    model_json = {**final.to_json(), "meta": meta}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model_json, indent=1) + "\n", encoding="utf-8")
    print(f"alpha {best_alpha:g}: CV overall {best:.4f}; wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
