"""Near-duplicates and independent sources, on real article texts and a real store.

A wire story (``examples/sample/en-harbour-post.txt``) is republished three times,
lightly edited (another headline, a sentence cut, words changed); another outlet's
independent report of the same event (``de-kuestenbote.txt``) must stay apart.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import numpy as np
import pytest
from click.testing import CliRunner

from newsprism.cli.collection import register as register_collection
from newsprism.cli.export import register
from newsprism.collection.duplicates import (
    independent_sources,
    index_missing,
    stored_groups,
    stored_links,
)
from newsprism.collection.ingest import IngestOptions, ingest
from newsprism.dedupe import (
    DedupeOptions,
    NearDuplicate,
    count_independent,
    duplicate_groups,
    find_near_duplicates,
    shingles,
    signature,
    similarity,
)
from newsprism.model import Article
from newsprism.store import Store

SAMPLE = Path(__file__).parent.parent / "examples" / "sample"
ORIGINAL = (SAMPLE / "en-harbour-post.txt").read_text(encoding="utf-8")
OTHER = (SAMPLE / "de-kuestenbote.txt").read_text(encoding="utf-8")


def _edited_copies(text: str) -> dict[str, str]:
    """Three syndicated copies: new headline; one sentence dropped; words changed."""
    headline, body = text.split("\n", 1)
    sentences = re.split(r"(?<=[.!?])\s+", body.strip())
    dropped = sentences[4]
    assert len(dropped) > 40  # a real sentence, not a fragment
    return {
        # a new headline alone would be an exact duplicate (the title is not the text)
        "copy-headline.txt": "Fertiliser store burns in Kastrena port\n"
        + body.replace("Some 60 firefighters", "About 60 firefighters"),
        "copy-cut.txt": headline + "\n" + body.replace(dropped, "", 1),
        "copy-words.txt": "Warehouse fire: 120 residents evacuated\n"
        + body.replace("brown smoke", "thick smoke").replace("slightly", "lightly"),
    }


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    folder = tmp_path_factory.mktemp("wire")
    (folder / "original.txt").write_text(ORIGINAL, encoding="utf-8")
    for name, text in _edited_copies(ORIGINAL).items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "other-outlet.txt").write_text(OTHER, encoding="utf-8")
    db = Store(tmp_path_factory.mktemp("db") / "wire.db")
    summary = ingest([folder], db)
    assert summary.ingested == 5, summary.failures
    return db


COPIES = {"copy-cut", "copy-headline", "copy-words", "original"}


# --- pure functions ---------------------------------------------------------------------


def test_shingles_are_case_folded_word_runs() -> None:
    assert shingles("The Port, the port!", 2) == {b"the port", b"port the"}
    assert shingles("Two words", 3) == {b"two words"}
    assert shingles("  ...  ") == set()
    unspaced = shingles("港口仓库发生大火数百名居民被疏散", 3)
    assert all(len(s.decode()) == 6 for s in unspaced) and len(unspaced) == 11


def test_signature_is_deterministic_and_estimates_jaccard() -> None:
    a, b = signature(ORIGINAL), signature(ORIGINAL)
    assert a is not None and b is not None and a.dtype == np.uint32 and a.size == 128
    assert np.array_equal(a, b) and similarity(a, b) == 1.0
    other = signature(OTHER)
    assert other is not None and similarity(a, other) < 0.1
    cut = signature(_edited_copies(ORIGINAL)["copy-cut.txt"])
    assert cut is not None
    exact = len(shingles(ORIGINAL) & shingles(_edited_copies(ORIGINAL)["copy-cut.txt"])) / len(
        shingles(ORIGINAL) | shingles(_edited_copies(ORIGINAL)["copy-cut.txt"])
    )
    assert abs(similarity(a, cut) - exact) < 0.15
    assert signature("...") is None


def test_options_are_checked() -> None:
    with pytest.raises(ValueError):
        DedupeOptions(bands=5)
    with pytest.raises(ValueError):
        DedupeOptions(threshold=0.0)
    assert DedupeOptions().rows == 4


def test_in_memory_links_and_independent_sources() -> None:
    articles = [Article("original", ORIGINAL)]
    articles += [Article(n.removesuffix(".txt"), t) for n, t in _edited_copies(ORIGINAL).items()]
    articles.append(Article("other", OTHER))
    links = find_near_duplicates(articles)
    linked = {x for link in links for x in (link.article_id, link.duplicate_of)}
    assert linked == COPIES
    assert all(link.similarity >= 0.7 for link in links)
    assert independent_sources(articles) == 2
    assert independent_sources(articles[:1] + articles[-1:]) == 2
    assert independent_sources(articles, options=DedupeOptions(threshold=1.0)) == 5


def test_groups_are_connected_components() -> None:
    links = [NearDuplicate("b", "a", 0.9), NearDuplicate("c", "b", 0.8), NearDuplicate("e", "x", 1)]
    groups = duplicate_groups(["a", "b", "c", "d", "e"], links)
    assert [g.ids for g in groups] == [("a", "b", "c"), ("d",), ("e",)]
    assert len(groups[0].links) == 2
    assert count_independent(["a", "c", "d"], links) == 3  # b, the bridge, is not counted
    assert count_independent(["a", "b", "c", "d"], links) == 2


# --- in the store -----------------------------------------------------------------------


def test_ingest_links_the_copies_and_not_the_other_outlet(store: Store) -> None:
    links = stored_links(store)
    linked = {x for link in links for x in (link.article_id, link.duplicate_of)}
    assert linked == COPIES
    assert "other-outlet" in store  # both stay: links, not deletions
    assert len(store) == 5
    (group,) = stored_groups(store)
    assert set(group.ids) == COPIES
    assert independent_sources(sorted(COPIES | {"other-outlet"}), store) == 2
    assert independent_sources(["original", "copy-cut"], store) == 1
    with pytest.raises(ValueError):
        independent_sources(["original"])


def test_articles_stored_without_linking_are_indexed_later(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(ORIGINAL, encoding="utf-8")
    (folder / "b.txt").write_text(_edited_copies(ORIGINAL)["copy-words.txt"], encoding="utf-8")
    with Store(tmp_path / "c.db") as db:
        ingest([folder], db, IngestOptions(near_duplicates=None))
        assert stored_links(db) == []
        assert index_missing(db) == 2
        assert index_missing(db) == 0  # idempotent
        (link,) = stored_links(db)
        assert (link.article_id, link.duplicate_of) == ("b", "a")
        assert db.delete("a")
        assert stored_links(db) == []  # links go with their article
        assert db.check() == []


def test_duplicates_command(store: Store) -> None:
    main = click.Group()
    register(main)
    register_collection(main)
    runner = CliRunner()
    result = runner.invoke(main, ["duplicates", "--db", str(store.path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["articles"] == 5 and data["independent_sources"] == 2
    (group,) = data["groups"]
    assert set(group["ids"]) == COPIES
    assert {a["title"] for a in group["articles"]} >= {"Fertiliser store burns in Kastrena port"}
    text = runner.invoke(main, ["duplicates", "--db", str(store.path)])
    assert text.exit_code == 0
    assert (
        text.output.splitlines()[-1] == "5 articles, 2 independent sources, 1 near-duplicate groups"
    )
    args = ["duplicates", "--db", str(store.path), "--threshold", "0.995", "--format", "json"]
    strict = json.loads(runner.invoke(main, args).output)
    assert strict["independent_sources"] >= 4  # the lightly edited copies fall apart
    assert all(x["similarity"] >= 0.995 for g in strict["groups"] for x in g["links"])
    missing = runner.invoke(main, ["duplicates", "--db", str(store.path.parent / "nope.db")])
    assert missing.exit_code == 2 and "no collection" in missing.output
