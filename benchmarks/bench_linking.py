#!/usr/bin/env python
"""Benchmark of collection-wide entity linking as the collection grows.

Usage::

    python benchmarks/bench_linking.py [--articles 20000] [--reference 2000] [--json]

Builds a collection (a temporary SQLite file) of ``--articles`` synthetic articles
with the public :class:`~newsprism.store.Store` API, then links them one after the
other with one :class:`~newsprism.collection.entities.EntityLinker`, as an ingest run does,
and prints the linking cost per article and mentions per second over the articles
linked since the previous checkpoint (1k, 5k, 10k, 20k …): a flat cost per article
means linking does not slow down as the collection grows. The first ``--reference``
articles are also linked, in a second collection, with the reference algorithm the
index replaced (scans of every alias, kept in ``tests/test_store_linking.py``), and
both collections' tables are checked to be identical.

The articles mention names drawn, with a long-tailed popularity, from a pool of
generated people (first name + surname, written with transliteration variants,
typos, a title in front, or the surname alone), places, organisations and
nationality words, so that new names and new spellings keep arriving.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from newsprism.collection.entities import EntityLinker  # noqa: E402
from newsprism.link.names import LinkOptions  # noqa: E402
from newsprism.model import Article, Mention  # noqa: E402
from newsprism.store import Store  # noqa: E402

CHECKPOINTS = (1_000, 5_000, 10_000, 20_000, 50_000, 100_000)
_ONSETS = ["b", "br", "ch", "d", "dr", "f", "g", "gr", "h", "j", "k", "kh", "kr", "l", "m",
           "n", "p", "pr", "r", "s", "sch", "sh", "sl", "st", "t", "tr", "ts", "v", "vl", "w",
           "z", "zh", "", "bl", "gl", "pl", "c", "x", "q", "y"]  # fmt: skip
_VOWELS = ["a", "e", "i", "o", "u", "y", "ai", "ei", "ia", "ou", "ie", "ä", "ö", "ü", "é"]
_ENDINGS = ["", "n", "r", "k", "l", "m", "t", "s", "sky", "ski", "enko", "ov", "ev", "in",
            "ova", "ich", "ez", "er", "son", "sen", "ard", "ani", "ian", "ski", "uk", "ak",
            "escu", "idis", "oglu", "berg", "mann", "ez", "es", "ero", "elli"]  # fmt: skip
_VARIANTS = [("y", "i"), ("w", "v"), ("k", "c"), ("kh", "h"), ("zh", "j"), ("sky", "skyi"),
             ("ov", "off"), ("i", "ij"), ("e", "ë"), ("s", "ss")]  # fmt: skip
_TITLES = ["President", "Minister", "General", "Mayor", "Feuerwehrchef", "Sprecher"]
_NORP = ["Ukrainian", "Ukrainians", "Russian", "Polish", "German", "French", "Europeans"]


def _word(rng: random.Random, syllables: int) -> str:
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
    return ("".join(parts) + rng.choice(_ENDINGS)).capitalize()


def _variant(rng: random.Random, word: str) -> str:
    roll = rng.random()
    if roll < 0.15:
        a, b = rng.choice(_VARIANTS)
        return word.replace(a, b, 1) if a in word else word
    if roll < 0.2 and len(word) > 4:  # a typo
        i = rng.randrange(1, len(word) - 1)
        return word[:i] + word[i + 1 :]
    return word


class Names:
    """A pool of entities, mentioned with a long-tailed popularity."""

    def __init__(self, rng: random.Random, people: int, places: int, orgs: int) -> None:
        self.rng = rng
        self.people = [
            (_word(rng, rng.randint(1, 3)), _word(rng, rng.randint(2, 3))) for _ in range(people)
        ]
        self.places = [_word(rng, rng.randint(1, 3)) for _ in range(places)]
        self.orgs = [f"{_word(rng, 2)} {rng.choice(['Bank', 'Group', 'Party', 'Council'])}"
                     for _ in range(orgs)]  # fmt: skip

    def _pick(self, pool: list[Any]) -> Any:
        # Pareto-distributed rank: a few names are in most articles, most are rare.
        return pool[min(len(pool) - 1, int(self.rng.paretovariate(0.8)) - 1)]

    def mention(self) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.55:
            first, last = self._pick(self.people) if rng.random() < 0.7 else rng.choice(self.people)
            label = "PERSON" if rng.random() < 0.85 else rng.choice(["MISC", "ORG", "LOC"])
            shape = rng.random()
            if shape < 0.3:
                return _variant(rng, last), label
            name = f"{_variant(rng, first)} {_variant(rng, last)}"
            return (f"{rng.choice(_TITLES)} {name}" if shape > 0.9 else name), label
        if roll < 0.8:
            place = self._pick(self.places) if rng.random() < 0.7 else rng.choice(self.places)
            return _variant(rng, place), "LOC" if rng.random() < 0.9 else "MISC"
        if roll < 0.9:
            return rng.choice(_NORP), "NORP" if rng.random() < 0.9 else "MISC"
        org = self._pick(self.orgs) if rng.random() < 0.7 else rng.choice(self.orgs)
        return org, "ORG"

    def article(self, ident: str) -> Article:
        text, mentions = "", []
        for _ in range(self.rng.randint(5, 25)):
            surface, label = self.mention()
            start = len(text)
            text += f"{surface} said something on the day. "
            mentions.append(Mention(surface, start, start + len(surface), label, 0))
        return Article(id=ident, text=text + ident, mentions=tuple(mentions))


def _build(path: Path, articles: list[Article]) -> Store:
    store = Store(path)
    for article in articles:
        store.add(article)
    return store


def _run(link: Any, articles: list[Article], checkpoints: list[int]) -> list[dict[str, Any]]:
    rows, done, mentions, elapsed = [], 0, 0, 0.0
    for stop in checkpoints:
        window_mentions, started = 0, time.perf_counter()
        for article in articles[done:stop]:
            link(article.id)
            window_mentions += len(article.mentions)
        seconds = time.perf_counter() - started
        elapsed += seconds
        mentions += window_mentions
        count = stop - done
        rows.append({"articles": stop, "ms_per_article": 1000 * seconds / count,
                     "mentions_per_s": window_mentions / seconds, "total_s": elapsed})  # fmt: skip
        done = stop
    return rows


def _tables(store: Store) -> list[list[tuple[Any, ...]]]:
    conn = store.connection
    return [
        conn.execute("SELECT id, name, type FROM entities ORDER BY id").fetchall(),
        conn.execute("SELECT rowid, * FROM entity_aliases ORDER BY rowid").fetchall(),
        conn.execute("SELECT * FROM mention_entities ORDER BY 1, 2").fetchall(),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--reference", type=int, default=2_000, help="0 to skip")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    names = Names(rng, people=max(200, args.articles), places=max(50, args.articles // 4),
                  orgs=max(20, args.articles // 10))  # fmt: skip
    articles = [names.article(f"art{i:07d}") for i in range(args.articles)]
    stops = [c for c in CHECKPOINTS if c < args.articles] + [args.articles]
    report: dict[str, Any] = {"articles": args.articles,
                              "mentions": sum(len(a.mentions) for a in articles)}  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        store = _build(Path(tmp) / "index.db", articles)
        linker = EntityLinker(store, LinkOptions())
        report["index"] = _run(linker.link, articles, stops)
        n_ref = min(args.reference, args.articles)
        if n_ref:
            sys.path.insert(0, str(REPO / "tests"))
            from test_store_linking import _Reference

            ref_store = _build(Path(tmp) / "reference.db", articles[:n_ref])
            reference = _Reference(ref_store.connection, LinkOptions())
            ref_stops = sorted({min(n_ref, s) for s in (250, 500, 1_000, 2_000, 5_000)})
            report["reference"] = _run(reference.link, articles, ref_stops)
            again = _build(Path(tmp) / "check.db", articles[:n_ref])
            checker = EntityLinker(again, LinkOptions())
            for article in articles[:n_ref]:
                checker.link(article.id)
            report["identical"] = _tables(again) == _tables(ref_store)
        report["entities"] = store.connection.execute("SELECT count(*) FROM entities").fetchone()[0]
        report["aliases"] = store.connection.execute(
            "SELECT count(*) FROM entity_aliases"
        ).fetchone()[0]
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{report['articles']} articles, {report['mentions']} mentions, "
          f"{report['entities']} entities, {report['aliases']} aliases")  # fmt: skip
    for name in ("reference", "index"):
        for row in report.get(name, []):
            cost, rate = row["ms_per_article"], row["mentions_per_s"]
            print(f"{name:>9}  up to {row['articles']:>7} articles: "
                  f"{cost:8.3f} ms/article  {rate:10.0f} mentions/s")  # fmt: skip
    if "identical" in report:
        print("same tables as the reference:", report["identical"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
