"""Streaming story clustering: each new article joins a story or starts one.

Articles arrive in batches (an ingest run). A batch is split by publication day and
handled a day at a time, oldest first (undated articles last). Within one day the
articles are clustered together by average link on the pair score (see ``bag.py``),
so their order within the day does not matter; each resulting group then joins the
active story with the best average link above ``threshold`` or starts a new story.
Finally, a story that a group joined is merged with the other stories that group was
close to, when their average link is now above ``threshold`` (the older id survives;
the merge is recorded); no other pair can have come closer (see ``_add_batch``).

Only *active* stories are candidates: those seen within ``active_days`` of the newest
publication date, at most ``max_active`` of them (the least recently updated leave
first). Memory is therefore bounded by ``max_active`` bags, whatever the stream length.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

import numpy as np
import numpy.typing as npt
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.sparse import csr_matrix
from scipy.spatial.distance import squareform

from newsprism.stories.bag import Bag, LinkWeights, Score, link, shared_names
from newsprism.stories.features import StoryDoc

__all__ = ["ClusterOptions", "Story", "StoryClusterer", "StoryEvent", "pair_scores", "story_id"]


@dataclass(frozen=True)
class ClusterOptions:
    """Options of story clustering.

    ``threshold``: the average-link score an article (or a story) needs to join a story.
    ``candidates``: active stories scored per group, nearest by embedding first.
    ``max_batch``: articles clustered together at most (larger days are cut in chunks).
    ``active_days``/``max_active``: which stories stay candidates (see module doc).
    ``max_terms``/``max_names``: entries kept in a story's summed vectors.
    ``split``: check a story that changed for parts that have drifted apart (average
    link below ``threshold - split_margin``) and split them off; stories of more than
    ``split_max`` articles are settled (see :meth:`StoryClusterer._split`).
    """

    threshold: float = 0.2
    weights: LinkWeights = field(default_factory=LinkWeights)
    candidates: int = 8
    max_batch: int = 2000
    active_days: int = 30
    max_active: int = 20_000
    max_terms: int = 400
    max_names: int = 200
    split: bool = True
    split_margin: float = 0.05
    split_max: int = 200


@dataclass
class Story:
    """An active story: its id, its summed features and when it was seen."""

    id: str
    title: str
    bag: Bag
    first_seen: date | None
    last_seen: date | None
    touched: int  # the batch that last changed it (for eviction)


@dataclass(frozen=True)
class StoryEvent:
    """What happened: ``created``, ``joined``, ``merged`` (``other`` merged into
    ``story``), ``split`` (``story`` split off ``other``, ``article`` its oldest member)
    or ``moved`` (``article`` moved from ``other`` to ``story`` by a split)."""

    kind: str
    story: str
    article: str | None
    other: str | None
    score: float
    reason: str


Members = Callable[[str], Sequence[StoryDoc]]
"""The stored member articles of a story (by id), as of the start of an ``add``."""

_REGROW = 1.25  # a story is checked for a split again once it has grown by this factor


def story_id(founder: str) -> str:
    """The id of a story started by article ``founder`` (stable across runs)."""
    return "st-" + hashlib.blake2b(founder.encode("utf-8"), digest_size=6).hexdigest()


def _sparse(rows: Sequence[Mapping[str, float]]) -> csr_matrix:
    """``rows`` as a sparse matrix over their own vocabulary."""
    keys = list(chain.from_iterable(rows))
    column = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    indices = np.fromiter(map(column.__getitem__, keys), np.int64, len(keys))
    data = np.fromiter(chain.from_iterable(r.values() for r in rows), np.float64, len(keys))
    indptr = np.cumsum([0, *map(len, rows)])
    return csr_matrix((data, indices, indptr), shape=(len(rows), max(len(column), 1)))


def pair_scores(docs: Sequence[StoryDoc], w: LinkWeights) -> npt.NDArray[np.float64]:
    """The pair score of every two articles (the same as ``link`` of two one-article bags)."""
    terms = _sparse([d.terms for d in docs])
    names = _sparse([d.names for d in docs])
    vectors = np.stack([d.vector for d in docs]).astype(np.float64)
    langs = np.array([d.language for d in docs])
    same = langs[:, None] == langs[None, :]
    t = np.where(
        same,
        (terms @ terms.T).toarray(),
        w.cross_slope * (vectors @ vectors.T) + w.cross_intercept,
    )
    n = (names @ names.T).toarray()
    anchors = np.array([d.anchor if d.anchor is not None else -1 for d in docs])
    known = anchors >= 0
    both = known[:, None] & known[None, :]
    equal = anchors[:, None] == anchors[None, :]
    clash = (both & ~equal).astype(float)
    same_year = (both & equal).astype(float)
    out: npt.NDArray[np.float64] = w.terms * t + w.names * n
    out += w.same_year * same_year - w.clash * clash
    return out


def groups(docs: Sequence[StoryDoc], w: LinkWeights, threshold: float) -> list[list[int]]:
    """``docs`` clustered by average link on the pair score, cut at ``threshold``: lists
    of indices, in the order of their earliest member's id."""
    if len(docs) == 1:
        return [[0]]
    scores = pair_scores(docs, w)
    distance = np.clip(1.0 - scores, 0.0, None)
    np.fill_diagonal(distance, 0.0)
    tree = linkage(squareform((distance + distance.T) / 2, checks=False), "average")
    labels = fcluster(tree, 1.0 - threshold, "distance")
    found: dict[int, list[int]] = {}
    for i, label in enumerate(labels):
        found.setdefault(int(label), []).append(i)
    # deterministic: groups in the order of their earliest member's id
    return sorted(found.values(), key=lambda g: min(docs[i].id for i in g))


