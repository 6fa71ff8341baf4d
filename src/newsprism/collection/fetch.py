"""Fetch web pages and feeds into a collection (``newsprism fetch``).

``fetch(urls, store, options, progress) -> FetchSummary`` downloads each URL safely
(:mod:`newsprism.collection.http`: public addresses only unless ``allow_private``, checked
after DNS resolution and on every redirect; timeouts; size cap; limited redirects) and:

* an **HTML page** becomes one article through the HTML reader (trafilatura): title,
  date and site from the page, else from the feed item that linked to it, else from the
  URL (the host is the source; a ``/2024/03/31/`` or ``2024-03-31`` in the path is the
  date). ``Article.path`` is the URL requested and ``Article.url`` the page's canonical
  URL if it gives one, else the URL finally fetched;
* an **RSS 2.0, RSS 1.0 (RDF), Atom or JSON Feed** yields the links of its items (at
  most ``max_items``, in feed order, duplicates removed), each fetched as a page. Feeds
  are parsed by the feed parser of feed files (:mod:`newsprism.read.feeds`), which
  refuses any DOCTYPE or ENTITY declaration before parsing, so entity-expansion attacks
  ("billion laughs") are refused at once;
* a **JSON** body is read like a ``.json`` file, **plain text** like a ``.txt`` file.

Pages are read by :func:`newsprism.read.read_file`, the reader of ``ingest`` and
``compare``, from the downloaded bytes (the server's charset is tried first).

New articles are annotated by the pipeline and stored exactly as ``newsprism ingest``
does (:mod:`newsprism.collection.ingest`); exact duplicates are counted, not stored. A URL
already stored (as an article's ``path`` or ``url``) is not downloaded again unless
``refetch``. Every URL that fails becomes a row of the ``failures`` table (``path`` is
the URL) and of ``FetchSummary.failures``; a URL fetched successfully forgets its
earlier failures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from newsprism.collection.http import Download, HttpOptions, download, make_client
from newsprism.collection.ingest import ArticleWriter, IngestOptions
from newsprism.collection.stories import update_stories
from newsprism.errors import MalformedDocument, UnsupportedFormat, failure_of
from newsprism.model import Article, Failure
from newsprism.pipeline.run import PipelineOptions
from newsprism.read import ReadOptions, decode_bytes, read_file
from newsprism.read.articles import source_from_url
from newsprism.read.feeds import Feed, parse_feed_xml, parse_json_feed
from newsprism.read.json_values import load_json
from newsprism.store import Store

__all__ = [
    "FeedItem",
    "FetchOptions",
    "FetchProgress",
    "FetchSummary",
    "article_id",
    "date_from_url",
    "fetch",
    "page_articles",
    "parse_feed",
]


@dataclass(frozen=True)
class FetchOptions:
    """Options of ``fetch``.

    ``http``: address checks and limits of each download (see ``HttpOptions``).
    ``pipeline``: as for ``ingest`` (reading and annotation).
    ``max_items``: links taken from each feed (50). ``refetch``: download URLs even when
    an article from them is already stored (False).
    """

    http: HttpOptions = field(default_factory=HttpOptions)
    pipeline: PipelineOptions = field(default_factory=lambda: PipelineOptions(cache=False))
    max_items: int = 50
    refetch: bool = False


@dataclass(frozen=True)
class FetchSummary:
    """What ``fetch`` did: articles stored (``fetched``, their ``ids``), exact
    ``duplicates`` (including URLs already stored), URLs that ``failed`` (listed in
    ``failures``), and ``feeds`` read. The fields are in the order of
    ``newsprism fetch --format json``."""

    fetched: int = 0
    duplicates: int = 0
    failed: int = 0
    feeds: int = 0
    ids: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchProgress:
    """Reported after each URL: the URL, URLs handled so far and known so far (feeds
    add their items), and the summary so far."""

    url: str
    done: int
    total: int
    summary: FetchSummary


@dataclass(frozen=True)
class FeedItem:
    """A link of a feed, with the item's title and date (fallback metadata)."""

    url: str
    title: str = ""
    published: date | None = None


