"""Status of a fact (``unique``, ``conflict``, ``compatible``, ``agreed``) from the figures
its sources give, with the reason spelled out."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsprism.compare.figures import contrasted_figures, pair_figures
from newsprism.compare.options import CompareOptions
from newsprism.compare.statements import StatementFeatures
from newsprism.model import Article, Quantity, Status
from newsprism.quantities.extract import relate
from newsprism.quantities.relate import Relation, describe

__all__ = ["fact_status"]


def fact_status(
    members: list[int],
    stmts: list[StatementFeatures],
    articles: Sequence[Article],
    score: np.ndarray,
    counted: dict[str, np.ndarray],
    opts: CompareOptions,
) -> tuple[Status, str]:
    """Status of a fact from the figures its sources give.

    Figures are compared between directly aligned statements of different
    sources, paired one to one (:func:`~newsprism.compare.figures.pair_figures`): equal or
    overlapping figures agree, consistent but different ones make the fact
    ``compatible``, incompatible ones a ``conflict``. A statement that sets
    two incompatible figures against each other, one of which another source
    gives, also makes a conflict.
    """
    if len({stmts[k].article for k in members}) < 2:
        return Status.UNIQUE, ""
    findings = _Findings()
    linked = opts.threshold - opts.merge_margin
    for x in members:
        for y in members:
            a, b = stmts[x], stmts[y]
            if a.article >= b.article or score[x, y] < linked:
                continue
            for qa, qb in pair_figures(a, b, counted, opts):
                rel = relate(qa, qb)
                if rel.kind in ("conflict", "compatible"):
                    findings.add(rel, qa, articles[a.article].id, qb, articles[b.article].id)
    for x in members:
        a = stmts[x]
        others = [
            (q, articles[stmts[k].article].id)
            for k in members
            if stmts[k].article != a.article
            for q in stmts[k].quantities
        ]
        for q1, q2 in contrasted_figures(a, articles[a.article].text):
            backing = [
                (q, art) for q in (q1, q2) for o, art in others if relate(q, o).kind == "same"
            ]
            if len({id(q) for q, _ in backing}) == 1:
                backed, by = backing[0]
                disputed = q2 if backed is q1 else q1
                own = articles[a.article].id
                findings.add(relate(disputed, backed), disputed, own, backed, own, also=by)
    return findings.status()


class _Findings:
    """Figure disagreements of one fact, merged by the figures involved, so
    that the reason names each figure once with every source that gives it."""

    def __init__(self) -> None:
        # (kind, figure, figure) -> (relation, figure -> (text as written, sources))
        self._found: dict[tuple[str, ...], tuple[Relation, dict[str, tuple[str, set[str]]]]] = {}

    def add(
        self,
        rel: Relation,
        qa: Quantity,
        art_a: str,
        qb: Quantity,
        art_b: str,
        also: str | None = None,
    ) -> None:
        da, db = describe(qa), describe(qb)
        _, sides = self._found.setdefault((rel.kind, *sorted((da, db))), (rel, {}))
        sides.setdefault(da, (qa.text, set()))[1].add(art_a)
        sides.setdefault(db, (qb.text, set()))[1].update([art_b] + ([also] if also else []))

    def status(self) -> tuple[Status, str]:
        for kind, status in (("conflict", Status.CONFLICT), ("compatible", Status.COMPATIBLE)):
            reasons = []
            for key, (rel, sides) in self._found.items():
                if key[0] != kind or len(sides) < 2:
                    continue
                (ta, arts_a), (tb, arts_b) = list(sides.values())[:2]
                why = rel.reason.split(": ", 1)[-1] if kind == "conflict" else "consistent"
                reasons.append(
                    f'"{ta}" ({", ".join(sorted(arts_a))}) vs '
                    f'"{tb}" ({", ".join(sorted(arts_b))}): {why}'
                )
            if reasons:
                return status, "; ".join(reasons)
        return Status.AGREED, ""
