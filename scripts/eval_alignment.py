"""Statement alignment quality against readers' alignments.

Gold: the seed pair (``tests/data/seed_pairs.json``, needs ../shared) and the
shipped sample story (``examples/sample-EXPECTED.md``). Prints, per set, the
pair precision / recall / F1 at the configured threshold and the average
precision of the score ranking.

    python scripts/eval_alignment.py [--threshold 1.0] [--json]
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import re
import sys
from pathlib import Path

import numpy as np

from newsprism.compare.align import CompareOptions, pair_scores
from newsprism.compare.statements import (
    StatementFeatures,
    counted_vectors,
    statement_features,
    statement_vectors,
)
from newsprism.embed.sentences import default_embedder
from newsprism.link.names import link_entities
from newsprism.model import Article
from newsprism.pipeline.run import annotate, read_all

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
Pair = frozenset[int]


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def _find(
    stmts: list[StatementFeatures], articles: list[Article], article: str, prefix: str
) -> int | None:
    want = _norm(prefix)[:60]
    for k, s in enumerate(stmts):
        if articles[s.article].id.startswith(article) and _norm(s.sentence.text).startswith(want):
            return k
    return None


def _load(paths: list[Path]) -> tuple[list[Article], list[StatementFeatures]]:
    arts, _, _ = read_all(paths)
    linked, entities, links = link_entities([annotate(a) for a in arts])
    return list(linked), statement_features(linked, links, CompareOptions(), entities)


def seed_gold() -> tuple[list[Article], list[StatementFeatures], set[Pair], set[Pair]]:
    arts, stmts = _load(sorted((SHARED / "seeds").glob("*.txt")))
    gold = json.loads((ROOT / "tests/data/seed_pairs.json").read_text())

    def pairs(key: str) -> set[Pair]:
        out = set()
        for a, b in gold[key]:
            i, j = _find(stmts, arts, "000", a), _find(stmts, arts, "001", b)
            if i is not None and j is not None:
                out.add(frozenset((i, j)))
        return out

    return arts, stmts, pairs("pairs"), pairs("optional")


def sample_gold() -> tuple[list[Article], list[StatementFeatures], set[Pair], set[Pair]]:
    arts, stmts = _load(sorted((ROOT / "examples/sample").iterdir()))
    text = (ROOT / "examples/sample-EXPECTED.md").read_text()
    pos: set[Pair] = set()
    opt: set[Pair] = set()
    for section in re.split(r"\n### ", text)[1:]:
        head = section.split("\n", 1)[0]
        items = re.findall(r"^- (en|es|fr|de)[^`\n]*`([^`]+)`", section, re.M)
        found = [(lang, _find(stmts, arts, lang, t)) for lang, t in items]
        target = opt if "optional" in head else pos
        for (l1, k1), (l2, k2) in itertools.combinations(found, 2):
            if l1 != l2 and k1 is not None and k2 is not None:
                target.add(frozenset((k1, k2)))
    return arts, stmts, pos, opt


def evaluate(opts: CompareOptions) -> dict[str, dict[str, float]]:
    embedder = default_embedder()
    results = {}
    sets = [("sample", sample_gold)]
    if (SHARED / "seeds").is_dir():
        sets.insert(0, ("seeds", seed_gold))
    for name, loader in sets:
        _, stmts, pos, opt = loader()
        vectors = statement_vectors(stmts, embedder)
        score, _ = pair_scores(stmts, vectors, counted_vectors(stmts, embedder), opts)
        rows = [
            (float(score[i, j]), frozenset((i, j)) in pos)
            for i, j in itertools.combinations(range(len(stmts)), 2)
            if stmts[i].article != stmts[j].article and frozenset((i, j)) not in opt
        ]
        rows.sort(key=lambda r: -r[0])
        hits = np.cumsum([y for _, y in rows])
        ap = float(sum(hits[k] / (k + 1) for k, (_, y) in enumerate(rows) if y) / max(len(pos), 1))
        predicted = [y for s, y in rows if s >= opts.threshold]
        tp = sum(predicted)
        p = tp / len(predicted) if predicted else 0.0
        r = tp / len(pos) if pos else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        results[name] = {
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
            "average_precision": round(ap, 3),
            "gold_pairs": len(pos),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    for f in dataclasses.fields(CompareOptions):
        parser.add_argument(
            "--" + f.name.replace("_", "-"), type=type(f.default), default=f.default
        )
    parser.add_argument("--json", action="store_true")
    args = vars(parser.parse_args())
    as_json = args.pop("json")
    res = evaluate(CompareOptions(**args))
    if as_json:
        json.dump(res, sys.stdout, indent=2)
        print()
    else:
        for name, r in res.items():
            print(f"{name:8} " + "  ".join(f"{k}={v}" for k, v in r.items()))


if __name__ == "__main__":
    main()
