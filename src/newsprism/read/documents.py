"""Articles from decoded documents: plain text, HTML, JSON and JSONL.

Each reader takes the decoded text of one document and its :class:`~.articles.Origin`:

- :func:`text_article`: the whole text is one article; a first short line without final
  punctuation is its title (:func:`~.articles.split_title`);
- :func:`html_article`: the page's main text through trafilatura, with its title, date,
  URL, site name and language;
- :func:`json_articles`: one object, a list of objects, or ``{"articles": [...]}``;
  fields ``text`` (or ``body``, ``content``, ``article``, ``maintext``), ``title``
  (``headline``), ``published`` (``date`` …), ``url`` (``link``), ``source``,
  ``language`` (``lang``) and ``id``;
- :func:`jsonl_articles`: one such object per line.

A record that fails (a broken JSONL line, an object without text, a field of the wrong
type, an unknown language code, an integer too long to read, even a bug met on it) is a
``Failure`` of that record (``<name>:line 7``, ``<name>:record 3``) and the others go
on; a document with no readable record raises a typed error from
:mod:`newsprism.errors` whose message names the document and the reason. JSON is parsed
by :func:`~.json_values.load_json` (a depth limit, long integers kept apart); a lone
surrogate in a string (``"\ud800"``) is replaced by U+FFFD, with a warning.
:func:`sniff_format` tells these formats apart by suffix, else by content.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from newsprism.errors import (
    EmptyDocument,
    MalformedDocument,
    NewsprismError,
    failure_of,
)
from newsprism.model import Article, Failure
from newsprism.read.articles import (
    Origin,
    ReadOptions,
    ReadResult,
    make_article,
    parse_date,
    split_title,
    with_language,
)
from newsprism.read.attributes import cap_attributes
from newsprism.read.clean import clean_text
from newsprism.read.json_values import LongInteger, load_json, replace_surrogates

__all__ = [
    "HTML_EXT",
    "JSONL_EXT",
    "JSON_EXT",
    "html_article",
    "json_articles",
    "jsonl_articles",
    "sniff_format",
    "text_article",
]

HTML_EXT = frozenset({".html", ".htm", ".xhtml", ".shtml"})
JSON_EXT = frozenset({".json"})
JSONL_EXT = frozenset({".jsonl", ".ndjson"})


def text_article(origin: Origin, text: str, options: ReadOptions) -> Article:
    """The article of a plain-text document (title: a short first line)."""
    cleaned, removed = clean_text(text, options.clean)
    title, body = split_title(cleaned, options.title_max_words)
    if not body.strip():
        raise EmptyDocument(f"{origin.name}: no article text left after cleaning")
    article = Article(id=origin.stem, text=body, title=title, path=origin.name, removed=removed)
    return with_language(article, options, None)


def html_article(origin: Origin, text: str, options: ReadOptions) -> Article:
    """The article of an HTML page: its main text (trafilatura) and metadata."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        cap_attributes(text), with_metadata=True, include_comments=False, include_tables=False
    )
    fields: dict[str, Any] = {}
    if doc is not None:
        fields = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = str(fields.get("text") or "")
    if not body.strip():
        raise EmptyDocument(f"{origin.name}: no main text found in the HTML")
    title = str(fields.get("title") or "")
    first, _, rest = body.strip().partition("\n")
    if title and first.strip().casefold() == title.strip().casefold():
        body = rest  # the page's <h1> repeats the title
    return make_article(
        origin,
        body,
        options,
        title=title,
        url=fields.get("url") or None,
        source=fields.get("sitename") or fields.get("hostname") or None,
        published=parse_date(fields.get("date")),
        language=fields.get("language"),
        page_language=True,
    )


_TEXT_KEYS = ("text", "body", "content", "article", "maintext")
_TITLE_KEYS = ("title", "headline")
_DATE_KEYS = ("published", "date", "published_at", "publish_date", "date_publish")
_LANG_KEYS = ("language", "lang")


def _first(record: dict[str, Any], keys: Iterable[str]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, ""):
            return value
    return None


def _checked(record: dict[Any, Any], place: str, warnings: list[str]) -> dict[str, Any]:
    """The record's fields with lone surrogates replaced (a warning says so); a field
    holding an integer too long to read, or a language that is not a string, is refused."""
    fields: dict[str, Any] = {}
    replaced = 0
    for key, value in record.items():
        if isinstance(value, LongInteger):
            raise MalformedDocument(f"{place}: {key!r} is {value}")
        if isinstance(value, str):
            value, count = replace_surrogates(value)
            replaced += count
        fields[replace_surrogates(str(key))[0]] = value
    if replaced:
        plural = "s" if replaced > 1 else ""
        warnings.append(f"{place}: {replaced} lone surrogate{plural} replaced by U+FFFD")
    language = _first(fields, _LANG_KEYS)
    if language is not None and not isinstance(language, str):
        raise MalformedDocument(
            f"{place}: 'language' is not a string ({language!r:.40})",
            'give an ISO 639-1 code such as "en", or leave the field out',
        )
    return fields


