"""Fuzz the compare pipeline with mutated copies of the sample articles.

    python scripts/fuzz_compare.py [--count N] [--seed S] [--format text|json]

Each run compares two or three articles read from ``examples/sample``, whose texts are
mutated in one to four ways (character flips, deletions, duplicated spans, inserted odd
Unicode: combining marks, right-to-left and zero-width marks, astral characters, digits
and number words, quotation marks, very long tokens, empty lines; or a title only), with
:func:`newsprism.pipeline.run.compare_articles` (annotation and alignment with the real
models, no annotation cache, one shared embedder).

A crash is an exception escaping ``compare_articles``; an internal error is a
``Failure`` whose reason says ``internal error`` (a bug met on one article). Each
distinct kind (exception type and innermost frame in ``newsprism``) is printed once with
the seed and index that reproduce it (``--seed S --only I``). Exit status: 0 when none,
1 on any, 2 on a usage error. The run is deterministic for a given ``--seed``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsprism.embed.sentences import Embedder, default_embedder  # noqa: E402
from newsprism.model import Article  # noqa: E402
from newsprism.pipeline.run import PipelineOptions, compare_articles  # noqa: E402
from newsprism.read import ReadOptions, read_file  # noqa: E402

SAMPLE = ROOT / "examples" / "sample"
ODD = ("\u0301", "\u0308\u0327", "\u200f", "\u200e", "\u202e", "\u2067", "\u200b", "\u200d",
       "\ufeff", "\u2060", "\U0001f600", "\U00020000", "\U0001d7d8", "\U000e0041", "\u00a0",
       "\u2028", "\u2029", "\r", "\t", "\x0b", "\x85", "\u3002", "\uff0e", "…",
       "\u0640")  # fmt: skip
NUMBERS = ("0", "7", "1,300", "1.5", "-3", "12%", "1e9", "3/4", "½", "٣", "१२", "१२३४",
           "one", "twelve", "hundred", "thousand", "million", "zwei", "trois", "mil", "два",
           "99999999999999999999999", "0.000000001", "10^6", "$5", "€ 3,5", "2024-02-30",
           "31.12.", "1 000 000", "1.000.000,5")  # fmt: skip
QUOTES = ('"', "“", "”", "„", "«", "»", "‹", "›", "'", "‘", "’", "「", "」", "『", "』",
          ' said "', '," he said.', ': «', "»,", '""', '"\n"')  # fmt: skip


def sample_articles() -> list[Article]:
    """The sample articles, read as ``ingest`` reads them."""
    articles: list[Article] = []
    for path in sorted(SAMPLE.iterdir()):
        articles.extend(read_file(path, ReadOptions()))
    return articles


def _mutate_once(rng: random.Random, text: str) -> str:
    op = rng.randrange(10)
    n = len(text)
    pos = rng.randint(0, n)
    if op == 0 and n:  # character flips
        chars = list(text)
        for _ in range(rng.randint(1, 12)):
            i = rng.randrange(n)
            chars[i] = chr((ord(chars[i]) ^ (1 << rng.randrange(7))) or 32)
        return "".join(c for c in chars if not 0xD800 <= ord(c) <= 0xDFFF)
    if op == 1:  # a deleted span
        return text[:pos] + text[pos + rng.randint(1, max(1, n // 3)) :]
    if op == 2 and n:  # a duplicated span
        start = rng.randrange(n)
        piece = text[start : start + rng.randint(1, 300)]
        return text[:pos] + piece * rng.randint(2, 20) + text[pos:]
    if op == 3:  # odd Unicode
        return text[:pos] + "".join(rng.choice(ODD) for _ in range(rng.randint(1, 6))) + text[pos:]
    if op == 4:  # numbers and number words
        return text[:pos] + f" {rng.choice(NUMBERS)} {rng.choice(NUMBERS)} " + text[pos:]
    if op == 5:  # quotation marks
        return text[:pos] + rng.choice(QUOTES) + text[pos:]
    if op == 6:  # a very long token
        return text[:pos] + rng.choice("a1é-Ж.'") * rng.randint(200, 5000) + text[pos:]
    if op == 7:  # empty lines and whitespace
        return (
            text[:pos]
            + rng.choice(("\n" * rng.randint(2, 40), " " * 500, "\n \n\t\n"))
            + text[pos:]
        )
    if op == 8:  # truncation
        return text[:pos] if rng.random() < 0.6 else text[pos:]
    if op == 9:  # same characters in another order, within one line
        lines = text.split("\n")
        i = rng.randrange(len(lines))
        words = lines[i].split(" ")
        rng.shuffle(words)
        lines[i] = " ".join(words)
        return "\n".join(lines)
    return text


def mutate(rng: random.Random, article: Article) -> Article:
    """A mutated copy of ``article`` (text, sometimes title and language)."""
    kind = rng.random()
    if kind < 0.05:
        return dataclasses.replace(article, text="")  # a title only
    text = article.text
    for _ in range(rng.randint(1, 4)):
        text = _mutate_once(rng, text)
    title = _mutate_once(rng, article.title) if rng.random() < 0.2 else article.title
    language = article.language
    if rng.random() < 0.05:
        language = rng.choice(("en", "de", "fr", "es", "ru", "zh", "ar", "xx"))
    return dataclasses.replace(article, text=text, title=title, language=language)


def generate(rng: random.Random, articles: list[Article]) -> list[Article]:
    """Two or three mutated articles to compare."""
    picked = [rng.choice(articles) for _ in range(rng.randint(2, 3))]
    return [dataclasses.replace(mutate(rng, a), id=f"{a.id}-{n}") for n, a in enumerate(picked)]


@dataclass
class Kind:
    key: str
    error: str
    index: int
    count: int = 1


@dataclass
class Report:
    runs: int = 0
    failures: int = 0
    crashes: int = 0
    internal_errors: int = 0
    kinds: dict[str, Kind] = field(default_factory=dict)
    seconds: float = 0.0

    def note(self, key: str, error: str, index: int) -> None:
        if key in self.kinds:
            self.kinds[key].count += 1
        else:
            self.kinds[key] = Kind(key, error[:300], index)


def _where(err: BaseException) -> str:
    frames = [f for f in traceback.extract_tb(err.__traceback__) if "newsprism" in f.filename]
    if not frames:
        return "?"
    last = frames[-1]
    return f"{Path(last.filename).parent.name}/{Path(last.filename).name}:{last.name}"


_INTERNAL = re.compile(r"internal error: (\w+)")


def fuzz(
    count: int, seed: int, embedder: Embedder | None = None, only: int | None = None
) -> Report:
    """Compare ``count`` groups of mutated articles; crashes and internal errors are
    collected, not raised."""
    rng = random.Random(seed)
    articles = sample_articles()
    options = PipelineOptions(cache=False)
    shared = embedder or default_embedder(options.embed)
    report = Report()
    started = time.perf_counter()
    for i in range(count):
        group = generate(rng, articles)
        if only is not None and i != only:
            continue
        report.runs += 1
        try:
            coverage = compare_articles(group, options, embedder=shared)
        except Exception as err:
            report.crashes += 1
            report.note(f"crash {type(err).__name__} at {_where(err)}", f"{err}", i)
            continue
        report.failures += len(coverage.failures)
        for failure in coverage.failures:
            found = _INTERNAL.search(failure.reason)
            if found:
                report.internal_errors += 1
                report.note(f"internal {found.group(1)}", failure.reason, i)
    report.seconds = time.perf_counter() - started
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--count", type=int, default=300, help="groups of articles to compare")
    parser.add_argument("--seed", type=int, default=0, help="random seed")
    parser.add_argument("--only", type=int, default=None, help="run only this index")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be positive")
    report = fuzz(args.count, args.seed, only=args.only)
    kinds = [
        {"kind": k.key, "count": k.count, "error": k.error,
         "reproduce": f"python scripts/fuzz_compare.py --seed {args.seed} --count {k.index + 1}"
                      f" --only {k.index}"}
        for k in report.kinds.values()
    ]  # fmt: skip
    if args.format == "json":
        summary = {"runs": report.runs, "failures": report.failures, "crashes": report.crashes,
                   "internal_errors": report.internal_errors, "distinct": kinds,
                   "seconds": round(report.seconds, 1)}  # fmt: skip
        print(json.dumps(summary, indent=2))
    else:
        for kind in kinds:
            print(f"{kind['kind']} ×{kind['count']}: {kind['error']}")
            print(f"  reproduce: {kind['reproduce']}")
        print(
            f"{report.runs} comparisons, {report.failures} failures, {report.crashes} crashes, "
            f"{report.internal_errors} internal errors ({len(kinds)} distinct kinds) "
            f"in {report.seconds:.1f} s"
        )
    return 1 if kinds else 0


if __name__ == "__main__":
    sys.exit(main())
