"""Plain-data (JSON-ready) form of annotated articles, and back.

Used by the annotation cache; infinite interval ends are written as the
strings ``"inf"``/``"-inf"`` so the output stays strict JSON.
"""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from typing import Any

from newsprism.model import Article, DateRef, Mention, Quantity, Quote, Sentence


def _number(x: float) -> float | str:
    return x if math.isfinite(x) else ("inf" if x > 0 else "-inf")


def article_to_dict(article: Article) -> dict[str, Any]:
    data = dataclasses.asdict(article)
    data["published"] = article.published.isoformat() if article.published else None
    data["dates"] = [
        {**dataclasses.asdict(d), "value": d.value.isoformat() if d.value else None}
        for d in article.dates
    ]
    for q in data["quantities"]:
        q["low"], q["high"] = _number(q["low"]), _number(q["high"])
    return data


def article_from_dict(data: dict[str, Any]) -> Article:
    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    return Article(
        id=data["id"],
        text=data["text"],
        title=data["title"],
        language=data["language"],
        source=data["source"],
        url=data["url"],
        published=day(data["published"]),
        path=data["path"],
        removed=tuple(data["removed"]),
        sentences=tuple(Sentence(**s) for s in data["sentences"]),
        mentions=tuple(Mention(**m) for m in data["mentions"]),
        quantities=tuple(
            Quantity(**{**q, "low": float(q["low"]), "high": float(q["high"])})
            for q in data["quantities"]
        ),
        quotes=tuple(Quote(**q) for q in data["quotes"]),
        dates=tuple(DateRef(**{**d, "value": day(d["value"])}) for d in data["dates"]),
    )
