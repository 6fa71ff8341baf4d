"""Reading RSS and Atom feed FILES (``.rss``, ``.atom``, ``.xml``) into articles.

``read_feed(path, options) -> ReadResult`` turns every item (RSS 2.0 ``<item>``, RSS 1.0
``<item>``, Atom ``<entry>``) into an article:

- ``title`` → ``Article.title``; ``link`` (Atom: the ``alternate`` link) → ``Article.url``
  and the source (the link's host, else the channel's);
- ``pubDate`` (RFC 822), ``dc:date``, Atom ``published``/``updated`` → ``published``;
- ``content:encoded``, Atom ``content``, else ``description``/``summary`` → the text: HTML
  is turned into paragraphs (:func:`html_to_text`) and cleaned by
  :func:`~newsprism.read.clean.clean_text`;
- the channel's ``language`` or ``xml:lang`` → the language (else detected).

Ids are ``<file stem>-<item number>``. An item without text becomes a failure of that
item (``<path>:item N``); a feed without any readable item raises. Documents that declare
a DOCTYPE or entities are refused outright (no entity expansion, no external entities);
HTML named entities such as ``&nbsp;`` that feeds use without declaring them are read as
the characters they name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from email.utils import parsedate_to_datetime
from html import unescape
from html.entities import name2codepoint
from html.parser import HTMLParser
from pathlib import Path

from newsprism.errors import EmptyDocument, InputError, MalformedDocument
from newsprism.model import Article, Failure
from newsprism.read.decode import decode_bytes
from newsprism.read.readers import (
    ReadOptions,
    ReadResult,
    _make,
    parse_date,
    read_capped,
    source_from_url,
)

__all__ = ["FEED_EXT", "html_to_text", "parse_feed", "read_feed"]

FEED_EXT = frozenset({".rss", ".atom", ".xml"})

_ATOM = "{http://www.w3.org/2005/Atom}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_DC = "{http://purl.org/dc/elements/1.1/}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_XML_ENTITIES = frozenset({"amp", "lt", "gt", "quot", "apos"})

# --- HTML fragments → text --------------------------------------------------------------

_BLOCK = frozenset(
    re.findall(
        r"\w+",
        "address article aside blockquote br dd div dl dt figcaption figure footer h1 h2 h3 "
        "h4 h5 h6 header hr li main nav ol p pre section table td th tr ul",
    )
)
_SKIP = frozenset({"script", "style", "noscript", "template", "svg", "head", "title"})


class _TextParser(HTMLParser):
    """Collects text, a paragraph break at every block element, nothing from scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)

    def parse_html_declaration(self, i: int) -> int:
        try:
            return super().parse_html_declaration(i)
        except AssertionError:  # a malformed "<!..." / "<![...": skipped, as browsers do
            end = self.rawdata.find(">", i + 2)
            return -1 if end < 0 else end + 1


def html_to_text(fragment: str) -> str:
    """Text of an HTML fragment: paragraphs at block elements, scripts and styles dropped.

    Plain text (no tags) is returned with its entities decoded. Never recursive, so any
    depth of nesting is fine.
    """
    if "<" not in fragment:
        return unescape(fragment)
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- XML --------------------------------------------------------------------------------


