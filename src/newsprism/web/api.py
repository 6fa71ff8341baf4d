"""The JSON API under ``/api/`` (see docs/web.md): the same data as the pages."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from newsprism.collection import Collection
from newsprism.collection.browse import StoryData
from newsprism.collection.ingest import hit_to_dict, info_to_dict
from newsprism.collection.stories import StoryInfo
from newsprism.errors import BadRequest, NewsprismError
from newsprism.model import Article
from newsprism.report import render_json
from newsprism.report.common import finite, iso_date
from newsprism.web.common import (
    error_page,
    filters,
    number,
    status_of_error,
    with_collection,
)

__all__ = ["article_to_dict", "routes", "story_to_dict"]


def _story_info(info: StoryInfo) -> dict[str, Any]:
    data = asdict(info)
    data["first_seen"] = iso_date(info.first_seen)
    data["last_seen"] = iso_date(info.last_seen)
    data["languages"] = list(info.languages)
    return data


def story_to_dict(data: StoryData) -> dict[str, Any]:
    """A story as ``/api/stories/{id}`` gives it."""
    return {
        "story": data.id,
        "requested": data.requested,
        "title": data.title,
        "articles": [info_to_dict(i) for i in data.members],
        "compared": list(data.compared),
        "events": list(data.history),
        "coverage": json.loads(render_json(data.coverage)),
    }


def article_to_dict(article: Article, story: str | None) -> dict[str, Any]:
    """An article with every annotation (offsets into ``text``) and its story."""
    data = asdict(article)
    data["published"] = iso_date(article.published)
    data["removed"] = list(article.removed)
    for q in data["quantities"]:
        q["low"], q["high"] = finite(q["low"]), finite(q["high"])
    for d in data["dates"]:
        d["value"] = iso_date(d["value"])
    data["story"] = story
    return data


def _json(data: Any) -> JSONResponse:
    return JSONResponse(data)


async def api_stories(request: Request) -> Response:
    params = request.query_params
    try:
        wanted = filters(params)
        limit = number(params, "limit", 0, 100_000) if params.get("limit") else None
        least = number(params, "min_articles", 1, 100_000)
    except NewsprismError as err:
        return error_page(request, 400, err)

    def work(collection: Collection) -> list[dict[str, Any]]:
        found = collection.stories(wanted, min_articles=least, limit=limit)
        return [_story_info(s) for s in found]

    return _json({"stories": await with_collection(request, work)})


async def api_story(request: Request) -> Response:
    ident = request.path_params["story_id"]
    try:
        data = await with_collection(request, lambda collection: collection.story(ident))
    except NewsprismError as err:
        return error_page(request, status_of_error(err), err)
    if data.id != ident:
        return RedirectResponse(f"/api/stories/{quote(data.id, safe='')}", status_code=308)
    return _json(story_to_dict(data))


async def api_article(request: Request) -> Response:
    ident = request.path_params["article_id"]
    try:
        data = await with_collection(request, lambda collection: collection.article(ident))
    except NewsprismError as err:
        return error_page(request, status_of_error(err), err)
    return _json(article_to_dict(data.article, data.story))


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
    hits = [{**hit_to_dict(h.hit), "story": h.story} for h in found]
    return _json({"query": q, "hits": hits})


def routes() -> list[BaseRoute]:
    return [
        Route("/api/stories", api_stories, methods=["GET", "HEAD"]),
        Route("/api/stories/{story_id}", api_story, methods=["GET", "HEAD"]),
        Route("/api/articles/{article_id}", api_article, methods=["GET", "HEAD"]),
        Route("/api/search", api_search, methods=["GET", "HEAD"]),
    ]
