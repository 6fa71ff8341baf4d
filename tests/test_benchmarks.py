"""The compare benchmark runs end to end and reports every figure.

Checks behaviour (keys present, numbers positive and consistent), not speed.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks" / "bench_compare.py"
SAMPLE = sorted((REPO / "examples" / "sample").glob("*"))
STAGES = ("read", "sentences", "entities", "quantities", "quotes", "dates", "link", "align")


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    assert SAMPLE, "the shipped sample is missing"
    proc = subprocess.run(
        [sys.executable, str(BENCH), *map(str, SAMPLE), "--repeat", "1", "--json"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


@pytest.mark.slow
def test_machine_and_input(report: dict[str, Any]) -> None:
    assert report["machine"]["cpu_count"] >= 1
    assert report["machine"]["python"].startswith(f"{sys.version_info[0]}.")
    info = report["input"]
    assert info["files"] == [str(p) for p in SAMPLE]
    assert info["articles"] == len(SAMPLE)
    assert info["failures"] == 0
    assert info["words"] > info["sentences"] > info["articles"] > 0
    assert report["facts"] > 0


@pytest.mark.slow
@pytest.mark.parametrize("phase", ["cold", "cold_cache_warm", "warm"])
def test_phase_figures(report: dict[str, Any], phase: str) -> None:
    p = report[phase]
    for key in ("wall_s", "in_child_s", "import_s", "run_s", "peak_rss_mb"):
        assert p[key] > 0, key
    # the subprocess wall time contains the in-child time, which contains the import
    assert p["wall_s"] >= p["in_child_s"] >= p["import_s"] + p["run_s"] * 0.99
    # Annotations are cached by content: once the first run has annotated the
    # articles, later runs only read, link and align.
    expected = set(STAGES) if phase == "cold" else {"read", "link", "align"}
    assert expected <= set(p["stages"]) <= set(STAGES)
    assert all(v >= 0 for v in p["stages"].values())
    assert sum(p["stages"].values()) > 0


@pytest.mark.slow
def test_warm_runs_and_derived_figures(report: dict[str, Any]) -> None:
    warm = report["warm"]
    assert warm["repeat"] == 1
    assert len(warm["runs_s"]) == 1
    assert warm["median_s"] == warm["runs_s"][0] > 0
    # the embedding cache makes the second cold run skip re-embedding
    assert report["cold_cache_warm"]["stages"]["align"] < report["cold"]["stages"]["align"]
    rates = report["throughput_words_per_s"]
    assert set(rates) == {"cold", "cold_cache_warm", "warm"}
    assert all(v > 0 for v in rates.values())
    assert rates["warm"] == pytest.approx(report["input"]["words"] / warm["median_s"])
    targets = report["targets"]
    assert targets["cold_s"] == 3.0 and targets["warm_s"] == 0.3
    assert targets["cold_met"] == (report["cold"]["wall_s"] <= 3.0)
    assert targets["warm_met"] == (warm["median_s"] <= 0.3)


@pytest.mark.slow
def test_readable_table_shows_figures_and_targets(report: dict[str, Any]) -> None:
    spec = importlib.util.spec_from_file_location("bench_compare", BENCH)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    table = bench.render(report)
    assert "cold (empty embedding cache)" in table
    assert "cold (embedding cache warm)" in table
    assert "warm (median of 1)" in table
    assert f"{report['input']['words']:,} words" in table
    assert f"{report['cold']['wall_s']:.2f} s" in table
    assert "<= 3.0 s" in table and "<= 0.3 s" in table
    for stage in STAGES:
        assert re.search(rf"^{stage}\s+\d", table, re.MULTILINE), stage
