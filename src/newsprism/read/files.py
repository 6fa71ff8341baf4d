"""Reading input files of every supported type: the file-level half of ingest.

``collect_files`` walks folders for supported files; ``read_file`` reads one file of
any supported format (gzip-compressed or not) into articles; ``read_bytes`` does the
same for the bytes of a file read elsewhere (how the Dask engine ships inputs to
workers that cannot see the client's disk). CSV files are read by ``read_csv``
(columns: ``CSV_COLUMNS``).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import tempfile
import zlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from newsprism.errors import EmptyDocument, InputError, MalformedDocument, NewsprismError
from newsprism.language import detect_language, normalise_code
from newsprism.model import Article, Failure
from newsprism.read import FileTooLarge, ReadOptions, ReadResult, clean_text, read_path
from newsprism.read.decode import decode_bytes
from newsprism.read.feeds import FEED_EXT, read_feed
from newsprism.read.readers import (
    HTML_EXT,
    JSON_EXT,
    JSONL_EXT,
    parse_date,
    read_capped,
    source_from_url,
)
from newsprism.read.warc import WARC_EXT, read_warc

__all__ = [
    "CSV_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "collect_files",
    "read_bytes",
    "read_csv",
    "read_file",
]

CSV_COLUMNS = ("id", "title", "text", "url", "source", "published", "language")
SUPPORTED_SUFFIXES = frozenset(
    {".txt", ".text", ".csv"} | HTML_EXT | JSON_EXT | JSONL_EXT | FEED_EXT | WARC_EXT
)


# --- files ------------------------------------------------------------------------------


def _supported(path: Path) -> bool:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return bool(suffixes) and suffixes[-1] in SUPPORTED_SUFFIXES


def collect_files(paths: Iterable[Path | str]) -> tuple[list[Path], list[Failure], int]:
    """Files to read: ``(files, missing, skipped)``.

    A file named explicitly is always read; folders are walked recursively (in name
    order, symbolic links to folders not followed) for files of a supported type.
    Hidden files and folders, and files of other types, are counted as skipped.
    """
    files: list[Path] = []
    missing: list[Failure] = []
    skipped = 0
    seen: set[Path] = set()

    def add(path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            files.append(path)

    for raw in paths:
        path = Path(raw)
        if not path.exists():
            missing.append(Failure(str(path), f"{path}: file not found", InputError.default_hint))
        elif not path.is_dir():
            add(path)
        else:
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    file = Path(root) / name
                    if name.startswith(".") or not _supported(file):
                        skipped += 1
                    else:
                        add(file)
    return files, missing, skipped


def _gunzip(path: Path, limit: int) -> bytes:
    try:
        with gzip.open(path, "rb") as stream:
            data = stream.read(limit + 1)
    except (OSError, EOFError, zlib.error) as err:
        raise MalformedDocument(f"{path}: not a readable gzip file: {err}") from err
    if len(data) > limit:
        raise FileTooLarge(
            f"{path}: decompresses to more than {limit / 1e6:.1f} MB (the limit)",
        )
    return data


def _relocate(result: ReadResult, tmp: Path, path: Path) -> ReadResult:
    """Articles and messages read from the temporary file ``tmp`` named after ``path``."""

    def fix(text: str) -> str:
        return text.replace(str(tmp), str(path))

    return ReadResult(
        tuple(replace(a, path=str(path)) for a in result.articles),
        tuple(Failure(fix(f.path), fix(f.reason), f.hint) for f in result.failures),
        tuple(fix(w) for w in result.warnings),
    )


def read_file(path: Path | str, options: ReadOptions | None = None) -> ReadResult:
    """Read one file of any supported format, gzip-compressed or not.

    Raises the typed errors of :func:`newsprism.read.read_path`.
    """
    opts = options or ReadOptions()
    path = Path(path)
    if path.suffix.lower() != ".gz":
        if path.suffix.lower() == ".csv":
            return read_csv(path, read_capped(path, opts.max_bytes), opts)
        if path.suffix.lower() in FEED_EXT:
            return read_feed(path, opts)
        if path.suffix.lower() in WARC_EXT:
            return read_warc(path, opts)
        return read_path(path, opts)
    inner = Path(path.name[: -len(path.suffix)] or "article")
    if inner.suffix.lower() in WARC_EXT:
        return read_warc(path, opts)  # gzip record by record: streamed, not unpacked whole
    data = _gunzip(path, opts.max_bytes)
    if inner.suffix.lower() == ".csv":
        named = path.with_name(inner.name)  # ids and messages as for the plain file
        return _relocate(read_csv(named, data, opts), named, path)
    with tempfile.TemporaryDirectory(prefix="newsprism-") as folder:
        tmp = Path(folder) / inner.name
        tmp.write_bytes(data)
        reader = read_feed if inner.suffix.lower() in FEED_EXT else read_path
        return _relocate(reader(tmp, opts), tmp, path)


# --- CSV --------------------------------------------------------------------------------


def _csv_article(
    path: Path, row: dict[str, str], n: int, options: ReadOptions, warnings: list[str]
) -> Article:
    body = row.get("text") or ""
    if not body.strip():
        raise EmptyDocument(f"{path}: row {n}: 'text' is empty")
    text, removed = clean_text(body, options.clean)
    if not text.strip():
        raise EmptyDocument(f"{path}: row {n}: no article text left after cleaning")
    raw_date = (row.get("published") or "").strip()
    published = parse_date(raw_date)
    if raw_date and published is None:
        warnings.append(f"{path}: row {n}: unreadable date {raw_date!r} ignored")
    title = " ".join((row.get("title") or "").split())
    url = (row.get("url") or "").strip() or None
    language = normalise_code(options.language) or normalise_code(row.get("language"))
    if language is None and options.detect_language:
        sample = text if len(text) >= 200 else f"{title}\n{text}"
        language = detect_language(sample, options.detector)
    return Article(
        id=(row.get("id") or "").strip() or f"{path.stem}-{n}",
        text=text,
        title=title,
        language=language,
        source=(row.get("source") or "").strip() or source_from_url(url),
        url=url,
        published=published,
        path=str(path),
        removed=removed,
    )


def read_csv(path: Path, data: bytes, options: ReadOptions | None = None) -> ReadResult:
    """Articles from the CSV bytes ``data`` of file ``path`` (columns: ``CSV_COLUMNS``).

    A row without text is a failure of that row (``<path>:row N``); a file without a
    ``text`` column, or with broken quoting, raises ``MalformedDocument``.
    """
    opts = options or ReadOptions()
    decoded = decode_bytes(data, str(path), opts.encoding)
    header = decoded.text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    # The csv module's field limit (128 KiB) is process-wide; articles may be longer.
    csv.field_size_limit(max(csv.field_size_limit(), opts.max_bytes))
    reader = csv.DictReader(io.StringIO(decoded.text, newline=""), delimiter=delimiter)
    try:
        fields = [(name or "").strip().lower() for name in reader.fieldnames or ()]
    except csv.Error as err:
        raise MalformedDocument(f"{path}: invalid CSV header: {err}") from err
    if "text" not in fields:
        raise MalformedDocument(
            f"{path}: no 'text' column (found: {', '.join(fields) or 'nothing'})",
            f"name the columns in a header row: {','.join(CSV_COLUMNS)}",
        )
    reader.fieldnames = fields
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings = [f"{path}: repaired mis-decoded characters (mojibake)"] if decoded.repaired else []
    errors: list[InputError] = []
    n = 0
    try:
        for n, row in enumerate(reader, start=1):
            clean = {k: v for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
            try:
                articles.append(_csv_article(path, clean, n, opts, warnings))
            except InputError as err:
                errors.append(err)
                failures.append(Failure(f"{path}:row {n}", str(err), err.hint))
    except csv.Error as err:
        raise MalformedDocument(f"{path}: invalid CSV after row {n}: {err}") from err
    if not articles:
        raise errors[0] if errors else EmptyDocument(f"{path}: no rows")
    return ReadResult(tuple(articles), tuple(failures), tuple(warnings))


def read_bytes(path: Path | str, data: bytes, options: ReadOptions | None = None) -> ReadResult:
    """Read ``data``, the bytes of the file ``path``, as ``read_file`` reads that file
    (its name decides the format; ids, paths and messages name ``path``)."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="newsprism-") as folder:
        tmp = Path(folder) / (path.name or "article.txt")
        tmp.write_bytes(data)
        try:
            return _relocate(read_file(tmp, options), tmp, path)
        except NewsprismError as err:
            err.message = err.message.replace(str(tmp), str(path))
            err.args = (err.message,)
            raise
