"""The quality gate: real runs against the pinned baseline, a deliberate regression,
the floor rules on small baselines, the script, and the "floors only go up" history rule."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from newsprism.evaluate import TASKS, gate
from newsprism.evaluate.language import evaluate as evaluate_language
from newsprism.language import detect_language

ROOT = Path(__file__).resolve().parents[1]
BASELINE_PATH = ROOT / "quality" / "baseline.json"
BASELINE = gate.load_baseline(BASELINE_PATH)
DATA = ROOT / ".." / "shared" / "data"
SCRIPT = ROOT / "scripts" / "quality_gate.py"
TINY = "tests/data/language_gold.jsonl"
needs_data = pytest.mark.skipif(not DATA.exists(), reason="../shared/data not present")


def test_baseline_names_known_tasks_with_data() -> None:
    names = gate.tasks_of(BASELINE)
    assert names and {gate.task_module(BASELINE, n) for n in names} <= set(TASKS)
    for name in names:
        spec = BASELINE[name]
        assert isinstance(spec["data"], str) and not Path(spec["data"]).is_absolute()
        assert spec.get("limit") is None or spec["limit"] >= 1
        for metric in spec["metrics"].values():
            assert metric.get("noise", 0) >= 0
            if metric.get("floor") is not None and "measured" in metric:
                assert metric["measured"] >= metric["floor"] - metric.get("noise", 0)


# -- (a) the gate on the real dev data, one test per task whose module exists -----------


@pytest.mark.slow
@needs_data
@pytest.mark.parametrize("task", gate.tasks_of(BASELINE))
def test_gate_passes_on_dev_data(task: str) -> None:
    present, _ = gate.available_tasks([task], BASELINE)
    if not present:
        pytest.skip(f"newsprism.evaluate.{task} does not exist yet")
    results = gate.run_tasks(BASELINE, ROOT, [task])
    failures = gate.check(BASELINE, results)
    assert not failures, gate.table(gate.rows(BASELINE, results))


# -- (b) a deliberately worsened extractor fails the gate ------------------------------


@pytest.mark.slow
@needs_data
def test_gate_fails_on_worsened_language_extractor() -> None:
    calls = {"n": 0}

    def every_third_wrong(text: str) -> str | None:
        calls["n"] += 1
        if calls["n"] % 3 == 0:
            return "en" if detect_language(text) != "en" else "de"
        return detect_language(text)

    spec = BASELINE["language"]
    result = evaluate_language(ROOT / spec["data"], limit=300, extractor=every_third_wrong)
    failures = gate.check(BASELINE, {"language": result})
    failed = {f.metric for f in failures}
    assert "accuracy" in failed and "accuracy_first_100_chars" in failed
    accuracy = next(f for f in failures if f.metric == "accuracy")
    assert accuracy.measured is not None and accuracy.measured < 0.75
    assert "language.accuracy" in str(accuracy) and "below the floor" in str(accuracy)


# -- (c) the rules on small baselines ---------------------------------------------------


def small() -> dict[str, Any]:
    return {
        "quantities": {
            "data": "x.json",
            "limit": None,
            "metrics": {
                "value_f1": {"floor": 92.0, "measured": 93.4, "noise": 0.5},
                "per_kind.money.f1": {"floor": 80.0, "noise": 0.0},
                "unit_f1": {"floor": None, "noise": 1.0},
            },
        },
        "lowered": [],
    }


def test_check_passes_within_noise_and_fails_below() -> None:
    base = small()
    ok = {"quantities": {"value_f1": 91.6, "per_kind": {"money": {"f1": 80.0}}}}
    assert gate.check(base, ok) == []
    bad = {"quantities": {"value_f1": 91.4, "per_kind": {"money": {"f1": 79.9}}}}
    failures = gate.check(base, bad)
    assert [f.metric for f in failures] == ["value_f1", "per_kind.money.f1"]
    assert failures[0].floor == 92.0 and failures[0].measured == 91.4


def test_missing_metric_fails_but_unpinned_and_absent_tasks_do_not() -> None:
    base = small()
    failures = gate.check(base, {"quantities": {"per_kind": {"money": {"f1": 85.0}}}})
    assert [(f.metric, f.reason) for f in failures] == [("value_f1", "missing from results")]
    assert gate.check(base, {}) == []  # tasks that did not run are not checked
    rows = gate.rows(base, {"quantities": {"value_f1": 95.0, "per_kind.money.f1": 1}})
    unit = next(r for r in rows if r.metric == "unit_f1")
    assert unit.ok and unit.floor is None
    assert "NO" in gate.table(rows) and "value_f1" in gate.table(rows)


def test_update_raises_floors_and_pins_new_metrics() -> None:
    base = small()
    results = {"quantities": {"value_f1": 94.0, "per_kind": {"money": {"f1": 79.0}}, "unit_f1": 88}}
    new = gate.update(base, results)
    metrics = new["quantities"]["metrics"]
    assert metrics["value_f1"] == {"floor": 94.0, "measured": 94.0, "noise": 0.5}
    assert metrics["per_kind.money.f1"]["floor"] == 80.0  # never lowered silently
    assert metrics["per_kind.money.f1"]["measured"] == 79.0
    assert metrics["unit_f1"]["floor"] == 88.0
    assert new["lowered"] == [] and base == small()  # the input is not modified
    assert gate.unrecorded_lowerings(base, new) == []


def test_lowering_needs_a_reason_and_is_recorded() -> None:
    base = small()
    results = {"quantities": {"value_f1": 90.0, "per_kind": {"money": {"f1": 81.0}}}}
    with pytest.raises(ValueError):
        gate.update(base, results, allow_lower="  ")
    new = gate.update(base, results, allow_lower="new gold file", today=date(2025, 1, 2))
    assert new["quantities"]["metrics"]["value_f1"]["floor"] == 90.0
    assert new["lowered"] == [
        {
            "metric": "quantities.value_f1",
            "from": 92.0,
            "to": 90.0,
            "reason": "new gold file",
            "date": "2025-01-02",
        }
    ]
    assert gate.check(new, results) == []
    assert gate.unrecorded_lowerings(base, new) == []


def test_unrecorded_lowerings_are_found() -> None:
    base = small()
    lowered = small()
    lowered["quantities"]["metrics"]["value_f1"]["floor"] = 91.0
    del lowered["quantities"]["metrics"]["per_kind.money.f1"]
    problems = gate.unrecorded_lowerings(base, lowered)
    assert len(problems) == 2
    assert any("value_f1: floor lowered from 92 to 91" in p for p in problems)
    assert any("per_kind.money.f1: floor removed" in p for p in problems)
    lowered["lowered"] = [
        {"metric": "quantities.value_f1", "from": 92.0, "to": 91.0, "reason": "r", "date": "x"},
        {"metric": "quantities.per_kind.money.f1", "from": 80.0, "to": None, "reason": "r"},
    ]
    assert gate.unrecorded_lowerings(base, lowered) == []
    lowered["lowered"][0]["reason"] = ""  # a record without a reason does not count
    assert len(gate.unrecorded_lowerings(base, lowered)) == 1


# -- the rule on the real baseline file: floors never go down without a record ---------


def _committed_baseline(revision: str) -> dict[str, Any] | None:
    try:
        shown = subprocess.run(
            ["git", "show", f"{revision}:quality/baseline.json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if shown.returncode != 0:
        return None
    committed: dict[str, Any] = json.loads(shown.stdout)
    return committed


@pytest.mark.parametrize("revision", ["HEAD", "HEAD~1"])
def test_floors_never_lowered_without_a_record(revision: str) -> None:
    previous = _committed_baseline(revision)
    if previous is None:
        pytest.skip(f"no git history or no quality/baseline.json at {revision}")
    assert gate.unrecorded_lowerings(previous, BASELINE) == []


# -- the script ------------------------------------------------------------------------


def _script(baseline: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--baseline", str(baseline), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _tiny_baseline(tmp_path: Path, floor: float | None) -> Path:
    path = tmp_path / "baseline.json"
    spec = {"floor": floor, "noise": 0.01}
    baseline = {"language": {"data": TINY, "limit": None, "metrics": {"accuracy": spec}}}
    gate.save_baseline(path, baseline)
    return path


def test_script_passes_fails_updates_and_lowers(tmp_path: Path) -> None:
    path = _tiny_baseline(tmp_path, 0.5)
    run = _script(path, "--update")
    assert run.returncode == 0, run.stderr
    assert "language  accuracy" in run.stdout
    assert gate.load_baseline(path)["language"]["metrics"]["accuracy"]["floor"] == 1.0

    path = _tiny_baseline(tmp_path, 1.5)  # an impossible floor: the gate fails
    run = _script(path, "--update")
    assert run.returncode == 1 and "FAIL language.accuracy" in run.stdout
    assert gate.load_baseline(path)["language"]["metrics"]["accuracy"]["floor"] == 1.5

    run = _script(path, "--update", "--allow-lower", "floor was a typo")
    assert run.returncode == 0, run.stdout + run.stderr
    saved = gate.load_baseline(path)
    assert saved["language"]["metrics"]["accuracy"]["floor"] == 1.0
    assert saved["lowered"][0]["reason"] == "floor was a typo"
    assert saved["lowered"][0]["from"] == 1.5


def test_script_usage_errors(tmp_path: Path) -> None:
    path = _tiny_baseline(tmp_path, 0.5)
    assert _script(path, "--allow-lower", "reason").returncode == 2  # needs --update
    assert _script(path, "--tasks", "nonexistent").returncode == 2


def test_tasks_without_a_module_are_set_aside() -> None:
    present, missing = gate.available_tasks(["language", "no_such_task"])
    assert present == ["language"] and missing == ["no_such_task"]
    assert gate.tasks_of({"comment": "x", "language": {}, "lowered": []}) == ["language"]
