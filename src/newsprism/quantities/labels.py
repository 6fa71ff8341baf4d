"""Context tests of the quantities stage: names, addresses, ages and a lone "one".

These decide whether a number found by ``numbers.find_numbers`` is a quantity at all, from
the words around it:

* :func:`is_label`: part of a name or an address ("iPhone 11", "S&P 500 +0.3%",
  "Dak Prescott (4)", "49 Zorro Ranch Road", "22 Ave Foch");
* :func:`is_compound`: a number word inside a compound adjective ("a four-door car",
  "a three-bed flat", "a six-speed gearbox"); compounds with a unit ("five-year") stay;
* :func:`keep_single_one`: a lone "one" that counts ("one person", "one of the best
  players") rather than a pronoun ("the same one", "one another");
* :func:`apposed_age` / :func:`age_context`: "Maddon, 66, said"; "aged 25 years";
* :func:`elided_units`: a bare figure takes the unit written once for two figures
  ("from 208 pounds to 193", "a 7- or 8-inch screen").
"""

from __future__ import annotations

import dataclasses
import re

from newsprism.model import Quantity
from newsprism.quantities.numbers.values import NumberToken
from newsprism.quantities.words import AGE_CUES

__all__ = [
    "age_context",
    "apposed_age",
    "elided_units",
    "is_compound",
    "is_label",
    "keep_single_one",
]


def _w(words: str) -> list[str]:
    """Split a whitespace-separated word list."""
    return words.split()


_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|%|[^\w\s]")
_PREV_WORDS = re.compile(r"[^\W\d_]+")
_TITLE_WORD = re.compile(r"[A-Z][\w&]*|[a-z]+[A-Z]\w*")
#: Names that are names wherever they stand: "S&P", "FTSE", "iPhone", "PlayStation".
_STRONG_NAME = re.compile(r"[A-Z][A-Z&]+|\w*&\w*|[a-z]+[A-Z]\w*|[A-Z][a-z]+[A-Z]\w*")
#: A market quote after an index name: "Stoxx 50 -1.3%", "S&P 500 +0.3%".
_QUOTE_AFTER = re.compile(r"[ \u00a0]+[+\-−–]\d")
_STREET = (
    r"St|Street|Rd|Road|Ave|Avenue|Way|Blvd|Boulevard|Lane|Ln|Drive|Dr|Place|Pl|Court|Ct|"
    r"Terrace|Highway|Hwy|Square|Sq|Parkway|Pkwy|Crescent|Close"
)
_ADDRESS = re.compile(rf"(?:[ \u00a0]+[A-Z0-9][\w'’.-]*){{0,3}}?[ \u00a0]+(?:{_STREET})\b")
_ONE_AFTER_STOP = frozenset(
    _w("of another day time way side hand thing who that which by after more less из з із")
)
_ONE_BEFORE_STOP = frozenset(_w("the no any every each this that which same"))
#: "one of the best …", "one of his …": a determiner after "of" makes "one" a count.
_ONE_OF = frozenset(_w("the my your his her its our their these those"))
_SINGLE_ONE_LANGS = frozenset({"en", "ru", "uk"})
_UNIT_HINT = re.compile(r"[^\W\d_]+")


def _words_after(text: str, pos: int, limit: int = 30) -> list[str]:
    return _WORD.findall(text[pos : pos + limit])


def is_label(text: str, start: int, end: int, lang: str | None) -> bool:
    """A number that is part of a name or an address, not a quantity (see the module doc)."""
    if lang not in (None, "en"):
        return False
    if _ADDRESS.match(text, end):
        return True  # "49 Zorro Ranch Road", "9 E 71st St"
    head = text[max(0, start - 60) : start]
    if head.endswith("(") and text[end : end + 1] == ")":
        return bool(re.search(r"[A-Z][\w'’-]+ \($", head))  # "Dak Prescott (4)"
    m = re.search(r"([\w&]+)([ \u00a0])$", head)
    if m is None or not _TITLE_WORD.fullmatch(m.group(1)):
        return False
    if _STRONG_NAME.fullmatch(m.group(1)) or _QUOTE_AFTER.match(text, end):
        return True  # "S&P 500", "iPhone 11", "Stoxx 50 -1.3%"
    before = head[: m.start()].rstrip()
    if not before or before[-1] in '.!?:;"“(\n':
        return False  # sentence start: "In 2019 …", "Russia: 300 …"
    window = re.findall(r"[^\W\d_]+", text[max(0, start - 40) : start + 40])
    return any(w.islower() and len(w) >= 4 for w in window)  # not a title-case headline


