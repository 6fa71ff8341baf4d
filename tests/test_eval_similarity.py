"""Tests of `eval similarity`: input checks, grouped folds, and the real SemEval file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsprism.errors import EvalDataError
from newsprism.evaluate import task
from newsprism.evaluate.similarity import (
    _folds,
    load_pairs,
    pair_groups,
    pearson,
)

DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
SEMEVAL = DATA / "semeval2022-t8" / "es-fr.jsonl"
needs_data = pytest.mark.skipif(
    not SEMEVAL.exists(), reason="../shared/data/semeval2022-t8/es-fr.jsonl not present"
)


def test_groups_join_pairs_that_share_an_article() -> None:
    groups = pair_groups([("a", "b"), ("c", "d"), ("b", "e"), ("f", "f")])
    assert groups[0] == groups[2] != groups[1]
    assert len(set(groups)) == 3
    folds = _folds([0, 0, 0, 1, 2, 2, 3], 2)
    assert folds[0] == folds[1] == folds[2] and folds[4] == folds[5]


def test_pearson_edge_cases() -> None:
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) == 0.0


@pytest.mark.parametrize(
    "content", ["not json\n", '{"text1": "a", "text2": "b"}\n', '{"scores": {"Tone": 1}}\n']
)
def test_bad_rows_raise_typed_errors(tmp_path: Path, content: str) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(EvalDataError) as info:
        load_pairs(path)
    assert info.value.hint


@pytest.mark.slow
@needs_data
def test_first_60_pairs_of_the_real_file() -> None:
    evaluate, render = task("similarity")
    result = evaluate(SEMEVAL, limit=60)
    assert result["pairs"] == 60
    for key in (
        "pearson_overall",
        "pearson_overall_cv",
        "pearson_overall_baseline_cosine",
        "pairs_per_second",
        *(f"pearson_{d}" for d in ("geography", "entities", "time", "narrative", "style", "tone")),
    ):
        assert key in result, key
    assert result["pearson_overall"] > 0.5
    assert result["pairs_per_second"] > 0
    json.dumps(result, allow_nan=False)
    assert "overall" in render(result)
