"""Request helpers shared by the HTML views and the JSON API, and the error shape.

Errors have one shape: ``{"error": {"status", "message", "hint"}}``, or an HTML page
with the same three parts for a browser (a request that accepts ``text/html`` outside
``/api``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from http import HTTPStatus
from pathlib import Path
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import Scope

from newsprism.collection import Collection
from newsprism.collection.browse import CoverageCache, Filters
from newsprism.errors import BadRequest, NewsprismError, NotFound, StoryNotFound
from newsprism.web.render import environment

__all__ = [
    "error_page",
    "error_response",
    "filters",
    "status_of_error",
    "with_collection",
]

T = TypeVar("T")


def _day(params: Mapping[str, str], name: str) -> date | None:
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"{name}={value!r} is not a date like 2024-03-31") from None


def filters(params: Mapping[str, str]) -> Filters:
    """Language, source and date filters from query parameters (empty = no filter)."""
    language = params.get("language", "").strip() or None
    source = params.get("source", "").strip() or None
    return Filters(language, source, _day(params, "since"), _day(params, "until"))


def number(params: Mapping[str, str], name: str, default: int, top: int) -> int:
    value = params.get(name, "").strip()
    if not value:
        return default
    # ASCII digits only (int() also takes other scripts' digits), and no more of them
    # than ``top`` has (int() refuses over 4,300 digits)
    digits = value.isascii() and value.isdigit() and len(value.lstrip("0")) <= len(str(top))
    if not digits or not 1 <= int(value) <= top:
        shown = value if len(value) <= 40 else f"{value[:40]}…"
        raise BadRequest(f"{name}={shown!r} is not a number from 1 to {top}")
    return int(value)


def _coverages(request: Request) -> CoverageCache:
    found: CoverageCache = request.app.state.cache
    return found


async def with_collection(request: Request, work: Callable[[Collection], T]) -> T:
    """``work(collection)`` on a fresh connection to the app's collection, off the event
    loop (SQLite connections stay in the thread that opened them); every connection
    shares the app's cache of coverage diffs."""
    db: Path = request.app.state.db

    def run() -> T:
        with Collection(db, create=False, coverages=_coverages(request)) as collection:
            return work(collection)

    return await run_in_threadpool(run)


def status_of_error(err: NewsprismError) -> int:
    """404 for an unknown story or article, 400 for anything else the client asked."""
    return 404 if isinstance(err, StoryNotFound | NotFound) else 400


_HINTS = {
    401: "open the URL printed by `newsprism serve` (it carries ?token=…), or send "
    "`Authorization: Bearer TOKEN`",
    404: "start from the stories page (/) or GET /api/stories",
    405: "see docs/web.md for the methods of each route",
    500: "the server log has the details; see docs/web.md",
}


def _wants_html(scope: Scope) -> bool:
    if str(scope.get("path", "")).startswith("/api"):
        return False
    headers = dict(scope.get("headers") or [])
    return b"text/html" in headers.get(b"accept", b"")


def error_response(scope: Scope, status: int, message: str, hint: str | None = None) -> Response:
    """The error as ``{"error": {…}}``, or as an HTML page for a browser."""
    hint = hint if hint is not None else _HINTS.get(status, "")
    if _wants_html(scope):
        page = environment().get_template("error.html").render(
            status=status, title=HTTPStatus(status).phrase, message=message, hint=hint,
            standalone=False,
        )  # fmt: skip
        return HTMLResponse(page, status_code=status)
    body = {"error": {"status": status, "message": message, "hint": hint}}
    return JSONResponse(body, status_code=status)


def error_page(request: Request, status: int, err: NewsprismError) -> Response:
    """``err`` (message and hint) as an error response with ``status``."""
    return error_response(request.scope, status, err.message, err.hint)
