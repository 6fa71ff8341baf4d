"""What every ``newsprism`` command shares: exit codes, error lines, option checks."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from .errors import NewsprismError
from .language import normalise_code

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def echo_err(message: str) -> None:
    click.echo(message, err=True)


def fail(err: NewsprismError) -> NoReturn:
    """Print ``error: <message> (hint: <hint>)`` and exit with the usage code."""
    echo_err(f"error: {err.message}" + (f" (hint: {err.hint})" if err.hint else ""))
    sys.exit(EXIT_USAGE)


def language_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``EN``, ``en-US``, ``eng`` → ``en``; anything not shaped like a language code is refused."""
    if value is None:
        return None
    code = normalise_code(value)
    if code is None:
        raise click.BadParameter(f"{value!r} is not an ISO 639 language code (e.g. en, fr, ru)")
    return code
