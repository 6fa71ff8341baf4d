"""Quotes stage: direct and indirect reported speech with its speaker.

Works only from ``Article.text``, ``Article.sentences`` and ``Article.mentions``:
quotation marks are paired (:mod:`newsprism.quotes.marks`), reporting cues come from
per-language tables (:mod:`newsprism.quotes.cues`), and the speaker is the named subject next
to the cue. Pronoun speakers are resolved to the last person named shortly before.

Each article is read once (:class:`~newsprism.quotes.article_text.ArticleText`); one
:class:`~newsprism.quotes.speakers.SpeakerResolver` per article serves the direct quote
finder (:mod:`newsprism.quotes.direct`) and the indirect speech finder
(:mod:`newsprism.quotes.indirect`). When a parser model is installed for the language,
attributions read from a dependency parse are merged in (:mod:`newsprism.quotes.merge`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsprism.model import Article, Quote
from newsprism.quotes.article_text import ArticleText
from newsprism.quotes.attribution import ParsedCue
from newsprism.quotes.direct import DirectQuoteFinder
from newsprism.quotes.indirect import IndirectSpeechFinder
from newsprism.quotes.merge import drop_heading_echoes, from_parse, merge
from newsprism.quotes.options import QuoteOptions
from newsprism.quotes.parser import Parser, cue_units, parse_units, parser_for
from newsprism.quotes.speakers import SpeakerResolver

__all__ = [
    "QuoteOptions",
    "annotate_quotes",
    "annotate_quotes_batch",
    "find_quotes",
    "find_quotes_batch",
]


def _rules(article: ArticleText, speakers: SpeakerResolver) -> list[Quote]:
    """Direct quotes and rule-based indirect speech of one article."""
    direct = DirectQuoteFinder(article, speakers)
    found = direct.find()
    if article.opt.indirect:
        taken = [(m.start, m.end) for m in article.long_marks]
        finder = IndirectSpeechFinder(article, speakers)
        indirect = finder.find(taken)
        indirect = sorted(indirect + finder.headlines_and_participles(taken), key=lambda q: q.start)
        found = direct.name_pending_speakers(found, indirect) + indirect
    return found


def _settled(article: ArticleText, found: list[Quote]) -> list[tuple[int, int]]:
    """Text the rules have attributed: direct quotes with a speaker and the attributions
    after them (``“…,” she said``). A sentence whose possible cues all lie there is not
    parsed: its quote already has a speaker, which is all the parse could add to it."""
    out = list(article.used)
    out += [(q.start, q.end) for q in found if q.direct and q.speaker is not None]
    return out


def _parsed(
    articles: Sequence[Article], texts: Sequence[ArticleText], found: Sequence[list[Quote]]
) -> list[list[ParsedCue] | None]:
    """Attributions read from a parse of each article (None: no parser for its language).

    The sentences of all articles that share a parser are parsed in one batch.
    """
    out: list[list[ParsedCue] | None] = [None] * len(texts)
    groups: dict[int, tuple[Parser, list[int]]] = {}
    for i, (a, f) in enumerate(zip(articles, texts, strict=True)):
        if f.opt.parse and (parser := parser_for(a.language)) is not None:
            groups.setdefault(id(parser), (parser, []))[1].append(i)
    for parser, members in groups.values():
        jobs = []
        for i in members:
            f = texts[i]
            units = cue_units(f.text, f.sent_starts, [(m.start, m.end) for m in f.marks])
            jobs.append((f.text, units, _settled(f, found[i])))
        for i, cues in zip(members, parse_units(parser, jobs), strict=True):
            out[i] = cues
    return out


def find_quotes_batch(
    articles: Sequence[Article], options: QuoteOptions | None = None
) -> list[tuple[Quote, ...]]:
    """:func:`find_quotes` of each article; the parses of all articles run as one batch,
    which is faster than one call per article."""
    texts = [ArticleText(a, options or QuoteOptions()) for a in articles]
    resolvers = [SpeakerResolver(t) for t in texts]
    found = [_rules(t, r) for t, r in zip(texts, resolvers, strict=True)]
    out = []
    parses = _parsed(articles, texts, found)
    for text, resolver, quotes, cues in zip(texts, resolvers, found, parses, strict=True):
        if cues is not None:
            parsed = [q for c in cues if (q := from_parse(resolver, c)) is not None]
            quotes = merge(quotes, parsed, text.opt.indirect)
        quotes = drop_heading_echoes(text, quotes)
        out.append(tuple(sorted(quotes, key=lambda q: (q.start, q.end))))
    return out


def find_quotes(article: Article, options: QuoteOptions | None = None) -> tuple[Quote, ...]:
    """Direct and indirect quotes of ``article`` with speakers, in text order.

    Needs ``article.sentences`` only for sentence indices and headings, and
    ``article.mentions`` for named speakers; without mentions, speakers are noun phrases.
    """
    return find_quotes_batch([article], options)[0]


def annotate_quotes(article: Article, options: QuoteOptions | None = None) -> Article:
    """Stage: ``article`` with ``quotes`` filled."""
    return replace(article, quotes=find_quotes(article, options))


def annotate_quotes_batch(
    articles: Sequence[Article], options: QuoteOptions | None = None
) -> list[Article]:
    """:func:`annotate_quotes` of each article, with one batched parse for all of them."""
    found = find_quotes_batch(articles, options)
    return [replace(a, quotes=q) for a, q in zip(articles, found, strict=True)]
