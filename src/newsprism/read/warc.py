"""Reading WARC files (``.warc``, ``.warc.gz``) of crawled pages into articles.

``read_warc(path, options) -> ReadResult`` streams the records of a WARC/1.0 or 1.1
file (plain, or gzip-compressed record by record, as crawlers write them) with
``warcio``. Every ``response`` record holding an HTML page with a 2xx status, and every
``resource`` record of type HTML, goes through the HTML reader (trafilatura main-text
extraction, then cleaning); ``WARC-Target-URI`` is the article's URL and gives its
source when the page names none. Chunked transfer and ``Content-Encoding: gzip`` are
undone; the page's charset from the HTTP header is tried before detection.

Ids are ``<file name without .warc[.gz]>-<record number>``. Records of other types
(``request``, ``metadata``, images, redirects) are skipped silently. A page that is
empty, binary or larger than ``ReadOptions.max_bytes`` becomes a failure of that record
(``<path>:record N``); a file that is not a WARC at all, or that breaks off, raises
``MalformedDocument`` (the pages read before a break are lost with it only when there
were none: otherwise they are kept and the break is a failure). There is no cap on
the size of the whole file: records are read one at a time.
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from newsprism.errors import EmptyDocument, InputError, MalformedDocument
from newsprism.model import Article, Failure
from newsprism.read.decode import decode_bytes
from newsprism.read.readers import (
    FileTooLarge,
    ReadOptions,
    ReadResult,
    _read_html,
    source_from_url,
)

__all__ = ["WARC_EXT", "read_warc"]

WARC_EXT = frozenset({".warc"})

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def _stem(path: Path) -> str:
    name = path.name
    for suffix in (".gz", ".warc"):
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
    return name


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


def _decode(data: bytes, where: str, ctype: str, options: ReadOptions) -> str:
    charset = _CHARSET.search(ctype)
    if options.encoding is None and charset is not None:
        try:
            return decode_bytes(data, where, charset.group(1)).text
        except InputError:
            pass  # a wrong or unknown charset label: detect instead
    return decode_bytes(data, where, options.encoding).text


def _article(
    path: Path, n: int, record: Any, uri: str, ctype: str, options: ReadOptions
) -> Article:
    where = f"{path}:record {n}"
    try:
        data = record.content_stream().read(options.max_bytes + 1)
    except Exception as err:  # warcio's decoders raise many kinds on broken payloads
        raise MalformedDocument(f"{where}: unreadable payload: {type(err).__name__}") from err
    if len(data) > options.max_bytes:
        raise FileTooLarge(f"{where}: page larger than {options.max_bytes / 1e6:.1f} MB")
    if not data.strip():
        raise EmptyDocument(f"{where}: empty page")
    text = _decode(data, where, ctype, options)
    (article,) = _read_html(Path(where), text, options)
    return replace(
        article,
        id=f"{_stem(path)}-{n}",
        url=article.url or uri or None,
        source=article.source or source_from_url(uri),
        path=str(path),
    )


def _records(stream: IO[bytes]) -> Iterator[Any]:
    from warcio.archiveiterator import ArchiveIterator

    yield from ArchiveIterator(stream)


def read_warc(path: Path | str, options: ReadOptions | None = None) -> ReadResult:
    """Articles of the HTML pages in the WARC file ``path`` (see the module docs)."""
    opts = options or ReadOptions()
    path = Path(path)
    articles: list[Article] = []
    failures: list[Failure] = []
    errors: list[InputError] = []
    n = damaged = 0
    try:
        with path.open("rb") as stream:
            records = _records(stream)
            while True:
                try:
                    noise = io.StringIO()  # warcio prints its warnings to sys.stderr
                    with contextlib.redirect_stderr(noise):
                        record = next(records, None)
                    damaged += bool(noise.getvalue())
                except Exception as err:  # warcio raises many kinds on broken input
                    detail = str(err).splitlines()[0][:200] if str(err) else ""
                    raise MalformedDocument(
                        f"{path}: not a readable WARC file after {n} records: "
                        f"{type(err).__name__}{': ' + detail if detail else ''}",
                        "check that the file is a complete WARC/1.0 or 1.1 file",
                    ) from err
                if record is None:
                    break
                if record.format != "warc":  # warcio also reads the older ARC format
                    raise MalformedDocument(
                        f"{path}: not a WARC file: record {n + 1} has no WARC/1.x header",
                        "check that the file is a complete WARC/1.0 or 1.1 file",
                    )
                n += 1
                page = _page(record)
                if page is None:
                    continue
                try:
                    articles.append(_article(path, n, record, *page, opts))
                except InputError as err:
                    errors.append(err)
                    failures.append(Failure(f"{path}:record {n}", str(err), err.hint))
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    except MalformedDocument as err:
        if not articles:
            raise
        failures.append(Failure(str(path), str(err), err.hint))
    if not articles:
        if errors:
            raise errors[0]
        raise EmptyDocument(f"{path}: no HTML pages among its {n} WARC records")
    warnings = (f"{path}: {damaged} WARC records with a wrong Content-Length",) if damaged else ()
    return ReadResult(tuple(articles), tuple(failures), warnings)
