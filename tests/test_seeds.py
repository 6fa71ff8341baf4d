"""The coverage diff of the two seed articles (../shared/seeds), end to end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsprism.model import Coverage
from newsprism.pipeline.run import compare_paths
from newsprism.report import coverage_to_dict

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
FIRST, SECOND = "000_74a54ece0d3d09c6", "001_39bcee88d24a81fa"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not SEEDS.is_dir(), reason="needs ../shared/seeds"),
]


@pytest.fixture(scope="module")
def coverage() -> Coverage:
    return compare_paths(sorted(SEEDS.glob("*.txt")))


@pytest.fixture(scope="module")
def report(coverage: Coverage) -> dict[str, Any]:
    return coverage_to_dict(coverage)


def facts_with(report: dict[str, Any], *needles: str) -> list[dict[str, Any]]:
    """Facts having, for every needle, a statement that contains it."""
    return [
        f
        for f in report["facts"]
        if all(any(n in s["text"] for s in f["statements"]) for n in needles)
    ]


def only(items: list[dict[str, Any]]) -> dict[str, Any]:
    assert len(items) == 1, items
    return items[0]


def entity_with(report: dict[str, Any], *variants: str) -> dict[str, Any]:
    return only([e for e in report["entities"] if set(variants) <= set(e["variants"])])


def test_articles_ids_titles_and_languages(report: dict[str, Any]) -> None:
    arts = {a["id"]: a for a in report["articles"]}
    assert set(arts) == {FIRST, SECOND}
    assert arts[FIRST]["title"].startswith("The Kremlin exempted employees")
    assert all(a["language"] == "en" for a in arts.values())


def test_every_statement_points_into_its_cleaned_article(coverage: Coverage) -> None:
    texts = {a.id: a.text for a in coverage.articles}
    for fact in coverage.facts:
        for st in fact.statements:
            assert texts[st.article][st.start : st.end] == st.text


def test_page_junk_is_not_a_statement(report: dict[str, Any]) -> None:
    statements = [s["text"] for f in report["facts"] for s in f["statements"]]
    for junk in ("Photo: Reuters", "Tags:", "NEXT Bizarre", "The article is in Slovenian",
                 "Dirty bomb: Russia tests", "Elon Musk's company"):  # fmt: skip
        assert not any(junk in s for s in statements), junk


def test_the_55000_quote_is_one_agreed_fact_by_zelensky(report: dict[str, Any]) -> None:
    fact = only(facts_with(report, "55,000 Russian soldiers died", "55,000 Russian soldiers have"))
    assert fact["status"] == "agreed"
    assert set(fact["sources"]) == {FIRST, SECOND}
    zelensky = entity_with(report, "Zelensky", "Zelenski")
    quotes = [q for q in report["quotes"] if q["fact"] == fact["id"] and "55,000" in q["text"]]
    assert {q["article"] for q in quotes} == {FIRST, SECOND}
    assert all(q["speaker_entity"] == zelensky["id"] and q["direct"] for q in quotes)


def test_arrest_figures_are_compatible_not_a_conflict(report: dict[str, Any]) -> None:
    fact = only(facts_with(report, "more than 1,300 people arrested", "at least 1,332 people"))
    assert fact["status"] == "compatible"
    assert "1,300" in fact["reason"] and "1,332" in fact["reason"]


def test_up_to_one_million_conflicts_with_the_official_300000(report: dict[str, Any]) -> None:
    fact = only(facts_with(report, "up to one million people", "300,000 troops"))
    assert fact["status"] == "conflict"
    assert "one million" in fact["reason"] and "300,000" in fact["reason"]
    assert [f["status"] for f in report["facts"]].count("conflict") == 1


def test_name_variants_are_one_entity_each(report: dict[str, Any]) -> None:
    zelensky = entity_with(report, "Volodymyr Zelensky", "Volodimir Zelenski", "Zelensky")
    assert zelensky["type"] == "PERSON" and set(zelensky["articles"]) == {FIRST, SECOND}
    assert entity_with(report, "Izhyum", "Izjum")["type"] == "LOC"
    assert entity_with(report, "Dmitry Peskov", "Dmitri Peskov", "Peskov")["type"] == "PERSON"
    assert entity_with(report, "Kiev", "kyiv")["type"] == "LOC"
    assert entity_with(report, "Marcin Wasik", "Wasik")["type"] == "PERSON"


def test_one_source_facts_are_unique_to_the_right_article(report: dict[str, Any]) -> None:
    bodies = facts_with(report, "436 bodies had already been exhumed")
    assert bodies and all(f["status"] == "unique" and f["sources"] == [FIRST] for f in bodies)
    exchange = only(facts_with(report, "release of 215 Ukrainians"))
    assert exchange["status"] == "unique" and exchange["sources"] == [SECOND]


def test_quotes_have_their_speakers(report: dict[str, Any]) -> None:
    def speaker_of(fragment: str) -> str | None:
        return only([q for q in report["quotes"] if fragment in q["text"]])["speaker"]

    assert speaker_of("We will not allow any group of Russians") == "Marcin Wasik"
    assert speaker_of("Only in individual cases") == "Marcin Wasik"
    assert speaker_of("the paragraph referred to the total number") in (
        "Dmitry Peskov",
        "Dmitri Peskov",
    )
    assert speaker_of("We cannot let President Putin get away") == "Antony Blinken"


def test_quantities_carry_intervals(report: dict[str, Any]) -> None:
    qs = {(q["article"], q["text"]): q for q in report["quantities"]}
    more = qs[(FIRST, "more than 1,300")]
    assert (more["value"], more["low"], more["high"]) == (1300, 1300, None)
    assert more["low_inclusive"] is False and "people" in more["counted"]
    least = qs[(SECOND, "at least 1,332")]
    assert (least["low"], least["high"], least["low_inclusive"]) == (1332, None, True)
    upto = qs[(FIRST, "up to one million")]
    assert (upto["value"], upto["low"], upto["high"]) == (1_000_000, 0, 1_000_000)
    assert qs[(SECOND, "107%")]["unit"] == "%"
