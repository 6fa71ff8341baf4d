"""The ``newsprism`` command: parse arguments, call the library, render.

Exit codes: 0 all inputs compared; 1 some inputs failed (the rest were
compared and reported); 2 usage error or nothing left to compare.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from . import __version__
from .errors import NewsprismError
from .language import normalise_code
from .pipeline import PipelineOptions, compare_paths
from .report import FORMATS, render

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


def _language_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``EN``, ``en-US``, ``eng`` → ``en``; anything not shaped like a language code is refused."""
    if value is None:
        return None
    code = normalise_code(value)
    if code is None:
        raise click.BadParameter(f"{value!r} is not an ISO 639 language code (e.g. en, fr, ru)")
    return code


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsprism")
def main() -> None:
    """Compare news coverage across outlets and languages, claim by claim."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
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
    callback=_language_code,
    help="Language of every article (ISO 639-1, e.g. en); detected when omitted.",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the text report (default: when writing to a terminal).",
)
def compare(
    files: tuple[Path, ...], fmt: str, output: Path | None, language: str | None, color: bool | None
) -> None:
    """Show where FILES agree, conflict, or report something alone.

    FILES are .txt (first short line = title), .html/.htm, .json or .jsonl
    articles. Bad files are reported on standard error and skipped.
    """
    options = PipelineOptions(language=language)
    try:
        coverage = compare_paths(files, options)
    except NewsprismError as err:
        _echo_err(f"error: {err.message}" + (f" (hint: {err.hint})" if err.hint else ""))
        sys.exit(EXIT_USAGE)
    for failure in coverage.failures:
        hint = f" (hint: {failure.hint})" if failure.hint else ""
        _echo_err(f"failed: {failure.reason}{hint}")
    for warning in coverage.warnings:
        _echo_err(f"warning: {warning}")
    if not coverage.articles:
        _echo_err("error: no article could be read; nothing to compare")
        sys.exit(EXIT_USAGE)
    to_terminal = output is None and sys.stdout.isatty()
    use_color = color if color is not None else to_terminal
    width = shutil.get_terminal_size((100, 24)).columns if to_terminal else 100
    text = render(coverage, fmt, color=use_color, width=width)
    if output is not None:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as err:
            _echo_err(f"error: cannot write {output}: {err.strerror or err}")
            sys.exit(EXIT_USAGE)
    else:
        click.echo(text, color=use_color)  # keep the colours asked for, even through a pipe
    sys.exit(EXIT_SOME_FAILED if coverage.failures else EXIT_OK)
