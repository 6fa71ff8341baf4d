"""``Store.transaction()``: commit on success, rollback on error, the block's own
exception raised unchanged — on a real SQLite file, read back through a second
connection."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from newsprism.model import Article
from newsprism.store import Store


class Boom(Exception):
    """An error of the block itself (not SQLite's)."""


def _ids(path: Path) -> list[str]:
    """The stored article ids, read by another connection (what is really committed)."""
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]


def _add_failure(store: Store, path: str) -> None:
    store.connection.execute(
        "INSERT INTO failures (path, reason, at) VALUES (?, 'r', '2024-01-01')", (path,)
    )


def _failures(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT path FROM failures ORDER BY path")]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "t.db")
    assert s.add(Article("old", "An article stored before the transaction.")) == "old"
    return s


def test_the_writes_of_a_block_are_committed_together(store: Store) -> None:
    with store.transaction():
        _add_failure(store, "a")
        assert store.connection.in_transaction
        assert _failures(store.path) == []  # not visible to others before the commit
        _add_failure(store, "b")
    assert not store.connection.in_transaction
    assert _failures(store.path) == ["a", "b"]


def test_an_error_rolls_back_and_is_raised_unchanged(store: Store) -> None:
    error = Boom("the block failed")
    with pytest.raises(Boom) as raised, store.transaction():
        _add_failure(store, "a")
        store.connection.execute("DELETE FROM articles")
        raise error
    assert raised.value is error
    assert not store.connection.in_transaction
    assert _ids(store.path) == ["old"]  # the old row is still there
    assert _failures(store.path) == []


def test_an_error_that_ended_the_transaction_is_still_the_one_raised(store: Store) -> None:
    # RAISE(ROLLBACK) ends the transaction itself: no "cannot rollback" may replace it.
    store.connection.execute(
        "CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.failures"
        " WHEN new.path = 'bad' BEGIN SELECT RAISE(ROLLBACK, 'refused by trigger'); END"
    )
    with pytest.raises(sqlite3.IntegrityError, match="refused by trigger"), store.transaction():
        _add_failure(store, "a")
        _add_failure(store, "bad")
    assert not store.connection.in_transaction
    assert _failures(store.path) == []
    error = Boom("after a manual rollback")
    with pytest.raises(Boom) as raised, store.transaction():
        store.connection.execute("ROLLBACK")
        raise error
    assert raised.value is error


def test_a_failing_commit_rolls_back(store: Store) -> None:
    store.connection.execute("PRAGMA defer_foreign_keys = ON")  # checked at COMMIT
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"), store.transaction():
        store.connection.execute(
            'INSERT INTO sentences (article_id, idx, start, "end", text)'
            " VALUES ('none', 0, 0, 1, 'x')"
        )
        _add_failure(store, "a")
    assert not store.connection.in_transaction
    assert _failures(store.path) == []
    with store.transaction():  # the store is usable again
        _add_failure(store, "b")
    assert _failures(store.path) == ["b"]


def test_the_write_lock_is_taken_on_entry(store: Store) -> None:
    with store.transaction():
        other = sqlite3.connect(store.path, timeout=0, isolation_level=None)
        try:
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        finally:
            other.close()
    with pytest.raises(sqlite3.OperationalError), store.transaction(), store.transaction():
        pass  # not re-entrant
    assert not store.connection.in_transaction


def test_an_article_the_schema_refuses_is_a_failure_and_ingest_goes_on(tmp_path: Path) -> None:
    from newsprism.collection.ingest import IngestOptions, ingest

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "kept.txt").write_text("Harbour reopens\n\nThe harbour reopened on Monday.\n")
    (folder / "refused.txt").write_text("Storm closes harbour\n\nThe storm closed it.\n")
    with Store(tmp_path / "c.db") as store:
        store.connection.execute(  # a constraint that fails on one article's annotations
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON main.sentences"
            " WHEN new.text LIKE '%storm closed%' BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
        summary = ingest([folder], store, IngestOptions(stories=None))
        assert (summary.ingested, summary.failed) == (1, 1)
        (failure,) = summary.failures
        assert failure.path.endswith("refused.txt") and "refused" in failure.reason
        assert not store.connection.in_transaction
        assert [a.id for a in store.articles()] == ["kept"]  # nothing of the refused one
        kept = store.get("kept")
        assert kept is not None
        (count,) = store.connection.execute("SELECT count(*) FROM sentences").fetchone()
        assert count == len(kept.sentences)
