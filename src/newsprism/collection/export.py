"""Export a collection: JSON lines, CSV or Parquet, streamed from the store.

Articles are read in id order, a batch at a time (never the whole collection at once),
and written as they come. Every format carries the article's metadata and cleaned
text, plus:

* ``content_hash``, ``ingested_at`` (from the store);
* ``duplicate_group``: the smallest id among the article's near-duplicates (see
  :mod:`newsprism.dedupe`), its own id when it has none — so the number of distinct
  values is the number of independent sources.

JSON lines: one object per article, :func:`newsprism.serialize.article_to_dict` (all
annotations as nested lists; infinite interval ends as ``"inf"``/``"-inf"``) plus the
fields above; ``json`` writes the same records as one JSON array. CSV: the ingest
columns first (``id,title,text,url,source,published,language``, so the file can be
ingested again), then ``path``, the fields above, and the number of sentences,
mentions, quantities, quotes and dates. Parquet (needs
``pyarrow``): the JSON lines record as typed columns — annotations as lists of
structs, ``published`` and date values as dates, infinite interval ends as IEEE
infinities.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from newsprism.collection.duplicates import stored_links
from newsprism.collection.ingest import CSV_COLUMNS
from newsprism.dedupe import group_of
from newsprism.errors import ExportError
from newsprism.model import Article
from newsprism.serialize import Shape, to_data
from newsprism.store import ArticleQuery, Store
from newsprism.store.export import article_stamps

__all__ = [
    "CSV_EXPORT_COLUMNS",
    "EXPORT_FORMATS",
    "StoredArticle",
    "export",
    "export_csv",
    "export_json",
    "export_jsonl",
    "export_parquet",
    "iter_stored",
]

EXPORT_FORMATS = ("jsonl", "json", "csv", "parquet")
_COUNTED = ("sentences", "mentions", "quantities", "quotes", "dates")
_EXTRA = ("content_hash", "ingested_at", "duplicate_group")
CSV_EXPORT_COLUMNS = (*CSV_COLUMNS, "path", *_EXTRA, *_COUNTED)


@dataclass(frozen=True)
class StoredArticle:
    """A stored article with what the store knows about it besides the article."""

    article: Article
    content_hash: str
    ingested_at: str
    duplicate_group: str


def iter_stored(
    store: Store, query: ArticleQuery | None = None, batch: int = 200
) -> Iterator[StoredArticle]:
    """The stored articles matching ``query`` (filters and limit), in id order, read
    ``batch`` at a time."""
    groups = group_of(stored_links(store))
    for stamp in article_stamps(store, query, batch):
        article = store.get(stamp.id)
        if article is not None:  # deleted meanwhile
            yield StoredArticle(
                article, stamp.content_hash, stamp.ingested_at, groups.get(stamp.id, stamp.id)
            )


def _extra(item: StoredArticle) -> dict[str, str]:
    return {
        "content_hash": item.content_hash,
        "ingested_at": item.ingested_at,
        "duplicate_group": item.duplicate_group,
    }


_RECORD_SHAPES = (Shape(StoredArticle, inline=("article",)),)


def _record(item: StoredArticle) -> dict[str, Any]:
    """The JSON record of a stored article: the stored form of the article (as
    :func:`newsprism.serialize.article_to_dict`) followed by the store's fields."""
    record: dict[str, Any] = to_data(item, numbers="text", shapes=_RECORD_SHAPES)
    return record


def export_jsonl(store: Store, stream: IO[str], query: ArticleQuery | None = None) -> int:
    """Write one JSON object per article to ``stream``; returns how many."""
    count = 0
    for item in iter_stored(store, query):
        record = _record(item)
        stream.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
        count += 1
    return count


def export_json(store: Store, stream: IO[str], query: ArticleQuery | None = None) -> int:
    """Write the JSON lines records as one JSON array (still streamed); returns how many."""
    count = 0
    stream.write("[")
    for item in iter_stored(store, query):
        record = _record(item)
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(record, ensure_ascii=False, allow_nan=False))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


