"""The coverage diff as HTML: one self-contained page, and the view the web app shows.

The view (``templates/coverage.html``, Jinja2, everything autoescaped) shows the summary,
conflicts, agreed and compatible facts, facts of one source, the coverage matrix, entities
with their variants, quotes by speaker, a timeline of the articles and the failures and
warnings. :func:`render_html` puts it in ``templates/document.html``: one file with inline
CSS (``static/coverage.css``), no script and no external request, links inside the page.
The story page of ``newsprism serve`` extends the same view with its own layout, links and
story history (:mod:`newsprism.web.render`).

The only markup built in Python is the statement text with its figures in ``<mark>``; every
piece of article text goes through :func:`markupsafe.escape`. Links from articles are only
rendered when their scheme is http or https.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Protocol

from jinja2 import BaseLoader, ChoiceLoader, Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from newsprism.model import Coverage, Fact, Statement, Status
from newsprism.report.common import View, fact_sources, status_of, summary_line, view

__all__ = [
    "STATUS_LABELS",
    "ArticleLinks",
    "ArticleRow",
    "InPageLinks",
    "anchor",
    "coverage_context",
    "coverage_css",
    "lang_code",
    "render_html",
    "safe_url",
    "template_environment",
]

STATUS_LABELS: dict[str, tuple[str, str]] = {
    Status.CONFLICT.value: ("⚠", "Conflict"),
    Status.COMPATIBLE.value: ("≈", "Compatible"),
    Status.AGREED.value: ("✓", "Agreed"),
    Status.UNIQUE.value: ("◇", "One source"),
}
"""Icon and word of each status: a badge never says its status by colour alone."""

_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")


class ArticleRow(Protocol):
    """What the timeline shows of an article (an ``Article`` or a stored article's row)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def source(self) -> str | None: ...
    @property
    def url(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def published(self) -> date | None: ...


class ArticleLinks(Protocol):
    """Where the view links an article (and one of its sentences) to."""

    def article(self, ident: str, sentence: int | None = None) -> str: ...


class InPageLinks:
    """Links of the self-contained page: an article links to its timeline entry."""

    def article(self, ident: str, sentence: int | None = None) -> str:
        return f"#article-{anchor(ident)}"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) URL, else ``None`` (no ``javascript:``, ``data:`` …)."""
    if not url:
        return None
    cleaned = url.strip()
    if re.match(r"(?i)^https?://[^\s]+$", cleaned) and not re.search(r"[\x00-\x1f]", cleaned):
        return cleaned
    return None


def lang_code(language: str | None) -> str | None:
    """``language`` when it is a well-formed language tag (for a ``lang`` attribute)."""
    return language if language and _LANG.match(language) else None


def anchor(ident: str) -> str:
    """``ident`` made safe for an ``id`` attribute and a ``#fragment``."""
    return re.sub(r"[^A-Za-z0-9_.:-]", "_", ident)


def coverage_css() -> str:
    """The stylesheet of the view (inlined in the self-contained page)."""
    return resources.files("newsprism.report").joinpath("static/coverage.css").read_text("utf-8")


def template_environment(*loaders: BaseLoader) -> Environment:
    """A Jinja2 environment with the view's templates and the names they use.

    Templates of ``loaders`` are looked up first: a web app adds its pages and the layout
    around the view this way.
    """
    env = Environment(
        loader=ChoiceLoader([*loaders, PackageLoader("newsprism.report", "templates")]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        status_labels=STATUS_LABELS, safe_url=safe_url, lang_code=lang_code, anchor=anchor
    )
    return env


@cache
def _environment() -> Environment:
    return template_environment()


def _statement_html(v: View, statement: Statement) -> Markup:
    return Markup("").join(
        Markup("<mark>%s</mark>") % seg.text if seg.figure else escape(seg.text)
        for seg in v.segments(statement)
    )


def _fact_view(v: View, fact: Fact) -> dict[str, Any]:
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


def coverage_context(
    coverage: Coverage,
    *,
    title: str | None = None,
    ident: str = "",
    timeline: Iterable[ArticleRow] | None = None,
    compared: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Everything ``coverage.html`` shows, derived from ``coverage`` once.

    ``title``: the heading (default: the first article title, else ``Coverage diff``);
    ``ident``: an id shown under it (a story's); ``timeline``: the articles listed by date
    (default: the compared ones); ``compared``: ids of the articles compared (default:
    those of ``coverage``), the others are listed as not compared.
    """
    v = view(coverage)
    shared = v.facts(Status.COMPATIBLE.value, Status.AGREED.value)
    shared.sort(key=lambda f: status_of(f) != Status.AGREED.value)
    unique = [
        (article, article_id, [_fact_view(v, f) for f in facts])
        for article, article_id, facts in v.unique_by_article()
    ]
    prominent, rest = v.entities_split()
    matrix = [
        (f, status_of(f), [v.carries(a.id, f) for a in coverage.articles]) for f in coverage.facts
    ]
    members: list[ArticleRow] = list(coverage.articles if timeline is None else timeline)
    if title is None:
        title = next((a.title for a in coverage.articles if a.title), "Coverage diff")
    return {
        "coverage": coverage,
        "v": v,
        "title": title,
        "ident": ident,
        "summary": summary_line(coverage),
        "conflicts": [_fact_view(v, f) for f in v.facts(Status.CONFLICT.value)],
        "shared": [_fact_view(v, f) for f in shared],
        "unique": unique,
        "unique_count": sum(len(fs) for _, _, fs in unique),
        "entities": prominent,
        "minor_entities": rest,
        "quotes": v.quotes_by_speaker(),
        "timeline": sorted(members, key=lambda i: (i.published is None, i.published, i.id)),
        "compared": tuple(a.id for a in coverage.articles) if compared is None else compared,
        "sources": {i.id: (i.source or i.id) for i in members},
        "matrix": matrix,
        "totals": [sum(row[2][k] for row in matrix) for k in range(len(coverage.articles))],
    }


def render_html(coverage: Coverage, *, title: str | None = None) -> str:
    """The coverage diff as one self-contained HTML5 page (``newsprism compare --format
    html``): inline CSS, no script, no external requests; links point inside the page."""
    return (
        _environment()
        .get_template("coverage.html")
        .render(
            **coverage_context(coverage, title=title),
            layout="document.html",
            standalone=True,
            css=Markup(coverage_css()),
            urls=InPageLinks(),
        )
    )
