"""Jinja2 templates shared by the web views and the self-contained story file.

The templates autoescape everything; the only markup built in Python is here, and
every piece of article text in it goes through :func:`markupsafe.escape`. Links from
articles are only rendered when their scheme is http or https.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from newsprism.model import Article, Coverage, Statement, Status
from newsprism.report.common import View, fact_sources, status_of, summary_line, view
from newsprism.web.data import StoryData

__all__ = [
    "STATUS_LABELS",
    "Urls",
    "environment",
    "highlight_article",
    "render_story_document",
    "safe_url",
    "story_context",
]

STATUS_LABELS: dict[str, tuple[str, str]] = {
    Status.CONFLICT.value: ("⚠", "Conflict"),
    Status.COMPATIBLE.value: ("≈", "Compatible"),
    Status.AGREED.value: ("✓", "Agreed"),
    Status.UNIQUE.value: ("◇", "One source"),
}
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL, else ``None`` (no ``javascript:``, ``data:`` …)."""
    if not url:
        return None
    cleaned = url.strip()
    if re.match(r"(?i)^https?://[^\s]+$", cleaned) and not re.search(r"[\x00-\x1f]", cleaned):
        return cleaned
    return None


def lang_code(language: str | None) -> str | None:
    return language if language and _LANG.match(language) else None