def _record(
    origin: Origin, record: Any, ident: str, where: str, options: ReadOptions, warnings: list[str]
) -> Article:
    name = origin.name
    if not isinstance(record, dict):
        kind = str(record) if isinstance(record, LongInteger) else type(record).__name__
        raise MalformedDocument(f"{name}: {where}: expected a JSON object, got {kind}")
    record = _checked(record, f"{name}: {where}", warnings)
    body = _first(record, _TEXT_KEYS)
    if body is None:
        raise MalformedDocument(f"{name}: {where}: record has no 'text' field")
    if not isinstance(body, str):
        raise MalformedDocument(f"{name}: {where}: 'text' is not a string")
    if not body.strip():
        raise EmptyDocument(f"{name}: {where}: 'text' is empty")
    raw_date = _first(record, _DATE_KEYS)
    published = parse_date(raw_date)
    if raw_date is not None and published is None:
        warnings.append(f"{name}: {where}: unreadable date {raw_date!r} ignored")
    rid = record.get("id")
    url = _first(record, ("url", "link"))
    return make_article(
        origin,
        body,
        options,
        ident=str(rid) if rid not in (None, "") else ident,
        title=str(_first(record, _TITLE_KEYS) or ""),
        url=str(url) if url else None,
        source=str(record["source"]) if record.get("source") else None,
        published=published,
        language=_first(record, _LANG_KEYS),
        where=where,
    )


def _records(
    origin: Origin, items: list[tuple[int, str, Any]], options: ReadOptions, single: bool
) -> ReadResult:
    """Articles from ``(n, where, record)`` items; ids default to ``{stem}-{n}``."""
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings: list[str] = []
    errors: list[NewsprismError] = []
    for n, where, item in items:
        ident = origin.stem if single else f"{origin.stem}-{n}"
        place = f"{origin.name}:{where}"
        try:
            articles.append(_record(origin, item, ident, where, options, warnings))
        except NewsprismError as err:
            errors.append(err)
            failures.append(Failure(path=place, reason=str(err), hint=err.hint))
        except Exception as err:  # a bug met on this record: it fails alone
            failure = failure_of(place, err)
            errors.append(MalformedDocument(failure.reason, failure.hint))
            failures.append(failure)
    if not articles:
        if errors:
            raise errors[0]
        raise EmptyDocument(f"{origin.name}: no records")
    return ReadResult(tuple(articles), tuple(failures), tuple(warnings))


def json_articles(origin: Origin, text: str, options: ReadOptions) -> ReadResult:
    """The articles of a JSON document: one object, a list, or ``{"articles": [...]}``."""
    data = load_json(text, origin.name)
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, list):
        items = [(i, f"record {i}", item) for i, item in enumerate(data, start=1)]
        return _records(origin, items, options, single=False)
    return _records(origin, [(1, "record 1", data)], options, single=True)


def jsonl_articles(origin: Origin, text: str, options: ReadOptions) -> ReadResult:
    """The articles of a JSONL document, one object per line; a broken line fails alone."""
    name = origin.name
    items: list[tuple[int, str, Any]] = []
    bad: list[Failure] = []
    n = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        n += 1  # record number: a broken line keeps its number, so ids stay stable
        try:
            items.append((n, f"line {lineno}", load_json(line, name, line=lineno)))
        except MalformedDocument as err:
            bad.append(Failure(f"{name}:line {lineno}", err.message, err.hint))
    if not items:
        if bad:
            raise MalformedDocument(bad[0].reason)
        raise EmptyDocument(f"{name}: no records")
    try:
        result = _records(origin, items, options, single=False)
    except NewsprismError as err:
        if not bad:
            raise
        raise MalformedDocument(bad[0].reason) from err
    failures = tuple(sorted(bad + list(result.failures), key=lambda f: _line_of(f.path)))
    return replace(result, failures=failures)


def _line_of(where: str) -> int:
    match = re.search(r"line (\d+)$", where)
    return int(match.group(1)) if match else 0


def sniff_format(suffix: str, text: str) -> str:
    """``html``, ``json``, ``jsonl`` or ``text``: by the suffix (``.html`` …), else by
    the content (an HTML document, valid JSON, a first line of valid JSON)."""
    suffix = suffix.lower()
    if suffix in HTML_EXT:
        return "html"
    if suffix in JSON_EXT:
        return "json"
    if suffix in JSONL_EXT:
        return "jsonl"
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html")) or (
        head.startswith("<") and "<body" in text[:65536].lower()
    ):
        return "html"
    if head.startswith(("{", "[")):
        try:
            load_json(text, "document")
            return "json"
        except MalformedDocument:
            first = text.lstrip().split("\n", 1)[0]
            try:
                load_json(first, "document")
                return "jsonl"
            except MalformedDocument:
                pass
    return "text"
