"""Fetching pages and feeds: address checks, limits, feeds, and the ``fetch`` command.

A real HTTP server runs on 127.0.0.1 in a thread (real sockets, real httpx client);
fetching from it needs ``allow_private`` (or ``--allow-private``), which is itself tested:
without it the loopback server is refused.
"""

from __future__ import annotations

import gzip
import json
import shutil
import ssl
import struct
import subprocess
import threading
import time
import tracemalloc
import zlib
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import click
import pytest
from click.testing import CliRunner

from newsprism.cli.fetch import register
from newsprism.collection.fetch import (
    FeedItem,
    FetchOptions,
    article_id,
    date_from_url,
    fetch,
    parse_feed,
)
from newsprism.collection.http import (
    USER_AGENT,
    HttpOptions,
    blocked_reason,
    download,
    make_client,
    resolve_checked,
)
from newsprism.errors import BlockedAddress, FetchError, MalformedDocument, ResponseTooLarge
from newsprism.store import Store


def page(title: str, body: str, published: str = "2024-03-04") -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f"<!DOCTYPE html><html lang='en'><head><title>{title}</title>"
        f"<meta property='article:published_time' content='{published}'></head><body>"
        f"<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        f"<footer>Copyright 2024 Harbour Daily</footer></body></html>"
    ).encode()


STORM = page(
    "Storm closes the harbour",
    "More than 1,300 people were evacuated from the harbour district on Monday, the mayor"
    " said after a night of heavy rain and strong winds along the coast.\n"
    '"We are ready for the worst," Mayor Anna Berg told reporters at the town hall,'
    " adding that the emergency services had been placed on alert until Wednesday.\n"
    "The port authority said ferry services would stay suspended while the storm passed.",
)
FERRY = page(
    "Ferries resume after the storm",
    "Ferry services resumed on Tuesday after the storm passed, the port authority said in a"
    " statement, and the first boats left the harbour shortly after nine in the morning.\n"
    "About 40 crossings had been cancelled since Sunday, stranding hundreds of travellers.",
    "2024-03-05",
)
WALL = page(
    "Council approves a sea wall",
    "The council approved a new sea wall costing 12 million euros, officials said on Friday,"
    " after a debate that lasted more than four hours in the town hall.\n"
    "Construction is due to begin next spring and to last two years, the council said.",
    "2024-03-08",
)
FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Harbour Daily</title><link>/</link>
<item><title>Ferries resume</title><link>/news/2024/03/05/ferries.html</link>
<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate></item>
<item><title>Sea wall</title><link>/news/wall.html</link></item>
</channel></rss>"""
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<rss version="2.0"><channel><item><title>&lol9;</title><link>/x</link></item></channel></rss>"""

FEEDS = b"<rss><channel><item><link>/feed.xml</link></item></channel></rss>"
JSON_FEED = json.dumps(
    {"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "/news/wall.html"}]}
).encode()
HTML, RSS = "text/html; charset=utf-8", "application/rss+xml"


def gzip_of_zeros(mebibytes: int) -> bytes:
    """One gzip member of ``mebibytes`` MiB of zeros (about 1 KB per MiB), made at once:
    after a full flush the compressor writes the same bytes for every further MiB."""
    mib = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(mib) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mebibytes):
        crc = zlib.crc32(mib, crc)
    trailer = struct.pack("<II", crc, (mebibytes << 20) & 0xFFFFFFFF)
    return (
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + block * mebibytes + deflate.flush() + trailer
    )


BOMB_GZIP_TWICE = gzip.compress(gzip_of_zeros(1024), 9)  # 2.5 KB that decode to 1 GiB
RAW_DEFLATE = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
STORM_DEFLATED = RAW_DEFLATE.compress(STORM) + RAW_DEFLATE.flush()


