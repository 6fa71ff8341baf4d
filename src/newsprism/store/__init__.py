"""Persistent collections: annotated articles in one SQLite file.

``Store`` opens (and creates or migrates) a collection; ``newsprism.collection.ingest`` ingests
files into it. Stages never touch the store: the pipeline reads and writes it.
"""

from newsprism.errors import SchemaError, StoreError
from newsprism.store.db import (
    ArticleInfo,
    ArticleQuery,
    ConstraintFailed,
    FailureRow,
    SearchHit,
    Store,
    content_hash,
)
from newsprism.store.schema import MIGRATIONS, migrate
from newsprism.store.transaction import storage_error

__all__ = [
    "MIGRATIONS",
    "ArticleInfo",
    "ArticleQuery",
    "ConstraintFailed",
    "FailureRow",
    "SchemaError",
    "SearchHit",
    "Store",
    "StoreError",
    "content_hash",
    "migrate",
    "storage_error",
]
