"""Number parsing: digits with locale-aware separators, scale words and numbers in words.

:func:`find_numbers` returns every number of a text as a :class:`NumberToken` with exact
character offsets. It knows nothing about qualifiers, units or what is counted (see
``quantities.py``); it only decides where a number is, what its value is, and flags the
cases a caller will want to skip (ordinals, dates, times, numbers inside names).

Separator rules (``parse_digits``):

* both ``,`` and ``.`` present: the last one is the decimal mark (``1,234.5``, ``1.234,5``);
* one kind of mark used several times, or a space/no-break space/apostrophe: thousands;
* one mark followed by 1, 2 or 4+ digits: decimal (``1.5``, ``1,5``);
* one mark followed by exactly 3 digits is ambiguous and resolved by the language: ``,`` is
  the thousands mark in English-style locales, ``.`` in decimal-comma locales.

Numbers in words use ``text_to_num`` for the languages it supports and the word tables of
``number_parser`` (ru, uk, sl, pl, cs, hr …) with a small evaluator for the others.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from newsprism.quantities.numbers.forms import special_numbers
from newsprism.quantities.numbers.words import SCALE_STEMS as _SCALE_STEMS
from newsprism.quantities.numbers.words import SCALES as _SCALES
from newsprism.quantities.numbers.words import VAGUE as _VAGUE
from newsprism.quantities.numbers.words import VAGUE_ONLY_IN as _VAGUE_ONLY_IN


def _w(words: str) -> list[str]:
    """Split a whitespace-separated word list."""
    return words.split()


#: Languages whose thousands mark is ``,`` and decimal mark ``.``.
DECIMAL_POINT_LANGS = frozenset({"en", "zh", "ja", "ko", "he", "th", "hi", "ga", "mt", "ms"})
T2N_LANGS = frozenset({"en", "es", "fr", "de", "pt", "it", "nl"})


MONTHS = frozenset(
    _w("""january february march april june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre janvier février fevrier mars avril mai juin juillet août aout septembre octobre
    novembre décembre decembre januar februar märz maerz juni juli oktober dezember gennaio
    febbraio aprile maggio giugno luglio settembre ottobre dicembre janeiro fevereiro março
    maio junho julho setembro outubro dezembro januari februari maart mei augustus
    januarja februarja marca aprila maja junija julija avgusta septembra oktobra novembra
    decembra stycznia lutego kwietnia czerwca lipca sierpnia września października listopada
    grudnia января февраля марта апреля мая июня июля августа сентября октября ноября декабря
    січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня""")
)
_CAPITAL_ONLY_MONTHS = frozenset({"may", "march", "mar"})  # English months are capitalised

_GROUPED = r"\d{1,3}(?:(?:,\d{3})+|(?:\.\d{3})+|(?:[\u00a0\u202f\u2009']\d{3})+{space})(?:[.,]\d+)?"
_NUM_TEMPLATE = r"(?<![\w.,\u00a0\u202f])(?:" + _GROUPED + r"|\d+(?:[.,]\d+)?)(?!\d)"
# Currency prefixes written without a space ("RM23.50", "USD10m", "$A82", "$US55").
_GLUED_PREFIX = (
    r"(?<=\bUSD)|(?<=\bEUR)|(?<=\bGBP)|(?<=\bAUD)|(?<=\bINR)|(?<=\bSGD)|(?<=\bRM)|(?<=\bRs)"
    r"|(?<=\$A)|(?<=\$US)|(?<=\bsub-)|(?<=\bY=)"
)
_NUM_RE = re.compile(
    _NUM_TEMPLATE.replace("{space}", r"|(?: \d{3}(?![\d.,]\d))+").replace(
        r"(?<![\w.,\u00a0\u202f])", r"(?:(?<![\w.,\u00a0\u202f])|" + _GLUED_PREFIX + ")", 1
    )
    + r"|(?<=[\s(\[$])\.\d+(?![\d.,]\d|\d)"  # ".500 record", ".001 per cent" (English)
)
#: Fractions written in words: "a third of", "two-thirds", "half the", "one quarter".
_FRACTION_RE = re.compile(
    r"(?i)(?<![\w-])(?:(a|one|two|three|four)[ -])?(half|thirds?|quarters?|fifths?|tenths?)"
    r"(?=\s+(?:of|the|a|an|its|their|his|her|our|all)\b)"
)
_FRACTION_DENOM = {"half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "tenth": 10}
_FRACTION_NUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4}
#: "a dozen", "two dozen" (plural "dozens" is vague).
_DOZEN_RE = re.compile(r"(?i)(?<![\w-])(?:(a|one|two|three|four|five|half a)\s+)dozen(?![\w-])")
_WORD_RE = re.compile(r"[^\W\d_]+|\d+|[^\w\s]")
_ORDINAL_SUFFIX = re.compile(
    r"(?:st|nd|rd|th|er|re|ère|e|ème|eme|ième|º|ª|°|o|a|-?(?:й|я|е|го|ий|ого|та|те|ти|го))(?!\w)",
    re.IGNORECASE,
)
_GLUED_UNIT = re.compile(
    r"(?:bn|mn|mln|mld|mrd|k|m|km|cm|mm|kg|g|mg|t|tn|h|ha|pc|s|min|ft|lb|lbs|l|ml|mph|p|gb|mb|tb|"
    r"bhp|hp|ps|w|kw|mw|gw|kwh|mwh|gwh|hz|khz|mhz|ghz|mah|v|kv|ppm|ppb|mpg|rpm|m2|km2|sqm|sqft|"
    r"nm|μm|µm|gt|oz|mi|in|yd|sec|hrs?|mins|kph|bps|bp|x|c|f|g|sq|b|kbps|mbps|gbps|fold|mil)"
    r"(?!\w)",
    re.IGNORECASE,
)
_SCALE_AFTER = re.compile(r"[ \u00a0]?([^\W\d_]+)")
_VAGUE_OF = re.compile(r"\s+(?:of|de|d'|d’)\s*([^\W\d_]+)", re.IGNORECASE)
_ONE = frozenset(_w("a an one un une ein eine einer einen uno una um uma een"))
_HYPHEN_CHAIN = re.compile(r"[\d-]*\d-\d+-\d[\d-]*")
_NUMERO_WORDS = frozenset(
    _w("""no nr nº № # number número numéro nummer номер номера article artículo paragraph page
    category level stage phase type tier grade chapter section""")
)


@dataclass(frozen=True)
class NumberToken:
    """One number found in a text.

    ``kind`` is ``digits``, ``words`` or ``vague`` ("thousands"). ``skip`` names why a caller
    should not report it as a count (``ordinal``, ``date``, ``time``, ``code``, ``year``,
    ``label``) or is empty. ``scale`` is the multiplier of a scale word (``2.5 million``).
    """

    start: int
    end: int
    value: float
    kind: str = "digits"
    skip: str = ""
    scale: float = 1.0


def _dot_comma_decimal(language: str | None) -> bool:
    """True when ``.`` groups thousands and ``,`` is the decimal mark."""
    return (language or "en").split("-")[0].lower() not in DECIMAL_POINT_LANGS


def parse_digits(raw: str, language: str | None = None) -> float | None:
    """Parse a digit string written with the separators of ``language``; ``None`` if invalid."""
    s = raw.strip()
    for ch in ("\u00a0", "\u202f", "\u2009", " ", "'"):
        s = s.replace(ch, "")
    if not s or not s[0].isdigit():
        return None
    commas, dots = s.count(","), s.count(".")
    if commas and dots:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        grp = "." if dec == "," else ","
        s = s.replace(grp, "").replace(dec, ".")
    elif commas or dots:
        mark = "," if commas else "."
        tail = s.rsplit(mark, 1)[1]
        if (commas or dots) > 1:
            s = s.replace(mark, "")
        elif len(tail) == 3:
            thousands = "." if _dot_comma_decimal(language) else ","
            s = s.replace(mark, "") if mark == thousands else s.replace(mark, ".")
        else:
            s = s.replace(mark, ".")
    try:
        return float(s)
    except ValueError:
        return None


def scale_value(word: str) -> float | None:
    """The multiplier of a scale word (``million`` → 1e6, ``тысяч`` → 1e3) or ``None``."""
    w = word.lower().rstrip(".")
    if w in _SCALES:
        return _SCALES[w]
    for stem, value in _SCALE_STEMS:
        if w.startswith(stem):
            return value
    return None


def vague_value(word: str, language: str | None) -> float | None:
    """The unit of a vague plural (``thousands`` → 1e3) in ``language``, or ``None``."""
    w = word.lower()
    if w not in _VAGUE:
        return None
    only = _VAGUE_ONLY_IN.get(w)
    if only is not None and language is not None and language not in only:
        return None
    return _VAGUE[w]


def is_month(word: str) -> bool:
    w = word.lower().rstrip(".")
    if w in _CAPITAL_ONLY_MONTHS:
        return word[:1].isupper()
    return w in MONTHS


class _Tok:
    """A token for ``text_to_num.find_numbers``."""

    __slots__ = ("_text",)

    def __init__(self, text: str) -> None:
        self._text = text

    def text(self) -> str:
        return self._text

    def nt_separated(self, previous: object) -> bool:
        return False

    def not_a_number_part(self) -> bool:
        return False


@lru_cache(maxsize=32)
def _np_tables(language: str) -> tuple[dict[str, tuple[str, int]], frozenset[str]] | None:
    """Word → (class, value) from ``number_parser``'s data for ``language``."""
    try:
        info: dict[str, Any] = importlib.import_module(f"number_parser.data.{language}").info
    except (ImportError, AttributeError):
        return None
    table: dict[str, tuple[str, int]] = {}
    for cls in ("UNIT_NUMBERS", "DIRECT_NUMBERS", "TENS", "HUNDREDS", "BIG_POWERS_OF_TEN"):
        for word, value in info.get(cls, {}).items():
            table[str(word).lower()] = (cls, int(value))
    return table, frozenset(str(w).lower() for w in info.get("SKIP_TOKENS", ()))


