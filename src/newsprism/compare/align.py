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
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from newsprism.embed.sentences import Embedder
from newsprism.model import Article, Entity, Fact, Quantity, Sentence, Statement, Status
from newsprism.quantities.extract import relate
from newsprism.quantities.relate import Relation, describe


@dataclass(frozen=True)
class CompareOptions:
    """Alignment settings.

    A pair's score is its margin-normalised cosine (``neighbours`` nearest
    neighbours) plus the bonuses below, minus ``rank_penalty`` per statement
    of the other article that is closer. ``threshold``: minimum score for two
    statements to state the same fact.
    ``entity_bonus``: added per shared rare entity, up to ``entity_cap``.
    ``figure_bonus``: added when both give a figure for the same thing;
    ``exact_figure_bonus`` instead when it is the same non-trivial number.
    Statements whose figures are strong evidence (the same number of at
    least ``specific_figure``, or the same measured quantity) align when
    their margin alone reaches ``figure_floor``.
    ``speaker_bonus``: added when both quote the same speaker.
    ``clash_penalty``: taken off when both quote speakers and share none, and
    when both name places (other than those in more than
    ``common_place_share`` of all statements) and share none.
    ``merge_margin``: a statement joins a fact when its mean score to the
    fact's statements is at least ``threshold - merge_margin``.
    ``counted_threshold``: cosine of the ``counted`` phrases above which two
    figures are taken to count the same thing.
    """

    threshold: float = 1.02
    neighbours: int = 3
    entity_bonus: float = 0.015
    entity_cap: float = 0.03
    figure_bonus: float = 0.04
    exact_figure_bonus: float = 0.08
    specific_figure: float = 100.0
    figure_floor: float = 0.93
    speaker_bonus: float = 0.02
    clash_penalty: float = 0.03
    common_place_share: float = 0.1
    rank_penalty: float = 0.02
    max_rank_steps: int = 3
    merge_margin: float = 0.02
    min_words: int = 4
    counted_threshold: float = 0.87
    trivial_figure: float = 10.0


@dataclass(frozen=True)
class _Stmt:
    article: int
    sentence: Sentence
    entities: frozenset[str]
    places: frozenset[str]
    speakers: frozenset[str]
    quantities: tuple[Quantity, ...]
    claim: str  # what is reported, without who reported it
    times: frozenset[str] = frozenset()  # clock times, "03:40"


def _statements(
    articles: Sequence[Article],
    links: Sequence[tuple[str, int, str]],
    opts: CompareOptions,
    entities: Sequence[Entity] = (),
) -> list[_Stmt]:
    link_map = {(a, s): e for a, s, e in links}
    types = {e.id: e.type for e in entities}
    out: list[_Stmt] = []
    for ai, art in enumerate(articles):
        for sent in art.sentences:
            if sent.heading or len(sent.text.split()) < opts.min_words:
                continue
            ents = frozenset(
                e
                for m in art.mentions
                if sent.start <= m.start < sent.end
                and (e := link_map.get((art.id, m.start))) is not None
            )
            speakers = frozenset(
                e
                for q in art.quotes
                if sent.start <= q.start < sent.end or sent.start <= q.speaker_start < sent.end
                if (e := link_map.get((art.id, q.speaker_start))) is not None
            )
            qs = tuple(q for q in art.quantities if sent.start <= q.start < sent.end)
            places = frozenset(e for e in ents if types.get(e) == "LOC")
            said = [q.text for q in art.quotes if sent.start <= q.start < sent.end]
            claim = " ".join(said) if said else sent.text
            times = clock_times(sent.text)
            out.append(_Stmt(ai, sent, ents, places, speakers, qs, claim, times))
    return out


_RELATIVE = {"%", "pp", "percentage_point"}
_DURATIONS = {"second", "minute", "hour", "day", "week", "month", "year", "year_of_age"}


_CLOCK = re.compile(
    r"\b([01]?\d|2[0-3])(?::([0-5]\d)\b\s*([ap]\.?m\b\.?)?"
    r"|(?:\.([0-5]\d)\s*(?:([ap]\.?m\b\.?)|uhr\b|h\b))"
    r"|\s?h\s?([0-5]\d)\b)",
    re.IGNORECASE,
)


