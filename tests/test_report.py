"""Report renderers over a small coverage built by hand (three articles, every fact status)."""

from __future__ import annotations

import json
import re
from datetime import date
from html.parser import HTMLParser
from typing import Any, ClassVar

import pytest

from newsprism.errors import OptionError
from newsprism.model import (
    INF,
    Article,
    Coverage,
    DateRef,
    Entity,
    Fact,
    Failure,
    Mention,
    Quantity,
    Quote,
    Sentence,
    Statement,
    Status,
)
from newsprism.report import (
    coverage_to_dict,
    render,
    render_html,
    render_json,
    render_markdown,
    render_terminal,
)

A1 = [
    "Russia will call up 300,000 reservists, Defence Minister Sergei Shoigu said.",
    "Police detained more than 1,300 people at protests on Wednesday.",
    '"We will not give up," Zelensky said.',
    "A banner read <script>alert(1)</script> near the Kremlin.",
]
A2 = [
    "Independent media reported that up to one million men could be drafted.",
    "At least 1,332 people were arrested, according to OVD-Info.",
    'Zelenski said: "We will not give up."',
    "Izium was shelled overnight.",
]
A3 = [
    "La police a arrêté plus de 1 300 personnes.",
    "Le ministre Sergueï Choïgou a annoncé une mobilisation.",
]

OPEN: dict[str, Any] = {"high": INF, "low_inclusive": False, "qualifier": "more_than"}


def _sentences(parts: list[str]) -> tuple[str, tuple[Sentence, ...]]:
    text, out, pos = " ".join(parts), [], 0
    for i, part in enumerate(parts):
        start = text.index(part, pos)
        out.append(Sentence(i, start, start + len(part), part))
        pos = start + len(part)
    return text, tuple(out)


def _at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def _sent(sentences: tuple[Sentence, ...], offset: int) -> int:
    return next(s.index for s in sentences if s.start <= offset < s.end)


def _mention(text: str, sents: tuple[Sentence, ...], needle: str, label: str) -> Mention:
    s, e = _at(text, needle)
    return Mention(needle, s, e, label, _sent(sents, s))


def _qty(text: str, sents: tuple[Sentence, ...], needle: str, **kw: Any) -> Quantity:
    s, e = _at(text, needle)
    return Quantity(needle, s, e, sentence=_sent(sents, s), **kw)


def _quote(
    text: str, sents: tuple[Sentence, ...], words: str, speaker: str | None, **kw: Any
) -> Quote:
    s, e = _at(text, words)
    ss, se = _at(text, speaker) if speaker else (-1, -1)
    return Quote(
        words,
        s,
        e,
        speaker=speaker,
        speaker_start=ss,
        speaker_end=se,
        sentence=_sent(sents, s),
        **kw,
    )


