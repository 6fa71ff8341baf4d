#!/usr/bin/env python
"""Cross-validated story clustering figures: the threshold chosen on other topics.

Usage::

    python scripts/cv_clustering.py [--data ../shared/data/ecbplus/topics-01-35.jsonl]
                                    [--folds 5]

Rows need a ``topic`` field (ECB+ has one). Topics are split into folds; for each fold
the join threshold is chosen on the other folds' topics (from a fixed grid), and the
held-out topics are clustered with it. Prints BCubed F1 per fold, the mean, and the
thresholds chosen, next to the figure of the shipped default threshold.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newsprism.evaluate.clustering import bcubed, cluster, load  # noqa: E402
from newsprism.pipeline.run import annotator  # noqa: E402
from newsprism.stories import ClusterOptions, story_docs  # noqa: E402

GRID = [round(0.14 + 0.02 * k, 2) for k in range(10)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = REPO.parent / "shared" / "data" / "ecbplus" / "topics-01-35.jsonl"
    parser.add_argument("--data", type=Path, default=default)
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    rows = [json.loads(x) for x in args.data.read_text(encoding="utf-8").splitlines() if x]
    topics = [str(r.get("topic", "")) for r in rows]
    gold = load(args.data)
    docs = story_docs([g.article for g in gold], annotate=annotator())
    labels = [g.label for g in gold]
    order = sorted(set(topics))
    fold_of = {t: k % args.folds for k, t in enumerate(order)}

    def score(idx: list[int], threshold: float) -> float:
        opts = replace(ClusterOptions(), threshold=threshold)
        return bcubed(cluster([docs[i] for i in idx], opts), [labels[i] for i in idx])["bcubed_f1"]

    results = []
    for k in range(args.folds):
        train = [i for i, t in enumerate(topics) if fold_of[t] != k]
        test = [i for i, t in enumerate(topics) if fold_of[t] == k]
        best = max(GRID, key=lambda th: score(train, th))
        results.append((k, best, score(test, best), score(test, ClusterOptions().threshold)))
    for k, th, f1, default_f1 in results:
        print(f"fold {k}: threshold {th:.2f}  held-out BCubed F1 {f1:.4f}", end="")
        print(f"  (default threshold: {default_f1:.4f})")
    mean = sum(r[2] for r in results) / len(results)
    print(f"mean held-out BCubed F1 {mean:.4f} over {args.folds} folds of topics")


if __name__ == "__main__":
    main()
