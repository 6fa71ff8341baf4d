"""Tests of `newsprism eval language`: a tiny gold file, input shapes, and the real data."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli.main import main
from newsprism.errors import EvalDataError
from newsprism.evaluate.language import evaluate, load_texts, render
from newsprism.language import detect_language

TINY = Path(__file__).parent / "data" / "language_gold.jsonl"
DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SEMEVAL = DATA / "semeval2022-t8" / "es-fr.jsonl"
ECB = DATA / "ecbplus" / "topics-01-35.jsonl"
POLNEAR = DATA / "polnear"
needs_data = pytest.mark.skipif(not DATA.exists(), reason="../shared/data not present")


def test_tiny_gold_file_shapes_and_figures() -> None:
    result = evaluate(TINY)
    # 9 texts in the file: one duplicate and one blank text are left out.
    assert result["texts"] == 7
    assert result["accuracy"] == 1.0
    assert result["accuracy_first_100_chars"] == 1.0
    assert result["per_language"]["es"] == {
        "accuracy": 1.0,
        "accuracy_first_100_chars": 1.0,
        "n": 2,
    }
    assert set(result["per_language"]) == {"de", "en", "es", "fr", "ru", "sl"}
    assert result["titles"] == {"accuracy": 1.0, "n": 2}
    assert result["texts_per_second"] > 0
    json.dumps(result, allow_nan=False)  # JSON-ready, no NaN
    table = render(result)
    assert "all" in table and "100.00%" in table


def test_load_texts_reads_semeval_pairs_and_plain_rows() -> None:
    texts = load_texts(TINY)
    by_id = {t.id: t for t in texts}
    assert by_id["es-1/1"].language == "es"
    assert by_id["es-1/1"].title.startswith("El ayuntamiento")
    assert by_id["fr-1"].language == "fr"  # "lang": "fra" is normalised


def test_wrong_answers_are_counted_per_language() -> None:
    def always_english(text: str) -> str | None:
        return "en"

    result = evaluate(TINY, extractor=always_english)
    assert result["accuracy"] == pytest.approx(1 / 7, abs=1e-6)
    assert result["per_language"]["en"]["accuracy"] == 1.0
    assert result["per_language"]["de"]["accuracy"] == 0.0
    assert {"gold": "es", "predicted": "en", "n": 4} in result["confusions"]
    assert result["errors"][0]["predicted"] == "en"


def test_undetermined_counts_as_wrong() -> None:
    result = evaluate(TINY, extractor=lambda text: None, limit=3)
    assert result["texts"] == 3
    assert result["accuracy"] == 0.0
    assert result["undetermined"] == 3


def test_folder_of_text_files_named_after_its_language(tmp_path: Path) -> None:
    folder = tmp_path / "de"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Die Regierung hat am Donnerstag ein neues Gesetz über die Renten beschlossen.",
        encoding="utf-8",
    )
    assert evaluate(folder)["accuracy"] == 1.0
    other = tmp_path / "articles"
    other.mkdir()
    (other / "a.txt").write_text("Some English text about the weather.", encoding="utf-8")
    with pytest.raises(EvalDataError):
        evaluate(other)  # no language known
    assert evaluate(other, default_language="en")["texts"] == 1


@pytest.mark.parametrize(
    "content",
    ['{"text": "no language here"}\n', "not json\n", '["a list"]\n', '{"language": "en"}\n'],
)
def test_bad_rows_raise_typed_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalDataError) as info:
        evaluate(path)
    assert info.value.hint


def test_missing_data_raises(tmp_path: Path) -> None:
    with pytest.raises(EvalDataError):
        evaluate(tmp_path / "nothing.jsonl")


def test_cli_json_output() -> None:
    out = CliRunner().invoke(
        main, ["eval", "language", "--data", str(TINY), "--format", "json", "--limit", "4"]
    )
    assert out.exit_code == 0, out.output
    result = json.loads(out.output[out.output.index("{") :])
    assert result["texts"] == 4 and result["accuracy"] == 1.0


# -- the real data ----------------------------------------------------------------------


@pytest.mark.slow
@needs_data
def test_semeval_full_articles_meet_the_target() -> None:
    result = evaluate(SEMEVAL)
    assert result["texts"] > 1300
    assert result["accuracy"] >= 0.995
    assert result["accuracy_first_100_chars"] >= 0.98
    for code in ("es", "fr"):
        assert result["per_language"][code]["accuracy"] >= 0.995


@pytest.mark.slow
@needs_data
@pytest.mark.parametrize(
    "path",
    [ECB, POLNEAR / "dev" / "text"],
    ids=["ecbplus", "polnear-dev"],
)
def test_english_held_out_sets(path: Path) -> None:
    result = evaluate(path, default_language="en")
    assert result["accuracy"] >= 0.995
    assert result["accuracy_first_100_chars"] >= 0.9


def _every_third_wrong() -> Callable[[str], str | None]:
    calls = {"n": 0}

    def worse(text: str) -> str | None:
        calls["n"] += 1
        return "xx" if calls["n"] % 3 == 0 else detect_language(text)

    return worse


def test_worsened_extractor_scores_lower() -> None:
    good = evaluate(TINY)["accuracy"]
    bad = evaluate(TINY, extractor=_every_third_wrong())["accuracy"]
    assert bad < good
