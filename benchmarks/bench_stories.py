#!/usr/bin/env python
"""Benchmarks of story clustering.

Usage::

    python benchmarks/bench_stories.py assign [--stories 10000] [--articles 20000] [--json]
    python benchmarks/bench_stories.py stream [--articles 1000000] [--json]
    python benchmarks/bench_stories.py ecb [--data ../shared/data/ecbplus/topics-01-35.jsonl]

``assign``: throughput of assigning articles whose features and embeddings are
given, against ``--stories`` active stories (built first from one seed article each,
then the timed articles arrive in daily batches of 1,000, most of them on a known
story). ``stream``: memory over a synthetic stream of ``--articles`` articles, 1,000
a day over many days, with the default ageing rules; prints the peak resident memory
and the number of active stories, sampled ten times. ``ecb``: end to end
on ECB+ (names, embeddings, features, clustering) with the time of each step.

The synthetic articles have realistic shapes: 120 word weights, 60 name weights,
a 512-dimensional unit vector near their story's vector, and a year anchor.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newsprism.stories import ClusterOptions, StoryClusterer, StoryDoc  # noqa: E402

DIM = 512


class Topics:
    """Synthetic stories: each has a vector, a vocabulary and names."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = np.random.default_rng(seed)

    def vector(self, topic: int) -> np.ndarray:
        v = np.random.default_rng(topic).normal(size=DIM)
        return v / np.linalg.norm(v)

    def doc(self, ident: str, topic: int, day: date) -> StoryDoc:
        rng = self.rng
        v = self.vector(topic) + rng.normal(scale=0.03, size=DIM)
        words = {f"w{topic}-{k}": float(rng.uniform(0.5, 1)) for k in range(40)}
        words.update({f"g{int(rng.integers(50_000))}": 0.3 for _ in range(80)})
        names = {f"n{topic}-{k}": float(rng.uniform(0.5, 1)) for k in range(20)}
        names.update({f"m{int(rng.integers(20_000))}": 0.3 for _ in range(40)})
        return StoryDoc(
            id=ident,
            language="en",
            published=day,
            anchor=day.year,
            terms=_unit(words),
            names=_unit(names),
            vector=(v / np.linalg.norm(v)).astype(np.float32),
            title=f"topic {topic}",
        )


def _unit(d: dict[str, float]) -> dict[str, float]:
    n = sum(x * x for x in d.values()) ** 0.5
    return {k: x / n for k, x in d.items()}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def assign(stories: int, articles: int) -> dict[str, Any]:
    topics = Topics()
    day0 = date(2024, 1, 1)
    clusterer = StoryClusterer(ClusterOptions(max_active=stories + 1000, active_days=10_000))
    seeds = [topics.doc(f"seed{t}", t, day0) for t in range(stories)]
    clusterer.add(seeds)
    rng = np.random.default_rng(1)
    batches = []
    for b in range(articles // 1000):
        day = day0 + timedelta(days=1 + b)
        chosen = rng.integers(0, int(stories * 1.05), size=1000)  # 5 % new stories
        batches.append([topics.doc(f"a{b}-{k}", int(t), day) for k, t in enumerate(chosen)])
    started = time.perf_counter()
    for batch in batches:
        clusterer.add(batch)
    seconds = time.perf_counter() - started
    return {
        "active_stories_before": stories,
        "articles": articles,
        "seconds": round(seconds, 2),
        "articles_per_second": round(articles / seconds, 1),
        "active_stories_after": len(clusterer.active),
        "peak_rss_mib": round(_peak_mib(), 1),
    }


def stream(articles: int) -> dict[str, Any]:
    topics = Topics()
    clusterer = StoryClusterer()
    day0 = date(2020, 1, 1)
    rng = np.random.default_rng(2)
    samples = []
    started = time.perf_counter()
    per_day = 1000
    for d in range(articles // per_day):
        day = day0 + timedelta(days=d)
        # each day: stories of the last two weeks continue, about 30 new ones start
        chosen = np.maximum(0, d * 30 + rng.integers(-420, 30, size=per_day))
        clusterer.add([topics.doc(f"{d}-{k}", int(t), day) for k, t in enumerate(chosen)])
        if (d + 1) * per_day % max(articles // 10, per_day) == 0:
            samples.append(
                {
                    "articles": (d + 1) * per_day,
                    "active_stories": len(clusterer.active),
                    "peak_rss_mib": round(_peak_mib(), 1),
                    "seconds": round(time.perf_counter() - started, 1),
                }
            )
            print(json.dumps(samples[-1]), file=sys.stderr, flush=True)  # progress
    seconds = time.perf_counter() - started
    return {
        "articles": articles,
        "seconds": round(seconds, 1),
        "articles_per_second": round(articles / seconds, 1),
        "samples": samples,
        "peak_rss_mib": round(_peak_mib(), 1),
    }


def ecb(data: Path) -> dict[str, Any]:
    from newsprism.evaluate.clustering import evaluate

    return evaluate(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    a = sub.add_parser("assign")
    a.add_argument("--stories", type=int, default=10_000)
    a.add_argument("--articles", type=int, default=20_000)
    s = sub.add_parser("stream")
    s.add_argument("--articles", type=int, default=1_000_000)
    e = sub.add_parser("ecb")
    e.add_argument(
        "--data", type=Path, default=REPO.parent / "shared/data/ecbplus/topics-01-35.jsonl"
    )
    for p in (a, s, e):
        p.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.what == "assign":
        result = assign(args.stories, args.articles)
    elif args.what == "stream":
        result = stream(args.articles)
    else:
        result = ecb(args.data)
    result["machine"] = f"{platform.machine()}, {platform.python_version()}"
    print(json.dumps(result, indent=None if args.json else 2))


if __name__ == "__main__":
    main()
