"""What happens to an error no command handled: one line on standard error and an exit
code that says what went wrong, never a traceback (unless ``--debug``).

:class:`CommandGroup` is the class of the ``newsprism`` group. Around every command it
turns

- a :class:`~newsprism.errors.NewsprismError` into ``error: <message> (hint: …)``, exit 2;
- an error of the disk, the collection file or a lock (a full disk, a read-only or
  damaged file; :func:`newsprism.store.storage_error`), and an ``OSError`` of the
  disk or of permissions, into the same kind of line, exit 2;
- Ctrl-C into ``interrupted``, exit 130;
- any other exception (a bug) into ``internal error: <type>: <message>; run again with
  --debug for the traceback``, exit 3; with ``newsprism --debug`` the traceback is
  printed first.

A command's own ``sys.exit`` (0, 1 or 2), click's usage errors (2) and a closed output
pipe pass through unchanged.
"""

from __future__ import annotations

import errno
import sys
import traceback
from typing import Any, NoReturn

import click

from newsprism.cli.common import DB_KEY, EXIT_INTERNAL, echo_err, fail
from newsprism.errors import NewsprismError, StoreError, printable

__all__ = ["EXIT_INTERRUPTED", "CommandGroup", "exit_on_error"]

EXIT_INTERRUPTED = 130
_SPACE = "free some disk space (or raise the quota), then run the command again"
_RIGHTS = "fix the permissions of the file or its folder, then run the command again"
_OS_HINTS = {
    errno.ENOSPC: _SPACE,
    errno.EDQUOT: _SPACE,
    errno.EFBIG: _SPACE,
    errno.EROFS: "write to a file system that is not read-only",
    errno.EACCES: _RIGHTS,
    errno.EPERM: _RIGHTS,
    errno.EIO: "check the disk and its file system, then run the command again",
}


def _environment_error(err: Exception, db: object) -> NewsprismError | None:
    """The typed error for a failure of the disk, a file or a lock, else ``None``."""
    if type(err).__module__ == "sqlite3":
        from newsprism.store import storage_error

        return storage_error(err, str(db) if db is not None else None)
    if isinstance(err, OSError) and err.errno in _OS_HINTS:
        where = f"{err.filename}: " if err.filename else ""
        return StoreError(f"{where}{err.strerror or err}", _OS_HINTS[err.errno])
    return None


def exit_on_error(err: BaseException, *, debug: bool, db: object = None) -> NoReturn:
    """Print the one line that describes ``err`` (see the module docs) and exit."""
    if isinstance(err, KeyboardInterrupt):
        echo_err("interrupted")
        sys.exit(EXIT_INTERRUPTED)
    if isinstance(err, NewsprismError):
        fail(err)
    if isinstance(err, Exception):
        typed = _environment_error(err, db)
        if typed is not None:
            fail(typed)
    if debug:
        traceback.print_exception(err, file=sys.stderr)
    message = printable(" ".join(f"{type(err).__name__}: {err}".split()))
    echo_err(f"internal error: {message}; run again with --debug for the traceback")
    sys.exit(EXIT_INTERNAL)


class CommandGroup(click.Group):
    """A click group whose commands never end in a traceback (see the module docs)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except OSError as err:
            if err.errno == errno.EPIPE:  # the reader of the output went away: click's case
                raise
            exit_on_error(err, debug=_debug(ctx), db=ctx.meta.get(DB_KEY))
        except BaseException as err:  # every error ends in one line here
            if isinstance(err, GeneratorExit):
                raise
            exit_on_error(err, debug=_debug(ctx), db=ctx.meta.get(DB_KEY))


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("debug"))
