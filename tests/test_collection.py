"""``newsprism.Collection`` end to end: the shipped sample (and a lightly edited wire copy
of one of its articles) ingested into a real SQLite file, then read back through every
method the commands and the web app use."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsprism
from newsprism.cli.main import main
from newsprism.collection import Collection
from newsprism.collection.browse import Filters
from newsprism.errors import MissingArticles, NotFound, StoreError, StoryNotFound
from newsprism.model import Status
from newsprism.store import ArticleQuery

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sample"
IDS = ["de-kuestenbote", "en-harbour-post", "en-wire-copy", "es-diario-costa", "fr-le-littoral"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    for file in SAMPLE.iterdir():
        shutil.copy(file, folder / file.name)
    original = (SAMPLE / "en-harbour-post.txt").read_text(encoding="utf-8")
    copy = original.replace("brown smoke", "thick smoke").replace("Some 60", "About 60")
    (folder / "en-wire-copy.txt").write_text(copy, encoding="utf-8")
    path = tmp_path_factory.mktemp("db") / "news.db"
    with Collection(path) as news:
        summary = news.ingest([folder])
    assert summary.ingested == 5 and not summary.failures, summary.failures
    assert sorted(summary.ids) == IDS
    assert summary.stories is not None and summary.stories.articles == 5
    return path


@pytest.fixture
def news(db: Path) -> Iterator[Collection]:
    with Collection(db, create=False) as collection:
        yield collection


@pytest.fixture(scope="module")
def story_id(db: Path) -> str:
    with Collection(db) as collection:
        found = collection.stories()
    assert len(found) == 1
    return found[0].id


def test_is_the_public_front_object() -> None:
    assert newsprism.Collection is Collection


def test_ingesting_again_adds_nothing(news: Collection) -> None:
    again = news.ingest([SAMPLE])
    assert again.ingested == 0 and again.duplicates == 4 and not again.failures
    assert len(news) == 5 and "fr-le-littoral" in news and "nope" not in news


def test_articles_and_one_article(news: Collection) -> None:
    assert sorted(i.id for i in news.articles()) == IDS
    french = news.articles(ArticleQuery(language="fr"))
    assert [i.id for i in french] == ["fr-le-littoral"]
    assert len(news.articles(ArticleQuery(limit=2))) == 2
    data = news.article("es-diario-costa")
    assert data.article.language == "es" and data.article.sentences and data.article.mentions
    assert data.info is not None and data.info.id == "es-diario-costa"
    assert data.story is not None and data.coverage is None
    with pytest.raises(NotFound, match="nope: no such article"):
        news.article("nope")


def test_search_with_and_without_stories(news: Collection, story_id: str) -> None:
    hits = news.search("Kovalenko", marks=("<", ">"))
    assert hits and "<Kovalenko>" in hits[0].snippet
    assert [h.article.id for h in news.search("Kovalenko", ArticleQuery(language="es"))] == [
        "es-diario-costa"
    ]
    found = news.search_stories("Kovalenko", Filters(language="en"), limit=1)
    assert len(found) == 1 and found[0].story == story_id
    assert found[0].hit.article.language == "en"
    with pytest.raises(StoreError):
        news.search("   ")


def test_choices_and_overview(news: Collection, story_id: str) -> None:
    choices = news.choices()
    assert choices.languages == ("de", "en", "es", "fr")
    assert choices.sources == ("Diario de la Costa", "Le Littoral")  # the others name none
    page = news.overview(Filters(), "Kovalenko", marks=("[", "]"))
    assert [s.id for s in page.stories] == [story_id] and page.choices == choices
    assert page.hits and page.search_error is None
    assert all(h.story == story_id for h in page.hits)
    broken = news.overview(Filters(language="fr"), '"')
    assert not broken.hits and isinstance(broken.search_error, StoreError)
    assert [s.id for s in broken.stories] == [story_id]


def test_stories_with_filters(news: Collection, story_id: str) -> None:
    (only,) = news.stories()
    assert only.id == story_id and only.articles == 5
    assert only.independent_sources == 4  # the wire copy counts once
    assert set(only.languages) == {"de", "en", "es", "fr"}
    assert news.stories(Filters(language="ru")) == []
    assert news.stories(min_articles=6) == []
    assert news.stories(Filters(source="No Such Paper")) == []
    source = news.article("fr-le-littoral").info
    assert source is not None and source.source
    assert [s.id for s in news.stories(Filters(source=source.source), limit=1)] == [story_id]


def test_story_with_its_coverage_diff_and_history(news: Collection, story_id: str) -> None:
    data = news.story(story_id)
    assert data.id == data.requested == story_id and data.title
    assert [i.id for i in data.members] == list(data.compared)  # all five, oldest first
    assert sorted(data.compared) == IDS
    assert [a.id for a in data.coverage.articles] == list(data.compared)
    assert any(f.status is Status.CONFLICT for f in data.coverage.facts)
    assert data.history and {e["kind"] for e in data.history} >= {"created", "joined"}
    assert news.history(story_id) == list(data.history)
    assert news.story(story_id).coverage is data.coverage  # cached
    two = news.story(story_id, limit=2)
    assert len(two.compared) == 2 and len(two.coverage.articles) == 2
    with_diff = news.article(data.compared[0], coverage=True)
    assert with_diff.story == story_id and with_diff.coverage is data.coverage
    with pytest.raises(StoryNotFound):
        news.story("st-nope")


@pytest.mark.slow
def test_compare_stored_ids(news: Collection) -> None:
    coverage = news.compare(["en-harbour-post", "fr-le-littoral", "missing-id"])
    assert [a.id for a in coverage.articles] == ["en-harbour-post", "fr-le-littoral"]
    assert [f.path for f in coverage.failures] == ["missing-id"]
    assert coverage.facts


def test_duplicates(news: Collection) -> None:
    found = news.duplicates()
    assert found.articles == 5 and found.independent_sources == 4
    (group,) = found.groups
    assert group.ids == ("en-harbour-post", "en-wire-copy")
    assert [link.similarity > 0.7 for link in group.links] == [True]
    assert [a.id for a in group.articles] == list(group.ids)
    assert all(a.title for a in group.articles)
    assert news.duplicates(0.999).groups == ()


def test_export(news: Collection, tmp_path: Path) -> None:
    out = io.StringIO()
    assert news.export("jsonl", out) == 5
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [r["id"] for r in records] == IDS
    target = tmp_path / "es.csv"
    assert news.export("csv", target, ArticleQuery(language="es")) == 1
    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [r["id"] for r in rows] == ["es-diario-costa"]


def test_failures_are_recorded(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_bytes(b"\x00\x01\x02 binary \x00" * 50)
    with Collection(tmp_path / "bad.db") as news:
        summary = news.ingest([bad])
        assert summary.failed == 1
        rows = news.failures()
    assert [r.failure.path for r in rows] == [str(bad)]
    assert rows[0].failure.hint


def test_missing_stored_articles_are_named(news: Collection) -> None:
    with pytest.raises(MissingArticles) as caught:
        news.similarity("nope", "fr-le-littoral")
    assert [f.path for f in caught.value.failures] == ["nope"]
    with pytest.raises(MissingArticles) as both:
        news.load(["a-missing", "fr-le-littoral", "b-missing"])
    assert [f.path for f in both.value.failures] == ["a-missing", "b-missing"]
    assert [a.id for a in news.load(["fr-le-littoral", "de-kuestenbote"])] == [
        "fr-le-littoral",
        "de-kuestenbote",
    ]


def test_similarity_command_names_every_missing_id(db: Path) -> None:
    out = CliRunner().invoke(main, ["similarity", "nope", "also-nope", "--db", str(db)])
    assert out.exit_code == 2
    lines = out.stderr.splitlines()
    assert [line.split(":")[:2] for line in lines] == [
        ["failed", " nope"],
        ["failed", " also-nope"],
    ]
    assert all("(hint: list the stored ids" in line for line in lines)


@pytest.mark.slow
def test_similarity_of_stored_articles(news: Collection) -> None:
    close = news.similarity("en-harbour-post", "en-wire-copy")
    far = news.similarity("en-harbour-post", "de-kuestenbote")
    assert close.overall <= far.overall


@pytest.mark.slow
def test_embed_and_similar(tmp_path: Path) -> None:
    with Collection(tmp_path / "two.db") as news:
        news.ingest([SAMPLE / "en-harbour-post.txt", SAMPLE / "fr-le-littoral.json"])
        first = news.embed()
        assert first.embedded > 0 and first.total == first.embedded
        assert news.embed().embedded == 0
        found = news.similar("fire in a fertiliser warehouse", limit=3)
    assert len(found) == 3 and found[0].distance <= found[-1].distance
    assert all(s.text and s.article_id in ("en-harbour-post", "fr-le-littoral") for s in found)


def test_closes_as_a_context_manager(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    with Collection(path) as news:
        assert len(news) == 0 and news.stories() == []
    with pytest.raises(sqlite3.ProgrammingError):
        news.articles()
    again = Collection(path, create=False)
    again.close()
    with pytest.raises(StoreError, match="no collection here"):
        Collection(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()
