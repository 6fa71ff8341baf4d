"""A stored collection: ingest, fetch, search, compare and stories over one SQLite file,
run by the local or the Dask engine."""
