"""A persistent collection: ingest files into a :class:`~newsprism.store.Store`, list
and search what it holds.

``ingest(paths, store, options, progress)`` reads files and folders (recursively),
annotates each new article with the pipeline and stores it with its annotations.
Formats: everything :func:`newsprism.read.read_file` reads (``.txt``, ``.html``,
``.json``, ``.jsonl`` …), CSV files, RSS/Atom feed files (``.rss``, ``.atom``, ``.xml``;
:mod:`newsprism.read.feeds`), WARC files (``.warc``; :mod:`newsprism.read.warc`), and
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

import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from newsprism.collection.duplicates import index_article, index_missing
from newsprism.collection.engines import Engine, EngineOptions, open_engine
from newsprism.collection.entities import EntityLinker, link_missing
from newsprism.collection.stories import StoryOptions, StoryUpdate, save_story_docs, update_stories
from newsprism.collection.tasks import (
    FileInput,
    FileRead,
    PartitionResult,
    annotate_partition,
    read_files,
)
from newsprism.dedupe import DedupeOptions
from newsprism.errors import failure_of
from newsprism.model import Article, Failure
from newsprism.pipeline.run import PipelineOptions, annotate_cached
from newsprism.read.files import CSV_COLUMNS, SUPPORTED_SUFFIXES, collect_files, read_file
from newsprism.store import (
    ConstraintFailed,
    Store,
    content_hash,
)
from newsprism.timings import Timings

__all__ = [
    "CSV_COLUMNS",
    "SUPPORTED_SUFFIXES",
    "ArticleWriter",
    "IngestOptions",
    "IngestProgress",
    "IngestSummary",
    "collect_files",
    "ingest",
    "read_file",
]


@dataclass(frozen=True)
class IngestOptions:
    """Options of ``ingest``: how files are read and how articles are annotated.

    ``pipeline``: how files are read (``pipeline.read``) and articles annotated;
    ``pipeline.language`` forces one language on every article.
    The annotation cache is off by default: the store itself keeps the annotations,
    and an article already stored is never annotated again.
    ``near_duplicates``: how new articles are linked to near-duplicates already stored
    (see ``newsprism.dedupe``); ``None`` turns linking off.
    ``stories``: how articles not in a story yet are put into stories after the run
    (see ``newsprism.stories``); ``None`` leaves them for a later run.
    ``engine``: where reading and annotation run (see ``newsprism.collection.engines``).
    """

    pipeline: PipelineOptions = field(default_factory=lambda: PipelineOptions(cache=False))
    near_duplicates: DedupeOptions | None = field(default_factory=DedupeOptions)
    stories: StoryOptions | None = field(default_factory=StoryOptions)
    engine: EngineOptions = field(default_factory=EngineOptions)


@dataclass(frozen=True)
class IngestSummary:
    """What ``ingest`` did. ``failed`` counts files and records that failed (listed in
    ``failures``); ``skipped`` counts files inside folders left alone because of their
    type or because they are hidden; ``ids`` are the ids the new articles got. The
    fields are in the order of ``newsprism ingest --format json``."""

    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    skipped: int = 0
    ids: tuple[str, ...] = ()
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()
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


# --- ingest -----------------------------------------------------------------------------


class _Tally:
    def __init__(self, skipped: int) -> None:
        self.counts: Counter[str] = Counter(skipped=skipped)
        self.failures: list[Failure] = []
        self.warnings: list[str] = []
        self.ids: list[str] = []
        self._linker: EntityLinker | None = None

    def linker(self, store: Store) -> EntityLinker:
        """The entity linker of this run (its alias index is loaded once)."""
        if self._linker is None:
            self._linker = EntityLinker(store)
        return self._linker

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
            ids=tuple(self.ids),
            failures=tuple(self.failures),
            warnings=tuple(self.warnings),
        )


def _size(path: Path) -> int:
    try:
        return max(path.stat().st_size, 1)
    except OSError:
        return 1


def _write_annotated(
    annotated: Article,
    where: str,
    store: Store,
    opts: IngestOptions,
    tally: _Tally,
    timings: Timings | None,
) -> str | None:
    """Store an annotated article, index it for near-duplicates and link its names;
    returns the id it was stored under (None: a duplicate, or a failure recorded)."""
    started = time.perf_counter()
    try:
        stored = store.add(annotated)
    except ConstraintFailed as err:  # annotations the schema refuses; other store errors
        tally.fail(failure_of(where, err), store)  # (disk full, locked) propagate
        return None
    finally:
        if timings is not None:
            timings.add("store", time.perf_counter() - started)
    if stored is None:
        tally.counts["duplicates"] += 1
        return None
    tally.counts["ingested"] += 1
    tally.ids.append(stored)
    if opts.near_duplicates is not None:
        started = time.perf_counter()
        index_article(store, stored, annotated.text, opts.near_duplicates)
        if timings is not None:
            timings.add("near-duplicates", time.perf_counter() - started)
    started = time.perf_counter()
    tally.linker(store).link(stored)
    if timings is not None:
        timings.add("entities-link", time.perf_counter() - started)
    return stored


def _store_one(
    article: Article,
    where: str,
    store: Store,
    opts: IngestOptions,
    tally: _Tally,
    timings: Timings | None = None,
) -> None:
    """Annotate and store one article here (used where articles arrive one by one)."""
    if store.find_hash(content_hash(article.text)) is not None:
        tally.counts["duplicates"] += 1
        return
    try:
        annotated = annotate_cached(article, opts.pipeline, timings)
    except Exception as err:
        tally.fail(failure_of(where, err), store)
        return
    _write_annotated(annotated, where, store, opts, tally, timings)


class ArticleWriter:
    """Annotates and stores articles that arrive one at a time (the pages of a fetch)
    exactly as ``ingest`` stores them, and counts what happened."""

    def __init__(self, store: Store, options: IngestOptions | None = None) -> None:
        self.store = store
        self.options = options or IngestOptions()
        self._tally = _Tally(0)
        link_missing(store)  # articles stored by a run killed before it linked their names

    def add(self, article: Article, where: str) -> None:
        """Annotate and store ``article`` (``where``: its file or URL, named by a failure);
        an exact duplicate is counted, a failure recorded."""
        _store_one(article, where, self.store, self.options, self._tally)

    def duplicate(self) -> None:
        """Count an input left out as a duplicate without reading it."""
        self._tally.counts["duplicates"] += 1

    def fail(self, failure: Failure) -> None:
        """Record a failure (in the summary and the collection's failures table)."""
        self._tally.fail(failure, self.store)

    def summary(self) -> IngestSummary:
        """What was stored, left out and failed so far."""
        return self._tally.summary()


@dataclass(frozen=True)
class _Pending:
    path: str
    where: str
    digest: str
    share: float  # of its file's bytes


class _Run:
    """One ingest: turns read files into partitions of new articles and writes the
    annotated partitions, in order, into the store."""

    def __init__(
        self,
        store: Store,
        opts: IngestOptions,
        tally: _Tally,
        timings: Timings | None,
        progress: Callable[[IngestProgress], None] | None,
        sizes: dict[str, int],
    ) -> None:
        self.store, self.opts, self.tally, self.timings = store, opts, tally, timings
        self.progress = progress
        self.sizes = sizes
        self.total = sum(sizes.values())
        self.done = 0.0
        self.handled = 0
        self.digests: set[str] = set()  # of articles on their way to the store
        self.queue: deque[list[_Pending]] = deque()

    def report(self, path: str) -> None:
        if self.progress is not None:
            summary = self.tally.summary()
            self.progress(IngestProgress(path, int(self.done), self.total, self.handled, summary))

    def groups(self, files: list[Path], ship: bool) -> Iterator[list[FileInput]]:
        """Files to read, a few per task; their bytes travel with them when ``ship``
        is set and the file is small enough (see ``EngineOptions.ship_limit``)."""
        limit, group, size = self.opts.engine.ship_limit, list[FileInput](), 0
        for path in files:
            n = self.sizes[str(path)]
            carry = ship and n <= limit
            try:
                data = path.read_bytes() if carry else None
            except OSError:
                data = None  # reading it again where the task runs reports the error
            group.append(FileInput(str(path), data))
            size += n if carry else 0
            if len(group) >= self.opts.engine.files or size >= 8 * 1024 * 1024:
                yield group
                group, size = [], 0
        if group:
            yield group

    def partitions(self, reads: Iterable[list[FileRead]]) -> Iterator[list[tuple[str, Article]]]:
        """New articles of the read files, ``engine.partition`` at a time; exact
        duplicates (of stored articles, or of articles on their way) are counted."""
        batch: list[tuple[str, Article]] = []
        meta: list[_Pending] = []
        for group in reads:
            for read in group:
                yield from self._file(read, batch, meta)
        if batch:
            self.queue.append(meta)
            yield batch

    def _file(
        self, read: FileRead, batch: list[tuple[str, Article]], meta: list[_Pending]
    ) -> Iterator[list[tuple[str, Article]]]:
        store, tally = self.store, self.tally
        store.clear_failures(read.path)
        if self.timings is not None:
            self.timings.add("read", read.seconds)
        for failure in read.failures:
            tally.fail(failure, store)
        tally.warnings.extend(read.warnings)
        size = self.sizes.get(read.path, 1)
        count = len(read.articles)
        if not count:
            self.done += size
            self.report(read.path)
        for article in read.articles:
            where = read.path if count == 1 else f"{read.path}:{article.id}"
            digest = content_hash(article.text)
            if digest in self.digests or store.find_hash(digest) is not None:
                tally.counts["duplicates"] += 1
                self.handled += 1
                self.done += size / count
                self.report(read.path)
                continue
            self.digests.add(digest)
            batch.append((where, article))
            meta.append(_Pending(read.path, where, digest, size / count))
            if len(batch) >= self.opts.engine.partition:
                self.queue.append(meta[:])
                yield batch[:]
                batch.clear()
                meta.clear()

    def write(self, result: PartitionResult) -> None:
        """Store one annotated partition (the oldest one not written yet)."""
        meta = self.queue.popleft()
        if self.timings is not None:
            for stage, seconds in result.seconds.items():
                self.timings.add(stage, seconds)
        docs = []
        for pending, item in zip(meta, result.items, strict=True):
            self.digests.discard(pending.digest)
            if isinstance(item, Failure):
                self.tally.fail(item, self.store)
            else:
                where = pending.where
                stored = _write_annotated(
                    item.article, where, self.store, self.opts, self.tally, self.timings
                )
                if stored is not None and item.doc is not None:
                    docs.append(replace(item.doc, id=stored))
            self.handled += 1
            self.done += pending.share
            self.report(pending.path)
        if docs:
            save_story_docs(self.store, docs)


def ingest(
    paths: Iterable[Path | str],
    store: Store,
    options: IngestOptions | None = None,
    progress: Callable[[IngestProgress], None] | None = None,
    timings: Timings | None = None,
    engine: Engine | None = None,
) -> IngestSummary:
    """Read, annotate and store the articles of ``paths`` (files or folders).

    Files are read and new articles annotated by ``engine`` (default: the one
    ``options.engine`` names, opened and closed here), in partitions; this process
    writes every result, in input order, so both engines store the same thing.
    Each article is stored in its own transaction, so an interrupted run keeps what it
    finished and a re-run picks up the rest. Store errors (disk full, locked database)
    propagate; problems of single files and records are recorded and the batch goes on.
    ``timings``, when given, receives seconds per stage: ``read`` (reading, cleaning and
    language detection), the annotation stages, ``names``/``embed``/``features`` (story
    features), ``store`` (writing to the store), ``near-duplicates``,
    ``entities-link`` and ``stories``. With the Dask engine the stages that run on the
    workers are summed over workers.
    """
    opts = options or IngestOptions()
    started = time.perf_counter()
    link_missing(store)  # articles stored by a run killed before it linked their names
    if timings is not None:
        timings.add("entities-link", time.perf_counter() - started)
    files, missing, skipped = collect_files(paths)
    tally = _Tally(skipped)
    for failure in missing:
        tally.fail(failure, store)
    run = _Run(store, opts, tally, timings, progress, {str(f): _size(f) for f in files})
    prepare = opts.stories.prepare if opts.stories is not None else None
    annotate = partial(annotate_partition, pipeline=opts.pipeline, prepare=prepare)
    with ExitStack() as stack:
        if engine is None:
            engine = stack.enter_context(open_engine(opts.engine))
        reads = engine.map(partial(read_files, options=opts.pipeline.reading()),
                           run.groups(files, engine.ships_bytes))  # fmt: skip
        for result in engine.map(annotate, run.partitions(reads)):
            run.write(result)
    if opts.near_duplicates is not None:  # articles stored by a run killed before linking
        index_missing(store, opts.near_duplicates)
    summary = tally.summary()
    if opts.stories is not None:  # every article in no story yet, this run's and earlier
        started = time.perf_counter()
        summary = replace(summary, stories=update_stories(store, None, opts.stories))
        if timings is not None:
            timings.add("stories", time.perf_counter() - started)
    return summary
