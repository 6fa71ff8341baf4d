"""The Dask engine on a real LocalCluster (two worker processes) stores exactly what
the local engine stores: articles, annotations, entities and stories; a worker killed
mid-run is survived with nothing lost or duplicated."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from distributed import Client, LocalCluster

from newsprism.collection.dask_engine import DaskEngine
from newsprism.collection.engines import EngineOptions, LocalEngine, open_engine
from newsprism.collection.ingest import IngestOptions, IngestProgress, ingest
from newsprism.errors import EngineError, OptionError
from newsprism.store import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "sample"
DATA = ROOT.parent / "shared" / "data"

pytestmark = pytest.mark.slow

# Every table a run fills, without the columns that hold the time of the run.
TABLES = {
    "articles": "id, source, url, title, language, published, content_hash, text, path, removed",
    "sentences": "*",
    "mentions": "*",
    "quantities": "*",
    "quotes": "*",
    "dates": "*",
    "failures": "path, reason, hint",
    "near_duplicates": "*",
    "entities": "*",
    "entity_aliases": "*",
    "mention_entities": "*",
    "story_docs": "article_id, language, published, anchor, terms, names",
    "stories": "id, title, founder, first_seen, last_seen, merged_into",
    "story_articles": "article_id, story_id, reason",
    "story_events": "kind, story_id, other_id, article_id, reason",
}


def snapshot(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    conn = sqlite3.connect(db)
    try:
        return {
            table: sorted(conn.execute(f"SELECT {cols} FROM {table}").fetchall(), key=repr)
            for table, cols in TABLES.items()
        }
    finally:
        conn.close()


def vectors(db: Path) -> dict[str, Any]:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT article_id, vector FROM story_docs").fetchall()
    finally:
        conn.close()
    return {i: np.frombuffer(v, dtype="<f4") for i, v in rows}


def assert_same_store(a: Path, b: Path) -> None:
    left, right = snapshot(a), snapshot(b)
    for table in TABLES:
        assert left[table] == right[table], f"table {table} differs"
    va, vb = vectors(a), vectors(b)
    assert va.keys() == vb.keys()
    for key in va:  # the embedding cache keeps vectors as float16: a cached one may differ
        np.testing.assert_allclose(va[key], vb[key], atol=1e-4)


def run_ingest(paths: list[Path], db: Path, engine: Any = None, **kw: Any) -> Any:
    with Store(db) as store:
        return ingest(paths, store, IngestOptions(), engine=engine, **kw)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCluster]:
    # the workers keep their own embedding cache, apart from the local runs'
    cache = tmp_path_factory.mktemp("worker-cache")
    before = os.environ.get("NEWSPRISM_CACHE")
    os.environ["NEWSPRISM_CACHE"] = str(cache)
    try:
        with LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as c:
            yield c
    finally:
        if before is None:
            os.environ.pop("NEWSPRISM_CACHE", None)
        else:
            os.environ["NEWSPRISM_CACHE"] = before


@pytest.fixture()
def dask_engine(cluster: LocalCluster) -> Iterator[DaskEngine]:
    with DaskEngine(EngineOptions(kind="dask", scheduler=cluster.scheduler_address)) as engine:
        yield engine


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 240 real articles from ../shared/data as files of several formats: ECB+
    (English, several topics) and SemEval-2022 Task 8 (Spanish and French)."""
    if not (DATA / "ecbplus").is_dir():
        pytest.fail(f"{DATA} not found: the shared data folder must sit beside the repository")
    folder = tmp_path_factory.mktemp("corpus")
    rows = [json.loads(line) for line in (DATA / "ecbplus" / "topics-01-35.jsonl").open()]
    rows = [r for r in rows if r["text"].strip()][::6][:140]
    for n, r in enumerate(rows):
        if n % 4 == 0:
            (folder / f"ecb-{r['id']}.json").write_text(json.dumps({"text": r["text"]}))
        else:
            (folder / f"ecb-{r['id']}.txt").write_text(r["text"])
    pairs = [json.loads(line) for line in (DATA / "semeval2022-t8" / "es-fr.jsonl").open()][:50]
    with (folder / "semeval.jsonl").open("w") as out:
        for p in pairs:
            for k in ("1", "2"):
                if (p.get(f"text{k}") or "").strip():
                    record = {"id": f"se-{p['pair_id']}-{k}", "title": p.get(f"title{k}") or "",
                              "text": p[f"text{k}"]}  # fmt: skip
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
    (folder / "copy-of-first.txt").write_text(rows[1]["text"])  # an exact duplicate
    (folder / "empty.txt").write_text("")  # a failure, recorded
    return folder


