"""``newsprism embed`` and ``newsprism similar``: sentence vectors in a collection."""

from __future__ import annotations

import json
from pathlib import Path

import click

from newsprism.cli.common import db_option, fail, format_option, open_collection
from newsprism.errors import NewsprismError
from newsprism.serialize import to_data

__all__ = ["register"]


def register(main: click.Group) -> None:
    """Add ``embed`` and ``similar`` to the ``newsprism`` command group."""

    @main.command("embed")
    @db_option
    @format_option
    def embed_command(db: Path, fmt: str) -> None:
        """Compute sentence vectors for the stored articles that have none."""
        with open_collection(db) as collection:
            try:
                done = collection.embed()
            except NewsprismError as err:
                fail(err)
        if fmt == "json":
            click.echo(json.dumps(to_data(done)))
        else:
            click.echo(f"embedded {done.embedded} sentences ({done.total} stored)")

    @main.command("similar")
    @click.argument("query")
    @db_option
    @click.option("--limit", "limit", type=click.IntRange(min=1), default=10, show_default=True,
                  help="How many sentences to show.")  # fmt: skip
    @format_option
    def similar_command(query: str, db: Path, limit: int, fmt: str) -> None:
        """The stored sentences closest in meaning to QUERY (run `newsprism embed` first)."""
        with open_collection(db) as collection:
            try:
                found = collection.similar(query, limit)
            except NewsprismError as err:
                fail(err)
        rows = [
            {"article": n.article_id, "sentence": n.idx, "distance": round(n.distance, 4),
             "text": n.text}
            for n in found
        ]  # fmt: skip
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            click.echo("no sentence vectors stored (run `newsprism embed`)", err=True)
        for r in rows:
            click.echo(f"{r['distance']:.3f}  {r['article']}#{r['sentence']}  {r['text']}")
