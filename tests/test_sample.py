"""The shipped sample story against its reader's annotation (examples/sample-EXPECTED.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from newsprism.pipeline.run import compare_paths
from newsprism.report import coverage_to_dict

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "examples" / "sample"
EXPECTED = ROOT / "examples" / "sample-EXPECTED.md"
ARTICLE = {
    "en": "en-harbour-post",
    "es": "es-diario-costa",
    "fr": "fr-le-littoral",
    "de": "de-kuestenbote",
}

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class GoldFact:
    name: str
    status: str
    optional: bool
    sentences: tuple[tuple[str, str], ...]  # (article id, sentence)


def _norm(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def gold_facts() -> list[GoldFact]:
    text = EXPECTED.read_text(encoding="utf-8")
    facts = []
    for section in re.split(r"\n### ", text)[1:]:
        head = section.split("\n", 1)[0]
        m = re.search(r"\((agreed|compatible|conflict)", head)
        status = m.group(1) if m else "agreed"
        body = section.split("\n## ", 1)[0]
        sentences = tuple(
            (ARTICLE[lang], _norm(max(re.findall(r"`([^`]+)`", line), key=len)))
            for lang, line in re.findall(r"^- (en|es|fr|de)\b(.*)$", body, re.M)
        )
        facts.append(GoldFact(head.split(":")[0], status, "optional" in head, sentences))
    return facts


def gold_unique() -> list[tuple[str, str]]:
    text = EXPECTED.read_text(encoding="utf-8")
    section = text.split("## Unique facts", 1)[1].split("\n## ", 1)[0]
    return [
        (ARTICLE[lang], _norm(s))
        for lang, s in re.findall(r"^- U-(en|es|fr|de)-\d+[^`\n]*`([^`]+)`", section, re.M)
    ]


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    return coverage_to_dict(compare_paths(sorted(SAMPLE.iterdir())))


def fact_of(report: dict[str, Any], article: str, sentence: str) -> dict[str, Any]:
    for fact in report["facts"]:
        for st in fact["statements"]:
            if st["article"] == article and _norm(st["text"]) == sentence:
                return fact
    raise AssertionError(f"no statement {sentence!r} in {article}")


def test_the_gold_file_parses() -> None:
    facts = gold_facts()
    assert len(facts) >= 10 and len(gold_unique()) >= 10
    assert [f.status for f in facts].count("conflict") == 1


def test_all_four_articles_are_read(report: dict[str, Any]) -> None:
    langs = {a["id"]: a["language"] for a in report["articles"]}
    assert langs == {v: k for k, v in ARTICLE.items()}
    assert not report["failures"]


@pytest.mark.parametrize("gold", [f for f in gold_facts() if not f.optional], ids=lambda f: f.name)
def test_shared_fact_found_with_its_status(report: dict[str, Any], gold: GoldFact) -> None:
    """Each fact two outlets report is found: at least two of its sentences,
    from different outlets, are one fact with the expected status."""
    found = {}
    for article, sentence in gold.sentences:
        fact = fact_of(report, article, sentence)
        found.setdefault(fact["id"], (fact, set()))[1].add(article)
    best, articles = max(found.values(), key=lambda fa: len(fa[1]))
    assert len(articles) >= 2, f"{gold.name}: sources not aligned ({found.keys()})"
    assert best["status"] == gold.status, best


def test_exactly_one_conflict_the_fertiliser_tonnage(report: dict[str, Any]) -> None:
    conflicts = [f for f in report["facts"] if f["status"] == "conflict"]
    assert len(conflicts) == 1
    texts = " ".join(s["text"] for s in conflicts[0]["statements"])
    assert "400" in texts and "2 000" in texts.replace("\u00a0", " ")
    assert "400" in conflicts[0]["reason"]


# Known miss, kept visible: the sentence embedding puts "Norvane said it
# cooperates fully" (es) next to a French statement about another matter.
KNOWN_MISALIGNED = {("es-diario-costa", "Norvane Logistics aseguró")}


def _unique_cases() -> list[Any]:
    cases = []
    for article, sentence in gold_unique():
        known = any(article == a and sentence.startswith(p) for a, p in KNOWN_MISALIGNED)
        marks = [pytest.mark.xfail(strict=True, reason="known misalignment")] if known else []
        cases.append(pytest.param(article, sentence, marks=marks, id=f"{article}:{sentence[:25]}"))
    return cases


@pytest.mark.parametrize("article,sentence", _unique_cases())
def test_one_source_fact_is_unique(report: dict[str, Any], article: str, sentence: str) -> None:
    fact = fact_of(report, article, sentence)
    assert (fact["status"], fact["sources"]) == ("unique", [article])


def test_name_variants(report: dict[str, Any]) -> None:
    def entity(*variants: str) -> dict[str, Any]:
        hits = [e for e in report["entities"] if set(variants) <= set(e["variants"])]
        assert len(hits) == 1, (variants, hits)
        return hits[0]

    mayor = entity("Katarzyna Wójcik", "Katarzyna Wojcik", "Wojcik")
    chief = entity("Oleksandr Kovalenko", "Aleksandr Kovalenko", "Kowalenko", "Kovalenko")
    city = entity("Kastrena", "Kastrëna")
    assert mayor["type"] == chief["type"] == "PERSON"
    assert set(chief["articles"]) == set(ARTICLE.values())
    assert set(city["articles"]) >= {"en-harbour-post", "fr-le-littoral", "de-kuestenbote"}


def test_the_mayors_quote_in_two_translations_is_one_fact(report: dict[str, Any]) -> None:
    mayor = [e["id"] for e in report["entities"] if "Katarzyna Wójcik" in e["variants"]]
    quotes = [q for q in report["quotes"] if q["speaker_entity"] in mayor]
    by_article = {q["article"]: q for q in quotes if q["direct"]}
    assert {"en-harbour-post", "es-diario-costa"} <= set(by_article)
    en, es = by_article["en-harbour-post"], by_article["es-diario-costa"]
    assert en["fact"] == es["fact"] is not None
    assert en["speaker_entity"] == es["speaker_entity"]
