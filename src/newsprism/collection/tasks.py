"""The units of work of an ingest, as plain functions over partitions.

Both engines (:mod:`newsprism.collection.engines`) run exactly these functions: the local engine
in the calling process, the Dask engine on its workers. Inputs and outputs are
picklable dataclasses, so a partition can travel to another machine and back.

- ``read_files``: a group of input files (their bytes travel with them when the
  worker cannot see the client's disk) → articles, failures and warnings per file.
- ``annotate_partition``: new articles → annotated articles and their story
  features (``StoryDoc``: names, embedding, weighted words), or a failure each.
- ``warm_models``: loads the heavy models once per process, so that no task pays
  for loading them (the Dask engine calls it as a worker plugin).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from newsprism.errors import failure_of
from newsprism.language import detect_language
from newsprism.model import Article, Failure
from newsprism.pipeline.run import PipelineOptions, annotate_cached, annotate_cached_many
from newsprism.read import ReadOptions
from newsprism.read.files import read_file
from newsprism.stories.features import StoryDoc
from newsprism.stories.prepare import PrepareOptions, story_docs
from newsprism.timings import Timings

__all__ = [
    "Annotated",
    "FileInput",
    "FileRead",
    "PartitionResult",
    "annotate_partition",
    "read_files",
    "warm_models",
]


@dataclass(frozen=True)
class FileInput:
    """One input file: its path and, when it is shipped to a worker, its bytes
    (``None``: the worker reads ``path`` itself)."""

    path: str
    data: bytes | None = None


@dataclass(frozen=True)
class FileRead:
    """What reading one file gave: its articles, warnings, and failures (of the
    whole file when ``articles`` is empty and ``failures`` names the file)."""

    path: str
    articles: tuple[Article, ...] = ()
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0


def read_files(inputs: Sequence[FileInput], options: ReadOptions) -> list[FileRead]:
    """Read each input; a file that cannot be read becomes one failure."""
    out: list[FileRead] = []
    for item in inputs:
        started = time.perf_counter()
        try:
            source = item.path if item.data is None else item.data
            result = read_file(source, options, name=item.path)
        except Exception as err:
            failure = failure_of(item.path, err)
            out.append(FileRead(item.path, failures=(failure,),
                                seconds=time.perf_counter() - started))  # fmt: skip
            continue
        out.append(
            FileRead(
                item.path,
                result.articles,
                result.failures,
                result.warnings,
                time.perf_counter() - started,
            )
        )
    return out


@dataclass(frozen=True)
class Annotated:
    """An annotated article and its story features (``None`` when they could not be
    computed here; the store computes them later)."""

    article: Article
    doc: StoryDoc | None


@dataclass(frozen=True)
class PartitionResult:
    """One result per input article, in input order, and seconds per stage."""

    items: tuple[Annotated | Failure, ...]
    seconds: dict[str, float] = field(default_factory=dict)


def annotate_partition(
    articles: Sequence[tuple[str, Article]],
    pipeline: PipelineOptions,
    prepare: PrepareOptions | None,
) -> PartitionResult:
    """Annotate ``(where, article)`` pairs (``where`` names the article in failures)
    and, when ``prepare`` is given, compute their ``StoryDoc`` s in one batch."""
    timings = Timings()
    results = annotate_cached_many([a for _, a in articles], pipeline, timings)
    items: list[Annotated | Failure] = [
        failure_of(where, r) if isinstance(r, Exception) else Annotated(r, None)
        for (where, _), r in zip(articles, results, strict=True)
    ]
    done = [i.article for i in items if isinstance(i, Annotated)]
    if prepare is not None and done:
        try:
            docs = iter(story_docs(done, prepare, timings=timings))
        except Exception:  # the store computes them again (and reports why not)
            docs = iter([])
        items = [
            Annotated(i.article, next(docs, None)) if isinstance(i, Annotated) else i for i in items
        ]
    return PartitionResult(tuple(items), dict(timings.seconds))


_WARM_TEXTS = {
    "en": 'On 3 May, Anna Smith said in London that 40 people were hurt. "It was bad," she said.',
    "es": "El 3 de mayo, Ana García dijo en Madrid que 40 personas resultaron heridas.",
    "fr": "Le 3 mai, Anne Martin a déclaré à Paris que 40 personnes avaient été blessées.",
    "de": "Am 3. Mai sagte Anna Müller in Berlin, dass 40 Menschen verletzt wurden.",
    "ru": "3 мая Анна Иванова заявила в Москве, что пострадали 40 человек.",
}


def warm_models(languages: Sequence[str] = tuple(_WARM_TEXTS), embed: bool = True) -> None:
    """Load every model the stages use for ``languages`` (language detection, NER,
    parsing, date parsing) and the story embedding model, by running the stages once
    on a short text, so that later calls in this process find them loaded."""
    options = PipelineOptions(cache=False)
    warmed = []
    for language in languages:
        text = _WARM_TEXTS.get(language, _WARM_TEXTS["en"])
        detect_language(text)
        article = Article(id=f"warm-{language}", text=text, language=language)
        warmed.append(annotate_cached(article, options, None))
    if embed and warmed:
        story_docs(warmed)