def build_coverage() -> Coverage:
    t1, s1 = _sentences(A1)
    t2, s2 = _sentences(A2)
    t3, s3 = _sentences(A3)
    m1 = (
        _mention(t1, s1, "Sergei Shoigu", "PERSON"),
        _mention(t1, s1, "Zelensky", "PERSON"),
        _mention(t1, s1, "Kremlin", "ORG"),
    )
    m2 = (
        _mention(t2, s2, "OVD-Info", "ORG"),
        _mention(t2, s2, "Zelenski", "PERSON"),
        _mention(t2, s2, "Izium", "LOC"),
    )
    m3 = (_mention(t3, s3, "Sergueï Choïgou", "PERSON"),)
    a1 = Article(
        id="a1",
        text=t1,
        title="Kremlin calls up reservists | live",
        language="en",
        source="Wire One",
        url="https://example.org/a1",
        published=date(2022, 9, 21),
        removed=("Tags: Russia",),
        sentences=s1,
        mentions=m1,
        quantities=(
            _qty(t1, s1, "300,000", value=300000.0, low=300000.0, high=300000.0),
            _qty(t1, s1, "more than 1,300", value=1300.0, low=1300.0, counted="people", **OPEN),
        ),
        quotes=(
            _quote(t1, s1, "We will not give up,", "Zelensky", direct=True, cue="said"),
            _quote(
                t1,
                s1,
                "Russia will call up 300,000 reservists",
                "Sergei Shoigu",
                direct=False,
                cue="said",
            ),
        ),
        dates=(DateRef("Wednesday", *_at(t1, "Wednesday"), date(2022, 9, 21), 1),),
    )
    a2 = Article(
        id="a2",
        text=t2,
        title="Arrests across Russia",
        language="en",
        source="Daily Two",
        sentences=s2,
        mentions=m2,
        quantities=(
            _qty(t2, s2, "up to one million", value=1e6, low=-INF, high=1e6, qualifier="up_to"),
            _qty(
                t2, s2, "At least 1,332", value=1332.0, low=1332.0, high=INF, qualifier="at_least"
            ),
        ),
        quotes=(
            _quote(t2, s2, "We will not give up.", "Zelenski", direct=True, cue="said"),
            _quote(
                t2,
                s2,
                "up to one million men could be drafted",
                "Independent media",
                direct=False,
                cue="reported",
            ),
        ),
    )
    a3 = Article(
        id="a3",
        text=t3,
        title="Mobilisation en Russie",
        language="fr",
        source="Trois",
        published=date(2022, 9, 22),
        sentences=s3,
        mentions=m3,
        quantities=(_qty(t3, s3, "plus de 1 300", value=1300.0, low=1300.0, **OPEN),),
    )

    def st(article: Article, index: int) -> Statement:
        s = article.sentences[index]
        return Statement(article.id, s.index, s.text, s.start, s.end)

    def entity(eid: str, name: str, type_: str, *seen: tuple[Article, str]) -> Entity:
        spans = tuple((a.id, m.start, m.end) for a, v in seen for m in a.mentions if m.text == v)
        variants = tuple(dict.fromkeys(v for _, v in seen))
        return Entity(
            eid, name, type_, variants, tuple(dict.fromkeys(a.id for a, _ in seen)), spans
        )

    entities = (
        entity("e1", "Volodymyr Zelensky", "PERSON", (a1, "Zelensky"), (a2, "Zelenski")),
        entity("e2", "Sergei Shoigu", "PERSON", (a1, "Sergei Shoigu"), (a3, "Sergueï Choïgou")),
        entity("e3", "Kremlin", "ORG", (a1, "Kremlin")),
        entity("e4", "OVD-Info", "ORG", (a2, "OVD-Info")),
        entity("e5", "Izium", "LOC", (a2, "Izium")),
    )
    links = tuple((article, start, e.id) for e in entities for article, start, _ in e.mentions)
    facts = (
        Fact("f1", Status.AGREED, (st(a1, 2), st(a2, 2)), "same quote", ("e1",), 0.91),
        Fact(
            "f2",
            Status.CONFLICT,
            (st(a1, 0), st(a2, 0)),
            "call-up: 300,000 (official) vs up to 1,000,000 (reported)",
            ("e2",),
            0.74,
        ),
        Fact(
            "f3",
            Status.COMPATIBLE,
            (st(a1, 1), st(a2, 1), st(a3, 0)),
            "arrested: >1,300 and ≥1,332 overlap",
            (),
            0.83,
        ),
        Fact("f4", Status.UNIQUE, (st(a1, 3),), entities=("e3",)),
        Fact("f5", Status.UNIQUE, (st(a2, 3),), entities=("e5",)),
        Fact("f6", Status.UNIQUE, (st(a3, 1),), entities=("e2",)),
    )
    return Coverage(
        articles=(a1, a2, a3),
        facts=facts,
        entities=entities,
        failures=(Failure("broken.pdf", "skipped: binary file", "pass text or HTML files"),),
        warnings=("a3: language given as fr, detected fr",),
        links=links,
    )


@pytest.fixture(scope="module")
def cov() -> Coverage:
    return build_coverage()


def test_test_data_offsets_are_consistent(cov: Coverage) -> None:
    for a in cov.articles:
        spans: list[Sentence | Mention | Quantity | Quote | DateRef] = [
            *a.sentences,
            *a.mentions,
            *a.quantities,
            *a.quotes,
            *a.dates,
        ]
        for x in spans:
            assert a.text[x.start : x.end] == x.text
    for f in cov.facts:
        for s in f.statements:
            art = next(a for a in cov.articles if a.id == s.article)
            assert art.text[s.start : s.end] == s.text


# --- JSON -------------------------------------------------------------------------------


