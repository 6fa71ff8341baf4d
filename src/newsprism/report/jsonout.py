"""JSON rendering of a :class:`Coverage`: the JSON report format (see the README).

The output is strict JSON (no ``NaN``/``Infinity``): open interval ends and
any non-finite number become ``null``. Every statement, quote, figure and
date keeps its character offsets into the cleaned article text, so a client
can point back at the evidence. The parts that are plain data (statements,
failures, warnings) are written by :func:`newsprism.serialize.to_data`; the rest
has the report's own shape (counts, resolved speakers and facts).
"""

from __future__ import annotations

import json
from typing import Any

from newsprism.model import Article, Coverage, Entity, Fact, Quantity
from newsprism.report.common import View, fact_sources, finite, iso_date, status_of, summary, view
from newsprism.serialize import to_data

__all__ = ["coverage_to_dict", "render_json"]


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "language": article.language,
        "source": article.source,
        "published": iso_date(article.published),
        "url": article.url,
        "path": article.path,
        "sentences": len(article.sentences),
        "removed": list(article.removed),
        "mentions": len(article.mentions),
        "quantities": len(article.quantities),
        "quotes": len(article.quotes),
        "characters": len(article.text),
    }


def _fact(fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "status": status_of(fact),
        "reason": fact.reason,
        "sources": fact_sources(fact),
        "entities": list(fact.entities),
        "score": finite(float(fact.score)),
        "statements": to_data(fact.statements),
    }


def _entity(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "type": entity.type,
        "variants": list(entity.variants),
        "articles": list(entity.articles),
        "mentions": len(entity.mentions),
        "spans": [
            {"article": article, "start": start, "end": end}
            for article, start, end in entity.mentions
        ],
    }


def _quotes(v: View) -> list[dict[str, Any]]:
    return [
        {
            "article": item.article,
            "speaker": item.speaker,
            "speaker_entity": item.speaker_entity,
            "speaker_text": item.quote.speaker,
            "speaker_start": item.quote.speaker_start if item.quote.speaker_start >= 0 else None,
            "speaker_end": item.quote.speaker_end if item.quote.speaker_end >= 0 else None,
            "text": item.quote.text,
            "direct": item.quote.direct,
            "cue": item.quote.cue,
            "start": item.quote.start,
            "end": item.quote.end,
            "sentence": item.quote.sentence,
            "fact": item.fact,
        }
        for item in v.quotes()
    ]


def _quantity(v: View, article: str, q: Quantity) -> dict[str, Any]:
    return {
        "article": article,
        "text": q.text,
        "value": finite(float(q.value)),
        "low": finite(float(q.low)),
        "high": finite(float(q.high)),
        "low_inclusive": q.low_inclusive,
        "high_inclusive": q.high_inclusive,
        "qualifier": q.qualifier,
        "unit": q.unit,
        "counted": q.counted,
        "start": q.start,
        "end": q.end,
        "sentence": q.sentence,
        "fact": v.fact_at(article, q.start),
    }


def _dates(v: View) -> list[dict[str, Any]]:
    return [
        {
            "article": article.id,
            "text": d.text,
            "value": iso_date(d.value),
            "start": d.start,
            "end": d.end,
            "sentence": d.sentence,
            "fact": v.fact_at(article.id, d.start),
        }
        for article in v.coverage.articles
        for d in article.dates
    ]


def coverage_to_dict(coverage: Coverage) -> dict[str, Any]:
    """A JSON-ready dict of the coverage (strict: no infinities or NaN)."""
    v = view(coverage)
    return {
        "articles": [_article(a) for a in coverage.articles],
        "facts": [_fact(f) for f in coverage.facts],
        "entities": [_entity(e) for e in coverage.entities],
        "quotes": _quotes(v),
        "quantities": [
            _quantity(v, article.id, q) for article in coverage.articles for q in article.quantities
        ],
        "dates": _dates(v),
        "failures": to_data(coverage.failures),
        "warnings": to_data(coverage.warnings),
        "summary": summary(coverage),
    }


def render_json(coverage: Coverage) -> str:
    """The coverage as indented, strict JSON text (UTF-8 characters kept)."""
    return json.dumps(coverage_to_dict(coverage), indent=2, ensure_ascii=False, allow_nan=False)
