"""The ingest benchmark builds a real mixed corpus, ingests it and reports every figure.

Checks behaviour (keys present, numbers positive and consistent), not speed.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks" / "bench_ingest.py"
DATA = REPO.parent / "shared" / "data"
ARTICLES = 12
ANNOTATION_STAGES = ("sentences", "entities", "quantities", "quotes", "dates")

pytestmark = pytest.mark.skipif(
    not (DATA / "ecbplus").is_dir(), reason="../shared/data is not next to the repository"
)


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_ingest", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def kept(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("bench-ingest")


@pytest.fixture(scope="module")
def report(kept: Path) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(BENCH), "--articles", str(ARTICLES), "--json", "--keep", str(kept)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


@pytest.mark.slow
def test_corpus_mixes_sources_and_formats(report: dict[str, Any], kept: Path) -> None:
    corpus = report["corpus"]
    assert corpus["records"] == ARTICLES
    assert set(corpus["by_corpus"]) >= {"ecbplus", "polnear", "semeval-es"}
    assert sum(corpus["by_corpus"].values()) == ARTICLES
    assert {"txt", "html", "json", "jsonl", "csv"} <= set(corpus["files"])
    assert any(kind.endswith("gz") for kind in corpus["files"])
    assert corpus["bytes"] > 0
    written = [p for p in (kept / "corpus").rglob("*") if p.is_file()]
    assert len(written) == sum(corpus["files"].values())


@pytest.mark.slow
def test_counts_and_languages(report: dict[str, Any]) -> None:
    counts = report["counts"]
    for key in ("articles", "ingested", "duplicates", "failed", "skipped", "words"):
        assert isinstance(counts[key], int) and counts[key] >= 0, key
    assert counts["articles"] == ARTICLES
    assert counts["ingested"] + counts["duplicates"] <= counts["articles"]
    assert counts["ingested"] > 0 and counts["words"] > counts["ingested"]
    assert {"en", "es"} <= set(report["languages"])
    assert sum(report["languages"].values()) == counts["ingested"]


@pytest.mark.slow
def test_rates_stages_memory_and_size(report: dict[str, Any]) -> None:
    for key in ("wall_s", "import_s", "ingest_s", "first_article_s", "peak_rss_mb"):
        assert report[key] > 0, key
    assert report["wall_s"] > report["ingest_s"] >= report["first_article_s"]
    for key in ("articles_per_s", "articles_per_s_wall", "words_per_s"):
        assert report[key] > 0, key
    n = report["counts"]["articles"]
    assert report["articles_per_s"] == pytest.approx(n / report["ingest_s"])
    assert report["articles_per_s_wall"] < report["articles_per_s"]
    stages = report["stages"]
    assert {"read", "store", "other", *ANNOTATION_STAGES} <= set(stages)
    assert all(v >= 0 for v in stages.values())
    assert stages["read"] > 0 and stages["entities"] > 0 and stages["store"] > 0
    assert sum(stages.values()) == pytest.approx(report["ingest_s"], rel=0.05)
    assert report["stage_s_per_article"]["entities"] == pytest.approx(stages["entities"] / n)
    db = report["db"]
    assert db["bytes"] > 0 and db["mb_per_1000_articles"] > 0
    assert db["rows"]["articles"] == report["counts"]["ingested"]
    assert db["rows"]["sentences"] > db["rows"]["articles"]
    target = report["target"]
    assert target["articles_per_s"] == 25.0
    assert target["met"] == (report["articles_per_s"] >= 25.0)


@pytest.mark.slow
def test_kept_database_is_a_sound_collection(report: dict[str, Any], kept: Path) -> None:
    with sqlite3.connect(kept / "bench.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stored == report["counts"]["ingested"]


@pytest.mark.slow
def test_readable_report(report: dict[str, Any]) -> None:
    text = _bench().render(report)
    assert "newsprism ingest benchmark" in text
    assert f"{report['counts']['articles']} articles" in text
    assert f"{report['articles_per_s']:.2f}" in text
    assert ">= 25 articles/s" in text
    for stage in ("read", "entities", "store"):
        assert f"\n{stage} " in text


def test_selection_is_deterministic_and_includes_copies() -> None:
    bench = _bench()
    first = bench.select(DATA, 120)
    assert [i["id"] for i in first] == [i["id"] for i in bench.select(DATA, 120)]
    assert len(first) == 120
    copies = [i for i in first if i["id"].endswith("-copy")]
    assert copies and all(c["text"] in {i["text"] for i in first if i is not c} for c in copies)
    assert {i["corpus"] for i in first} == {"ecbplus", "polnear", "semeval-es", "semeval-fr"}
