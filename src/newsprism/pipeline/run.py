"""Runs the stages over articles with per-document error handling.

Per article (annotation): sentences → entities → quantities → quotes → dates.
Across articles: entity linking → statement alignment (facts).

A document that cannot be read or annotated becomes a ``Failure`` with its
reason; the others go on.
"""

from __future__ import annotations

import dataclasses
import functools
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.cache import default_cache_dir
from newsprism.compare.align import CompareOptions, align
from newsprism.dates.resolve import DateOptions, annotate_dates
from newsprism.dedupe import find_near_duplicates, group_of
from newsprism.embed.sentences import Embedder, EmbedOptions, default_embedder
from newsprism.entities import (
    EntityOptions,
    annotate_entities,
    annotate_entities_batch,
    describe_backend,
    model_available,
)
from newsprism.errors import LanguageError, OptionError, failure_of
from newsprism.link.names import LinkOptions, link_entities
from newsprism.model import Annotate, Article, Coverage, Fact, Failure, Status
from newsprism.pipeline.cache import AnnotationCache
from newsprism.quantities.extract import QuantityOptions, annotate_quantities
from newsprism.quotes.finder import annotate_quotes, annotate_quotes_batch
from newsprism.quotes.options import QuoteOptions
from newsprism.read import ReadOptions, read_paths
from newsprism.sentences import SentenceOptions, annotate_sentences
from newsprism.timings import Timings

Stage = Callable[[Article], Article]
BatchStage = Callable[[Sequence[Article]], list[Article]]


#: The annotation stages, in the order they run.
STAGES: tuple[str, ...] = ("sentences", "entities", "quantities", "quotes", "dates")


@dataclass(frozen=True)
class PipelineOptions:
    """Options of every stage, in one place.

    ``language`` forces the language of every article (ISO 639-1) instead of
    detecting it, from reading to the last stage: it is set here only (``read.language``
    stays unset; :meth:`reading` gives the readers' options with it). ``read``: how files
    are read and cleaned. ``cache``: reuse annotations of articles seen before (in memory
    and in the cache folder, see :mod:`newsprism.pipeline.cache`).
    """

    language: str | None = None
    read: ReadOptions = field(default_factory=ReadOptions)
    sentences: SentenceOptions = field(default_factory=SentenceOptions)
    entities: EntityOptions = field(default_factory=EntityOptions)
    quantities: QuantityOptions = field(default_factory=QuantityOptions)
    quotes: QuoteOptions = field(default_factory=QuoteOptions)
    dates: DateOptions = field(default_factory=DateOptions)
    link: LinkOptions = field(default_factory=LinkOptions)
    compare: CompareOptions = field(default_factory=CompareOptions)
    embed: EmbedOptions = field(default_factory=EmbedOptions)
    cache: bool = True

    def __post_init__(self) -> None:
        if self.read.language is not None:
            raise OptionError(
                "the language is set on the pipeline options, not on their read options",
                hint="use PipelineOptions(language=...)",
            )

    def reading(self) -> ReadOptions:
        """The readers' options, with :attr:`language` forced when it is set."""
        return (
            dataclasses.replace(self.read, language=self.language) if self.language else self.read
        )

    def annotation_settings(self) -> str:
        """What the annotations depend on, as text (part of the annotation cache key): the
        same in every process, whatever its hash seed (sets are written sorted)."""
        stages = (self.sentences, self.entities, self.quantities, self.quotes, self.dates)
        return repr(_stable(stages))


