"""Dates stage: explicit, weekday, relative and month-only expressions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from newsprism.dates.resolve import DateOptions, annotate_dates, find_dates
from newsprism.model import Article, DateRef
from newsprism.sentences import annotate_sentences

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
PUBLISHED = date(2022, 9, 23)  # a Friday


def _dates(
    text: str, language: str | None = "en", published: date | None = PUBLISHED
) -> dict[str, date | None]:
    art = Article(id="t", text=text, language=language, published=published)
    found = find_dates(art)
    for d in found:
        assert text[d.start : d.end] == d.text
    return {d.text: d.value for d in found}


@pytest.fixture(scope="module")
def seed1() -> tuple[Article, tuple[DateRef, ...]]:
    path = next(SEEDS.glob("001_*.txt"))
    art = annotate_sentences(
        Article(id="s1", text=path.read_text(encoding="utf-8"), language="en", published=PUBLISHED)
    )
    return art, find_dates(art)


def _first(dates: tuple[DateRef, ...], art: Article, context: str, expr: str) -> DateRef:
    pos = art.text.index(context)
    for d in dates:
        if d.start >= pos and d.text == expr:
            return d
    raise AssertionError(f"{expr!r} not found after {context!r}")


def test_seed1_dates(seed1: tuple[Article, tuple[DateRef, ...]]) -> None:
    art, dates = seed1
    assert _first(dates, art, "Moscow began", "on Thursday").value == date(2022, 9, 22)
    assert _first(dates, art, "In images spread", "the day before").value == date(2022, 9, 22)
    assert _first(dates, art, "Russia said on Friday", "on Friday").value == date(2022, 9, 23)
    assert _first(dates, art, "electoral centers", "September 27th").value == date(2022, 9, 27)
    assert _first(dates, art, "arrived last week", "last week").value == date(2022, 9, 16)
    first = _first(dates, art, "Moscow began", "on Thursday")
    assert art.sentences[first.sentence].start <= first.start < art.sentences[first.sentence].end


def test_explicit_dates_many_languages() -> None:
    assert _dates("It happened on 27 September 2022.")["27 September 2022"] == date(2022, 9, 27)
    assert _dates("Signed on 2022-09-22 in Moscow.")["2022-09-22"] == date(2022, 9, 22)
    assert _dates("Votó el 27 de septiembre.", "es")["27 de septiembre"] == date(2022, 9, 27)
    assert _dates("Am 22. September begann es.", "de")["22. September"] == date(2022, 9, 22)
    assert _dates("Указ подписан 22 сентября 2022 года.", "ru")["22 сентября 2022"] == date(
        2022, 9, 22
    )
    assert _dates("Le 3 mars 2021, rien.", "fr")["3 mars 2021"] == date(2021, 3, 3)
    assert _dates("Published 23.09.2022 at noon.")["23.09.2022"] == date(2022, 9, 23)
    # without a year: the year closest to publication
    assert _dates("The vote ends on December 30.")["December 30"] == date(2022, 12, 30)
    assert _dates("It began January 5.", published=date(2023, 1, 2))["January 5"] == date(
        2023, 1, 5
    )


def test_weekdays_and_relative_words() -> None:
    found = _dates("Yesterday and today, but on Thursday and the day before; last week too.")
    assert found == {
        "Yesterday": date(2022, 9, 22),
        "today": date(2022, 9, 23),
        "on Thursday": date(2022, 9, 22),
        "the day before": date(2022, 9, 22),
        "last week": date(2022, 9, 16),
    }
    assert _dates("Talks resume next Monday.")["next Monday"] == date(2022, 9, 26)
    assert _dates("Llegó el jueves y ayer se fue.", "es") == {
        "el jueves": date(2022, 9, 22),
        "ayer": date(2022, 9, 22),
    }
    assert _dates("Il est parti jeudi, hier soir.", "fr") == {
        "jeudi": date(2022, 9, 22),
        "hier soir": date(2022, 9, 22),
    }
    assert _dates("Er kam am Donnerstag, gestern ging er.", "de") == {
        "am Donnerstag": date(2022, 9, 22),
        "gestern": date(2022, 9, 22),
    }
    assert _dates("Он прилетел в четверг, а вчера уехал.", "ru") == {
        "в четверг": date(2022, 9, 22),
        "вчера": date(2022, 9, 22),
    }
    assert _dates("This morning it rained.")["This morning"] == PUBLISHED


def test_month_names_alone() -> None:
    found = _dates("The attack in February and March this year was studied in May 2021.")
    assert found["in February"] == date(2022, 2, 1)
    assert found["March"] == date(2022, 3, 1)
    assert found["in May 2021"] == date(2021, 5, 1)
    # the modal verb, a first name, a month-like surname are not dates
    assert _dates("They may go. Jan Lipavsky sang with Julio Iglesias.", None) == {}
    assert _dates("Nothing", published=None) == {}
    no_month = Article(id="m", text="in February", language="en", published=PUBLISHED)
    assert find_dates(no_month, DateOptions(month_only=False)) == ()


def test_unresolvable_without_publication_date() -> None:
    found = _dates("On Thursday, 27 September 2022 and yesterday.", published=None)
    assert found == {
        "On Thursday": None,
        "27 September 2022": date(2022, 9, 27),
        "yesterday": None,
    }


def test_stage_on_a_seed() -> None:
    path = next(SEEDS.glob("000_*.txt"))
    text = path.read_text(encoding="utf-8")
    art = Article(id="s0", text=text, language=None, published=PUBLISHED)
    out = annotate_dates(art)
    assert out.dates and all(d.value is not None for d in out.dates)
