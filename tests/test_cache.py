"""The annotation cache and the plain-data form of articles."""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import date
from pathlib import Path

import pytest

from newsprism import serialize
from newsprism.model import Article
from newsprism.pipeline.cache import AnnotationCache
from newsprism.pipeline.run import annotate

TEXT = (
    "Officials said on Tuesday that more than 1,300 people were arrested in Lyon.\n\n"
    "“We will not stop,” Mayor Anna Berg said. Up to 2,000 people may join on Friday."
)


@pytest.fixture(scope="module")
def annotated() -> Article:
    return annotate(Article(id="a", text=TEXT, title="T", language="en",
                            published=date(2022, 9, 23)))  # fmt: skip


def test_round_trip_is_exact_and_strict_json(annotated: Article) -> None:
    assert annotated.quantities and annotated.quotes and annotated.dates and annotated.mentions
    assert any(math.isinf(q.high) for q in annotated.quantities)
    data = json.loads(json.dumps(serialize.article_to_dict(annotated), allow_nan=False))
    assert serialize.article_from_dict(data) == annotated


def test_cache_survives_a_new_process_and_keeps_the_new_identity(
    tmp_path: Path, annotated: Article
) -> None:
    original = dataclasses.replace(annotated, sentences=(), mentions=(), quantities=(),
                                   quotes=(), dates=())  # fmt: skip
    AnnotationCache(tmp_path, "s").put(original, annotated)
    fresh = AnnotationCache(tmp_path, "s")  # nothing in memory: read from disk
    renamed = dataclasses.replace(original, id="b", path="/x/b.txt")
    hit = fresh.get(renamed)
    assert hit is not None
    assert (hit.id, hit.path) == ("b", "/x/b.txt")
    assert hit.quotes == annotated.quotes and hit.quantities == annotated.quantities
    assert AnnotationCache(tmp_path, "other settings").get(renamed) is None
    assert fresh.get(dataclasses.replace(original, text=TEXT + " More.")) is None


def test_damaged_cache_file_is_a_miss(tmp_path: Path, annotated: Article) -> None:
    cache = AnnotationCache(tmp_path, "s")
    cache.put(annotated, annotated)
    for f in (tmp_path / "annotations").glob("*.json"):
        f.write_text("{not json", encoding="utf-8")
    assert AnnotationCache(tmp_path, "s").get(annotated) is None
