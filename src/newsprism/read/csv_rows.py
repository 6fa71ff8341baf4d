"""CSV files: one article per row.

A header row names the columns: ``id,title,text,url,source,published,language``
(``CSV_COLUMNS``; any order, any case; only ``text`` is required; other columns are
ignored). The delimiter is a comma, semicolon or tab, whichever the header uses most;
fields follow RFC 4180 quoting. ``published`` is an ISO date; a missing ``id`` becomes
``<stem>-<row number>``. A row without text or with an unknown language code (or that
meets a bug) is a failure of that row (``<name>:row N``) and the other rows go on; a
file without a ``text`` column, with broken quoting, or without any readable row
raises a typed error.
"""

from __future__ import annotations

import csv
import io

from newsprism.errors import EmptyDocument, MalformedDocument, NewsprismError, failure_of
from newsprism.model import Article, Failure
from newsprism.read.articles import Origin, ReadOptions, ReadResult, make_article, parse_date

__all__ = ["CSV_COLUMNS", "csv_articles"]

CSV_COLUMNS = ("id", "title", "text", "url", "source", "published", "language")


def _row_article(
    origin: Origin, row: dict[str, str], n: int, options: ReadOptions, warnings: list[str]
) -> Article:
    body = row.get("text") or ""
    if not body.strip():
        raise EmptyDocument(f"{origin.name}: row {n}: 'text' is empty")
    raw_date = (row.get("published") or "").strip()
    published = parse_date(raw_date)
    if raw_date and published is None:
        warnings.append(f"{origin.name}: row {n}: unreadable date {raw_date!r} ignored")
    return make_article(
        origin,
        body,
        options,
        ident=(row.get("id") or "").strip() or f"{origin.stem}-{n}",
        title=row.get("title") or "",
        url=(row.get("url") or "").strip() or None,
        source=(row.get("source") or "").strip() or None,
        published=published,
        language=row.get("language"),
        where=f"row {n}",
    )


def csv_articles(origin: Origin, text: str, options: ReadOptions) -> ReadResult:
    """The articles of the decoded CSV document ``text`` (see the module docs)."""
    name = origin.name
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = max(",;\t", key=header.count)
    # The csv module's field limit (128 KiB) is process-wide; articles may be longer.
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        fields = [(column or "").strip().lower() for column in reader.fieldnames or ()]
    except csv.Error as err:
        raise MalformedDocument(f"{name}: invalid CSV header: {err}") from err
    if "text" not in fields:
        raise MalformedDocument(
            f"{name}: no 'text' column (found: {', '.join(fields) or 'nothing'})",
            f"name the columns in a header row: {','.join(CSV_COLUMNS)}",
        )
    reader.fieldnames = fields
    articles: list[Article] = []
    failures: list[Failure] = []
    warnings: list[str] = []
    errors: list[NewsprismError] = []
    n = 0
    try:
        for n, row in enumerate(reader, start=1):
            place = f"{name}:row {n}"
            clean = {k: v for k, v in row.items() if isinstance(k, str) and isinstance(v, str)}
            try:
                articles.append(_row_article(origin, clean, n, options, warnings))
            except NewsprismError as err:
                errors.append(err)
                failures.append(Failure(place, str(err), err.hint))
            except Exception as err:  # a bug met on this row: it fails alone
                failure = failure_of(place, err)
                errors.append(MalformedDocument(failure.reason, failure.hint))
                failures.append(failure)
    except csv.Error as err:
        raise MalformedDocument(f"{name}: invalid CSV after row {n}: {err}") from err
    if not articles:
        raise errors[0] if errors else EmptyDocument(f"{name}: no rows")
    return ReadResult(tuple(articles), tuple(failures), tuple(warnings))
