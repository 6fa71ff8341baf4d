"""``newsprism stories`` and ``newsprism story``: the collection's stories."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from newsprism.cli.common import (
    EXIT_OK,
    EXIT_SOME_FAILED,
    db_option,
    fail,
    json_text,
    open_collection,
    report_problems,
)
from newsprism.collection.browse import StoryData
from newsprism.errors import NewsprismError
from newsprism.model import Coverage
from newsprism.report import FORMATS, coverage_to_dict, render
from newsprism.serialize import Shape
from newsprism.store import ArticleInfo

__all__ = ["register"]

_STORY_SHAPES = (
    Shape(
        StoryData,
        drop=("title",),
        rename={"id": "story", "members": "articles", "history": "events"},
    ),
    Shape(ArticleInfo, convert=lambda info: info.id),
    Shape(Coverage, convert=coverage_to_dict),
)
"""``story --format json``: the story id, the id asked for, its article ids, the ids
compared, its events, and the coverage diff as the JSON report."""


def register(main: click.Group) -> None:
    """Add ``stories`` and ``story`` to the ``newsprism`` command group."""

    @main.command("stories")
    @db_option
    @click.option("--language", metavar="CODE", help="Only stories with articles in CODE.")
    @click.option(
        "--min-articles", type=click.IntRange(min=1), default=1, show_default=True,
        help="Only stories with at least this many articles.",
    )  # fmt: skip
    @click.option("--limit", type=click.IntRange(min=1), default=None, help="At most N stories.")
    @click.option(
        "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
        show_default=True, help="Output format.",
    )  # fmt: skip
    def stories_command(
        db: Path, language: str | None, min_articles: int, limit: int | None, fmt: str
    ) -> None:
        """List the stories of a collection, largest first.

        Ingest puts every new article into a story (see docs/stories.md). Each line
        gives the story id, articles, independent sources, languages, first and
        last publication date, and title.
        """
        from newsprism.collection.browse import Filters

        with open_collection(db) as collection:
            infos = collection.stories(
                Filters(language=language), min_articles=min_articles, limit=limit
            )
        if fmt == "json":
            click.echo(json_text(infos))
            return
        if not infos:
            click.echo("no stories (ingest articles first: `newsprism ingest FILES`)")
            return
        for i in infos:
            days = f"{i.first_seen or '?'}..{i.last_seen or '?'}"
            click.echo(
                f"{i.id}  {i.articles:>4} articles  {i.independent_sources:>3} independent  "
                f"{','.join(i.languages):<8} {days:<22} {i.title}"
            )

    @main.command("story")
    @click.argument("story_id")
    @db_option
    @click.option(
        "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
        help="Output format.",
    )  # fmt: skip
    @click.option(
        "--max-articles", type=click.IntRange(min=2), default=8, show_default=True,
        help="Compare at most N articles (spread over sources and languages).",
    )  # fmt: skip
    @click.option(
        "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
        help="Write the report to this file instead of standard output.",
    )  # fmt: skip
    def story_command(
        story_id: str, db: Path, fmt: str, max_articles: int, output: Path | None
    ) -> None:
        """Show the coverage diff of story STORY_ID: its articles, how it grew, and
        where its sources agree, conflict or report something alone.

        An id of a story merged into another leads to the story it is part of.
        """
        with open_collection(db) as collection:
            try:
                data = collection.story(story_id, limit=max_articles)
            except NewsprismError as err:
                fail(err)
        sid, coverage = data.id, data.coverage
        members = [i.id for i in data.members]
        report_problems(coverage.failures, coverage.warnings)
        if fmt == "html":  # the story page of `newsprism serve`, as one file
            from newsprism.web import render_story_document

            text = render_story_document(data)
        elif fmt == "json":
            text = json_text(data, _STORY_SHAPES)
        else:
            body = render(coverage, fmt, color=False, width=100)
            if fmt == "text":
                head = f"story {sid}: {len(members)} articles"
                if len(members) > len(coverage.articles):
                    head += f" ({len(coverage.articles)} compared)"
                body = head + "\n" + body
            text = body
        if output is not None:
            output.write_text(text, encoding="utf-8")
        else:
            click.echo(text)
        sys.exit(EXIT_SOME_FAILED if coverage.failures else EXIT_OK)