# --- URLs -------------------------------------------------------------------------------

_URL_DATE = re.compile(r"(?<!\d)(20\d\d|19\d\d)([/-])(\d\d?)\2(\d\d?)(?!\d)")


def date_from_url(url: str) -> date | None:
    """``https://x.org/2024/03/31/storm`` or ``…/2024-03-31-storm`` → ``date(2024, 3, 31)``."""
    match = _URL_DATE.search(urlsplit(url).path)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    except ValueError:
        return None


def article_id(url: str) -> str:
    """A readable id for the article at ``url``: ``<source>-<last path segment>``."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    stem = re.sub(r"\.(?:s?html?|php|aspx?|jsp)$", "", segments[-1], flags=re.I) if segments else ""
    stem = re.sub(r"[^\w.-]+", "-", stem).strip("-.")[:80]
    host = source_from_url(url) or "page"
    return f"{host}-{stem}" if stem else host


# --- feeds ------------------------------------------------------------------------------

_FEED_ROOT = re.compile(r"<(?:[\w.-]+:)?(rss|feed|RDF)[\s>]")
_FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}


def _items(feed: Feed, base: str, cap: int) -> list[FeedItem]:
    """The entries' links, absolute, http(s) only, duplicates removed, at most ``cap``."""
    found: list[FeedItem] = []
    seen: set[str] = set()
    for entry in feed.entries:
        if not entry.link:
            continue
        url = urljoin(base, entry.link)
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        found.append(FeedItem(url, " ".join(entry.title.split()), entry.published))
        if len(found) >= cap:
            break
    return found


def parse_feed(text: str, base_url: str, max_items: int = 50) -> list[FeedItem]:
    """The item links of an RSS/RDF/Atom feed (XML text), absolute, at most ``max_items``.

    Raises ``MalformedDocument`` for a DOCTYPE or ENTITY declaration (refused before
    parsing), for XML that does not parse, and for XML that is not a feed.
    """
    return _items(parse_feed_xml(text, base_url), base_url, max_items)


# --- pages ------------------------------------------------------------------------------


def _text(fetched: Download, encoding: str | None, limit: int | None = None) -> str:
    """The body as text (its first ``limit`` bytes when given): the server's charset
    first, else detection; ``encoding`` forces one."""
    body = fetched.body if limit is None else fetched.body[:limit]
    return decode_bytes(body, fetched.url, encoding, declared=fetched.charset).text


def _kind(fetched: Download, encoding: str | None) -> str:
    """``feed``, ``json``, ``html`` or ``text``: by content type, else by the body's start."""
    kind = fetched.content_type
    if kind in _FEED_TYPES:
        return "feed"
    if kind.endswith("json"):
        return "json"
    text = _text(fetched, encoding, 65536)
    head = text.lstrip("\ufeff \t\r\n")[:2048]
    if _FEED_ROOT.search(head) and not re.search(r"<html[\s>]", head, re.I):
        return "feed"
    if kind in ("text/html", "application/xhtml+xml") or re.match(
        r"<(!doctype html|html)", head, re.I
    ):
        return "html"
    if head.startswith(("{", "[")):
        return "json"
    return "html" if "<body" in text[:65536].lower() else "text"


_SUFFIX = {"html": ".html", "json": ".json", "text": ".txt"}


