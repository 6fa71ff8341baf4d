"""The JSON API under ``/api/`` (see docs/web.md): the same data as the pages, written by
:func:`newsprism.serialize.to_data` (the shapes below say where a response differs from
the plain form of what the collection returns)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from newsprism.collection import Collection
from newsprism.collection.browse import ArticleData, StoryData, StoryHit
from newsprism.collection.stories import StoryInfo
from newsprism.errors import BadRequest, NewsprismError
from newsprism.model import Coverage
from newsprism.report import coverage_to_dict
from newsprism.serialize import Shape, to_data
from newsprism.store import SearchHit
from newsprism.web.common import (
    error_page,
    filters,
    number,
    status_of_error,
    with_collection,
)

__all__ = ["routes"]

_SHAPES = (
    # /api/stories/{id}: the story's id, the id asked for, title, articles, compared ids,
    # events, and the coverage diff as the JSON report.
    Shape(StoryData, rename={"id": "story", "members": "articles", "history": "events"}),
    Shape(Coverage, convert=coverage_to_dict),
    # /api/articles/{id}: the article with every annotation, then its story.
    Shape(ArticleData, inline=("article",), drop=("info", "coverage")),
    # /api/search: each hit is the article's metadata, snippet, score and story.
    Shape(StoryHit, inline=("hit",)),
    Shape(SearchHit, inline=("article",)),
)


def _json(data: Any) -> JSONResponse:
    return JSONResponse(to_data(data, shapes=_SHAPES))


async def api_stories(request: Request) -> Response:
    params = request.query_params
    try:
        wanted = filters(params)
        limit = number(params, "limit", 0, 100_000) if params.get("limit") else None
        least = number(params, "min_articles", 1, 100_000)
    except NewsprismError as err:
        return error_page(request, 400, err)

    def work(collection: Collection) -> list[StoryInfo]:
        return collection.stories(wanted, min_articles=least, limit=limit)

    return _json({"stories": await with_collection(request, work)})


async def api_story(request: Request) -> Response:
    ident = request.path_params["story_id"]
    try:
        data = await with_collection(request, lambda collection: collection.story(ident))
    except NewsprismError as err:
        return error_page(request, status_of_error(err), err)
    if data.id != ident:
        return RedirectResponse(f"/api/stories/{quote(data.id, safe='')}", status_code=308)
    return _json(data)


async def api_article(request: Request) -> Response:
    ident = request.path_params["article_id"]
    try:
        data = await with_collection(request, lambda collection: collection.article(ident))
    except NewsprismError as err:
        return error_page(request, status_of_error(err), err)
    return _json(data)


async def api_search(request: Request) -> Response:
    params = request.query_params
    q = params.get("q", "").strip()
    try:
        if not q:
            raise BadRequest("missing query: give ?q=WORDS", "for example /api/search?q=fire")
        wanted = filters(params)
        limit = number(params, "limit", 20, 200)
        found = await with_collection(
            request,
            lambda collection: collection.search_stories(q, wanted, limit=limit, marks=("[", "]")),
        )
    except NewsprismError as err:
        return error_page(request, status_of_error(err), err)
    return _json({"query": q, "hits": found})


def routes() -> list[BaseRoute]:
    return [
        Route("/api/stories", api_stories, methods=["GET", "HEAD"]),
        Route("/api/stories/{story_id}", api_story, methods=["GET", "HEAD"]),
        Route("/api/articles/{article_id}", api_article, methods=["GET", "HEAD"]),
        Route("/api/search", api_search, methods=["GET", "HEAD"]),
    ]