def export_csv(store: Store, stream: IO[str], query: ArticleQuery | None = None) -> int:
    """Write a header and one CSV row per article (``CSV_EXPORT_COLUMNS``) to
    ``stream`` (open it with ``newline=""``); returns how many articles."""
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow(CSV_EXPORT_COLUMNS)
    count = 0
    for item in iter_stored(store, query):
        a = item.article
        published = a.published.isoformat() if a.published else ""
        row: list[object] = [a.id, a.title, a.text, a.url or "", a.source or "", published,
                             a.language or "", a.path or ""]  # fmt: skip
        row += [item.content_hash, item.ingested_at, item.duplicate_group]
        row += [len(getattr(a, name)) for name in _COUNTED]
        writer.writerow(row)
        count += 1
    return count


# --- Parquet ----------------------------------------------------------------------------


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow  # type: ignore[import-untyped,unused-ignore]
        import pyarrow.parquet  # type: ignore[import-untyped,unused-ignore]
    except ImportError as err:
        raise ExportError(
            f"Parquet export needs the 'pyarrow' package, which is not installed ({err})",
            "pip install pyarrow, or export with --format jsonl or csv",
        ) from err
    return pyarrow, pyarrow.parquet


def _arrow_type(pa: Any, hint: Any) -> Any:
    """The Arrow type of a model field's type hint (dataclasses become structs)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [x for x in args if x is not type(None)]
        return _arrow_type(pa, inner)
    if origin is tuple:
        return pa.list_(_arrow_type(pa, args[0]))
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        hints = typing.get_type_hints(hint)
        fields = [(f.name, _arrow_type(pa, hints[f.name])) for f in dataclasses.fields(hint)]
        return pa.struct(fields)
    simple = {str: pa.string(), int: pa.int64(), float: pa.float64(), bool: pa.bool_(),
              date: pa.date32()}  # fmt: skip
    if hint not in simple:
        raise ExportError(f"no Parquet type for {hint!r}")  # pragma: no cover
    return simple[hint]


def parquet_schema() -> Any:
    """The Arrow schema of exported articles (needs ``pyarrow``)."""
    pa, _ = _pyarrow()
    article = _arrow_type(pa, Article)
    fields = [article.field(i) for i in range(article.num_fields)]
    return pa.schema(fields + [pa.field(name, pa.string()) for name in _EXTRA])


def export_parquet(
    store: Store,
    target: Path | IO[bytes],
    query: ArticleQuery | None = None,
    *,
    batch: int = 256,
) -> int:
    """Write the articles to a Parquet file, one row group per ``batch`` articles;
    returns how many. Raises :class:`ExportError` when ``pyarrow`` is missing."""
    pa, pq = _pyarrow()
    schema = parquet_schema()
    count = 0
    sink = str(target) if isinstance(target, Path) else target
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        rows: list[dict[str, Any]] = []
        for item in iter_stored(store, query):
            rows.append({**dataclasses.asdict(item.article), **_extra(item)})
            if len(rows) >= batch:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                count += len(rows)
                rows = []
        if rows or count == 0:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            count += len(rows)
    return count


def export(
    store: Store, fmt: str, target: Path | IO[Any], query: ArticleQuery | None = None
) -> int:
    """Export in ``fmt`` (one of ``EXPORT_FORMATS``) to the file ``target`` (a path,
    or an open stream: text for jsonl/csv, binary for parquet); returns how many."""
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}", f"use one of {EXPORT_FORMATS}")
    if fmt == "parquet":
        return export_parquet(store, target, query)
    write = {"jsonl": export_jsonl, "json": export_json, "csv": export_csv}[fmt]
    if isinstance(target, Path):
        with target.open("w", encoding="utf-8", newline="") as stream:
            return write(store, stream, query)
    return write(store, typing.cast(IO[str], target), query)
