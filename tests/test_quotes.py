"""Quotes stage on the seed articles and on sentences in several languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsprism.entities import annotate_entities
from newsprism.model import Article, Quote
from newsprism.quotes.cues import cue_patterns
from newsprism.quotes.finder import QuoteOptions, annotate_quotes, find_quotes
from newsprism.quotes.marks import find_quote_marks
from newsprism.sentences import annotate_sentences

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _article(text: str, language: str = "en") -> Article:
    return annotate_entities(annotate_sentences(Article(id="t", text=text, language=language)))


def _seed(prefix: str) -> Article:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return _article(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed0() -> tuple[Article, tuple[Quote, ...]]:
    art = _seed("000")
    return art, find_quotes(art)


@pytest.fixture(scope="module")
def seed1() -> tuple[Article, tuple[Quote, ...]]:
    art = _seed("001")
    return art, find_quotes(art)


def _quote(quotes: tuple[Quote, ...], fragment: str, direct: bool | None = None) -> Quote:
    found = [q for q in quotes if fragment in q.text and direct in (None, q.direct)]
    assert found, f"no quote containing {fragment!r}"
    return found[0]


def _check_offsets(art: Article, quotes: tuple[Quote, ...]) -> None:
    for q in quotes:
        assert art.text[q.start : q.end] == q.text
        if q.speaker is not None and q.speaker_start >= 0:
            assert art.text[q.speaker_start : q.speaker_end] == q.speaker
        else:
            assert q.speaker_start == q.speaker_end == -1


@pytest.mark.slow
def test_seed0_direct_quotes(seed0: tuple[Article, tuple[Quote, ...]]) -> None:
    art, quotes = seed0
    _check_offsets(art, quotes)
    q = _quote(quotes, "55,000 Russian soldiers died")
    assert q.direct and q.speaker == "Zelensky" and q.cue == "said"
    assert q.text == "In these six months of war, 55,000 Russian soldiers died"
    assert "Wasik" in (_quote(quotes, "We will not allow any group").speaker or "")
    assert _quote(quotes, "We will not allow any group").speaker == "Marcin Wasik"
    assert _quote(quotes, "Only in individual cases").speaker == "Wasik"
    for fragment in ("In addition, Chechnya still has", "by 254 percent"):
        assert "Kadyrov" in (_quote(quotes, fragment).speaker or "")
    assert _quote(quotes, "Today we are completing").speaker == "Oleg Sinegubov"
    assert _quote(quotes, "All this is evidence").speaker == "Oleg Sinegubov"
    # several sentences in one quote, attribution glued to the closing mark
    many = _quote(quotes, "You want more? No? Then protest.")
    assert many.direct and many.speaker == "Zelensky" and many.cue == "urged"
    assert _quote(quotes, "You are already complicit").speaker == "Zelensky"
    assert _quote(quotes, "ensured smooth work", direct=True).speaker == "BBC"
    assert _quote(quotes, "some sectors are excluded").speaker == "the ministry"


@pytest.mark.slow
def test_seed0_indirect_quotes(seed0: tuple[Article, tuple[Quote, ...]]) -> None:
    _art, quotes = seed0
    q = _quote(quotes, "the paragraph referred to")
    assert not q.direct and "Peskov" in (q.speaker or "") and q.cue == "said"
    assert q.text.startswith("the paragraph referred to the total number")
    assert _quote(quotes, "this is not against the law").speaker == "Peskov"
    assert _quote(quotes, "436 bodies had already been exhumed").speaker == "Oleg Sinegubov"
    acc = _quote(quotes, "some of them have already been ordered")
    assert acc.speaker == "the activists" and acc.cue == "According to"
    tass = _quote(quotes, "Among the exceptions are citizens")
    assert tass.speaker == "the Russian news agency Tass" and not tass.direct


@pytest.mark.slow
def test_seed1_quotes(seed1: tuple[Article, tuple[Quote, ...]]) -> None:
    art, quotes = seed1
    _check_offsets(art, quotes)
    z = _quote(quotes, "55,000 Russian soldiers have died")
    assert z.direct and z.speaker == "Volodimir Zelenski"
    assert "(…)" in z.text and z.text.endswith("Or surrender")
    peskov = _quote(quotes, "The section of the official decree")
    assert not peskov.direct and peskov.speaker == "Dmitri Peskov"
    assert peskov.cue == "told reporters"
    assert peskov.text.endswith("was kept classified and not published")
    blinken = _quote(quotes, "We cannot let President Putin")
    assert blinken.speaker in ("Antony Blinken", "the head of US diplomacy")
    assert _quote(quotes, "The United States and its allies").speaker == "Lavrov"
    assert _quote(quotes, "The vote starts tomorrow").speaker == "Vladimir Saldo"
    assert _quote(quotes, "I just want to be safe").speaker == "Max"
    assert _quote(quotes, "This morning there are still").speaker == (
        "a spokesman for the border guard"
    )
    assert not [q for q in quotes if q.text in ("Protest or Surrender", "I don’t want to die")]


@pytest.mark.parametrize(
    ("language", "text", "fragment", "speaker", "direct"),
    [
        (
            "es",
            "«No vamos a rendirnos nunca ante Rusia», dijo Zelenski. "
            "Según el Kremlin, la movilización es parcial.",
            "No vamos a rendirnos",
            "Zelenski",
            True,
        ),
        (
            "fr",
            "« Les États-Unis couvrent les crimes du régime de Kiev », a déclaré Lavrov. "
            "Selon Dmitri Peskov, le décret reste secret.",
            "le décret reste secret",
            "Dmitri Peskov",
            False,
        ),
        (
            "de",
            "„Das ist ein gutes Zeichen für Europa“, sagte Hebestreit in Berlin.",
            "gutes Zeichen",
            "Hebestreit",
            True,
        ),
        (
            "ru",
            "«Этот пункт касается общего числа призывников», — заявил Песков. "
            "По словам Пескова, указ не будет опубликован.",
            "Этот пункт касается",
            "Песков",
            True,
        ),
    ],
)
def test_other_languages(
    language: str, text: str, fragment: str, speaker: str, direct: bool
) -> None:
    art = _article(text, language)
    quotes = find_quotes(art)
    _check_offsets(art, quotes)
    q = _quote(quotes, fragment)
    assert q.speaker == speaker and q.direct is direct


def test_pronoun_resolves_to_last_person() -> None:
    art = _article(
        "Finance Minister Olaf Weber spoke in Berlin on Monday. "
        "“We will not raise taxes this year,” he said. “Not one cent more.”"
    )
    quotes = find_quotes(art)
    first = _quote(quotes, "We will not raise taxes")
    assert first.speaker == "Olaf Weber" and first.cue == "said"
    assert art.text[first.speaker_start : first.speaker_end] == "Olaf Weber"
    # a quote with no attribution continues the previous one
    assert _quote(quotes, "Not one cent more").speaker == "Olaf Weber"


def test_quote_marks_styles_and_apostrophes() -> None:
    text = (
        "He said ‘we’re not leaving’ and then «on reste ici» and „wir bleiben“ and "
        '"we stay" and 「私たちは残る」. Russia’s army’s plans.'
    )
    inner = [text[m.inner_start : m.inner_end] for m in find_quote_marks(text)]
    assert inner == ["we’re not leaving", "on reste ici", "wir bleiben", "we stay", "私たちは残る"]


def test_scare_quotes_are_not_quotes_and_stage_fills_article() -> None:
    art = _article("The Kremlin calls it a “partial mobilization” and nothing more.")
    assert not [q for q in find_quotes(art) if q.direct]
    assert find_quotes(art, QuoteOptions(parse=False)) == ()
    longer = _article("“Nothing can stop the vote now,” Saldo told Russian television.")
    out = annotate_quotes(longer, QuoteOptions(indirect=False))
    assert len(out.quotes) == 1 and out.quotes[0].cue == "told Russian television"


def test_empty_article_without_annotations() -> None:
    assert find_quotes(Article(id="e", text="")) == ()
    bare = Article(id="b", text="“We are ready for talks,” the minister said.")
    (q,) = find_quotes(bare)
    assert q.speaker == "the minister" and q.sentence == -1


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet='ab .,:\n“”"«»‘’„—said he Wasik', max_size=120))
def test_never_crashes_and_offsets_hold(text: str) -> None:
    art = Article(id="h", text=text, language="en")
    quotes = find_quotes(art)
    _check_offsets(art, quotes)


def _speaker_at(art: Article, q: Quote) -> str:
    assert q.speaker_start >= 0, f"no speaker span for {q.text!r}"
    return art.text[q.speaker_start : q.speaker_end]


@pytest.mark.parametrize(
    ("language", "text", "fragment", "speaker"),
    [
        (  # description, comma, name after an inverted cue
            "es",
            "“No hay ningún peligro para el aire de la ciudad”, afirmó la alcaldesa, "
            "Katarzyna Wojcik, en una rueda de prensa celebrada al mediodía.",
            "No hay ningún peligro",
            "Katarzyna Wojcik",
        ),
        (
            "en",
            "“We will rebuild the port as quickly as we can,” said the mayor, Jane Doe, "
            "at a press conference.",
            "We will rebuild the port",
            "Jane Doe",
        ),
        (
            "en",
            "The mayor, Jane Doe, said that the port would reopen on Thursday.",
            "the port would reopen",
            "Jane Doe",
        ),
        (
            "en",
            "Jane Doe, the mayor, said that the port would reopen on Thursday.",
            "the port would reopen",
            "Jane Doe",
        ),
        (  # German has no NER model: the name is found by its shape
            "de",
            "„Wir hatten großes Glück mit dem Wind“, sagte der Bürgermeister, Hans Müller, "
            "am Abend.",
            "Wir hatten großes Glück",
            "Hans Müller",
        ),
        (
            "de",
            "Der Bürgermeister, Hans Müller, sagte am Abend, die Lage sei wieder ruhig.",
            "die Lage sei wieder ruhig",
            "Hans Müller",
        ),
        (
            "fr",
            "« Tout est sous contrôle depuis ce matin », a regretté ce mercredi le préfet, "
            "Jean Dupont.",
            "Tout est sous contrôle",
            "Jean Dupont",
        ),
        (
            "fr",
            "Le commandant des pompiers, Jean Dupont, estime que le feu est enfin maîtrisé.",
            "le feu est enfin maîtrisé",
            "Jean Dupont",
        ),
        (
            "it",
            "«Non c'è alcun pericolo per la città», ha detto il sindaco, Marco Rossi.",
            "Non c'è alcun pericolo",
            "Marco Rossi",
        ),
        (
            "pt",
            "“Não há perigo nenhum para a cidade”, disse ontem o prefeito João Silva.",
            "Não há perigo",
            "João Silva",
        ),
    ],
)
def test_apposition_resolves_to_the_name(
    language: str, text: str, fragment: str, speaker: str
) -> None:
    art = _article(text, language)
    quotes = find_quotes(art)
    _check_offsets(art, quotes)
    q = _quote(quotes, fragment)
    assert q.speaker == speaker and _speaker_at(art, q) == speaker


@pytest.mark.parametrize(
    ("language", "text", "content", "speaker", "cue"),
    [
        (
            "fr",
            "L'origine du sinistre reste inconnue, a indiqué mardi soir le commandant des "
            "pompiers, Oleksandr Kovalenko.",
            "L'origine du sinistre reste inconnue",
            "Oleksandr Kovalenko",
            "a indiqué",
        ),
        (
            "es",
            "La causa del incendio todavía se desconoce, explicó el martes el jefe de "
            "bomberos, Juan Pérez.",
            "La causa del incendio todavía se desconoce",
            "Juan Pérez",
            "explicó",
        ),
        (
            "en",
            "The cause of the fire is still unknown, said on Tuesday the fire chief, John Smith.",
            "The cause of the fire is still unknown",
            "John Smith",
            "said",
        ),
        (
            "de",
            "Die Ursache des Feuers ist noch unklar, sagte am Abend der Feuerwehrchef, "
            "Hans Müller.",
            "Die Ursache des Feuers ist noch unklar",
            "Hans Müller",
            "sagte",
        ),
    ],
)
def test_inverted_attribution_skips_time_adverbs(
    language: str, text: str, content: str, speaker: str, cue: str
) -> None:
    art = _article(text, language)
    quotes = find_quotes(art)
    _check_offsets(art, quotes)
    (q,) = quotes
    assert (q.text, q.speaker, q.cue, q.direct) == (content, speaker, cue, False)
    assert _speaker_at(art, q) == speaker


def test_descriptive_speaker_without_a_name() -> None:
    art = _article(
        "Des associations réclament un déménagement. « On nous répond toujours que tout "
        "est aux normes », regrette la présidente de l'une d'elles.",
        "fr",
    )
    q = _quote(find_quotes(art), "On nous répond")
    assert q.speaker == "la présidente de l'une d'elles" and q.cue == "regrette"
    assert _speaker_at(art, q) == q.speaker


def test_subject_with_adjuncts_and_elided_complementiser() -> None:
    art = _article("The ministry, in a statement, said that the plan had failed.")
    (q,) = find_quotes(art)
    assert q.speaker == "The ministry" and q.text == "the plan had failed"
    art = _article(
        "La maire, Katarzyna Wójcik, a assuré qu'il n'y avait aucun danger pour la ville.", "fr"
    )
    (q,) = find_quotes(art)
    assert q.speaker == "Katarzyna Wójcik" and q.cue == "a assuré"
    assert q.text == "il n'y avait aucun danger pour la ville"


def test_name_opening_an_apposition_is_a_pronoun_anchor() -> None:
    art = _article(
        "“This morning there are still a lot of people here,” said a border guard. "
        "Max, a 21-year-old student from Moscow, said he was going to visit relatives. "
        "“I just want to be safe,” he said."
    )
    quotes = find_quotes(art)
    assert _quote(quotes, "I just want to be safe").speaker == "Max"
    assert _quote(quotes, "he was going to visit").speaker == "Max"


def test_heading_that_echoes_a_quote_is_not_a_quote() -> None:
    art = _article(
        "Fire at the port\n\n“Keep your windows closed”\n\n"
        "“Keep your windows closed until tomorrow,” the mayor said at noon."
    )
    quotes = find_quotes(art)
    assert [q.text for q in quotes] == ["Keep your windows closed until tomorrow"]
    art = _article(
        "Mobilisation\n\n“I don’t want to die”\n\n"
        "“I do not want to die in this senseless war,” Dmitri said at the border."
    )
    assert [q.text for q in find_quotes(art)] == ["I do not want to die in this senseless war"]


@pytest.mark.parametrize(
    ("language", "cues"),
    [
        ("en", ["said", "lamented", "pointed out", "told"]),
        (
            "fr",
            [
                "regrette", "a regretté", "a-t-il ajouté", "ajoute-t-elle", "estime", "souligne",
                "précise", "explique", "confie", "lance", "déplore", "rappelle", "indique",
                "affirme", "assure", "annonce", "prévient", "insiste", "a encore précisé",
                "dit-il", "ont-ils déclaré",
            ],
        ),
        (
            "es",
            [
                "lamentó", "indicó", "explicó", "añadió", "subrayó", "advirtió", "señaló",
                "aseguró", "afirmó", "declaró", "apuntó", "precisó", "reconoció", "insistió",
                "denunció", "lamentaron", "ha subrayado", "explica",
            ],
        ),
        (
            "de",
            [
                "sagte", "erklärte", "betonte", "fügte hinzu", "kritisierte", "warnte",
                "teilte mit", "kündigte an", "so", "meinte", "sagt", "hat gesagt",
            ],
        ),
        ("it", ["ha detto", "ha sottolineato", "aggiunge", "spiegò", "afferma", "disse"]),
        ("pt", ["disse", "afirmou", "acrescentou", "disseram", "explica", "sublinhou"]),
    ],
)  # fmt: skip
def test_cue_tables_cover_reporting_inflections(language: str, cues: list[str]) -> None:
    pattern = cue_patterns(language).direct
    for cue in cues:
        m = pattern.search(f"« x », {cue} y.")
        assert m is not None and m.group() == cue, (language, cue)


def test_separable_german_cue_and_particle() -> None:
    art = _article("„Die Lage ist wieder unter Kontrolle“, teilte die Polizei am Abend mit.", "de")
    (q,) = find_quotes(art)
    assert q.speaker == "die Polizei" and q.cue == "teilte"


# -- attributions read from the dependency parse (English) ---------------------------------
def _one(text: str, fragment: str) -> Quote:
    return _quote(find_quotes(_article(text)), fragment)


@pytest.mark.parametrize(
    ("text", "fragment", "speaker", "cue"),
    [
        # belief and stance verbs with a clause or an infinitive
        (
            "Most economists believe the recession will end soon.",
            "the recession will end",
            "Most economists",
            "believe",
        ),
        ("The senator wants to cut taxes for small firms.", "to cut taxes", "The senator", "wants"),
        (
            "The governor declined to comment on the report.",
            "to comment on the report",
            "The governor",
            "declined",
        ),
        # verbs whose object is the content
        (
            "Jane Doe criticized the new budget plan on Monday.",
            "the new budget plan",
            "Jane Doe",
            "criticized",
        ),
        (
            "The union endorsed John Smith for mayor.",
            "John Smith for mayor",
            "The union",
            "endorsed",
        ),
        # participle clause: the subject of the main clause speaks
        (
            "Jane Doe left the room, saying the talks had failed.",
            "the talks had failed",
            "Jane Doe",
            "saying",
        ),
        # according to, before and after the clause
        (
            "According to the latest poll, the race is tied in Ohio.",
            "the race is tied in Ohio",
            "the latest poll",
            "According to",
        ),
        (
            "The race is tied in Ohio, according to the latest poll.",
            "The race is tied in Ohio",
            "the latest poll",
            "according to",
        ),
    ],
)
def test_parsed_attributions(text: str, fragment: str, speaker: str, cue: str) -> None:
    q = _one(text, fragment)
    assert (q.speaker, q.cue, q.direct) == (speaker, cue, False)
    assert fragment in q.text and _speaker_at(_article(text), q) == speaker


def test_parsed_pronouns_and_relatives() -> None:
    text = "John Smith spoke in Ohio. He argued that the plant would stay open."
    q = _one(text, "the plant would stay open")
    assert q.speaker == "John Smith" and q.text.startswith("the plant")  # no "that"
    rel = find_quotes(_article("Voters backed Jane Doe, who said the plan was dead."))
    assert [(q.speaker, q.text) for q in rel if q.cue == "said"] == [
        ("Jane Doe", "the plan was dead")
    ]
    they = _one("They think the vote was rigged in several states.", "the vote was rigged")
    assert they.speaker is None and they.speaker_start == -1  # plural pronoun: unknown


def test_parsed_content_stays_in_its_paragraph() -> None:
    text = "The mayor said the port would reopen\n\nNext paragraph starts here."
    q = _one(text, "the port would reopen")
    assert "\n" not in q.text and q.speaker == "The mayor"


def test_parse_fills_speaker_of_direct_quote_only_when_missing() -> None:
    art = _article("“We will win this race,” Jane Doe told supporters in Ohio.")
    (q,) = [q for q in find_quotes(art) if q.direct]
    assert q.speaker == "Jane Doe"
    off = find_quotes(art, QuoteOptions(parse=False, indirect=False))
    assert [x.speaker for x in off] == ["Jane Doe"]
