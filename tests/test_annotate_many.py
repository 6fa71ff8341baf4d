"""Annotating many articles at once gives what one at a time gives."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from newsprism.entities import annotate_entities_batch, find_mentions
from newsprism.errors import LanguageError
from newsprism.language import detect_language
from newsprism.model import Article
from newsprism.pipeline.run import PipelineOptions, annotate, annotate_many
from newsprism.read import read_file
from newsprism.sentences import annotate_sentences
from newsprism.timings import Timings

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def _articles() -> list[Article]:
    """The shipped sample (de/en/es/fr), the seeds and some Spanish and French news."""
    out = [a for p in sorted((REPO / "examples" / "sample").iterdir()) for a in read_file(p)]
    out += [a for p in sorted((SHARED / "seeds").glob("*.txt")) for a in read_file(p)]
    rows = (SHARED / "data" / "semeval2022-t8" / "es-fr.jsonl").read_text(encoding="utf-8")
    for n, line in enumerate(rows.splitlines()[:4]):
        row = json.loads(line)
        out += [Article(f"s{n}a", row["text1"], language="es"),
                Article(f"s{n}b", row["text2"], language="fr")]  # fmt: skip
    return [a if a.language else replace(a, language=detect_language(a.text)) for a in out]


def test_batched_stages_give_the_same_annotations_as_one_at_a_time() -> None:
    options = PipelineOptions(cache=False)
    articles = _articles()
    assert len({a.language for a in articles}) >= 4
    one_by_one = [annotate(a, options) for a in articles]
    timings = Timings()
    together = annotate_many(articles, options, timings)
    assert together == one_by_one
    assert {"entities", "quotes"} <= set(timings.seconds)
    assert any(a.quotes for a in one_by_one) and all(a.mentions for a in one_by_one)


def test_an_article_without_a_language_fails_alone() -> None:
    options = PipelineOptions(cache=False)
    good = Article("ok", "Anna Smith said in London that 40 people were hurt.", language="en")
    results = annotate_many([good, Article("bad", "???"), good], options)
    assert isinstance(results[1], LanguageError)
    assert "could not determine the language" in str(results[1])
    assert results[0] == results[2] == annotate(good, options)


def test_batched_ner_gives_the_same_mentions() -> None:
    articles = [annotate_sentences(a) for a in _articles()]
    batched = annotate_entities_batch(articles)
    assert [a.mentions for a in batched] == [
        find_mentions(a.text, a.language, a.sentences) for a in articles
    ]
