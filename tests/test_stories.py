"""Stories on real data: the shipped sample through ingest, and ECB+ through the eval."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from newsprism.collection.ingest import IngestOptions, ingest
from newsprism.collection.stories import (
    list_stories,
    resolve_story,
    story_history,
    story_members,
)
from newsprism.errors import StoryNotFound
from newsprism.evaluate.clustering import bcubed, cluster, load
from newsprism.pipeline.run import PipelineOptions, annotator
from newsprism.store import Store
from newsprism.stories import StoryDoc, story_docs

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample"
ECB = ROOT / ".." / "shared" / "data" / "ecbplus" / "topics-01-35.jsonl"
needs_ecb = pytest.mark.skipif(not ECB.exists(), reason="../shared/data not present")

UNRELATED = """Parliament approves new school lunch programme

The national parliament on Tuesday approved a programme that will give free lunches to
primary school pupils from next September. Education minister Clara Feldmann said the
scheme would cost 40 million a year and reach 120,000 children in 300 schools.
"""


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *args], capture_output=True, text=True, timeout=600
    )


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("stories")
    db = folder / "news.db"
    options = IngestOptions(pipeline=PipelineOptions(cache=False))
    with Store(db) as store:
        summary = ingest([SAMPLE], store, options)
        assert summary.ingested == 4 and summary.stories is not None
        other = folder / "school-lunches.txt"
        other.write_text(UNRELATED, encoding="utf-8")
        second = ingest([other], store, options)
        assert second.stories is not None and second.stories.created == 1
    return db


@pytest.mark.slow
def test_the_sample_is_one_story_in_four_languages(collection: Path) -> None:
    with Store(collection) as store:
        stories = list_stories(store)
        assert [s.articles for s in stories] == [4, 1]
        big = stories[0]
        assert big.languages == ("de", "en", "es", "fr")
        assert big.independent_sources == 4
        assert str(big.first_seen) == "2025-10-14"
        members = story_members(store, big.id)
        assert sorted(members) == sorted(p.stem for p in SAMPLE.iterdir())
        history = story_history(store, big.id)
        assert [e["kind"] for e in history].count("joined") == 3
        assert all("shared names" in str(e["reason"]) for e in history if e["kind"] == "joined")
        with pytest.raises(StoryNotFound):
            resolve_story(store, "st-unknown")


@pytest.mark.slow
def test_ingesting_again_changes_no_story(collection: Path) -> None:
    with Store(collection) as store:
        before = [(s.id, s.articles) for s in list_stories(store)]
        summary = ingest([SAMPLE], store, IngestOptions(pipeline=PipelineOptions(cache=False)))
        assert summary.ingested == 0 and summary.stories is not None
        assert summary.stories.articles == 0
        assert [(s.id, s.articles) for s in list_stories(store)] == before


@pytest.mark.slow
def test_stories_and_story_commands(collection: Path) -> None:
    listed = _run("stories", "--db", str(collection), "--format", "json")
    assert listed.returncode == 0, listed.stderr
    rows: list[dict[str, Any]] = json.loads(listed.stdout)
    assert rows[0]["articles"] == 4 and rows[0]["languages"] == ["de", "en", "es", "fr"]
    shown = _run("story", rows[0]["id"], "--db", str(collection), "--format", "json")
    assert shown.returncode == 0, shown.stderr
    story = json.loads(shown.stdout)
    assert list(story) == ["story", "requested", "articles", "compared", "events", "coverage"]
    assert len(story["articles"]) == 4 and all(isinstance(a, str) for a in story["articles"])
    assert story["compared"] == [a["id"] for a in story["coverage"]["articles"]]
    facts = story["coverage"]["facts"]
    conflicts = [f for f in facts if f["status"] == "conflict"]
    assert conflicts and "400" in json.dumps(conflicts, ensure_ascii=False)
    text = _run("stories", "--db", str(collection))
    assert rows[0]["id"] in text.stdout and "4 articles" in text.stdout
    pair = _run("similarity", "es-diario-costa", "fr-le-littoral", "--db", str(collection),
                "--format", "json")  # fmt: skip
    assert pair.returncode == 0, pair.stderr
    scores = json.loads(pair.stdout)
    assert scores["overall"] <= 2.0 and scores["shared_entities"]
    assert list(scores)[:2] == ["a", "b"] and list(scores)[-1] == "scores"
    missing = _run("story", "st-nope", "--db", str(collection))
    assert missing.returncode == 2 and "no such story" in missing.stderr
    assert "Traceback" not in missing.stderr


@pytest.fixture(scope="module")
def ecb() -> tuple[list[StoryDoc], list[str]]:
    gold = load(ECB)
    return story_docs([g.article for g in gold], annotate=annotator()), [g.label for g in gold]


@pytest.mark.slow
@needs_ecb
def test_ecb_clustering_quality(ecb: tuple[list[StoryDoc], list[str]]) -> None:
    docs, labels = ecb
    scores = bcubed(cluster(docs), labels)
    assert scores["bcubed_f1"] >= 0.88, scores


@pytest.mark.slow
@needs_ecb
def test_arrival_order_within_a_day_barely_matters(
    ecb: tuple[list[StoryDoc], list[str]],
) -> None:
    docs, labels = ecb
    reference = bcubed(cluster(docs), labels)["bcubed_f1"]
    rng = random.Random(2024)
    for _ in range(3):
        order = list(range(len(docs)))
        rng.shuffle(order)  # ECB+ rows carry no date: all of them arrive on one "day"
        shuffled = bcubed(cluster([docs[i] for i in order]), [labels[i] for i in order])
        assert abs(shuffled["bcubed_f1"] - reference) < 0.01


def test_a_split_is_stored_and_shows_in_the_story_history(tmp_path: Path) -> None:
    from newsprism.collection.stories import save_story_docs, update_stories
    from newsprism.model import Article
    from newsprism.stories import story_id
    from test_story_cluster import _drifting_story

    days = _drifting_story()
    with Store(tmp_path / "news.db") as store:
        for batch in days:
            for d in batch:
                text = f"{d.title}: an article on {d.id}."
                store.add(Article(d.id, text, d.title, d.language, published=d.published))
            save_story_docs(store, batch)
        updates = [update_stories(store, [d.id for d in batch]) for batch in days]
        assert [u.split for u in updates] == [0, 0, 0, 1]
        quake, tsunami = story_id("q1"), story_id("t1")
        assert sorted(story_members(store, tsunami)) == ["t1", "t2", "t3"]
        assert "t1" not in story_members(store, quake) and len(story_members(store, quake)) == 8
        assert {s.id: s.articles for s in list_stories(store)} == {quake: 8, tsunami: 3}
        for ident in (quake, tsunami):
            split = [e for e in story_history(store, ident) if e["kind"] == "split"]
            assert [(e["story"], e["other"], e["article"]) for e in split] == [
                (tsunami, quake, "t1")
            ]
            assert "average link" in str(split[0]["reason"])
        moved = [e["article"] for e in story_history(store, tsunami) if e["kind"] == "moved"]
        assert sorted(moved) == ["t1", "t2", "t3"]
        title = store.connection.execute("SELECT title FROM stories WHERE id = ?", (tsunami,))
        assert title.fetchone()[0] == "tsunami t1"
