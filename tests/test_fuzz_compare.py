"""The compare-pipeline fuzzer: its inputs are deterministic and varied, and a bounded
run with a fixed seed gives no crash and no internal error."""

from __future__ import annotations

import importlib.util
import random
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "fuzz_compare.py"

#: The bounded run of the test suite (docs/robustness.md gives its figures).
BOUNDED_COUNT = 90
BOUNDED_SEED = 0


@pytest.fixture(scope="module")
def fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fuzz_compare", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_compare"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_inputs_are_deterministic_and_varied(fuzz: ModuleType) -> None:
    articles = fuzz.sample_articles()
    assert len(articles) == 4 and all(a.text and a.language for a in articles)
    assert fuzz.generate(random.Random(3), articles) == fuzz.generate(random.Random(3), articles)
    rng = random.Random(11)
    groups = [fuzz.generate(rng, articles) for _ in range(200)]
    assert {len(g) for g in groups} == {2, 3}
    texts = {a.text for g in groups for a in g}
    assert len(texts) >= 350
    assert "" in texts  # titles only
    assert any("\u200f" in t or "\u202e" in t or "\u2067" in t for t in texts)  # RTL marks
    assert any("\u0301" in t for t in texts)  # combining marks
    assert any(any(ord(c) > 0xFFFF for c in t) for t in texts)  # astral characters
    assert not any(any(0xD800 <= ord(c) <= 0xDFFF for c in t) for t in texts)  # no surrogates
    assert any(len(max(t.split(), key=len, default="")) >= 200 for t in texts)  # long tokens


@pytest.mark.slow
def test_bounded_run_has_no_crash_and_no_internal_error(fuzz: ModuleType) -> None:
    started = time.perf_counter()
    report = fuzz.fuzz(BOUNDED_COUNT, BOUNDED_SEED)
    assert report.runs == BOUNDED_COUNT
    assert report.crashes == 0 and report.internal_errors == 0, report.kinds
    assert report.kinds == {}
    assert time.perf_counter() - started < 400
