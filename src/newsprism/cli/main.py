"""The ``newsprism`` command: parse arguments, call the library, render.

Exit codes: 0 all inputs compared; 1 some inputs failed (the rest were
compared and reported); 2 usage error or nothing left to compare; 3 internal
error (one line, the traceback only with ``newsprism --debug``; see
:mod:`newsprism.cli.exits`).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import click

from newsprism.cli.common import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_SOME_FAILED,
    EXIT_USAGE,
    echo_err,
    fail,
    format_option,
    language_code,
    remember_db,
    report_problems,
)
from newsprism.cli.exits import CommandGroup
from newsprism.errors import NewsprismError
from newsprism.pipeline.run import PipelineOptions, compare_paths
from newsprism.report import FORMATS, render
from newsprism.version import __version__

__all__ = ["EXIT_INTERNAL", "EXIT_OK", "EXIT_SOME_FAILED", "EXIT_USAGE", "main"]


@click.group(cls=CommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsprism")
@click.option(
    "--debug",
    is_flag=True,
    help="On an internal error (exit code 3), print the traceback too.",
)
def main(debug: bool) -> None:
    """Compare news coverage across outlets and languages, claim by claim."""


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    callback=remember_db,
    help="Compare articles stored in this collection; FILES are then article ids.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file instead of standard output.",
)
@click.option(
    "--language",
    metavar="CODE",
    callback=language_code,
    help="Language of every article (ISO 639-1, e.g. en); detected when omitted.",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the text report (default: when writing to a terminal).",
)
def compare(
    files: tuple[str, ...],
    db: Path | None,
    fmt: str,
    output: Path | None,
    language: str | None,
    color: bool | None,
) -> None:
    """Show where FILES agree, conflict, or report something alone.

    FILES are read as `newsprism ingest` reads them: .txt (first short line =
    title), .html/.htm, .json, .jsonl, .csv (one article per row; columns
    id,title,text,url,source,published,language), RSS/Atom feeds (.rss, .atom,
    .xml; one article per item), WARC files (.warc; one per HTML page), and
    their .gz copies; folders are read recursively. With --db, FILES are ids of
    stored articles. Bad files and records are reported on standard error and
    skipped (exit code 1).
    """
    options = PipelineOptions(language=language)
    try:
        if db is not None:
            from newsprism.cli.common import open_collection

            with open_collection(db) as collection:
                coverage = collection.compare(files, options)
        else:
            coverage = compare_paths([Path(f) for f in files], options)
    except NewsprismError as err:
        fail(err)
    report_problems(coverage.failures, coverage.warnings)
    if not coverage.articles:
        echo_err("error: no article could be read; nothing to compare")
        sys.exit(EXIT_USAGE)
    to_terminal = output is None and sys.stdout.isatty()
    use_color = color if color is not None else to_terminal
    width = shutil.get_terminal_size((100, 24)).columns if to_terminal else 100
    text = render(coverage, fmt, color=use_color, width=width)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as err:
            echo_err(f"error: cannot write {output}: {err.strerror or err}")
            sys.exit(EXIT_USAGE)
    else:
        click.echo(text, color=use_color)  # keep the colours asked for, even through a pipe
    sys.exit(EXIT_SOME_FAILED if coverage.failures else EXIT_OK)


@main.group("eval")
def eval_group() -> None:
    """Measure extraction quality against gold data (see docs/quality.md)."""


def _eval_command(name: str, summary: str) -> None:
    @eval_group.command(name, help=summary)
    @click.option(
        "--data",
        "data",
        required=True,
        type=click.Path(exists=True, path_type=Path),
        help="Gold data: a file or folder in the task's format.",
    )
    @format_option
    @click.option(
        "--limit",
        type=click.IntRange(min=1),
        default=None,
        help="Evaluate only the first N items (documents, sentences or rows).",
    )
    def command(data: Path, fmt: str, limit: int | None) -> None:
        from newsprism.evaluate import task

        evaluate, render_result = task(name)
        try:
            result = evaluate(data, limit=limit)
        except NewsprismError as err:
            fail(err)
        if fmt == "json":
            click.echo(json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False))
        else:
            click.echo(render_result(result))


_eval_command(
    "quantities", "Quantity extraction against NewsQuant-style JSON (CQE matching rules)."
)
_eval_command(
    "attribution", "Attribution (source, cue, content) against PolNeAR-style brat folders."
)
_eval_command("language", "Language identification against JSONL rows with known languages.")
_eval_command(
    "clustering", "Story clustering against JSONL rows with gold story labels (BCubed, pairwise)."
)
_eval_command(
    "similarity", "Article-pair similarity against SemEval-2022 Task 8 rows (Pearson, 1-4 scale)."
)


def _register_collection_commands() -> None:
    from newsprism.cli.collection import register
    from newsprism.cli.export import register as register_export
    from newsprism.cli.fetch import register as register_fetch
    from newsprism.cli.serve import register as register_serve
    from newsprism.cli.similarity import register as register_similarity
    from newsprism.cli.stories import register as register_stories
    from newsprism.cli.vectors import register as register_vectors

    register(main)
    register_fetch(main)
    register_export(main)
    register_vectors(main)
    register_stories(main)
    register_similarity(main)
    register_serve(main)


_register_collection_commands()
