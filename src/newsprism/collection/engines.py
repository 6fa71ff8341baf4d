"""Where the work of an ingest runs: in this process, or on a Dask cluster.

An engine maps one function over partitions and yields the results **in input
order**, keeping a bounded number of partitions in flight. The ingest (see
:func:`newsprism.collection.ingest.ingest`) gives both engines the same functions
(:mod:`newsprism.collection.tasks`) and writes every result itself, in order, into the one
SQLite store: with either engine the store ends up with the same articles,
annotations, entities and stories.

- ``local``: calls the function in this process, one partition at a time.
- ``dask``: submits partitions to a ``dask.distributed`` cluster: an existing one
  (``scheduler="tcp://host:8786"``) or a ``LocalCluster`` of ``workers`` processes
  with one thread each, started for the run. Every worker loads the models once, at
  start (a worker plugin), not per task. A partition whose worker dies is run again
  on another worker by Dask; results are written only once, by the client.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, Self, TypeVar

from newsprism.errors import OptionError

__all__ = ["ENGINES", "Engine", "EngineOptions", "LocalEngine", "open_engine"]

ENGINES = ("local", "dask")
T = TypeVar("T")
R = TypeVar("R")


@dataclass(frozen=True)
class EngineOptions:
    """Which engine runs an ingest, and how work is cut.

    ``kind``: ``local`` or ``dask``. ``scheduler``: address of a running Dask scheduler
    (``tcp://HOST:PORT``); without it, the Dask engine starts a ``LocalCluster`` of
    ``workers`` processes (default: one per CPU). ``partition``: articles per
    annotation task. ``files``: input files per reading task. ``in_flight``:
    partitions queued per worker (more hides latency, costs memory on the client).
    ``ship_limit``: files up to this size travel to the workers as bytes (workers then
    need no access to the client's disk); a worker opens a larger file at its path.
    ``warm``: load the models on every worker when it starts.
    """

    kind: str = "local"
    scheduler: str | None = None
    workers: int | None = None
    partition: int = 16
    files: int = 16
    in_flight: int = 3
    ship_limit: int = 64 * 1024 * 1024
    warm: bool = True

    def __post_init__(self) -> None:
        if self.kind not in ENGINES:
            raise OptionError(f"unknown engine {self.kind!r} (choose from {', '.join(ENGINES)})")
        if self.kind == "local" and (self.scheduler or self.workers):
            raise OptionError(
                "--scheduler and --workers apply to the dask engine", "add --engine dask"
            )
        if self.scheduler and self.workers:
            raise OptionError(
                "give either --scheduler (an existing cluster) or --workers (a local one)",
                "the workers of an existing cluster are started with `dask worker`",
            )
        if self.partition < 1 or self.files < 1 or self.in_flight < 1:
            raise OptionError("partition, files and in_flight must be at least 1")


class Engine(Protocol):
    """Maps a function over items, yielding results in input order."""

    @property
    def workers(self) -> int: ...

    @property
    def ships_bytes(self) -> bool: ...

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None: ...


class LocalEngine:
    """Runs every partition in this process, in order."""

    workers = 1
    ships_bytes = False  # the files are read where they are

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        for item in items:
            yield fn(item)

    def close(self) -> None:
        pass

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def open_engine(options: EngineOptions | None = None) -> Engine:
    """The engine ``options`` ask for, ready to use (close it, or use it in ``with``)."""
    opts = options or EngineOptions()
    if opts.kind == "local":
        return LocalEngine()
    from newsprism.collection.dask_engine import DaskEngine

    return DaskEngine(opts)
