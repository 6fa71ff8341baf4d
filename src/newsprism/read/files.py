"""Reading input of every supported format: the one entry point of :mod:`newsprism.read`.

``read_file(source, options) -> ReadResult`` reads one document into articles, the
failures of single records that did not stop the others, and warnings. ``source`` is a
file path, or the bytes of a document read elsewhere (as the Dask engine ships inputs
to workers that cannot see the client's disk, and as ``fetch`` holds a downloaded
body) together with its ``name``. The suffix of the file name (or ``suffix``) decides
the format:

- ``.txt`` and unknown suffixes: by content — HTML, JSON, JSONL, else plain text
  (:mod:`.documents`); ``.html``/``.htm``, ``.json``, ``.jsonl``: those formats;
- ``.csv``: one article per row (:mod:`.csv_rows`);
- ``.rss``, ``.atom``, ``.xml``: one article per feed item (:mod:`.feeds`);
- ``.warc``: one article per HTML page, streamed record by record (:mod:`.warc`);
- ``.gz`` of any of these: decompressed (at most ``ReadOptions.max_bytes``; a
  ``.warc.gz`` is streamed, not unpacked).

Bytes are decoded by :func:`~newsprism.read.decode.decode_bytes` (a warning says when
mojibake was repaired). A document that cannot be read at all raises a typed error from
:mod:`newsprism.errors` whose message names it and the reason (``InputError`` "file not
found", ``EmptyDocument``, ``BinaryFile``, ``EncodingFailure``, ``MalformedDocument``,
:class:`~newsprism.errors.FileTooLarge`).

Only regular files are read (symbolic links to them too): a named pipe, a device or a
socket raises ``InputError`` "not a regular file (a named pipe)" before it is read, so
a pipe without a writer cannot hang a run nor a link to ``/dev/zero`` fill the memory;
a file is opened without blocking and checked again on the open file. One size cap,
``ReadOptions.max_bytes``, applies to the bytes a reader gets, decoded: the bytes read
from a file (never more than the cap, whatever its size said), what a ``.gz`` of any
format decompresses to, and each WARC page once its content codings are undone.

``collect_files`` walks folders for supported files; ``read_paths`` reads files and
folders, turning the errors of each file into ``Failure`` records.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import stat
import zlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path, PurePath
from typing import BinaryIO

from newsprism.errors import FileTooLarge, InputError, MalformedDocument, failure_of, printable
from newsprism.model import Article, Failure
from newsprism.read.articles import Origin, ReadOptions, ReadResult
from newsprism.read.csv_rows import CSV_COLUMNS, csv_articles
from newsprism.read.decode import decode_bytes
from newsprism.read.documents import (
    HTML_EXT,
    JSON_EXT,
    JSONL_EXT,
    html_article,
    json_articles,
    jsonl_articles,
    sniff_format,
    text_article,
)
from newsprism.read.feeds import FEED_EXT, feed_articles, parse_feed_xml
from newsprism.read.warc import WARC_EXT, warc_articles

__all__ = [
    "CSV_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "collect_files",
    "read_file",
    "read_paths",
]

SUPPORTED_SUFFIXES = frozenset(
    {".txt", ".text", ".csv"} | HTML_EXT | JSON_EXT | JSONL_EXT | FEED_EXT | WARC_EXT
)


# --- files ------------------------------------------------------------------------------


def _format(file_name: str) -> tuple[bool, str, str]:
    """``(gzip-compressed, format suffix, stem)``: ``a.jsonl.gz`` → ``(True, ".jsonl", "a")``."""
    path = PurePath(file_name or "article")
    gzipped = path.suffix.lower() == ".gz"
    inner = path.with_suffix("") if gzipped else path
    return gzipped, inner.suffix.lower(), inner.stem or "article"


def _supported(path: Path) -> bool:
    _, suffix, _ = _format(path.name)
    return suffix in SUPPORTED_SUFFIXES


def _name_problem(path: Path, what: str = "the file") -> Failure | None:
    """The failure of a path that cannot be read or named: a name that is not valid
    UTF-8 (its bytes shown as ``\\xff``), a symbolic link loop, a dangling link, a path
    the system refuses (too long)."""
    shown = printable(str(path))
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return Failure(
            shown,
            f"{shown}: the file name is not valid UTF-8",
            "rename the file (for example with convmv -t utf-8)",
        )
    try:
        dangling = path.is_symlink() and not path.exists()
    except OSError as err:
        reason = f"{shown}: cannot read {what}: {err.strerror or err}"
        return Failure(shown, reason, "check the path (its files were not read)")
    if dangling:
        try:
            path.resolve(strict=True)
        except (OSError, RuntimeError) as err:
            loop = isinstance(err, RuntimeError) or getattr(err, "errno", None) == errno.ELOOP
            reason = "a loop of symbolic links" if loop else "a symbolic link to a missing file"
            return Failure(shown, f"{shown}: {reason}", "fix or remove the link")
    return None


_SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)
_REGULAR_HINT = "only regular files are read (not pipes, devices or sockets); leave it out"


def _file_mode(path: Path) -> int | None:
    """The mode of what ``path`` names (symbolic links followed), ``None`` when it
    cannot be seen."""
    try:
        return path.stat().st_mode
    except (OSError, ValueError):
        return None


def _not_regular(path: Path | str, mode: int) -> InputError:
    kind = next((name for test, name in _SPECIAL_FILES if test(mode)), "a special file")
    return InputError(f"{path}: not a regular file ({kind})", _REGULAR_HINT)


def collect_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[Failure], int]:
    """Files to read: ``(files, failures, skipped)``.

    A file named explicitly is always read; folders are walked recursively (in name
    order, symbolic links to folders not followed) for files of a supported type.
    Hidden files and folders, and files of other types, are counted as skipped. Only
    regular files (or symbolic links to them) are read: a path that does not exist, and a
    named pipe, device or socket (``not a regular file (a named pipe)``), is a failure, so
    that nothing can block the batch or feed it without end. A name that is not valid
    UTF-8, a symbolic link loop or a dangling link is a failure named with
    :func:`~newsprism.errors.printable`; so is a folder that cannot be listed. The other
    files are still collected.
    """
    files: list[Path] = []
    failures: list[Failure] = []
    skipped = 0
    seen: set[Path] = set()

    def add(path: Path, mode: int | None) -> None:
        problem = _name_problem(path)
        if problem is not None:
            failures.append(problem)
            return
        if mode is not None and not stat.S_ISREG(mode):
            failures.append(failure_of(printable(str(path)), _not_regular(path, mode)))
            return
        try:
            key = path.resolve()
        except (OSError, RuntimeError) as err:
            shown = printable(str(path))
            failures.append(
                Failure(shown, f"{shown}: cannot resolve: {err}", InputError.default_hint)
            )
            return
        if key not in seen:
            seen.add(key)
            files.append(path)

    def unlisted(err: OSError) -> None:
        shown = printable(str(err.filename or path))
        reason = f"{shown}: cannot read the folder: {err.strerror or err}"
        failures.append(
            Failure(shown, reason, "check the folder's permissions (its files were not read)")
        )

    for raw in paths:
        path = Path(raw)
        problem = _name_problem(path)
        mode = _file_mode(path) if problem is None else None
        if problem is not None:
            failures.append(problem)
        elif not path.exists():
            shown = printable(str(path))
            failures.append(Failure(shown, f"{shown}: file not found", InputError.default_hint))
        elif mode is None or not stat.S_ISDIR(mode):
            add(path, mode)
        else:
            for root, dirs, names in os.walk(path, onerror=unlisted):
                for name in list(dirs):
                    problem = _name_problem(Path(root) / name, "the folder")
                    if problem is not None:  # not walked: every name inside would fail
                        failures.append(problem)
                        dirs.remove(name)
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    file = Path(root) / name
                    if name.startswith(".") or not _supported(file):
                        skipped += 1
                    else:
                        add(file, _file_mode(file))
    return files, failures, skipped


def _open_regular(path: Path) -> BinaryIO:
    """``path`` opened for reading, if it is a regular file (checked on the open file,
    which is opened without blocking: a named pipe without a writer cannot hang)."""
    mode = _file_mode(path)
    if mode is not None and not stat.S_ISREG(mode):
        raise _not_regular(path, mode)  # not even opened (opening a device may act)
    nonblocking: int = getattr(os, "O_NONBLOCK", 0)  # POSIX; a pipe blocks open() without it
    flags = os.O_RDONLY | nonblocking | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as err:
        raise InputError(f"{path}: file not found") from err
    except OSError as err:
        raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        if nonblocking:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_capped(path: Path, limit: int) -> bytes:
    """The bytes of ``path``, at most ``limit``: a file whose size is larger is refused
    before it is read, and one that turns out larger (it grew) as soon as it does."""
    with _open_regular(path) as stream:
        try:
            size = os.fstat(stream.fileno()).st_size
            if size > limit:
                raise FileTooLarge(
                    f"{path}: file too large ({size / 1e6:.1f} MB;"
                    f" the limit is {limit / 1e6:.1f} MB)"
                )
            data = stream.read(limit + 1)
        except OSError as err:
            raise InputError(f"{path}: cannot read: {err.strerror or err}") from err
    if len(data) > limit:
        raise FileTooLarge(f"{path}: file too large (more than {limit / 1e6:.1f} MB, the limit)")
    return data


def _gunzip(source: Path | bytes, name: str, limit: int) -> bytes:
    try:
        if isinstance(source, bytes):
            with gzip.GzipFile(fileobj=io.BytesIO(source)) as stream:
                data = stream.read(limit + 1)
        else:
            with _open_regular(source) as raw, gzip.GzipFile(fileobj=raw) as stream:
                data = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as err:
        raise MalformedDocument(f"{name}: not a readable gzip file: {err}") from err
    if len(data) > limit:
        raise FileTooLarge(f"{name}: decompresses to more than {limit / 1e6:.1f} MB (the limit)")
    return data


def _warc(source: Path | bytes, origin: Origin, options: ReadOptions) -> ReadResult:
    if isinstance(source, bytes):
        return warc_articles(origin, io.BytesIO(source), options)
    try:
        with _open_regular(source) as stream:
            return warc_articles(origin, stream, options)
    except OSError as err:
        raise InputError(f"{source}: cannot read: {err.strerror or err}") from err


def _articles(fmt: str, origin: Origin, text: str, options: ReadOptions) -> ReadResult:
    """The articles of the decoded document ``text`` in the format of suffix ``fmt``."""
    if fmt == ".csv":
        return csv_articles(origin, text, options)
    if fmt in FEED_EXT:
        return feed_articles(origin, parse_feed_xml(text, origin.name), options)
    kind = sniff_format(fmt, text)
    if kind == "json":
        return json_articles(origin, text, options)
    if kind == "jsonl":
        return jsonl_articles(origin, text, options)
    if kind == "html":
        return ReadResult((html_article(origin, text, options),))
    return ReadResult((text_article(origin, text, options),))


def read_file(
    source: Path | str | bytes,
    options: ReadOptions | None = None,
    *,
    name: str | None = None,
    suffix: str | None = None,
    charset: str | None = None,
) -> ReadResult:
    """Read one document of any supported format, gzip-compressed or not (see the
    module docs).

    ``source``: a file path, or the bytes of a document. ``name`` names the document in
    ids (its stem), messages, failures and ``Article.path`` (default: the path; for
    bytes, ``document``). ``suffix`` (``.json``, ``.rss.gz`` …) decides the format
    instead of the name's. ``charset``: the encoding a server declared, tried before
    detection (``ReadOptions.encoding`` forces one instead).
    """
    opts = options or ReadOptions()
    if isinstance(source, bytes):
        label = name or "document"
    else:
        path = Path(source)
        label = name or str(path)
        if not path.exists():
            raise InputError(f"{path}: file not found")
        if path.is_dir():
            raise InputError(f"{path}: is a directory, not a file")
        mode = _file_mode(path)
        if mode is not None and not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
    gzipped, fmt, stem = _format(PurePath(label).name)
    if suffix is not None:
        gzipped, fmt, _ = _format("document" + suffix)
    origin = Origin(label, stem)
    raw = source if isinstance(source, bytes) else Path(source)
    if fmt in WARC_EXT:  # streamed record by record, compressed or not
        return _warc(raw, origin, opts)
    if gzipped:
        data = _gunzip(raw, label, opts.max_bytes)
    elif isinstance(raw, bytes):
        if len(raw) > opts.max_bytes:
            raise FileTooLarge(
                f"{label}: file too large ({len(raw) / 1e6:.1f} MB;"
                f" the limit is {opts.max_bytes / 1e6:.1f} MB)"
            )
        data = raw
    else:
        data = _read_capped(raw, opts.max_bytes)
    decoded = decode_bytes(data, label, opts.encoding, declared=charset)
    result = _articles(fmt, origin, decoded.text, opts)
    if decoded.repaired:
        repaired = f"{label}: repaired mis-decoded characters (mojibake)"
        result = replace(result, warnings=(repaired, *result.warnings))
    if decoded.mixed:
        mixed = f"{label}: mixes encodings ({decoded.encoding}); each line read in its own"
        result = replace(result, warnings=(mixed, *result.warnings))
    return result


def read_paths(paths: Iterable[Path | str], options: ReadOptions | None = None) -> ReadResult:
    """Read files and folders (walked as by :func:`collect_files`), in the order given.

    A file that fails becomes a ``Failure`` with the reason and the others go on; so
    does a path that is not a regular file (a named pipe, a device), a file that meets a
    bug in a reader (``internal error: …``), so that one
    document never stops the batch, and a folder without any file to read. Files
    skipped in folders are counted in a warning.
    """
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings: list[str] = []
    skipped = 0
    for given in paths:
        files, unreadable, left = collect_files([given])
        failures.extend(unreadable)
        skipped += left
        if not files and not unreadable and Path(given).is_dir():
            failures.append(
                Failure(
                    str(given),
                    f"{given}: is a directory without files of a supported type",
                    f"pass files, or a folder of {', '.join(sorted(SUPPORTED_SUFFIXES))} files",
                )
            )
        for path in files:
            try:
                result = read_file(path, options)
            except Exception as err:  # recorded as this file's failure
                failures.append(failure_of(str(path), err))
                continue
            articles.extend(result.articles)
            failures.extend(result.failures)
            warnings.extend(result.warnings)
    if skipped:
        warnings.append(f"{skipped} files in folders skipped (hidden, or not of a supported type)")
    return ReadResult(tuple(articles), tuple(failures), tuple(warnings))
