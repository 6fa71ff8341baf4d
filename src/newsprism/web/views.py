"""HTML pages: the stories (with search and filters), a story, an article."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from newsprism.errors import NewsprismError
from newsprism.report.common import view
from newsprism.store import ArticleInfo, Store
from newsprism.web.common import cache, error_page, filters, status_of_error, with_store
from newsprism.web.data import article_data, choices, search_hits, stories, story_data
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

    def work(store: Store) -> dict[str, Any]:
        languages, sources = choices(store)
        hits: list[tuple[_Hit, str | None]] = []
        problem = ""
        if q:
            try:
                found = search_hits(store, q, wanted, marks=_MARKS)
                hits = [(_Hit(h.article, _snippet(h.snippet)), s) for h, s in found]
            except NewsprismError as err:
                problem = f"{err.message} ({err.hint})" if err.hint else err.message
        return {
            "stories": stories(store, wanted),
            "languages": languages,
            "sources": sources,
            "hits": hits,
            "search_error": problem,
        }

    context = await with_store(request, work)
    filtered = wanted.language or wanted.on_articles
    return _page("stories.html", q=q, filters=wanted, filtered=filtered, **context)


async def story_page(request: Request) -> Response:
    ident = request.path_params["story_id"]
    try:
        data = await with_store(request, lambda store: story_data(store, ident, cache(request)))
    except NewsprismError as err:
        return error_page(request, status_of_error(err), err)
    if data.id != ident:
        return RedirectResponse(f"/story/{quote(data.id, safe='')}", status_code=308)
    return _page("story.html", layout="base.html", urls=Urls(), **story_context(data))


async def article_page(request: Request) -> Response:
    ident = request.path_params["article_id"]
    try:
        data = await with_store(request, lambda store: article_data(store, ident, cache(request)))
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