def test_json_shape_and_values(cov: Coverage) -> None:
    d = coverage_to_dict(cov)
    assert set(d) >= {
        "articles",
        "facts",
        "entities",
        "quotes",
        "quantities",
        "failures",
        "warnings",
        "summary",
    }
    a1 = d["articles"][0]
    assert {k: a1[k] for k in ("id", "title", "language", "source", "published", "url")} == {
        "id": "a1",
        "title": "Kremlin calls up reservists | live",
        "language": "en",
        "source": "Wire One",
        "published": "2022-09-21",
        "url": "https://example.org/a1",
    }
    assert a1["path"] is None and a1["sentences"] == 4 and a1["removed"] == ["Tags: Russia"]
    assert d["articles"][1]["published"] is None
    assert [f["id"] for f in d["facts"]] == ["f1", "f2", "f3", "f4", "f5", "f6"]
    f3 = d["facts"][2]
    assert f3["status"] == "compatible" and f3["sources"] == ["a1", "a2", "a3"]
    assert f3["reason"].startswith("arrested") and f3["score"] == pytest.approx(0.83)
    assert f3["statements"][2] == {
        "article": "a3",
        "sentence": 0,
        "text": A3[0],
        "start": 0,
        "end": len(A3[0]),
    }
    e1 = d["entities"][0]
    assert e1["name"] == "Volodymyr Zelensky" and e1["variants"] == ["Zelensky", "Zelenski"]
    assert e1["articles"] == ["a1", "a2"] and e1["mentions"] == 2
    assert d["failures"] == [
        {"path": "broken.pdf", "reason": "skipped: binary file", "hint": "pass text or HTML files"}
    ]
    assert d["summary"] == {
        "articles": 3,
        "independent_sources": 3,
        "facts": 6,
        "agreed": 1,
        "compatible": 1,
        "conflict": 1,
        "unique": 3,
        "entities": 5,
        "failed": 1,
    }


def test_json_infinite_bounds_become_null_and_json_is_strict(cov: Coverage) -> None:
    d = coverage_to_dict(cov)
    by_text = {q["text"]: q for q in d["quantities"]}
    more = by_text["more than 1,300"]
    assert (more["low"], more["high"], more["low_inclusive"]) == (1300.0, None, False)
    assert more["qualifier"] == "more_than" and more["counted"] == "people"
    assert more["fact"] == "f3" and more["article"] == "a1"
    up_to = by_text["up to one million"]
    assert (up_to["low"], up_to["high"], up_to["fact"]) == (None, 1e6, "f2")
    json.dumps(d, allow_nan=False)  # must not raise
    text = render_json(cov)
    assert json.loads(text) == d
    assert "Infinity" not in text and "NaN" not in text
    assert "Sergueï Choïgou" in text  # ensure_ascii=False
    assert text.startswith('{\n  "articles"')


def test_json_quote_speakers_resolve_to_canonical_entities(cov: Coverage) -> None:
    quotes = coverage_to_dict(cov)["quotes"]
    zel = [q for q in quotes if q["speaker_entity"] == "e1"]
    assert [q["speaker"] for q in zel] == ["Volodymyr Zelensky", "Volodymyr Zelensky"]
    assert [q["speaker_text"] for q in zel] == ["Zelensky", "Zelenski"]
    assert [q["fact"] for q in zel] == ["f1", "f1"]
    assert zel[0]["direct"] is True and zel[0]["cue"] == "said"
    media = next(q for q in quotes if q["speaker_text"] == "Independent media")
    assert media["speaker"] == "Independent media" and media["speaker_entity"] is None
    assert media["direct"] is False and media["fact"] == "f2"


def test_json_speaker_null_when_unknown() -> None:
    text = "Someone said it was fine. Nothing else."
    quote = Quote("it was fine", 13, 24, direct=False, cue="said")
    art = Article("x", text, sentences=(Sentence(0, 0, 25, text[:25]),), quotes=(quote,))
    d = coverage_to_dict(Coverage(articles=(art,), facts=(), entities=()))
    assert d["quotes"][0]["speaker"] is None and d["quotes"][0]["fact"] is None
    assert d["summary"]["facts"] == 0
    for fmt in ("text", "md", "html"):  # a coverage without facts still renders
        assert "it was fine" in render(Coverage(articles=(art,), facts=(), entities=()), fmt)


# --- terminal ---------------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_terminal_sections_in_order_without_colour(cov: Coverage) -> None:
    out = render_terminal(cov, width=100, color=False)
    assert "\x1b" not in out
    assert all(len(line) <= 100 for line in out.splitlines())
    flat = _flat(out)
    assert "6 facts: 1 agreed, 1 compatible, 1 conflict, 3 unique" in flat
    order = [
        "Conflicts (1)",
        "CONFLICT f2",
        "Reason: call-up: 300,000 (official) vs up to 1,000,000 (reported)",
        f"[a1] {A1[0]}",
        f"[a2] {A2[0]}",
        "Agreed and compatible facts (2)",
        "COMPATIBLE f3",
        "AGREED f1",
        "Reported by one source only (3)",
        "Entities (5)",
        "Quotes (4)",
        "Failures and warnings",
        "broken.pdf: skipped: binary file",
    ]
    positions = [flat.index(item) for item in order]
    assert positions == sorted(positions)
    for article in ("a1", "a2", "a3"):
        assert f"[{article}]" in flat
    assert "Kremlin calls up reservists | live" in flat and "2022-09-22" in flat


