"""The ASGI app of ``newsprism serve``: routes, security headers, token and errors.

Every response carries a strict Content-Security-Policy, ``nosniff`` and
``no-referrer``. With a token, every request must carry it (``Authorization: Bearer``
or the ``newsprism_token`` cookie; ``?token=`` once sets the cookie and redirects).
Without a token only loopback host names are served, so another site cannot reach
the collection by pointing a name of its own at 127.0.0.1. Errors have one shape:
``{"error": {"status", "message", "hint"}}`` (an HTML page for browsers).
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Sequence
from http import HTTPStatus
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsprism.collection import Collection
from newsprism.collection.browse import CoverageCache
from newsprism.web import api, views
from newsprism.web.common import error_response

__all__ = ["CSP", "LOOPBACK_HOSTS", "create_app", "error_response"]

CSP = (
    "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = (
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
COOKIE = "newsprism_token"
# A Host header: a name or an [IPv6] address, then an optional port, and nothing else
_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::[0-9]{1,5})?")
log = logging.getLogger("newsprism.web")


class _Guard:
    """Security headers on every response; token and host checks; 500s as errors."""

    def __init__(self, app: ASGIApp, token: str | None, hosts: Sequence[str] | None) -> None:
        self.app = app
        self.token = token
        self.hosts = {h.lower().strip("[]") for h in hosts} if hosts is not None else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_secure(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        refused = self._refuse(scope)
        if refused is not None:
            await refused(scope, receive, send_secure)
            return
        try:
            await self.app(scope, receive, send_secure)
        except Exception:
            log.exception("error serving %s", scope.get("path"))
            if started:
                raise
            page = error_response(scope, 500, "internal server error")
            await page(scope, receive, send_secure)

    def _refuse(self, scope: Scope) -> Response | None:
        headers = {k.lower(): v for k, v in scope.get("headers") or []}
        if self.hosts is not None:
            host = headers.get(b"host", b"").decode("latin-1").lower()
            match = _HOST.fullmatch(host)
            if match is None or match.group(1).strip("[]") not in self.hosts:
                return error_response(scope, 400, f"host {host!r} is not served",
                                      "open the server as http://127.0.0.1:PORT/, or start "
                                      "it with --token to serve other host names")  # fmt: skip
        if self.token is None:
            return None
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        given = query.get("token")
        if given is not None and hmac.compare_digest(given.encode(), self.token.encode()):
            rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
            # one leading slash: "//evil.example/" would be a link to another site
            path = "/" + str(scope.get("path", "/")).lstrip("/\\")
            target = path + (f"?{rest}" if rest else "")
            redirect = RedirectResponse(target, status_code=303)
            redirect.set_cookie(COOKIE, self.token, httponly=True, samesite="strict", path="/")
            return redirect
        auth = headers.get(b"authorization", b"").decode("latin-1")
        bearer = auth[7:].strip() if auth[:7].lower() == "bearer " else ""
        cookies = Request(scope).cookies
        for candidate in (bearer, cookies.get(COOKIE, "")):
            if candidate and hmac.compare_digest(candidate.encode(), self.token.encode()):
                return None
        return error_response(scope, 401, "a token is required")


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = exc.detail if exc.detail else HTTPStatus(exc.status_code).phrase
    return error_response(request.scope, exc.status_code, str(message).lower())


def create_app(
    db: Path, token: str | None = None, *, hosts: Sequence[str] | None = None
) -> Starlette:
    """The web app over the collection ``db`` (which must exist).

    ``token``: required on every request when set. ``hosts``: the host names served;
    default: only loopback names without a token, any name with one.
    """
    Collection(db, create=False).close()  # fail early on a missing or foreign file
    allowed = hosts if hosts is not None else (None if token else LOOPBACK_HOSTS)
    static = StaticFiles(packages=[("newsprism.web", "static"), ("newsprism.report", "static")])
    routes = [*views.routes(), *api.routes(), Mount("/static", app=static, name="static")]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.state.db = Path(db)
    app.state.cache = CoverageCache()
    app.state.token = token
    app.add_middleware(_Guard, token=token, hosts=allowed)
    return app