def is_compound(text: str, tok: NumberToken) -> bool:
    """A number word joined by a hyphen to a lower-case word ("four-door", "three-bed");
    the caller keeps it when that word is a unit ("five-year", "six-cylinder")."""
    if tok.kind != "words" or text[tok.end : tok.end + 1] != "-":
        return False
    nxt = _UNIT_HINT.match(text, tok.end + 1)
    return nxt is not None and nxt.group().islower()


def keep_single_one(text: str, tok: NumberToken, lang: str | None) -> bool:
    """Whether a lone "one" counts something ("one person", "one of the best players")."""
    if lang is not None and lang not in _SINGLE_ONE_LANGS:
        return False
    nxt = _words_after(text, tok.end)
    prev = _PREV_WORDS.findall(text[max(0, tok.start - 20) : tok.start])
    if prev and prev[-1].lower() in _ONE_BEFORE_STOP:
        return False
    if not nxt or not nxt[0][0].isalpha():
        return False
    if nxt[0].lower() == "of" and lang in (None, "en") and len(nxt) > 1:
        return nxt[1].lower() in _ONE_OF or bool(re.fullmatch(r"[A-Z]\w*[’']s", nxt[1]))
    return nxt[0].lower() not in _ONE_AFTER_STOP


def apposed_age(text: str, start: int, end: int, value: float) -> bool:
    """ "Maddon, 66, said": a person's age between commas after a name."""
    if not (float(value).is_integer() and 15 <= value <= 110):
        return False
    if text[end : end + 1] != "," or text[max(0, start - 2) : start] != ", ":
        return False
    m = re.search(r"([A-Z][\w'’-]+), $", text[max(0, start - 40) : start])
    return m is not None


def age_context(text: str, start: int) -> bool:
    """An age word ("aged", "edad", "возрасте") among the five words before ``start``."""
    words = _PREV_WORDS.findall(text[max(0, start - 40) : start])
    return any(w.lower() in AGE_CUES for w in words[-5:])


_ELIDED_BEFORE = re.compile(
    r"(?i)[^.!?;:()]{0,50}?\b(?:and|or|to|from|including|while|but|versus|vs|against|"
    r"compared\s+with|y|et|und|и|o|ou|oder|или)\b[^.!?;:()]{0,25}"
)
_ELIDED_AFTER = re.compile(r"-?,?\s+(?:or|and|to)\s+")


def elided_units(text: str, found: list[Quantity]) -> tuple[Quantity, ...]:
    """A bare figure takes the unit of its neighbour when the unit is written once:
    "from 208 pounds to 193", "435 homes … and 187", "a 7- or 8-inch screen"."""
    out = list(found)
    for i, q in enumerate(out):
        if q.unit is not None or q.counted is not None or q.qualifier == "range":
            continue
        prev = out[i - 1] if i else None
        nxt = out[i + 1] if i + 1 < len(out) else None
        if (
            prev
            and (prev.unit or prev.counted)
            and _ELIDED_BEFORE.fullmatch(text, prev.end, q.start)
        ):
            out[i] = dataclasses.replace(q, unit=prev.unit, counted=prev.counted)
        elif nxt and nxt.unit and _ELIDED_AFTER.fullmatch(text, q.end, nxt.start):
            out[i] = dataclasses.replace(q, unit=nxt.unit)
    return tuple(out)
