"""The commands ``newsprism export`` and ``newsprism duplicates``.

Exit codes: 0 done; 2 usage error, or the collection cannot be opened or exported.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click

from newsprism.cli.common import (
    EXIT_OK,
    db_option,
    echo_err,
    fail,
    format_option,
    iso_day,
    json_text,
    language_code,
    open_collection,
)
from newsprism.collection.export import EXPORT_FORMATS
from newsprism.dedupe import DedupeOptions
from newsprism.errors import ExportError, NewsprismError
from newsprism.store import ArticleQuery

__all__ = ["register"]


# --- export -----------------------------------------------------------------------------


def _export_command(main: click.Group) -> None:
    @main.command("export")
    @db_option
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(EXPORT_FORMATS),
        default="jsonl",
        show_default=True,
        help="jsonl: one JSON object per line; json: one array; csv; parquet.",
    )
    @click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write to this file (required for parquet; default: standard output).",
    )
    @click.option("--source", metavar="NAME", help="Only articles from this source.")
    @click.option("--language", metavar="CODE", callback=language_code, help="Only this language.")
    @click.option("--since", metavar="DATE", callback=iso_day, help="Published on or after.")
    @click.option("--until", metavar="DATE", callback=iso_day, help="Published on or before.")
    @click.option("--limit", metavar="N", type=click.IntRange(min=1), help="At most N articles.")
    def export_cmd(
        db: Path,
        fmt: str,
        output: Path | None,
        source: str | None,
        language: str | None,
        since: date | None,
        until: date | None,
        limit: int | None,
    ) -> None:
        """Write the articles of a collection, with their metadata and text, to a file.

        Articles are written in id order as they are read. jsonl and json records
        hold every annotation (sentences, mentions, quantities, quotes, dates) as
        nested lists; csv has the ingest columns (so it can be ingested again) plus
        counts; parquet (needs the pyarrow package) has typed nested columns. Every
        record has duplicate_group: the first id of its near-duplicate group. A
        summary line goes to standard error.
        """
        if fmt == "parquet" and output is None:
            echo_err("error: --format parquet needs -o FILE (Parquet is binary)")
            sys.exit(2)
        query = ArticleQuery(source, language, since, until, limit)
        with open_collection(db) as collection:
            try:
                target: Any = output if output is not None else sys.stdout
                count = collection.export(fmt, target, query)
            except OSError as err:
                fail(ExportError(f"cannot write {output}: {err.strerror or err}"))
            except NewsprismError as err:
                fail(err)
        echo_err(f"exported {count} articles" + (f" to {output}" if output else ""))
        sys.exit(EXIT_OK)


# --- duplicates -------------------------------------------------------------------------


def _duplicates_command(main: click.Group) -> None:
    @main.command("duplicates")
    @db_option
    @click.option(
        "--threshold",
        type=click.FloatRange(0.0, 1.0, min_open=True),
        default=DedupeOptions().threshold,
        show_default=True,
        help="Only links at least this similar (estimated Jaccard of 3-word shingles).",
    )
    @format_option
    def duplicates_cmd(db: Path, threshold: float, fmt: str) -> None:
        """List groups of near-duplicate articles (the same copy, lightly edited).

        Each group counts as one independent source. Articles not yet in the
        near-duplicate index (stored by an older newsprism) are indexed first. A
        threshold below the one used at indexing (0.7) finds no extra links.
        """
        with open_collection(db) as collection:
            try:
                found = collection.duplicates(threshold)
            except NewsprismError as err:
                fail(err)
        if fmt == "json":
            click.echo(json_text(found))
            sys.exit(EXIT_OK)
        total, independent, groups = found.articles, found.independent_sources, found.groups
        for n, group in enumerate(groups, start=1):
            click.echo(f"group {n}: {len(group.ids)} articles")
            for a in group.articles:
                where = ", ".join(str(x) for x in (a.source, a.published) if x)
                click.echo(
                    f"  {a.id}  {a.title or '(untitled)'}" + (f"  ({where})" if where else "")
                )
        click.echo(
            f"{total} articles, {independent} independent sources, "
            f"{len(groups)} near-duplicate groups"
        )
        sys.exit(EXIT_OK)


def register(main: click.Group) -> None:
    """Add ``export`` and ``duplicates`` to ``main``."""
    _export_command(main)
    _duplicates_command(main)
