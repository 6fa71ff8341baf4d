"""Reading article files: plain text, HTML, JSON and JSONL.

``read_path(path, options) -> ReadResult`` reads one file. ``ReadResult`` holds the
``articles`` read and the ``failures`` of single records (a broken JSONL line, a JSON
record without text) that did not stop the others; it also iterates, indexes and
measures like the list of its articles. A file that cannot be read at all raises a
typed error from :mod:`newsprism.errors` whose message names the file and the reason
(``InputError`` "file not found", ``EmptyDocument``, ``BinaryFile``, ``EncodingFailure``,
``MalformedDocument``, :class:`FileTooLarge`). ``read_paths`` reads many files and turns
those errors into ``Failure`` records instead.

Every body goes through :func:`~newsprism.read.clean.clean_text`: ``Article.text`` is
the cleaned body (the title is not part of it) and ``Article.removed`` says what went.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any, overload
from urllib.parse import urlsplit

from newsprism.errors import EmptyDocument, InputError, MalformedDocument
from newsprism.language import LanguageDetector, detect_language, normalise_code
from newsprism.model import Article, Failure
from newsprism.read.clean import CleanOptions, clean_text, is_heading_like
from newsprism.read.decode import decode_bytes

__all__ = ["FileTooLarge", "ReadOptions", "ReadResult", "read_path", "read_paths"]

HTML_EXT = {".html", ".htm", ".xhtml", ".shtml"}
JSON_EXT = {".json"}
JSONL_EXT = {".jsonl", ".ndjson"}


class FileTooLarge(InputError):
    default_hint = "split the file or raise ReadOptions.max_bytes"


@dataclass(frozen=True)
class ReadOptions:
    """Options of the readers.

    ``max_bytes``: larger files are refused with :class:`FileTooLarge` (20 MB).
    ``encoding``: force this encoding instead of detecting it (``None``: detect).
    ``language``: force this language on every article (``None``: JSON field or detection).
    ``detect_language``: run language detection when no language is given (True).
    ``detector``: the language detector (``None``: the shared default).
    ``clean``: options of the cleaning stage.
    ``title_max_words``: longest first line of a text file taken as its title (25).
    """

    max_bytes: int = 20_000_000
    encoding: str | None = None
    language: str | None = None
    detect_language: bool = True
    detector: LanguageDetector | None = None
    clean: CleanOptions = field(default_factory=CleanOptions)
    title_max_words: int = 25


@dataclass(frozen=True)
class ReadResult:
    """Articles read, and records that failed without stopping the others.

    ``warnings`` notes recoverable oddities (an unparseable date, repaired mojibake).
    """

    articles: tuple[Article, ...] = ()
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Article, ...]: ...
    def __getitem__(self, index: int | slice) -> Article | tuple[Article, ...]:
        return self.articles[index]


# --- helpers ----------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def source_from_url(url: str | None) -> str | None:
    """``https://www.bbc.co.uk/news/x`` → ``bbc.co.uk``; ``None`` when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # "http://[broken": an unbalanced IPv6 bracket
        return None
    if not host:
        return None
    return re.sub(r"^(?:www\d*|m|amp|mobile)\.", "", host.lower())


