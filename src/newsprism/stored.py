"""Coverage diffs over articles already stored (and annotated) in a collection.

Stored articles carry their annotations, so comparing them runs only the cross-article
stages — entity linking and statement alignment — never the annotation stages again.
Ids that are not in the store become failures; near-duplicate groups among the
compared articles are reported as a warning with the number of independent sources.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence

from .compare import align
from .dedupe import DedupeOptions, duplicate_groups, stored_links
from .embed import Embedder, default_embedder
from .entities import describe_backend, model_available
from .link import link_entities
from .model import Article, Coverage, Failure
from .pipeline import PipelineOptions, Timings
from .store import Store

__all__ = ["compare_annotated", "compare_stored", "duplicate_note", "load_stored"]

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


def compare_annotated(
    articles: Sequence[Article],
    options: PipelineOptions | None = None,
    *,
    failures: Sequence[Failure] = (),
    warnings: Sequence[str] = (),
    embedder: Embedder | None = None,
    timings: Timings | None = None,
) -> Coverage:
    """The coverage diff of articles that are already annotated (ids must be unique):
    entity linking and alignment only, as in :func:`newsprism.pipeline.compare_articles`."""
    opts = options or PipelineOptions()
    notes = list(warnings)
    for a in articles:
        if not model_available(a.language):
            notes.append(
                f"{a.path or a.id}: no NER model for language {a.language!r}; names found by"
                f" the {describe_backend(a.language)}"
            )
    started = time.perf_counter()
    linked, entities, links = link_entities(list(articles), opts.link)
    if timings is not None:
        timings.add("link", time.perf_counter() - started)
    started = time.perf_counter()
    facts = align(linked, links, entities, embedder or default_embedder(opts.embed), opts.compare)
    if timings is not None:
        timings.add("align", time.perf_counter() - started)
    return Coverage(tuple(linked), facts, entities, tuple(failures), tuple(notes), links)


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
    return compare_annotated(
        articles,
        options,
        failures=failures,
        warnings=[note] if note else [],
        embedder=embedder,
        timings=timings,
    )
