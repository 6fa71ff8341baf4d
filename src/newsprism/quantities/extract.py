"""The quantities stage: numbers with qualifiers, units and what they count.

``find_quantities`` turns every reportable number of a text into a :class:`Quantity`:

* the qualifier before it becomes an interval (``more than 1,300`` → (1300, inf));
  ranges (``between 20 and 30``, ``20-30``, ``de 20 a 30``, ``four to 82``) become
  ``range``; vague plurals (``thousands of``, ``several thousand``) become the range
  (X, 10·X), both ends open;
* the unit after it (or a currency sign before it) is normalised (``%``, ``USD``, ``km``,
  ``year``, ``year_of_age`` …); the span covers qualifier, number and unit;
* ``counted`` is a short phrase read from the words after the number: up to
  ``max_counted_words`` content words (``of`` constructions are followed: "thousands of
  people" → ``people``), stopping at punctuation and function words, plus one participle
  or past verb saying what happened, possibly after auxiliaries ("at least 1,332 people
  were arrested" → ``people arrested``; "55,000 Russian soldiers died" → ``Russian
  soldiers died``). After a unit, only an ``of`` construction or, for ages, the noun
  that follows is read ("a 21-year-old Russian student" → ``Russian student``).

Years, dates, times, ordinals, codes (``Shahed-136``, ``COVID-19``) and labels
(``number two``) are not reported. ``relate`` (from ``quantity_relate``) compares two
quantities.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsprism.model import INF, Article, Quantity, Sentence
from newsprism.quantities.labels import (
    age_context,
    apposed_age,
    elided_units,
    is_compound,
    is_label,
    keep_single_one,
)
from newsprism.quantities.numbers.values import NumberToken, find_numbers, parse_digits
from newsprism.quantities.relate import RelateOptions, Relation, counted_key, relate
from newsprism.quantities.words import (
    AUX,
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    OF_WORDS,
    RATE_WORDS,
    STOP,
    VAGUE_DETERMINERS,
    direction,
    is_event_word,
    is_plain_join,
    qualifier_regex,
    range_regexes,
    unit_of,
)


def _w(words: str) -> list[str]:
    """Split a whitespace-separated word list."""
    return words.split()


__all__ = [
    "QuantityOptions",
    "RelateOptions",
    "Relation",
    "annotate_quantities",
    "counted_key",
    "direction",
    "find_quantities",
    "parse_digits",
    "relate",
]


@dataclass(frozen=True)
class QuantityOptions:
    """Options of the quantities stage.

    ``about_tolerance``: "about X" is [X·(1-t), X·(1+t)] (default 0.1).
    ``nearly_tolerance``: "nearly X" is [X·(1-t), X) (default 0.1).
    ``vague_span``: "thousands" is (1000, span·1000) (default 10).
    ``keep_years``: report bare years such as ``2022`` (default False).
    ``max_counted_words``: content words kept in ``counted`` (default 3).
    """

    about_tolerance: float = 0.1
    nearly_tolerance: float = 0.1
    vague_span: float = 10.0
    keep_years: bool = False
    max_counted_words: int = 3


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|%|[^\w\s]")
_SIMPLE_WORD = re.compile(r"[^\W\d_]+2?|%|-|°|″|/|²|€|₽|₴")
_DOTTED_UNIT = re.compile(r"[ \u00a0]?(m\.p\.h|k\.p\.h|m\.p\.g)\.?", re.IGNORECASE)
_PREV_WORDS = re.compile(r"[^\W\d_]+")
_UNIT_OF = re.compile(r"\s+(?:de|d'|d’|of|di)\s*([^\W\d_]+)", re.IGNORECASE)
_MONEY = frozenset({"USD", "EUR", "GBP", "RUB", "UAH"})
_CHANGE = re.compile(
    r"(?i)\b(?:increas|rais|rise|rose|risen|fell|fall|drop|grow|grew|jump|climb|declin|reduc|cut|"
    r"revis|boost|doubl|went|moved|chang|aument|subi|baj|cay|cayó|redujo|augment|hauss|baiss|"
    r"pass|stieg|sank|gestiegen|gesunken|выр|упа|сниз|увелич|сократ|зрос|впа|знизи)\w*\W+"
    r"(?:\w+\W+){0,3}$"
)
#: Range openers that also open a change ("rose from 240 to 273"); "between" never does.
_FROM_OPEN = frozenset(_w("from de des von от від od van"))
_BY_CHANGE = re.compile(r"(?i)\b(?:by|um|на)\s*$")
_OF_DETERMINERS = frozenset(_w("the a an its their his her our my your these those les los las"))
_PLURAL = re.compile(r"[^\W\d_]{2,}[^su\W\d_]s|people")
_LEADING = frozenset(_w("other more"))  # "eight other employees", "eight more picks"
_SKIPPED = frozenset({"ordinal", "date", "time", "code", "label"})


def _lang(language: str | None) -> str | None:
    return (language or "").split("-")[0].lower() or None


def _words_after(text: str, pos: int, limit: int = 120) -> list[tuple[int, int, str]]:
    return [
        (m.start() + pos, m.end() + pos, m.group()) for m in _WORD.finditer(text[pos : pos + limit])
    ]


def _qualifier(text: str, start: int, lang: str | None) -> tuple[str, int] | None:
    rx, kinds = qualifier_regex(lang)
    m = rx.search(text, max(0, start - 40), start)
    if not m:
        return None
    phrase = re.sub(r"\s+", " ", m.group(1).lower())
    return kinds.get(phrase, "about"), m.start(1)


def _currency_before(text: str, start: int) -> tuple[str, int] | None:
    """A currency sign or code right before ``start`` ("$5", "HK $5", "RM23", "USD 10")."""
    head = text[max(0, start - 7) : start]
    stripped = head.rstrip()
    for sym in _CURRENCY_BY_LENGTH:
        if not stripped.endswith(sym):
            continue
        at = start - (len(head) - len(stripped)) - len(sym)
        if at > 0 and sym[0].isalpha() and text[at - 1].isalnum():
            continue  # "FIRM 5" is not ringgit
        if len(head) - len(stripped) > 1 or ("\n" in head[len(stripped) :]):
            continue
        return CURRENCY_SYMBOLS[sym], at
    prev = _PREV_WORDS.findall(text[max(0, start - 6) : start])
    if (
        prev
        and prev[-1] in CURRENCY_CODES
        and text[start - len(prev[-1]) - 1 : start].strip() == prev[-1]
    ):
        return prev[-1], start - len(prev[-1]) - 1
    return None


_CURRENCY_BY_LENGTH = sorted(CURRENCY_SYMBOLS, key=len, reverse=True)
_RATE = re.compile(
    r"[ \u00a0-]*(?:(per|an?)[ \u00a0-]+|/[ \u00a0]*)([^\W\d_]+)(?:[ \u00a0]+([^\W\d_]+))?"
)  # "$52 a barrel", "£24 a-year", "52,000 barrel-a-day", "5 km/h"
_RATE_NOT = frozenset(_w("ago earlier before later after"))


def _rate_after(text: str, pos: int, unit: str) -> tuple[str, int] | None:
    """ "per barrel", "a month", "/h" after a unit: the rate unit and where it ends."""
    m = _RATE.match(text, pos)
    if m is None or unit in ("pp", "km/h", "mph", "year_of_age"):
        return None
    if unit == "%" and (m.group(1) is None or m.group(2).lower() not in RATE_WORDS):
        return None
    word, nxt = m.group(2), m.group(3)
    if nxt and nxt.lower() in _RATE_NOT:
        return None
    two = unit_of([word, nxt]) if nxt else None
    if two and two[1] == 2:
        return f"{unit}/{two[0]}", m.end()
    one = unit_of([word])
    if m.group(1) is not None and m.group(1).lower() != "per" and word.lower() not in RATE_WORDS:
        return None
    if m.group(1) is None and one is None:
        return None
    denom = one[0] if one else word.lower()
    return f"{unit}/{denom}", m.end(2)


def _unit_after(text: str, end: int) -> tuple[str, int] | None:
    """The unit right after ``end`` (only spaces or hyphens between) and where it ends."""
    words: list[tuple[int, int, str]] = []
    pos = end
    dotted = _DOTTED_UNIT.match(text, end)
    if dotted and (found := unit_of([dotted.group(1).replace(".", "").lower()])):
        return found[0], dotted.end()  # "80 m.p.h."
    of = _UNIT_OF.match(text, end)
    if of and (found := unit_of([of.group(1)])) and found[0] in _MONEY:
        return found[0], of.end()  # "2,5 millones de euros", "millions d'euros"
    for m in _SIMPLE_WORD.finditer(text, end, min(len(text), end + 40)):
        if text[pos : m.start()].strip():
            break
        pos = m.end()
        if m.group() == "-":
            continue
        words.append((m.start(), m.end(), m.group()))
        if len(words) == 3:
            break
    found = unit_of([w[2] for w in words])
    if found is None:
        return None
    unit, n = found
    stop = words[n - 1][1]
    if unit == "RUB" and text[stop : stop + 1] == ".":
        stop += 1
    return unit, stop


def _counted(
    text: str, pos: int, lang: str | None, opts: QuantityOptions, after_unit: bool
) -> str | None:
    stop = STOP.get(lang or "en", frozenset())
    aux = AUX.get(lang or "en", frozenset())
    ofs = OF_WORDS.get(lang or "en", frozenset())
    words = _words_after(text, pos)
    out: list[str] = []
    i = 0
    if after_unit and (not words or words[0][2].lower() not in ofs):
        return None
    while i < len(words) and words[i][2].lower() in ofs and not out:
        i += 1  # "thousands of people", "miles de personas", "one of my stores"
        while i < len(words) and words[i][2].lower() in _OF_DETERMINERS:
            i += 1
    content = 0
    prev_end = words[i - 1][1] if i else pos
    while i < len(words) and content < opts.max_counted_words:
        s, e, w = words[i]
        if not w[0].isalpha() or "\n" in text[prev_end:s]:
            break
        low = w.lower()
        if low[:2] in ("d'", "d’", "l'", "l’") and len(low) > 3:
            w, low = w[2:], low[2:]
        if low in aux:
            break
        if out and is_event_word(w, lang):
            out.append(w)
            return " ".join(out)
        if low in ofs and out and i + 1 < len(words) and words[i + 1][2][0].isalpha():
            nxt = words[i + 1][2]
            if nxt.lower() in stop or is_event_word(nxt, lang):
                break
            out.extend((w, nxt))  # "prisoners of war"
            i, prev_end, content = i + 2, words[i + 1][1], content + 1
            continue
        if out and lang in (None, "en") and _PLURAL.fullmatch(out[-1]):
            break  # the head noun ends the phrase: "Liverpool fans [went]"
        if low in stop and not (not out and low in _LEADING):
            break
        if low in aux or (lang not in STOP and len(low) <= 2):
            break
        out.append(w)
        content += 1
        i, prev_end = i + 1, e
    j = i
    while out and j < len(words) and words[j][2].lower() in aux:
        j += 1
    if out and j < len(words) and words[j][2][0].isalpha() and is_event_word(words[j][2], lang):
        out.append(words[j][2])
    return " ".join(out) if out else None


def _interval(value: float, kind: str, opts: QuantityOptions) -> tuple[float, float, bool, bool]:
    floor = 0.0 if value >= 0 else -INF
    if kind == "more_than":
        return value, INF, False, False
    if kind == "at_least":
        return value, INF, True, False
    if kind == "less_than":
        return floor, value, True, False
    if kind == "at_most":
        return floor, value, True, True
    if kind == "up_to":
        return floor, value, False, True
    if kind == "about":
        t = opts.about_tolerance
        return value * (1 - t), value * (1 + t), True, True
    if kind == "nearly":
        return value * (1 - opts.nearly_tolerance), value, True, False
    return value, value, True, True


@dataclass
class _Draft:
    tok: NumberToken
    start: int
    end: int
    value: float
    low: float
    high: float
    qualifier: str = "exact"
    low_inc: bool = True
    high_inc: bool = True
    first: int = -1  # where the first figure of a range starts


def _bare_between(text: str, a: NumberToken, b: NumberToken) -> str | None:
    """The words between two numbers without a unit after the first ("5% to 6%") or a
    currency sign before the second ("$200 to $4 million"); ``None`` when the two carry
    different units or currencies ("6.5% to 164p", "8 or $9")."""
    pos, stop = a.end, b.start
    unit_a = _unit_after(text, a.end)
    if unit_a is not None and unit_a[1] <= b.start:
        unit_b = _unit_after(text, b.end)
        if unit_b is None or unit_b[0] != unit_a[0]:
            return None
        pos = unit_a[1]
    cur_b = _currency_before(text, b.start)
    if cur_b is not None and cur_b[1] >= pos:
        cur_a = _currency_before(text, a.start)
        if cur_a is None or cur_a[0] != cur_b[0]:
            return None
        stop = cur_b[1]
    return text[pos:stop]


def _implied_scale(a: NumberToken, b: NumberToken) -> float:
    """ "four to five thousand", "1 to 2 million": the scale of the second applies to both."""
    if a.scale == 1 and b.scale > 1:
        return b.scale
    if b.kind == "words" and a.value < 1000:
        for scale in (1e9, 1e6, 1e3):
            if b.value % scale == 0 and b.value // scale < 1000 and a.value < b.value // scale:
                return scale
    return 1.0


def _ranges(text: str, toks: list[NumberToken], lang: str | None) -> list[_Draft]:
    join, opening = range_regexes(lang)
    drafts: list[_Draft] = []
    i = 0
    while i < len(toks):
        a = toks[i]
        if i + 1 < len(toks):
            b = toks[i + 1]
            between = _bare_between(text, a, b)
            ok = between is not None and len(between) <= 8 and "\n" not in between
            jm = join.fullmatch(between) if ok and between is not None else None
            cur_a = _currency_before(text, a.start)
            a_start = cur_a[1] if cur_a else a.start
            om = opening.search(text, max(0, a_start - 12), a_start)
            if (
                om
                and om.group(1).lower() in _FROM_OPEN
                and _CHANGE.search(text, max(0, om.start() - 40), om.start())
            ):
                om = jm = None  # "rose from 240 to 273" is a change, not a range
            if jm and not om and _by_change(text, a, b, a_start):
                jm = None  # "increased by $43.6 billion to $419.2 billion"
            if jm and between is not None and (om or is_plain_join(between)):
                low = a.value * _implied_scale(a, b)
                if low >= b.value:
                    low = a.value  # "$370,000 to $5.5 million": no implied scale
                if low < b.value and a.kind != "vague" and b.kind != "vague":
                    start = om.start(1) if om else a.start
                    drafts.append(
                        _Draft(b, start, b.end, b.value, low, b.value, "range", first=a.start)
                    )
                    i += 2
                    continue
            if _score_pair(text, a, b):
                i += 2
                continue
        drafts.append(_Draft(a, a.start, a.end, a.value, a.value, a.value))
        i += 1
    return drafts


def _by_change(text: str, a: NumberToken, b: NumberToken, a_start: int) -> bool:
    """ "grew by $5 billion to $40 billion", "rose by 2% to 5%": the change and the level
    reached (each figure written with its unit), not a range ("by 5 to 10 per cent")."""
    if not _BY_CHANGE.search(text, max(0, a_start - 10), a_start):
        return False
    if a_start < a.start:
        return True  # a currency sign before each figure
    unit_a = _unit_after(text, a.end)
    return unit_a is not None and unit_a[1] <= b.start


def _score_pair(text: str, a: NumberToken, b: NumberToken) -> bool:
    """ "ended 2-2", "beat them 2-1": a score, not a range (the second is not larger)."""
    if text[a.end : b.start] not in ("-", "–") or a.kind != "digits" or b.kind != "digits":
        return False
    return a.value >= b.value and a.value < 200 and float(a.value).is_integer()


def find_quantities(
    text: str,
    language: str | None,
    sentences: Sequence[Sentence] = (),
    options: QuantityOptions | None = None,
) -> tuple[Quantity, ...]:
    """Every reportable quantity in ``text``, in text order (see the module docstring)."""
    opts = options or QuantityOptions()
    lang = _lang(language)
    toks = [t for t in find_numbers(text, lang) if t.skip not in _SKIPPED]
    starts = [s.start for s in sentences]
    out: list[Quantity] = []
    for d in _ranges(text, toks, lang):
        tok = d.tok
        if out and d.start < out[-1].end:
            continue  # "ciento" in "254 por ciento"
        qual = _qualifier(text, d.start, lang) if d.qualifier == "exact" else None
        currency = _currency_before(text, d.start)
        if currency is None and d.first > d.start:
            currency = _currency_before(text, d.first)  # "between $62 and $68"
            currency = (currency[0], d.start) if currency else None
        if currency and qual is None and d.qualifier == "exact":
            qual = _qualifier(text, currency[1], lang)
        unit_found = _unit_after(text, d.end)
        unit = currency[0] if currency else (unit_found[0] if unit_found else None)
        measured = unit_found is not None and unit_found[0] in ("%", *_MONEY, "km", "m", "t")
        if tok.skip == "year" and not (opts.keep_years or qual or currency or measured):
            continue
        if unit is None and is_compound(text, tok):
            continue  # "a four-door car", "a six-speed gearbox"
        is_one = tok.kind == "words" and tok.value == 1 and " " not in text[tok.start : tok.end]
        if is_one and qual is None and not keep_single_one(text, tok, lang):
            continue
        vague = tok.kind == "vague"
        prev = _PREV_WORDS.findall(text[max(0, d.start - 12) : d.start])
        scale_only = tok.kind == "words" and tok.value in (100, 1e3, 1e6, 1e9)
        if scale_only and prev and prev[-1].lower() in VAGUE_DETERMINERS and qual is None:
            vague = True
            d.start = text.rfind(prev[-1], 0, d.start)
        start = d.start
        if qual is not None:
            d.qualifier = qual[0]
            start = qual[1]
        elif currency is not None:
            start = currency[1]
        if vague and qual is None:
            d.qualifier, d.low, d.high = "range", d.value, d.value * opts.vague_span
            d.low_inc = d.high_inc = False
        elif d.qualifier != "range":
            d.low, d.high, d.low_inc, d.high_inc = _interval(d.value, d.qualifier, opts)
        end = d.end
        if unit_found and currency is None:
            end = unit_found[1]
        if (
            unit is None
            and tok.kind == "digits"
            and qual is None
            and is_label(text, d.start, d.end, lang)
        ):
            continue  # "iPhone 11", "S&P 500", "Game 7"
        rate = _rate_after(text, end, unit) if unit else None
        if rate is not None:
            unit, end = rate
        if unit is None and apposed_age(text, d.start, end, d.value):
            unit = "year_of_age"  # "Maddon, 66, has"
        if unit == "year" and age_context(text, start):
            unit = "year_of_age"
        counted = _counted(text, end, lang, opts, unit is not None and unit != "year_of_age")
        idx = bisect.bisect_right(starts, start) - 1
        sentence = idx if idx >= 0 and sentences[idx].end >= end else -1
        if sentence >= 0:
            sentence = sentences[idx].index
        out.append(
            Quantity(
                text=text[start:end],
                start=start,
                end=end,
                value=d.value,
                low=d.low,
                high=d.high,
                low_inclusive=d.low_inc,
                high_inclusive=d.high_inc,
                unit=unit,
                counted=counted,
                qualifier=d.qualifier,
                sentence=sentence,
            )
        )
    return elided_units(text, out)


def annotate_quantities(article: Article, options: QuantityOptions | None = None) -> Article:
    """The stage: ``article`` with ``quantities`` filled from its text and sentences."""
    found = find_quantities(article.text, article.language, article.sentences, options)
    return dataclasses.replace(article, quantities=found)
