"""The SQLite store: migrations, round trips, uniqueness, crash safety, filters, search.

Every test uses a real database file in ``tmp_path``.
"""

from __future__ import annotations

import dataclasses
import math
import sqlite3
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.errors import SchemaError, StoreError
from newsprism.model import Article, DateRef, Failure, Mention, Quantity, Quote, Sentence
from newsprism.pipeline.run import PipelineOptions, annotate
from newsprism.store import (
    MIGRATIONS,
    ArticleInfo,
    ArticleQuery,
    SearchHit,
    Store,
    content_hash,
    migrate,
)
from newsprism.store.schema import schema_version, split_statements

TEXT = (
    'More than 1,300 people were evacuated on 3 March, Mayor Anna Berg said. "We are ready," '
    "she told reporters."
)


def full_article(ident: str = "storm", text: str = TEXT, **meta: object) -> Article:
    """An article with every kind of annotation, infinite bounds and empty fields."""
    fields: dict[str, object] = dict(
        title="Storm hits the coast",
        language="en",
        source="harbour-post.example",
        url="https://harbour-post.example/storm",
        published=date(2024, 3, 4),
        path="/data/storm.txt",
        removed=("boilerplate: Subscribe now",),
        sentences=(Sentence(0, 0, 71, text[:71]), Sentence(1, 72, len(text), text[72:], True)),
        mentions=(Mention("Anna Berg", 61, 70, "PERSON", 0, base="Anna Berg"),
                  Mention("Mayor", 55, 60, "MISC", 0)),
        quantities=(Quantity("More than 1,300", 0, 15, 1300.0, 1300.0, math.inf, False, True,
                             None, "people evacuated", "more_than", 0),
                    Quantity("1,300", 10, 15, 1300.0, -math.inf, 1300.0, True, False, "%",
                             None, "up_to", 0)),
        quotes=(Quote("We are ready", 73, 85, True, "Anna Berg", 61, 70, "told reporters", 1),
                Quote("More than 1,300 people", 0, 22, False)),
        dates=(DateRef("3 March", 41, 48, date(2024, 3, 3), 0), DateRef("now", 0, 4, None)),
    )  # fmt: skip
    fields.update(meta)
    return Article(ident, text, **fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "c.db")


def tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


# --- opening and migrations -------------------------------------------------------------


def test_new_store_has_the_schema_wal_and_foreign_keys(store: Store) -> None:
    assert store.pragma("journal_mode") == "wal"
    assert store.pragma("foreign_keys") == 1
    assert store.schema_version() == len(MIGRATIONS)
    expected = {"articles", "sentences", "mentions", "quantities", "quotes", "dates"}
    assert expected | {"failures", "articles_fts", "schema_migrations"} <= tables(store.connection)
    assert store.check() == []


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    Store(tmp_path / "c.db").close()
    with Store(tmp_path / "c.db") as again:
        assert again.schema_version() == len(MIGRATIONS)
        rows = again.connection.execute("SELECT version FROM schema_migrations").fetchall()
        assert rows == [(v,) for v in range(1, len(MIGRATIONS) + 1)]
        assert migrate(again.connection) == []


