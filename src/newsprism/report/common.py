"""Lookups shared by the renderers and the web app: a read-only view over a :class:`Coverage`.

Every renderer needs the same derived information (which fact a quote or a
figure belongs to, the canonical speaker of a quote, the figures inside a
statement, facts grouped by status, entities ordered by prominence). It is
computed once here so the formats never disagree with each other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from newsprism.model import (
    Article,
    Coverage,
    Entity,
    Fact,
    Quantity,
    Quote,
    Statement,
    Status,
)

STATUS_ORDER: tuple[str, ...] = (
    Status.CONFLICT.value,
    Status.COMPATIBLE.value,
    Status.AGREED.value,
    Status.UNIQUE.value,
)
UNKNOWN_SPEAKER = "Unknown speaker"


def status_of(fact: Fact) -> str:
    """The fact status as a plain string (``agreed``, ``conflict`` …)."""
    status = fact.status
    return status.value if isinstance(status, Status) else str(status)


def finite(value: float) -> float | None:
    """``value`` unless it is infinite or NaN (strict JSON has neither)."""
    return value if math.isfinite(value) else None


def iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def fact_sources(fact: Fact) -> list[str]:
    """Article ids carrying the fact, in statement order, without repeats."""
    return list(dict.fromkeys(s.article for s in fact.statements))


@dataclass(frozen=True)
class Segment:
    """A piece of statement text; ``figure`` marks a quantity span."""

    text: str
    figure: bool = False


@dataclass(frozen=True)
class QuoteView:
    """A quote with its article, canonical speaker and fact resolved."""

    article: str
    quote: Quote
    speaker: str | None
    speaker_entity: str | None
    fact: str | None

    @property
    def group(self) -> str:
        return self.speaker if self.speaker else UNKNOWN_SPEAKER


@dataclass
class View:
    """Indexes over one coverage; build it with :func:`view`."""

    coverage: Coverage
    articles: dict[str, Article] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)
    links: dict[tuple[str, int], str] = field(default_factory=dict)
    spans: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)

    def fact_at(self, article: str, offset: int) -> str | None:
        """Id of the first fact with a statement of ``article`` containing ``offset``."""
        if offset < 0:
            return None
        for start, end, fact_id in self.spans.get(article, ()):
            if start <= offset < end:
                return fact_id
        return None

    def speaker(self, article: str, quote: Quote) -> tuple[str | None, str | None]:
        """(display name, entity id) of a quote's speaker.

        The canonical entity name when the speaker mention is linked, else the
        speaker as written, else ``(None, None)``.
        """
        entity_id = self.links.get((article, quote.speaker_start))
        if quote.speaker_start >= 0 and entity_id is not None:
            entity = self.entities.get(entity_id)
            if entity is not None:
                return entity.name, entity.id
        return (quote.speaker or None), None

    def quotes(self) -> list[QuoteView]:
        out: list[QuoteView] = []
        for article in self.coverage.articles:
            for quote in article.quotes:
                name, entity_id = self.speaker(article.id, quote)
                fact = self.fact_at(article.id, quote.start)
                out.append(QuoteView(article.id, quote, name, entity_id, fact))
        return out

    def quotes_by_speaker(self) -> list[tuple[str, list[QuoteView]]]:
        """Quotes grouped by canonical speaker; most quoted first, unknown last."""
        groups: dict[str, list[QuoteView]] = {}
        for item in self.quotes():
            groups.setdefault(item.group, []).append(item)
        return sorted(
            groups.items(),
            key=lambda kv: (kv[0] == UNKNOWN_SPEAKER, -len(kv[1]), kv[0].casefold()),
        )

    def language(self, article: str) -> str | None:
        found = self.articles.get(article)
        return found.language if found is not None else None

    def figures(self, statement: Statement) -> list[Quantity]:
        """Quantities of the statement's article lying inside the statement."""
        article = self.articles.get(statement.article)
        if article is None:
            return []
        return [
            q
            for q in article.quantities
            if statement.start <= q.start and q.end <= statement.end and q.end > q.start
        ]

    def segments(self, statement: Statement) -> list[Segment]:
        """The statement text cut into plain and figure segments."""
        text = statement.text
        article = self.articles.get(statement.article)
        consistent = article is not None and article.text[statement.start : statement.end] == text
        if not consistent:
            return [Segment(text)] if text else []
        out: list[Segment] = []
        pos = 0
        for q in sorted(self.figures(statement), key=lambda q: (q.start, -q.end)):
            rel_start, rel_end = q.start - statement.start, q.end - statement.start
            if rel_start < pos:  # overlapping spans: keep the first
                continue
            if rel_start > pos:
                out.append(Segment(text[pos:rel_start]))
            out.append(Segment(text[rel_start:rel_end], figure=True))
            pos = rel_end
        if pos < len(text):
            out.append(Segment(text[pos:]))
        return out

    def facts(self, *statuses: str) -> list[Fact]:
        """Facts with one of ``statuses``, in the order given."""
        wanted = set(statuses)
        return [f for f in self.coverage.facts if status_of(f) in wanted]

    def unique_by_article(self) -> list[tuple[Article | None, str, list[Fact]]]:
        """Unique facts grouped per article, in article order."""
        groups: dict[str, list[Fact]] = {}
        for fact in self.facts(Status.UNIQUE.value):
            sources = fact_sources(fact)
            groups.setdefault(sources[0] if sources else "", []).append(fact)
        order = [a.id for a in self.coverage.articles]
        keys = sorted(groups, key=lambda k: order.index(k) if k in order else len(order))
        return [(self.articles.get(k), k, groups[k]) for k in keys]

    def entities_split(self) -> tuple[list[Entity], list[Entity]]:
        """(prominent, rest): prominent = seen in 2+ articles or with 2+ variants."""
        prominent: list[Entity] = []
        rest: list[Entity] = []
        for entity in self.coverage.entities:
            wide = len(set(entity.articles)) >= 2 or len(set(entity.variants)) >= 2
            (prominent if wide else rest).append(entity)
        prominent.sort(key=lambda e: (-len(set(e.articles)), -len(e.mentions), e.name.casefold()))
        rest.sort(key=lambda e: (-len(e.mentions), e.name.casefold()))
        return prominent, rest

    def carries(self, article: str, fact: Fact) -> bool:
        return any(s.article == article for s in fact.statements)


