#!/usr/bin/env python
"""Benchmark of ``newsprism compare``: cold start, cold start with a warm
embedding cache, and warm runs inside one process.

Usage::

    python benchmarks/bench_compare.py [FILES...] [--repeat N] [--json]

Every phase runs in its own fresh Python subprocess whose embedding cache
(``NEWSPRISM_CACHE``) points at a temporary folder, so the user's cache is
never read or written:

- ``cold``: empty cache; import newsprism and run ``compare_paths`` once.
- ``cold_cache_warm``: a new process reusing that cache (a second CLI run).
- ``warm``: one process runs once, then ``--repeat`` more times; the median
  of the repeats is reported (models loaded, caches warm).

See ``benchmarks/README.md`` for what each figure means.
"""

from __future__ import annotations

import time

_STARTED = time.perf_counter()  # before anything else is imported in the child

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
TARGET_COLD_S = 3.0
TARGET_WARM_S = 0.3
TARGET_WORDS = 2000  # the targets are stated for two ~1,000-word articles
STAGES = ("read", "sentences", "entities", "quantities", "quotes", "dates", "link", "align")

Result = dict[str, Any]


def default_files() -> list[Path]:
    """The two shared seed articles, or the shipped sample when they are absent."""
    seeds = sorted((REPO.parent / "shared" / "seeds").glob("*.txt"))
    return seeds or sorted((REPO / "examples" / "sample").glob("*"))


