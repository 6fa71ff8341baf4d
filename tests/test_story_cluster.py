"""Story clustering on hand-made feature vectors: the rules, without models."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from newsprism.stories import (
    ClusterOptions,
    LinkWeights,
    StoryClusterer,
    StoryDoc,
    StoryEvent,
    story_id,
)
from newsprism.stories.bag import Bag, link
from newsprism.stories.cluster import pair_scores

DIM = 8


def _vec(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=DIM).astype(np.float32)
    return v / np.linalg.norm(v)


def _unit(d: dict[str, float]) -> dict[str, float]:
    n = sum(v * v for v in d.values()) ** 0.5
    return {k: v / n for k, v in d.items()}


def doc(
    ident: str,
    topic: str,
    *,
    language: str = "en",
    anchor: int | None = None,
    day: date | None = None,
    extra: str = "",
    seed: int = 0,
) -> StoryDoc:
    words = {f"{topic}{i}": 1.0 for i in range(6)}
    words.update({f"{extra}{i}": 1.0 for i in range(3)} if extra else {})
    names = {f"name-{topic}": 2.0, f"place-{topic}": 1.0}
    if extra:
        names[f"name-{extra}"] = 2.0
    return StoryDoc(
        id=ident,
        language=language,
        published=day,
        anchor=anchor,
        terms=_unit(words),
        names=_unit(names),
        vector=_vec(sum(map(ord, topic)) if seed == 0 else seed),
        title=f"{topic} {ident}",
    )


def _where(docs: list[StoryDoc], clusterer: StoryClusterer) -> dict[str, str]:
    where: dict[str, str] = {}
    for e in clusterer.add(docs):
        if e.kind == "merged":
            where = {k: (e.story if v == e.other else v) for k, v in where.items()}
        elif e.article:
            where[e.article] = e.story
    return where


def test_pair_scores_equal_the_average_link_of_two_single_articles() -> None:
    docs = [
        doc("a", "quake", anchor=2010),
        doc("b", "quake", anchor=2012, extra="tsunami"),
        doc("c", "quake", language="es", anchor=2010),
        doc("d", "strike"),
    ]
    w = LinkWeights()
    matrix = pair_scores(docs, w)
    for i, a in enumerate(docs):
        for j, b in enumerate(docs):
            if i != j:
                assert matrix[i, j] == pytest.approx(link(Bag.of(a), Bag.of(b), w).total, abs=1e-5)


def test_average_link_of_bags_is_the_mean_over_pairs() -> None:
    group_a = [doc("a1", "quake", anchor=2010), doc("a2", "quake", extra="aid", anchor=2011)]
    group_b = [doc("b1", "quake", language="fr"), doc("b2", "quake", anchor=2010)]
    bag_a, bag_b = Bag.of(group_a[0]), Bag.of(group_b[0])
    bag_a.add_doc(group_a[1])
    bag_b.add_doc(group_b[1])
    w = LinkWeights()
    pairs = [link(Bag.of(x), Bag.of(y), w).total for x in group_a for y in group_b]
    assert link(bag_a, bag_b, w).total == pytest.approx(sum(pairs) / len(pairs), abs=1e-5)


def test_articles_on_one_event_form_one_story_and_others_their_own() -> None:
    docs = [doc(f"q{i}", "quake") for i in range(4)] + [doc(f"s{i}", "strike") for i in range(3)]
    where = _where(docs, StoryClusterer())
    assert len({where[f"q{i}"] for i in range(4)}) == 1
    assert len({where[f"s{i}"] for i in range(3)}) == 1
    assert where["q0"] != where["s0"]


def test_same_kind_of_event_in_different_years_stays_apart() -> None:
    # identical words and names, but one set is about 2010 and the other about 2015
    docs = [doc(f"a{i}", "quake", anchor=2010) for i in range(3)]
    docs += [doc(f"b{i}", "quake", anchor=2015) for i in range(3)]
    strict = ClusterOptions(threshold=0.95)
    where = _where(docs, StoryClusterer(strict))
    assert where["a0"] != where["b0"]
    assert len({where[d.id] for d in docs}) == 2


def test_story_ids_are_stable_and_come_from_the_founding_article() -> None:
    first = StoryClusterer()
    where = _where([doc("q1", "quake", day=date(2024, 1, 1))], first)
    assert where["q1"] == story_id("q1")
    later = _where([doc("q2", "quake", day=date(2024, 1, 2))], first)
    assert later["q2"] == story_id("q1")  # joining never renames a story


def test_a_merge_keeps_the_older_id_and_says_why() -> None:
    clusterer = StoryClusterer(ClusterOptions(threshold=0.62))
    # two stories apart (link 0.61) until articles on their common core arrive
    clusterer.add([doc("x1", "quake", day=date(2024, 1, 1), extra="north")])
    clusterer.add([doc("y1", "quake", day=date(2024, 1, 2), extra="south")])
    assert set(clusterer.active) == {story_id("x1"), story_id("y1")}
    events = clusterer.add([doc(f"z{i}", "quake", day=date(2024, 1, 3)) for i in range(4)])
    merged = [e for e in events if e.kind == "merged"]
    assert [(e.story, e.other) for e in merged] == [(story_id("x1"), story_id("y1"))]
    assert "average link" in merged[0].reason and "name-quake" in merged[0].reason
    assert set(clusterer.active) == {story_id("x1")}


def test_memory_is_bounded_by_the_active_stories() -> None:
    clusterer = StoryClusterer(ClusterOptions(max_active=50, active_days=5))
    for day in range(1, 40):
        batch = [
            doc(f"d{day}-{k}", f"topic{day}-{k}", day=date(2024, 1, 1).replace(day=1 + day % 28))
            for k in range(5)
        ]
        clusterer.add([replace(d, vector=_vec(day * 10 + k)) for k, d in enumerate(batch)])
        assert len(clusterer.active) <= 50


def test_shuffling_articles_of_one_day_does_not_change_the_stories() -> None:
    day = date(2024, 5, 1)
    docs = [doc(f"q{i}", "quake", day=day) for i in range(5)]
    docs += [doc(f"s{i}", "strike", day=day, extra="port") for i in range(5)]
    docs += [doc(f"f{i}", "flood", day=day) for i in range(3)]
    reference = _where(list(docs), StoryClusterer())
    rng = random.Random(7)
    for _ in range(5):
        order = docs[:]
        rng.shuffle(order)
        assert _where(order, StoryClusterer()) == reference


def _drifting_story() -> list[list[StoryDoc]]:
    """Days of articles: a quake story, bridged to a tsunami by two articles on both,
    then three tsunami articles join through the bridge, then the quake story grows."""
    same = _vec(99)  # one embedding, so the only story is always a candidate

    def day(n: int, docs: list[StoryDoc]) -> list[StoryDoc]:
        return [replace(d, vector=same, published=date(2024, 3, n)) for d in docs]

    return [
        day(1, [doc("q1", "quake"), doc("q2", "quake")]),
        day(2, [doc("b1", "quake", extra="tsunami"), doc("b2", "quake", extra="tsunami")]),
        day(3, [doc(f"t{i}", "tsunami") for i in (1, 2, 3)]),
        day(4, [doc(f"q{i}", "quake") for i in (3, 4, 5, 6)]),
    ]


class _Log:
    """Members of stories as a collection would store them, kept by replaying events."""

    def __init__(self) -> None:
        self.docs: dict[str, StoryDoc] = {}
        self.story: dict[str, str] = {}

    def record(self, events: list[StoryEvent], docs: list[StoryDoc]) -> None:
        self.docs.update((d.id, d) for d in docs)
        for e in events:
            if e.kind == "merged":
                self.story = {a: e.story if s == e.other else s for a, s in self.story.items()}
            elif e.article is not None:
                self.story[e.article] = e.story

    def __call__(self, sid: str) -> list[StoryDoc]:
        return [self.docs[a] for a, s in sorted(self.story.items()) if s == sid]


def _run_days(days: list[list[StoryDoc]], options: ClusterOptions) -> list[StoryEvent]:
    """One ``add`` per day, with the members of earlier days given by a log."""
    log = _Log()
    clusterer = StoryClusterer(options, members=log)
    events: list[StoryEvent] = []
    for batch in days:
        new = clusterer.add(batch)
        log.record(new, batch)
        events.extend(new)
    return events


def test_a_story_whose_parts_drift_apart_is_split_and_says_why() -> None:
    events = _run_days(_drifting_story(), ClusterOptions())
    # the tsunami articles joined the quake story through the bridging articles ...
    joined = {e.article: e.story for e in events if e.kind == "joined"}
    assert joined["t1"] == story_id("q1")
    # ... and once the quake articles outweigh the bridge, they are split off again
    splits = [e for e in events if e.kind == "split"]
    assert [(e.story, e.other, e.article) for e in splits] == [
        (story_id("t1"), story_id("q1"), "t1")
    ]
    assert splits[0].score < 0.15
    assert "average link" in splits[0].reason and "name-tsunami" in splits[0].reason
    moved = sorted(e.article or "" for e in events if e.kind == "moved")
    assert moved == ["t1", "t2", "t3"]
    where: dict[str, str] = {}
    for e in events:
        if e.article:
            where[e.article] = e.story
    founder_part = {"q1", "q2", "q3", "q4", "q5", "q6", "b1", "b2"}
    assert {where[i] for i in founder_part} == {story_id("q1")}  # the founder keeps the id
    assert {where[f"t{i}"] for i in (1, 2, 3)} == {story_id("t1")}
    # the same input gives the same result, in one call as well as one call a day
    assert _run_days(_drifting_story(), ClusterOptions()) == events
    in_one = StoryClusterer().add([d for batch in _drifting_story() for d in batch])
    assert in_one == events


def test_splits_can_be_turned_off_big_stories_are_settled_and_unknown_members_kept() -> None:
    for options in (ClusterOptions(split=False), ClusterOptions(split_max=5)):
        events = _run_days(_drifting_story(), options)
        assert not [e for e in events if e.kind in ("split", "moved")]
    # without stored members, a story from an earlier call is not checked
    clusterer = StoryClusterer()
    events = [e for batch in _drifting_story() for e in clusterer.add(batch)]
    assert not [e for e in events if e.kind in ("split", "moved")]
