"""Reading WARC files (``.warc``, ``.warc.gz``) of crawled pages into articles.

``warc_articles(origin, stream, options) -> ReadResult`` streams the records of a
WARC/1.0 or 1.1 file (plain, or gzip-compressed record by record, as crawlers write
them) with ``warcio``. Every ``response`` record holding an HTML page with a 2xx status,
and every ``resource`` record of type HTML, goes through the HTML reader (trafilatura
main-text extraction, then cleaning); ``WARC-Target-URI`` is the article's URL and gives its
source when the page names none. Chunked transfer and ``Content-Encoding`` (gzip,
deflate, several layers) are undone; the page's charset from the HTTP header is tried
before detection.

Ids are ``<stem>-<record number>`` (the stem: the file name without ``.warc[.gz]``).
Records of other types (``request``, ``metadata``, images, redirects) are skipped
silently. A page that is empty, binary, or larger than ``ReadOptions.max_bytes`` (as
stored, and once decoded: every content coding is undone as a stream by
:func:`~newsprism.read.decompress.decode_content`, each layer capped) becomes a failure
of that record (``<name>:record N``); a file that is not a WARC at all, or that breaks
off (also inside a record, short of its ``Content-Length``: that page is never kept),
raises ``MalformedDocument`` (the pages read before a break are lost with it only when
there were none: otherwise they are kept and the break is a failure).

Memory stays bounded whatever the file holds: a header line longer than
:data:`LINE_LIMIT` (64 KiB), or more than :data:`HEADER_LIMIT` (1 MiB) of header lines in
one record, stops the file with ``MalformedDocument`` before they are held (a
``.warc.gz`` of zeros is one endless line); warcio inflates a ``.warc.gz``
:data:`BLOCK_SIZE` (4 KiB) of input at a time, and a page is read at most ``max_bytes``
at a time. There is no cap on the size of the whole file: records are read one at a
time, and the records that are skipped are read through and dropped.
"""

from __future__ import annotations

import contextlib
import functools
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from typing import IO, Any

from newsprism.errors import EmptyDocument, FileTooLarge, InputError, MalformedDocument
from newsprism.model import Article, Failure
from newsprism.read.articles import Origin, ReadOptions, ReadResult, source_from_url
from newsprism.read.decode import decode_bytes
from newsprism.read.decompress import CODINGS, content_codings, decode_content
from newsprism.read.documents import html_article

__all__ = ["WARC_EXT", "warc_articles"]

WARC_EXT = frozenset({".warc"})

#: The longest WARC or HTTP header line read, and the most bytes of header lines (WARC
#: and HTTP headers, and the blank lines after the record) one record may have.
LINE_LIMIT = 64 * 1024
HEADER_LIMIT = 1024 * 1024
#: The bytes of the file read (and of a ``.warc.gz`` inflated) at a time: at most about
#: 4 MB of output, the most a deflate stream gives for 4 KiB.
BLOCK_SIZE = 4096

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


def _dechunk(data: bytes) -> bytes:
    """``data`` without its chunked transfer coding. Like warcio: data that does not
    start with a chunk is taken as not chunked; after a broken chunk the rest is kept
    as it is; a cut last chunk keeps what is there."""
    parts: list[bytes] = []
    pos = 0
    while pos < len(data):
        end = data.find(b"\r\n", pos, pos + 1024)
        try:
            size = int(data[pos:end].split(b";")[0], 16) if end >= 0 else -1
        except ValueError:
            size = -1
        if size < 0:  # not a chunk
            parts.append(data[pos:])
            break
        if size == 0:
            break
        parts.append(data[end + 2 : end + 2 + size])
        pos = end + 2 + size + 2
    return b"".join(parts)


