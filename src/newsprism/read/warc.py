"""Reading WARC files (``.warc``, ``.warc.gz``) of crawled pages into articles.

``warc_articles(origin, stream, options) -> ReadResult`` streams the records of a
WARC/1.0 or 1.1 file (plain, or gzip-compressed record by record, as crawlers write
them) with ``warcio``. Every ``response`` record holding an HTML page with a 2xx status,
and every ``resource`` record of type HTML, goes through the HTML reader (trafilatura
main-text extraction, then cleaning); ``WARC-Target-URI`` is the article's URL and gives its
source when the page names none. Chunked transfer and ``Content-Encoding: gzip`` are
undone; the page's charset from the HTTP header is tried before detection.

Ids are ``<stem>-<record number>`` (the stem: the file name without ``.warc[.gz]``).
Records of other types (``request``, ``metadata``, images, redirects) are skipped
silently. A page that is
empty, binary or larger than ``ReadOptions.max_bytes`` becomes a failure of that record
(``<name>:record N``); a file that is not a WARC at all, or that breaks off (also
inside a record, short of its ``Content-Length``: that page is never kept), raises
``MalformedDocument`` (the pages read before a break are lost with it only when there
were none: otherwise they are kept and the break is a failure). There is no cap on
the size of the whole file: records are read one at a time.
"""

from __future__ import annotations

import contextlib
import io
import re
from dataclasses import replace
from typing import IO, Any

from newsprism.errors import EmptyDocument, FileTooLarge, InputError, MalformedDocument
from newsprism.model import Article, Failure
from newsprism.read.articles import Origin, ReadOptions, ReadResult, source_from_url
from newsprism.read.decode import decode_bytes
from newsprism.read.documents import html_article

__all__ = ["WARC_EXT", "warc_articles"]

WARC_EXT = frozenset({".warc"})

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def _page(record: Any) -> tuple[str, str] | None:
    """``(target URI, content type)`` of an HTML page record, else ``None``."""
    kind = record.rec_type
    uri = record.rec_headers.get_header("WARC-Target-URI") or ""
    if kind == "response":
        http = record.http_headers
        if http is None:
            return None
        status = http.get_statuscode() or ""
        if not status.startswith("2"):
            return None
        ctype = http.get_header("Content-Type") or ""
    elif kind == "resource":
        ctype = record.rec_headers.get_header("Content-Type") or ""
    else:
        return None
    if not ctype.lower().lstrip().startswith(_HTML_TYPES):
        return None
    return uri.strip(), ctype


def _article(
    origin: Origin, n: int, record: Any, uri: str, ctype: str, options: ReadOptions
) -> Article:
    where = f"{origin.name}:record {n}"
    try:
        data = record.content_stream().read(options.max_bytes + 1)
    except Exception as err:  # warcio's decoders raise many kinds on broken payloads
        raise MalformedDocument(f"{where}: unreadable payload: {type(err).__name__}") from err
    if len(data) > options.max_bytes:
        raise FileTooLarge(f"{where}: page larger than {options.max_bytes / 1e6:.1f} MB")
    if not data.strip():
        raise EmptyDocument(f"{where}: empty page")
    charset = _CHARSET.search(ctype)
    declared = charset.group(1) if charset is not None else None
    text = decode_bytes(data, where, options.encoding, declared=declared).text
    article = html_article(Origin(where, origin.stem), text, options)
    return replace(
        article,
        id=f"{origin.stem}-{n}",
        url=article.url or uri or None,
        source=article.source or source_from_url(uri),
        path=origin.name,
    )


def _missing_bytes(record: Any) -> int:
    """How many bytes of ``record``, read to its end, its ``Content-Length`` promised
    but the file did not hold (more than 0: the file breaks off inside it)."""
    limit = getattr(record.raw_stream, "limit", 0)
    return limit if isinstance(limit, int) and limit > 0 else 0


