"""``docs/cli.md`` is generated from the commands' help and must never go stale."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

from newsprism.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "gen_cli_docs.py"
DOC = ROOT / "docs" / "cli.md"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_cli_docs", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_up_to_date(gen: ModuleType) -> None:
    assert DOC.read_text(encoding="utf-8") == gen.render_cli_docs(), (
        "docs/cli.md is stale: run `python scripts/gen_cli_docs.py`"
    )


def test_reference_has_every_command_and_option(gen: ModuleType) -> None:
    text = gen.render_cli_docs()
    assert "## `newsprism`" in text
    assert "## `newsprism compare`" in text
    for option in ("--format", "--output", "--language", "--no-color", "--version", "--help"):
        assert option in text, option


def test_reference_matches_the_real_help(gen: ModuleType) -> None:
    """The generated help is the one users see (at the same width)."""
    runner = CliRunner()
    for args in ([], ["compare"]):
        result = runner.invoke(
            main, [*args, "--help"], prog_name="newsprism", terminal_width=gen.WIDTH
        )
        assert result.exit_code == 0
        block = f"```text\n{result.stdout.rstrip()}\n```"
        assert block in gen.render_cli_docs()
        assert block in DOC.read_text(encoding="utf-8")


@pytest.mark.parametrize("columns", ["40", "200"])
def test_check_mode_ignores_the_terminal_width(columns: str) -> None:
    check = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"],
        capture_output=True,
        text=True,
        env={"COLUMNS": columns, "PYTHONPATH": str(ROOT / "src")},
        check=False,
        timeout=120,
    )
    assert check.returncode == 0, check.stderr


def test_check_mode_fails_on_a_stale_file(tmp_path: Path) -> None:
    stale = tmp_path / "cli.md"
    stale.write_text("# old\n", encoding="utf-8")
    check = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--output", str(stale)],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(ROOT / "src")},
        check=False,
        timeout=120,
    )
    assert check.returncode == 1
    assert "out of date" in check.stderr
