"""The data model: typed, frozen dataclasses that stages exchange.

Offsets (``start``/``end``) are always character offsets into ``Article.text``,
the cleaned text of the article; ``end`` is exclusive, so
``article.text[x.start:x.end] == x.text`` holds for every span below.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

INF = math.inf


@dataclass(frozen=True)
class Sentence:
    """One statement of an article. ``heading`` marks titles/sub-headings."""

    index: int
    start: int
    end: int
    text: str
    heading: bool = False


@dataclass(frozen=True)
class Mention:
    """A named-entity mention as found by NER in one article.

    ``label`` is one of ``PERSON``, ``ORG``, ``LOC``, ``NORP`` (nationalities,
    religious and political groups) or ``MISC`` (other names, and names found
    without a model).
    """

    text: str
    start: int
    end: int
    label: str
    sentence: int
    base: str | None = None  # the name in its base form when inflected ("России" → "Россия")


@dataclass(frozen=True)
class Quantity:
    """A number in the text, with its qualifier turned into an interval.

    ``value`` is the number as written (``1300`` for "more than 1,300").
    ``low``/``high`` bound the true figure the sentence asserts; ``-inf``/``inf``
    for open ends; ``low_inclusive``/``high_inclusive`` say whether the bound
    itself is included. ``unit`` is a normalised unit (``"%"``, ``"km"``,
    ``"USD"``, ``"year"`` …) or ``None`` for plain counts. ``counted`` is what
    is counted, as written (``"people arrested"``, ``"Russian soldiers"``).
    ``qualifier`` is the normalised qualifier: ``exact``, ``more_than``,
    ``at_least``, ``less_than``, ``at_most``, ``up_to``, ``about``,
    ``nearly``, ``range``.
    """

    text: str
    start: int
    end: int
    value: float
    low: float
    high: float
    low_inclusive: bool = True
    high_inclusive: bool = True
    unit: str | None = None
    counted: str | None = None
    qualifier: str = "exact"
    sentence: int = -1


@dataclass(frozen=True)
class Quote:
    """A reported statement. ``direct`` is True for quoted words.

    ``speaker`` is the speaker as named in the article (resolved through
    pronouns to the last named person where needed), ``None`` when unknown.
    ``speaker_start``/``speaker_end`` point at the speaker mention used.
    ``cue`` is the reporting verb or phrase (``said``, ``told reporters``,
    ``according to``).
    """

    text: str
    start: int
    end: int
    direct: bool
    speaker: str | None = None
    speaker_start: int = -1
    speaker_end: int = -1
    cue: str | None = None
    sentence: int = -1


@dataclass(frozen=True)
class DateRef:
    """A date expression, resolved against the publication date when known."""

    text: str
    start: int
    end: int
    value: date | None
    sentence: int = -1


@dataclass(frozen=True)
class Article:
    """One article. ``text`` is the cleaned body; every offset points into it."""

    id: str
    text: str
    title: str = ""
    language: str | None = None
    source: str | None = None
    url: str | None = None
    published: date | None = None
    path: str | None = None
    removed: tuple[str, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    dates: tuple[DateRef, ...] = ()


@dataclass(frozen=True)
class Failure:
    """A document that could not be read or processed, with the reason."""

    path: str
    reason: str
    hint: str = ""


@dataclass(frozen=True)
class Entity:
    """A canonical entity across the article set, with all its variants."""

    id: str
    name: str
    type: str
    variants: tuple[str, ...]
    articles: tuple[str, ...]
    mentions: tuple[tuple[str, int, int], ...] = ()  # (article id, start, end)


class Status(StrEnum):
    AGREED = "agreed"
    COMPATIBLE = "compatible"
    CONFLICT = "conflict"
    UNIQUE = "unique"


@dataclass(frozen=True)
class Statement:
    """One sentence of one article taking part in a fact."""

    article: str
    sentence: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Fact:
    id: str
    status: Status
    statements: tuple[Statement, ...]
    reason: str = ""
    entities: tuple[str, ...] = ()  # entity ids
    score: float = 0.0  # alignment confidence (0 for unique facts)


@dataclass(frozen=True)
class Coverage:
    """The coverage diff of a set of articles: the result of ``compare``."""

    articles: tuple[Article, ...]
    facts: tuple[Fact, ...]
    entities: tuple[Entity, ...]
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = field(default=())
    # Maps (article id, mention start) to the entity id it was linked to.
    links: tuple[tuple[str, int, str], ...] = ()
    # Articles that are not near-duplicates of one another (a wire copy
    # republished by several outlets counts once); None when not counted.
    independent_sources: int | None = None


#: Annotates articles with the named annotation stages (``"sentences"``, ``"entities"``,
#: ``"quantities"``, ``"quotes"``, ``"dates"``), in pipeline order, with the caller's
#: options: how a stage that needs annotated input is handed the pipeline without
#: importing it (:func:`newsprism.pipeline.run.annotator`).
Annotate = Callable[[Sequence[Article], Collection[str]], list[Article]]
