"""Crash safety: an ingest killed with SIGKILL mid-way loses and duplicates nothing.

A few hundred real news texts (ECB+) are written out as ``.txt`` files; ``python -m
newsprism ingest`` runs in a subprocess and is killed with SIGKILL once the store holds
some but not all of them (the store is polled read-only). The ingest is then re-run to
completion and once more: every article is present exactly once, everything committed
before the kill is still there unchanged, SQLite's integrity check is ``ok``, and the
last run adds nothing.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsprism.collection.ingest import read_file
from newsprism.read import ReadOptions
from newsprism.store import Store, content_hash

REPO = Path(__file__).resolve().parents[1]
ECB = REPO.parent / "shared" / "data" / "ecbplus" / "topics-01-35.jsonl"
COUNT = 240  # ~0.1 s of annotation each: the whole test takes about a minute

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not ECB.exists(), reason="../shared/data is not next to the repository"),
]


def write_corpus(folder: Path) -> set[str]:
    """``COUNT`` short ECB+ texts as ``.txt`` files; the content hashes they will get."""
    folder.mkdir()
    written = 0
    with ECB.open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            if 300 <= len(record["text"]) <= 1500:
                (folder / f"{record['id']}.txt").write_text(record["text"], encoding="utf-8")
                written += 1
                if written == COUNT:
                    break
    options = ReadOptions(detect_language=False)
    return {content_hash(read_file(p, options)[0].text) for p in folder.iterdir()}


def run(args: list[str]) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "newsprism", "ingest", *args, "--format", "json"]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )


def stored(db: Path) -> dict[str, str]:
    """``{id: content_hash}`` of the stored articles, read without writing; ``{}`` before
    the table exists."""
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return {}
    try:
        rows = conn.execute("SELECT id, content_hash FROM articles").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    return {str(i): str(h) for i, h in rows}


def test_sigkill_mid_ingest_then_resume(tmp_path: Path) -> None:
    expected = write_corpus(tmp_path / "in")
    total = len(expected)
    assert total >= 200
    db = tmp_path / "collection.db"

    process = run([str(tmp_path / "in"), "--db", str(db)])
    deadline = time.monotonic() + 120
    try:
        while len(stored(db)) < total // 4:
            assert process.poll() is None, "the ingest ended before it could be killed"
            assert time.monotonic() < deadline, "the ingest made no progress"
            time.sleep(0.05)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.communicate()
    assert process.returncode == -signal.SIGKILL
    before = stored(db)
    assert total // 4 <= len(before) < total  # killed mid-way
    assert (db.parent / (db.name + "-wal")).exists()  # killed with a live write-ahead log

    resumed = run([str(tmp_path / "in"), "--db", str(db)])
    out, err = resumed.communicate(timeout=180)
    assert resumed.returncode == 0, err
    summary = json.loads(out)
    assert summary["ingested"] == total - len(before)
    copies = COUNT - total  # files whose cleaned text repeats another file's
    assert summary["duplicates"] == len(before) + copies  # the killed run's work stays

    after = stored(db)
    assert len(after) == total
    assert set(after.values()) == expected  # every article, each exactly once
    assert before.items() <= after.items()  # nothing committed before the kill was lost
    with Store(db) as store:
        assert store.pragma("integrity_check") == "ok"
        assert store.check() == []
        (dupes,) = store.connection.execute(
            "SELECT count(*) - count(DISTINCT content_hash) FROM articles"
        ).fetchone()
        assert dupes == 0
        assert store.failures() == []

    again = run([str(tmp_path / "in"), "--db", str(db)])
    out, err = again.communicate(timeout=180)
    assert again.returncode == 0, err
    summary = json.loads(out)
    assert (summary["ingested"], summary["duplicates"]) == (0, COUNT)
    assert stored(db) == after
