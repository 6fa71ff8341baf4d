"""Ingesting files into a collection (library and CLI), with real readers and annotation.

The corpus is written to ``tmp_path``: text, HTML, JSON, JSONL, CSV and gzip files, a
broken file, a duplicate, an unsupported file and a hidden one.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from newsprism.cli.collection import register
from newsprism.collection.ingest import (
    IngestOptions,
    IngestProgress,
    collect_files,
    ingest,
    read_file,
)
from newsprism.pipeline.run import PipelineOptions
from newsprism.read import ReadOptions
from newsprism.store import Store

STORM = (
    "Storm closes the harbour\n\n"
    "More than 1,300 people were evacuated from the harbour district on Monday, the mayor "
    'said. "We are ready for the worst," Mayor Anna Berg told reporters.\n'
)
FERRY = "Ferry services resumed on Tuesday after the storm passed, the port authority said."
WALL = "The council approved a new sea wall costing 12 million euros, officials said on Friday."
PORT_FR = "Le port a rouvert mardi après la tempête, a déclaré l'autorité portuaire."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    root = tmp_path / "in"
    (root / "sub" / ".git").mkdir(parents=True)
    (root / "storm.txt").write_text(STORM, encoding="utf-8")
    (root / "sub" / "copy-of-storm.txt").write_text(STORM, encoding="utf-8")  # duplicate
    records = [
        {"id": "ferry", "title": "Ferries back", "text": FERRY, "url": "https://www.post.example/f",
         "published": "2024-03-05"},
        {"title": "no text here"},
    ]  # fmt: skip
    lines = [json.dumps(r) for r in records] + ["{broken"]
    (root / "sub" / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "wall.csv").write_text(
        "ID,Title,Text,URL,Source,Published,Language\n"
        f'wall,Sea wall approved,"{WALL}",,daily.example,2024-02-20,en\n'
        "empty,Nothing,,,,,\n"
        f'port,Le port rouvre,"{PORT_FR}",,littoral.example,2024-03-06,fr\n',
        encoding="utf-8",
    )
    record = {"id": "gz", "title": "Compressed", "text": "A gzip record about the storm surge."}
    with gzip.open(root / "sub" / "more.jsonl.gz", "wt", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
    (root / "broken.json").write_text('{"text": "unterminated', encoding="utf-8")
    (root / "image.png").write_bytes(b"\x89PNG\r\n")
    (root / ".hidden.txt").write_text(FERRY, encoding="utf-8")
    (root / "sub" / ".git" / "HEAD.txt").write_text(FERRY, encoding="utf-8")
    return root


# --- library ----------------------------------------------------------------------------


def test_folders_are_walked_for_supported_files(corpus: Path) -> None:
    files, missing, skipped = collect_files([corpus, corpus / "storm.txt", corpus / "nope.txt"])
    names = [f.name for f in files]
    assert names == ["broken.json", "storm.txt", "wall.csv", "copy-of-storm.txt", "feed.jsonl",
                     "more.jsonl.gz"]  # fmt: skip
    assert skipped == 2  # image.png, .hidden.txt (hidden folders are not walked)
    assert [m.path for m in missing] == [str(corpus / "nope.txt")]


def test_ingest_stores_counts_and_records_failures(corpus: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        summary = ingest([corpus], store)
        assert (summary.ingested, summary.duplicates, summary.failed, summary.skipped) == (
            5, 1, 4, 2,
        )  # fmt: skip
        assert set(summary.ids) == {"storm", "ferry", "wall", "port", "gz"}
        storm = store.get("storm")
        assert storm is not None and storm.title == "Storm closes the harbour"
        assert storm.sentences and storm.quantities and storm.quotes and storm.mentions
        assert storm.quantities[0].low == 1300 and storm.quantities[0].high == float("inf")
        ferry = store.get("ferry")
        assert ferry is not None and ferry.source == "post.example"
        assert str(ferry.published) == "2024-03-05"
        recorded = {f.failure.path for f in store.failures()}
        assert recorded == {f.path for f in summary.failures}
        assert recorded == {
            str(corpus / "broken.json"),
            f"{corpus / 'sub' / 'feed.jsonl'}:line 2",
            f"{corpus / 'sub' / 'feed.jsonl'}:line 3",
            f"{corpus / 'wall.csv'}:row 2",
        }
        assert all(f.failure.reason and f.failure.hint for f in store.failures())
        assert store.check() == []


def test_ingest_is_idempotent(corpus: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        ingest([corpus], store)
        before = store.connection.execute("SELECT id, ingested_at FROM articles").fetchall()
        failures = len(store.failures())
        again = ingest([corpus], store)
        assert (again.ingested, again.duplicates) == (0, 6)
        assert store.connection.execute("SELECT id, ingested_at FROM articles").fetchall() == before
        assert len(store.failures()) == failures


def test_a_fixed_file_forgets_its_failure(corpus: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        ingest([corpus / "broken.json"], store)
        assert len(store.failures()) == 1
        (corpus / "broken.json").write_text(json.dumps({"text": WALL + " Updated."}))
        summary = ingest([corpus / "broken.json"], store)
        assert summary.ingested == 1 and store.failures() == []


def test_gzip_and_csv_articles(corpus: Path, tmp_path: Path) -> None:
    result = read_file(corpus / "sub" / "more.jsonl.gz")
    assert [a.id for a in result] == ["gz"]
    assert result[0].path == str(corpus / "sub" / "more.jsonl.gz")
    rows = read_file(corpus / "wall.csv")
    assert [(a.id, a.language, a.source, str(a.published)) for a in rows] == [
        ("wall", "en", "daily.example", "2024-02-20"),
        ("port", "fr", "littoral.example", "2024-03-06"),
    ]
    assert [f.path for f in rows.failures] == [f"{corpus / 'wall.csv'}:row 2"]
    packed = corpus / "wall.csv.gz"
    packed.write_bytes(gzip.compress((corpus / "wall.csv").read_bytes()))
    assert [a.id for a in read_file(packed)] == ["wall", "port"]
    assert {a.path for a in read_file(packed)} == {str(packed)}


def test_gzip_size_cap_and_bad_gzip(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"word " * 10_000))
    bad = tmp_path / "bad.jsonl.gz"
    bad.write_bytes(b"\x1f\x8b not really gzip")
    with Store(tmp_path / "c.db") as store:
        summary = ingest(
            [bomb, bad],
            store,
            IngestOptions(pipeline=PipelineOptions(cache=False, read=ReadOptions(max_bytes=1000))),
        )
        assert summary.failed == 2 and summary.ingested == 0
        reasons = [f.reason for f in summary.failures]
        assert "decompresses to more than" in reasons[0]
        assert "gzip" in reasons[1]


def test_csv_without_a_text_column_fails_with_a_hint(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("title,body\nA,B\n")
    with Store(tmp_path / "c.db") as store:
        summary = ingest([bad], store)
    assert summary.failed == 1
    assert "no 'text' column" in summary.failures[0].reason
    assert "id,title,text" in summary.failures[0].hint


def test_progress_reaches_the_total(corpus: Path, tmp_path: Path) -> None:
    seen: list[IngestProgress] = []
    with Store(tmp_path / "c.db") as store:
        ingest([corpus], store, progress=seen.append)
    done = [p.done_bytes for p in seen]
    assert done == sorted(done) and done[-1] == seen[-1].total_bytes > 0
    assert seen[-1].summary.ingested == 5 and seen[-1].articles == 6


# --- command line -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli() -> click.Group:
    @click.group()
    def group() -> None:
        """Test group."""

    register(group)
    return group


def run(cli: click.Group, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="newsprism")


def test_cli_ingest_exit_codes_and_summary(cli: click.Group, corpus: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    first = run(cli, "ingest", str(corpus), "--db", db)
    assert first.exit_code == 1
    assert first.stdout.startswith("ingested 5, duplicates 1, failed 4, skipped 2; stories: ")
    assert first.stderr.count("failed: ") == 4 and "(hint: " in first.stderr
    clean = run(cli, "ingest", str(corpus / "storm.txt"), str(corpus / "wall.csv"), "--db", db)
    assert clean.exit_code == 1  # the CSV's empty row fails again
    ok = run(cli, "ingest", str(corpus / "storm.txt"), "--db", db, "--format", "json")
    assert ok.exit_code == 0
    assert json.loads(ok.stdout) == {"ingested": 0, "duplicates": 1, "failed": 0, "skipped": 0,
                                     "ids": [], "failures": [], "warnings": [],
                                     "stories": {"articles": 0, "created": 0, "joined": 0,
                                                 "merged": 0, "split": 0}}  # fmt: skip
    with Store(db) as store:
        assert store.connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert len(store) == 5


def test_cli_ingest_forced_language(cli: click.Group, tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text(FERRY)
    db = str(tmp_path / "c.db")
    assert (
        run(cli, "ingest", str(tmp_path / "x.txt"), "--db", db, "--language", "EN").exit_code == 0
    )
    assert run(cli, "ingest", "x.txt", "--db", db, "--language", "english!").exit_code == 2


@pytest.fixture
def filled_db(cli: click.Group, corpus: Path, tmp_path: Path) -> str:
    db = str(tmp_path / "c.db")
    run(cli, "ingest", str(corpus), "--db", db)
    return db


def test_cli_articles_filters(cli: click.Group, filled_db: str) -> None:
    listing = run(cli, "articles", "--db", filled_db)
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert len(lines) == 5 and lines[0].startswith("2024-03-06  fr  littoral.example  port")
    data = json.loads(run(cli, "articles", "--db", filled_db, "--format", "json").stdout)
    assert {d["id"] for d in data} == {"storm", "ferry", "wall", "port", "gz"}
    assert set(data[0]) >= {"id", "title", "source", "language", "published", "url", "path"}

    def listed(*args: str) -> list[str]:
        result = run(cli, "articles", "--db", filled_db, "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return [d["id"] for d in json.loads(result.stdout)]

    assert listed("--language", "fr") == ["port"]
    assert listed("--source", "daily.example") == ["wall"]
    assert listed("--since", "2024-03-01") == ["port", "ferry"]
    assert listed("--until", "2024-03-01") == ["wall"]
    assert listed("--since", "2024-03-01", "--until", "2024-03-05", "--limit", "1") == ["ferry"]
    assert run(cli, "articles", "--db", filled_db, "--since", "March").exit_code == 2


def test_cli_search(cli: click.Group, filled_db: str) -> None:
    text = run(cli, "search", "evacuated", "--db", filled_db)
    assert text.exit_code == 0
    assert text.stdout.startswith("1. Storm closes the harbour")
    assert "[evacuated]" in text.stdout
    hits = json.loads(run(cli, "search", "storm", "--db", filled_db, "--format", "json").stdout)
    assert hits[0]["id"] == "storm"  # in the title and the text
    assert {h["id"] for h in hits} == {"storm", "ferry", "gz"}
    assert all("<mark>" in h["snippet"].lower() for h in hits)
    fr = run(cli, "search", "tempete", "--db", filled_db, "--language", "fr", "--format", "json")
    assert [h["id"] for h in json.loads(fr.stdout)] == ["port"]
    none = run(cli, "search", "volcano", "--db", filled_db)
    assert none.exit_code == 0 and none.stdout == "" and "no article matches" in none.stderr
    limited = run(cli, "search", "said", "--db", filled_db, "--limit", "2", "--format", "json")
    assert len(json.loads(limited.stdout)) == 2


def test_cli_errors_exit_2(cli: click.Group, tmp_path: Path) -> None:
    missing = run(cli, "articles", "--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 2 and "no collection here" in missing.stderr
    assert not (tmp_path / "none.db").exists()
    assert run(cli, "search", "x", "--db", str(tmp_path / "none.db")).exit_code == 2
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite " * 200)
    result = run(cli, "ingest", str(tmp_path), "--db", str(junk))
    assert result.exit_code == 2 and "not a newsprism collection" in result.stderr
    assert run(cli, "ingest", "--db", str(tmp_path / "c.db")).exit_code == 2  # no PATHS


def test_cli_db_from_the_environment(cli: click.Group, corpus: Path, tmp_path: Path) -> None:
    db = tmp_path / "env.db"
    shutil.copy(corpus / "storm.txt", tmp_path / "s.txt")
    result = CliRunner(env={"NEWSPRISM_DB": str(db)}).invoke(
        cli, ["ingest", str(tmp_path / "s.txt")]
    )
    assert result.exit_code == 0 and db.exists()
