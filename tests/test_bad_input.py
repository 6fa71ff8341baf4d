"""Bad input end to end: the real command on a batch mixing good and broken files.

Every broken file must give one ``failed: <path>: <reason>`` line on standard error and
no traceback; the good files (including a legacy-encoded one, a repaired mojibake one
and one in a language without an NER model) are still compared.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsprism.cli.main import main
from newsprism.errors import FileTooLarge
from newsprism.read import ReadOptions, read_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample"
GOOD = [SAMPLE / "en-harbour-post.txt", SAMPLE / "es-diario-costa.html"]

RUSSIAN = (
    "Пожар уничтожил склад удобрений в порту\n\n"
    "Во вторник вечером в порту Кастрена загорелся склад компании Norvane Logistics. "
    "По словам пожарных, на складе хранилось около 300 тонн аммиачной селитры. "
    "Около 60 пожарных боролись с огнём девять часов, двое из них получили лёгкие травмы. "
    "Более 120 жителей соседних улиц были эвакуированы в спортивный зал. "
    "Мэр города пообещала провести независимую проверку безопасности порта."
)
POLISH = (
    "Pożar magazynu nawozów w porcie\n\n"
    "We wtorek wieczorem w porcie Kastrena spłonął magazyn firmy Norvane Logistics. "
    "Według strażaków w magazynie znajdowało się około 300 ton saletry amonowej. "
    "Z ogniem walczyło około 60 strażaków, a dwóch z nich zostało lekko rannych. "
    "Ponad 120 mieszkańców pobliskich ulic ewakuowano na noc do hali sportowej. "
    "Burmistrz miasta zapowiedziała niezależną kontrolę bezpieczeństwa w porcie."
)
FRENCH = (
    "Incendie géant sur le quai Est\n\n"
    "Un entrepôt d'engrais a été détruit mardi soir par un incendie à Kastrëna. "
    "Selon les pompiers, près de 300 tonnes de nitrate d'ammonium y étaient stockées. "
    "Quelque 60 pompiers ont été mobilisés et il a fallu neuf heures pour maîtriser "
    "les flammes. Plus de 120 riverains ont été évacués vers un gymnase municipal."
)
JSON_GOOD = {
    "id": "jsonl-good",
    "title": "Fire at the port",
    "language": "en",
    "text": (
        "A fertiliser warehouse on the East Quay of Kastrena burned down on Tuesday night. "
        "About 60 firefighters fought the blaze for nine hours. "
        "More than 120 residents were evacuated to a sports hall."
    ),
}


@dataclass(frozen=True)
class Batch:
    """Paths of one batch: ``bad`` maps each broken file to a word its reason must contain."""

    good: list[Path]
    bad: dict[Path, str]
    jsonl: Path


def make_bad(tmp: Path) -> dict[Path, str]:
    """Files that cannot be read at all, with a word their failure reason must contain."""
    rng = random.Random(7)
    bad: dict[Path, str] = {}
    bad[tmp / "missing.txt"] = "not found"
    (tmp / "empty.txt").write_bytes(b"")
    bad[tmp / "empty.txt"] = "empty"
    (tmp / "blank.txt").write_text(" \n\t \r\n  \n", encoding="utf-8")
    bad[tmp / "blank.txt"] = "empty"
    (tmp / "image.txt").write_bytes(
        b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4096))
    )
    bad[tmp / "image.txt"] = "binary"
    (tmp / "noise.txt").write_bytes(bytes(range(128, 256)) * 8)
    bad[tmp / "noise.txt"] = "decode"
    (tmp / "notext.json").write_text(
        json.dumps({"title": "No body", "url": "https://example.org/a"}), encoding="utf-8"
    )
    bad[tmp / "notext.json"] = "'text'"
    (tmp / "folder.txt").mkdir()
    bad[tmp / "folder.txt"] = "directory"
    with (tmp / "huge.txt").open("wb") as handle:  # sparse: above the 20 MB default cap
        handle.truncate(ReadOptions().max_bytes + 1_000_000)
    bad[tmp / "huge.txt"] = "too large"
    return bad


def make_batch(tmp: Path) -> Batch:
    (tmp / "ru-cp1251.txt").write_bytes(RUSSIAN.encode("cp1251"))
    mojibake = FRENCH.encode("utf-8").decode("cp1252", errors="replace")
    assert "Ã©" in mojibake
    (tmp / "fr-mojibake.txt").write_text(mojibake, encoding="utf-8")
    (tmp / "pl-no-ner.txt").write_text(POLISH, encoding="utf-8")
    jsonl = tmp / "mixed.jsonl"
    jsonl.write_text('{"id": "broken", "text": "unterminated\n' + json.dumps(JSON_GOOD) + "\n")
    good = [*GOOD, tmp / "ru-cp1251.txt", tmp / "fr-mojibake.txt", tmp / "pl-no-ner.txt", jsonl]
    return Batch(good, make_bad(tmp), jsonl)


def run_cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "newsprism", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def mixed(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Batch, subprocess.CompletedProcess[str]]:
    batch = make_batch(tmp_path_factory.mktemp("mixed"))
    order = [*batch.good[:2], *batch.bad, *batch.good[2:]]
    return batch, run_cli("compare", "--format", "json", *order)


@pytest.mark.slow
def test_mixed_batch_exit_code_and_no_traceback(
    mixed: tuple[Batch, subprocess.CompletedProcess[str]],
) -> None:
    _, proc = mixed
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Traceback" not in proc.stdout
    assert "internal error" not in proc.stderr


@pytest.mark.slow
def test_one_failed_line_per_bad_file(
    mixed: tuple[Batch, subprocess.CompletedProcess[str]],
) -> None:
    batch, proc = mixed
    failed = [line for line in proc.stderr.splitlines() if line.startswith("failed: ")]
    for path, reason in batch.bad.items():
        lines = [line for line in failed if line.startswith(f"failed: {path}: ")]
        assert len(lines) == 1, (path, failed)
        assert reason in lines[0].lower(), lines[0]
    # The broken JSONL line is reported once, with its line number; the good record is read.
    broken = [line for line in failed if line.startswith(f"failed: {batch.jsonl}: ")]
    assert len(broken) == 1 and "line 1" in broken[0], failed
    assert len(failed) == len(batch.bad) + 1, failed
    for path in batch.good[:-1]:
        assert not any(str(path) in line for line in failed), path


@pytest.mark.slow
def test_good_files_are_compared(mixed: tuple[Batch, subprocess.CompletedProcess[str]]) -> None:
    batch, proc = mixed
    report = json.loads(proc.stdout)
    by_path = {a["path"]: a for a in report["articles"]}
    for path in batch.good:
        assert str(path) in by_path, (path, sorted(by_path))
    assert by_path[str(batch.jsonl)]["id"] == "jsonl-good"
    assert report["facts"], "no facts from the good files"
    assert {f["status"] for f in report["facts"]} & {"agreed", "compatible", "conflict"}
    assert len(report["failures"]) == len(batch.bad) + 1
    assert report["summary"]["failed"] == len(batch.bad) + 1


@pytest.mark.slow
def test_legacy_encodings_read_and_repaired(
    mixed: tuple[Batch, subprocess.CompletedProcess[str]],
) -> None:
    batch, proc = mixed
    by_path = {a["path"]: a for a in json.loads(proc.stdout)["articles"]}
    russian = by_path[str(batch.good[2])]
    assert russian["language"] == "ru"
    assert russian["title"] == RUSSIAN.split("\n", 1)[0]
    french = by_path[str(batch.good[3])]
    assert french["language"] == "fr"
    assert french["title"] == FRENCH.split("\n", 1)[0]
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    assert any(str(batch.good[3]) in w and "mojibake" in w for w in warnings), warnings
    assert not any(str(batch.good[2]) in w for w in warnings), warnings


@pytest.mark.slow
def test_language_without_ner_model_warns(
    mixed: tuple[Batch, subprocess.CompletedProcess[str]],
) -> None:
    batch, proc = mixed
    polish = next(a for a in json.loads(proc.stdout)["articles"] if a["id"] == "pl-no-ner")
    assert polish["language"] == "pl"
    assert polish["sentences"] >= 4
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning: ")]
    assert any(str(batch.good[4]) in w and "no NER model" in w for w in warnings), warnings


def test_all_inputs_bad_exit_2(tmp_path: Path) -> None:
    bad = make_bad(tmp_path)
    proc = run_cli("compare", *bad)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""
    assert "error: no article could be read; nothing to compare" in proc.stderr
    failed = [line for line in proc.stderr.splitlines() if line.startswith("failed: ")]
    assert len(failed) == len(bad)


def test_no_files_is_usage_error() -> None:
    proc = run_cli("compare")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "Missing argument" in proc.stderr


@pytest.mark.slow
def test_only_good_inputs_exit_0() -> None:
    result = CliRunner().invoke(main, ["compare", "--no-color", *map(str, GOOD)])
    assert result.exit_code == 0, result.stderr
    assert "failed:" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "en-harbour-post" in result.stdout and "es-diario-costa" in result.stdout


def test_size_cap_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Title\n\n" + "A sentence about the fire at the port. " * 100, "utf-8")
    assert read_file(path, ReadOptions(detect_language=False)).articles
    with pytest.raises(FileTooLarge, match=r"big\.txt: file too large") as info:
        read_file(path, ReadOptions(max_bytes=1000))
    assert info.value.hint
