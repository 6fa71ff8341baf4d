"""What a killed or concurrent ingest leaves behind: names left unlinked are linked by
the next run, and two ingests at once write every story event once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from newsprism.collection.ingest import ArticleWriter, IngestOptions, ingest
from newsprism.collection.stories import save_story_docs
from newsprism.pipeline.run import PipelineOptions, annotate
from newsprism.read import read_file
from newsprism.store import Store
from newsprism.store.entities import articles_without_links
from newsprism.stories.prepare import story_docs

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample"
OPTIONS = IngestOptions(pipeline=PipelineOptions(cache=False))


def _store_unlinked(store: Store, path: Path) -> str:
    """Store the article of ``path`` as a run killed before linking leaves it."""
    (article,) = read_file(path, OPTIONS.pipeline.reading()).articles
    stored = store.add(annotate(article, OPTIONS.pipeline))
    assert stored is not None
    return stored


def _links(store: Store, article_id: str) -> int:
    row = store.connection.execute(
        "SELECT count(*) FROM mention_entities WHERE article_id = ?", (article_id,)
    ).fetchone()
    return int(row[0])


def test_ingest_links_the_names_a_killed_run_left_unlinked(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        assert ingest([SAMPLE / "en-harbour-post.txt"], store, OPTIONS).ingested == 1
        left = _store_unlinked(store, SAMPLE / "de-kuestenbote.txt")
        assert articles_without_links(store) == [left] and _links(store, left) == 0
        again = ingest([SAMPLE / "en-harbour-post.txt"], store, OPTIONS)  # nothing new
        assert (again.ingested, again.duplicates) == (0, 1)
        assert articles_without_links(store) == []
        assert _links(store, left) > 0


def test_fetch_writer_links_the_names_a_killed_run_left_unlinked(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        left = _store_unlinked(store, SAMPLE / "en-harbour-post.txt")
        assert articles_without_links(store) == [left]
        ArticleWriter(store, OPTIONS)
        assert articles_without_links(store) == [] and _links(store, left) > 0


def _cpu(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _wait_until_idle(procs: list[subprocess.Popen[str]]) -> None:
    """Until every process has used no CPU for a second (waiting for the write lock)."""
    deadline = time.monotonic() + 120
    last = [-1] * len(procs)
    while time.monotonic() < deadline:
        for p in procs:
            assert p.poll() is None, p.communicate()
        now = [_cpu(p.pid) for p in procs]
        if now == last:
            return
        last = now
        time.sleep(1.0)
    raise AssertionError("the ingests never waited for the write lock")


def test_two_ingests_at_once_write_every_story_event_once(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    no_stories = IngestOptions(pipeline=OPTIONS.pipeline, stories=None)
    with Store(db) as store:  # four articles in no story yet, their story features stored
        assert ingest([SAMPLE], store, no_stories).ingested == 4
        save_story_docs(store, story_docs(list(store)))
    nothing = tmp_path / "nothing-new"  # so that each run's first write is its stories
    nothing.mkdir()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "newsprism", "ingest", str(nothing), "--db", str(db)]
    with Store(db) as holder, holder.transaction():  # both runs queue for the write lock
        procs = [
            subprocess.Popen(
                cmd, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
            )
            for _ in range(2)
        ]
        _wait_until_idle(procs)
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, (out, err)
    with Store(db) as store:
        rows = store.connection.execute(
            "SELECT article_id, count(*) FROM story_events GROUP BY article_id"
        ).fetchall()
        stories = store.connection.execute("SELECT count(*) FROM stories").fetchone()[0]
    assert len(rows) == 4 and all(n == 1 for _, n in rows), rows
    assert stories == 1