def parse_date(value: Any) -> date | None:
    """ISO date or datetime (``2022-09-22``, ``2022-09-22T10:00:00Z``) → ``date``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def split_title(text: str, max_words: int) -> tuple[str, str]:
    """A first short line without final punctuation, followed by more text, is the title."""
    head, sep, rest = text.partition("\n")
    head = head.strip()
    if not sep or not rest.strip() or not is_heading_like(head, max_words):
        return "", text
    if re.search(r"[.…]$", head):  # "..." ends a teaser or a cut-off sentence
        return "", text
    return head, rest.strip()


def _finish(article: Article, options: ReadOptions, language: str | None) -> Article:
    code = normalise_code(options.language) or normalise_code(language)
    if code is None and options.detect_language:
        sample = article.text if len(article.text) >= 200 else f"{article.title}\n{article.text}"
        code = detect_language(sample, options.detector)
    return replace(article, language=code)


def _make(
    *,
    ident: str,
    path: Path,
    body: str,
    options: ReadOptions,
    title: str = "",
    url: str | None = None,
    source: str | None = None,
    published: date | None = None,
    language: str | None = None,
    extra_removed: tuple[str, ...] = (),
) -> Article:
    text, removed = clean_text(body, options.clean)
    if not text.strip():
        raise EmptyDocument(f"{path}: no article text left after cleaning")
    article = Article(
        id=ident,
        text=text,
        title=" ".join(title.split()),
        source=source or source_from_url(url),
        url=url or None,
        published=published,
        path=str(path),
        removed=extra_removed + removed,
    )
    return _finish(article, options, language)


# --- formats ----------------------------------------------------------------------------


def _read_text(path: Path, text: str, options: ReadOptions) -> list[Article]:
    cleaned, removed = clean_text(text, options.clean)
    title, body = split_title(cleaned, options.title_max_words)
    if not body.strip():
        raise EmptyDocument(f"{path}: no article text left after cleaning")
    article = Article(id=path.stem, text=body, title=title, path=str(path), removed=removed)
    return [_finish(article, options, None)]


def _read_html(path: Path, text: str, options: ReadOptions) -> list[Article]:
    import trafilatura

    doc = trafilatura.bare_extraction(
        text, with_metadata=True, include_comments=False, include_tables=False
    )
    fields: dict[str, Any] = {}
    if doc is not None:
        fields = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    body = str(fields.get("text") or "")
    if not body.strip():
        raise EmptyDocument(f"{path}: no main text found in the HTML")
    title = str(fields.get("title") or "")
    first, _, rest = body.strip().partition("\n")
    if title and first.strip().casefold() == title.strip().casefold():
        body = rest  # the page's <h1> repeats the title
    return [
        _make(
            ident=path.stem,
            path=path,
            body=body,
            options=options,
            title=title,
            url=fields.get("url") or None,
            source=fields.get("sitename") or fields.get("hostname") or None,
            published=parse_date(fields.get("date")),
            language=fields.get("language"),
        )
    ]


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


def _record(
    path: Path, record: Any, ident: str, where: str, options: ReadOptions, warnings: list[str]
) -> Article:
    if not isinstance(record, dict):
        raise MalformedDocument(
            f"{path}: {where}: expected a JSON object, got {type(record).__name__}"
        )
    body = _first(record, _TEXT_KEYS)
    if body is None:
        raise MalformedDocument(f"{path}: {where}: record has no 'text' field")
    if not isinstance(body, str):
        raise MalformedDocument(f"{path}: {where}: 'text' is not a string")
    if not body.strip():
        raise EmptyDocument(f"{path}: {where}: 'text' is empty")
    raw_date = _first(record, _DATE_KEYS)
    published = parse_date(raw_date)
    if raw_date is not None and published is None:
        warnings.append(f"{path}: {where}: unreadable date {raw_date!r} ignored")
    rid = record.get("id")
    url = _first(record, ("url", "link"))
    return _make(
        ident=str(rid) if rid not in (None, "") else ident,
        path=path,
        body=body,
        options=options,
        title=str(_first(record, _TITLE_KEYS) or ""),
        url=str(url) if url else None,
        source=str(record["source"]) if record.get("source") else None,
        published=published,
        language=_first(record, _LANG_KEYS),
    )


def _records(
    path: Path, items: list[tuple[int, str, Any]], options: ReadOptions, single: bool
) -> ReadResult:
    """Articles from ``(n, where, record)`` items; ids default to ``{stem}-{n}``."""
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings: list[str] = []
    errors: list[InputError] = []
    for n, where, item in items:
        ident = path.stem if single else f"{path.stem}-{n}"
        try:
            articles.append(_record(path, item, ident, where, options, warnings))
        except InputError as err:
            errors.append(err)
            failures.append(Failure(path=f"{path}:{where}", reason=str(err), hint=err.hint))
    if not articles:
        if errors:
            raise errors[0]
        raise EmptyDocument(f"{path}: no records")
    return ReadResult(tuple(articles), tuple(failures), tuple(warnings))


def _read_json(path: Path, text: str, options: ReadOptions) -> ReadResult:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise MalformedDocument(
            f"{path}: invalid JSON at line {err.lineno}, column {err.colno}: {err.msg}"
        ) from err
    if isinstance(data, dict) and isinstance(data.get("articles"), list):
        data = data["articles"]
    if isinstance(data, list):
        items = [(i, f"record {i}", item) for i, item in enumerate(data, start=1)]
        return _records(path, items, options, single=False)
    return _records(path, [(1, "record 1", data)], options, single=True)


def _read_jsonl(path: Path, text: str, options: ReadOptions) -> ReadResult:
    items: list[tuple[int, str, Any]] = []
    bad: list[Failure] = []
    n = 0
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        n += 1  # record number: a broken line keeps its number, so ids stay stable
        try:
            items.append((n, f"line {lineno}", json.loads(line)))
        except json.JSONDecodeError as err:
            reason = f"{path}: invalid JSON at line {lineno}, column {err.colno}: {err.msg}"
            bad.append(Failure(f"{path}:line {lineno}", reason, MalformedDocument.default_hint))
    if not items:
        if bad:
            raise MalformedDocument(bad[0].reason)
        raise EmptyDocument(f"{path}: no records")
    try:
        result = _records(path, items, options, single=False)
    except InputError as err:
        if not bad:
            raise
        raise MalformedDocument(bad[0].reason) from err
    failures = tuple(sorted(bad + list(result.failures), key=lambda f: _line_of(f.path)))
    return replace(result, failures=failures)


def _line_of(where: str) -> int:
    match = re.search(r"line (\d+)$", where)
    return int(match.group(1)) if match else 0


def _sniff(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
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
            json.loads(text)
            return "json"
        except json.JSONDecodeError:
            first = text.lstrip().split("\n", 1)[0]
            try:
                json.loads(first)
                return "jsonl"
            except json.JSONDecodeError:
                pass
    return "text"


def read_capped(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, refusing a file larger than ``limit`` before reading it."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise FileTooLarge(
                f"{path}: file too large ({size / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB)"
            )
        return path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err


def read_path(path: Path | str, options: ReadOptions | None = None) -> ReadResult:
    """Read one file into articles (see the module docs for formats and errors)."""
    opts = options or ReadOptions()
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a directory, not a file")
    data = read_capped(path, opts.max_bytes)
    decoded = decode_bytes(data, str(path), opts.encoding)
    warnings = (f"{path}: repaired mis-decoded characters (mojibake)",) if decoded.repaired else ()
    kind = _sniff(path, decoded.text)
    if kind == "json":
        result = _read_json(path, decoded.text, opts)
    elif kind == "jsonl":
        result = _read_jsonl(path, decoded.text, opts)
    elif kind == "html":
        result = ReadResult(tuple(_read_html(path, decoded.text, opts)))
    else:
        result = ReadResult(tuple(_read_text(path, decoded.text, opts)))
    return replace(result, warnings=warnings + result.warnings)


def read_paths(paths: Iterable[Path | str], options: ReadOptions | None = None) -> ReadResult:
    """Read many files; a file that fails becomes a ``Failure`` and the others go on."""
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings: list[str] = []
    for path in paths:
        try:
            result = read_path(path, options)
        except InputError as err:
            failures.append(Failure(path=str(path), reason=str(err), hint=err.hint))
            continue
        articles.extend(result.articles)
        failures.extend(result.failures)
        warnings.extend(result.warnings)
    return ReadResult(tuple(articles), tuple(failures), tuple(warnings))
