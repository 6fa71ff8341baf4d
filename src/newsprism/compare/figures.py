"""Figures of two statements compared: alignment evidence and the pairs a status is read from.

Two figures count the same thing when their ``counted`` phrases are close in the embedding
space, or when each is the only figure of its unit in its statement. Equal figures and
figures of one measured unit are evidence that two statements state the same fact; a
statement may also set two incompatible figures against each other (``up to one million,
not the 300,000``).
"""

from __future__ import annotations

import re

import numpy as np

from newsprism.compare.options import CompareOptions
from newsprism.compare.statements import StatementFeatures
from newsprism.model import Quantity
from newsprism.quantities.extract import relate

__all__ = ["contrasted_figures", "count_the_same_thing", "figure_evidence", "pair_figures"]

_RELATIVE = {"%", "pp", "percentage_point"}
_DURATIONS = {"second", "minute", "hour", "day", "week", "month", "year", "year_of_age"}


def figure_evidence(
    a: StatementFeatures, b: StatementFeatures, counted: dict[str, np.ndarray], opts: CompareOptions
) -> tuple[float, bool]:
    """Bonus for figures both statements give, and whether the evidence is
    strong enough to align them on a weaker wording match.

    The same non-trivial number scores ``exact_figure_bonus``; figures for the
    same thing whatever their values score ``figure_bonus`` (conflicting
    figures must align too). Strong: the same number of at least
    ``specific_figure``, or figures in one measured unit (tonnes, euros, km)
    within a factor of ten of each other.
    """
    best, strong = 0.0, False
    if a.times & b.times:  # the same clock time ("3.40am", "3:40", "3 h 40", "3.40 Uhr")
        best, strong = opts.exact_figure_bonus, True
    for qa in a.quantities:
        if qa.unit is None and abs(qa.value) < opts.trivial_figure:
            continue
        for qb in b.quantities:
            if relate(qa, qb).kind == "incomparable":
                continue
            measured = qa.unit is not None and qa.unit not in _DURATIONS
            if qa.value == qb.value and qa.unit == qb.unit:
                best = opts.exact_figure_bonus
                strong = strong or measured or abs(qa.value) >= opts.specific_figure
            elif count_the_same_thing(qa, qb, a, b, counted, opts):
                best = max(best, opts.figure_bonus)
                low, high = sorted((abs(qa.value), abs(qb.value)))
                similar = qa.unit == qb.unit and low > 0 and high / low <= 10
                # A share ("%") of two different things is too common to align on.
                strong = strong or (measured and similar and qa.unit not in _RELATIVE)
    return best, strong


def count_the_same_thing(
    qa: Quantity,
    qb: Quantity,
    a: StatementFeatures,
    b: StatementFeatures,
    counted: dict[str, np.ndarray],
    opts: CompareOptions,
) -> bool:
    """Whether figure ``qa`` of ``a`` and ``qb`` of ``b`` count the same thing: one unit, and
    close ``counted`` phrases, or (without them) each the only figure of its unit."""
    if qa.unit != qb.unit:
        return False
    if qa.counted and qb.counted:
        return float(counted[qa.counted] @ counted[qb.counted]) >= opts.counted_threshold
    alone_a = sum(1 for q in a.quantities if q.unit == qa.unit) == 1
    alone_b = sum(1 for q in b.quantities if q.unit == qb.unit) == 1
    return alone_a and alone_b and qa.unit is not None


_CONTRAST = re.compile(
    r"\b(?:not|rather than|instead of|contrary to|no|ni|non|pas|plutôt que|au lieu de|"
    r"en lugar de|en vez de|nicht|kein\w*|statt|anstatt|nie|а не|не|вместо|замість)\b",
    re.IGNORECASE,
)


def pair_figures(
    a: StatementFeatures, b: StatementFeatures, counted: dict[str, np.ndarray], opts: CompareOptions
) -> list[tuple[Quantity, Quantity]]:
    """One-to-one pairing of the figures of two aligned statements: equal
    values first, then by similarity of what they count; a figure pairs with
    an uncounted one only when each is the only figure of its kind."""
    options: list[tuple[float, int, int]] = []
    for i, qa in enumerate(a.quantities):
        for j, qb in enumerate(b.quantities):
            if relate(qa, qb).kind == "incomparable":
                continue
            if qa.value == qb.value:
                options.append((2.0, i, j))
            elif qa.counted and qb.counted:
                sim = float(counted[qa.counted] @ counted[qb.counted])
                if sim >= opts.counted_threshold:
                    options.append((sim, i, j))
            elif count_the_same_thing(qa, qb, a, b, counted, opts):
                options.append((0.5, i, j))
    used_a: set[int] = set()
    used_b: set[int] = set()
    out = []
    for _, i, j in sorted(options, reverse=True):
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            out.append((a.quantities[i], b.quantities[j]))
    return out


def contrasted_figures(stmt: StatementFeatures, text: str) -> list[tuple[Quantity, Quantity]]:
    """Pairs of incompatible figures one statement sets against each other
    ("up to one million people …, not the 300,000")."""
    out = []
    qs = sorted(stmt.quantities, key=lambda q: q.start)
    for x, q1 in enumerate(qs):
        for q2 in qs[x + 1 :]:
            between = text[q1.end : q2.start]
            contrasted = len(between) <= 80 and _CONTRAST.search(between)
            if contrasted and relate(q1, q2).kind == "conflict":
                out.append((q1, q2))
    return out
