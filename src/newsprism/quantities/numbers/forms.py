"""Number forms read before plain digits: scientific notation, fractions, "-fold", "X out of Y".

:func:`special_numbers` returns ``(start, end, value)`` spans that ``numbers.find_numbers``
reads as one number each, so that their parts ("10", "16" in "1/16") are not reported on
their own:

* scientific notation: ``1.99×10−30``, ``3 x 10^8``, ``6.02×10²³``;
* digit fractions before ``of`` or a unit word: ``1/16 of a pint``, ``1/2 pound``,
  ``3⁄4 inch`` (a fraction slash ``⁄`` is always a fraction), and vulgar fractions ``½ ¾``;
* multiples written as one word: ``sixfold``, ``tenfold`` (the span ends before ``fold`` so
  that ``fold`` is read as the unit ``times``);
* proportions: ``one out of three`` (1/3), ``3 out of 4``, ``one in five`` (0.2).

English number words only: the other languages write these forms with digits or with
words the number parsers already read.
"""

from __future__ import annotations

import re

from newsprism.quantities.units import unit_of

__all__ = ["special_numbers"]

_SMALL = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "fifty": 50,
    "hundred": 100,
    "thousand": 1000,
}
_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SCIENTIFIC = re.compile(
    r"(?<![\w.,])(\d+(?:\.\d+)?)\s*[×xX*·]\s*10"
    r"((?:\^|\*\*)\s*[-−]?\d{1,3}|[-−–]\d{1,3}|⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)(?![\d.,]\d)"
)
_FRACTION = re.compile(r"(?<![\w/.,⁄])(\d{1,3})\s*([/⁄])\s*(\d{1,4})(?![\w/⁄]|[.,]\d)")
_VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125}
_VULGAR_RE = re.compile(r"(?<![\w.,])(\d+)?([½¼¾⅓⅔⅛])")
_FOLD = re.compile(r"(?i)\b(" + "|".join(_SMALL) + r")(?=fold\b)")
_NUM = r"\d{1,3}|" + "|".join(_SMALL)
_PROPORTION = re.compile(
    rf"(?i)(?<![\w.,-])({_NUM})\s+(out\s+of|in)\s+(?:every\s+)?({_NUM})(?![\w.,]|\s+(?:[-–]|to)\b)"
)
_NEXT_WORD = re.compile(r"[ \u00a0]+([^\W\d_]+)")


def _value(word: str) -> float:
    return float(word) if word[0].isdigit() else float(_SMALL[word.lower()])


def _fraction_context(text: str, end: int) -> bool:
    """A digit fraction is read only before ``of`` or a unit word ("1/2 pound")."""
    m = _NEXT_WORD.match(text, end)
    if m is None:
        return False
    word = m.group(1)
    return word.lower() == "of" or unit_of([word]) is not None


def special_numbers(text: str) -> list[tuple[int, int, float]]:
    """Spans of the number forms of the module docstring, with their values, sorted."""
    out: list[tuple[int, int, float]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or e <= a for s, e, _ in out)

    for m in _SCIENTIFIC.finditer(text):
        exp = m.group(2).lstrip("^*").translate(_SUPERSCRIPT)
        exp = re.sub(r"[\s−–]", lambda c: "-" if c.group() in "−–" else "", exp)
        out.append((m.start(), m.end(), float(f"{m.group(1)}e{int(exp)}")))
    for m in _FRACTION.finditer(text):
        top, slash, bottom = int(m.group(1)), m.group(2), int(m.group(3))
        if not 0 < top < bottom or not free(m.start(), m.end()):
            continue
        if slash == "⁄" or _fraction_context(text, m.end()):
            out.append((m.start(), m.end(), top / bottom))
    for m in _VULGAR_RE.finditer(text):
        whole = float(m.group(1)) if m.group(1) else 0.0
        if free(m.start(), m.end()):
            out.append((m.start(), m.end(), whole + _VULGAR[m.group(2)]))
    for m in _FOLD.finditer(text):
        out.append((m.start(), m.end(), _value(m.group(1))))
    for m in _PROPORTION.finditer(text):
        num, den = _value(m.group(1)), _value(m.group(3))
        if m.group(2).lower() == "in" and not (m.group(1).isalpha() and m.group(3).isalpha()):
            continue  # "5 in 2020"; "one in five" is a proportion
        if 0 < num < den and free(m.start(), m.end()):
            out.append((m.start(), m.end(), num / den))
    out.sort()
    return out
