"""A persistent collection: ingest files into a :class:`~newsprism.store.Store`, list
and search what it holds.

``ingest(paths, store, options, progress)`` reads files and folders (recursively),
annotates each new article with the pipeline and stores it with its annotations.
Formats: everything :func:`newsprism.ingest.read_path` reads (``.txt``, ``.html``,
``.json``, ``.jsonl`` …), CSV files, RSS/Atom feed files (``.rss``, ``.atom``, ``.xml``;
:mod:`newsprism.ingest.feeds`), WARC files (``.warc``; :mod:`newsprism.ingest.warc`), and
gzip-compressed copies of any of these (``articles.jsonl.gz``; decompressed size capped at
``ReadOptions.max_bytes``; ``.warc.gz`` is streamed record by record).

CSV files have a header row naming their columns: ``id,title,text,url,source,published,
language`` (any order, any case; only ``text`` is required; other columns are ignored).
The delimiter is a comma, semicolon or tab, whichever the header uses most; fields
follow RFC 4180 quoting. ``published`` is an ISO date; a missing ``id`` becomes
``<file stem>-<row number>``.

Exact duplicates (same cleaned text, see :func:`~newsprism.store.content_hash`) are
counted, not stored twice, and not annotated again, so re-ingesting the same input adds
nothing. A file or record that cannot be read or annotated becomes a row of the
``failures`` table (and of ``IngestSummary.failures``) and the batch goes on; a file
read successfully forgets its earlier failures.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sqlite3
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from newsprism.dedupe import DedupeOptions, index_article, index_missing
from newsprism.errors import EmptyDocument, InputError, MalformedDocument
from newsprism.ingest import FileTooLarge, ReadOptions, ReadResult, clean_text, read_path
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.feeds import FEED_EXT, read_feed
from newsprism.ingest.readers import (
    HTML_EXT,
    JSON_EXT,
    JSONL_EXT,
    parse_date,
    read_capped,
    source_from_url,
)
from newsprism.ingest.warc import WARC_EXT, read_warc
from newsprism.language import detect_language, normalise_code
from newsprism.model import Article, Failure
from newsprism.pipeline import PipelineOptions, Timings, _annotate_cached, _failure
from newsprism.store import ArticleInfo, ArticleQuery, SearchHit, Store, content_hash
from newsprism.store.entities import link_stored
from newsprism.stories.store import StoryOptions, StoryUpdate, update_stories

__all__ = [
    "CSV_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "IngestOptions",
    "IngestProgress",
    "IngestSummary",
    "collect_files",
    "hit_to_dict",
    "info_to_dict",
    "ingest",
    "list_articles",
    "read_csv",
    "read_file",
    "search",
    "summary_to_dict",
]

CSV_COLUMNS = ("id", "title", "text", "url", "source", "published", "language")
SUPPORTED_SUFFIXES = frozenset(
    {".txt", ".text", ".csv"} | HTML_EXT | JSON_EXT | JSONL_EXT | FEED_EXT | WARC_EXT
)


@dataclass(frozen=True)
class IngestOptions:
    """Options of ``ingest``: how files are read and how articles are annotated.

    ``read.language`` / ``pipeline.language`` force a language (both, normally).
    The annotation cache is off by default: the store itself keeps the annotations,
    and an article already stored is never annotated again.
    ``near_duplicates``: how new articles are linked to near-duplicates already stored
    (see ``newsprism.dedupe``); ``None`` turns linking off.
    ``stories``: how articles not in a story yet are put into stories after the run
    (see ``newsprism.stories``); ``None`` leaves them for a later run.
    """

    read: ReadOptions = field(default_factory=ReadOptions)
    pipeline: PipelineOptions = field(default_factory=lambda: PipelineOptions(cache=False))
    near_duplicates: DedupeOptions | None = field(default_factory=DedupeOptions)
    stories: StoryOptions | None = field(default_factory=StoryOptions)


@dataclass(frozen=True)
class IngestSummary:
    """What ``ingest`` did. ``failed`` counts files and records that failed (listed in
    ``failures``); ``skipped`` counts files inside folders left alone because of their
    type or because they are hidden; ``ids`` are the ids the new articles got."""

    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    skipped: int = 0
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    stories: StoryUpdate | None = None


@dataclass(frozen=True)
class IngestProgress:
    """Progress of ``ingest``, reported after every article and file.

    ``done_bytes``/``total_bytes`` measure input files (an article counts for its share
    of its file); ``articles`` is the number of articles handled so far.
    """

    path: str
    done_bytes: int
    total_bytes: int
    articles: int
    summary: IngestSummary


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

    Raises the typed errors of :func:`newsprism.ingest.read_path`.
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


# --- ingest -----------------------------------------------------------------------------


class _Tally:
    def __init__(self, skipped: int) -> None:
        self.counts: Counter[str] = Counter(skipped=skipped)
        self.failures: list[Failure] = []
        self.warnings: list[str] = []
        self.ids: list[str] = []

    def fail(self, failure: Failure, store: Store) -> None:
        self.failures.append(failure)
        self.counts["failed"] += 1
        store.record_failure(failure)

    def summary(self) -> IngestSummary:
        c = self.counts
        return IngestSummary(
            ingested=c["ingested"],
            duplicates=c["duplicates"],
            failed=c["failed"],
            skipped=c["skipped"],
            failures=tuple(self.failures),
            warnings=tuple(self.warnings),
            ids=tuple(self.ids),
        )


def _size(path: Path) -> int:
    try:
        return max(path.stat().st_size, 1)
    except OSError:
        return 1


def _store_one(
    article: Article,
    where: str,
    store: Store,
    opts: IngestOptions,
    tally: _Tally,
    timings: Timings | None = None,
) -> None:
    if store.find_hash(content_hash(article.text)) is not None:
        tally.counts["duplicates"] += 1
        return
    try:
        annotated = _annotate_cached(article, opts.pipeline, timings)
        started = time.perf_counter()
        stored = store.add(annotated)
        if timings is not None:
            timings.add("store", time.perf_counter() - started)
    except sqlite3.Error as err:
        if not isinstance(err, sqlite3.IntegrityError):
            raise  # the store's problem (disk full, locked), not the document's
        tally.fail(_failure(where, err), store)  # annotations the schema refuses
        return
    except Exception as err:
        tally.fail(_failure(where, err), store)
        return
    if stored is None:
        tally.counts["duplicates"] += 1
    else:
        tally.counts["ingested"] += 1
        tally.ids.append(stored)
        if opts.near_duplicates is not None:
            started = time.perf_counter()
            index_article(store, stored, annotated.text, opts.near_duplicates)
            if timings is not None:
                timings.add("near-duplicates", time.perf_counter() - started)
        started = time.perf_counter()
        link_stored(store, stored)
        if timings is not None:
            timings.add("entities-link", time.perf_counter() - started)


def ingest(
    paths: Iterable[Path | str],
    store: Store,
    options: IngestOptions | None = None,
    progress: Callable[[IngestProgress], None] | None = None,
    timings: Timings | None = None,
) -> IngestSummary:
    """Read, annotate and store the articles of ``paths`` (files or folders).

    Each article is stored in its own transaction, so an interrupted run keeps what it
    finished and a re-run picks up the rest. Store errors (disk full, locked database)
    propagate; problems of single files and records are recorded and the batch goes on.
    ``timings``, when given, receives seconds per stage: ``read`` (reading, cleaning and
    language detection), the annotation stages, and ``store`` (writing to the store).
    """
    opts = options or IngestOptions()
    files, missing, skipped = collect_files(paths)
    tally = _Tally(skipped)
    for failure in missing:
        tally.fail(failure, store)
    sizes = [_size(f) for f in files]
    total, done, handled = sum(sizes), 0, 0

    def report(path: Path, bytes_done: int) -> None:
        if progress is not None:
            progress(IngestProgress(str(path), bytes_done, total, handled, tally.summary()))

    for path, size in zip(files, sizes, strict=True):
        store.clear_failures(str(path))
        started = time.perf_counter()
        try:
            result = read_file(path, opts.read)
        except Exception as err:
            tally.fail(_failure(str(path), err), store)
            done += size
            report(path, done)
            continue
        finally:
            if timings is not None:
                timings.add("read", time.perf_counter() - started)
        for failure in result.failures:
            tally.fail(failure, store)
        tally.warnings.extend(result.warnings)
        count = len(result.articles)
        for k, article in enumerate(result.articles, start=1):
            where = str(path) if count == 1 else f"{path}:{article.id}"
            _store_one(article, where, store, opts, tally, timings)
            handled += 1
            report(path, done + size * k // count)
        done += size
        report(path, done)
    if opts.near_duplicates is not None:  # articles stored by a run killed before linking
        index_missing(store, opts.near_duplicates)
    summary = tally.summary()
    if opts.stories is not None:  # every article in no story yet, this run's and earlier
        started = time.perf_counter()
        summary = replace(summary, stories=update_stories(store, None, opts.stories))
        if timings is not None:
            timings.add("stories", time.perf_counter() - started)
    return summary


# --- listing and search -----------------------------------------------------------------


def list_articles(store: Store, query: ArticleQuery | None = None) -> list[ArticleInfo]:
    """Metadata of the stored articles matching ``query``, newest first."""
    return store.articles(query)


def search(
    store: Store,
    text: str,
    query: ArticleQuery | None = None,
    *,
    marks: tuple[str, str] = ("[", "]"),
) -> list[SearchHit]:
    """Full-text search of titles and texts (FTS5 syntax or plain words), best first;
    each hit has a snippet with the matched words between ``marks``."""
    return store.search(text, query, marks=marks)


def info_to_dict(info: ArticleInfo) -> dict[str, Any]:
    """JSON-ready form of an ``ArticleInfo`` (dates as ISO strings)."""
    return {
        "id": info.id,
        "title": info.title,
        "source": info.source,
        "url": info.url,
        "language": info.language,
        "published": info.published.isoformat() if info.published else None,
        "path": info.path,
        "content_hash": info.content_hash,
        "ingested_at": info.ingested_at,
        "chars": info.chars,
    }


def hit_to_dict(hit: SearchHit) -> dict[str, Any]:
    """JSON-ready form of a ``SearchHit``: the article's fields, ``snippet``, ``score``."""
    return {**info_to_dict(hit.article), "snippet": hit.snippet, "score": hit.score}


def summary_to_dict(summary: IngestSummary) -> dict[str, Any]:
    """JSON-ready form of an ``IngestSummary``."""
    return {
        "ingested": summary.ingested,
        "duplicates": summary.duplicates,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "ids": list(summary.ids),
        "failures": [
            {"path": f.path, "reason": f.reason, "hint": f.hint} for f in summary.failures
        ],
        "warnings": list(summary.warnings),
        "stories": asdict(summary.stories) if summary.stories else None,
    }
