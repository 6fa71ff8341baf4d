"""``newsprism.serialize``: the one conversion of the project's dataclasses to plain data,
its shapes, and the stored form of an article (which comes back unchanged)."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path

import pytest

from newsprism.collection.browse import StoryHit
from newsprism.collection.ingest import IngestSummary
from newsprism.collection.stories import StoryUpdate
from newsprism.model import (
    Article,
    DateRef,
    Fact,
    Failure,
    Quantity,
    Sentence,
    Statement,
    Status,
)
from newsprism.serialize import Shape, article_from_dict, article_to_dict, to_data
from newsprism.store import ArticleInfo, SearchHit

INFO = ArticleInfo(
    id="en-1",
    title="Fire at the port",
    source="Harbour Post",
    url="https://example.org/fire",
    language="en",
    published=date(2025, 10, 14),
    path="in/en-1.txt",
    content_hash="02a3",
    ingested_at="2025-10-15T08:00:00+00:00",
    chars=1534,
)


def test_plain_form_follows_field_order_and_converts_every_kind_of_value() -> None:
    fact = Fact(
        id="F1",
        status=Status.CONFLICT,
        statements=(Statement("en-1", 2, "About 400 tonnes.", 10, 27),),
        entities=("E1",),
        score=float("inf"),
    )
    data = to_data(fact)
    assert list(data) == ["id", "status", "statements", "reason", "entities", "score"]
    assert data["status"] == "conflict" and type(data["status"]) is str
    assert data["statements"] == [
        {"article": "en-1", "sentence": 2, "text": "About 400 tonnes.", "start": 10, "end": 27}
    ]
    assert data["entities"] == ["E1"] and data["score"] is None
    assert to_data(INFO)["published"] == "2025-10-14"
    assert to_data({"when": datetime(2025, 1, 2, 3, 4), "where": Path("a/b.txt")}) == {
        "when": "2025-01-02T03:04:00",
        "where": "a/b.txt",
    }
    assert to_data([float("-inf"), float("nan"), 1.5]) == [None, None, 1.5]
    assert to_data([float("-inf"), float("nan"), 1.5], numbers="text") == ["-inf", "nan", 1.5]


def test_a_value_without_a_plain_form_is_refused() -> None:
    with pytest.raises(TypeError, match="no plain-data form for set"):
        to_data({"ids": {"a", "b"}})


def test_nested_dataclasses_and_optional_ones() -> None:
    summary = IngestSummary(
        ingested=1,
        ids=("en-1",),
        failures=(Failure("bad.txt", "bad.txt: binary file", "pass text"),),
        stories=StoryUpdate(articles=1, created=1, joined=0, merged=0, split=0),
    )
    data = to_data(summary)
    assert list(data) == [
        "ingested", "duplicates", "failed", "skipped", "ids", "failures", "warnings", "stories"
    ]  # fmt: skip
    assert data["failures"] == [
        {"path": "bad.txt", "reason": "bad.txt: binary file", "hint": "pass text"}
    ]
    assert data["stories"] == {"articles": 1, "created": 1, "joined": 0, "merged": 0, "split": 0}
    assert to_data(IngestSummary())["stories"] is None


def test_shapes_drop_rename_inline_add_and_convert() -> None:
    hit = StoryHit(SearchHit(INFO, "a [fire] at", -3.5), "st-1")
    shapes = (Shape(StoryHit, inline=("hit",)), Shape(SearchHit, inline=("article",)))
    data = to_data([hit], shapes=shapes)
    assert data == [{**to_data(INFO), "snippet": "a [fire] at", "score": -3.5, "story": "st-1"}]
    assert list(data[0])[-3:] == ["snippet", "score", "story"]

    shaped = to_data(
        INFO,
        shapes=(
            Shape(
                ArticleInfo,
                drop=("path", "content_hash", "ingested_at"),
                rename={"id": "article"},
                add={"year": lambda info: info.published.year},
            ),
        ),
    )
    assert list(shaped) == [
        "article", "title", "source", "url", "language", "published", "chars", "year"
    ]  # fmt: skip
    assert shaped["article"] == "en-1" and shaped["year"] == 2025

    ids = to_data((hit.hit,), shapes=(Shape(SearchHit, convert=lambda h: h.article.id),))
    assert ids == ["en-1"]
    # A shape applies to exactly its type: the nested ArticleInfo keeps its plain form.
    assert to_data(hit.hit, shapes=(Shape(StoryHit, drop=("story",)),))["article"] == to_data(INFO)


def test_inlining_a_field_that_is_not_a_dataclass_is_a_bug() -> None:
    with pytest.raises(TypeError, match=r"SearchHit\.snippet is not a dataclass"):
        to_data(SearchHit(INFO, "x", 1.0), shapes=(Shape(SearchHit, inline=("snippet",)),))


def test_stored_article_comes_back_with_open_intervals_and_dates() -> None:
    article = Article(
        id="en-1",
        text="More than 120 people left on Tuesday.",
        title="Evacuated",
        language="en",
        published=date(2025, 10, 14),
        removed=("caption: x",),
        sentences=(Sentence(0, 0, 37, "More than 120 people left on Tuesday."),),
        quantities=(
            Quantity("More than 120", 0, 13, 120.0, 120.0, math.inf, False, False),
            Quantity("endless", 14, 20, -math.inf, -math.inf, 0.0),
        ),
        dates=(DateRef("on Tuesday", 26, 36, date(2025, 10, 14), 0), DateRef("x", 0, 1, None)),
    )
    data = article_to_dict(article)
    text = json.dumps(data, allow_nan=False)  # strict JSON
    assert data["quantities"][0]["high"] == "inf"
    assert data["quantities"][1]["value"] == "-inf"
    assert data["dates"][0]["value"] == "2025-10-14" and data["dates"][1]["value"] is None
    assert article_from_dict(json.loads(text)) == article
