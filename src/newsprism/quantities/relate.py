"""Comparing two quantities: same, compatible, conflicting or incomparable figures.

``relate`` only looks at the numbers; whether two quantities count the same thing is
decided by the caller (for instance by comparing ``counted`` with embeddings or with
:func:`counted_key`).

Rules, in order:

1. units of different classes (a count vs a percentage, km vs days), or different
   currencies → ``incomparable``; units of one class are converted (m → km, hours → days);
2. equal values whose intervals overlap (or that carry the same qualifier) → ``same``;
3. intervals that do not overlap → ``conflict`` (touching at one end only, as
   "more than 1,300" and "1,300" do, is ``compatible``);
4. overlapping intervals whose figures are more than ``ratio`` apart (default 1.5)
   → ``conflict``: "up to one million" still asserts a figure of the order of a million,
   so it conflicts with "300,000" although 300,000 lies inside (0, 1,000,000]. The figure
   of a ``range`` is the whole range, of any other qualifier the number as written;
5. otherwise → ``compatible``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from newsprism.model import Quantity

RelationKind = Literal["same", "compatible", "conflict", "incomparable"]


@dataclass(frozen=True)
class Relation:
    """How two quantities relate; ``reason`` says why, in words."""

    kind: RelationKind
    reason: str


@dataclass(frozen=True)
class RelateOptions:
    """``ratio``: figures further apart than this factor conflict (default 1.5)."""

    ratio: float = 1.5


# unit → (class, factor to the class's base unit)
_UNITS: dict[str | None, tuple[str, float]] = {
    None: ("count", 1.0),
    "%": ("percent", 1.0),
    "pp": ("percentage points", 1.0),
    "km": ("length", 1000.0),
    "m": ("length", 1.0),
    "mi": ("length", 1609.344),
    "cm": ("length", 0.01),
    "mm": ("length", 0.001),
    "ft": ("length", 0.3048),
    "g": ("mass", 0.001),
    "l": ("volume", 1.0),
    "km/h": ("speed", 1.0),
    "mph": ("speed", 1.609344),
    "kg": ("mass", 1.0),
    "t": ("mass", 1000.0),
    "year": ("duration", 365.25),
    "month": ("duration", 30.44),
    "week": ("duration", 7.0),
    "day": ("duration", 1.0),
    "hour": ("duration", 1 / 24),
    "minute": ("duration", 1 / 1440),
    "year_of_age": ("age", 1.0),
}
_PHRASES = {
    "more_than": "more than ",
    "at_least": "at least ",
    "less_than": "less than ",
    "at_most": "at most ",
    "up_to": "up to ",
    "about": "about ",
    "nearly": "nearly ",
}


def _class(unit: str | None) -> tuple[str, float]:
    if unit in _UNITS:
        return _UNITS[unit]
    return f"currency:{unit}" if unit and unit.isupper() else f"unit:{unit}", 1.0


def fmt(value: float) -> str:
    """A number for people: ``1,000,000``, ``2.5``, ``inf``."""
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.1f}"


def describe(q: Quantity) -> str:
    """The figure a quantity asserts, in English: ``up to 1,000,000``, ``20–30 km``."""
    unit = "" if q.unit is None else (q.unit if q.unit == "%" else f" {q.unit}")
    if q.unit == "year_of_age":
        unit = " years old"
    if q.qualifier == "range":
        return f"{fmt(q.low)}–{fmt(q.high)}{unit}"
    return f"{_PHRASES.get(q.qualifier, '')}{fmt(q.value)}{unit}"


def _overlap(a: tuple[float, float, bool, bool], b: tuple[float, float, bool, bool]) -> str:
    """``yes``, ``touch`` (an exact figure on the open end of the other) or ``no``."""
    lo, lo_inc = (
        (a[0], a[2]) if a[0] > b[0] else (b[0], b[2]) if b[0] > a[0] else (a[0], a[2] and b[2])
    )
    hi, hi_inc = (
        (a[1], a[3]) if a[1] < b[1] else (b[1], b[3]) if b[1] < a[1] else (a[1], a[3] and b[3])
    )
    if lo < hi:
        return "yes"
    if lo == hi and lo_inc and hi_inc:
        return "yes"
    point = lo == hi and (a[0] == a[1] or b[0] == b[1])
    return "touch" if point else "no"  # "more than 1,300" vs "1,300"


def _figure(q: Quantity, factor: float) -> tuple[float, float]:
    if q.qualifier == "range":
        return q.low * factor, q.high * factor
    return q.value * factor, q.value * factor


def _gap(a: tuple[float, float], b: tuple[float, float]) -> float:
    """How many times apart two figures are (1 when they overlap)."""
    if a[0] <= b[1] and b[0] <= a[1]:
        return 1.0
    small, big = (a[1], b[0]) if a[1] < b[0] else (b[1], a[0])
    if small <= 0 or math.isinf(big):
        return math.inf
    return big / small


def relate(a: Quantity, b: Quantity, options: RelateOptions | None = None) -> Relation:
    """Compare the figures of two quantities (see the module docstring for the rules)."""
    opts = options or RelateOptions()
    ca, fa = _class(a.unit)
    cb, fb = _class(b.unit)
    ta, tb = f'"{a.text}"', f'"{b.text}"'
    if ca != cb:
        return Relation("incomparable", f"{ta} vs {tb}: different units ({a.unit} vs {b.unit})")
    ia = (a.low * fa, a.high * fa, a.low_inclusive, a.high_inclusive)
    ib = (b.low * fb, b.high * fb, b.low_inclusive, b.high_inclusive)
    overlap = _overlap(ia, ib)
    equal = math.isclose(a.value * fa, b.value * fb, rel_tol=1e-9)
    if equal and (overlap == "yes" or a.qualifier == b.qualifier):
        return Relation("same", f"{ta} and {tb} give the same figure ({describe(a)})")
    if overlap == "no":
        return Relation(
            "conflict", f"{ta} vs {tb}: {describe(a)} and {describe(b)} cannot both be true"
        )
    ga, gb = _figure(a, fa), _figure(b, fb)
    gap = _gap(ga, gb)
    if gap > opts.ratio:
        big = a if min(ga) > min(gb) else b
        times = "far more than" if math.isinf(gap) else f"{gap:.1f}×"
        return Relation("conflict", f"{ta} vs {tb}: {describe(big)} is {times} the other figure")
    if overlap == "touch":
        point = fmt(max(ia[0], ib[0]))
        return Relation("compatible", f"{ta} and {tb} meet at {point}; read them as one figure")
    return Relation("compatible", f"{ta} and {tb} are consistent ({describe(a)} / {describe(b)})")


@lru_cache(maxsize=4096)
def counted_key(counted: str, language: str | None) -> str:
    """Lower-case lemmas of a ``counted`` phrase, for cheap matching (``people arrest``)."""
    words = counted.lower().split()
    lang = (language or "").split("-")[0].lower()
    try:
        import simplemma

        return " ".join(simplemma.lemmatize(w, lang=lang or "en") for w in words)
    except (ImportError, ValueError):
        return " ".join(words)
