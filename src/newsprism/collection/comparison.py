"""Coverage diffs over articles already stored (and annotated) in a collection.

Stored articles carry their annotations, so comparing them runs only the cross-article
stages — entity linking and statement alignment — never the annotation stages again.
Ids that are not in the store become failures; near-duplicate groups among the
compared articles are reported as a warning with the number of independent sources.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from newsprism.collection.duplicates import stored_links
from newsprism.collection.vectors import stored_embedder
from newsprism.dedupe import DedupeOptions, duplicate_groups
from newsprism.embed.sentences import Embedder
from newsprism.model import Article, Coverage, Failure
from newsprism.pipeline.run import PipelineOptions, compare_annotated
from newsprism.store import Store
from newsprism.timings import Timings

__all__ = ["compare_stored", "duplicate_note", "load_stored"]

_MISSING_HINT = "list the stored ids with `newsprism articles --db FILE`"


def load_stored(store: Store, ids: Iterable[str]) -> tuple[list[Article], list[Failure]]:
    """The stored articles ``ids`` in the order given (each once), and a failure for
    each id that is not stored."""
    articles: list[Article] = []
    failures: list[Failure] = []
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            continue
        seen.add(ident)
        article = store.get(ident)
        if article is None:
            failures.append(Failure(ident, f"{ident}: no such article in the collection",
                                    _MISSING_HINT))  # fmt: skip
        else:
            articles.append(article)
    return articles, failures


def duplicate_note(store: Store, ids: Sequence[str], options: DedupeOptions | None = None) -> str:
    """A warning naming the near-duplicate groups among ``ids`` (empty when none)."""
    opts = options or DedupeOptions()
    groups = duplicate_groups(ids, stored_links(store, opts.threshold))
    copies = [g for g in groups if len(g.ids) > 1]
    if not copies:
        return ""
    named = "; ".join(", ".join(g.ids) for g in copies)
    return (
        f"near-duplicates (the same copy, lightly edited): {named} — {len(ids)} articles,"
        f" {len(groups)} independent sources"
    )


def compare_stored(
    store: Store,
    ids: Iterable[str],
    options: PipelineOptions | None = None,
    *,
    dedupe: DedupeOptions | None = None,
    embedder: Embedder | None = None,
    timings: Timings | None = None,
) -> Coverage:
    """The coverage diff of the stored articles ``ids``; unknown ids are failures."""
    articles, failures = load_stored(store, ids)
    note = duplicate_note(store, [a.id for a in articles], dedupe)
    # Sentence vectors are stored in the collection the first time and read back after.
    vectors = stored_embedder(store, [a.id for a in articles], embedder)
    return compare_annotated(
        articles,
        options,
        failures=failures,
        warnings=[note] if note else [],
        embedder=vectors,
        timings=timings,
    )
