"""``newsprism eval attribution``: brat and JSONL gold, matching rules, PolNeAR dev floors."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli.main import main
from newsprism.errors import EvalDataError
from newsprism.evaluate.attribution import (
    DATA_HINT,
    evaluate,
    extract_quotes,
    read_brat,
    render,
    without_speakers,
)

DATA = Path(__file__).resolve().parent / "data"
BRAT = DATA / "attribution_brat"
MULTI = DATA / "multilingual" / "quotes.jsonl"
POLNEAR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "polnear"
KEYS = {
    "source_f1",
    "content_f1",
    "cue_f1",
    "exact_content_f1",
    "exact_source_f1",
    "source_precision",
    "source_recall",
    "content_precision",
    "content_recall",
    "articles_per_second",
    "articles",
    "gold_attributions",
    "predicted",
}


def _json_ready(result: dict[str, object]) -> None:
    text = json.dumps(result, allow_nan=False)
    assert json.loads(text) == result
    for value in result.values():
        if isinstance(value, float):
            assert math.isfinite(value)


def test_read_brat_merges_fragments_and_roles() -> None:
    ann = (
        "T1\tSource 0 3\tBob\nT2\tCue 4 8\tsaid\nT3\tContent 10 20;30 40\tx\n"
        "T4\tAttribution 4 8\tsaid\nE1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
        "T5\tContent 50 60\ty\nT6\tCue 61 64\tsay\nT7\tAttribution-no-source 61 64\tsay\n"
        "E2\tAttribution-no-source:T7 Content:T5 Cue:T6\n"
    )
    first, second = read_brat(ann)
    assert first.source == ((0, 3),)
    assert first.content == ((10, 20), (30, 40))
    assert second.source == () and second.cue == ((61, 64),)


def test_tiny_brat_folder_scores_perfectly() -> None:
    result = evaluate(BRAT)
    assert result.keys() >= KEYS
    assert result["articles"] == 1  # the second annotator's file is not read
    assert result["gold_attributions"] == 3
    assert result["source_f1"] == 1.0  # "she told": the pronoun, not its antecedent
    assert result["content_f1"] == 1.0
    assert result["cue_f1"] >= 0.6  # "told reporters on Tuesday" vs gold "told"
    _json_ready(result)
    table = render(result)
    assert "source" in table and "content" in table


def test_worse_extractor_scores_lower() -> None:
    good = evaluate(BRAT)
    bad = evaluate(BRAT, extractor=without_speakers(extract_quotes))
    assert bad["source_f1"] == 0.0 < good["source_f1"]
    assert bad["content_f1"] == good["content_f1"]
    nothing = evaluate(BRAT, extractor=lambda text, lang: ())
    assert nothing["content_f1"] == 0.0 and nothing["predicted"] == 0
    _json_ready(nothing)


def test_multilingual_jsonl_reports_each_language() -> None:
    result = evaluate(MULTI)
    assert set(result["languages"]) == {"de", "es", "fr", "ru"}
    for lang, figures in result["languages"].items():
        assert figures["gold_attributions"] == 12, lang
        assert figures["source_f1"] >= 0.9, lang
        assert figures["content_f1"] >= 0.9, lang
    assert "ru" in render(result)
    _json_ready(result)


def test_limit_and_missing_data(tmp_path: Path) -> None:
    assert evaluate(MULTI, limit=5)["articles"] == 5
    with pytest.raises(Exception, match="no such file"):
        evaluate(tmp_path / "absent")


def test_unusable_gold_data_says_what_to_pass(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError, match="no text/") as info:
        evaluate(tmp_path)
    assert info.value.hint == DATA_HINT and "PolNeAR" in DATA_HINT
    out = CliRunner().invoke(main, ["eval", "attribution", "--data", str(tmp_path)])
    assert out.exit_code == 2
    assert f"(hint: {DATA_HINT})" in out.output


@pytest.mark.slow
def test_polnear_dev_floors() -> None:
    dev = POLNEAR / "dev"
    if not dev.is_dir():
        pytest.skip("PolNeAR data not present beside the repository")
    result = evaluate(dev)
    assert result.keys() >= KEYS
    assert result["articles"] == 84
    assert result["gold_attributions"] > 2000
    assert result["source_f1"] >= 0.35
    assert result["content_f1"] >= 0.50
    assert result["cue_f1"] >= 0.43
    _json_ready(result)