def view(coverage: Coverage) -> View:
    """Build the lookup tables for ``coverage``."""
    v = View(coverage)
    v.articles = {a.id: a for a in coverage.articles}
    v.entities = {e.id: e for e in coverage.entities}
    for article_id, start, entity_id in coverage.links:
        v.links.setdefault((article_id, start), entity_id)
    for fact in coverage.facts:
        for s in fact.statements:
            v.spans.setdefault(s.article, []).append((s.start, s.end, fact.id))
    return v


def summary(coverage: Coverage) -> dict[str, int]:
    counts = {name: 0 for name in STATUS_ORDER}
    for fact in coverage.facts:
        status = status_of(fact)
        counts[status] = counts.get(status, 0) + 1
    sources = coverage.independent_sources
    return {
        "articles": len(coverage.articles),
        "independent_sources": len(coverage.articles) if sources is None else sources,
        "facts": len(coverage.facts),
        "agreed": counts[Status.AGREED.value],
        "compatible": counts[Status.COMPATIBLE.value],
        "conflict": counts[Status.CONFLICT.value],
        "unique": counts[Status.UNIQUE.value],
        "entities": len(coverage.entities),
        "failed": len(coverage.failures),
    }


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def summary_line(coverage: Coverage) -> str:
    """``N facts: x agreed, y compatible, z conflicts, w unique`` and, when
    some articles are copies of one another, the independent sources."""
    s = summary(coverage)
    line = (
        f"{_plural(s['facts'], 'fact')}: {s['agreed']} agreed, {s['compatible']} compatible, "
        f"{_plural(s['conflict'], 'conflict')}, {s['unique']} unique"
    )
    if s["independent_sources"] < s["articles"]:
        line += (
            f" · {_plural(s['articles'], 'article')} from "
            f"{_plural(s['independent_sources'], 'independent source')}"
        )
    return line


def article_meta(article: Article) -> list[str]:
    """Non-empty (language, source, date) strings for compact headers."""
    parts = [article.language or "", article.source or "", iso_date(article.published) or ""]
    return [p for p in parts if p]


def join_nonempty(parts: Iterable[str | None], sep: str = " · ") -> str:
    return sep.join(p for p in parts if p)