def _truncated(name: str, n: int, missing: int) -> MalformedDocument:
    return MalformedDocument(
        f"{name}: truncated: the file ends inside record {n}, {missing} bytes short of its"
        " Content-Length",
        "download or copy the WARC file again: it is incomplete",
    )


def _records(stream: IO[bytes]) -> Any:
    """warcio's iterator of the records of ``stream`` (its ``offset`` is where the last
    complete record ended)."""
    from warcio.archiveiterator import ArchiveIterator

    return ArchiveIterator(stream)


def _unread_tail(stream: IO[bytes], records: Any) -> int:
    """Bytes after the last complete record that warcio left unread without a word (a
    record whose header breaks off); 0 when the stream cannot tell."""
    offset = getattr(records, "offset", None)
    if not isinstance(offset, int) or not stream.seekable():
        return 0
    size = stream.seek(0, io.SEEK_END)
    if size <= offset:
        return 0
    stream.seek(offset)
    return len(stream.read(size - offset).strip())


def _next(records: Any, name: str, n: int) -> tuple[Any, bool]:
    """The next record (``None`` at the end) and whether warcio complained about it."""
    try:
        noise = io.StringIO()  # warcio prints its warnings to sys.stderr
        with contextlib.redirect_stderr(noise):
            record = next(records, None)
    except Exception as err:  # warcio raises many kinds on broken input
        detail = str(err).splitlines()[0][:200] if str(err) else ""
        raise MalformedDocument(
            f"{name}: not a readable WARC file after {n} records: "
            f"{type(err).__name__}{': ' + detail if detail else ''}",
            "check that the file is a complete WARC/1.0 or 1.1 file",
        ) from err
    if record is not None and record.format != "warc":  # warcio also reads the older ARC
        raise MalformedDocument(
            f"{name}: not a WARC file: record {n + 1} has no WARC/1.x header",
            "check that the file is a complete WARC/1.0 or 1.1 file",
        )
    return record, bool(noise.getvalue())


def warc_articles(origin: Origin, stream: IO[bytes], options: ReadOptions) -> ReadResult:
    """Articles of the HTML pages in the WARC file read from ``stream`` (see the module
    docs); ``origin`` names the file."""
    name = origin.name
    articles: list[Article] = []
    failures: list[Failure] = []
    errors: list[InputError] = []
    n = damaged = 0
    records = _records(stream)
    previous: tuple[Any, int] | None = None  # the last record and the articles before it
    try:
        while True:
            record, complained = _next(records, name, n)  # reads the last one to its end
            if previous is not None and (missing := _missing_bytes(previous[0])):
                del articles[previous[1] :]  # a page cut short is not kept
                raise _truncated(name, n, missing)
            damaged += complained
            if record is None:
                if tail := _unread_tail(stream, records):
                    raise MalformedDocument(
                        f"{name}: truncated: the file ends inside record {n + 1}"
                        f" ({tail} bytes of an incomplete header)",
                        "download or copy the WARC file again: it is incomplete",
                    )
                break
            n += 1
            length = record.rec_headers.get_header("Content-Length") or ""
            if not length.strip().isdigit():  # its header breaks off before or inside it
                raise MalformedDocument(
                    f"{name}: truncated or damaged: record {n} has no Content-Length",
                    "download or copy the WARC file again: it is incomplete",
                )
            previous = (record, len(articles))
            page = _page(record)
            if page is None:
                continue
            try:
                articles.append(_article(origin, n, record, *page, options))
            except InputError as err:
                errors.append(err)
                failures.append(Failure(f"{name}:record {n}", str(err), err.hint))
    except MalformedDocument as err:
        if not articles:
            raise
        failures.append(Failure(name, str(err), err.hint))
    if not articles:
        if errors:
            raise errors[0]
        raise EmptyDocument(f"{name}: no HTML pages among its {n} WARC records")
    warnings = (f"{name}: {damaged} WARC records with a wrong Content-Length",) if damaged else ()
    return ReadResult(tuple(articles), tuple(failures), warnings)
