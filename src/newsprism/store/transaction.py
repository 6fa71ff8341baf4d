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
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator

__all__ = ["immediate_transaction"]


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