@pytest.fixture(scope="module")
def local_db(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("local") / "local.db"
    summary = run_ingest([corpus], db, LocalEngine())
    assert summary.ingested >= 200 and summary.duplicates == 1 and summary.failed == 1
    return db


def test_sample_same_store_with_both_engines(tmp_path: Path, dask_engine: DaskEngine) -> None:
    local = run_ingest([SAMPLE], tmp_path / "local.db", LocalEngine())
    dask = run_ingest([SAMPLE], tmp_path / "dask.db", dask_engine)
    assert (local.ingested, local.failed) == (dask.ingested, dask.failed) == (4, 0)
    assert local.stories == dask.stories
    assert_same_store(tmp_path / "local.db", tmp_path / "dask.db")


def test_real_articles_same_store_with_both_engines(
    tmp_path: Path, corpus: Path, local_db: Path, dask_engine: DaskEngine
) -> None:
    summary = run_ingest([corpus], tmp_path / "dask.db", dask_engine)
    assert summary.ingested >= 200 and summary.duplicates == 1 and summary.failed == 1
    assert_same_store(local_db, tmp_path / "dask.db")
    again = run_ingest([corpus], tmp_path / "dask.db", dask_engine)  # nothing new
    assert (again.ingested, again.duplicates) == (0, summary.ingested + 1)


def test_killed_worker_loses_and_duplicates_nothing(
    tmp_path: Path, corpus: Path, local_db: Path, cluster: LocalCluster
) -> None:
    client = Client(cluster)
    pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_one(p: IngestProgress) -> None:
        if p.articles >= 40 and not killed:  # tasks of later partitions are running
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    opts = EngineOptions(kind="dask", scheduler=cluster.scheduler_address, in_flight=4)
    with DaskEngine(opts) as engine:
        summary = run_ingest([corpus], tmp_path / "dask.db", engine, progress=kill_one)
        assert killed, "the worker was never killed: the run ended too early"
        client.wait_for_workers(2, timeout=120)  # the nanny started a new worker
        assert killed[0] not in client.run(os.getpid).values()
    client.close()
    assert summary.ingested >= 200 and summary.failed == 1
    assert_same_store(local_db, tmp_path / "dask.db")


def test_cli_ingest_with_a_local_dask_cluster(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    cmd = [sys.executable, "-m", "newsprism", "ingest", str(SAMPLE), "--db", str(db),
           "--engine", "dask", "--workers", "2", "--format", "json"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=900, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    summary = json.loads(done.stdout)
    assert summary["ingested"] == 4 and summary["stories"]["created"] == 1


def test_engine_option_errors() -> None:
    with pytest.raises(OptionError, match="unknown engine"):
        EngineOptions(kind="spark")
    with pytest.raises(OptionError, match="dask engine"):
        EngineOptions(kind="local", workers=2)
    with pytest.raises(OptionError, match="either"):
        EngineOptions(kind="dask", scheduler="tcp://127.0.0.1:1", workers=2)
    with pytest.raises(EngineError, match="could not connect") as err:
        open_engine(EngineOptions(kind="dask", scheduler="tcp://127.0.0.1:9"))
    assert "dask scheduler" in err.value.hint


def test_cli_reports_an_unreachable_scheduler(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    cmd = [sys.executable, "-m", "newsprism", "ingest", str(SAMPLE), "--db", str(db),
           "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"]  # fmt: skip
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 2
    assert "could not connect" in done.stderr and "Traceback" not in done.stderr