def _stable(value: object) -> object:
    """``value`` with every set replaced by its sorted items, so that its ``repr`` does not
    depend on the order of a set (which changes with each process's hash seed)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (
            type(value).__name__,
            tuple((f.name, _stable(getattr(value, f.name))) for f in fields),
        )
    if isinstance(value, set | frozenset):
        return ("set", tuple(sorted(repr(_stable(v)) for v in value)))
    if isinstance(value, list | tuple):
        return tuple(_stable(v) for v in value)
    if isinstance(value, dict):
        return ("dict", tuple(sorted((repr(k), repr(_stable(v))) for k, v in value.items())))
    return value


def annotation_stages(
    options: PipelineOptions, stages: Collection[str] = STAGES
) -> list[tuple[str, Stage]]:
    """The annotation stages named in ``stages``, in pipeline order, with their options."""
    unknown = set(stages) - set(STAGES)
    if unknown:
        raise OptionError(
            f"unknown annotation stage {sorted(unknown)[0]!r}",
            hint=f"choose among {', '.join(STAGES)}",
        )
    every: dict[str, Stage] = {
        "sentences": lambda a: annotate_sentences(a, options.sentences),
        "entities": lambda a: annotate_entities(a, options.entities),
        "quantities": lambda a: annotate_quantities(a, options.quantities),
        "quotes": lambda a: annotate_quotes(a, options.quotes),
        "dates": lambda a: annotate_dates(a, options.dates),
    }
    return [(name, every[name]) for name in STAGES if name in stages]


def _batch_stages(options: PipelineOptions) -> dict[str, BatchStage]:
    """Stages that run faster over many articles at once (same results)."""
    return {
        "entities": lambda articles: annotate_entities_batch(articles, options.entities),
        "quotes": lambda articles: annotate_quotes_batch(articles, options.quotes),
    }


def annotate(
    article: Article, options: PipelineOptions | None = None, timings: Timings | None = None
) -> Article:
    """Run every annotation stage on one article."""
    result = annotate_many([article], options, timings)[0]
    if isinstance(result, Exception):
        raise result
    return result


def annotate_many(
    articles: Sequence[Article],
    options: PipelineOptions | None = None,
    timings: Timings | None = None,
    *,
    stages: Collection[str] = STAGES,
) -> list[Article | Exception]:
    """:func:`annotate` of each article, stage by stage over all of them; the NER and
    the quote parse run in batches. The results are those of one article at a time; an
    article that fails gives its exception in its place, and the others go on.
    ``stages`` runs only those annotation stages (in pipeline order)."""
    opts = options or PipelineOptions()
    items: list[Article | Exception] = []
    for article in articles:
        if opts.language:
            article = dataclasses.replace(article, language=opts.language)
        if article.language:
            items.append(article)
        else:
            where = article.path or article.id
            items.append(LanguageError(f"{where}: could not determine the language"))
    batched = _batch_stages(opts)
    for name, stage in annotation_stages(opts, stages):
        started = time.perf_counter()
        live = [(i, x) for i, x in enumerate(items) if isinstance(x, Article)]
        done: list[Article] | None = None
        if name in batched and len(live) > 1:
            try:
                done = batched[name]([x for _, x in live])
            except Exception:  # one article broke the batch: find it below
                done = None
        if done is not None:
            for (i, _), article in zip(live, done, strict=True):
                items[i] = article
        else:
            for i, article in live:
                try:
                    items[i] = stage(article)
                except Exception as err:  # recorded as this article's failure
                    items[i] = err
        if timings is not None:
            timings.add(name, time.perf_counter() - started)
    return items


@functools.cache
def annotator(options: PipelineOptions | None = None) -> Annotate:
    """:func:`annotate_many` with ``options`` as the function that stages and evaluations
    take to annotate what they are given; it raises the first article's error."""

    def run(articles: Sequence[Article], stages: Collection[str]) -> list[Article]:
        done = []
        for result in annotate_many(articles, options, stages=stages):
            if isinstance(result, Exception):
                raise result
            done.append(result)
        return done

    return run


def _annotation_cache(cache_dir: Path | None, settings: str) -> AnnotationCache:
    return AnnotationCache(cache_dir, settings)


def annotate_cached(article: Article, opts: PipelineOptions, timings: Timings | None) -> Article:
    result = annotate_cached_many([article], opts, timings)[0]
    if isinstance(result, Exception):
        raise result
    return result


