"""Dates stage: date expressions resolved against the publication date.

Candidates are found with one regex per language (fast); each match is then resolved:
explicit dates (``27 September 2022``, ``September 27th``, ``2022-09-22``, ``27 de
septiembre``, ``22. September``, ``22 сентября``) from their parts, weekdays (``on
Thursday``, ``el jueves``, ``в четверг``) as the most recent such day on or before
publication, relative words (``yesterday``, ``the day before``, ``last week``, ``hier``,
``вчера``) by offset, and a month alone (``in February``) as the first day of the most
recent such month. A day and month without a year take the year that puts them closest to
publication. Numeric dates in other layouts go through ``dateparser``, on the matched span
only. ``value`` is None when a date cannot be resolved (for instance no publication date).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from newsprism.dates.words import CAPITALISED, language_tables
from newsprism.model import Article, DateRef

__all__ = ["DateOptions", "annotate_dates", "find_dates"]


def _list(words: str) -> list[str]:
    return words.split()


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_FUTURE = _list("next coming próximo próxima prochain prochaine nächsten nächster следующий")
_WEEKDAY_PREPS = [
    *_list("on last this el le am в во у v o em na dem seit until by from to since"),
    *_FUTURE,
]
_MONTH_PREPS = _list("in of since until by early late mid last next this from en de im в у v")
_ABBREVIATED = _set("jan feb apr aug sept oct nov dec")


@dataclass(frozen=True)
class DateOptions:
    """Options of the dates stage.

    ``month_only``: report a month named alone (``in February``) as its first day
    (default True). ``use_dateparser``: resolve numeric dates like ``22/09/2022`` with
    dateparser (default True). ``future_words``: words before a weekday that point forward
    (``next Monday``), resolved to the next such day after publication.
    """

    month_only: bool = True
    use_dateparser: bool = True
    future_words: frozenset[str] = frozenset(_FUTURE)


def _alt(words: list[str]) -> str:
    return "|".join(sorted({re.escape(w) for w in words}, key=len, reverse=True))


@dataclass(frozen=True)
class _Patterns:
    regex: re.Pattern[str]
    months: dict[str, int]
    weekdays: dict[str, int]
    relative: dict[str, int]
    triggers: frozenset[str]


@lru_cache(maxsize=32)
def _patterns(language: str | None) -> _Patterns:
    months, weekdays, relative = language_tables(language)
    mon = _alt(list(months))
    wd = _alt(list(weekdays))
    rel = _alt(list(relative)).replace(r"\ ", " ").replace(" ", r"\s+")
    day = r"(?P<{n}>[0-3]?\d)(?:st|nd|rd|th|er|º|°|\.)?"
    year = r"(?P<{n}>(?:1[89]|20)\d\d)"
    parts = [
        r"(?P<iso>(?P<iy>(?:19|20)\d\d)-(?P<im>[01]?\d)-(?P<id>[0-3]?\d))\b",
        r"(?P<num>[0-3]?\d[./][01]?\d[./](?:19|20)?\d\d)\b",
        # 27 September 2022 · 27 de septiembre de 2022 · 22. September · 22 сентября 2022 года
        r"(?P<dm>" + day.format(n="d1") + r"\s*(?:of\s+|de\s+)?(?P<m1>" + mon + r")\b"
        r"(?:,?\s*(?:de\s+|del\s+)?" + year.format(n="y1") + r")?)",
        # September 27th, 2022 · September 27
        r"(?P<md>(?P<m2>" + mon + r")\s+" + day.format(n="d2") + r"(?![\d.,]\d)"
        r"(?:,?\s*" + year.format(n="y2") + r")?)",
        r"(?P<wd>(?:(?P<wpre>" + _alt(_WEEKDAY_PREPS) + r")\s+)?(?P<w>" + wd + r"))",
        r"(?P<rel>" + rel + r")",
        r"(?P<mo>(?:(?P<mpre>" + _alt(_MONTH_PREPS) + r")\s+)?(?P<m3>" + mon + r")"
        r"(?:\s+" + year.format(n="y3") + r")?(?!\s+[0-3]?\d\b))",
    ]
    regex = re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE)
    triggers = {*months, *weekdays}
    triggers.update(re.findall(r"\w+", phrase)[-1] for phrase in relative)
    return _Patterns(regex, months, weekdays, relative, frozenset(triggers))


def _closest_year(month: int, day: int, base: date) -> date | None:
    best: date | None = None
    for y in (base.year - 1, base.year, base.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((d - base).days) < abs((best - base).days):
            best = d
    return best


def _make(year: int | None, month: int, day: int, base: date | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
    except ValueError:
        return None
    return _closest_year(month, day, base) if base else None


def _dateparser(span: str, language: str | None, base: date | None) -> date | None:
    import dateparser  # slow to import; only needed for rare numeric layouts

    settings: dict[str, object] = {"PREFER_DATES_FROM": "past"}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    langs = [language] if language else None
    try:
        parsed = dateparser.parse(span, languages=langs, settings=settings)
    except Exception:  # dateparser raises assorted errors on odd input
        return None
    return parsed.date() if parsed is not None else None


class _Resolver:
    def __init__(self, article: Article, options: DateOptions) -> None:
        self.base = article.published
        self.text = article.text
        self.lang = (article.language or "").lower()[:2] or None
        self.opt = options
        self.pat = _patterns(self.lang)

    def resolve(self, m: re.Match[str]) -> tuple[int, date | None] | None:
        """Start offset (after any leading word kept out of the span) and the value."""
        g, base, start = m.group, self.base, m.start()
        if g("iso"):
            return start, _make(int(g("iy")), int(g("im")), int(g("id")), base)
        if g("num"):
            parts = [int(p) for p in re.split(r"[./]", g("num"))]
            if "." in g("num"):  # day.month.year everywhere dots are used
                full = parts[2] + (2000 if parts[2] < 100 else 0)
                return start, _make(full, parts[1], parts[0], base)
            if not self.opt.use_dateparser:
                return start, None
            return start, _dateparser(g("num"), self.lang, base)
        if g("dm") or g("md"):
            month = self.pat.months[(g("m1") or g("m2")).lower()]
            day = int(g("d1") or g("d2"))
            if not 1 <= day <= 31:
                return None
            year = g("y1") or g("y2")
            return start, _make(int(year) if year else None, month, day, base)
        if g("wd"):
            pre = (g("wpre") or "").lower()
            if base is None:
                return start, None
            target = self.pat.weekdays[g("w").lower()]
            if pre in self.opt.future_words:
                return start, base + timedelta(days=(target - base.weekday() - 1) % 7 + 1)
            return start, base - timedelta(days=(base.weekday() - target) % 7)
        if g("rel"):
            offset = self.pat.relative[re.sub(r"\s+", " ", g("rel").lower())]
            return start, (base + timedelta(days=offset)) if base else None
        if g("mo") and self.opt.month_only:
            return self._month(m)
        return None

    def _month(self, m: re.Match[str]) -> tuple[int, date | None] | None:
        g, base = m.group, self.base
        name = g("m3")
        pre = (g("mpre") or "").lower()
        if name == "May" and not pre and not g("y3"):
            return None
        low = name.lower()
        if low in ("may", "march", "august") and name[0].islower() and self.lang in (None, "en"):
            return None
        if name[0].isupper() and low not in CAPITALISED and m.start("m3") > 0:
            prev = self.text[: m.start("m3")].rstrip()
            if prev and prev[-1] not in ".!?\n":
                return None  # "Julio" is a name, "julio" the month
        if low in _ABBREVIATED:
            return None
        start = m.start()
        month = self.pat.months[name.lower()]
        if g("y3"):
            return start, date(int(g("y3")), month, 1)
        if base is None:
            return start, None
        year = base.year if month <= base.month else base.year - 1
        return start, date(year, month, 1)


_TOKEN = re.compile(r"\w+")


def _candidates(text: str, pat: _Patterns) -> list[re.Match[str]]:
    """Matches of the date regex, tried only around trigger words (digits, month names…)."""
    tokens = list(_TOKEN.finditer(text))
    out: list[re.Match[str]] = []
    done = 0
    for i, tok in enumerate(tokens):
        word = tok.group()
        if tok.start() < done or not (word[0].isdigit() or word.lower() in pat.triggers):
            continue
        for j in range(max(0, i - 3), i + 1):
            pos = tokens[j].start()
            if pos < done:
                continue
            m = pat.regex.match(text, pos)
            if m is not None and m.end() > tok.start():
                out.append(m)
                done = m.end()
                break
    return out


def find_dates(article: Article, options: DateOptions | None = None) -> tuple[DateRef, ...]:
    """Date expressions of ``article`` in text order, resolved where possible."""
    res = _Resolver(article, options or DateOptions())
    text = article.text
    starts = [s.start for s in article.sentences]
    out: list[DateRef] = []
    for m in _candidates(text, res.pat):
        got = res.resolve(m)
        if got is None:
            continue
        start, value = got
        end = m.end()
        while end > start and text[end - 1] in ".,":
            end -= 1
        i = bisect_right(starts, start) - 1
        sentence = article.sentences[i].index if i >= 0 else -1
        out.append(DateRef(text[start:end], start, end, value, sentence))
    return tuple(out)


def annotate_dates(article: Article, options: DateOptions | None = None) -> Article:
    """Stage: ``article`` with ``dates`` filled."""
    return replace(article, dates=find_dates(article, options))
