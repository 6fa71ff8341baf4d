#!/usr/bin/env python
"""Benchmark of the quotes stage: milliseconds per article for ``find_quotes``.

Usage::

    python benchmarks/bench_quotes.py [--articles N] [--batch K] [--save FILE] [--check FILE]
                                      [--json]

The corpus is real English news from ``../shared/data/`` next to the repository: the
PolNeAR dev and train texts and the ECB+ texts, in a fixed shuffled order. Sentences and
entities are annotated first (not timed); the parser model is loaded and warmed on one
article before timing. Wall-clock and CPU milliseconds are both given (CPU time is the
steadier figure on a busy machine). Then ``find_quotes`` runs on every article one at a time, and
``find_quotes_batch`` on partitions of ``--batch`` articles (0 skips the batch run).

``--save FILE`` writes every quote found (one JSON line per article) and ``--check FILE``
compares the quotes found now with such a file and prints the articles that differ, so a
change that should not alter results can be verified on the whole corpus.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from dataclasses import astuple
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
sys.path.insert(0, str(REPO / "src"))

from newsprism.entities import annotate_entities  # noqa: E402
from newsprism.model import Article, Quote  # noqa: E402
from newsprism.quotes.finder import find_quotes, find_quotes_batch  # noqa: E402
from newsprism.sentences import annotate_sentences  # noqa: E402

SEED = 20240601


def corpus(limit: int) -> list[tuple[str, str]]:
    """``(id, text)`` of the English benchmark articles, shuffled with a fixed seed."""
    items: list[tuple[str, str]] = []
    for split in ("dev", "train"):
        for path in sorted((DATA / "polnear" / split / "text").glob("*.txt")):
            items.append((f"polnear/{split}/{path.stem}", path.read_text(encoding="utf-8")))
    ecb = DATA / "ecbplus" / "topics-01-35.jsonl"
    if ecb.exists():
        for line in ecb.open(encoding="utf-8"):
            row = json.loads(line)
            items.append((f"ecb/{row['id']}", row["text"]))
    random.Random(SEED).shuffle(items)
    return items[:limit] if limit > 0 else items


def prepare(items: list[tuple[str, str]]) -> list[Article]:
    out = []
    for ident, text in items:
        article = Article(id=ident, source=ident, title="", language="en", text=text)
        out.append(annotate_entities(annotate_sentences(article)))
    return out


def _rows(quotes: tuple[Quote, ...]) -> list[list[Any]]:
    return [list(astuple(q)) for q in quotes]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--articles", type=int, default=300, help="0: the whole corpus")
    ap.add_argument("--batch", type=int, default=32, help="partition size, 0: no batch run")
    ap.add_argument("--save", type=Path)
    ap.add_argument("--check", type=Path)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    articles = prepare(corpus(args.articles))
    words = statistics.mean(len(a.text.split()) for a in articles)
    find_quotes(articles[0])  # load and warm the parser

    found: list[tuple[Quote, ...]] = []
    times: list[float] = []
    cpu0 = time.process_time()
    for article in articles:
        t0 = time.perf_counter()
        found.append(find_quotes(article))
        times.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu0
    figures: dict[str, Any] = {
        "articles": len(articles),
        "mean_words": round(words),
        "ms_per_article": round(1000 * statistics.mean(times), 2),
        "median_ms": round(1000 * statistics.median(times), 2),
        "cpu_ms_per_article": round(1000 * cpu / len(articles), 2),
        "quotes": sum(len(f) for f in found),
    }
    if args.batch > 0:
        t0, cpu0 = time.perf_counter(), time.process_time()
        batched: list[tuple[Quote, ...]] = []
        for i in range(0, len(articles), args.batch):
            batched.extend(find_quotes_batch(articles[i : i + args.batch]))
        n = len(articles)
        figures["batch_ms_per_article"] = round(1000 * (time.perf_counter() - t0) / n, 2)
        figures["batch_cpu_ms_per_article"] = round(1000 * (time.process_time() - cpu0) / n, 2)
        figures["batch_same_as_single"] = batched == found
    status = 0
    if args.save:
        with args.save.open("w", encoding="utf-8") as f:
            for a, q in zip(articles, found, strict=True):
                f.write(json.dumps({"id": a.id, "quotes": _rows(q)}, ensure_ascii=False) + "\n")
    if args.check:
        ref = {}
        for line in args.check.open(encoding="utf-8"):
            row = json.loads(line)
            ref[row["id"]] = row["quotes"]
        differ = [a.id for a, q in zip(articles, found, strict=True) if ref.get(a.id) != _rows(q)]
        figures["differing_articles"] = len(differ)
        if differ:
            figures["differing_ids"] = differ[:20]
            status = 1
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:>22}: {value}")
    return status


if __name__ == "__main__":
    sys.exit(main())