class Handler(BaseHTTPRequestHandler):
    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}
    agents: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.agents.append(self.headers.get("User-Agent", ""))
        if self.path == "/endless":  # no Content-Length: the body ends when the server closes
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(400):
                self.wfile.write(b"<p>" + b"x" * 1021)
            return
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port = httpd.server_address[1]
    base = f"http://127.0.0.1:{port}"
    Handler.routes = {
        "/news/storm.html": (200, {"Content-Type": HTML}, STORM),
        "/news/2024/03/05/ferries.html": (200, {"Content-Type": HTML}, FERRY),
        "/news/wall.html": (200, {"Content-Type": HTML}, WALL),
        "/feed.xml": (200, {"Content-Type": RSS}, FEED),
        "/bomb.xml": (200, {"Content-Type": RSS}, BOMB),
        "/feeds.xml": (200, {"Content-Type": "text/xml"}, FEEDS),
        "/feed.json": (200, {"Content-Type": "application/feed+json"}, JSON_FEED),
        "/r1": (301, {"Location": "/r2"}, b""),
        "/r2": (302, {"Location": f"{base}/news/storm.html"}, b""),
        "/loop": (302, {"Location": "/loop"}, b""),
        "/elsewhere": (302, {"Location": f"http://127.0.0.2:{port}/news/storm.html"}, b""),
        "/declared-big": (200, {"Content-Type": HTML, "Content-Length": "999999999"}, b""),
        "/logo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n"),
        "/gzip.html": (200, {"Content-Type": HTML, **GZIP}, gzip.compress(STORM)),
        "/twice.html": (200, {"Content-Type": HTML, **TWICE}, gzip.compress(gzip.compress(STORM))),
        "/deflate.html": (200, {"Content-Type": HTML, **DEFLATE}, STORM_DEFLATED),
        "/brotli.html": (200, {"Content-Type": HTML, "Content-Encoding": "br"}, b"\x0b\x02"),
        "/bomb.html": (200, {"Content-Type": HTML, **TWICE}, BOMB_GZIP_TWICE),
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base
    httpd.shutdown()
    httpd.server_close()


LOCAL = HttpOptions(allow_private=True, connect_timeout=5, read_timeout=5, total_timeout=10)
GZIP, TWICE = {"Content-Encoding": "gzip"}, {"Content-Encoding": "gzip, gzip"}
DEFLATE = {"Content-Encoding": "deflate"}


# --- addresses --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.9.9.9", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.5.4", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),
        ("fe80::1%eth0", "link-local"),
        ("224.0.0.1", "multicast"),
        ("ff0e::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("100.64.0.1", "non-public"),
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("2002:a00:1::", "private"),  # 6to4 of 10.0.0.1
        ("64:ff9b::a9fe:a9fe", "link-local"),  # NAT64 of 169.254.169.254
    ],
)
def test_non_public_addresses_are_refused(address: str, kind: str) -> None:
    reason = blocked_reason(address)
    assert reason is not None and kind in reason and address in reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(address) is None


def test_names_are_checked_after_resolution() -> None:
    with pytest.raises(BlockedAddress, match=r"localhost resolves to .*loopback"):
        resolve_checked("localhost", 80)
    assert resolve_checked("localhost", 80, allow_private=True)
    assert resolve_checked("127.0.0.1", 80, allowed_networks=["127.0.0.0/8"])
    with pytest.raises(BlockedAddress):
        resolve_checked("127.0.0.1", 80, allowed_networks=["10.0.0.0/8"])


def test_loopback_server_is_refused_without_allow_private(server: str) -> None:
    Handler.agents.clear()
    with make_client() as client, pytest.raises(BlockedAddress) as caught:
        download(client, f"{server}/news/storm.html")
    assert Handler.agents == []  # refused before connecting
    assert "127.0.0.1 is a loopback address" in caught.value.message
    assert "--allow-private" in caught.value.hint


