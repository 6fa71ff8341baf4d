"""Statement alignment and fact status on small articles written for the test."""

from __future__ import annotations

import pytest

from newsprism.compare.statements import clock_times
from newsprism.model import Article, Status
from newsprism.pipeline.run import compare_articles


@pytest.mark.parametrize(
    ("text", "times"),
    [
        ("at about 3.40am in", {"03:40"}),
        ("hacia las 3:40 de la madrugada", {"03:40"}),
        ("vers 3 h 40, un incendie", {"03:40"}),
        ("gegen 3.40 Uhr", {"03:40"}),
        ("at 3:40 p.m. on Friday", {"15:40"}),
        ("it cost 3.40 million", set()),
        ("won 2:1", set()),
    ],
)
def test_clock_times(text: str, times: set[str]) -> None:
    assert clock_times(text) == times


EN = (
    "Flooding forced more than 300 people from their homes in Corvale on Monday, the regional "
    "government said.\n\n"
    "The river rose by two metres overnight after three days of heavy rain.\n\n"
    "Governor Elena Marsh said the damage would cost about 4 million euros to repair.\n\n"
    "A football match between Corvale and Dunmore was postponed."
)
ES = (
    "Las inundaciones obligaron a al menos 312 personas a abandonar sus casas en Corvale el "
    "lunes, según el gobierno regional.\n\n"
    "La gobernadora Elena Marsh afirmó que reparar los daños costará unos 40 millones de euros.\n\n"
    "Las escuelas de la ciudad permanecerán cerradas hasta el miércoles."
)


@pytest.mark.slow
def test_cross_lingual_diff_without_translation() -> None:
    cov = compare_articles(
        [Article(id="en", text=EN, language="en"), Article(id="es", text=ES, language="es")]
    )
    by_text = {st.text: f for f in cov.facts for st in f.statements}

    def fact(prefix: str) -> tuple[Status, set[str]]:
        f = next(v for k, v in by_text.items() if k.startswith(prefix))
        return f.status, {st.article for st in f.statements}

    assert fact("Flooding forced more than 300") == (Status.COMPATIBLE, {"en", "es"})
    status, sources = fact("Governor Elena Marsh said")
    assert (status, sources) == (Status.CONFLICT, {"en", "es"})
    conflict = next(f for f in cov.facts if f.status is Status.CONFLICT)
    assert "4 million" in conflict.reason and "40 millones" in conflict.reason
    assert fact("A football match") == (Status.UNIQUE, {"en"})
    assert fact("Las escuelas de la ciudad") == (Status.UNIQUE, {"es"})
    marsh = [e for e in cov.entities if "Elena Marsh" in e.variants]
    assert len(marsh) == 1 and set(marsh[0].articles) == {"en", "es"}


@pytest.mark.slow
def test_copies_of_one_wire_story_are_one_source() -> None:
    wire = Article(id="wire", text=EN, language="en")
    copy = Article(id="copy", text=EN.replace("was postponed", "has been postponed"), language="en")
    cov = compare_articles([wire, copy, Article(id="es", text=ES, language="es")])
    assert cov.independent_sources == 2
    football = next(f for f in cov.facts if "football" in f.statements[0].text)
    assert {s.article for s in football.statements} == {"wire", "copy"}
    assert football.status is Status.UNIQUE and "copies of one story" in football.reason
    flooding = next(f for f in cov.facts if f.statements[0].text.startswith("Flooding"))
    assert flooding.status is Status.COMPATIBLE