def peak_rss_mb() -> float:
    """Peak resident set size of this process, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# --------------------------------------------------------------------------- child


def run_child(mode: str, files: list[Path], repeat: int) -> Result:
    """Measure inside the subprocess; ``mode`` is ``once`` or ``warm``."""
    imports_from = time.perf_counter()
    from newsprism.pipeline.run import compare_paths
    from newsprism.timings import Timings

    imported = time.perf_counter()
    timings = Timings()
    coverage = compare_paths(files, timings=timings)
    done = time.perf_counter()
    articles = coverage.articles
    result: Result = {
        "in_child_s": done - _STARTED,
        "import_s": imported - imports_from,
        "run_s": done - imported,
        "stages": dict(timings.seconds),
        "peak_rss_mb": peak_rss_mb(),
        "input": {
            "files": [str(f) for f in files],
            "articles": len(articles),
            "words": sum(len(a.text.split()) for a in articles),
            "sentences": sum(len(a.sentences) for a in articles),
            "failures": len(coverage.failures),
        },
        "facts": len(coverage.facts),
    }
    if mode == "warm":
        runs: list[float] = []
        stage_runs: dict[str, list[float]] = {}
        for _ in range(repeat):
            timings = Timings()
            started = time.perf_counter()
            compare_paths(files, timings=timings)
            runs.append(time.perf_counter() - started)
            for stage, seconds in timings.seconds.items():
                stage_runs.setdefault(stage, []).append(seconds)
        result["runs_s"] = runs
        result["median_s"] = statistics.median(runs)
        result["stages"] = {k: statistics.median(v) for k, v in stage_runs.items()}
        result["peak_rss_mb"] = peak_rss_mb()
    return result


# -------------------------------------------------------------------------- parent


def spawn(mode: str, files: list[Path], repeat: int, cache: Path) -> Result:
    """Run one measuring subprocess; adds its total wall time as ``wall_s``."""
    env = dict(os.environ, NEWSPRISM_CACHE=str(cache))
    src = str(REPO / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--repeat", str(repeat)]
    started = time.perf_counter()
    proc = subprocess.run(
        [*cmd, *map(str, files)], env=env, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child ({mode}) failed:\n{proc.stderr[-3000:]}")
    result: Result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_s"] = wall
    return result


def benchmark(files: list[Path], repeat: int) -> Result:
    """All phases; the dict printed by ``--json``."""
    with tempfile.TemporaryDirectory(prefix="newsprism-bench-") as tmp:
        cache = Path(tmp)
        cold = spawn("once", files, repeat, cache)
        cache_warm = spawn("once", files, repeat, cache)
        warm = spawn("warm", files, repeat, cache)
    info = cold.pop("input")
    for phase in (cache_warm, warm):
        phase.pop("input")
        phase.pop("facts")
    words = info["words"]
    return {
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "input": info,
        "facts": cold.pop("facts"),
        "cold": cold,
        "cold_cache_warm": cache_warm,
        "warm": {"repeat": repeat, **warm},
        "throughput_words_per_s": {
            "cold": words / cold["wall_s"],
            "cold_cache_warm": words / cache_warm["wall_s"],
            "warm": words / warm["median_s"],
        },
        "targets": {
            "words": TARGET_WORDS,
            "cpu_count": 2,
            "cold_s": TARGET_COLD_S,
            "warm_s": TARGET_WARM_S,
            "cold_met": cold["wall_s"] <= TARGET_COLD_S,
            "warm_met": warm["median_s"] <= TARGET_WARM_S,
        },
    }


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def render(r: Result) -> str:
    """The human-readable table."""
    m, i, t = r["machine"], r["input"], r["targets"]
    cold, cw, warm = r["cold"], r["cold_cache_warm"], r["warm"]
    lines = [
        "newsprism compare benchmark",
        f"machine  {m['cpu_count']} CPUs, Python {m['python']}, {m['platform']}",
        f"input    {i['articles']} articles, {i['words']:,} words, {i['sentences']:,} sentences"
        f" ({len(i['files'])} files, {i['failures']} failed); {r['facts']} facts",
        "",
        f"{'phase':<30}{'process s':>10}{'in child s':>11}{'import s':>10}"
        f"{'compare s':>11}{'peak RSS MiB':>14}{'words/s':>10}",
    ]
    tp = r["throughput_words_per_s"]
    for label, p, rate in (
        ("cold (empty embedding cache)", cold, tp["cold"]),
        ("cold (embedding cache warm)", cw, tp["cold_cache_warm"]),
    ):
        lines.append(
            f"{label:<30}{p['wall_s']:>10.2f}{p['in_child_s']:>11.2f}{p['import_s']:>10.2f}"
            f"{p['run_s']:>11.2f}{p['peak_rss_mb']:>14.0f}{rate:>10.0f}"
        )
    label = f"warm (median of {warm['repeat']})"
    lines.append(
        f"{label:<30}{'':>10}{'':>11}{'':>10}{warm['median_s']:>11.3f}"
        f"{warm['peak_rss_mb']:>14.0f}{tp['warm']:>10.0f}"
    )
    lines += ["", f"{'stage seconds':<16}{'cold':>10}{'cold+cache':>12}{'warm':>10}"]
    names = list(STAGES) + sorted(set(cold["stages"]) - set(STAGES))
    for name in names:
        row = [p["stages"].get(name) for p in (cold, cw, warm)]
        if all(v is None for v in row):
            continue
        cells = "".join(
            f"{v:>{w}.3f}" if v is not None else f"{'-':>{w}}"
            for v, w in zip(row, (10, 12, 10), strict=True)
        )
        lines.append(f"{name:<16}{cells}")
    lines += [
        "",
        f"targets  ({t['words']:,} words on {t['cpu_count']} cores; this input: "
        f"{i['words']:,} words on {m['cpu_count']})",
        f"  cold  <= {t['cold_s']:.1f} s : {cold['wall_s']:.2f} s  {_met(t['cold_met'])}",
        f"  warm  <= {t['warm_s']:.1f} s : {warm['median_s']:.3f} s  {_met(t['warm_met'])}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("files", nargs="*", type=Path, help="articles (default: the seeds)")
    parser.add_argument("--repeat", type=int, default=5, help="warm runs (median reported)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", choices=("once", "warm"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    files: list[Path] = args.files or default_files()
    if not files:
        parser.error("no input files and no default seeds or sample found")
    if args.child:
        print(json.dumps(run_child(args.child, files, args.repeat)))
        return 0
    result = benchmark(files, args.repeat)
    print(json.dumps(result, indent=2) if args.json else render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