def _eval_np(parts: list[tuple[str, int]]) -> float:
    total, current = 0, 0
    for cls, value in parts:
        if cls == "BIG_POWERS_OF_TEN":
            total += max(current, 1) * value
            current = 0
        elif cls == "HUNDREDS" and current and current < 10:
            current *= value
        else:
            current += value
    return float(total + current)


def _word_numbers(text: str, language: str | None) -> list[NumberToken]:
    lang = (language or "").split("-")[0].lower()
    toks = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
    out: list[NumberToken] = []
    if lang in T2N_LANGS:
        from text_to_num import find_numbers as t2n_find

        stream = [_Tok("," if t[2][0].isdigit() else t[2]) for t in toks]
        for occ in t2n_find(stream, lang, 0.0):
            a, b = toks[occ.start], toks[occ.end - 1]
            if (
                occ.start
                and occ.value in (1e3, 1e6, 1e9)
                and toks[occ.start - 1][2].lower() in _ONE
            ):
                a = toks[occ.start - 1]  # "eine Million", "a million"

            skip = "ordinal" if occ.is_ordinal else ""
            out.append(NumberToken(a[0], b[1], float(occ.value), "words", skip))
        return out
    tables = _np_tables(lang) if lang else None
    if tables is None:
        return out
    table, skip_words = tables
    i = 0
    while i < len(toks):
        word = toks[i][2].lower()
        if word not in table:
            i += 1
            continue
        j, parts = i, []
        while j < len(toks):
            w = toks[j][2].lower()
            gap = text[toks[j - 1][1] : toks[j][0]] if j > i else ""
            if gap.strip() or (w not in table and w not in skip_words):
                break
            if w in table:
                parts.append(table[w])
            j += 1
        while j > i + 1 and toks[j - 1][2].lower() in skip_words:
            j -= 1
        out.append(NumberToken(toks[i][0], toks[j - 1][1], _eval_np(parts), "words"))
        i = j
    return out


