"""Tests of the cleaning stage: every rule, on the seeds and on made-up multilingual text."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsprism.read.clean import CleanOptions, clean_text, is_heading_like

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
SEED0 = SEEDS / "000_74a54ece0d3d09c6.txt"
SEED1 = SEEDS / "001_39bcee88d24a81fa.txt"

needs_seeds = pytest.mark.skipif(not SEED0.exists(), reason="shared/seeds not present")

BODY = (
    "Moscow began its mobilisation of additional troops on Thursday, officials said.\n\n"
    "Thousands of people came forward voluntarily, according to the ministry.\n\n"
)


def kinds(removed: tuple[str, ...]) -> list[str]:
    return [r.split(":", 1)[0] for r in removed]


def test_whitespace_and_paragraphs_are_normalised() -> None:
    text = "First  paragraph\u00a0here.\r\n\r\n\r\n\tSecond\u200b one.  \rThird one.\n"
    cleaned, removed = clean_text(text)
    assert cleaned == "First paragraph here.\n\nSecond one.\n\nThird one."
    assert removed == ()


def test_hard_wrapped_paragraph_is_joined() -> None:
    wrapped = (
        "The Russian military said on Thursday that nearly ten thousand people had\n"
        "volunteered in the past twenty-four hours to be mobilised, and that more were\n"
        "expected to report to the enlistment offices across the country next week.\n\n"
        "Short second paragraph."
    )
    cleaned, _ = clean_text(wrapped)
    first = cleaned.split("\n\n")[0]
    assert "\n" not in first
    assert first.startswith("The Russian military") and first.endswith("next week.")
    unwrapped_off = clean_text(wrapped, CleanOptions(unwrap=False))[0]
    assert unwrapped_off.split("\n\n")[0].endswith("people had")


@pytest.mark.parametrize(
    "line",
    [
        "Many Russians left the country after the mobilization decree. Photo: Reuters",
        "Manifestantes en Moscú. Foto: EPA",
        "Люди на границе с Грузией. Фото: ТАСС",
        "Menschen an der Grenze (Photo: AFP)",
        "Une file d'attente à la frontière. Crédit photo : AFP",
        "Demonstrators in Moscow. REUTERS/Gleb Garanich",
        "Russian reservists board a bus. AFP via Getty Images",
        "Image caption, Russians queue at the border with Georgia",
        "Bild: dpa",
        "Imagen: EFE/Juan Pérez",
        "Photo credit: Reuters",
    ],
)
def test_caption_and_credit_lines_go(line: str) -> None:
    cleaned, removed = clean_text(BODY + line + "\n\nThe ministry said more would follow.")
    assert line not in cleaned
    assert kinds(removed) == ["caption"]


def test_sentence_mentioning_a_photo_is_kept() -> None:
    text = BODY + "He showed reporters a photo: the bridge had collapsed overnight."
    cleaned, removed = clean_text(text)
    assert "He showed reporters a photo" in cleaned
    assert removed == ()


@pytest.mark.parametrize(
    "line",
    [
        "Tags: Kremlin mobilization Russia",
        "Etiquetas: Rusia, Ucrania",
        "Schlagwörter: Russland, Mobilmachung",
        "Теги: Россия, мобилизация",
        "Мітки: Росія, мобілізація",
        "Oznake: Rusija, mobilizacija",
        "Mots-clés : Russie",
    ],
)
def test_tag_lists_go(line: str) -> None:
    cleaned, removed = clean_text(BODY + line)
    assert line not in cleaned
    assert kinds(removed) == ["tags"]


@pytest.mark.parametrize(
    "line",
    [
        "NEXT Bizarre: You will never find out what happened (VIDEO)",
        "Read more: Putin orders partial mobilisation",
        "Lee también: Putin amenaza con armas nucleares",
        "Lire aussi Les Russes fuient vers la Géorgie",
        "Читайте также: Путин объявил мобилизацию",
        "Читайте також: Зеленський звернувся до росіян",
        "Preberite tudi: Rusi bežijo čez mejo",
        "Leggi anche: La Russia mobilita i riservisti",
        "Leia também: Rússia mobiliza reservistas",
        "Lesen Sie auch: Russland mobilisiert Reservisten",
    ],
)
def test_read_more_teasers_go(line: str) -> None:
    cleaned, removed = clean_text(BODY + line + "\n\nThe ministry said more would follow.")
    assert line not in cleaned
    assert kinds(removed) == ["teaser"]


def test_sentence_starting_with_next_is_kept() -> None:
    text = BODY + "Next, the ministry said it would publish the full list of exemptions."
    cleaned, removed = clean_text(text)
    assert cleaned.endswith("full list of exemptions.")
    assert removed == ()


def test_bare_marker_takes_its_headline_along() -> None:
    text = BODY + "Related\n\nPutin signs decree on mobilisation\n\nThe queues grew on Friday."
    cleaned, removed = clean_text(text)
    assert "Putin signs decree" not in cleaned
    assert cleaned.endswith("The queues grew on Friday.")
    assert kinds(removed) == ["teaser", "teaser"]


@pytest.mark.parametrize(
    "line",
    [
        "The article is in Slovenian",
        "This article was originally published in Spanish.",
        "Translated from Ukrainian",
        "Članek je v slovenščini",
    ],
)
def test_language_notices_go(line: str) -> None:
    cleaned, removed = clean_text(BODY + line)
    assert line not in cleaned
    assert kinds(removed) == ["notice"]


@pytest.mark.parametrize(
    "line",
    [
        "Advertisement",
        "ADVERTISEMENT",
        "Publicidad",
        "Реклама",
        "Share this article",
        "Subscribe now",
        "Follow us on Telegram",
        "© 2022 The Example Times. All rights reserved.",
        "Tous droits réservés",
        "We use cookies to improve your experience. Accept all cookies",
        "Updated: 23 September 2022, 14:30",
        "Source: Reuters",
        "12 comments",
    ],
)
def test_page_chrome_goes(line: str) -> None:
    cleaned, removed = clean_text(BODY + line + "\n\nThe ministry said more would follow.")
    assert line not in cleaned
    assert kinds(removed) == ["chrome"]


def test_repeated_paragraph_goes_once() -> None:
    dup = "A long queue formed at the border crossing on Friday morning."
    cleaned, removed = clean_text(f"{dup}\n\nOther text follows here.\n\n{dup}\n\nEnd of story.")
    assert cleaned.count(dup) == 1
    assert kinds(removed) == ["duplicate"]


def test_truncated_copy_of_the_title_goes() -> None:
    text = (
        "NewsRussia begins mobilization of additional troops;...\n\n"
        "Russia begins mobilization of additional troops; men try to flee\n\n" + BODY
    )
    cleaned, removed = clean_text(text)
    assert cleaned.startswith("Russia begins mobilization")
    assert kinds(removed) == ["truncated copy"]


def test_trailing_teaser_block_goes_but_sections_stay() -> None:
    sections = (
        "Protests spread\n\n"
        "Demonstrations took place in dozens of cities across the country.\n\n"
        "Police detained hundreds of people, according to a monitoring group.\n\n"
        "Borders\n\n"
        "Queues at the Georgian border stretched for kilometres on Friday.\n\n"
        "Finland said traffic had doubled compared with the week before.\n\n"
    )
    teasers = "".join(
        f"Headline number {i} about something else\n\nA one-paragraph blurb number {i}.\n\n"
        for i in range(4)
    )
    cleaned, removed = clean_text(BODY + sections + teasers)
    assert cleaned.endswith("compared with the week before.")
    assert "Protests spread" in cleaned and "Borders" in cleaned
    assert kinds(removed) == ["related teaser"] * 8
    # Two heading + blurb pairs are not enough to call it a teaser block.
    two = "".join(f"Section {i} title\n\nIts only paragraph {i}.\n\n" for i in range(2))
    cleaned2, removed2 = clean_text(BODY + sections + two)
    assert cleaned2.endswith("Its only paragraph 1.")
    assert removed2 == ()


def test_dangling_heading_at_end_goes() -> None:
    cleaned, removed = clean_text(BODY + "Russia and Ukraine the main topic at the UN")
    assert cleaned == BODY.strip()
    assert kinds(removed) == ["dangling heading"]


def test_rules_can_be_switched_off() -> None:
    text = BODY + "Crowd at the border. Photo: Reuters\n\nTags: a, b\n\nThe queues grew."
    opts = CleanOptions(captions=False, tags=False)
    cleaned, removed = clean_text(text, opts)
    assert "Photo: Reuters" in cleaned and "Tags: a, b" in cleaned
    assert removed == ()


def test_is_heading_like() -> None:
    assert is_heading_like("“I don’t want to die”")
    assert is_heading_like('"Dirty bomb": Ukraine accuses Russia of planning to detonate...')
    assert not is_heading_like("The Russian military said Thursday it was ready.")
    assert not is_heading_like(" ".join(["word"] * 30))


@needs_seeds
def test_seed_000_loses_all_page_junk() -> None:
    cleaned, removed = clean_text(SEED0.read_text(encoding="utf-8"))
    assert "Photo: Reuters" not in cleaned
    assert "Photo: EPA" not in cleaned
    assert "Crowded at the border crossing between Russia and Georgia." not in cleaned
    assert "A mass grave was discovered near the city of Izhyum in eastern" not in cleaned
    assert "Tags:" not in cleaned
    assert "NEXT" not in cleaned
    assert "The article is in Slovenian" not in cleaned
    # The sub-heading that shares words with the caption stays, as do real paragraphs.
    assert "Crowded at the border crossings with Georgia and Kazakhstan" in cleaned
    assert "UN investigators found war crimes in Ukraine" in cleaned
    assert cleaned.endswith("the inhabitants of Izjum,” he added.")
    assert kinds(removed).count("caption") == 6
    assert {"notice", "tags", "teaser"} <= set(kinds(removed))
    assert "\n\n\n" not in cleaned


@needs_seeds
def test_seed_001_loses_trailing_teasers_and_keeps_every_paragraph() -> None:
    raw = SEED1.read_text(encoding="utf-8")
    cleaned, removed = clean_text(raw)
    assert cleaned.endswith(
        "Germany said it was ready to welcome deserters from the Russian army "
        "“threatened with serious repression.”"
    )
    assert "Dirty bomb" not in cleaned and "Starlink" not in cleaned
    assert kinds(removed).count("related teaser") == 10
    assert not cleaned.startswith("News")
    # Every real paragraph up to "Faced with this stampede" is kept, in order.
    end = raw.index("Faced with this stampede")
    end = raw.index("\n", end)
    real = [p.strip() for p in raw[:end].split("\n") if p.strip()][1:]
    pos = 0
    for par in real:
        found = cleaned.find(par, pos)
        assert found >= 0, par
        pos = found + len(par)
    assert "“I don’t want to die”" in cleaned
