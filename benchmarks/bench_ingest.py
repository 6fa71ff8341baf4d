#!/usr/bin/env python
"""Benchmark of ``newsprism ingest``: a real mixed corpus into a fresh SQLite file.

Usage::

    python benchmarks/bench_ingest.py [--articles N] [--engine local|dask] [--workers N]
                                      [--json] [--keep DIR] [--profile FILE]

The corpus is built from ``../shared/data/`` next to the repository: ECB+ texts
(English), PolNeAR texts (English, US election news) and the SemEval-2022 Task 8
texts (Spanish and French), written out as files of every format the collection
reads (``.txt``, ``.html``, ``.json``, ``.jsonl``, ``.csv``, ``.gz``), with a few
exact copies among them. A fresh Python subprocess then ingests the folder into a
new SQLite file with :func:`newsprism.collection.ingest.ingest` and reports articles per
second, seconds per stage, peak memory and database size per 1,000 articles.

``--articles 0`` ingests the whole corpus (about 3,100 articles). See
``benchmarks/README.md`` for what each figure means.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import html
import io
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data"
TARGET_ARTICLES_PER_S = 25.0
DEFAULT_ARTICLES = 300
SEED = 20240601
BATCH = 20  # records per .jsonl / .csv / .jsonl.gz file
DUPLICATE_EVERY = 50  # one exact copy per this many articles
# Format of the i-th article, cycling: half plain text, the rest spread over the readers.
FORMATS = ("txt", "txt", "txt", "txt", "txt", "html", "json", "jsonl", "csv", "gz")
STAGES = (
    "read",
    "sentences",
    "entities",
    "quantities",
    "quotes",
    "dates",
    "store",
    "near-duplicates",
)

Item = dict[str, Any]
Result = dict[str, Any]


# ------------------------------------------------------------------------ corpus


def _ecbplus(data: Path) -> list[Item]:
    rows = (json.loads(line) for line in (data / "ecbplus" / "topics-01-35.jsonl").open())
    return [
        {"corpus": "ecbplus", "id": f"ecb-{r['id']}", "title": "", "text": r["text"]}
        for r in rows
        if r["text"].strip()
    ]


def _polnear(data: Path) -> list[Item]:
    meta: dict[str, dict[str, str]] = {}
    with (data / "polnear" / "metadata.tsv").open(newline="") as stream:
        for row in csv.DictReader(stream, delimiter="\t"):
            meta[row["filename"]] = row
    items = []
    for path in sorted((data / "polnear").glob("*/text/*.txt")):
        raw = path.read_text(encoding="utf-8")
        title, _, body = raw.strip().partition("\n")
        m = meta.get(path.stem, {})
        items.append(
            {
                "corpus": "polnear",
                "id": f"polnear-{path.stem}",
                "title": title.strip(),
                "text": body.strip() or raw,
                "source": m.get("publisher") or None,
                "published": m.get("publication_date") or None,
            }
        )
    return items


def _semeval(data: Path) -> list[Item]:
    items = []
    for line in (data / "semeval2022-t8" / "es-fr.jsonl").open():
        r = json.loads(line)
        for k in ("1", "2"):
            if (r.get(f"text{k}") or "").strip():
                items.append(
                    {
                        "corpus": f"semeval-{r[f'lang{k}']}",
                        "id": f"semeval-{r['pair_id']}-{k}",
                        "title": r.get(f"title{k}") or "",
                        "text": r[f"text{k}"],
                    }
                )
    return items


def select(data: Path, n: int, seed: int = SEED) -> list[Item]:
    """``n`` articles (0: all), the three corpora interleaved, exact copies included."""
    pools = [_ecbplus(data), _polnear(data), _semeval(data)]
    rng = random.Random(seed)
    for pool in pools:
        rng.shuffle(pool)
    mixed: list[Item] = []
    for k in range(max(len(p) for p in pools)):
        mixed.extend(p[k] for p in pools if k < len(p))
    total = n or len(mixed) + len(mixed) // (DUPLICATE_EVERY - 1)
    unique = mixed[: total - total // DUPLICATE_EVERY]
    out: list[Item] = []
    for i, item in enumerate(unique, start=1):
        out.append(item)
        if i % (DUPLICATE_EVERY - 1) == 0 and len(out) < total:
            out.append({**item, "id": f"{item['id']}-copy"})  # syndicated copy
    return out[:total]


def _html(item: Item) -> str:
    title = html.escape(item["title"] or item["text"].split(".")[0][:80])
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in item["text"].split("\n") if p.strip())
    site = html.escape(item.get("source") or "Example News")
    date = f'<meta name="date" content="{item["published"]}">' if item.get("published") else ""
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:site_name" content="{site}">{date}</head><body>'
        '<header><nav><a href="/">Home</a> | <a href="/world">World</a> | '
        '<a href="/sport">Sport</a></nav></header>'
        f"<main><article><h1>{title}</h1>\n{paras}\n</article></main>"
        f"<footer>© {site}. All rights reserved. <a href='/privacy'>Privacy</a></footer>"
        "</body></html>"
    )


def _record(item: Item) -> dict[str, Any]:
    keys = ("id", "title", "text", "source", "published")
    return {k: item[k] for k in keys if item.get(k)}


def _txt(item: Item) -> str:
    return f"{item['title']}\n\n{item['text']}\n" if item["title"] else f"{item['text']}\n"


def _csv(items: list[Item]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["id", "title", "text", "source", "published"])
    writer.writeheader()
    for item in items:
        writer.writerow(_record(item))
    return out.getvalue()


def _jsonl(items: list[Item]) -> str:
    return "".join(json.dumps(_record(i), ensure_ascii=False) + "\n" for i in items)


def write_corpus(items: list[Item], folder: Path) -> dict[str, int]:
    """Write ``items`` as files under ``folder``; returns the number of files per format."""
    folder.mkdir(parents=True, exist_ok=True)
    files: Counter[str] = Counter()
    batches: dict[str, list[Item]] = {"jsonl": [], "csv": [], "jsonl.gz": []}

    def flush(kind: str) -> None:
        items = batches[kind]
        if not items:
            return
        name = folder / f"batch-{files[kind]:04d}.{kind}"
        if kind == "csv":
            name.write_text(_csv(items), encoding="utf-8")
        elif kind == "jsonl":
            name.write_text(_jsonl(items), encoding="utf-8")
        else:
            name.write_bytes(gzip.compress(_jsonl(items).encode("utf-8")))
        files[kind] += 1
        batches[kind] = []

    for i, item in enumerate(items):
        fmt = FORMATS[i % len(FORMATS)]
        stem = folder / item["corpus"] / item["id"]
        stem.parent.mkdir(exist_ok=True)
        if fmt == "txt":
            stem.with_suffix(".txt").write_text(_txt(item), encoding="utf-8")
        elif fmt == "html":
            stem.with_suffix(".html").write_text(_html(item), encoding="utf-8")
        elif fmt == "json":
            text = json.dumps(_record(item), ensure_ascii=False)
            stem.with_suffix(".json").write_text(text, encoding="utf-8")
        elif fmt == "gz" and i // len(FORMATS) % 2 == 0:  # every other one batched
            data = gzip.compress(_txt(item).encode("utf-8"))
            stem.with_name(stem.name + ".txt.gz").write_bytes(data)
            fmt = "txt.gz"
        else:
            fmt = "jsonl.gz" if fmt == "gz" else fmt
            batches[fmt].append(item)
            if len(batches[fmt]) == BATCH:
                flush(fmt)
            continue
        files[fmt] += 1
    for kind in list(batches):
        flush(kind)
    return dict(sorted(files.items()))


# ------------------------------------------------------------------------- child


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _profile_rows(profile: Any, key: int, limit: int = 25) -> list[dict[str, Any]]:
    import pstats

    stats = pstats.Stats(profile).stats  # type: ignore[attr-defined]
    rows = sorted(stats.items(), key=lambda kv: kv[1][key], reverse=True)[:limit]
    return [
        {
            "function": f"{Path(f).name}:{line}({name})",
            "calls": nc,
            "tottime_s": round(tt, 3),
            "cumtime_s": round(ct, 3),
        }
        for (f, line, name), (_cc, nc, tt, ct, _callers) in rows
    ]


def _workers_peak_rss_mb(engine: Any) -> list[float]:
    client = getattr(engine, "client", None)
    if client is None:
        return []
    return sorted(client.run(peak_rss_mb).values())


def run_child(
    corpus: Path, db: Path, profile_to: Path | None, engine_kind: str, workers: int | None
) -> Result:
    """Ingest ``corpus`` into ``db`` from this process and measure it."""
    started = time.perf_counter()
    from newsprism.collection.engines import EngineOptions, open_engine
    from newsprism.collection.ingest import IngestProgress, ingest
    from newsprism.store import Store
    from newsprism.timings import Timings

    imported = time.perf_counter()
    timings = Timings()
    marks: list[tuple[float, int]] = []

    def on_progress(p: IngestProgress) -> None:
        if not marks or marks[-1][1] != p.articles:
            marks.append((time.perf_counter(), p.articles))

    profiler = None
    if profile_to is not None:
        import cProfile

        profiler = cProfile.Profile()
    opened = time.perf_counter()
    engine = open_engine(EngineOptions(kind=engine_kind, workers=workers))
    engine_start = time.perf_counter() - opened
    with engine, Store(db) as store:
        begun = time.perf_counter()
        if profiler is not None:
            profiler.enable()
        summary = ingest([corpus], store, progress=on_progress, timings=timings, engine=engine)
        if profiler is not None:
            profiler.disable()
        ended = time.perf_counter()
        workers_rss = _workers_peak_rss_mb(engine)
        conn = store.connection
        words = sum(len(t.split()) for (t,) in conn.execute("SELECT text FROM articles"))
        languages = dict(conn.execute("SELECT language, count(*) FROM articles GROUP BY 1"))
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                " AND name NOT LIKE '%fts_%' AND name != 'schema_migrations' ORDER BY name"
            )
        ]
        rows = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    handled = marks[-1][1] if marks else 0
    # steady state: from the article at 20 % of the run to the end (models loaded)
    steady = next(((t, a) for t, a in marks if a >= max(1, handled // 5)), None)
    steady_rate = (
        (handled - steady[1]) / (marks[-1][0] - steady[0])
        if steady is not None and handled > steady[1] and marks[-1][0] > steady[0]
        else None
    )
    result: Result = {
        "import_s": imported - started,
        "engine": {"kind": engine_kind, "workers": engine.workers, "start_s": engine_start},
        "workers_peak_rss_mb": workers_rss,
        "ingest_s": ended - begun,
        "first_article_s": marks[0][0] - begun if marks else None,
        "steady_articles_per_s": steady_rate,
        "stages": dict(timings.seconds),
        "peak_rss_mb": peak_rss_mb(),
        "counts": {
            "articles": handled,
            "ingested": summary.ingested,
            "duplicates": summary.duplicates,
            "failed": summary.failed,
            "skipped": summary.skipped,
            "words": words,
        },
        "failures": [f.reason for f in summary.failures][:20],
        "languages": languages,
        "rows": rows,
    }
    if profiler is not None and profile_to is not None:
        profiler.dump_stats(str(profile_to))
        result["profile"] = {
            "file": str(profile_to),
            "by_cumtime": _profile_rows(profiler, 3),
            "by_tottime": _profile_rows(profiler, 2),
        }
    return result


# ------------------------------------------------------------------------ parent


def spawn(
    corpus: Path,
    db: Path,
    cache: Path,
    profile_to: Path | None,
    engine: str = "local",
    workers: int | None = None,
) -> Result:
    """Run the measuring subprocess; adds its wall time as ``wall_s``."""
    env = dict(os.environ, NEWSPRISM_CACHE=str(cache))
    src = str(REPO / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", str(corpus), str(db)]
    if profile_to is not None:
        cmd += ["--profile", str(profile_to)]
    cmd += ["--engine", engine] + (["--workers", str(workers)] if workers else [])
    started = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{proc.stderr[-3000:]}")
    result: Result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    return result


def _db_bytes(db: Path) -> int:
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def benchmark(
    n: int,
    work: Path,
    profile_to: Path | None = None,
    data: Path = DATA,
    engine: str = "local",
    workers: int | None = None,
) -> Result:
    """Build the corpus under ``work``, ingest it, and return every figure."""
    corpus, db, cache = work / "corpus", work / "bench.db", work / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    if db.exists():
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            p.unlink(missing_ok=True)
    items = select(data, n)
    built = time.perf_counter()
    files = write_corpus(items, corpus)
    built = time.perf_counter() - built
    child = spawn(corpus, db, cache, profile_to, engine, workers)
    counts = child["counts"]
    size = _db_bytes(db)
    ingested = max(counts["ingested"], 1)
    stages = child["stages"]
    stages["other"] = max(child["ingest_s"] - sum(stages.values()), 0.0)
    return {
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "corpus": {
            "folder": str(corpus),
            "records": len(items),
            "by_corpus": dict(sorted(Counter(i["corpus"] for i in items).items())),
            "files": files,
            "bytes": sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()),
            "build_s": built,
        },
        "counts": counts,
        "languages": child["languages"],
        "failures": child["failures"],
        "wall_s": child["wall_s"],
        "import_s": child["import_s"],
        "engine": child["engine"],
        "workers_peak_rss_mb": child["workers_peak_rss_mb"],
        "ingest_s": child["ingest_s"],
        "first_article_s": child["first_article_s"],
        "articles_per_s": counts["articles"] / child["ingest_s"],
        "articles_per_s_wall": counts["articles"] / child["wall_s"],
        "steady_articles_per_s": child["steady_articles_per_s"],
        "words_per_s": counts["words"] / child["ingest_s"],
        "stages": stages,
        "stage_s_per_article": {k: v / max(counts["articles"], 1) for k, v in stages.items()},
        "peak_rss_mb": child["peak_rss_mb"],
        "db": {
            "bytes": size,
            "mb_per_1000_articles": size / 1e6 * 1000 / ingested,
            "rows": child["rows"],
        },
        "target": {
            "articles_per_s": TARGET_ARTICLES_PER_S,
            "met": counts["articles"] / child["ingest_s"] >= TARGET_ARTICLES_PER_S,
        },
        **({"profile": child["profile"]} if "profile" in child else {}),
    }


def _pairs(counts: dict[str, int], pattern: str) -> str:
    return ", ".join(pattern.format(n=n, k=k) for k, n in counts.items())


def render(r: Result) -> str:
    """The human-readable report."""
    m, c, k, d = r["machine"], r["corpus"], r["counts"], r["db"]
    steady = r["steady_articles_per_s"]
    lines = [
        "newsprism ingest benchmark",
        f"machine   {m['cpu_count']} CPUs, Python {m['python']}, {m['platform']}",
        f"engine    {r['engine']['kind']}, {r['engine']['workers']} worker process(es)"
        f" (started in {r['engine']['start_s']:.1f} s, before the timed ingest)",
        f"corpus    {c['records']} records ({_pairs(c['by_corpus'], '{n} {k}')})"
        f" in {sum(c['files'].values())} files"
        f" ({_pairs(c['files'], '{n} .{k}')}), {c['bytes'] / 1e6:.2f} MB",
        f"result    {k['articles']} articles: {k['ingested']} stored, {k['duplicates']} duplicates,"
        f" {k['failed']} failed; {k['words']:,} words;"
        f" languages {', '.join(f'{lang}={n}' for lang, n in sorted(r['languages'].items()))}",
        "",
        f"process wall time     {r['wall_s']:8.1f} s  (import {r['import_s']:.2f} s)",
        f"ingest() time         {r['ingest_s']:8.1f} s  (first article after"
        f" {r['first_article_s'] or 0:.1f} s)",
        f"articles per second   {r['articles_per_s']:8.2f}"
        f"    (process: {r['articles_per_s_wall']:.2f};"
        f" steady state: {steady:.2f})"
        if steady
        else f"articles per second   {r['articles_per_s']:8.2f}",
        f"words per second      {r['words_per_s']:8.0f}",
        f"peak RSS              {r['peak_rss_mb']:8.0f} MiB"
        + (
            f"  (workers: {', '.join(f'{w:.0f}' for w in r['workers_peak_rss_mb'])} MiB)"
            if r["workers_peak_rss_mb"]
            else ""
        ),
        f"database              {d['bytes'] / 1e6:8.1f} MB  ({d['mb_per_1000_articles']:.1f} MB"
        " per 1,000 articles)",
        "",
        f"{'stage':<16}{'seconds':>10}{'ms/article':>12}{'share':>8}",
    ]
    total = sum(r["stages"].values()) or 1.0
    names = [s for s in STAGES if s in r["stages"]] + sorted(set(r["stages"]) - set(STAGES))
    for name in names:
        v = r["stages"][name]
        per = r["stage_s_per_article"][name] * 1000
        lines.append(f"{name:<16}{v:>10.2f}{per:>12.1f}{v / total:>8.0%}")
    t = r["target"]
    lines += [
        "",
        f"target    >= {t['articles_per_s']:.0f} articles/s on 2 cores:"
        f" {r['articles_per_s']:.2f}  {'met' if t['met'] else 'NOT met'}",
    ]
    if "profile" in r:
        lines += ["", f"profile   {r['profile']['file']} (top by cumulative time)"]
        lines += [
            f"  {row['cumtime_s']:>8.2f} s {row['tottime_s']:>8.2f} s  {row['function']}"
            for row in r["profile"]["by_cumtime"][:20]
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--articles",
        type=int,
        default=DEFAULT_ARTICLES,
        help=f"articles in the corpus (default {DEFAULT_ARTICLES}; 0: the whole corpus)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--keep", type=Path, help="build and keep corpus and database here")
    parser.add_argument("--profile", type=Path, help="cProfile the ingest; stats to this file")
    parser.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--workers", type=int, help="Dask workers (default: one per CPU)")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        result = run_child(args.child[0], args.child[1], args.profile, args.engine, args.workers)
        print(json.dumps(result))
        return 0
    if args.articles < 0:
        parser.error("--articles must be 0 (all) or more")
    if not (args.data / "ecbplus").is_dir():
        parser.error(f"{args.data}: the shared data folder was not found")
    if args.keep is not None:
        if (args.keep / "corpus").exists() and any((args.keep / "corpus").iterdir()):
            parser.error(f"{args.keep / 'corpus'} is not empty; choose a new --keep folder")
        result = benchmark(
            args.articles, args.keep, args.profile, args.data, args.engine, args.workers
        )
    else:
        with tempfile.TemporaryDirectory(prefix="newsprism-bench-ingest-") as tmp:
            result = benchmark(
                args.articles, Path(tmp), args.profile, args.data, args.engine, args.workers
            )
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