def clock_times(text: str) -> frozenset[str]:
    """Clock times in ``text`` as ``HH:MM``: ``3:40``, ``3.40am``, ``3.40 Uhr``,
    ``3 h 40``, ``15:40`` (a bare ``3.40`` is a decimal, not a time)."""
    out = set()
    for m in _CLOCK.finditer(text):
        minutes = m.group(2) or m.group(4) or m.group(6)
        suffix = (m.group(3) or m.group(5) or "").lower()
        hour = int(m.group(1))
        if suffix.startswith("p") and hour < 12:
            hour += 12
        if suffix.startswith("a") and hour == 12:
            hour = 0
        out.add(f"{hour:02d}:{minutes}")
    return frozenset(out)


def _figure_evidence(
    a: _Stmt, b: _Stmt, counted: dict[str, np.ndarray], opts: CompareOptions
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
            elif _same_thing(qa, qb, a, b, counted, opts):
                best = max(best, opts.figure_bonus)
                low, high = sorted((abs(qa.value), abs(qb.value)))
                similar = qa.unit == qb.unit and low > 0 and high / low <= 10
                # A share ("%") of two different things is too common to align on.
                strong = strong or (measured and similar and qa.unit not in _RELATIVE)
    return best, strong


class _Facts:
    """Greedy best-first grouping with one statement per article (plus neighbours)."""

    def __init__(self, stmts: list[_Stmt], score: np.ndarray, opts: CompareOptions) -> None:
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
        sub = score[:, cols]
        ranks[:, cols] = (sub[:, None, :] > sub[:, :, None]).sum(axis=2)
    return ranks


def statement_vectors(stmts: list[_Stmt], embedder: Embedder) -> np.ndarray:
    """One vector per statement: the mean of the sentence's embedding and that
    of its claim (the reported content, when the sentence reports speech), so
    that "X said A" and "X said B" are not close merely through "X said"."""
    sentences = embedder.embed([s.sentence.text for s in stmts])
    claims = embedder.embed([s.claim for s in stmts])
    mixed = sentences + claims
    norms = np.linalg.norm(mixed, axis=1, keepdims=True)
    return np.asarray(mixed / np.maximum(norms, 1e-9), dtype=np.float32)


def pair_scores(
    stmts: list[_Stmt],
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
            figure, strong = _figure_evidence(a, b, counted, opts)
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
    stmts = _statements(articles, links, opts, entities)
    if not stmts:
        return ()
    vectors = statement_vectors(stmts, embedder)
    counted = _counted_vectors(stmts, embedder)
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
        status, reason = _status(members, stmts, articles, score, counted, opts)
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


def _counted_vectors(stmts: list[_Stmt], embedder: Embedder) -> dict[str, np.ndarray]:
    phrases = sorted({q.counted for s in stmts for q in s.quantities if q.counted})
    if not phrases:
        return {}
    vecs = embedder.embed(phrases)
    return dict(zip(phrases, vecs, strict=True))


def _same_thing(
    qa: Quantity,
    qb: Quantity,
    a: _Stmt,
    b: _Stmt,
    counted: dict[str, np.ndarray],
    opts: CompareOptions,
) -> bool:
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


def _figure_pairs(
    a: _Stmt, b: _Stmt, counted: dict[str, np.ndarray], opts: CompareOptions
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
            elif _same_thing(qa, qb, a, b, counted, opts):
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


def _contrasts(stmt: _Stmt, text: str) -> list[tuple[Quantity, Quantity]]:
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


def _status(
    members: list[int],
    stmts: list[_Stmt],
    articles: Sequence[Article],
    score: np.ndarray,
    counted: dict[str, np.ndarray],
    opts: CompareOptions,
) -> tuple[Status, str]:
    """Status of a fact from the figures its sources give.

    Figures are compared between directly aligned statements of different
    sources, paired one to one (``_figure_pairs``): equal or overlapping
    figures agree, consistent but different ones make the fact
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
            for qa, qb in _figure_pairs(a, b, counted, opts):
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
        for q1, q2 in _contrasts(a, articles[a.article].text):
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
