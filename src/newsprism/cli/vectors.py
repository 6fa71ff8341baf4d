"""``newsprism embed`` and ``newsprism similar``: sentence vectors in a collection."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import click

from newsprism.cli.common import db_option, fail, format_option, open_store
from newsprism.errors import NewsprismError


def _sentence_text(conn: sqlite3.Connection, article_id: str, idx: int) -> str:
    row = conn.execute(
        "SELECT text FROM sentences WHERE article_id = ? AND idx = ?", (article_id, idx)
    ).fetchone()
    return str(row[0]) if row else ""


def register(main: click.Group) -> None:
    """Add ``embed`` and ``similar`` to the ``newsprism`` command group."""

    @main.command("embed")
    @db_option
    @format_option
    def embed_command(db: Path, fmt: str) -> None:
        """Compute sentence vectors for the stored articles that have none."""
        from newsprism.collection.vectors import embed_stored
        from newsprism.store.vectors import embedded_count

        with open_store(db) as store:
            try:
                added = embed_stored(store)
            except NewsprismError as err:
                fail(err)
            total = embedded_count(store)
        if fmt == "json":
            click.echo(json.dumps({"embedded": added, "total": total}))
        else:
            click.echo(f"embedded {added} sentences ({total} stored)")

    @main.command("similar")
    @click.argument("query")
    @db_option
    @click.option("--limit", "limit", type=click.IntRange(min=1), default=10, show_default=True,
                  help="How many sentences to show.")  # fmt: skip
    @format_option
    def similar_command(query: str, db: Path, limit: int, fmt: str) -> None:
        """The stored sentences closest in meaning to QUERY (run `newsprism embed` first)."""
        from newsprism.collection.vectors import nearest

        with open_store(db) as store:
            try:
                found = nearest(store, query, limit)
            except NewsprismError as err:
                fail(err)
            rows = [
                {"article": n.article_id, "sentence": n.idx, "distance": round(n.distance, 4),
                 "text": _sentence_text(store.connection, n.article_id, n.idx)}
                for n in found
            ]  # fmt: skip
        if fmt == "json":
            click.echo(json.dumps(rows, ensure_ascii=False))
            return
        if not rows:
            click.echo("no sentence vectors stored (run `newsprism embed`)", err=True)
        for r in rows:
            click.echo(f"{r['distance']:.3f}  {r['article']}#{r['sentence']}  {r['text']}")
