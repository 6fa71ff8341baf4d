"""``newsprism eval quantities``: CQE-style scoring of the quantities stage."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from newsprism.errors import EvalDataError
from newsprism.evaluate.quantities import (
    evaluate,
    load,
    map_quantity,
    parse_value,
    render,
)
from newsprism.model import Quantity
from newsprism.quantities.extract import direction, find_quantities

DATA = Path(__file__).resolve().parent / "data"
TINY = DATA / "quantities_tiny.json"
MULTI = DATA / "multilingual" / "quantities.jsonl"
NEWSQUANT = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "newsquant"
NEWSQUANT_FILE = NEWSQUANT / "NewsQuant.json"

KEYS = {
    "value_precision",
    "value_recall",
    "value_f1",
    "value_unit_f1",
    "change_f1",
    "concept_f1",
    "sentences_per_second",
    "sentences",
    "gold_quantities",
    "predicted_quantities",
    "split_even",
    "split_odd",
}


def test_tiny_gold_file_is_scored_exactly() -> None:
    result = evaluate(TINY)
    assert set(result) >= KEYS
    assert result["sentences"] == 3
    assert result["gold_quantities"] == 4
    assert result["predicted_quantities"] == 4
    assert result["value_f1"] == 100.0
    assert result["value_unit_f1"] == 100.0  # count → noun, % → percentage, $ → dollar, km
    assert result["change_f1"] == 100.0  # more than → ">", rose → "up", range → "="
    assert result["split_even"]["gold_quantities"] == 3
    assert result["split_odd"]["gold_quantities"] == 1
    json.dumps(result, allow_nan=False)
    table = render(result)
    assert "value F1" in table and "even rows" in table


def _nothing(text: str, language: str | None) -> Sequence[Quantity]:
    return ()


def _no_units(text: str, language: str | None) -> Sequence[Quantity]:
    import dataclasses

    return [dataclasses.replace(q, unit="?") for q in find_quantities(text, language)]


def test_a_worse_extractor_scores_worse() -> None:
    empty = evaluate(TINY, extractor=_nothing)
    assert empty["value_f1"] == 0.0 and empty["predicted_quantities"] == 0
    no_units = evaluate(TINY, extractor=_no_units)
    assert no_units["value_f1"] == 100.0
    assert no_units["value_unit_f1"] < 50.0


def test_limit_and_bad_files(tmp_path: Path) -> None:
    assert evaluate(TINY, limit=1)["sentences"] == 1
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "a list"}', encoding="utf-8")
    with pytest.raises(EvalDataError) as err:
        load(bad)
    assert err.value.hint


def test_gold_values_and_mapping() -> None:
    assert parse_value("6.0") == 6.0
    assert parse_value("252.0-287.0") == (252.0, 287.0)
    assert parse_value("1.99E-29") == pytest.approx(1.99e-29)
    text = "Shares fell 3.5 per cent to $12 a share, and more than 2,000 workers left."
    found = find_quantities(text, "en")
    mapped = [map_quantity(q, text, "en") for q in found]
    assert [m.value for m in mapped] == [3.5, 12.0, 2000.0]
    assert "percentage" in mapped[0].units and mapped[0].change == "down"
    assert "dollar per share" in mapped[1].units
    assert "worker" in mapped[2].units and mapped[2].change == ">"
    assert direction(text, found[1]) is None  # "to $12" is a level, not a change


def test_count_units_follow_the_noun_phrase() -> None:
    text = "It is one of the busiest ports in Asia, and two of Smith's aides quit."
    found = find_quantities(text, "en")
    mapped = [map_quantity(q, text, "en") for q in found]
    assert "busy port" in mapped[0].units  # superlatives lemmatised, as CQE does
    assert "smith aide" in mapped[1].units  # possessive dropped
    text = "A quarter of the voters and 300 categories of goods were counted."
    found = find_quantities(text, "en")
    mapped = [map_quantity(q, text, "en") for q in found]
    assert "% voter" in mapped[0].units  # CQE writes fractions as "% noun"
    assert "category good" in mapped[1].units and "category" in mapped[1].units


def test_multilingual_file_gives_per_language_figures() -> None:
    result = evaluate(MULTI)
    assert set(result["per_language"]) == {"de", "es", "fr", "ru"}
    for lang, figures in result["per_language"].items():
        assert figures["sentences"] == 15, lang
        assert figures["value_f1"] >= 90.0, lang
    assert result["value_unit_f1"] >= 90.0
    assert "lang ru" in render(result)


@pytest.mark.slow
@pytest.mark.skipif(not NEWSQUANT_FILE.exists(), reason="NewsQuant data not available")
def test_newsquant_figures_do_not_regress() -> None:
    result = evaluate(NEWSQUANT_FILE)
    assert set(result) >= KEYS
    assert result["sentences"] == 590 and result["gold_quantities"] == 904
    assert result["value_f1"] >= 92.5
    assert result["value_unit_f1"] >= 85.0
    for half in ("split_even", "split_odd"):
        assert result[half]["value_f1"] >= 92.0
        assert result[half]["value_unit_f1"] >= 84.0
    json.dumps(result, allow_nan=False)
