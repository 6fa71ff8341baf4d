"""Safe HTTP downloads for ``newsprism fetch``: address checks, pinning, limits.

``download(client, url, options)`` fetches one URL with a client made by
:func:`make_client`. What it guarantees:

* **Addresses.** Every connection goes through :class:`GuardedBackend`, which resolves
  the host with ``socket.getaddrinfo``, refuses the connection if *any* resolved address
  is loopback, private, link-local, multicast, unspecified, reserved or otherwise not
  globally routable (IPv4 and IPv6; IPv4 addresses embedded in IPv6 — mapped
  ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``, 6to4, Teredo — are checked as IPv4), and
  then connects to one of the addresses it checked, never resolving the name again.
  So there is no window for DNS rebinding between check and connect, and the check
  holds on every redirect hop (each hop opens its connection through the backend).
  For ``https`` the TLS handshake still uses the URL's host name for SNI and
  certificate verification. ``HttpOptions.allow_private`` turns the check off.
* **Limits.** Connect, read and write timeouts, a total time per download, a size cap
  on the body read as a stream: on the bytes received and on what every
  ``Content-Encoding`` layer (``gzip``, ``deflate``, several of them) decodes to, checked
  as each piece is inflated (:func:`~newsprism.read.decompress.decode_content`), so a
  compression bomb stops at the cap; at most ``max_redirects`` redirects (followed
  here, one by one), only ``http``/``https`` URLs, only text-like content types.
* **Identity.** A clear ``User-Agent`` (:data:`USER_AGENT`); no proxies or other
  settings from the environment (a proxy would connect to an unchecked address).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.message import Message
from typing import Any

import httpcore
import httpx

from newsprism.errors import (
    BlockedAddress,
    FetchError,
    FileTooLarge,
    MalformedDocument,
    ResponseTooLarge,
    UnsupportedFormat,
)
from newsprism.read.decompress import content_codings, decode_content
from newsprism.version import __version__

__all__ = [
    "CONTENT_TYPES",
    "USER_AGENT",
    "Download",
    "GuardedBackend",
    "HttpOptions",
    "blocked_reason",
    "download",
    "make_client",
    "resolve_checked",
]

USER_AGENT = f"newsprism/{__version__} (news coverage comparison; python-httpx)"

#: Content types accepted (anything else is refused before its body is read).
CONTENT_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
        "application/json",
        "application/feed+json",
        "text/plain",
    }
)


@dataclass(frozen=True)
class HttpOptions:
    """Options of ``download``.

    ``allow_private``: also fetch loopback/private/link-local… addresses (False).
    ``connect_timeout`` / ``read_timeout``: seconds for a connection and for each read
    (10, 20). ``total_timeout``: seconds for a whole download, redirects included (60).
    ``max_bytes``: larger bodies are refused with :class:`ResponseTooLarge` (10 MB).
    ``max_redirects``: redirects followed (5). ``user_agent``: the header sent.
    ``allowed_networks``: networks fetched even though not public, in CIDR notation
    (``("10.1.2.0/24",)`` for an intranet; empty by default).
    ``ca_file``: certificate authorities to trust for https (``None``: the usual ones).
    """

    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    total_timeout: float = 60.0
    max_bytes: int = 10_000_000
    max_redirects: int = 5
    user_agent: str = USER_AGENT
    ca_file: str | None = None


@dataclass(frozen=True)
class Download:
    """A downloaded body: the final ``url`` (after redirects), its ``content_type``
    (lower case, without parameters; ``""`` when missing), declared ``charset`` and
    the ``redirects`` followed (the URLs that redirected, in order)."""

    url: str
    content_type: str
    charset: str | None
    body: bytes
    redirects: tuple[str, ...] = ()


# --- addresses --------------------------------------------------------------------------

_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_IP = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_v4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]  # the client's address
    return None


def _kind(ip: _IP) -> str | None:
    for name, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
    ):
        if flag:
            return name
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if not ip.is_global:
        return "non-public"
    return None


def blocked_reason(address: str) -> str | None:
    """Why the IP address ``address`` may not be fetched, or ``None`` when it is public.

    ``"127.0.0.1 is a loopback address"``; an IPv4 address embedded in IPv6 is judged
    as IPv4 (``"::ffff:10.0.0.1 is a private address (10.0.0.1)"``). Not an IP address
    at all: ``"… is not an IP address"``.
    """
    text = address.split("%", 1)[0]  # an IPv6 scope (fe80::1%eth0)
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return f"{address} is not an IP address"
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_v4(ip)
        inner_kind = _kind(inner) if inner is not None else None
        if inner_kind is not None:
            return f"{address} is {_article(inner_kind)} {inner_kind} address ({inner})"
    kind = _kind(ip)
    if kind is None:
        return None
    return f"{address} is {_article(kind)} {kind} address"


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _networks(cidrs: Iterable[str]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    try:
        return tuple(ipaddress.ip_network(c, strict=False) for c in cidrs)
    except ValueError as err:
        raise FetchError(f"not a network: {err}", "write networks like 10.1.2.0/24") from err


def _allowed(
    address: str, networks: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network]
) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    return any(ip.version == n.version and ip in n for n in networks)


def resolve_checked(
    host: str, port: int, allow_private: bool = False, allowed_networks: Iterable[str] = ()
) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` results for ``host:port`` (TCP), all checked.

    Raises :class:`BlockedAddress` when any address is not public (unless
    ``allow_private``, or it lies in one of ``allowed_networks``): a name that resolves
    to one public and one private address is refused as a whole. Raises
    :class:`FetchError` when the name does not resolve.
    """
    networks = _networks(allowed_networks)
    name = host.strip("[]")
    try:
        infos = socket.getaddrinfo(name, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as err:
        raise FetchError(f"{host}: cannot resolve the host name: {err}") from err
    if not infos:
        raise FetchError(f"{host}: the host name has no address")
    if not allow_private:
        for info in infos:
            reason = blocked_reason(str(info[4][0]))
            if reason is not None and not _allowed(str(info[4][0]), networks):
                shown = f"{host} resolves to {info[4][0]}, which" if host != info[4][0] else ""
                message = f"{shown} {reason.split(' ', 1)[1]}" if shown else reason
                raise BlockedAddress(f"refused: {message}")
    return [tuple(info) for info in infos]


class GuardedBackend(httpcore.SyncBackend):
    """A network backend that resolves, checks and connects to the checked address."""

    def __init__(self, allow_private: bool = False, allowed_networks: Iterable[str] = ()) -> None:
        self.allow_private = allow_private
        self.allowed_networks = tuple(allowed_networks)

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.NetworkStream:
        infos = resolve_checked(host, port, self.allow_private, self.allowed_networks)
        error: Exception | None = None
        seen: set[str] = set()
        for info in infos:
            address = str(info[4][0])
            if address in seen:
                continue
            seen.add(address)
            try:  # a literal address: create_connection does no DNS lookup for it
                return super().connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as err:
                error = err
        assert error is not None
        raise error


def make_client(options: HttpOptions | None = None) -> httpx.Client:
    """An ``httpx.Client`` whose connections go through :class:`GuardedBackend`.

    Redirects are not followed by the client (``download`` follows them); the
    environment's proxy and certificate settings are ignored.
    """
    opts = options or HttpOptions()
    transport = httpx.HTTPTransport(trust_env=False)
    # The transport's pool, rebuilt with the guarded backend (httpx has no public
    # argument for a network backend; the pool is what HTTPTransport wraps).
    if opts.ca_file is not None:
        context = ssl.create_default_context(cafile=opts.ca_file)
    else:
        context = httpx.create_ssl_context(trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=context,
        network_backend=GuardedBackend(opts.allow_private, opts.allowed_networks),
    )
    timeout = httpx.Timeout(
        opts.read_timeout, connect=opts.connect_timeout, pool=opts.connect_timeout
    )
    headers = {
        "User-Agent": opts.user_agent,
        "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
        "application/xml;q=0.9,application/json;q=0.8,text/plain;q=0.7",
        "Accept-Encoding": "gzip, deflate",
    }
    return httpx.Client(
        transport=transport,
        timeout=timeout,
        headers=headers,
        follow_redirects=False,
        trust_env=False,
    )


# --- downloads --------------------------------------------------------------------------


def _check_url(target: httpx.URL, url: str) -> None:
    if target.scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http and https URLs are fetched", "give an http(s) URL")
    if not target.host:
        raise FetchError(f"{url}: the URL has no host", "give an absolute http(s) URL")


def _content_type(response: httpx.Response) -> tuple[str, str | None]:
    raw = response.headers.get("content-type", "")
    if not raw:
        return "", None
    message = Message()
    message["content-type"] = raw
    charset = message.get_param("charset")
    return message.get_content_type().lower(), charset if isinstance(charset, str) else None


def _raw(
    response: httpx.Response, url: str, options: HttpOptions, deadline: float
) -> Iterator[bytes]:
    """The body as it arrives (still in its content codings), at most ``max_bytes``."""
    limit, size = options.max_bytes, 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > limit:
            raise ResponseTooLarge(
                f"{url}: too large (more than {limit / 1e6:.1f} MB; stopped reading)"
            )
        yield chunk
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: timed out (more than {options.total_timeout:g} s)")


def _body(response: httpx.Response, url: str, options: HttpOptions, deadline: float) -> bytes:
    """The decoded body: every ``Content-Encoding`` layer undone as the bytes arrive,
    each layer capped at ``max_bytes`` (so a compression bomb stops early)."""
    limit = options.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise ResponseTooLarge(
            f"{url}: too large ({int(declared) / 1e6:.1f} MB declared; the limit is "
            f"{limit / 1e6:.1f} MB)"
        )
    codings = content_codings(", ".join(response.headers.get_list("content-encoding")))
    try:
        return b"".join(decode_content(_raw(response, url, options, deadline), codings, limit))
    except FileTooLarge as err:
        raise ResponseTooLarge(f"{url}: too large ({err.message}; stopped reading)") from err
    except UnsupportedFormat as err:
        raise FetchError(f"{url}: {err.message}", "fetch pages sent with gzip or deflate") from err
    except MalformedDocument as err:
        raise FetchError(f"{url}: cannot decode the body: {err.message}") from err


def _one(
    client: httpx.Client, target: httpx.URL, url: str, options: HttpOptions, deadline: float
) -> tuple[httpx.URL | None, Download | None]:
    """One request for ``target`` (named ``url`` in messages): ``(next URL, None)`` for a
    redirect, ``(None, download)`` otherwise."""
    with client.stream("GET", target) as response:
        if response.is_redirect:
            location = response.headers.get("location", "")
            if not location:
                raise FetchError(f"{url}: HTTP {response.status_code} redirect without a target")
            return target.join(location), None
        if response.status_code >= 400:
            phrase = response.reason_phrase or "error"
            raise FetchError(
                f"{url}: HTTP {response.status_code} {phrase}",
                "the server refused or lacks the page; check the URL",
            )
        if response.status_code != 200:
            raise FetchError(f"{url}: unexpected HTTP status {response.status_code}")
        kind, charset = _content_type(response)
        if kind and kind not in CONTENT_TYPES and not kind.endswith(("+xml", "+json")):
            raise FetchError(
                f"{url}: unsupported content type {kind!r}",
                "fetch HTML pages, RSS/Atom feeds, JSON or plain text",
            )
        body = _body(response, url, options, deadline)
        return None, Download(str(target), kind, charset, body)


def download(client: httpx.Client, url: str, options: HttpOptions | None = None) -> Download:
    """Fetch ``url`` (following up to ``max_redirects`` redirects) within the limits.

    Raises :class:`BlockedAddress`, :class:`ResponseTooLarge` or :class:`FetchError`
    (network errors, timeouts, HTTP errors, too many redirects, bad content type), each
    with a message that starts with the URL concerned (``url`` as given, or the
    redirect target that failed).
    """
    opts = options or HttpOptions()
    deadline = time.monotonic() + opts.total_timeout
    try:
        current = httpx.URL(url.strip())
    except httpx.InvalidURL as err:
        raise FetchError(f"{url}: not a valid URL: {err}", "give an absolute http(s) URL") from err
    hops: list[str] = []
    while True:
        label = str(current) if hops else url.strip()
        _check_url(current, label)
        if time.monotonic() > deadline:
            raise FetchError(f"{url}: timed out (more than {opts.total_timeout:g} s)")
        try:
            target, done = _one(client, current, label, opts, deadline)
        except FetchError as err:
            if err.message.startswith(label):
                raise
            raise type(err)(f"{label}: {err.message}", err.hint) from err
        except httpx.TimeoutException as err:
            raise FetchError(f"{label}: timed out ({type(err).__name__})") from err
        except httpx.HTTPError as err:
            raise FetchError(f"{label}: {type(err).__name__}: {err}") from err
        if done is not None:
            return Download(done.url, done.content_type, done.charset, done.body, tuple(hops))
        assert target is not None
        hops.append(str(current))
        if len(hops) > opts.max_redirects:
            raise FetchError(
                f"{url}: too many redirects (more than {opts.max_redirects})",
                "the site redirects in a loop or too often",
            )
        current = target
