"""Turn articles into :class:`StoryDoc` s: names (NER), embedding, features."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsprism.embed.articles import DocEmbedOptions, article_lead, default_doc_embedder
from newsprism.embed.sentences import Embedder
from newsprism.entities import EntityOptions, annotate_entities
from newsprism.model import Article
from newsprism.sentences import annotate_sentences
from newsprism.stories.features import StoryDoc, StoryFeatureOptions, doc_features
from newsprism.timings import Timings

__all__ = ["PrepareOptions", "story_docs"]


@dataclass(frozen=True)
class PrepareOptions:
    """Options of the article → ``StoryDoc`` step."""

    features: StoryFeatureOptions = field(default_factory=StoryFeatureOptions)
    embed: DocEmbedOptions = field(default_factory=DocEmbedOptions)
    entities: EntityOptions = field(default_factory=EntityOptions)


def story_docs(
    articles: Sequence[Article],
    options: PrepareOptions | None = None,
    embedder: Embedder | None = None,
    timings: Timings | None = None,
) -> list[StoryDoc]:
    """``StoryDoc`` s of ``articles``, annotating names where not done yet.

    Articles need a language. Leads are embedded in one batch.
    """
    opts = options or PrepareOptions()
    started = time.perf_counter()
    ready: list[Article] = []
    for a in articles:
        if not a.sentences:
            a = annotate_sentences(a)
        if not a.mentions:
            a = annotate_entities(a, opts.entities)
        ready.append(a)
    if timings is not None:
        timings.add("names", time.perf_counter() - started)
    started = time.perf_counter()
    model = embedder or default_doc_embedder(opts.embed)
    vectors = model.embed([article_lead(a.title, a.text, opts.embed.lead_chars) for a in ready])
    if timings is not None:
        timings.add("embed", time.perf_counter() - started)
    started = time.perf_counter()
    docs = [doc_features(a, v, opts.features) for a, v in zip(ready, vectors, strict=True)]
    if timings is not None:
        timings.add("features", time.perf_counter() - started)
    return docs