def _digit_skip(text: str, start: int, end: int, language: str | None) -> tuple[str, int]:
    """Why a digit match must not be reported, and the end to use (glued suffixes)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    if (
        before == "-"
        and start >= 2
        and text[start - 2].isalpha()
        and not _MINUS_WORD.search(text, max(0, start - 6), start)
        and not _SUB.search(text, max(0, start - 5), start)
    ):
        return "code", end  # Shahed-136, COVID-19 (not "sub-300")
    if _CLOCK.match(text, end):
        return "time", end  # 11 a.m., 2 p.m., 5pm
    if before in "/:" or (after in ":/" and end + 1 < len(text) and text[end + 1].isdigit()):
        return ("time" if ":" in (before, after) else "date"), end
    if after == "." and end + 1 < len(text) and text[end + 1].isdigit():
        return "date", end  # 27.09.2022 partially matched
    if after == "-" and end + 1 < len(text) and text[end + 1].isdigit():
        m = re.match(r"-\d+-\d+", text[end:])
        if m:
            return "date", end  # 2022-09-27, phone numbers
    signed = before == "+" and re.match(r"\d+[.,]\d+|\d+\s*%", text[start:])
    if (before == "+" and not signed) or (
        before == "-" and start >= 2 and text[start - 2].isdigit()
    ):
        chain = _HYPHEN_CHAIN.search(text, max(0, start - 20), min(len(text), end + 20))
        if before == "+" or (chain and chain.start() <= start and end <= chain.end()):
            return "code", end  # +1 555-123-4567
    if after.isalpha() or after in "μµ":
        m = _GLUED_UNIT.match(text, end)
        if m:
            return "", end
        m = _ORDINAL_SUFFIX.match(text, end)
        return ("ordinal" if m else "code"), end
    if after == "-" and _ORDINAL_SUFFIX.match(text, end):
        nxt = text[end + 1 : end + 4]
        if nxt[:1] in "йяегоит" and nxt[:1].isalpha():
            return "ordinal", end
    if after == "'" and text[end + 1 : end + 2] == "s":
        return "year", end  # the 1990's
    return "", end


def _neighbour_words(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    left = _WORD_RE.findall(text[max(0, start - 30) : start])[-3:]
    right = _WORD_RE.findall(text[end : end + 30])[:3]
    return left, right


def _date_or_label(text: str, start: int, end: int, value: float) -> str:
    left, right = _neighbour_words(text, start, end)
    if value.is_integer() and 1 <= value <= 31:
        if right and is_month(right[0]):
            return "date"  # 27 September, 27 сентября
        if len(right) >= 2 and right[0].lower() in ("de", "of", ".") and is_month(right[1]):
            return "date"  # 27 de septiembre, 27. September
        if left and is_month(left[-1]):
            return "date"  # September 27
        if len(left) >= 2 and left[-1] == "." and is_month(left[-2]):
            return "date"  # Sept. 27
    if len(left) >= 3 and left[-1] in "-–" and left[-2].isdigit() and is_month(left[-3]):
        return "date"  # Oct. 18-22
    if len(left) >= 3 and left[-1] in "-–" and left[-2].isdigit() and left[-3] == ".":
        return "date" if _month_before(text, start) else ""
    if left and left[-1].lower() in _NUMERO_WORDS:
        return "label"
    if len(left) >= 2 and left[-1] == "." and left[-2].lower() in ("no", "nr"):
        return "label"
    return ""


def _month_before(text: str, start: int) -> bool:
    words = _WORD_RE.findall(text[max(0, start - 20) : start])
    return any(is_month(w) for w in words[-4:])


def _overlaps(tok: NumberToken, spans: list[tuple[int, int]]) -> bool:
    return any(a < tok.end and tok.start < b for a, b in spans)


#: "35m of its devices", "1.2m tons", "2.7m people": a glued ``m`` that counts is a million.
_MILLION_OF = re.compile(r"\s+(?:of\b|(?:[a-z]+\s+)?(?!miles\b)[a-z]{3,}s\b|people\b)")
_MINUS_WORD = re.compile(r"(?i)\bminus[ -]$")
_SUB = re.compile(r"(?i)\bsub-$")
_CLOCK = re.compile(r"\s?(?:[ap]\.m\.|[ap]m\b|[AP]\.?M\.?(?!\w))")
#: Era marks make a number a year: "A.D. 1000", "300 BC", "79 CE".
_ERA_BEFORE = re.compile(r"(?:\bA\.?D\.?|\bAD)\s*$")
_ERA_AFTER = re.compile(r"\s*(?:B\.C\.(?:E\.)?|A\.D\.|BCE?\b|CE\b|AD\b)")
_YEAR_PREP = re.compile(r"(?i)\b(?:by|in|until|till|since|before|after|from|of)\s+$")
_YEAR_JOIN = re.compile(r"\s*(?:and|to|-|–)\s*")


def _sign(text: str, start: int) -> int:
    """Characters of a minus sign glued before ``start`` ("-1.3%", "$-50.8bn", "minus 5")."""
    m = _MINUS_WORD.search(text, max(0, start - 6), start)
    if m:
        return start - m.start()
    if start and text[start - 1] in "-−":
        prev = text[start - 2] if start >= 2 else " "
        after_number = start >= 3 and text[start - 3].isdigit() and prev == " "
        if prev in " ($\t\n" and (not after_number or re.match(r"\d+[.,]\d|\d+\s*%", text[start:])):
            return 1
    return 0


def _is_year(text: str, start: int, end: int, value: float) -> bool:
    """1800–2100, a later year after "by"/"in" ("by 2120"), or any year with an era mark."""
    if 1800 <= value <= 2100:
        return True
    if 2100 < value < 2300 and _YEAR_PREP.search(text, max(0, start - 8), start):
        return True
    return bool(_ERA_BEFORE.search(text, max(0, start - 6), start) or _ERA_AFTER.match(text, end))


def _ordinal_use(text: str, start: int) -> bool:
    """ "the third", "second half", "first quarter": an ordinal, not a fraction."""
    prev = _WORD_RE.findall(text[max(0, start - 20) : start])
    return bool(prev) and prev[-1].lower() in _ORDINAL_BEFORE


_ORDINAL_BEFORE = frozenset(_w("the first second third fourth final last other this that its"))


def find_numbers(text: str, language: str | None = None) -> list[NumberToken]:
    """Every number in ``text`` (digits, digits + scale word, words, vague plurals), sorted."""
    lang = (language or "").split("-")[0].lower() or None
    out: list[NumberToken] = []
    taken: list[tuple[int, int]] = []
    for start, end, value in special_numbers(text) if lang in (None, "en") else ():
        kind = "words" if text[start].isalpha() else "digits"
        out.append(NumberToken(start, end, value, kind))
        taken.append((start, end))
    specials = list(taken)
    for m in _NUM_RE.finditer(text):
        start, end = m.span()
        raw = m.group()
        parsed = parse_digits(("0" + raw) if raw[0] == "." else raw, lang)
        if parsed is None or (specials and _overlaps(NumberToken(start, end, 0), specials)):
            continue
        if raw[0] == "." and lang not in (None, "en"):
            continue
        value = parsed
        skip, end = _digit_skip(text, start, end, lang)
        skip = skip or _date_or_label(text, start, end, value)
        if raw.startswith("0") and raw.isdigit() and len(raw) > 1:
            skip = skip or "code"
        if not skip and value.is_integer() and raw.isdigit() and _is_year(text, start, end, value):
            skip = "year"
        after_year = out and out[-1].skip == "year" and raw.isdigit() and 100 <= value <= 2200
        if not skip and after_year and _YEAR_JOIN.fullmatch(text, out[-1].end, start):
            skip = "year"  # "between A.D. 1000 and 1260"
        scale = 1.0
        sm = _SCALE_AFTER.match(text, end) if not skip else None
        if sm:
            mult = scale_value(sm.group(1))
            glued = sm.start(1) == end
            word = sm.group(1).lower()
            if word in ("k", "m", "mn", "bn") and not glued:
                mult = None  # "5 m" is metres; only "5m"/"$5m" is a scale
            if word == "m":
                currency = start > 0 and (text[start - 1] in "$€£¥₽₴" or text[start - 1].isupper())
                upper = sm.group(1) == "M" and glued
                counted = _MILLION_OF.match(text, sm.end(1)) is not None
                mult = 1e6 if glued and (currency or upper or counted) else None
            if word == "mil" and (lang == "en" or (lang is None and glued)):
                mult = 1e6  # "RM3.06mil", "$1 mil"; Spanish "3 mil" is 3,000
            if word == "b":
                currency = start > 0 and text[start - 1] in "$€£¥₽₴"
                mult = 1e9 if (currency and glued) or sm.group(1) == "B" else None
            if mult is not None:
                end, value, scale = sm.end(1), value * mult, mult
                nxt = _SCALE_AFTER.match(text, end)
                more = scale_value(nxt.group(1)) if nxt and nxt.start(1) > end else None
                if nxt and more is not None and more > mult and len(nxt.group(1)) > 2:
                    end, value, scale = nxt.end(1), value * more, mult * more
                if text[end : end + 1] == "." and word in ("mio", "mrd", "тыс", "тис", "tys"):
                    end += 1
        sign = _sign(text, start)
        if sign and not skip:
            start, value = start - sign, -value
        out.append(NumberToken(start, end, value, "digits", skip, scale))
        taken.append((start, end))
    for m in _FRACTION_RE.finditer(text):
        denom = _FRACTION_DENOM[m.group(2).lower().rstrip("s")]
        num = _FRACTION_NUM[(m.group(1) or "a").lower()]
        tok = NumberToken(m.start(), m.end(), num / denom, "words")
        bare = m.group(1) is None
        if bare and (denom > 4 or m.group(2).lower().startswith("fourth")):
            continue
        if not _overlaps(tok, taken) and not (bare and _ordinal_use(text, m.start())):
            out.append(tok)
            taken.append((m.start(), m.end()))
    for m in _DOZEN_RE.finditer(text):
        lead = (m.group(1) or "a").lower()
        count = 0.5 if lead == "half a" else _FRACTION_NUM.get(lead, 5 if lead == "five" else 1)
        tok = NumberToken(m.start(), m.end(), 12.0 * count, "words")
        if not _overlaps(tok, taken):
            out.append(tok)
            taken.append((m.start(), m.end()))
    words = [t for t in _word_numbers(text, lang) if not _overlaps(t, taken)]
    for m in _WORD_RE.finditer(text):
        w = m.group()
        if not w[0].isalpha() or (unit := vague_value(w, lang)) is None:
            continue
        longer = [t for t in words if t.start <= m.start() < t.end and t.end - t.start > len(w)]
        if longer or _overlaps(NumberToken(m.start(), m.end(), 0), taken):
            continue  # "тысячи двадцати" is a number, not "thousands"
        end = m.end()
        of = _VAGUE_OF.match(text, end)
        if of and (inner := vague_value(of.group(1), lang)) is not None:
            unit, end = unit * inner, of.end()  # hundreds of thousands
        out.append(NumberToken(m.start(), end, unit, "vague"))
        taken.append((m.start(), end))
    for tok in words:
        if not _overlaps(tok, taken):
            skip = tok.skip or _date_or_label(text, tok.start, tok.end, tok.value)
            out.append(NumberToken(tok.start, tok.end, tok.value, "words", skip))
    out.sort(key=lambda t: t.start)
    return out
