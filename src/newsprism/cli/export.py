"""The commands ``newsprism export`` and ``newsprism duplicates``, and the library call
behind ``newsprism compare --db``.

Exit codes: 0 done; 2 usage error, or the collection cannot be opened or exported.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
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
    language_code,
    open_store,
)
from newsprism.collection.duplicates import index_missing, stored_groups
from newsprism.collection.export import EXPORT_FORMATS, ExportError, export
from newsprism.collection.stored import compare_stored
from newsprism.dedupe import DedupeOptions, DuplicateGroup
from newsprism.errors import NewsprismError
from newsprism.model import Coverage
from newsprism.pipeline.run import PipelineOptions
from newsprism.store import ArticleQuery, Store

__all__ = ["coverage_from_db", "register"]


def coverage_from_db(db: Path, ids: Sequence[str], options: PipelineOptions) -> Coverage:
    """The coverage diff of the articles ``ids`` stored in the collection ``db``
    (for ``newsprism compare --db``); unknown ids are the coverage's failures.
    Exits with the usage code when the collection cannot be opened."""
    with open_store(db) as store:
        try:
            return compare_stored(store, ids, options)
        except NewsprismError as err:
            fail(err)


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
        with open_store(db) as store:
            try:
                target: Any = output if output is not None else sys.stdout
                count = export(store, fmt, target, query)
            except OSError as err:
                fail(ExportError(f"cannot write {output}: {err.strerror or err}"))
            except NewsprismError as err:
                fail(err)
        echo_err(f"exported {count} articles" + (f" to {output}" if output else ""))
        sys.exit(EXIT_OK)


# --- duplicates -------------------------------------------------------------------------


def _group_dict(store: Store, group: DuplicateGroup) -> dict[str, Any]:
    articles = []
    for ident in group.ids:
        row = store.connection.execute(
            "SELECT title, source, url, published FROM articles WHERE id = ?", (ident,)
        ).fetchone()
        title, source, url, published = row if row else ("", None, None, None)
        articles.append(
            {"id": ident, "title": title, "source": source, "url": url, "published": published}
        )
    return {
        "ids": list(group.ids),
        "articles": articles,
        "links": [
            {"article_id": x.article_id, "duplicate_of": x.duplicate_of, "similarity": x.similarity}
            for x in group.links
        ],
    }


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
        with open_store(db) as store:
            try:
                indexing = min(threshold, DedupeOptions().threshold)
                index_missing(store, DedupeOptions(threshold=indexing))
                groups = stored_groups(store, threshold)
                total = len(store)
                data = [_group_dict(store, g) for g in groups]
            except NewsprismError as err:
                fail(err)
        independent = total - sum(len(g.ids) - 1 for g in groups)
        if fmt == "json":
            summary = {"articles": total, "independent_sources": independent, "groups": data}
            click.echo(json.dumps(summary, indent=2, ensure_ascii=False))
            sys.exit(EXIT_OK)
        for n, group in enumerate(data, start=1):
            click.echo(f"group {n}: {len(group['ids'])} articles")
            for a in group["articles"]:
                where = ", ".join(str(x) for x in (a["source"], a["published"]) if x)
                click.echo(
                    f"  {a['id']}  {a['title'] or '(untitled)'}" + (f"  ({where})" if where else "")
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
