"""Quantities: number parsing, qualifiers → intervals, units, counted phrases, relate."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from newsprism.model import Article, Quantity, Sentence
from newsprism.quantities.extract import (
    QuantityOptions,
    Relation,
    annotate_quantities,
    counted_key,
    find_quantities,
    relate,
)
from newsprism.quantities.numbers.values import find_numbers, parse_digits

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
INF = math.inf


def seed(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def one(text: str, language: str | None = "en") -> Quantity:
    found = find_quantities(text, language)
    assert len(found) == 1, found
    return found[0]


def by_text(found: tuple[Quantity, ...], text: str) -> Quantity:
    hits = [q for q in found if q.text == text]
    assert hits, f"{text!r} not in {[q.text for q in found]}"
    return hits[0]


# --- numbers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "lang", "value"),
    [
        ("1,332", "en", 1332),
        ("1.332", "es", 1332),
        ("1.332", "de", 1332),
        ("1.332", "sl", 1332),
        ("1.332", "en", 1.332),
        ("1.5", "en", 1.5),
        ("1.5", "es", 1.5),
        ("1,5", "de", 1.5),
        ("1,5", "en", 1.5),
        ("1 332", "fr", 1332),
        ("1\u202f332", "fr", 1332),
        ("1\u00a0332", "ru", 1332),
        ("1,234,567.5", "en", 1234567.5),
        ("1.234.567,5", "de", 1234567.5),
        ("55.000", "es", 55000),
        ("300 000", "fr", 300000),
        ("1'000", "de", 1000),
    ],
)
def test_parse_digits_is_locale_aware(raw: str, lang: str, value: float) -> None:
    assert parse_digits(raw, lang) == pytest.approx(value)


def test_parse_digits_rejects_non_numbers() -> None:
    assert parse_digits("abc") is None
    assert parse_digits("") is None


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [
        ("2.5 million", "en", 2.5e6),
        ("1,2 millones", "es", 1.2e6),
        ("3bn", "en", 3e9),
        ("$5m", "en", 5e6),
        ("€1.2 billion", "en", 1.2e9),
        ("3 тыс. человек", "ru", 3000),
        ("1,5 млн", "ru", 1.5e6),
        ("one million", "en", 1e6),
        ("un millón", "es", 1e6),
        ("deux mille", "fr", 2000),
        ("zwei", "de", 2),
        ("тысяча", "ru", 1000),
        ("двадцать", "ru", 20),
        ("тысяча двадцать", "ru", 1020),
        ("eine Million", "de", 1e6),
    ],
)
def test_find_numbers_values(text: str, lang: str, value: float) -> None:
    found = [n for n in find_numbers(text, lang) if not n.skip]
    assert found and found[0].value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("in 2022 the war", "en"),
        ("on September 27th", "en"),
        ("on September 27", "en"),
        ("el 27 de septiembre", "es"),
        ("le 27 septembre", "fr"),
        ("am 27. September", "de"),
        ("27 сентября", "ru"),
        ("at 10:30 local time", "en"),
        ("call +1 555-123-4567", "en"),
        ("Shahed-136 drones", "en"),
        ("the COVID-19 pandemic", "en"),
        ("the 3rd battalion", "en"),
        ("on 27/09/2022", "en"),
        ("number two of the council", "en"),
        ("the 1990's", "en"),
    ],
)
def test_years_dates_times_codes_are_not_quantities(text: str, lang: str) -> None:
    assert find_quantities(text, lang) == ()


# --- qualifiers → intervals -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "qualifier", "low", "high", "low_inc", "high_inc"),
    [
        ("more than 1,300 people", "en", "more_than", 1300, INF, False, False),
        ("over 50 people", "en", "more_than", 50, INF, False, False),
        ("más de 1.300 personas", "es", "more_than", 1300, INF, False, False),
        ("plus de 1 300 personnes", "fr", "more_than", 1300, INF, False, False),
        ("mehr als 1.300 Menschen", "de", "more_than", 1300, INF, False, False),
        ("более 1300 человек", "ru", "more_than", 1300, INF, False, False),
        ("свыше 1300 человек", "ru", "more_than", 1300, INF, False, False),
        ("at least 1,332 people", "en", "at_least", 1332, INF, True, False),
        ("al menos 1.332 personas", "es", "at_least", 1332, INF, True, False),
        ("por lo menos 12 muertos", "es", "at_least", 12, INF, True, False),
        ("au moins 12 morts", "fr", "at_least", 12, INF, True, False),
        ("mindestens 12 Tote", "de", "at_least", 12, INF, True, False),
        ("не менее 12 человек", "ru", "at_least", 12, INF, True, False),
        ("по меньшей мере 12 человек", "ru", "at_least", 12, INF, True, False),
        ("less than 20 people", "en", "less_than", 0, 20, True, False),
        ("fewer than 20 people", "en", "less_than", 0, 20, True, False),
        ("menos de 20 personas", "es", "less_than", 0, 20, True, False),
        ("moins de 20 personnes", "fr", "less_than", 0, 20, True, False),
        ("weniger als 20 Menschen", "de", "less_than", 0, 20, True, False),
        ("менее 20 человек", "ru", "less_than", 0, 20, True, False),
        ("at most 7 boats", "en", "at_most", 0, 7, True, True),
        ("no more than 7 boats", "en", "at_most", 0, 7, True, True),
        ("up to 200 troops", "en", "up_to", 0, 200, False, True),
        ("as many as 200 troops", "en", "up_to", 0, 200, False, True),
        ("hasta 200 soldados", "es", "up_to", 0, 200, False, True),
        ("jusqu'à 200 soldats", "fr", "up_to", 0, 200, False, True),
        ("bis zu 200 Soldaten", "de", "up_to", 0, 200, False, True),
        ("до 200 солдат", "ru", "up_to", 0, 200, False, True),
        ("about 100 people", "en", "about", 90, 110, True, True),
        ("some 100 people", "en", "about", 90, 110, True, True),
        ("unos 100 soldados", "es", "about", 90, 110, True, True),
        ("environ 100 soldats", "fr", "about", 90, 110, True, True),
        ("etwa 100 Soldaten", "de", "about", 90, 110, True, True),
        ("rund 100 Soldaten", "de", "about", 90, 110, True, True),
        ("около 100 солдат", "ru", "about", 90, 110, True, True),
        ("примерно 100 солдат", "ru", "about", 90, 110, True, True),
        ("nearly 100 people", "en", "nearly", 90, 100, True, False),
        ("almost 100 people", "en", "nearly", 90, 100, True, False),
        ("casi 100 personas", "es", "nearly", 90, 100, True, False),
        ("près de 100 personnes", "fr", "nearly", 90, 100, True, False),
        ("fast 100 Menschen", "de", "nearly", 90, 100, True, False),
        ("почти 100 человек", "ru", "nearly", 90, 100, True, False),
        ("between 20 and 30 people", "en", "range", 20, 30, True, True),
        ("20-30 people", "en", "range", 20, 30, True, True),
        ("2 to 3 million people", "en", "range", 2e6, 3e6, True, True),
        ("two or three days", "en", "range", 2, 3, True, True),
        ("de 20 a 30 personas", "es", "range", 20, 30, True, True),
        ("entre 20 y 30 heridos", "es", "range", 20, 30, True, True),
        ("entre 20 et 30 blessés", "fr", "range", 20, 30, True, True),
        ("zwischen 20 und 30 Verletzte", "de", "range", 20, 30, True, True),
        ("от 20 до 30 раненых", "ru", "range", 20, 30, True, True),
        ("1,332 people", "en", "exact", 1332, 1332, True, True),
        ("thousands of people", "en", "range", 1000, 10000, False, False),
        ("several thousand volunteers", "en", "range", 1000, 10000, False, False),
        ("miles de personas", "es", "range", 1000, 10000, False, False),
        ("milliers de manifestants", "fr", "range", 1000, 10000, False, False),
        ("Tausende Demonstranten", "de", "range", 1000, 10000, False, False),
        ("тысячи демонстрантов", "ru", "range", 1000, 10000, False, False),
        ("hundreds of thousands of refugees", "en", "range", 1e5, 1e6, False, False),
    ],
)
def test_qualifiers_become_intervals(
    text: str,
    lang: str,
    qualifier: str,
    low: float,
    high: float,
    low_inc: bool,
    high_inc: bool,
) -> None:
    q = one(text, lang)
    assert q.qualifier == qualifier
    assert (q.low, q.high) == (pytest.approx(low), pytest.approx(high))
    assert (q.low_inclusive, q.high_inclusive) == (low_inc, high_inc)
    assert text.startswith(q.text)  # the qualifier words are inside the span


def test_qualifier_words_are_inside_the_span() -> None:
    text = "Protests led to more than 1,300 people arrested."
    q = one(text)
    assert q.text == "more than 1,300"
    assert text[q.start : q.end] == q.text
    assert q.value == 1300


# --- units and counted -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "unit", "value"),
    [
        ("a 107% increase", "en", "%", 107),
        ("a 107 % increase", "en", "%", 107),
        ("by 254 percent", "en", "%", 254),
        ("el 12 por ciento", "es", "%", 12),
        ("12 Prozent", "de", "%", 12),
        ("12 pour cent", "fr", "%", 12),
        ("12 процентов", "ru", "%", 12),
        ("$5m in aid", "en", "USD", 5e6),
        ("€1.2 billion", "en", "EUR", 1.2e9),
        ("2,5 millones de euros", "es", "EUR", 2.5e6),
        ("300 dólares", "es", "USD", 300),
        ("2 млн рублей", "ru", "RUB", 2e6),
        ("500 гривен", "uk", "UAH", 500),
        ("the 1,300-kilometer-long border", "en", "km", 1300),
        ("40 kilómetros", "es", "km", 40),
        ("40 км", "ru", "km", 40),
        ("queues of 400 meters", "en", "m", 400),
        ("200 metros", "es", "m", 200),
        ("5 kg", "en", "kg", 5),
        ("5 tonnes of grain", "en", "t", 5),
        ("six months of war", "en", "month", 6),
        ("in the past 24 hours", "en", "hour", 24),
        ("hace diez años", "es", "year", 10),
        ("за 3 мес.", "ru", "month", 3),
        ("a 21-year-old Russian student", "en", "year_of_age", 21),
        ("Max, 21 years old, said", "en", "year_of_age", 21),
        ("un hombre de 45 años de edad", "es", "year_of_age", 45),
    ],
)
def test_units_are_normalised(text: str, lang: str, unit: str, value: float) -> None:
    q = one(text, lang)
    assert q.unit == unit
    assert q.value == pytest.approx(value)
    assert text[q.start : q.end] == q.text


@pytest.mark.parametrize(
    ("text", "lang", "counted"),
    [
        ("more than 1,300 people arrested, according to", "en", "people arrested"),
        ("at least 1,332 people were arrested.", "en", "people arrested"),
        ("55,000 Russian soldiers died", "en", "Russian soldiers died"),
        ("436 bodies had already been exhumed", "en", "bodies exhumed"),
        ("thousands of people had come forward", "en", "people"),
        ("438 people from Russia", "en", "people"),
        ("two Iranian-made drones attacked", "en", "Iranian-made drones attacked"),
        ("55 prisoners of war exchanged with", "en", "prisoners of war exchanged"),
        ("a 21-year-old Russian student", "en", "Russian student"),
        ("55.000 soldados rusos murieron", "es", "soldados rusos murieron"),
        ("1.300 personas fueron detenidas", "es", "personas detenidas"),
        ("1 300 personnes ont été arrêtées", "fr", "personnes arrêtées"),
        ("2,5 millions d'habitants", "fr", "habitants"),
        ("55.000 russische Soldaten", "de", "russische Soldaten"),
        ("1300 человек были задержаны", "ru", "человек задержаны"),
        ("55 000 российских солдат погибли", "ru", "российских солдат погибли"),
        ("the 300,000 as the public had been told", "en", None),
        ("254 percent", "en", None),
    ],
)
def test_counted_phrase(text: str, lang: str, counted: str | None) -> None:
    assert find_quantities(text, lang)[0].counted == counted


def test_counted_key_uses_lemmas() -> None:
    assert counted_key("People Arrested", "en") == "people arrest"
    assert counted_key("soldados rusos", "es").startswith("soldado")


def test_indefinite_article_is_not_one() -> None:
    assert find_quantities("Un hombre y una mujer", "es") == ()
    assert find_quantities("One of them is secret.", "en") == ()
    assert one("killing one civilian").counted == "civilian"
    assert one("caused at least one death").text == "at least one"


def test_years_kept_on_request_and_with_qualifiers() -> None:
    assert find_quantities("in 2022", "en") == ()
    kept = find_quantities("in 2022", "en", options=QuantityOptions(keep_years=True))
    assert [q.value for q in kept] == [2022]
    assert one("more than 1900 people").value == 1900


# --- the seeds -----------------------------------------------------------------------


def test_seed_000_quantities() -> None:
    text = seed("000")
    found = find_quantities(text, "en")
    for q in found:
        assert text[q.start : q.end] == q.text
    more = by_text(found, "more than 1,300")
    assert (more.value, more.low, more.high) == (1300, 1300, INF)
    assert not more.low_inclusive and more.qualifier == "more_than"
    assert more.counted is not None and "people" in more.counted
    million = by_text(found, "up to one million")
    assert (million.value, million.low, million.high) == (1e6, 0, 1e6)
    assert million.qualifier == "up_to" and million.counted == "people"
    official = by_text(found, "300,000")
    assert official.qualifier == "exact" and official.low == official.high == 300000
    assert by_text(found, "20,000").counted == "Chechens sent"
    assert by_text(found, "254 percent").unit == "%"
    assert by_text(found, "438").counted == "people"
    assert [q.counted for q in found if q.value == 436] == ["bodies exhumed"] * 2
    assert by_text(found, "1,300-kilometer").unit == "km"
    ages = by_text(found, "from four to 82 years old")
    assert (ages.low, ages.high, ages.qualifier, ages.unit) == (4, 82, "range", "year_of_age")
    assert by_text(found, "55,000").counted == "Russian soldiers died"
    assert by_text(found, "six months").unit == "month"
    assert not [q for q in found if q.value in (136, 2022)]


def test_seed_001_quantities() -> None:
    text = seed("001")
    found = find_quantities(text, "en")
    for q in found:
        assert text[q.start : q.end] == q.text
    arrested = by_text(found, "at least 1,332")
    assert (arrested.low, arrested.high, arrested.low_inclusive) == (1332, INF, True)
    assert arrested.counted == "people arrested"
    nearly = by_text(found, "nearly 10,000")
    assert (nearly.low, nearly.high, nearly.high_inclusive) == (9000, 10000, False)
    assert nearly.counted == "people volunteered"
    assert by_text(found, "Some 7,000").qualifier == "about"
    assert by_text(found, "some 6,000").low == pytest.approx(5400)
    assert by_text(found, "107%").unit == "%"
    assert by_text(found, "55").counted is not None
    assert "prisoners" in (by_text(found, "55").counted or "")
    assert by_text(found, "215").counted == "Ukrainians"
    assert by_text(found, "up to 400 meters").unit == "m"
    assert by_text(found, "24 hours").unit == "hour"
    assert by_text(found, "21-year-old").unit == "year_of_age"
    assert by_text(found, "thousands").qualifier == "range"
    assert not [q for q in found if q.value in (19, 27, 2022)]


def test_stage_fills_sentence_indexes_and_is_fast() -> None:
    text = seed("000")
    first = text.index("The announcement of partial mobilization")
    end = text.index("\n", first)
    sentences = (Sentence(0, 0, 10, text[:10]), Sentence(7, first, end, text[first:end]))
    article = Article(id="a", text=text, language="en", sentences=sentences)
    out = annotate_quantities(article)
    assert out.text == article.text and out.quantities
    more = by_text(out.quantities, "more than 1,300")
    assert more.sentence == 7
    assert by_text(out.quantities, "438").sentence == -1


# --- relate ---------------------------------------------------------------------------


def rel(a: str, b: str, lang_a: str = "en", lang_b: str = "en") -> Relation:
    return relate(one(a, lang_a), one(b, lang_b))


def test_relate_official_figure_conflicts_with_up_to_a_million() -> None:
    r = rel("the 300,000 troops", "up to one million people")
    assert r.kind == "conflict"
    assert r.reason == '"300,000" vs "up to one million": up to 1,000,000 is 3.3× the other figure'


@pytest.mark.parametrize(
    ("a", "b", "kind"),
    [
        ("more than 1,300 people", "at least 1,332 people", "compatible"),
        ("nearly 10,000 people", "9,800 people", "compatible"),
        ("55,000 soldiers", "55,000 soldiers", "same"),
        ("more than 1,300 people", "1,300 people", "compatible"),
        ("less than 10 people", "more than 10 people", "conflict"),
        ("20 people", "30 people", "conflict"),
        ("thousands of people", "nearly 10,000 people", "compatible"),
        ("between 20 and 30 dead", "25 dead", "compatible"),
        ("400 meters", "0.4 km", "same"),
        ("254 percent", "254 people", "incomparable"),
        ("$5m", "€5m", "incomparable"),
        ("six months", "24 hours", "conflict"),
        ("more than 1,300 people", "300,000 people", "conflict"),
    ],
)
def test_relate_kinds(a: str, b: str, kind: str) -> None:
    r = rel(a, b)
    assert r.kind == kind, r.reason
    assert r.reason


def test_relate_across_languages() -> None:
    assert rel("más de 1.300 personas", "at least 1,332 people", "es").kind == "compatible"
    assert rel("около 55 000 солдат", "55,000 soldiers", "ru").kind == "same"
    assert rel("около 50 000 солдат", "55,000 soldiers", "ru").kind == "compatible"
    assert rel("plus de 1 300 personnes", "1.300 Menschen", "fr", "de").kind == "compatible"


def test_change_from_to_is_not_a_range() -> None:
    found = find_quantities("Horsepower jumped from 240 to 273.", "en")
    assert [(q.value, q.qualifier) for q in found] == [(240, "exact"), (273, "exact")]
    assert one("queues of 45g each").unit == "g"
    assert one("There were 4 hundred million people.").value == 4e8


# Error classes found on English news (each with sentences written for these tests).


def _spans(text: str, lang: str = "en") -> list[tuple[str, float, str | None, str]]:
    return [(q.text, q.value, q.unit, q.qualifier) for q in find_quantities(text, lang)]


def test_range_with_scale_on_second_figure_only() -> None:
    got = find_quantities("Flats sell for $450,000 to $2.5 million in the new tower.", "en")
    assert [(q.low, q.high, q.unit, q.qualifier) for q in got] == [
        (450000.0, 2500000.0, "USD", "range")
    ]
    four = find_quantities("four to five thousand fans", "en")[0]
    assert (four.low, four.high) == (4000.0, 5000.0)


def test_range_keeps_currency_and_rate_after_opener() -> None:
    got = find_quantities("Shares are priced between $31 and $34 per share.", "en")
    assert [(q.text, q.unit, q.low, q.high) for q in got] == [
        ("between $31 and $34 per share", "USD/share", 31.0, 34.0)
    ]


def test_between_after_change_verb_is_a_range() -> None:
    got = find_quantities("Rents should increase between 3% and 4% next year.", "en")
    assert [(q.low, q.high, q.qualifier) for q in got] == [(3.0, 4.0, "range")]
    two = find_quantities("Sales rose from 120 to 150 units.", "en")
    assert [q.value for q in two] == [120.0, 150.0]  # a change keeps both figures


def test_change_by_then_level_is_two_figures() -> None:
    got = find_quantities("Debt grew by $2.1 billion to $30.5 billion last year.", "en")
    assert [q.value for q in got] == [2.1e9, 30.5e9]
    rng = find_quantities("Prices could rise by 5 to 10 per cent.", "en")
    assert [(q.low, q.high) for q in rng] == [(5.0, 10.0)]


def test_clock_times_and_era_years_are_not_quantities() -> None:
    assert _spans("The vote opens at 9 a.m. and closes at 8 pm on Sunday.") == []
    assert _spans("The fort was built around AD 1200 and 1250 by farmers.") == []
    assert _spans("Seas may rise sharply by 2150, the study says.") == []
    assert _spans("The city was founded in 700 BC by traders.") == []


def test_leading_dot_decimals_and_sub_prefix() -> None:
    assert _spans("The team finished with a .450 record.") == [(".450", 0.45, None, "exact")]
    assert _spans("They build sub-5 nanometre chips.") == [
        ("sub-5 nanometre", 5.0, "nm", "less_than")
    ]
    assert _spans("El equipo ganó .5", "es") == []


def test_scientific_notation_fractions_and_folds() -> None:
    sci = find_quantities("A proton weighs about 1.67×10−27 kilograms.", "en")
    assert len(sci) == 1 and sci[0].unit == "kg"
    assert math.isclose(sci[0].value, 1.67e-27)
    frac = find_quantities("The path is 3/4 mile long; 1⁄8 of it is paved.", "en")
    assert [q.value for q in frac] == [0.75, 0.125]
    assert _spans("The attack happened on 9/11 in New York.") == []
    fold = find_quantities("Profits rose fivefold last year.", "en")
    assert [(q.value, q.unit) for q in fold] == [(5.0, "times")]
    share = find_quantities("Two out of five voters stayed home.", "en")
    assert [round(q.value, 3) for q in share] == [0.4]


def test_glued_mil_and_speed_units() -> None:
    got = find_quantities("He moved RM2.5mil through a 100Mbps line.", "en")
    assert [(q.value, q.unit) for q in got] == [(2.5e6, "MYR"), (100.0, "Mbps")]
    assert _spans("Tres mil personas", "es")[0][1] == 3000.0


def test_names_addresses_and_compounds_are_not_quantities() -> None:
    assert _spans("In Asia: Nikkei 225 -0.4% Hang Seng +0.2%.") == [
        ("-0.4%", -0.4, "%", "exact"),
        ("0.2%", 0.2, "%", "exact"),
    ]
    assert _spans("The FTSE 100 index edged higher on Monday.") == []
    assert _spans("She bought a flat at 14 Green Park Road last spring.") == []
    assert _spans("A category 3 storm reached the coast.") == []
    assert _spans("Striker Jane Doe (9) scored two goals.") == [("two", 2.0, None, "exact")]
    assert _spans("They rented a three-bed house with a six-speed car.") == []
    assert _spans("He signed a five-year deal.") == [("five-year", 5.0, "year", "exact")]


def test_one_of_the_counts_one() -> None:
    got = find_quantities("It is one of the oldest bridges in the city.", "en")
    assert [(q.value, q.counted) for q in got] == [(1.0, "oldest bridges")]
    assert find_quantities("They used the same one across all sites.", "en") == ()


def test_counted_phrase_stops_at_the_plural_head() -> None:
    got = find_quantities("Some 40 Arsenal fans travelled by train.", "en")
    assert got[0].counted == "Arsenal fans travelled"
    went = find_quantities("Nine Arsenal fans went home early.", "en")
    assert went[0].counted == "Arsenal fans"
    assert find_quantities("She hired six other nurses.", "en")[0].counted == "other nurses"
    assert find_quantities("It sold 2m of its phones.", "en")[0].counted == "phones"


def test_units_after_the_number_and_spaced_prefixes() -> None:
    assert _spans("Le billet coûte 1 200 € au total.", "fr")[0][2] == "EUR"
    assert _spans("The bid was C $7 a share.")[0][2] == "CAD/share"
    assert _spans("It hit 90 m.p.h. on the straight.")[0][2] == "mph"
    assert _spans("A 90,000 barrel-a-day plant opened.")[0][2] == "bbl/day"
    assert _spans("It makes 400 lb-ft of torque.")[0][2] == "lb·ft"
    assert _spans("Ten European leaders met.")[0][2] is None


def test_elided_unit_is_taken_from_the_neighbour() -> None:
    got = find_quantities("Her weight fell from 80 kg to 72 by June.", "en")
    assert [(q.value, q.unit) for q in got] == [(80.0, "kg"), (72.0, "kg")]
    homes = find_quantities("It sold 300 homes in May and 250 in June.", "en")
    assert [q.counted for q in homes] == ["homes", "homes"]
    screen = find_quantities("It has a 6- or 7-inch screen.", "en")
    assert [(q.value, q.unit) for q in screen] == [(6.0, "in"), (7.0, "in")]
