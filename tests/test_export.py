"""Export (JSON lines, JSON, CSV, Parquet) and compare from a real collection.

The collection holds the four sample articles (txt, html, json in English, German,
Spanish, French) and a lightly edited copy of the English one; exported files are read
back with json, csv and pyarrow and compared with the store.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from newsprism.cli.export import register
from newsprism.collection import Collection
from newsprism.collection.comparison import compare_stored, load_stored
from newsprism.collection.export import CSV_EXPORT_COLUMNS, export, iter_stored
from newsprism.collection.ingest import ingest
from newsprism.errors import ExportError
from newsprism.model import Status
from newsprism.pipeline.run import PipelineOptions
from newsprism.serialize import article_from_dict
from newsprism.store import ArticleQuery, Store

SAMPLE = Path(__file__).parent.parent / "examples" / "sample"
EXTRA = ("content_hash", "ingested_at", "duplicate_group")


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("sample")
    for file in SAMPLE.iterdir():
        shutil.copy(file, folder / file.name)
    original = (SAMPLE / "en-harbour-post.txt").read_text(encoding="utf-8")
    copy = original.replace("brown smoke", "thick smoke").replace("Some 60", "About 60")
    (folder / "en-wire-copy.txt").write_text(copy, encoding="utf-8")
    db = Store(tmp_path_factory.mktemp("db") / "sample.db")
    summary = ingest([folder], db)
    assert summary.ingested == 5, summary.failures
    return db


def _ids(store: Store) -> list[str]:
    return sorted(i.id for i in store.articles())


def test_jsonl_round_trips_every_annotation(store: Store) -> None:
    out = io.StringIO()
    assert export(store, "jsonl", out) == 5
    lines = out.getvalue().splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == _ids(store)  # id order
    for record in records:
        stored = store.get(record["id"])
        assert stored is not None
        assert article_from_dict({k: v for k, v in record.items() if k not in EXTRA}) == stored
        assert store.find_hash(record["content_hash"]) == record["id"]
        assert record["sentences"] and record["mentions"]
    groups = {r["id"]: r["duplicate_group"] for r in records}
    assert groups["en-wire-copy"] == groups["en-harbour-post"] == "en-harbour-post"
    assert len(set(groups.values())) == 4  # five articles, four independent sources


def test_json_array_equals_jsonl(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    assert export(store, "json", target) == 5
    array = json.loads(target.read_text(encoding="utf-8"))
    out = io.StringIO()
    export(store, "jsonl", out)
    assert array == [json.loads(line) for line in out.getvalue().splitlines()]
    empty = io.StringIO()
    assert export(store, "json", empty, ArticleQuery(language="xx")) == 0
    assert json.loads(empty.getvalue()) == []


def test_csv_reads_back_and_can_be_ingested_again(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "all.csv"
    assert export(store, "csv", target) == 5
    with target.open(encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        assert tuple(reader.fieldnames or ()) == CSV_EXPORT_COLUMNS
        rows = list(reader)
    assert [r["id"] for r in rows] == _ids(store)
    for row in rows:
        stored = store.get(row["id"])
        assert stored is not None
        assert row["text"] == stored.text and row["title"] == stored.title
        assert row["language"] == (stored.language or "")
        assert row["published"] == (stored.published.isoformat() if stored.published else "")
        assert int(row["quotes"]) == len(stored.quotes)
        assert int(row["sentences"]) == len(stored.sentences) > 0
    again = ingest([target], store)  # same texts: all exact duplicates, nothing added
    assert (again.ingested, again.duplicates, again.failed) == (0, 5, 0)


def test_parquet_reads_back_with_typed_nested_columns(store: Store, tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    target = tmp_path / "all.parquet"
    assert export(store, "parquet", target) == 5
    table = pq.read_table(target)
    assert str(table.schema.field("published").type) == "date32[day]"
    assert str(table.schema.field("sentences").type).startswith("list<element: struct<")
    rows = table.to_pylist()
    assert [r["id"] for r in rows] == _ids(store)
    for row in rows:
        stored = store.get(row["id"])
        assert stored is not None
        plain = dataclasses.asdict(stored)
        for name in ("text", "title", "language", "published", "removed"):
            assert row[name] == (list(plain[name]) if name == "removed" else plain[name])
        for name in ("sentences", "mentions", "quantities", "quotes", "dates"):
            assert row[name] == [dict(x) for x in plain[name]]
        assert store.find_hash(row["content_hash"]) == row["id"]


def test_filters_and_limit(store: Store) -> None:
    english = list(iter_stored(store, ArticleQuery(language="en")))
    assert {s.article.id for s in english} == {"en-harbour-post", "en-wire-copy"}
    assert len(list(iter_stored(store, ArticleQuery(limit=3), batch=2))) == 3
    assert len(list(iter_stored(store, batch=2))) == 5
    with pytest.raises(ExportError):
        export(store, "xml", io.StringIO())


def test_export_command(store: Store, tmp_path: Path) -> None:
    main = click.Group()
    register(main)
    runner = CliRunner()
    db = str(store.path)
    result = runner.invoke(main, ["export", "--db", db, "--language", "fr"])
    assert result.exit_code == 0
    (line,) = result.stdout.splitlines()
    assert json.loads(line)["language"] == "fr"
    assert "exported 1 articles" in result.stderr
    target = tmp_path / "out.csv"
    result = runner.invoke(main, ["export", "--db", db, "--format", "csv", "-o", str(target)])
    assert result.exit_code == 0 and target.read_text(encoding="utf-8").startswith("id,title")
    result = runner.invoke(main, ["export", "--db", db, "--format", "parquet"])
    assert result.exit_code == 2 and "needs -o" in result.stderr
    result = runner.invoke(main, ["export", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no collection" in result.stderr


# --- compare from the store -------------------------------------------------------------


def test_load_stored_reports_unknown_ids(store: Store) -> None:
    articles, failures = load_stored(store, ["fr-le-littoral", "nope", "fr-le-littoral"])
    assert [a.id for a in articles] == ["fr-le-littoral"]
    assert [f.path for f in failures] == ["nope"] and "no such article" in failures[0].reason


@pytest.mark.slow
def test_compare_stored_articles(store: Store) -> None:
    ids = ["en-harbour-post", "fr-le-littoral", "en-wire-copy", "missing-id"]
    coverage = compare_stored(store, ids)
    assert [a.id for a in coverage.articles] == ids[:3]
    assert [f.path for f in coverage.failures] == ["missing-id"]
    assert any("3 articles, 2 independent sources" in w for w in coverage.warnings)
    statuses = {f.status for f in coverage.facts}
    assert Status.AGREED in statuses or Status.COMPATIBLE in statuses
    assert any(len(e.articles) >= 2 for e in coverage.entities)  # linked across languages
    with Collection(store.path, create=False) as collection:
        again = collection.compare(ids[:2], PipelineOptions())
    assert [a.id for a in again.articles] == ids[:2] and not again.failures