def _oldest(doc: StoryDoc) -> tuple[date, str]:
    """Oldest first: by publication day (undated last), then id."""
    return (doc.published or date.max, doc.id)


def _reason(score: Score, a: Bag, b: Bag, threshold: float, below: bool = False) -> str:
    names = ", ".join(shared_names(a, b)) or "none"
    rest = " with the rest of the story" if below else ""
    return (
        f"average link {score.total:.3f} {'<' if below else '>='} {threshold:.2f}{rest} "
        f"(words {score.terms:.2f}, names {score.names:.2f}, year clash {score.clash:.2f}); "
        f"shared names: {names}"
    )


def _day_batches(docs: Iterable[StoryDoc], max_batch: int) -> list[list[StoryDoc]]:
    by_day: dict[date | None, list[StoryDoc]] = {}
    for d in docs:
        by_day.setdefault(d.published, []).append(d)
    days = sorted(k for k in by_day if k is not None) + ([None] if None in by_day else [])
    out: list[list[StoryDoc]] = []
    for day in days:
        batch = by_day[day]
        out.extend(batch[i : i + max_batch] for i in range(0, len(batch), max_batch))
    return out


class StoryClusterer:
    """The active stories and the rules that grow them; see the module doc."""

    def __init__(
        self, options: ClusterOptions | None = None, members: Members | None = None
    ) -> None:
        """``members`` gives the stored members of a story that was active before an
        ``add`` (from the collection). Without it, a story is checked for a split only
        in the ``add`` that started it; no member articles are kept between calls."""
        self.options = options or ClusterOptions()
        self.active: dict[str, Story] = {}
        self._stored = members
        # members known during one ``add``: all of them, or those added to the stored ones
        self._known: dict[str, list[StoryDoc]] = {}
        self._added: dict[str, list[StoryDoc]] = {}
        self._checked: dict[str, int] = {}  # story id -> its size when last checked
        self._clock = 0
        self._newest: date | None = None
        self._dim = 0
        self._rows: dict[str, int] = {}  # story id -> row of the index
        self._row_ids: list[str | None] = []  # row -> story id (None: dropped)
        self._index = np.zeros((0, 0), dtype=np.float32)

    # -- state ---------------------------------------------------------------------------

    def restore(self, story: Story) -> None:
        """Make a stored story active again (used when resuming a collection); it is
        checked for a split once it has grown by a quarter from here."""
        self.active[story.id] = story
        self._checked[story.id] = story.bag.n
        self._touch(story)
        if story.last_seen and (self._newest is None or story.last_seen > self._newest):
            self._newest = story.last_seen

    def _touch(self, story: Story) -> None:
        """Put ``story``'s centroid in the nearest-story index (add or update its row)."""
        if self._dim == 0:
            self._dim = story.bag.vector.shape[0]
            self._index = np.zeros((64, self._dim), dtype=np.float32)
        row = self._rows.get(story.id)
        if row is None:
            row = len(self._row_ids)
            if row == self._index.shape[0]:
                grown = np.zeros((max(64, 2 * row), self._dim), dtype=np.float32)
                grown[:row] = self._index[:row]
                self._index = grown
            self._rows[story.id] = row
            self._row_ids.append(story.id)
        self._index[row] = story.bag.centroid()

    def _drop(self, sid: str) -> None:
        del self.active[sid]
        for kept in (self._known, self._added, self._checked):
            kept.pop(sid, None)
        row = self._rows.pop(sid)
        self._index[row] = 0.0
        self._row_ids[row] = None
        if len(self._rows) * 2 < len(self._row_ids) and len(self._row_ids) > 64:
            keep = [i for i in self._row_ids if i is not None]
            index = np.zeros_like(self._index)
            index[: len(keep)] = self._index[[self._rows[i] for i in keep]]
            self._index, self._row_ids = index, list[str | None](keep)
            self._rows = {i: n for n, i in enumerate(keep)}

    def _nearest(self, bags: Sequence[Bag], exclude: Sequence[str | None]) -> list[list[str]]:
        """The ids of the active stories nearest to each of ``bags`` by embedding."""
        used = len(self._row_ids)
        if not self._rows or not bags:
            return [[] for _ in bags]
        k = min(self.options.candidates + 1, used)
        out: list[list[str]] = []
        for start in range(0, len(bags), 256):
            chunk = np.stack([b.centroid() for b in bags[start : start + 256]])
            sims = chunk @ self._index[:used].T
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            values = np.take_along_axis(sims, top, axis=1)
            order = np.argsort(-values, axis=1, kind="stable")
            ranked = np.take_along_axis(top, order, axis=1).tolist()
            positive = (np.take_along_axis(values, order, axis=1) > 0).tolist()
            for row, (cols, keep) in enumerate(zip(ranked, positive, strict=True)):
                skip = exclude[start + row]
                ids = [self._row_ids[i] for i, ok in zip(cols, keep, strict=True) if ok]
                kept = [i for i in ids if i is not None and i != skip]
                out.append(kept[: self.options.candidates])
        return out

    # -- clustering ----------------------------------------------------------------------

    def add(self, docs: Iterable[StoryDoc]) -> list[StoryEvent]:
        """Cluster ``docs`` into the active stories; the events say where each went."""
        events: list[StoryEvent] = []
        try:
            for batch in _day_batches(docs, self.options.max_batch):
                events.extend(self._add_batch(batch))
        finally:  # the caller stores the events: ``members`` knows them from now on
            self._known.clear()
            self._added.clear()
        return events

    def _add_batch(self, batch: list[StoryDoc]) -> list[StoryEvent]:
        opts = self.options
        self._clock += 1
        day = batch[0].published
        if day is not None and (self._newest is None or day > self._newest):
            self._newest = day
        events: list[StoryEvent] = []
        # Active stories stay apart (average link below the threshold), and so do the
        # day's groups. A story that a group joins can therefore only come close to a
        # story that this group is close to as well: those pairs are all the merge
        # pass needs to check.
        recheck: dict[str, list[str]] = {}
        changed: set[str] = set()
        grouped = [[batch[i] for i in g] for g in groups(batch, opts.weights, opts.threshold)]
        bags = [Bag.of(*members) for members in grouped]
        # candidates as of the start of the batch: stories started by this batch are
        # apart from the other groups already, and the merge pass checks them after
        nearest = self._nearest(bags, [None] * len(bags))
        for members, bag, near in zip(grouped, bags, nearest, strict=True):
            best: tuple[float, Story, Score] | None = None
            close: list[str] = []
            for story in (self.active[i] for i in near if i in self.active):
                score = link(bag, story.bag, opts.weights)
                if score.total >= opts.threshold:
                    close.append(story.id)
                    if best is None or score.total > best[0]:
                        best = (score.total, story, score)
            if best is None:
                founder = min(members, key=lambda d: d.id)
                story = Story(story_id(founder.id), founder.title, bag, day, day, self._clock)
                self.active[story.id] = story
                self._touch(story)
                self._track(story.id, members, new=True)
                events.append(StoryEvent("created", story.id, founder.id, None, 1.0, "new story"))
                rest = [d for d in members if d is not founder]
                reason = f"clustered with {founder.id} on arrival"
                events.extend(StoryEvent("joined", story.id, d.id, None, 1.0, reason) for d in rest)
            else:
                _, story, score = best
                reason = _reason(score, bag, story.bag, opts.threshold)
                story.bag.absorb(bag)
                story.bag.prune(opts.max_terms, opts.max_names)
                self._track(story.id, members)
                changed.add(story.id)
                self._seen(story, day)
                self._touch(story)
                events.extend(
                    StoryEvent("joined", story.id, d.id, None, score.total, reason) for d in members
                )
                others = [i for i in close if i != story.id]
                if others:
                    recheck.setdefault(story.id, []).extend(others)
        merged = self._merge(recheck)
        events.extend(merged)
        if opts.split:
            changed.update(e.story for e in merged)
            for sid in sorted(changed):
                grown = self.active.get(sid)
                if grown is not None and grown.bag.n >= self._checked.get(sid, 0) * _REGROW:
                    events.extend(self._split(grown))
        self._age_out()
        return events

    # -- members and splits --------------------------------------------------------------

    def _track(self, sid: str, docs: Sequence[StoryDoc], new: bool = False) -> None:
        """Note that ``docs`` joined story ``sid`` (which they start when ``new``)."""
        if not self.options.split:
            return
        if new:
            self._known[sid] = list(docs)
        elif sid in self._known:
            self._known[sid].extend(docs)
        else:
            self._added.setdefault(sid, []).extend(docs)

    def _members(self, sid: str) -> list[StoryDoc] | None:
        """All members of story ``sid`` now, or None when they are not known."""
        if sid in self._known:
            return self._known[sid]
        if self._stored is None:
            return None
        return [*self._stored(sid), *self._added.get(sid, [])]

    def _split(self, story: Story) -> list[StoryEvent]:
        """Split ``story`` when its members fall into parts whose average link is below
        ``threshold - split_margin`` (a hysteresis, so that a story does not flap between
        split and joined as articles arrive). The part holding the founder keeps the id;
        every other part becomes a story named after its oldest member."""
        opts = self.options
        self._checked[story.id] = story.bag.n
        if not 3 <= story.bag.n <= opts.split_max:
            return []  # two articles joined on their own pair score; big stories are settled
        members = self._members(story.id)
        if members is None or len(members) != story.bag.n:
            return []
        cut = opts.threshold - opts.split_margin
        parts = [[members[i] for i in g] for g in groups(members, opts.weights, cut)]
        if len(parts) == 1:
            return []
        head = next((m for m in members if story_id(m.id) == story.id), min(members, key=_oldest))
        keep = next(p for p in parts if any(d is head for d in p))
        keep_bag = Bag.of(*keep)
        events: list[StoryEvent] = []
        for part in sorted((p for p in parts if p is not keep), key=lambda p: min(map(_oldest, p))):
            oldest = min(part, key=_oldest)
            bag = Bag.of(*part)
            score = link(bag, keep_bag, opts.weights)
            reason = _reason(score, bag, keep_bag, cut, below=True)
            bag.prune(opts.max_terms, opts.max_names)
            days = [d.published for d in part if d.published is not None]
            new = Story(
                story_id(oldest.id),
                oldest.title,
                bag,
                min(days, default=None),
                max(days, default=None),
                self._clock,
            )
            self.active[new.id] = new
            self._touch(new)
            self._known[new.id] = part
            self._checked[new.id] = len(part)
            events.append(StoryEvent("split", new.id, oldest.id, story.id, score.total, reason))
            moved = f"split off {story.id} with {oldest.id}"
            events.extend(
                StoryEvent("moved", new.id, d.id, story.id, score.total, moved) for d in part
            )
        keep_bag.prune(opts.max_terms, opts.max_names)
        story.bag = keep_bag
        days = [d.published for d in keep if d.published is not None]
        if days:
            story.first_seen, story.last_seen = min(days), max(days)
        story.touched = self._clock
        self._known[story.id] = keep
        self._checked[story.id] = len(keep)
        self._touch(story)
        return events

    def _seen(self, story: Story, day: date | None) -> None:
        story.touched = self._clock
        if day is not None:
            story.first_seen = min(story.first_seen or day, day)
            story.last_seen = max(story.last_seen or day, day)

    def _merge(self, recheck: dict[str, list[str]]) -> list[StoryEvent]:
        """Merge the stories of ``recheck`` with the stories listed for them when their
        average link reaches the threshold; a merged story is checked again against
        all its nearest stories."""
        opts = self.options
        events: list[StoryEvent] = []
        queue = list(recheck)
        near = {sid: list(dict.fromkeys(others)) for sid, others in recheck.items()}
        while queue:
            sid = queue.pop(0)
            story = self.active.get(sid)
            if story is None:
                continue
            if sid not in near:  # changed by a merge: look again
                near[sid] = self._nearest([story.bag], [sid])[0]
            for other in (self.active[i] for i in near.pop(sid) if i in self.active):
                score = link(story.bag, other.bag, opts.weights)
                if score.total < opts.threshold:
                    continue
                keep, gone = sorted((story, other), key=_age)
                reason = _reason(score, keep.bag, gone.bag, opts.threshold)
                if opts.split:
                    self._absorb_members(keep.id, gone.id)
                keep.bag.absorb(gone.bag)
                keep.bag.prune(opts.max_terms, opts.max_names)
                for day in (gone.first_seen, gone.last_seen):
                    self._seen(keep, day)
                self._drop(gone.id)
                self._touch(keep)
                events.append(StoryEvent("merged", keep.id, None, gone.id, score.total, reason))
                queue.append(keep.id)
                break
        return events

    def _absorb_members(self, keep: str, gone: str) -> None:
        """Note that story ``gone`` merged into ``keep``."""
        docs = self._members(gone)
        if docs is None:  # not known: neither are the members of ``keep`` any more
            self._known.pop(keep, None)
            self._added.pop(keep, None)
        else:
            self._track(keep, docs)
        self._known.pop(gone, None)
        self._added.pop(gone, None)

    def _age_out(self) -> None:
        opts = self.options
        if self._newest is not None:
            oldest = self._newest.toordinal() - opts.active_days
            old = [s.id for s in self.active.values() if s.last_seen and _day(s) < oldest]
            for sid in old:
                self._drop(sid)
        if len(self.active) > opts.max_active:
            by_age = sorted(self.active.values(), key=lambda s: (s.touched, s.id))
            for story in by_age[: len(self.active) - opts.max_active]:
                self._drop(story.id)


def _age(story: Story) -> tuple[date, str]:
    return (story.first_seen or date.max, story.id)


def _day(story: Story) -> int:
    return story.last_seen.toordinal() if story.last_seen else 0
