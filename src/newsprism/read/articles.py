"""What every reader shares: its options, its result, and how an article is made.

``ReadOptions`` are the options of reading; ``ReadResult`` the articles read, the
failures of single records that did not stop the others, and warnings. ``Origin``
names what is read: ``name`` appears in messages, failures and ``Article.path``;
``stem`` is the base of the ids given to articles that bring none.

:func:`make_article` turns a body and its metadata into an ``Article``: the body goes
through :func:`~newsprism.read.clean.clean_text` (``Article.text`` is the cleaned body,
``Article.removed`` says what went) and the language is forced, taken from the input or
detected (:func:`with_language`). The small parsers every format needs live here too:
:func:`source_from_url`, :func:`parse_date`, :func:`split_title`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any, overload
from urllib.parse import urlsplit

from newsprism.errors import EmptyDocument, LanguageError
from newsprism.language import LanguageDetector, detect_language, is_known_code, normalise_code
from newsprism.model import Article, Failure
from newsprism.read.clean import CleanOptions, clean_text, is_heading_like

__all__ = [
    "Origin",
    "ReadOptions",
    "ReadResult",
    "make_article",
    "parse_date",
    "source_from_url",
    "split_title",
    "with_language",
]


@dataclass(frozen=True)
class ReadOptions:
    """Options of the readers.

    ``max_bytes``: larger files are refused with :class:`FileTooLarge` (20 MB).
    ``encoding``: force this encoding instead of detecting it (``None``: detect).
    ``language``: force this language on every article (``None``: JSON field or detection).
    ``detect_language``: run language detection when no language is given (True).
    ``detector``: the language detector (``None``: the shared default).
    ``clean``: options of the cleaning stage.
    ``title_max_words``: longest first line of a text file taken as its title (25).
    """

    max_bytes: int = 20_000_000
    encoding: str | None = None
    language: str | None = None
    detect_language: bool = True
    detector: LanguageDetector | None = None
    clean: CleanOptions = field(default_factory=CleanOptions)
    title_max_words: int = 25


@dataclass(frozen=True)
class ReadResult:
    """Articles read, and records that failed without stopping the others.

    ``warnings`` notes recoverable oddities (an unparseable date, repaired mojibake).
    It also iterates, indexes and measures like the list of its articles.
    """

    articles: tuple[Article, ...] = ()
    failures: tuple[Failure, ...] = ()
    warnings: tuple[str, ...] = ()

    def __iter__(self) -> Iterator[Article]:
        return iter(self.articles)

    def __len__(self) -> int:
        return len(self.articles)

    @overload
    def __getitem__(self, index: int) -> Article: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Article, ...]: ...
    def __getitem__(self, index: int | slice) -> Article | tuple[Article, ...]:
        return self.articles[index]


@dataclass(frozen=True)
class Origin:
    """What is being read: ``name`` (a path or URL) in messages, failures and
    ``Article.path``; ``stem`` the base of ids (``<stem>`` or ``<stem>-<n>``)."""

    name: str
    stem: str


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def source_from_url(url: str | None) -> str | None:
    """``https://www.bbc.co.uk/news/x`` → ``bbc.co.uk``; ``None`` when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:  # "http://[broken": an unbalanced IPv6 bracket
        return None
    if not host:
        return None
    return re.sub(r"^(?:www\d*|m|amp|mobile)\.", "", host.lower())


def parse_date(value: Any) -> date | None:
    """ISO date or datetime (``2022-09-22``, ``2022-09-22T10:00:00Z``) → ``date``."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        return None
    text = value.strip()
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def split_title(text: str, max_words: int) -> tuple[str, str]:
    """A first short line without final punctuation, followed by more text, is the title."""
    head, sep, rest = text.partition("\n")
    head = head.strip()
    if not sep or not rest.strip() or not is_heading_like(head, max_words):
        return "", text
    if re.search(r"[.…]$", head):  # "..." ends a teaser or a cut-off sentence
        return "", text
    return head, rest.strip()


def _given_code(code: str | None, place: str) -> str | None:
    """The normalised language code given by the input or the options; a two-letter code
    that is no ISO 639-1 language (``qq``) raises ``LanguageError``."""
    normal = normalise_code(code)
    if normal is not None and not is_known_code(normal):
        raise LanguageError(
            f"{place}: unknown language code {code!r}",
            "give an ISO 639-1 code (en, fr, ru …), or leave the language out to detect it",
        )
    return normal


def with_language(
    article: Article, options: ReadOptions, language: str | None, where: str = ""
) -> Article:
    """``article`` with its language: ``options.language`` if set, else ``language`` (given
    by the input), else detected from its text when ``options.detect_language``. An
    unknown code raises ``LanguageError`` (``where`` names the record in its message)."""
    place = f"{article.path}: {where}" if where else article.path or article.id
    code = _given_code(options.language, place) or _given_code(language, place)
    if code is None and options.detect_language:
        sample = article.text if len(article.text) >= 200 else f"{article.title}\n{article.text}"
        code = detect_language(sample, options.detector)
    return replace(article, language=code)


def make_article(
    origin: Origin,
    body: str,
    options: ReadOptions,
    *,
    ident: str | None = None,
    title: str = "",
    url: str | None = None,
    source: str | None = None,
    published: date | None = None,
    language: str | None = None,
    where: str = "",
    page_language: bool = False,
) -> Article:
    """The article of ``body`` (cleaned) and its metadata; its id is ``ident`` or the
    origin's stem, its source ``source`` or the host of ``url``.

    Raises ``EmptyDocument`` when nothing is left after cleaning, and ``LanguageError``
    when ``language`` is an unknown code (``where`` names the record in the message, e.g.
    ``row 3``). ``page_language``: ``language`` comes from a page's own markup (HTML
    ``lang``, a feed's ``xml:lang``), where an unknown code is ignored and the language
    detected instead.
    """
    text, removed = clean_text(body, options.clean)
    if not text.strip():
        place = f"{origin.name}: {where}" if where else origin.name
        raise EmptyDocument(f"{place}: no article text left after cleaning")
    article = Article(
        id=ident or origin.stem,
        text=text,
        title=" ".join(title.split()),
        source=source or source_from_url(url),
        url=url or None,
        published=published,
        path=origin.name,
        removed=removed,
    )
    if page_language and language is not None:
        code = normalise_code(language)
        language = code if code is not None and is_known_code(code) else None
    return with_language(article, options, language, where)
