"""A stored collection: ingest, fetch, search, compare and stories over one SQLite file,
run by the local or the Dask engine. :class:`Collection` is its front object."""

from newsprism.collection.front import Collection

__all__ = ["Collection"]