def annotate_cached_many(
    articles: Sequence[Article], opts: PipelineOptions, timings: Timings | None
) -> list[Article | Exception]:
    """:func:`annotate_many`, taking the articles annotated before from the cache
    (when ``opts.cache``) and putting the new ones in it."""
    if opts.language:
        articles = [dataclasses.replace(a, language=opts.language) for a in articles]
    if not opts.cache:
        return annotate_many(articles, opts, timings)
    settings = opts.annotation_settings()
    cache_dir = opts.embed.cache_dir if opts.embed.cache_dir is not None else default_cache_dir()
    cache = _annotation_cache(cache_dir, settings)
    found: list[Article | Exception | None] = [cache.get(a) for a in articles]
    todo = [i for i, f in enumerate(found) if f is None]
    for i, result in zip(
        todo, annotate_many([articles[i] for i in todo], opts, timings), strict=True
    ):
        if isinstance(result, Article):
            cache.put(articles[i], result)
        found[i] = result
    return [f for f in found if f is not None]


def read_all(
    paths: Iterable[Path], options: PipelineOptions | None = None, timings: Timings | None = None
) -> tuple[list[Article], list[Failure], list[str]]:
    """Read every file, and the supported files in every folder, as ``ingest`` reads
    them (:func:`newsprism.read.read_paths`); unreadable ones become failures, repairs
    and skipped files become warnings."""
    started = time.perf_counter()
    result = read_paths(paths, (options or PipelineOptions()).reading())
    if timings is not None:
        timings.add("read", time.perf_counter() - started)
    return list(result.articles), list(result.failures), list(result.warnings)


def _unique_ids(articles: list[Article]) -> list[Article]:
    seen: dict[str, int] = {}
    out = []
    for a in articles:
        n = seen.get(a.id, 0)
        seen[a.id] = n + 1
        out.append(a if n == 0 else dataclasses.replace(a, id=f"{a.id}-{n + 1}"))
    return out


def compare_articles(
    articles: Sequence[Article],
    options: PipelineOptions | None = None,
    *,
    failures: Sequence[Failure] = (),
    warnings: Sequence[str] = (),
    embedder: Embedder | None = None,
    timings: Timings | None = None,
) -> Coverage:
    """Annotate ``articles`` (NER and quote parse batched over all of them) and compute
    their coverage diff."""
    opts = options or PipelineOptions()
    done: list[Article] = []
    failed = list(failures)
    notes = list(warnings)
    unique = _unique_ids(list(articles))
    for art, result in zip(unique, annotate_cached_many(unique, opts, timings), strict=True):
        if isinstance(result, Exception):
            failed.append(failure_of(art.path or art.id, result))
        else:
            done.append(result)
    return compare_annotated(
        done, opts, failures=failed, warnings=notes, embedder=embedder, timings=timings
    )


def compare_annotated(
    articles: Sequence[Article],
    options: PipelineOptions | None = None,
    *,
    failures: Sequence[Failure] = (),
    warnings: Sequence[str] = (),
    embedder: Embedder | None = None,
    timings: Timings | None = None,
) -> Coverage:
    """The coverage diff of articles that are already annotated (ids unique):
    entity linking, alignment, and the count of independent sources
    (near-duplicate copies of one wire story count once)."""
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
    copies = group_of(find_near_duplicates(articles))
    facts = tuple(_one_source_if_copies(f, copies) for f in facts)
    sources = len({copies.get(a.id, a.id) for a in articles})
    return Coverage(tuple(linked), facts, entities, tuple(failures), tuple(notes), links, sources)


def _one_source_if_copies(fact: Fact, copies: dict[str, str]) -> Fact:
    """A fact stated only by near-duplicate copies of one story has one source."""
    arts = {s.article for s in fact.statements}
    if len(arts) < 2 or len({copies.get(a, a) for a in arts}) > 1:
        return fact
    reason = f"only in copies of one story ({', '.join(sorted(arts))})"
    return dataclasses.replace(fact, status=Status.UNIQUE, reason=reason)


def compare_paths(
    paths: Iterable[Path],
    options: PipelineOptions | None = None,
    *,
    embedder: Embedder | None = None,
    timings: Timings | None = None,
) -> Coverage:
    """Read files and compute their coverage diff; unreadable files are failures."""
    articles, failures, warnings = read_all(paths, options, timings)
    return compare_articles(
        articles, options, failures=failures, warnings=warnings, embedder=embedder, timings=timings
    )
