"""Tests of language identification on the seeds, full articles and short sentences."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from newsprism.language import (
    LangidLinguaDetector,
    LanguageDetector,
    LanguageOptions,
    default_detector,
    detect_language,
    normalise_code,
)

SHARED = Path(__file__).parents[2] / "shared"
SEEDS = SHARED / "seeds"
SEMEVAL = SHARED / "data" / "semeval2022-t8" / "es-fr.jsonl"


@pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds not present")
@pytest.mark.parametrize("name", ["000_74a54ece0d3d09c6.txt", "001_39bcee88d24a81fa.txt"])
def test_seeds_are_english(name: str) -> None:
    assert detect_language((SEEDS / name).read_text(encoding="utf-8")) == "en"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Rusia comenzó la movilización de reservistas.", "es"),
        ("La Russie a commencé la mobilisation des réservistes.", "fr"),
        ("Russland hat mit der Mobilisierung der Reservisten begonnen.", "de"),
        ("Россия начала мобилизацию резервистов.", "ru"),
        ("Росія почала мобілізацію резервістів.", "uk"),
        ("Rusija je začela z mobilizacijo rezervistov.", "sl"),
        ("Меня зовут Иван, я живу в Москве.", "ru"),
        ("Мене звати Іван, я живу в Києві.", "uk"),
        ("Vlada je sprejela nov zakon o davkih.", "sl"),
        ("Il governo ha approvato la nuova legge.", "it"),
        ("O governo aprovou a nova lei ontem à noite.", "pt"),
        ("The government approved the new law on Thursday.", "en"),
    ],
)
def test_short_sentences(text: str, code: str) -> None:
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "Kremlin", "Photo: Reuters", "12,000 — 300 000 %", "OK"])
def test_too_short_or_no_letters_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_urls_and_numbers_are_ignored() -> None:
    text = "https://www.example.com/2022/09/22/a-b-c 1234567 98765 https://t.co/xyz"
    assert detect_language(text) is None


def test_low_confidence_is_none() -> None:
    strict = LangidLinguaDetector(LanguageOptions(min_confidence=0.95, sure=0.9))
    assert strict.detect("Ja, nein, vielleicht doch.") is None
    article = "Moscow began its mobilisation of additional troops on Thursday. " * 20
    assert strict.detect(article) == "en"


def test_restricted_languages() -> None:
    only = LangidLinguaDetector(LanguageOptions(languages=frozenset({"en", "de"})))
    assert only.detect("Russland hat mit der Mobilisierung der Reservisten begonnen.") == "de"
    assert only.detect("Rusia comenzó la movilización de reservistas ayer.") in {"en", "de", None}


def test_protocol_and_injection() -> None:
    class Fixed:
        def detect(self, text: str) -> str | None:
            return "xx"

    assert isinstance(default_detector(), LanguageDetector)
    assert default_detector() is default_detector()
    assert detect_language("anything at all, long enough to count", Fixed()) == "xx"


def test_normalise_code() -> None:
    assert normalise_code("EN") == "en"
    assert normalise_code("en-US") == "en"
    assert normalise_code("pt_BR") == "pt"
    assert normalise_code("slv") == "sl"
    assert normalise_code("") is None and normalise_code(None) is None
    assert normalise_code("not a code") is None


@pytest.mark.slow
@pytest.mark.skipif(not SEMEVAL.exists(), reason="shared/data not present")
def test_accuracy_on_full_articles() -> None:
    """Spanish and French news articles of SemEval-2022 Task 8 (first 300 texts)."""
    items: list[tuple[str, str]] = []
    with SEMEVAL.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            for side in ("1", "2"):
                if len(row[f"text{side}"]) >= 300:
                    items.append((row[f"lang{side}"], row[f"text{side}"]))
            if len(items) >= 300:
                break
    right = sum(detect_language(text) == gold for gold, text in items)
    assert right / len(items) >= 0.995


def test_detects_in_a_fresh_interpreter() -> None:
    """A fresh interpreter detects an English article (models load lazily)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from newsprism.language import detect_language;"
        "print(detect_language(sys.argv[2]))"
    )
    text = "Moscow began its mobilisation of additional troops on Thursday. " * 20
    src = str(Path(__file__).parents[1] / "src")
    out = subprocess.run(
        [sys.executable, "-c", code, src, text], capture_output=True, text=True, check=True
    )
    assert out.stdout.split()[0] == "en"
