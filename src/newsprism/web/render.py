"""The web app's templates and the markup of its article page.

The pages extend the layout and the coverage view of :mod:`newsprism.report.html`; the
story page is that view with the story's history, links to the article pages and the
app's menu. Templates autoescape everything; the only markup built here is the article
text with its marks, and every piece of it goes through :func:`markupsafe.escape`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from newsprism.collection.browse import StoryData
from newsprism.model import Article
from newsprism.report.common import View
from newsprism.report.html import (
    InPageLinks,
    anchor,
    coverage_context,
    coverage_css,
    template_environment,
)

__all__ = [
    "Urls",
    "environment",
    "highlight_article",
    "render_story_document",
    "story_context",
]


@cache
def environment() -> Environment:
    """The app's templates over those of the coverage view."""
    env = template_environment(PackageLoader("newsprism.web", "templates"))
    env.globals["quote"] = lambda s: quote(str(s), safe="")
    return env


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


def story_context(data: StoryData) -> dict[str, Any]:
    """Everything the story page shows: the coverage view of the compared articles, with
    the story's id, all its members in the timeline and its history."""
    context = coverage_context(
        data.coverage,
        title=data.title,
        ident=data.id,
        timeline=data.members,
        compared=data.compared,
    )
    return {**context, "story": data}


def render_story_document(data: StoryData) -> str:
    """The story page as one self-contained HTML page: inline CSS, no script, no
    external requests; links point inside the page."""
    return (
        environment()
        .get_template("story.html")
        .render(
            **story_context(data),
            layout="document.html",
            standalone=True,
            css=Markup(coverage_css()),
            urls=InPageLinks(),
        )
    )


class Urls:
    """Links between the pages of the web app."""

    def article(self, ident: str, sentence: int | None = None) -> str:
        tail = f"#s-{sentence}" if sentence is not None else ""
        return f"/article/{quote(ident, safe='')}{tail}"

    def story(self, ident: str, fact: str | None = None) -> str:
        tail = f"#fact-{anchor(fact)}" if fact else ""
        return f"/story/{quote(ident, safe='')}{tail}"
