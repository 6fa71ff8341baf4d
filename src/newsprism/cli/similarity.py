"""``newsprism similarity A B``: how similar two articles are, on seven dimensions.

Exit codes as for ``compare``: 0 scored; 2 usage error or an article that cannot
be read (one ``failed: PATH: reason`` line on standard error, no traceback).
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import click

from newsprism.cli.common import (
    EXIT_USAGE,
    echo_err,
    fail,
    format_option,
    json_text,
    language_code,
    remember_db,
)
from newsprism.errors import InputError, LanguageError, MissingArticles, NewsprismError
from newsprism.model import Article
from newsprism.pipeline.run import PipelineOptions, annotator
from newsprism.serialize import Shape
from newsprism.similarity.model import DIMENSIONS, Similarity, SimilarityOptions, compare_pair

__all__ = ["register", "similarity_text"]

_SIMILARITY_SHAPES = (Shape(Similarity, add={"scores": Similarity.scores}),)
"""``--format json``: every field of the result, then the seven ``scores`` by name."""

_WORDS = {1: "very similar", 2: "somewhat similar", 3: "somewhat dissimilar", 4: "very dissimilar"}


def _read_one(path: Path, language: str | None) -> Article:
    """The first article of ``path``; a typed error when there is none."""
    from newsprism.read import ReadOptions, read_file

    result = read_file(path, ReadOptions(language=language))
    if not result.articles:
        reason = result.failures[0].reason if result.failures else f"{path}: no article"
        raise InputError(reason if reason.startswith(str(path)) else f"{path}: {reason}")
    article = result.articles[0]
    if language:
        article = dataclasses.replace(article, language=language)
    if not article.language:
        raise LanguageError(f"{path}: could not determine the language")
    return article


def _words(score: float) -> str:
    return _WORDS[min(4, max(1, round(score)))]


def similarity_text(result: Similarity) -> str:
    """A plain table of the scores followed by the evidence."""
    lines = [
        f"Similarity of {result.a} and {result.b} (1 = very similar … 4 = very dissimilar)",
        "",
    ]
    lines += [
        f"  {d:<10} {getattr(result, d):>5.2f}  {_words(getattr(result, d))}" for d in DIMENSIONS
    ]
    if result.shared_entities:
        lines += ["", "Shared entities:"]
        for e in result.shared_entities[:12]:
            lines.append(
                f"  {e.name} [{e.type}]  A: {', '.join(e.surfaces_a)} ×{e.mentions_a}"
                f"  B: {', '.join(e.surfaces_b)} ×{e.mentions_b}"
            )
    for label, values in (
        ("Shared places", result.shared_places),
        ("Shared dates", result.shared_dates),
        ("Shared numbers", result.shared_numbers),
    ):
        if values:
            lines += ["", f"{label}: {', '.join(values[:15])}"]
    if result.aligned:
        lines += ["", "Most similar sentences:"]
        for p in result.aligned:
            lines.append(f"  {p.score:.2f}  A[{p.start_a}:{p.end_a}] {' '.join(p.text_a.split())}")
            lines.append(f"        B[{p.start_b}:{p.end_b}] {' '.join(p.text_b.split())}")
    lines += ["", "Features: " + ", ".join(f"{k}={v:.3f}" for k, v in result.features.items())]
    return "\n".join(lines)


def register(main: click.Group) -> None:
    """Add the ``similarity`` command to ``main``."""

    @main.command("similarity")
    @click.argument("a", type=click.Path(path_type=Path))
    @click.argument("b", type=click.Path(path_type=Path))
    @click.option(
        "--db",
        "db",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        callback=remember_db,
        help="Score two articles stored in this collection; A and B are then article ids.",
    )
    @format_option
    @click.option(
        "--language",
        metavar="CODE",
        callback=language_code,
        help="Language of both articles (ISO 639-1, e.g. en); detected when omitted.",
    )
    def similarity(a: Path, b: Path, db: Path | None, fmt: str, language: str | None) -> None:
        """Score how similar articles A and B are (SemEval-2022 Task 8 scale).

        Seven dimensions from 1 (very similar) to 4 (very dissimilar): geography,
        entities, time, narrative, overall, style, tone; with the evidence (shared
        entities, places, dates, numbers, the most similar sentences). A and B are
        .txt, .html, .json or .jsonl articles (the first article of a file is used),
        or with --db the ids of two stored articles.
        """
        if db is not None:
            _stored_similarity(db, str(a), str(b), fmt)
            return
        articles: list[Article] = []
        for path in (a, b):
            try:
                articles.append(_read_one(path, language))
            except NewsprismError as err:
                reason = err.message if err.message.startswith(str(path)) else f"{path}: {err}"
                hint = f" (hint: {err.hint})" if err.hint else ""
                echo_err(f"failed: {reason}{hint}")
                sys.exit(EXIT_USAGE)
        first, second = articles
        if first.id == second.id:
            second = dataclasses.replace(second, id=f"{second.id}-2")
        try:
            annotate = annotator(PipelineOptions(language=language, cache=False))
            result = compare_pair(first, second, SimilarityOptions(), annotate)
        except NewsprismError as err:
            fail(err)
        _show(result, fmt)


def _stored_similarity(db: Path, a: str, b: str, fmt: str) -> None:
    """``newsprism similarity --db``: the stored articles ``a`` and ``b``."""
    from newsprism.cli.common import open_collection

    with open_collection(db) as collection:
        try:
            result = collection.similarity(a, b, SimilarityOptions())
        except MissingArticles as err:
            for failure in err.failures:
                echo_err(f"failed: {failure.reason} (hint: {failure.hint})")
            sys.exit(EXIT_USAGE)
        except NewsprismError as err:
            fail(err)
    _show(result, fmt)


def _show(result: Similarity, fmt: str) -> None:
    if fmt == "json":
        click.echo(json_text(result, _SIMILARITY_SHAPES))
    else:
        click.echo(similarity_text(result))