def test_terminal_entities_and_quotes_grouped(cov: Coverage) -> None:
    flat = _flat(render_terminal(cov, width=120, color=False))
    ents = flat[flat.index("Entities (5)") : flat.index("Quotes (4)")]
    assert ents.index("Volodymyr Zelensky") < ents.index("Also mentioned:")
    assert "Zelensky, Zelenski" in ents and "Sergueï Choïgou" in ents
    assert "Kremlin (ORG)" in ents[ents.index("Also mentioned:") :]
    quotes = flat[flat.index("Quotes (4)") :]
    zel = quotes.index("Volodymyr Zelensky 2 quotes")
    assert quotes.index("“We will not give up,”") > zel
    assert quotes.index("“We will not give up.”") > zel
    assert "as “Zelenski”" in quotes


def test_terminal_colour_highlights_figures(cov: Coverage) -> None:
    out = render_terminal(cov, width=100, color=True)
    assert "\x1b[" in out
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert "more than 1,300" in plain
    # The figure is styled separately from the rest of its sentence.
    assert re.search(r"\x1b\[[0-9;]*m300,000\x1b\[0m", out)


# --- markdown ---------------------------------------------------------------------------


def test_markdown_sections_tables_and_bold_figures(cov: Coverage) -> None:
    md = render_markdown(cov)
    assert md.startswith("# Coverage diff")
    assert "| id | title | language | source | date |" in md
    assert "Kremlin calls up reservists \\| live" in md  # pipe escaped inside the table
    assert "> **\\[a1\\]** Russia will call up **300,000** reservists" in md
    assert "Police detained **more than 1,300** people" in md
    assert "**Reason:** call-up: 300,000 (official) vs up to 1,000,000 (reported)" in md
    assert "> **\\[a2\\]** **At least 1,332** people were arrested, according to OVD-Info." in md
    for sentence in (A2[3], A3[1]):
        assert f"> {sentence}" in md
    assert "\\<script\\>" in md and "<script>" not in md
    assert "| **Volodymyr Zelensky** | PERSON | Zelensky, Zelenski |" in md
    assert "### Volodymyr Zelensky" in md
    assert md.index("## Conflicts") < md.index("## Agreed") < md.index("## Reported by one")
    assert md.index("## Entities") < md.index("## Quotes") < md.index("## Failures")


# --- HTML -------------------------------------------------------------------------------


class _Checker(HTMLParser):
    VOID: ClassVar[set[str]] = {"meta", "br", "hr", "img", "link", "input", "wbr"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_self_contained_escaped_and_well_formed(cov: Coverage) -> None:
    page = render_html(cov)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    names = [t for t, _ in checker.tags]
    assert "link" not in names and "img" not in names and "style" in names
    assert not any("src" in attrs for _, attrs in checker.tags)
    text = "".join(checker.text)
    for sentence in (*A1, *A2, *A3):
        assert sentence in text
    assert "<mark>300,000</mark>" in page and "<mark>plus de 1 300</mark>" in page
    langs = {attrs.get("lang") for t, attrs in checker.tags if t == "blockquote"}
    assert langs == {"en", "fr"}
    badges = {
        attrs["class"]
        for t, attrs in checker.tags
        if (attrs.get("class") or "").startswith("badge")
    }
    assert badges == {"badge conflict", "badge compatible", "badge agreed", "badge unique"}
    assert "grid-template-columns" in page and "@media print" in page


def test_html_coverage_matrix_marks_carrying_articles(cov: Coverage) -> None:
    page = render_html(cov)
    matrix = page[page.index('<section id="matrix">') : page.index('<section id="entities">')]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", matrix, re.S)
    carried = r'<td class="c (yes|no)">'
    f3 = next(r for r in rows if "<code>f3</code>" in r)
    assert re.findall(carried, f3) == ["yes", "yes", "yes"]
    assert f3.count('<span aria-label="carried">✓</span>') == 3
    f5 = next(r for r in rows if "<code>f5</code>" in r)
    assert re.findall(carried, f5) == ["no", "yes", "no"]
    assert page.index("<h2>Conflicts") < page.index("<h2>Agreed") < page.index("<h2>Entities")


# --- dispatch ---------------------------------------------------------------------------


def test_render_dispatches_and_rejects_unknown_formats(cov: Coverage) -> None:
    assert json.loads(render(cov, "json"))["summary"]["facts"] == 6
    assert render(cov, "md") == render_markdown(cov)
    assert render(cov, "html") == render_html(cov)
    assert "\x1b" not in render(cov, "text", color=False, width=90)
    with pytest.raises(OptionError) as err:
        render(cov, "pdf")
    assert "pdf" in str(err.value) and "json" in err.value.hint
