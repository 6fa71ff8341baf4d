"""The coverage diff: align statements across articles and group them into facts.

1. Every non-heading sentence is a statement. Statements are embedded with a
   cross-lingual model, so an English and a Spanish sentence saying the same
   thing land close together without any translation step.
2. A pair of statements from two articles scores its cosine similarity plus
   evidence that does not depend on wording: canonical entities both name
   (weighted by how rare the entity is in the set), a figure both give
   (normalised numbers), and a quote speaker both cite.
3. Pairs above the threshold are merged greedily, best first, into facts; a
   fact holds at most one statement per article unless the extra statement is
   the adjacent sentence (one sentence in one outlet is often two in another).
4. Each fact gets a status: ``unique`` (one source), ``conflict`` (two sources
   give incompatible figures for the same thing, reason spelled out),
   ``compatible`` (figures differ but are consistent) or ``agreed``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence

import numpy as np

from newsprism.compare.figures import figure_evidence
from newsprism.compare.options import CompareOptions
from newsprism.compare.statements import (
    StatementFeatures,
    counted_vectors,
    statement_features,
    statement_vectors,
)
from newsprism.compare.status import fact_status
from newsprism.embed.sentences import Embedder
from newsprism.model import Article, Entity, Fact, Statement

__all__ = ["CompareOptions", "align", "pair_scores"]


class _Facts:
    """Greedy best-first grouping with one statement per article (plus neighbours)."""

    def __init__(
        self, stmts: list[StatementFeatures], score: np.ndarray, opts: CompareOptions
    ) -> None:
        self.stmts = stmts
        self.score = score
        self.opts = opts
        self.group = list(range(len(stmts)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(stmts))}

    def _compatible(self, a: list[int], b: list[int], firm: bool) -> bool:
        for i in a:
            for j in b:
                si, sj = self.stmts[i], self.stmts[j]
                if si.article == sj.article:
                    adjacent = any(
                        self.stmts[k].article == si.article
                        and abs(self.stmts[k].sentence.index - sj.sentence.index) == 1
                        for k in a
                    )
                    if not adjacent:
                        return False
        if firm:
            return True
        cross = [
            self.score[i, j] for i in a for j in b if self.stmts[i].article != self.stmts[j].article
        ]
        return bool(cross) and float(np.mean(cross)) >= self.opts.threshold - self.opts.merge_margin

    def merge(self, i: int, j: int, firm: bool = False) -> None:
        """Join the facts of ``i`` and ``j``; ``firm`` pairs (strong figure
        evidence) skip the mean-score check but not the one-per-article rule."""
        gi, gj = self.group[i], self.group[j]
        if gi == gj:
            return
        a, b = self.members[gi], self.members[gj]
        if not self._compatible(a, b, firm):
            return
        for k in b:
            self.group[k] = gi
        a.extend(b)
        del self.members[gj]


def _margins(score: np.ndarray, arts: np.ndarray, k: int) -> np.ndarray:
    """Ratio margin (Artetxe & Schwenk 2019): cosine divided by the mean cosine
    of both statements to their ``k`` nearest neighbours in other articles.
    It removes the "everything on one topic looks similar" offset of the
    embedding space, which differs between same- and cross-language pairs."""
    n = len(arts)
    knn = np.ones(n, dtype=np.float32)
    for i in range(n):
        other = score[i][arts != arts[i]]
        if other.size:
            top = np.sort(other)[-min(k, other.size) :]
            knn[i] = max(float(top.mean()), 1e-6)
    return score / ((knn[:, None] + knn[None, :]) / 2)


def _ranks(score: np.ndarray, arts: np.ndarray) -> np.ndarray:
    """``ranks[i, j]``: how many statements of ``j``'s article are closer to
    ``i`` than ``j`` is (0 when ``j`` is ``i``'s best match there)."""
    ranks = np.zeros(score.shape, dtype=np.int32)
    for art in np.unique(arts):
        cols = np.nonzero(arts == art)[0]
        for i in range(score.shape[0]):
            row = score[i, cols]
            # Statements closer than j: those above j's score in the sorted row (NaN is
            # never closer). One row at a time, so memory stays n² however long articles are.
            ordered = np.sort(row)
            closer = np.count_nonzero(~np.isnan(ordered)) - np.searchsorted(
                ordered, row, side="right"
            )
            ranks[i, cols] = np.where(np.isnan(row), 0, np.maximum(closer, 0))
    return ranks


def pair_scores(
    stmts: list[StatementFeatures],
    vectors: np.ndarray,
    counted: dict[str, np.ndarray],
    opts: CompareOptions,
) -> tuple[np.ndarray, np.ndarray]:
    """Alignment score of every pair of statements (``-inf`` within one
    article), and which pairs are aligned on strong figure evidence."""
    cosine = vectors @ vectors.T
    arts = np.array([s.article for s in stmts])
    score = _margins(cosine, arts, opts.neighbours)
    ranks = _ranks(cosine, arts)
    # Rarer entities are better evidence: weight = log(N / statements naming it).
    df: dict[str, int] = defaultdict(int)
    for s in stmts:
        for e in s.entities:
            df[e] += 1
    n = len(stmts)
    # Places named in many statements (the country at war) say nothing.
    common = {e for e, k in df.items() if k > opts.common_place_share * n}
    floor = min(
        opts.figure_floor,
        opts.threshold - opts.entity_cap - opts.exact_figure_bonus - opts.speaker_bonus,
    )
    out = np.full_like(score, -np.inf)
    firm = np.zeros(score.shape, dtype=bool)
    for i in range(n):
        cand = np.nonzero((score[i, i + 1 :] >= floor) & (arts[i + 1 :] != arts[i]))[0] + i + 1
        for j in (int(c) for c in cand):
            a, b = stmts[i], stmts[j]
            rarity = sum(math.log(n / df[e]) / math.log(max(n, 2)) for e in a.entities & b.entities)
            bonus = min(opts.entity_cap, opts.entity_bonus * rarity)
            figure, strong = figure_evidence(a, b, counted, opts)
            bonus += figure
            if a.speakers & b.speakers:
                bonus += opts.speaker_bonus
            elif a.speakers and b.speakers:
                bonus -= opts.clash_penalty
            pa, pb = a.places - common, b.places - common
            if pa and pb and not pa & pb:
                bonus -= opts.clash_penalty
            rank = min(opts.max_rank_steps, max(int(ranks[i, j]), int(ranks[j, i])))
            total = float(score[i, j]) + bonus - opts.rank_penalty * rank
            if strong and score[i, j] >= opts.figure_floor:
                total = max(total, opts.threshold)
                firm[i, j] = firm[j, i] = True
            out[i, j] = out[j, i] = total
    return out, firm


def align(
    articles: Sequence[Article],
    links: Sequence[tuple[str, int, str]],
    entities: Sequence[Entity],
    embedder: Embedder,
    options: CompareOptions | None = None,
) -> tuple[Fact, ...]:
    """Group the statements of ``articles`` into facts with a status each."""
    opts = options or CompareOptions()
    stmts = statement_features(articles, links, opts, entities)
    if not stmts:
        return ()
    vectors = statement_vectors(stmts, embedder)
    counted = counted_vectors(stmts, embedder)
    score, firm = pair_scores(stmts, vectors, counted, opts)
    rows, cols = np.nonzero(np.triu(score >= opts.threshold))
    pairs = sorted(zip(score[rows, cols].tolist(), rows.tolist(), cols.tolist(), strict=True))
    facts = _Facts(stmts, score, opts)
    for _, i, j in reversed(pairs):
        facts.merge(i, j, firm=bool(firm[i, j]))
    groups = sorted(
        facts.members.values(),
        key=lambda g: (
            -len({stmts[k].article for k in g}),
            min((stmts[k].article, stmts[k].sentence.index) for k in g),
        ),
    )
    out: list[Fact] = []
    for number, group in enumerate(groups, 1):
        members = sorted(group, key=lambda k: (stmts[k].article, stmts[k].sentence.index))
        status, reason = fact_status(members, stmts, articles, score, counted, opts)
        cross = [
            score[i, j] for i in members for j in members if stmts[i].article < stmts[j].article
        ]
        ents = sorted(
            set().union(*(stmts[k].entities for k in members)),
            key=lambda e: int(e[1:]) if e[1:].isdigit() else 0,
        )
        out.append(
            Fact(
                id=f"F{number}",
                status=status,
                reason=reason,
                statements=tuple(
                    Statement(
                        articles[stmts[k].article].id,
                        stmts[k].sentence.index,
                        stmts[k].sentence.text,
                        stmts[k].sentence.start,
                        stmts[k].sentence.end,
                    )
                    for k in members
                ),
                entities=tuple(ents),
                score=round(float(np.mean(cross)), 4) if cross else 0.0,
            )
        )
    return tuple(out)