def test_every_redirect_hop_is_checked(server: str) -> None:
    only_first = HttpOptions(allowed_networks=("127.0.0.1/32",))
    with make_client(only_first) as client:
        assert b"harbour" in download(client, f"{server}/news/storm.html", only_first).body
        with pytest.raises(BlockedAddress, match=r"127\.0\.0\.2 is a loopback"):
            download(client, f"{server}/elsewhere", only_first)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """An https server on 127.0.0.1 whose certificate names only ``localhost``."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1], str(cert)
    httpd.shutdown()
    httpd.server_close()


def test_https_keeps_the_host_name_for_tls(server: str, tls_server: tuple[int, str]) -> None:
    """The connection goes to the checked address, but SNI and certificate checks use
    the URL's host name: ``localhost`` verifies, the bare IP (not in the certificate)
    does not."""
    port, ca_file = tls_server
    options = HttpOptions(allow_private=True, ca_file=ca_file, read_timeout=5)
    with make_client(options) as client:
        got = download(client, f"https://localhost:{port}/news/storm.html", options)
        assert got.body == STORM
        with pytest.raises(FetchError, match="ConnectError"):
            download(client, f"https://127.0.0.1:{port}/news/storm.html", options)
    with make_client() as client, pytest.raises(BlockedAddress):
        download(client, f"https://localhost:{port}/news/storm.html")


# --- downloads --------------------------------------------------------------------------


def test_download_follows_redirects_and_sends_user_agent(server: str) -> None:
    Handler.agents.clear()
    with make_client(LOCAL) as client:
        got = download(client, f"{server}/r1", LOCAL)
    assert got.url == f"{server}/news/storm.html"
    assert got.redirects == (f"{server}/r1", f"{server}/r2")
    assert got.content_type == "text/html" and got.charset == "utf-8"
    assert got.body == STORM
    assert Handler.agents == [USER_AGENT] * 3 and USER_AGENT.startswith("newsprism/")


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/loop", FetchError, "too many redirects"),
        ("/endless", ResponseTooLarge, "too large"),
        ("/declared-big", ResponseTooLarge, "declared"),
        ("/logo.png", FetchError, "unsupported content type 'image/png'"),
        ("/missing", FetchError, "HTTP 404"),
    ],
)
def test_download_limits(server: str, path: str, error: type[Exception], message: str) -> None:
    options = HttpOptions(allow_private=True, max_bytes=100_000, read_timeout=5)
    with make_client(options) as client, pytest.raises(error, match=message):
        download(client, server + path, options)


@pytest.mark.parametrize("path", ["/gzip.html", "/twice.html", "/deflate.html"])
def test_content_encodings_are_decoded(server: str, path: str) -> None:
    with make_client(LOCAL) as client:
        assert download(client, server + path, LOCAL).body == STORM


def test_unsupported_content_encoding_is_refused(server: str) -> None:
    with make_client(LOCAL) as client, pytest.raises(FetchError, match="content encoding 'br'"):
        download(client, f"{server}/brotli.html", LOCAL)


def test_compression_bomb_stops_at_the_cap_in_bounded_memory(server: str) -> None:
    # 2.5 KB sent as "Content-Encoding: gzip, gzip" decode to 1 GiB: every layer is
    # inflated piece by piece and capped, so the 10 MB cap stops it with little memory
    assert len(BOMB_GZIP_TWICE) < 3000
    tracemalloc.start()
    try:
        with make_client(LOCAL) as client, pytest.raises(ResponseTooLarge, match=r"10\.0 MB"):
            download(client, f"{server}/bomb.html", LOCAL)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 100_000_000, f"{peak / 1e6:.0f} MB"


def test_non_http_urls_are_refused() -> None:
    with make_client() as client:
        for url in ("file:///etc/passwd", "ftp://example.org/x", "not a url"):
            with pytest.raises(FetchError, match="http"):
                download(client, url)


# --- feeds and URLs ---------------------------------------------------------------------


def test_parse_rss_and_atom() -> None:
    items = parse_feed(FEED.decode(), "http://news.example/feed.xml")
    assert [i.url for i in items] == [
        "http://news.example/news/2024/03/05/ferries.html",
        "http://news.example/news/wall.html",
    ]
    assert items[0].title == "Ferries resume" and items[0].published == date(2024, 3, 5)
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A</title>'
        '<link rel="self" href="/self"/><link href="https://b.example/a"/>'
        "<updated>2024-02-01T08:00:00Z</updated></entry>"
        '<entry><link rel="alternate" href="https://b.example/b"/></entry>'
        '<entry><link rel="alternate" href="https://b.example/b"/></entry></feed>'
    )
    items = parse_feed(atom, "https://b.example/feed", max_items=5)
    assert [i.url for i in items] == ["https://b.example/a", "https://b.example/b"]
    assert items[0].published == date(2024, 2, 1)
    assert len(parse_feed(atom, "https://b.example/feed", max_items=1)) == 1


def test_feed_links_come_from_the_parser_of_feed_files() -> None:
    """The parser of ``.rss`` files: RSS 1.0, HTML entities, permalink guids, root check."""
    rdf = (
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        "<channel><title>C</title></channel><item><title>Caf&eacute;&nbsp;news</title>"
        "<link>/a</link><dc:date>2024-03-05</dc:date></item></rdf:RDF>"
    )
    assert parse_feed(rdf, "https://c.example/feed.rdf") == [
        FeedItem("https://c.example/a", "Café news", date(2024, 3, 5))
    ]
    guids = (
        '<rss version="2.0"><channel><item><guid>https://c.example/g</guid></item>'
        '<item><guid isPermaLink="false">https://c.example/no</guid></item></channel></rss>'
    )
    assert [i.url for i in parse_feed(guids, "https://c.example/")] == ["https://c.example/g"]
    with pytest.raises(
        MalformedDocument, match=r"not an RSS or Atom feed \(the root element is <html>"
    ):
        parse_feed("<html><body>x</body></html>", "https://c.example/")


def test_entity_expansion_is_refused_quickly() -> None:
    started = time.perf_counter()
    with pytest.raises(MalformedDocument, match="DOCTYPE"):
        parse_feed(BOMB.decode(), "http://x.example/bomb.xml")
    assert time.perf_counter() - started < 0.5
    with pytest.raises(MalformedDocument, match="invalid XML at line 1"):
        parse_feed("<rss><channel><item>", "http://x.example/broken.xml")


def test_ids_and_dates_from_urls() -> None:
    assert article_id("https://www.news.example/world/2024/storm-hits.html") == (
        "news.example-storm-hits"
    )
    assert article_id("https://news.example/") == "news.example"
    assert date_from_url("https://x.example/2024/03/31/storm") == date(2024, 3, 31)
    assert date_from_url("https://x.example/news/2024-03-31-storm") == date(2024, 3, 31)
    assert date_from_url("https://x.example/2024/13/45/storm") is None
    assert date_from_url("https://x.example/news/storm") is None


# --- into a store -----------------------------------------------------------------------


@pytest.mark.slow
def test_fetch_pages_and_feed_into_store(server: str, tmp_path: Path) -> None:
    options = FetchOptions(http=LOCAL)
    with Store(tmp_path / "c.db") as store:
        summary = fetch(
            [f"{server}/r1", f"{server}/feed.xml", f"{server}/bomb.xml"], store, options
        )
        assert (summary.fetched, summary.duplicates, summary.failed, summary.feeds) == (3, 0, 1, 1)
        assert "DOCTYPE" in summary.failures[0].reason
        assert [f.failure.path for f in store.failures()] == [f"{server}/bomb.xml"]
        infos = {i.title: i for i in store.articles()}
        assert set(infos) == {
            "Storm closes the harbour",
            "Ferries resume after the storm",
            "Council approves a sea wall",
        }
        storm = infos["Storm closes the harbour"]
        assert storm.url == f"{server}/news/storm.html" and storm.path == f"{server}/r1"
        assert storm.id == "127.0.0.1-storm" and storm.language == "en"
        assert storm.published == date(2024, 3, 4)
        article = store.get(storm.id)
        assert article is not None and "1,300 people" in article.text
        assert "Copyright" not in article.text and article.sentences and article.quotes
        again = fetch([f"{server}/r1", f"{server}/feed.xml"], store, options)
        assert (again.fetched, again.duplicates, again.failed) == (0, 3, 0)
        assert len(store) == 3 and store.check() == []


@pytest.mark.slow
def test_json_feed_and_no_feed_inside_a_feed(server: str, tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        summary = fetch([f"{server}/feeds.xml", f"{server}/feed.json"], store, FetchOptions(LOCAL))
        assert (summary.fetched, summary.failed, summary.feeds) == (1, 1, 2)
        assert "a feed linked from a feed" in summary.failures[0].reason
        assert [i.title for i in store.articles()] == ["Council approves a sea wall"]


def _cli() -> click.Group:
    @click.group()
    def main() -> None:
        pass

    register(main)
    return main


def test_cli_refuses_loopback_without_allow_private(server: str, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    result = CliRunner().invoke(_cli(), ["fetch", f"{server}/news/storm.html", "--db", str(db)])
    assert result.exit_code == 1
    assert "refused: 127.0.0.1 is a loopback address" in result.stderr
    assert "--allow-private" in result.stderr
    assert result.stdout.strip() == "fetched 0, duplicates 0, failed 1"
    with Store(db) as store:
        assert len(store) == 0 and len(store.failures()) == 1


@pytest.mark.slow
def test_cli_fetch_with_allow_private(server: str, tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    args = ["fetch", f"{server}/news/storm.html", f"{server}/feed.xml", "--db", str(db)]
    result = CliRunner().invoke(_cli(), [*args, "--allow-private"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == "fetched 3, duplicates 0, failed 0"
    result = CliRunner().invoke(
        _cli(), [*args, f"{server}/missing", "--allow-private", "--format", "json"]
    )
    assert result.exit_code == 1
    assert '"duplicates": 3' in result.stdout and "HTTP 404" in result.stdout
    with Store(db) as store:
        assert len(store) == 3
        assert {i.source for i in store.articles()} == {"127.0.0.1"}


def test_cli_rejects_bad_network(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        _cli(), ["fetch", "http://x.example/", "--allow-network", "nonsense"]
    )
    assert result.exit_code == 2 and "not a network" in result.stderr