def test_a_failing_migration_is_rolled_back(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    first = "CREATE TABLE a (x INTEGER);\nINSERT INTO a VALUES (1);"
    broken = "CREATE TABLE b (y INTEGER);\nINSERT INTO missing VALUES (2);"
    assert migrate(conn, [first]) == [1]
    with pytest.raises(SchemaError, match="migration 2 failed"):
        migrate(conn, [first, broken])
    assert schema_version(conn) == 1
    assert "b" not in tables(conn)  # the CREATE TABLE of the failed script is undone
    assert not conn.in_transaction
    fixed = "CREATE TABLE b (y INTEGER);"
    assert migrate(conn, [first, fixed]) == [2]
    assert migrate(conn, [first, fixed]) == []


def test_a_newer_database_is_refused(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    migrate(conn, ["CREATE TABLE a (x);", "CREATE TABLE b (y);"])
    with pytest.raises(SchemaError, match="schema version 2") as caught:
        migrate(conn, ["CREATE TABLE a (x);"])
    assert "upgrade" in caught.value.hint


def test_trigger_bodies_stay_whole() -> None:
    script = "CREATE TABLE t (x);\nCREATE TRIGGER g AFTER INSERT ON t BEGIN\n  SELECT 1;\nEND;\n"
    statements = split_statements(script)
    assert len(statements) == 2 and statements[1].endswith("END;")
    with pytest.raises(SchemaError, match="incomplete"):
        split_statements("CREATE TABLE t (x")


def test_bad_files_are_refused_with_a_hint(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database at all " * 100)
    with pytest.raises(StoreError, match="not a newsprism collection"):
        Store(junk)
    with pytest.raises(StoreError, match="no collection here") as caught:
        Store(tmp_path / "missing.db", create=False)
    assert "newsprism ingest" in caught.value.hint
    assert not (tmp_path / "missing.db").exists()


# --- writing and reading ----------------------------------------------------------------


def test_round_trip_of_every_annotation(store: Store) -> None:
    article = full_article()
    assert store.add(article) == "storm"
    assert store.get("storm") == article
    bare = Article("bare", "Just a line of text.")
    store.add(bare)
    assert store.get("bare") == bare
    assert store.get("absent") is None
    assert sorted(a.id for a in store) == ["bare", "storm"]


def test_infinite_bounds_are_null_with_inclusive_flags(store: Store) -> None:
    store.add(full_article())
    rows = store.connection.execute(
        "SELECT low, high, low_inclusive, high_inclusive FROM quantities ORDER BY idx"
    ).fetchall()
    assert rows == [(1300.0, None, 0, 1), (None, 1300.0, 1, 0)]


@pytest.mark.slow
def test_round_trip_of_a_real_annotation(store: Store) -> None:
    raw = Article("real", TEXT, title="Storm", language="en", published=date(2024, 3, 4))
    annotated = annotate(raw, PipelineOptions(cache=False))
    assert annotated.sentences and annotated.quantities and annotated.quotes
    store.add(annotated)
    assert store.get("real") == annotated


def test_exact_duplicates_are_not_stored_twice(store: Store) -> None:
    assert store.add(full_article("one")) == "one"
    assert store.add(full_article("two", title="Another title")) is None
    assert len(store) == 1
    assert store.find_hash(content_hash(TEXT)) == "one"


def test_a_taken_id_gets_a_suffix_from_the_hash(store: Store) -> None:
    store.add(full_article("same"))
    other = Article("same", "A different story altogether.")
    ident = store.add(other)
    assert ident == f"same-{content_hash(other.text)[:8]}"
    assert store.get(ident) == dataclasses.replace(other, id=ident)


def test_an_article_is_stored_whole_or_not_at_all(store: Store) -> None:
    sentence = Sentence(0, 0, 4, TEXT[:4])
    broken = full_article("broken", sentences=(sentence, sentence))  # duplicate index
    with pytest.raises(sqlite3.IntegrityError):
        store.add(broken)
    assert not store.connection.in_transaction
    assert len(store) == 0
    for table in ("sentences", "mentions", "quantities", "quotes", "dates"):
        assert store.connection.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    assert store.search("evacuated") == []
    assert store.add(full_article("fixed")) == "fixed"
    assert store.check() == []


def test_delete_removes_annotations_and_index_entries(store: Store) -> None:
    store.add(full_article())
    assert store.delete("storm") and not store.delete("storm")
    counts = [store.connection.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("sentences", "mentions", "quantities", "quotes", "dates")]  # fmt: skip
    assert counts == [0, 0, 0, 0, 0]
    assert store.search("evacuated") == []
    assert store.check() == []


def test_integrity_check_is_ok_after_writes(store: Store) -> None:
    for n in range(5):
        store.add(full_article(f"a{n}", text=f"{TEXT} Update number {n}."))
    store.delete("a2")
    assert store.connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert store.check() == []


# --- listing, search, failures ----------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> Store:
    rows = [
        ("a", "en", "post.example", date(2024, 3, 1), "Harbour closed after the storm"),
        ("b", "fr", "littoral.example", date(2024, 3, 5), "Le port fermé après la tempête"),
        ("c", "en", "post.example", None, "Ferry services resume"),
        ("d", "en", "daily.example", date(2024, 2, 20), "Council approves new sea wall"),
    ]
    for ident, lang, source, day, body in rows:
        store.add(Article(ident, f"{body}. {ident} body text.", title=body, language=lang,
                          source=source, published=day))  # fmt: skip
    return store


def ids(found: Sequence[ArticleInfo | SearchHit]) -> list[str]:
    return [x.id if isinstance(x, ArticleInfo) else x.article.id for x in found]


def test_articles_are_listed_newest_first_with_filters(filled: Store) -> None:
    assert ids(filled.articles()) == ["b", "a", "d", "c"]  # undated last
    assert ids(filled.articles(ArticleQuery(source="post.example"))) == ["a", "c"]
    assert ids(filled.articles(ArticleQuery(language="fr"))) == ["b"]
    assert ids(filled.articles(ArticleQuery(since=date(2024, 3, 1)))) == ["b", "a"]
    assert ids(filled.articles(ArticleQuery(until=date(2024, 3, 1)))) == ["a", "d"]
    assert ids(filled.articles(ArticleQuery(limit=1))) == ["b"]
    info = filled.articles(ArticleQuery(language="fr"))[0]
    assert info.title.startswith("Le port") and info.chars > 0 and info.published


def test_search_marks_matches_and_ranks_titles_first(filled: Store) -> None:
    filled.add(Article("e", "A storm warning was issued. The storm passed.", title="Weather"))
    hits = filled.search("storm")
    assert ids(hits)[0] == "a"  # the word in the title weighs more
    assert set(ids(hits)) == {"a", "e"}
    assert "[storm]" in hits[0].snippet
    marked = filled.search("storm", marks=("<b>", "</b>"))
    assert all("<b>storm</b>" in h.snippet.lower() for h in marked)


def test_search_folds_accents_and_accepts_fts_syntax(filled: Store) -> None:
    assert ids(filled.search("tempete")) == ["b"]
    assert set(ids(filled.search("ferry OR wall"))) == {"c", "d"}
    assert ids(filled.search('"sea wall"')) == ["d"]
    assert ids(filled.search("harb*")) == ["a"]


def test_search_falls_back_to_plain_words(filled: Store) -> None:
    assert ids(filled.search("storm's")) == []  # not FTS syntax: searched as a term
    assert ids(filled.search("harbour-closed")) == ["a"]
    with pytest.raises(StoreError, match="empty"):
        filled.search("   ")


def test_search_filters(filled: Store) -> None:
    assert ids(filled.search("body", ArticleQuery(language="fr"))) == ["b"]
    assert len(filled.search("body", ArticleQuery(limit=2))) == 2
    assert ids(filled.search("body", ArticleQuery(source="daily.example"))) == ["d"]


def test_failures_are_recorded_once_and_cleared_by_path(store: Store) -> None:
    store.record_failure(Failure("/in/a.jsonl:line 3", "bad JSON", "fix it"))
    store.record_failure(Failure("/in/a.jsonl:line 3", "bad JSON", "fix it"))
    store.record_failure(Failure("/in/a.jsonl", "empty", ""))
    store.record_failure(Failure("/in/a.jsonl2", "empty", ""))
    assert len(store.failures()) == 3
    assert store.clear_failures("/in/a.jsonl") == 2
    assert [f.failure.path for f in store.failures()] == ["/in/a.jsonl2"]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(min_size=1, max_size=60),
    title=st.text(max_size=20),
    bounds=st.tuples(st.floats(allow_nan=False), st.floats(allow_nan=False), st.booleans()),
    base=st.none() | st.text(max_size=10),
)
def test_round_trip_of_arbitrary_values(
    tmp_path: Path, text: str, title: str, bounds: tuple[float, float, bool], base: str | None
) -> None:
    low, high, flag = bounds
    article = Article(
        "x", text, title=title, removed=(title,),
        mentions=(Mention(text, 0, len(text), "MISC", 0, base),),
        quantities=(Quantity(text, 0, len(text), high, low, high, flag, not flag),),
        quotes=(Quote(text, 0, len(text), flag, base, cue=base),),
    )  # fmt: skip
    with Store(tmp_path / "h.db") as store:
        store.delete("x")
        assert store.add(article) == "x"
        assert store.get("x") == article
