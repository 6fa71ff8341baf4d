"""The one transaction helper of the store.

:func:`immediate_transaction` wraps a block of writes on a connection in autocommit
mode (``isolation_level=None``): ``BEGIN IMMEDIATE`` on entry (the write lock is taken
at once, so a concurrent writer waits for ``busy_timeout`` instead of failing half-way),
``COMMIT`` when the block ends, ``ROLLBACK`` when it raises — and then the block's
exception is raised again, unchanged. Some errors end the transaction themselves (a
``RAISE(ROLLBACK)`` trigger, a full disk); the rollback is then skipped, and were it to
fail anyway, the block's exception is still the one raised. A failing ``COMMIT`` (a
deferred foreign key) rolls back as well. ``Store.transaction()`` is this helper on a
store's connection; the migrations use it directly.

:func:`storage_error` tells apart the errors of the disk, the file or a lock (a full
disk, an I/O error, a read-only or damaged file, another writer) from the others (a
bug) and turns them into a :class:`~newsprism.errors.StoreError` that names the real
error and what to do.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from newsprism.errors import StoreError

__all__ = ["immediate_transaction", "storage_error"]


@contextlib.contextmanager
def immediate_transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` on ``conn``; ``ROLLBACK`` and re-raise on any
    exception (``BaseException`` included). Not re-entrant: starting one inside another
    raises ``sqlite3.OperationalError`` before anything is written."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise


# SQLite's primary result codes of errors that come from the disk, the file or a lock.
_STORAGE_HINTS = {
    13: "free some disk space (or raise the quota) and run the command again;"
    " what was stored before is kept",  # SQLITE_FULL
    10: "check the disk and its file system, then run the command again",  # SQLITE_IOERR
    8: "make the collection file and its folder writable",  # SQLITE_READONLY
    5: "another process is writing to the collection: wait for it, then run again",  # BUSY
    6: "another process is writing to the collection: wait for it, then run again",  # LOCKED
    11: "the collection file is damaged: restore it from a copy",  # SQLITE_CORRUPT
    26: "the file is not a newsprism collection: check the --db path",  # SQLITE_NOTADB
    14: "check that the collection's folder exists and is writable",  # SQLITE_CANTOPEN
}


def storage_error(err: BaseException, path: Path | str | None = None) -> StoreError | None:
    """The :class:`~newsprism.errors.StoreError` for a SQLite error of the disk, the file
    or a lock (``database or disk is full`` …): its message names the collection
    ``path`` (when known) and SQLite's own message, its hint what to do. ``None`` for
    any other error."""
    if not isinstance(err, sqlite3.Error):
        return None
    code = getattr(err, "sqlite_errorcode", None)
    hint = _STORAGE_HINTS.get(code & 0xFF) if isinstance(code, int) else None
    if hint is None:
        return None
    where = f"{path}: " if path is not None else ""
    return StoreError(f"{where}cannot use the collection: {err}", hint)
