"""The Dask engine: partitions run on a ``dask.distributed`` cluster.

See :mod:`newsprism.collection.engines` for the contract and ``docs/distributed.md`` for how to
run a cluster on several machines.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from distributed import Client, Future, LocalCluster
from distributed.diagnostics.plugin import WorkerPlugin

from newsprism.collection.engines import EngineOptions
from newsprism.collection.tasks import warm_models
from newsprism.errors import EngineError

__all__ = ["DaskEngine", "WarmModels"]

T = TypeVar("T")
R = TypeVar("R")


class WarmModels(WorkerPlugin):
    """Loads the NER, parsing and embedding models when a worker starts (and when a
    restarted worker comes back), so that tasks never load them."""

    name = "newsprism-warm-models"

    def setup(self, worker: Any) -> None:
        warm_models()


class DaskEngine:
    """Runs partitions on a Dask cluster; see :mod:`newsprism.collection.engines`."""

    ships_bytes = True  # workers may not see the client's disk

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        self.cluster: LocalCluster | None = None
        where = options.scheduler or "a local cluster"
        try:
            if options.scheduler:
                self.client = Client(options.scheduler, timeout="20s")  # type: ignore[no-untyped-call]
            else:
                self.cluster = LocalCluster(  # type: ignore[no-untyped-call]
                    n_workers=options.workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)  # type: ignore[no-untyped-call]
        except (OSError, TimeoutError) as err:
            self.close()
            raise EngineError(f"could not connect to {where}: {err}") from err
        try:
            self.client.wait_for_workers(1, timeout=60)
        except TimeoutError as err:
            self.close()
            raise EngineError(f"{where}: no worker joined within 60 s") from err
        self._workers = 1
        if options.warm:
            self.client.register_plugin(WarmModels())

    @property
    def workers(self) -> int:
        """Workers of the cluster now (the last count seen once the engine is closed)."""
        if self.client.status == "running":
            info = self.client.scheduler_info(n_workers=-1)
            self._workers = max(1, len(info.get("workers", {})))
        return self._workers

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn`` over ``items`` on the cluster, results in input order; at most
        ``in_flight`` partitions per worker are queued at a time."""
        window: deque[Future[Any]] = deque()
        limit = max(2, self.options.in_flight * self.workers)
        try:
            for item in items:
                window.append(self.client.submit(fn, item, pure=False))
                while len(window) >= limit:
                    yield self._result(window.popleft())
            while window:
                yield self._result(window.popleft())
        finally:
            for future in window:
                future.cancel()  # type: ignore[no-untyped-call]

    @staticmethod
    def _result(future: Future[Any]) -> Any:
        try:
            return future.result()
        except Exception as err:
            raise EngineError(f"a task failed on the cluster: {type(err).__name__}: {err}") from err

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
