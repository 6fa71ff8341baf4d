"""The README's quick start is what CI runs, and its library examples run."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def quick_start() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the quick start has no sh code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_has_exactly_two_commands() -> None:
    commands = quick_start()
    assert len(commands) == 2
    install_and_run, install_and_test = commands
    assert install_and_run.startswith("pip install -e .")
    assert "newsprism compare examples/sample/*" in install_and_run
    assert "pytest" in install_and_test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert quick_start()[1] in ci


def test_the_demo_uses_only_shipped_files() -> None:
    sample = sorted(p.name for p in (ROOT / "examples" / "sample").iterdir())
    assert len(sample) >= 3
    assert {p.rsplit(".", 1)[1] for p in sample} >= {"txt", "html", "json"}


@pytest.mark.slow
def test_the_collection_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, re.S)
    example = next(b for b in blocks if "Collection(" in b)
    shutil.copytree(ROOT / "examples" / "sample", tmp_path / "examples" / "sample")
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})
    lines = (tmp_path / "news.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 4 and (tmp_path / "news.db").exists()
