"""Collection-wide entities and sentence vectors, on a real SQLite store with the real
pipeline and the real multilingual embedder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner

from newsprism.cli.collection import register as register_collection
from newsprism.cli.vectors import register
from newsprism.collection.entities import link_missing, link_stored
from newsprism.collection.ingest import ingest
from newsprism.collection.vectors import embed_stored, nearest
from newsprism.store import Store
from newsprism.store.entities import entities, prune_entities
from newsprism.store.vectors import embedded_count

FIRST = (
    "Volodymyr Zelensky visited the front line on Monday. "
    "Zelensky said the army needed more air defence systems. "
    "The harbour in Odesa was closed after the storm."
)
SECOND = (
    "Volodimir Zelenski met the prime minister of Poland in Warsaw on Tuesday. "
    "Farmers protested against grain imports near the border."
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    root = tmp_path / "in"
    root.mkdir()
    (root / "first.txt").write_text(FIRST, encoding="utf-8")
    (root / "second.txt").write_text(SECOND, encoding="utf-8")
    s = Store(tmp_path / "c.db")
    summary = ingest([root], s)
    assert summary.ingested == 2
    return s


def _zelensky(s: Store) -> list[tuple[int, str, str, tuple[str, ...], int]]:
    return [tuple(e) for e in entities(s) if any("zelen" in a.lower() for a in e.aliases)]  # type: ignore[misc]


def test_one_entity_for_all_spellings_across_articles(store: Store) -> None:
    found = _zelensky(store)
    assert len(found) == 1
    _, name, kind, aliases, articles = found[0]
    assert name == "Volodymyr Zelensky"
    assert kind == "PERSON"
    assert {"Volodymyr Zelensky", "Zelensky", "Volodimir Zelenski"} <= set(aliases)
    assert articles == 2


def test_linking_again_is_stable(store: Store) -> None:
    before = entities(store)
    for ident in ("first", "second"):
        link_stored(store, ident)
    assert entities(store) == before
    assert link_missing(store) == 0


def test_full_name_after_surname_absorbs_it(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Zelensky said the army needed more help.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Volodymyr Zelensky visited Kyiv on Monday.", encoding="utf-8")
    with Store(tmp_path / "c.db") as s:
        ingest([tmp_path / "a.txt"], s)
        ingest([tmp_path / "b.txt"], s)
        found = _zelensky(s)
        assert len(found) == 1
        assert found[0][1] == "Volodymyr Zelensky" and found[0][4] == 2


def test_vectors_are_stored_once_and_searched(store: Store) -> None:
    added = embed_stored(store, ["first", "second"])
    assert added == embedded_count(store) == 5
    assert embed_stored(store, ["first", "second"]) == 0
    hits = nearest(store, "The port was shut because of bad weather", k=3)
    assert (hits[0].article_id, hits[0].idx) == ("first", 2)
    assert [h.distance for h in hits] == sorted(h.distance for h in hits)
    vector = store.connection.execute(
        "SELECT vector FROM sentence_embeddings WHERE article_id = 'second' AND idx = 1"
    ).fetchone()[0]
    import numpy as np

    again = nearest(store, np.frombuffer(vector, dtype="<f4"), k=1)
    assert again[0][:2] == ("second", 1) and again[0].distance == pytest.approx(0.0, abs=1e-5)


def test_deleting_an_article_cascades(store: Store) -> None:
    embed_stored(store, ["first"])
    assert store.delete("first")
    conn = store.connection
    for table in ("mention_entities", "sentence_embeddings"):
        count = conn.execute(f"SELECT count(*) FROM {table} WHERE article_id = 'first'")
        assert count.fetchone()[0] == 0
    assert _zelensky(store)[0][4] == 1
    store.delete("second")
    assert prune_entities(store) > 0
    assert entities(store) == []


def test_embed_and_similar_commands(store: Store) -> None:
    main = click.Group()
    register_collection(main)
    register(main)
    runner = CliRunner()
    db = str(store.path)
    store.close()
    out = runner.invoke(main, ["embed", "--db", db, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {"embedded": 5, "total": 5}
    out = runner.invoke(main, ["similar", "farmers protest", "--db", db, "--limit", "2",
                               "--format", "json"])  # fmt: skip
    assert out.exit_code == 0, out.output
    rows = json.loads(out.output)
    assert len(rows) == 2 and rows[0]["article"] == "second" and "Farmers" in rows[0]["text"]
    out = runner.invoke(main, ["similar", "farmers", "--db", str(Path(db).with_name("no.db"))])
    assert out.exit_code == 2


class _Counting:
    """The real default embedder, recording which texts it was asked to embed."""

    def __init__(self) -> None:
        from newsprism.embed.sentences import default_embedder

        self.inner = default_embedder()
        self.dim = self.inner.dim
        self.asked: list[str] = []

    def embed(self, texts: Sequence[str]) -> Any:
        self.asked.extend(texts)
        return self.inner.embed(texts)


def test_compare_from_the_collection_reads_stored_sentence_vectors(store: Store) -> None:
    from newsprism.collection.comparison import compare_stored

    ids = [a.id for a in store]
    first = _Counting()
    cov = compare_stored(store, ids, embedder=first)
    assert cov.facts and embedded_count(store) > 0
    sentences = {s.text for a in cov.articles for s in a.sentences if not s.heading}
    again = _Counting()
    assert compare_stored(store, ids, embedder=again).facts == cov.facts
    assert not sentences & set(again.asked)  # sentence vectors came from the file