def page_articles(
    fetched: Download, requested: str, options: ReadOptions, item: FeedItem | None = None
) -> list[Article]:
    """The articles of a downloaded page (HTML, JSON or text), with their metadata.

    Raises the readers' typed errors, with ``requested`` (the URL) in their messages.
    """
    kind = _kind(fetched, options.encoding)
    if kind == "feed":
        raise UnsupportedFormat(
            f"{requested}: a feed linked from a feed (not followed)", "fetch that feed itself"
        )
    read = read_file(
        fetched.body, options, name=requested, suffix=_SUFFIX[kind], charset=fetched.charset
    )
    found = read.articles
    result: list[Article] = []
    for n, article in enumerate(found, start=1):
        page_url = article.url if article.url and article.url.startswith("http") else None
        url = page_url or fetched.url
        ident = article_id(fetched.url) + (f"-{n}" if len(found) > 1 else "")
        result.append(
            replace(
                article,
                id=ident,
                path=requested,
                url=url,
                title=article.title or (item.title if item else ""),
                source=article.source or source_from_url(url),
                published=article.published
                or (item.published if item else None)
                or date_from_url(url),
            )
        )
    return result


# --- fetching into a store --------------------------------------------------------------


class _Run:
    def __init__(self, store: Store, options: FetchOptions) -> None:
        self.store = store
        self.options = options
        self.writer = ArticleWriter(store, IngestOptions(pipeline=options.pipeline))
        self.feeds = 0
        self.items: dict[str, FeedItem] = {}  # feed items by URL (fallback metadata)

    def summary(self) -> FetchSummary:
        s = self.writer.summary()
        return FetchSummary(
            fetched=s.ingested,
            duplicates=s.duplicates,
            failed=s.failed,
            feeds=self.feeds,
            ids=s.ids,
            failures=s.failures,
            warnings=s.warnings,
        )

    def page(self, client: Any, url: str, item: FeedItem | None, allow_feed: bool) -> list[str]:
        """Fetch and store ``url``; returns the item links when it is a feed."""
        store, opts = self.store, self.options
        if not opts.refetch and store.has_url(url):
            self.writer.duplicate()
            return []
        try:
            fetched = download(client, url, opts.http)
            if allow_feed:
                links = self._feed_links(fetched)
                if links is not None:
                    self.feeds += 1
                    store.clear_failures(url)
                    return links
            articles = page_articles(fetched, url, opts.pipeline.reading(), item)
        except Exception as err:
            self.writer.fail(failure_of(url, err))
            return []
        store.clear_failures(url)
        for article in articles:
            self.writer.add(article, url)
        return []

    def _feed_links(self, fetched: Download) -> list[str] | None:
        encoding = self.options.pipeline.read.encoding
        kind = _kind(fetched, encoding)
        if kind not in ("json", "feed"):
            return None
        text = _text(fetched, encoding)
        cap = self.options.max_items
        if kind == "json":
            try:
                feed = parse_json_feed(load_json(text, fetched.url))
            except MalformedDocument:
                return None
            if feed is None:
                return None
            items = _items(feed, fetched.url, cap)
        else:
            items = parse_feed(text, fetched.url, cap)
        self.items.update({i.url: i for i in items})
        return [i.url for i in items]


def fetch(
    urls: Iterable[str],
    store: Store,
    options: FetchOptions | None = None,
    progress: Callable[[FetchProgress], None] | None = None,
) -> FetchSummary:
    """Download ``urls`` (pages or feeds), annotate and store their articles.

    Feed items are fetched after the feed, as pages (a feed inside a feed is not
    followed). Each article is stored in its own transaction; store errors (disk full,
    locked database) propagate, problems of single URLs are recorded and the run goes on.
    """
    opts = options or FetchOptions()
    run = _Run(store, opts)
    queue = [(u.strip(), True) for u in urls if u.strip()]
    done = 0
    with make_client(opts.http) as client:
        while queue:
            url, top = queue.pop(0)
            links = run.page(client, url, run.items.get(url), allow_feed=top)
            queue[:0] = [(link, False) for link in links]
            done += 1
            if progress is not None:
                progress(FetchProgress(url, done, done + len(queue), run.summary()))
    summary = run.summary()
    if summary.fetched:  # the new articles join their stories, as with ingest
        update_stories(store)
    return summary
