"""The collection commands: ``newsprism ingest``, ``articles`` and ``search``.

Each opens the collection (:class:`~newsprism.collection.Collection`), makes one call
into it and renders. Exit codes: 0 done; 1 some inputs failed (``ingest``; the rest were stored);
2 usage error or the collection cannot be opened.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from newsprism.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    db_option,
    fail,
    format_option,
    iso_day,
    json_text,
    language_code,
    open_collection,
    report_problems,
)
from newsprism.collection import Collection
from newsprism.collection.engines import ENGINES, EngineOptions
from newsprism.collection.ingest import IngestOptions, IngestProgress, IngestSummary
from newsprism.errors import NewsprismError
from newsprism.pipeline.run import PipelineOptions
from newsprism.serialize import Shape
from newsprism.store import ArticleInfo, ArticleQuery, SearchHit

__all__ = ["register"]


def _filters(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(
        [
            click.option("--source", metavar="NAME", help="Only articles from this source."),
            click.option(
                "--language", metavar="CODE", callback=language_code, help="Only this language."
            ),
            click.option(
                "--since", metavar="DATE", callback=iso_day, help="Published on or after."
            ),
            click.option(
                "--until", metavar="DATE", callback=iso_day, help="Published on or before."
            ),
        ]
    ):
        command = option(command)
    return command


# --- ingest -----------------------------------------------------------------------------


class _RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        articles = int(task.fields.get("articles", 0))
        rate = f"{articles / elapsed:.1f} articles/s" if elapsed > 0 and articles else ""
        return Text(rate, style="progress.data.speed")


def _run_ingest(
    paths: tuple[Path, ...], collection: Collection, options: IngestOptions
) -> IngestSummary:
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        _RateColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[counts]}"),
    )
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("ingesting", total=None, articles=0, counts="")

        def on_progress(p: IngestProgress) -> None:
            s = p.summary
            counts = f"{s.ingested} new, {s.duplicates} dup, {s.failed} failed"
            bar.update(task, total=p.total_bytes, completed=p.done_bytes,
                       articles=p.articles, counts=counts)  # fmt: skip

        return collection.ingest(paths, options, on_progress)


def _ingest_command(main: click.Group) -> None:
    @main.command("ingest")
    @click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
    @db_option
    @click.option(
        "--language",
        metavar="CODE",
        callback=language_code,
        help="Language of every article (ISO 639-1); detected when omitted.",
    )
    @click.option(
        "--engine",
        type=click.Choice(ENGINES),
        default="local",
        show_default=True,
        help="Where articles are read and annotated: this process, or a Dask cluster.",
    )
    @click.option(
        "--scheduler",
        metavar="tcp://HOST:PORT",
        help="Address of a running Dask scheduler (with --engine dask).",
    )
    @click.option(
        "--workers",
        type=click.IntRange(min=1),
        help="Start a local Dask cluster of N worker processes (with --engine dask;"
        " default: one per CPU).",
    )
    @format_option
    def ingest_cmd(
        paths: tuple[Path, ...],
        db: Path,
        language: str | None,
        engine: str,
        scheduler: str | None,
        workers: int | None,
        fmt: str,
    ) -> None:
        """Add the articles of PATHS (files or folders) to a collection.

        Reads .txt, .html, .json, .jsonl, .csv (columns
        id,title,text,url,source,published,language; only text is required),
        RSS/Atom feeds (.rss, .atom, .xml) and WARC files (.warc), and their .gz
        copies; folders are read recursively. Each new article is
        annotated and stored with its annotations; exact duplicates are counted and
        left out, so ingesting the same files again adds nothing. Files that fail
        are reported on standard error, recorded in the collection's failures
        table, and skipped.

        With --engine dask, files are read and articles annotated on a Dask
        cluster (--scheduler tcp://HOST:PORT, or a local one of --workers N
        processes) and this process stores the results: the collection ends up
        the same as with the local engine (see docs/distributed.md).
        """
        try:
            options = IngestOptions(
                pipeline=PipelineOptions(language=language, cache=False),
                engine=EngineOptions(kind=engine, scheduler=scheduler, workers=workers),
            )
            with Collection(db) as collection:
                summary = _run_ingest(paths, collection, options)
        except NewsprismError as err:
            fail(err)
        report_problems(summary.failures, summary.warnings)
        if fmt == "json":
            click.echo(json_text(summary))
        else:
            line = (
                f"ingested {summary.ingested}, duplicates {summary.duplicates}, "
                f"failed {summary.failed}"
            )
            line += f", skipped {summary.skipped}" if summary.skipped else ""
            if summary.stories and summary.stories.articles:
                st = summary.stories
                line += (
                    f"; stories: {st.created} new, {st.joined} joined, {st.merged} merged,"
                    f" {st.split} split"
                )
            click.echo(line)
        sys.exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)


# --- articles and search ----------------------------------------------------------------


_HIT_SHAPES = (Shape(SearchHit, inline=("article",)),)
"""A search hit in JSON: the article's fields, then ``snippet`` and ``score``."""