def anchor(ident: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", ident)


def css_text() -> str:
    return resources.files("newsprism.web").joinpath("static/style.css").read_text("utf-8")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsprism.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(status_labels=STATUS_LABELS, safe_url=safe_url, lang_code=lang_code,
                       anchor=anchor, quote=lambda s: quote(str(s), safe=""))  # fmt: skip
    return env


def _statement_html(v: View, statement: Statement) -> Markup:
    return Markup("").join(
        Markup("<mark>%s</mark>") % seg.text if seg.figure else escape(seg.text)
        for seg in v.segments(statement)
    )


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    kind: str  # quote | entity | figure
    title: str
    fact: str | None


def _spans(article: Article, v: View | None) -> tuple[list[_Span], list[_Span]]:
    """(quotes, inner marks): quotes never overlap each other, inner marks neither each
    other nor a quote boundary (the first one wins)."""
    size = len(article.text)

    def fact(offset: int) -> str | None:
        return v.fact_at(article.id, offset) if v is not None else None

    def ok(s: int, e: int) -> bool:
        return 0 <= s < e <= size

    quotes: list[_Span] = []
    for q in sorted(article.quotes, key=lambda q: (q.start, -q.end)):
        if ok(q.start, q.end) and (not quotes or q.start >= quotes[-1].end):
            who = q.speaker or "unknown speaker"
            quotes.append(_Span(q.start, q.end, "quote", f"quote · {who}", fact(q.start)))
    inner: list[_Span] = []
    for m in article.mentions:
        entity = v.entities.get(v.links.get((article.id, m.start), "")) if v else None
        name = f"{entity.name} ({entity.type})" if entity else m.label
        inner.append(_Span(m.start, m.end, "entity", name, fact(m.start)))
    for n in article.quantities:
        inner.append(_Span(n.start, n.end, "figure", f"figure · {n.qualifier}", fact(n.start)))
    kept: list[_Span] = []
    for s in sorted(inner, key=lambda s: (s.start, -s.end)):
        crosses = any(q.start < s.end and s.start < q.end and not (q.start <= s.start and
                      s.end <= q.end) for q in quotes)  # fmt: skip
        if ok(s.start, s.end) and not crosses and (not kept or s.start >= kept[-1].end):
            kept.append(s)
    return quotes, kept


def highlight_article(
    article: Article, v: View | None, fact_url: Callable[[str], str] | None
) -> Markup:
    """The article text with quotes, entity mentions and figures marked; each mark in a
    fact links to it (``fact_url``); every sentence start carries an ``s-N`` anchor."""
    text = article.text
    quotes, inner = _spans(article, v)
    starts = {s.start: s.index for s in article.sentences if 0 <= s.start <= len(text)}
    cuts = sorted({0, len(text), *starts, *(p for s in quotes + inner for p in (s.start, s.end))})
    out: list[Markup] = []
    qi = mi = 0
    for a, b in pairwise(cuts):
        if a in starts:
            out.append(Markup('<span class="sent" id="s-%s"></span>') % starts[a])
        if qi < len(quotes) and quotes[qi].start == a:
            q = quotes[qi]
            out.append(Markup('<span class="ann quote" title="%s">') % q.title)
        piece = escape(text[a:b])
        if mi < len(inner) and inner[mi].start <= a < inner[mi].end:
            m = inner[mi]
            if m.start == a:
                out.append(Markup("<%s class=\"ann %s\" title=\"%s\"%s>") % (
                    Markup("a") if m.fact and fact_url else Markup("span"), m.kind,
                    f"{m.title}" + (f" · fact {m.fact}" if m.fact else ""),
                    Markup(' href="%s"') % fact_url(m.fact) if m.fact and fact_url else "",
                ))  # fmt: skip
            out.append(piece)
            if b >= m.end:
                out.append(Markup("</a>") if m.fact and fact_url else Markup("</span>"))
                mi += 1
        else:
            out.append(piece)
        if qi < len(quotes) and b >= quotes[qi].end and quotes[qi].start <= a:
            q = quotes[qi]
            out.append(Markup("</span>"))
            if q.fact and fact_url:
                out.append(Markup('<a class="factref" href="%s" title="fact %s">%s</a>')
                           % (fact_url(q.fact), q.fact, q.fact))  # fmt: skip
            qi += 1
    return Markup("").join(out)


def _fact_view(v: View, fact: Any) -> dict[str, Any]:
    by_article: dict[str, list[Markup]] = {}
    sentences: dict[str, list[int]] = {}
    for s in fact.statements:
        by_article.setdefault(s.article, []).append(_statement_html(v, s))
        sentences.setdefault(s.article, []).append(s.sentence)
    return {
        "fact": fact,
        "status": status_of(fact),
        "sources": fact_sources(fact),
        "evidence": [(a, v.articles.get(a), by_article[a], sentences[a]) for a in by_article],
        "entities": [v.entities[e] for e in fact.entities if e in v.entities],
    }


def story_context(data: StoryData) -> dict[str, Any]:
    """Everything the story template shows, derived from ``data`` once."""
    v = view(data.coverage)
    shared = v.facts(Status.COMPATIBLE.value, Status.AGREED.value)
    shared.sort(key=lambda f: status_of(f) != Status.AGREED.value)
    unique = [
        (article, ident, [_fact_view(v, f) for f in facts])
        for article, ident, facts in v.unique_by_article()
    ]
    prominent, rest = v.entities_split()
    matrix = [
        (f, status_of(f), [v.carries(a.id, f) for a in data.coverage.articles])
        for f in data.coverage.facts
    ]
    timeline = sorted(data.members, key=lambda i: (i.published is None, i.published, i.id))
    return {
        "story": data,
        "v": v,
        "summary": summary_line(data.coverage),
        "conflicts": [_fact_view(v, f) for f in v.facts(Status.CONFLICT.value)],
        "shared": [_fact_view(v, f) for f in shared],
        "unique": unique,
        "unique_count": sum(len(fs) for _, _, fs in unique),
        "entities": prominent,
        "minor_entities": rest,
        "quotes": v.quotes_by_speaker(),
        "timeline": timeline,
        "sources": {i.id: (i.source or i.id) for i in data.members},
        "matrix": matrix,
        "totals": [sum(row[2][k] for row in matrix) for k in range(len(data.coverage.articles))],
    }


def render_story_document(data: StoryData) -> str:
    """The story view as one self-contained HTML page: inline CSS, no script, no
    external requests; links point inside the page."""
    env = environment()
    return env.get_template("story.html").render(
        **story_context(data), standalone=True, css=Markup(css_text()), urls=Urls(True)
    )


def render_coverage_document(coverage: Coverage) -> str:
    """``newsprism compare --format html``: the story view of any coverage diff, as one
    self-contained page (no story id and no history)."""
    from newsprism.store.db import ArticleInfo

    members = tuple(
        ArticleInfo(a.id, a.title, a.source, a.url, a.language, a.published, a.path, "", "",
                    len(a.text))
        for a in coverage.articles
    )  # fmt: skip
    title = next((a.title for a in coverage.articles if a.title), "Coverage diff")
    data = StoryData("", "", title, members, tuple(a.id for a in coverage.articles), (), coverage)
    return render_story_document(data)


class Urls:
    """Links of the web app; ``standalone`` keeps every link inside one page."""

    def __init__(self, standalone: bool = False) -> None:
        self.standalone = standalone

    def article(self, ident: str, sentence: int | None = None) -> str:
        if self.standalone:
            return f"#article-{anchor(ident)}"
        tail = f"#s-{sentence}" if sentence is not None else ""
        return f"/article/{quote(ident, safe='')}{tail}"

    def story(self, ident: str, fact: str | None = None) -> str:
        tail = f"#fact-{anchor(fact)}" if fact else ""
        return tail if self.standalone else f"/story/{quote(ident, safe='')}{tail}"
