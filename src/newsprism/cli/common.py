"""What every ``newsprism`` command shares: exit codes, error lines, option checks, and
the ``--format json`` output.

Exit codes: 0 done; 1 some inputs failed (the rest were processed); 2 usage error, or
the command could not run (no input could be read, a collection that cannot be opened
or written, a full disk); 3 internal error (a bug; :mod:`newsprism.cli.exits`).
Every line written on standard error is one line: names and messages are escaped
(:func:`newsprism.errors.printable`), so a file name cannot forge a line.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from newsprism.errors import NewsprismError, printable
from newsprism.language import is_known_code, normalise_code
from newsprism.serialize import Shape, to_data

if TYPE_CHECKING:
    from newsprism.collection import Collection
    from newsprism.model import Failure

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

DB_KEY = "newsprism.db"
"""Where the ``--db`` of the running command is kept (``click.Context.meta``), so that an
error of the collection file can name it."""


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def report_problems(failures: Iterable[Failure], warnings: Iterable[str]) -> None:
    """One ``failed: <reason> (hint: …)`` line per failure, one ``warning:`` line each."""
    for failure in failures:
        hint = f" (hint: {failure.hint})" if failure.hint else ""
        echo_err(printable(f"failed: {failure.reason}{hint}"))
    for warning in warnings:
        echo_err(printable(f"warning: {warning}"))


def json_text(data: object, shapes: Iterable[Shape] = ()) -> str:
    """What a command prints with ``--format json``: ``data`` as plain data
    (:func:`newsprism.serialize.to_data`, with ``shapes``), indented, strict JSON."""
    return json.dumps(to_data(data, shapes=shapes), indent=2, ensure_ascii=False, allow_nan=False)


def fail(err: NewsprismError) -> NoReturn:
    """Print ``error: <message> (hint: <hint>)`` and exit with the usage code."""
    echo_err(printable(f"error: {err.message}" + (f" (hint: {err.hint})" if err.hint else "")))
    sys.exit(EXIT_USAGE)


def language_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``EN``, ``en-US``, ``eng`` → ``en``; anything not shaped like a language code is refused."""
    if value is None:
        return None
    code = normalise_code(value)
    if code is None or not is_known_code(code):
        raise click.BadParameter(f"{value!r} is not an ISO 639 language code (e.g. en, fr, ru)")
    return code


def remember_db(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Keep the ``--db`` path in the context (``DB_KEY``) for error messages."""
    if value is not None:
        ctx.meta[DB_KEY] = value
    return value


DEFAULT_DB = "newsprism.db"

db_option = click.option(
    "--db",
    "db",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_DB,
    show_default=True,
    envvar="NEWSPRISM_DB",
    callback=remember_db,
    help="The collection file (SQLite); also $NEWSPRISM_DB.",
)


def iso_day(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    """An ISO date option (``2024-03-31``)."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2024-03-31") from None


def open_collection(db: Path, *, create: bool = False) -> Collection:
    """The collection ``db`` (an existing one unless ``create``), or ``error: …`` and the
    usage exit code."""
    from newsprism.collection import Collection

    try:
        return Collection(db, create=create)
    except NewsprismError as err:
        fail(err)


format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