def _html_entities(text: str) -> str:
    """HTML named entities (``&nbsp;``) → numeric references XML understands."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in _XML_ENTITIES or name not in name2codepoint:
            return match.group(0)
        return f"&#{name2codepoint[name]};"

    return _NAMED_ENTITY.sub(repl, text)


def _parse(path: Path, text: str) -> ET.Element:
    if _DECLARATION.search(text):
        raise MalformedDocument(
            f"{path}: refused: the document declares a DOCTYPE or entities"
            " (entity expansion is not allowed in feeds)",
            "remove the <!DOCTYPE ...> declaration from the feed",
        )
    try:
        return ET.fromstring(_html_entities(text.lstrip("\ufeff")))
    except ET.ParseError as err:
        line, column = err.position
        raise MalformedDocument(
            f"{path}: invalid XML at line {line}, column {column}: {err}"
        ) from err


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _feed_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    found = parse_date(value)
    if found is not None:
        return found
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _atom_content(element: ET.Element) -> str:
    """Atom ``content``/``summary``: escaped HTML, plain text, or inline XHTML."""
    if element.get("type", "").lower() == "xhtml":
        inner = [ET.tostring(child, encoding="unicode") for child in element]
        return html_to_text((element.text or "") + "".join(inner))
    return html_to_text(element.text or "")


def _atom_link(entry: ET.Element) -> str | None:
    links = entry.findall(f"{_ATOM}link")
    for link in links:
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return (link.get("href") or "").strip() or None
    return (links[0].get("href") or "").strip() or None if links else None


def _rss_item(item: ET.Element) -> tuple[str, str | None, str, str]:
    """(title, link, raw date, text) of an RSS item."""
    title = _text(item.find("title")) or _text(item.find("{http://purl.org/rss/1.0/}title"))
    link = _text(item.find("link")) or _text(item.find("{http://purl.org/rss/1.0/}link"))
    raw_date = _text(item.find("pubDate")) or _text(item.find(f"{_DC}date"))
    body = _text(item.find(_CONTENT)) or _text(item.find("description"))
    body = body or _text(item.find("{http://purl.org/rss/1.0/}description"))
    return title, link or None, raw_date, html_to_text(body)


def _atom_entry(entry: ET.Element) -> tuple[str, str | None, str, str]:
    title_el = entry.find(f"{_ATOM}title")
    title = _atom_content(title_el) if title_el is not None else ""
    raw_date = _text(entry.find(f"{_ATOM}published")) or _text(entry.find(f"{_ATOM}updated"))
    content = entry.find(f"{_ATOM}content")
    body = _atom_content(content) if content is not None else ""
    if not body.strip():
        summary = entry.find(f"{_ATOM}summary")
        body = _atom_content(summary) if summary is not None else ""
    return title, _atom_link(entry), raw_date, body


def _items(
    path: Path, root: ET.Element
) -> tuple[list[tuple[ET.Element, bool]], str | None, str | None]:
    """Items (with ``True`` for Atom), the feed's language and its link."""
    name = _local(root.tag)
    if name == "feed" and root.tag.startswith(_ATOM):
        link = _atom_link(root)
        return [(e, True) for e in root.iter(f"{_ATOM}entry")], root.get(_XML_LANG), link
    if name in ("rss", "RDF"):
        channel = root.find("channel")
        if channel is None:
            channel = root.find("{http://purl.org/rss/1.0/}channel")
        language = link = ""
        if channel is not None:
            language = _text(channel.find("language")) or _text(channel.find(f"{_DC}language"))
            link = _text(channel.find("link"))
        items = [e for e in root.iter() if _local(e.tag) == "item"]
        return [(e, False) for e in items], language or None, link or None
    raise MalformedDocument(
        f"{path}: not an RSS or Atom feed (the root element is <{name}>)",
        "pass RSS 2.0, RSS 1.0 or Atom files, or rename the file",
    )


def read_feed(path: Path | str, options: ReadOptions | None = None) -> ReadResult:
    """Articles of the RSS/Atom feed file ``path`` (see the module docs)."""
    opts = options or ReadOptions()
    path = Path(path)
    data = read_capped(path, opts.max_bytes)
    return parse_feed(data, path, opts)


def parse_feed(data: bytes, path: Path | str, options: ReadOptions | None = None) -> ReadResult:
    """Articles of the feed document ``data`` (e.g. fetched); ``path`` names it in ids,
    messages and ``Article.path``. Raises as :func:`read_feed` does."""
    opts = options or ReadOptions()
    path = Path(path)
    decoded = decode_bytes(data, str(path), opts.encoding)
    root = _parse(path, decoded.text)
    items, language, feed_link = _items(path, root)
    if not items:
        raise EmptyDocument(f"{path}: the feed has no items")
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings = [f"{path}: repaired mis-decoded characters (mojibake)"] if decoded.repaired else []
    errors: list[InputError] = []
    for n, (item, atom) in enumerate(items, start=1):
        title, link, raw_date, body = _atom_entry(item) if atom else _rss_item(item)
        published = _feed_date(raw_date)
        if raw_date and published is None:
            warnings.append(f"{path}: item {n}: unreadable date {raw_date!r} ignored")
        try:
            if not body.strip():
                raise EmptyDocument(f"{path}: item {n}: no description or content")
            article = _make(
                ident=f"{path.stem}-{n}",
                path=path,
                body=body,
                options=opts,
                title=title,
                url=link,
                source=source_from_url(link) or source_from_url(feed_link),
                published=published,
                language=item.get(_XML_LANG) or language,
            )
        except InputError as err:
            errors.append(err)
            failures.append(Failure(f"{path}:item {n}", str(err), err.hint))
            continue
        articles.append(replace(article, path=str(path)))
    if not articles:
        raise errors[0]
    return ReadResult(tuple(articles), tuple(failures), tuple(warnings))