def _payload(record: Any, where: str, limit: int) -> bytes:
    """The page of ``record``: at most ``limit`` bytes read, then its chunked transfer
    and content codings undone as a stream, each layer capped at ``limit`` too."""
    try:
        data: bytes = record.raw_stream.read(limit + 1)
    except InputError:
        raise
    except Exception as err:  # warcio's readers raise many kinds on broken payloads
        raise MalformedDocument(f"{where}: unreadable payload: {type(err).__name__}") from err
    if len(data) > limit:
        raise FileTooLarge(f"{where}: page larger than {limit / 1e6:.1f} MB")
    http = record.http_headers
    if http is None:
        return data
    transfer = content_codings(http.get_header("Transfer-Encoding"))
    if transfer and transfer[-1] == "chunked":
        data, transfer = _dechunk(data), transfer[:-1]
    # as in warcio, a coding that cannot be undone is taken as none
    codings = [c for c in content_codings(http.get_header("Content-Encoding")) + transfer
               if c in CODINGS]  # fmt: skip
    try:
        return b"".join(decode_content([data], codings, limit, lenient=True))
    except FileTooLarge as err:
        raise FileTooLarge(f"{where}: page {err.message}") from err
    except InputError as err:
        raise MalformedDocument(f"{where}: unreadable payload: {err.message}") from err


def _article(
    origin: Origin, n: int, record: Any, uri: str, ctype: str, options: ReadOptions
) -> Article:
    where = f"{origin.name}:record {n}"
    data = _payload(record, where, options.max_bytes)
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


@functools.cache
def _capped_reader_class() -> Any:
    from warcio.bufferedreaders import DecompressingBufferedReader

    class CappedReader(DecompressingBufferedReader):  # type: ignore[misc]
        """warcio's reader of a WARC file (gzip-compressed or not), refusing a header
        line longer than :data:`LINE_LIMIT` and more than :data:`HEADER_LIMIT` bytes
        of header lines since ``header_bytes`` was last set to 0, before it holds them."""

        header_bytes = 0

        def readline(self, length: int | None = None) -> bytes:
            want = LINE_LIMIT + 1 if not length else min(length, LINE_LIMIT + 1)
            line: bytes = super().readline(want)
            while line and not line.endswith(b"\n") and len(line) < want:
                more: bytes = super().readline(want - len(line))  # warcio stops early
                if not more:
                    break
                line += more
            self.header_bytes += len(line)
            if len(line) > LINE_LIMIT:
                raise MalformedDocument(f"a header line longer than {LINE_LIMIT // 1024} KiB")
            if self.header_bytes > HEADER_LIMIT:
                raise MalformedDocument(
                    f"headers longer than {HEADER_LIMIT // (1024 * 1024)} MiB in one record"
                )
            return line

    return CappedReader


def _records(stream: IO[bytes]) -> tuple[Any, Iterator[Any], Any]:
    """warcio's iterator over ``stream`` (its ``offset`` is where the last complete
    record ended), its records, and the reader they are parsed from (whose
    ``header_bytes`` the caller sets to 0 before each record)."""
    from warcio.archiveiterator import ArchiveIterator

    archive = ArchiveIterator(stream)
    reader = _capped_reader_class()(archive.fh, block_size=BLOCK_SIZE)
    archive.reader = reader  # before the first record is read
    return archive, iter(archive), reader


def _next(records: Iterator[Any], name: str, n: int) -> tuple[Any, bool]:
    """The next record (``None`` at the end) and whether warcio complained about it."""
    try:
        noise = io.StringIO()  # warcio prints its warnings to sys.stderr
        with contextlib.redirect_stderr(noise):
            record = next(records, None)
    except InputError as err:  # a limit of the reader
        raise type(err)(f"{name}: record {n + 1}: {err.message}", err.hint) from err
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
    archive, records, reader = _records(stream)
    previous: tuple[Any, int] | None = None  # the last record and the articles before it
    try:
        while True:
            reader.header_bytes = 0
            record, complained = _next(records, name, n)  # reads the last one to its end
            if previous is not None and (missing := _missing_bytes(previous[0])):
                del articles[previous[1] :]  # a page cut short is not kept
                raise _truncated(name, n, missing)
            damaged += complained
            if record is None:
                if tail := _unread_tail(stream, archive):
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
