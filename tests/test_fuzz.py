"""The fuzz script: a small run finds no crash, and the harness does report crashes."""

from __future__ import annotations

import importlib.util
import json
import random
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "fuzz_readers.py"


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_readers", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_readers"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_small_run_finds_no_crash(tmp_path: Path) -> None:
    args = ["--count", "500", "--seed", "7", "--format", "json", "--out", str(tmp_path / "c")]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(done.stdout)
    assert report["distinct"] == [], report["distinct"]
    assert done.returncode == 0
    assert report["inputs"] == 500 and report["crashes"] == 0
    assert report["read_ok"] > 50  # mutations leave many inputs readable
    assert "Traceback" not in done.stderr and "WARNING" not in done.stderr


def test_inputs_are_deterministic_and_varied(fuzz: ModuleType) -> None:
    docs = fuzz.seed_documents()
    assert fuzz.generate(random.Random(3), docs) == fuzz.generate(random.Random(3), docs)
    rng = random.Random(11)
    inputs = [fuzz.generate(rng, docs) for _ in range(300)]
    assert len({ext for ext, _ in inputs}) >= 10
    assert len({data for _, data in inputs}) >= 290


def test_harness_reports_crashes_with_reproducers(fuzz: ModuleType, tmp_path: Path) -> None:
    def fragile(path: Path, data: bytes) -> object:
        if len(data) % 3 == 0:
            raise ValueError("boom")
        return None

    report = fuzz.fuzz(60, 1, 5.0, {"read_file": fragile})
    assert report.crash_count > 0
    (crash,) = fuzz.save(report, tmp_path)
    assert crash["crash"].startswith("read_file: ValueError at test_fuzz.py:")
    assert Path(crash["file"]).read_bytes() and "read_file(" in crash["reproduce"]


def test_hangs_count_as_crashes(fuzz: ModuleType) -> None:
    def slow(path: Path, data: bytes) -> object:
        while True:
            pass

    report = fuzz.fuzz(2, 1, 0.05, {"clean_text": slow})
    assert report.crash_count == 2
    assert next(iter(report.crashes)).startswith("clean_text: Timeout")
