"""HTML pages: the stories (with search and filters), a story, an article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from newsprism.collection import Collection
from newsprism.collection.browse import Overview
from newsprism.errors import NewsprismError
from newsprism.report.common import view
from newsprism.store import ArticleInfo
from newsprism.web.common import error_page, filters, status_of_error, with_collection
from newsprism.web.render import Urls, environment, highlight_article, story_context

__all__ = ["routes"]

_MARKS = ("\ue000", "\ue001")


@dataclass(frozen=True)
class _Hit:
    article: ArticleInfo
    html: Markup


def _snippet(text: str) -> Markup:
    """The search snippet escaped, with its matched words in ``<mark>``."""
    out = escape(text)
    return Markup(str(out).replace(_MARKS[0], "<mark>").replace(_MARKS[1], "</mark>"))


def _page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    html = environment().get_template(name).render(standalone=False, **context)
    return HTMLResponse(html, status_code=status)


async def stories_page(request: Request) -> Response:
    params = request.query_params
    try:
        wanted = filters(params)
    except NewsprismError as err:
        return error_page(request, 400, err)
    q = params.get("q", "").strip()

    def work(collection: Collection) -> Overview:
        return collection.overview(wanted, q, marks=_MARKS)

    found = await with_collection(request, work)
    problem = ""
    if found.search_error is not None:
        message, hint = found.search_error.message, found.search_error.hint
        problem = f"{message} ({hint})" if hint else message
    filtered = wanted.language or wanted.on_articles
    return _page(
        "stories.html",
        q=q,
        filters=wanted,
        filtered=filtered,
        stories=list(found.stories),
        languages=list(found.choices.languages),
        sources=list(found.choices.sources),
        hits=[(_Hit(h.hit.article, _snippet(h.hit.snippet)), h.story) for h in found.hits],
        search_error=problem,
    )


async def story_page(request: Request) -> Response:
    ident = request.path_params["story_id"]
    try:
        data = await with_collection(request, lambda collection: collection.story(ident))
    except NewsprismError as err:
        return error_page(request, status_of_error(err), err)
    if data.id != ident:
        return RedirectResponse(f"/story/{quote(data.id, safe='')}", status_code=308)
    return _page("story.html", layout="base.html", urls=Urls(), **story_context(data))


async def article_page(request: Request) -> Response:
    ident = request.path_params["article_id"]
    try:
        data = await with_collection(
            request, lambda collection: collection.article(ident, coverage=True)
        )
    except NewsprismError as err:
        return error_page(request, status_of_error(err), err)
    v = view(data.coverage) if data.coverage is not None else None
    story = data.story
    urls = Urls()

    def fact_url(fact: str) -> str:
        return urls.story(story or "", fact)

    body = highlight_article(data.article, v, fact_url if story and v else None)
    return _page("article.html", article=data.article, story=story, body=body, linked=v is not None)


def routes() -> list[BaseRoute]:
    return [
        Route("/", stories_page, methods=["GET", "HEAD"]),
        Route("/story/{story_id}", story_page, methods=["GET", "HEAD"]),
        Route("/article/{article_id}", article_page, methods=["GET", "HEAD"]),
    ]
