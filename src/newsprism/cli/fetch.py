"""The ``newsprism fetch`` command: download pages and feeds into a collection.

Exit codes: 0 every URL was fetched (or was a duplicate); 1 some URLs failed (the rest
were stored); 2 usage error or the collection cannot be opened.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from newsprism.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    db_option,
    fail,
    format_option,
    json_text,
    language_code,
    report_problems,
)
from newsprism.collection import Collection
from newsprism.collection.fetch import FetchOptions, FetchProgress, FetchSummary
from newsprism.collection.http import HttpOptions
from newsprism.errors import NewsprismError
from newsprism.pipeline.run import PipelineOptions

__all__ = ["register"]


def _networks(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    for cidr in value:
        try:
            ipaddress.ip_network(cidr, strict=False)
        except ValueError:
            raise click.BadParameter(f"{cidr!r} is not a network like 10.1.2.0/24") from None
    return value


def _run(urls: tuple[str, ...], collection: Collection, options: FetchOptions) -> FetchSummary:
    console = Console(stderr=True)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[counts]}"),
    )
    with Progress(*columns, console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task("fetching", total=len(urls), counts="")

        def on_progress(p: FetchProgress) -> None:
            s = p.summary
            counts = f"{s.fetched} new, {s.duplicates} dup, {s.failed} failed"
            bar.update(task, total=p.total, completed=p.done, counts=counts)

        return collection.fetch(urls, options, on_progress)


def register(main: click.Group) -> None:
    """Add the ``fetch`` command to ``main``."""

    @main.command("fetch")
    @click.argument("urls", nargs=-1, required=True)
    @db_option
    @click.option(
        "--allow-private",
        is_flag=True,
        help="Also fetch loopback, private and link-local addresses (refused by default).",
    )
    @click.option(
        "--allow-network",
        "allow_networks",
        metavar="CIDR",
        multiple=True,
        callback=_networks,
        help="Also fetch addresses in this network (repeatable), e.g. 10.1.2.0/24.",
    )
    @click.option(
        "--max-items",
        metavar="N",
        type=click.IntRange(min=1),
        default=50,
        show_default=True,
        help="Links taken from each feed.",
    )
    @click.option(
        "--max-bytes",
        metavar="N",
        type=click.IntRange(min=1),
        default=10_000_000,
        show_default=True,
        help="Largest response body read.",
    )
    @click.option(
        "--timeout",
        metavar="SECONDS",
        type=click.FloatRange(min=0.1),
        default=20.0,
        show_default=True,
        help="Connect and read timeout (a whole download gets 3 times as long).",
    )
    @click.option("--refetch", is_flag=True, help="Download URLs already in the collection.")
    @click.option(
        "--language",
        metavar="CODE",
        callback=language_code,
        help="Language of every article (ISO 639-1); detected when omitted.",
    )
    @format_option
    def fetch_cmd(
        urls: tuple[str, ...],
        db: Path,
        allow_private: bool,
        allow_networks: tuple[str, ...],
        max_items: int,
        max_bytes: int,
        timeout: float,
        refetch: bool,
        language: str | None,
        fmt: str,
    ) -> None:
        """Download web pages and RSS/Atom/JSON feeds into a collection.

        Each URL is a page (its article is extracted and stored) or a feed (each
        of its item links, up to --max-items, is fetched as a page). Only public
        addresses are fetched unless --allow-private: names are checked after DNS
        resolution and on every redirect, and the connection goes to the address
        checked. Downloads are limited in time, size (--max-bytes) and redirects
        (5). Failed URLs are reported on standard error and recorded in the
        collection's failures table.
        """
        options = FetchOptions(
            http=HttpOptions(
                allow_private=allow_private,
                allowed_networks=allow_networks,
                connect_timeout=timeout,
                read_timeout=timeout,
                total_timeout=3 * timeout,
                max_bytes=max_bytes,
            ),
            pipeline=PipelineOptions(language=language, cache=False),
            max_items=max_items,
            refetch=refetch,
        )
        try:
            with Collection(db) as collection:
                summary = _run(urls, collection, options)
        except NewsprismError as err:
            fail(err)
        report_problems(summary.failures, summary.warnings)
        if fmt == "json":
            click.echo(json_text(summary))
        else:
            click.echo(
                f"fetched {summary.fetched}, duplicates {summary.duplicates}, "
                f"failed {summary.failed}"
            )
        sys.exit(EXIT_SOME_FAILED if summary.failed else EXIT_OK)
