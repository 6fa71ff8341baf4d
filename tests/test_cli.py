"""The ``newsprism`` command in process (click's runner): formats, options, usage errors.

Models are loaded once per process, so after the first compare every run is quick; the
JSON report of the sample articles is computed once and shared.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import newsprism
from newsprism.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted(str(p) for p in (ROOT / "examples" / "sample").iterdir())
PAIR = [
    str(ROOT / "examples/sample/en-harbour-post.txt"),
    str(ROOT / "examples/sample/es-diario-costa.html"),
]
ANSI = re.compile(r"\x1b\[[0-9;]*m")
REPORT_KEYS = {"articles", "facts", "entities", "quotes", "quantities"}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), prog_name="newsprism")


@pytest.fixture(scope="module")
def json_run() -> Result:
    return invoke("compare", "--format", "json", *SAMPLES)


@pytest.fixture(scope="module")
def report(json_run: Result) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json_run.stdout)
    return data


class _Checker(HTMLParser):
    """Collects tags and fails on unbalanced ones (void elements aside)."""

    VOID = frozenset(
        [
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        ]
    )

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.seen: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.add(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


# --- formats --------------------------------------------------------------------------------


@pytest.mark.slow
def test_json_report(json_run: Result, report: dict[str, Any]) -> None:
    assert json_run.exit_code == 0, json_run.stderr
    assert report.keys() >= REPORT_KEYS
    ids = {a["id"] for a in report["articles"]}
    assert ids == {Path(p).stem for p in SAMPLES}
    assert report["facts"] and report["entities"] and report["quotes"] and report["quantities"]
    assert report["failures"] == []
    # Standard error holds only warnings (German has no NER model).
    assert all(line.startswith("warning: ") for line in json_run.stderr.splitlines())


@pytest.mark.slow
def test_markdown_report() -> None:
    result = invoke("compare", "--format", "md", *PAIR)
    assert result.exit_code == 0, result.stderr
    headings = [line for line in result.stdout.splitlines() if line.startswith("#")]
    assert headings[0] == "# Coverage diff"
    for heading in ("## Articles", "## Conflicts", "## Entities", "## Quotes"):
        assert any(h.startswith(heading) for h in headings), (heading, headings)


@pytest.mark.slow
def test_html_report_to_file(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = invoke("compare", "--format", "html", "-o", str(out), *PAIR)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    checker = _Checker()
    checker.feed(out.read_text(encoding="utf-8"))
    checker.close()
    assert checker.stack == []
    assert {"html", "head", "body", "title"} <= checker.seen
    page = out.read_text(encoding="utf-8")  # the story view of `serve`, self-contained
    for section in ("conflicts", "shared", "unique", "matrix", "entities", "quotes", "timeline"):
        assert f'id="{section}"' in page
    assert "<script" not in page and ' src="http' not in page and "<link" not in page


@pytest.mark.slow
def test_html_report_is_the_library_page(tmp_path: Path) -> None:
    """One HTML renderer: `compare --format html` writes what `render(coverage, "html")`
    returns for the same articles."""
    out = tmp_path / "sample.html"
    result = invoke("compare", "--format", "html", "-o", str(out), *SAMPLES)
    assert result.exit_code == 0, result.stderr
    coverage = newsprism.compare_paths([Path(p) for p in SAMPLES])
    page = newsprism.render(coverage, "html")
    assert out.read_text(encoding="utf-8") == page
    assert page.count('<article class="fact ') == len(coverage.facts) > 0


@pytest.mark.slow
def test_text_report_no_color() -> None:
    result = invoke("compare", "--no-color", *PAIR)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("newsprism coverage diff")
    assert "\x1b" not in result.stdout
    assert "en-harbour-post" in result.stdout and "es-diario-costa" in result.stdout


@pytest.mark.slow
def test_text_report_color_is_kept_when_asked() -> None:
    result = invoke("compare", "--color", *PAIR)
    assert result.exit_code == 0, result.stderr
    assert ANSI.search(result.stdout)
    assert "newsprism coverage diff" in ANSI.sub("", result.stdout)


@pytest.mark.slow
def test_language_is_forced(tmp_path: Path) -> None:
    out = tmp_path / "forced.json"
    result = invoke("compare", "--format", "json", "--language", "EN-gb", "-o", str(out), *PAIR)
    assert result.exit_code == 0, result.stderr
    articles = json.loads(out.read_text(encoding="utf-8"))["articles"]
    assert [a["language"] for a in articles] == ["en", "en"]


@pytest.mark.slow
def test_detected_languages(report: dict[str, Any]) -> None:
    languages = {a["id"]: a["language"] for a in report["articles"]}
    assert languages == {
        "de-kuestenbote": "de",
        "en-harbour-post": "en",
        "es-diario-costa": "es",
        "fr-le-littoral": "fr",
    }


# --- usage errors (no compare runs) ---------------------------------------------------------


def test_unknown_format_is_usage_error() -> None:
    result = invoke("compare", "--format", "pdf", *PAIR)
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr
    assert result.stdout == ""


def test_bad_language_is_usage_error() -> None:
    result = invoke("compare", "--language", "English", *PAIR)
    assert result.exit_code == 2
    assert "not an ISO 639 language code" in result.stderr


def test_no_files_is_usage_error() -> None:
    result = invoke("compare")
    assert result.exit_code == 2
    assert "Missing argument 'FILES...'" in result.stderr


def test_output_must_not_be_a_directory(tmp_path: Path) -> None:
    result = invoke("compare", "-o", str(tmp_path), *PAIR)
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


@pytest.mark.slow
def test_unwritable_output_is_reported(tmp_path: Path) -> None:
    result = invoke("compare", "-o", str(tmp_path / "missing-dir" / "out.txt"), PAIR[0])
    assert result.exit_code == 2
    assert "error: cannot write" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_unknown_command() -> None:
    result = invoke("diff", *PAIR)
    assert result.exit_code == 2
    assert "No such command 'diff'" in result.stderr


# --- help and version -----------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(flag: str) -> None:
    result = invoke(flag)
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: newsprism [OPTIONS] COMMAND [ARGS]...")
    assert "compare" in result.stdout


def test_compare_help_lists_options() -> None:
    result = invoke("compare", "--help")
    assert result.exit_code == 0
    for option in ("--format", "-o, --output", "--language", "--color / --no-color"):
        assert option in result.stdout, option
    for fmt in ("text", "json", "md", "html"):
        assert fmt in result.stdout


def test_version() -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"newsprism, version {newsprism.__version__}"