def _info_line(info: ArticleInfo) -> str:
    published = info.published.isoformat() if info.published else "-" * 10
    fields = [published, info.language or "--", info.source or "-", info.id]
    return "  ".join(fields) + (f"  {info.title}" if info.title else "")


def _hit_lines(n: int, hit: SearchHit) -> list[str]:
    a = hit.article
    where = ", ".join(x for x in (a.source, a.published and a.published.isoformat(), a.id) if x)
    return [f"{n}. {a.title or '(untitled)'}  ({where})", f"   {' '.join(hit.snippet.split())}"]


def _query_command(main: click.Group) -> None:
    @main.command("articles")
    @db_option
    @_filters
    @click.option(
        "--limit", metavar="N", type=click.IntRange(min=1), default=None, help="At most N articles."
    )
    @format_option
    def articles_cmd(
        db: Path,
        source: str | None,
        language: str | None,
        since: date | None,
        until: date | None,
        limit: int | None,
        fmt: str,
    ) -> None:
        """List the articles of a collection, newest first.

        Text output has one line per article: published date, language, source,
        id and title.
        """
        query = ArticleQuery(source, language, since, until, limit)
        with open_collection(db) as collection:
            found = collection.articles(query)
        if fmt == "json":
            click.echo(json_text(found))
        else:
            for info in found:
                click.echo(_info_line(info))

    @main.command("search")
    @click.argument("query")
    @db_option
    @_filters
    @click.option(
        "--limit",
        metavar="N",
        type=click.IntRange(min=1),
        default=20,
        show_default=True,
        help="At most N hits.",
    )
    @format_option
    def search_cmd(
        query: str,
        db: Path,
        source: str | None,
        language: str | None,
        since: date | None,
        until: date | None,
        limit: int,
        fmt: str,
    ) -> None:
        """Search the titles and texts of a collection, best match first.

        QUERY is words (all must occur), "a phrase" in double quotes, prefix*,
        or a combination with OR / NOT (SQLite FTS5 syntax). Matched words are
        marked [like this] in the text output and <mark>like this</mark> in JSON.
        """
        filters = ArticleQuery(source, language, since, until, limit)
        marks = ("<mark>", "</mark>") if fmt == "json" else ("[", "]")
        with open_collection(db) as collection:
            try:
                hits = collection.search(query, filters, marks=marks)
            except NewsprismError as err:
                fail(err)
        if fmt == "json":
            click.echo(json_text(hits, _HIT_SHAPES))
            return
        if not hits:
            click.echo(f"no article matches {query!r}", err=True)
        for n, hit in enumerate(hits, start=1):
            click.echo("\n".join(_hit_lines(n, hit)))


def register(main: click.Group) -> None:
    """Add the collection commands (``ingest``, ``articles``, ``search``) to ``main``."""
    _ingest_command(main)
    _query_command(main)
