"""The parser behind the quotes stage: fast attributes, cue pre-selection, batching."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsprism.entities import annotate_entities
from newsprism.model import Article
from newsprism.quotes.attribution import CUE_LEMMAS, parse_cues
from newsprism.quotes.finder import annotate_quotes_batch, find_quotes, find_quotes_batch
from newsprism.quotes.parser import Parser, cue_units, parse_units, parser_for
from newsprism.sentences import annotate_sentences

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"

TEXT = (
    "Senator Jane Doe, who chairs the committee, said on Tuesday that the plan would fail.\n"
    "“We can't support it,” she told reporters. “It is gonna cost too much.”\n"
    "According to the ministry, 40 people were killed. Critics accused Smith of lying, "
    "and the campaign wanted to move on. There's a vote in the State Department's view.\n"
    "The governor thought the bill sought too much, and wrote that he had known it."
)


@pytest.fixture(scope="module")
def parser() -> Parser:
    found = parser_for("en")
    if found is None:
        pytest.skip("no English parser model installed")
    return found


def _article(text: str) -> Article:
    return annotate_entities(annotate_sentences(Article(id="t", text=text, language="en")))


def test_attributes_match_the_full_pipeline(parser: Parser) -> None:
    fast = parser(TEXT)
    full: Any = parser._nlp(TEXT)  # every component, attribute ruler and lemmatizer included
    assert [t.text for t in fast] == [t.text for t in full]
    for x, y in zip(fast, full, strict=True):
        assert (x.pos_, x.tag_, x.dep_, x.head.i) == (y.pos_, y.tag_, y.dep_, y.head.i), x.text
        if y.pos_ in ("VERB", "AUX") and y.lemma_.lower() in CUE_LEMMAS:
            assert x.lemma_ == y.lemma_
    assert [c.cue for c in parse_cues(fast)] == [c.cue for c in parse_cues(full)]


def test_may_cue_knows_inflections_and_according(parser: Parser) -> None:
    for text in ("He said so.", "They TOLD us", "she thought", "it sought", "According to X"):
        assert parser.may_cue(text), text
    assert not parser.may_cue("The price of oil rose by 3% on Monday.")
    assert not parser.may_cue("")


def test_cue_units_keep_quotes_whole_and_lines_apart() -> None:
    text = "“One. Two,” he said. Next one.\nNew line here."
    starts = [0, 6, 21, 31]  # a sentence split inside the quotation at 6
    units = cue_units(text, starts, [(0, 11)])
    assert [text[a:b] for a, b in units] == ["“One. Two,” he said.", "Next one.", "New line here."]
    assert [text[a:b] for a, b in cue_units(text, [], [])] == [
        "“One. Two,” he said. Next one.",
        "New line here.",
    ]


def test_parse_units_offsets_point_into_the_text(parser: Parser) -> None:
    texts = [TEXT, "Nothing here.\nThe mayor said the road will reopen in May."]
    jobs = [(t, cue_units(t, [], []), []) for t in texts]
    found = parse_units(parser, jobs)
    assert len(found) == 2
    for text, cues in zip(texts, found, strict=True):
        assert cues
        for c in cues:
            assert text[c.cue[0] : c.cue[1]] == c.cue_text
    (only,) = found[1]
    assert texts[1][only.content[0] : only.content[1]] == "the road will reopen in May"
    settled = [(0, len(texts[1]))]  # all attributed already: nothing to parse
    assert parse_units(parser, [(texts[1], cue_units(texts[1], [], []), settled)]) == [[]]


def test_batch_gives_the_same_quotes_as_one_by_one() -> None:
    arts = [_article(TEXT), _article("No quotes at all here."), _article("")]
    arts += [_article(p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    single = [find_quotes(a) for a in arts]
    assert find_quotes_batch(arts) == single
    assert find_quotes_batch([]) == []
    annotated = annotate_quotes_batch(arts)
    assert [a.quotes for a in annotated] == single
    assert any(q.speaker == "Jane Doe" for q in single[0])
