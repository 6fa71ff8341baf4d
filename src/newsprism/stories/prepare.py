"""Turn articles into :class:`StoryDoc` s: names (NER), embedding, features."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from newsprism.embed.articles import DocEmbedOptions, article_lead, default_doc_embedder
from newsprism.embed.sentences import Embedder
from newsprism.errors import OptionError
from newsprism.model import Annotate, Article
from newsprism.stories.features import StoryDoc, StoryFeatureOptions, doc_features
from newsprism.timings import Timings

__all__ = ["STORY_STAGES", "PrepareOptions", "story_docs"]

#: The annotation a story needs: sentences (for the lead) and names.
STORY_STAGES = ("sentences", "entities")


@dataclass(frozen=True)
class PrepareOptions:
    """Options of the article → ``StoryDoc`` step."""

    features: StoryFeatureOptions = field(default_factory=StoryFeatureOptions)
    embed: DocEmbedOptions = field(default_factory=DocEmbedOptions)


def story_docs(
    articles: Sequence[Article],
    options: PrepareOptions | None = None,
    embedder: Embedder | None = None,
    timings: Timings | None = None,
    annotate: Annotate | None = None,
    failed: Callable[[Article, Exception], None] | None = None,
) -> list[StoryDoc]:
    """``StoryDoc`` s of ``articles``. Articles not annotated yet (no sentences) get their
    sentences and names from ``annotate`` (the pipeline's
    :func:`~newsprism.pipeline.run.annotator`, with the caller's options); they need a
    language. Leads are embedded in one batch.

    With ``failed``, an article whose features cannot be computed is passed to it with
    the error and left out of the result, and the others go on; without, the error
    propagates.
    """
    opts = options or PrepareOptions()
    started = time.perf_counter()
    ready = list(articles)
    todo = [i for i, a in enumerate(ready) if not a.sentences]
    if todo:
        if annotate is None:
            raise OptionError(
                f"{ready[todo[0]].id}: the article is not annotated and no annotate function"
                " was given",
                hint="pass annotate=newsprism.pipeline.run.annotator(options)",
            )
        for i, done in zip(todo, annotate([ready[i] for i in todo], STORY_STAGES), strict=True):
            ready[i] = done
    if timings is not None:
        timings.add("names", time.perf_counter() - started)
    started = time.perf_counter()
    model = embedder or default_doc_embedder(opts.embed)
    vectors = model.embed([article_lead(a.title, a.text, opts.embed.lead_chars) for a in ready])
    if timings is not None:
        timings.add("embed", time.perf_counter() - started)
    started = time.perf_counter()
    docs: list[StoryDoc] = []
    for article, vector in zip(ready, vectors, strict=True):
        try:
            docs.append(doc_features(article, vector, opts.features))
        except Exception as err:  # one article's bug must not keep the others out of stories
            if failed is None:
                raise
            failed(article, err)
    if timings is not None:
        timings.add("features", time.perf_counter() - started)
    return docs
