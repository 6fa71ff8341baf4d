"""Tests of the readers: formats, metadata, decoding, and every error type."""

from __future__ import annotations

import gzip
import json
import re
from datetime import date
from pathlib import Path

import pytest

from newsprism.errors import (
    BinaryFile,
    EmptyDocument,
    EncodingFailure,
    FileTooLarge,
    InputError,
    MalformedDocument,
)
from newsprism.read import (
    ReadOptions,
    ReadResult,
    decode_bytes,
    fix_mojibake,
    read_file,
    read_paths,
)
from newsprism.read.articles import parse_date, source_from_url, split_title

SEEDS = Path(__file__).parents[2] / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.exists(), reason="shared/seeds not present")

EN = (
    "Moscow began its mobilisation of additional troops on Thursday to bolster its offensive "
    "in Ukraine, after the authorities said thousands had come forward voluntarily."
)
ES = (
    "Moscú comenzó el jueves la movilización de tropas adicionales para reforzar su ofensiva "
    "en Ucrania, después de que miles de personas se presentaran voluntariamente."
)
RU = (
    "Москва в четверг начала мобилизацию дополнительных войск, чтобы усилить наступление "
    "на Украине, несмотря на то что многие россияне покидают страну."
)
NO_DETECT = ReadOptions(detect_language=False)


# --- plain text ---------------------------------------------------------------------------


def test_text_title_and_body(tmp_path: Path) -> None:
    f = tmp_path / "story.txt"
    f.write_text(f"Russia starts mobilisation\n\n{EN}\n\nSecond paragraph.\n", encoding="utf-8")
    result = read_file(f)
    assert isinstance(result, ReadResult) and len(result) == 1
    art = result[0]
    assert art.id == "story" and art.path == str(f)
    assert art.title == "Russia starts mobilisation"
    assert art.text == f"{EN}\n\nSecond paragraph."
    assert art.language == "en"
    assert list(result) == [art]


def test_text_without_title(tmp_path: Path) -> None:
    f = tmp_path / "notitle.text"  # unknown extension, read as text
    f.write_text(f"{EN}\n\n{EN[:60]}.", encoding="utf-8")
    art = read_file(f, NO_DETECT)[0]
    assert art.title == ""
    assert art.text.startswith("Moscow began")
    assert art.language is None


def test_split_title_rules() -> None:
    assert split_title("Title here\nBody text.", 25) == ("Title here", "Body text.")
    assert split_title("A sentence.\n\nBody.", 25) == ("", "A sentence.\n\nBody.")
    assert split_title("Only one line", 25) == ("", "Only one line")
    assert split_title("Cut off teaser...\n\nBody.", 25)[0] == ""


@needs_seeds
def test_seeds_read_cleanly() -> None:
    seed0 = read_file(SEEDS / "000_74a54ece0d3d09c6.txt")[0]
    assert seed0.id == "000_74a54ece0d3d09c6"
    assert seed0.title.startswith("The Kremlin exempted employees")
    assert seed0.title not in seed0.text
    assert seed0.text.startswith("Among the exceptions are citizens")
    assert seed0.language == "en"
    assert any(r.startswith('caption: "Crowded at the border') for r in seed0.removed)
    assert "Tags:" not in seed0.text and "NEXT" not in seed0.text

    seed1 = read_file(SEEDS / "001_39bcee88d24a81fa.txt")[0]
    assert seed1.title.startswith("Russia begins mobilization of additional (civilian) troops")
    assert seed1.title.endswith("to avoid being recruited")
    assert seed1.text.startswith("Moscow began its mobilization")
    assert seed1.text.endswith("“threatened with serious repression.”")


# --- HTML -----------------------------------------------------------------------------------

HTML = f"""<!DOCTYPE html><html lang="es"><head><title>Rusia moviliza tropas | El Diario</title>
<meta property="og:site_name" content="El Diario">
<meta property="article:published_time" content="2022-09-22T10:00:00Z">
<link rel="canonical" href="https://www.eldiario.example/mundo/rusia.html"></head>
<body><nav><a href="/">Inicio</a> | <a href="/mundo">Mundo</a></nav>
<article><h1>Rusia moviliza tropas</h1><p>{ES}</p>
<h2>Protestas</h2><p>El anuncio provocó manifestaciones en todo el país y al menos 1.332
personas fueron detenidas, según una organización de derechos humanos.</p>
<p>Publicidad</p><p>Lee también: Putin amenaza con armas nucleares</p></article>
<footer>© 2022 El Diario. Todos los derechos reservados.</footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path: Path) -> None:
    f = tmp_path / "rusia.html"
    f.write_text(HTML, encoding="utf-8")
    art = read_file(f)[0]
    assert art.id == "rusia"
    assert art.title == "Rusia moviliza tropas"
    assert art.text.startswith("Moscú comenzó el jueves")
    assert "Protestas" in art.text and "1.332" in art.text
    assert "Inicio" not in art.text and "Publicidad" not in art.text
    assert "Lee también" not in art.text and "©" not in art.text
    assert art.source == "El Diario"
    assert art.url == "https://www.eldiario.example/mundo/rusia.html"
    assert art.published == date(2022, 9, 22)
    assert art.language == "es"


def test_html_without_text_is_empty(tmp_path: Path) -> None:
    f = tmp_path / "blank.htm"
    f.write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    with pytest.raises(EmptyDocument, match=r"blank\.htm"):
        read_file(f)


# --- JSON / JSONL ---------------------------------------------------------------------------


def test_json_single_object(tmp_path: Path) -> None:
    f = tmp_path / "one.json"
    record = {
        "title": "Mobilisation",
        "text": EN,
        "url": "https://www.bbc.co.uk/news/world-1",
        "published": "2022-09-22T08:30:00+02:00",
    }
    f.write_text(json.dumps(record), encoding="utf-8")
    art = read_file(f)[0]
    assert art.id == "one"
    assert art.title == "Mobilisation" and art.text == EN
    assert art.source == "bbc.co.uk"
    assert art.published == date(2022, 9, 22)
    assert art.language == "en"


def test_json_list_ids_language_and_source(tmp_path: Path) -> None:
    f = tmp_path / "many.json"
    records = [
        {"text": EN, "source": "Reuters", "language": "EN"},
        {"id": "ru-1", "text": RU, "published": "2022-09-23"},
        {"text": ES, "language": "es-MX", "url": "elpais.com/x"},
    ]
    f.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    arts = read_file(f).articles
    assert [a.id for a in arts] == ["many-1", "ru-1", "many-3"]
    assert [a.language for a in arts] == ["en", "ru", "es"]
    assert arts[0].source == "Reuters" and arts[2].source == "elpais.com"
    assert arts[1].published == date(2022, 9, 23)


def test_json_record_without_text(tmp_path: Path) -> None:
    f = tmp_path / "notext.json"
    f.write_text(json.dumps({"title": "Only a title"}), encoding="utf-8")
    with pytest.raises(MalformedDocument, match=r"notext\.json.*no 'text' field"):
        read_file(f)
    g = tmp_path / "mixed.json"
    g.write_text(json.dumps([{"text": EN}, {"title": "x"}]), encoding="utf-8")
    result = read_file(g, NO_DETECT)
    assert len(result) == 1
    assert len(result.failures) == 1 and "record 2" in result.failures[0].reason


def test_malformed_json(tmp_path: Path) -> None:
    f = tmp_path / "broken.json"
    f.write_text('{"text": "abc",\n "title": }', encoding="utf-8")
    with pytest.raises(MalformedDocument, match=r"broken\.json: invalid JSON at line 2"):
        read_file(f)


def test_jsonl_keeps_good_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"text": EN, "published": "22/09/2022"}),
        "{not json",
        "",
        json.dumps({"text": RU}, ensure_ascii=False),
        json.dumps({"title": "no text"}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = read_file(f)
    assert [a.id for a in result] == ["feed-1", "feed-3"]
    assert [a.language for a in result] == ["en", "ru"]
    assert [fl.path for fl in result.failures] == [f"{f}:line 2", f"{f}:line 5"]
    assert "invalid JSON at line 2" in result.failures[0].reason
    assert "no 'text' field" in result.failures[1].reason
    assert any("unreadable date" in w for w in result.warnings)
    assert result.articles[0].published is None


def test_jsonl_all_lines_broken(tmp_path: Path) -> None:
    f = tmp_path / "bad.jsonl"
    f.write_text("{oops\n[1, 2\n", encoding="utf-8")
    with pytest.raises(MalformedDocument, match="line 1"):
        read_file(f)


# --- decoding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("utf-8-sig", EN),
        ("utf-16", RU),
        ("cp1251", RU),
        ("koi8-r", RU),
        ("latin-1", "Réservistes mobilisés à Moscou : déjà très nombreux à fuir le pays."),
        ("cp1250", "Vlada je sprejela nov zakon o davkih, ki bo začel veljati čez šest mesecev."),
    ],
)
def test_encodings(tmp_path: Path, encoding: str, text: str) -> None:
    f = tmp_path / f"{encoding}.txt"
    f.write_bytes(text.encode(encoding))
    art = read_file(f, NO_DETECT)[0]
    assert art.text == text


def test_mojibake_is_repaired(tmp_path: Path) -> None:
    original = "Zelenski a déclaré : « Протестуйте » — café, naïve, Зеленський."
    garbled = original.encode("utf-8").decode("latin-1")
    f = tmp_path / "moji.txt"
    f.write_text(garbled, encoding="utf-8")
    result = read_file(f, NO_DETECT)
    assert result[0].text == original
    assert any("mojibake" in w for w in result.warnings)
    assert fix_mojibake("Ð—ÐµÐ»ÐµÐ½Ñ\x81ÐºÐ¸Ð¹") == "Зеленский"
    assert fix_mojibake("â€œquotedâ€\x9d cafÃ©") == "“quoted” café"
    assert fix_mojibake("déjà vu, Ärger, ½") == "déjà vu, Ärger, ½"


def test_forced_encoding(tmp_path: Path) -> None:
    f = tmp_path / "forced.txt"
    f.write_bytes(RU.encode("cp1251"))
    assert read_file(f, ReadOptions(encoding="cp1251", detect_language=False))[0].text == RU
    with pytest.raises(EncodingFailure, match=r"forced\.txt"):
        read_file(f, ReadOptions(encoding="utf-8"))


# --- errors ---------------------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: file not found") as info:
        read_file(tmp_path / "nope.txt")
    assert info.value.hint


def test_empty_and_whitespace_files(tmp_path: Path) -> None:
    for name, data in (
        ("empty.txt", b""),
        ("blank.txt", b"  \n\t\n"),
        ("bom.txt", b"\xef\xbb\xbf"),
    ):
        f = tmp_path / name
        f.write_bytes(data)
        with pytest.raises(EmptyDocument, match=re.escape(name)):
            read_file(f)


def test_only_junk_is_empty(tmp_path: Path) -> None:
    f = tmp_path / "junk.txt"
    f.write_text("Advertisement\n\nTags: a, b\n\nPhoto: Reuters\n", encoding="utf-8")
    with pytest.raises(EmptyDocument, match="after cleaning"):
        read_file(f)


def test_binary_files(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(BinaryFile, match=r"image\.txt.*PNG"):
        read_file(f)
    g = tmp_path / "nul.dat"
    g.write_bytes(b"some text\x00\x00\x01\x02 more")
    with pytest.raises(BinaryFile, match="NUL"):
        read_file(g)


def test_undecodable_file(tmp_path: Path) -> None:
    f = tmp_path / "noise.txt"
    f.write_bytes(bytes(range(128, 256)) * 8)
    with pytest.raises(EncodingFailure, match=r"noise\.txt"):
        read_file(f)
    with pytest.raises(EncodingFailure):
        decode_bytes(bytes([0xE9, 0xFA, 0xC3, 0x80, 0x9F, 0xA4, 0xB0, 0x20]) * 30, "x")


def test_too_large(tmp_path: Path) -> None:
    f = tmp_path / "big.txt"
    f.write_text(EN * 20, encoding="utf-8")
    with pytest.raises(FileTooLarge, match=r"big\.txt: file too large"):
        read_file(f, ReadOptions(max_bytes=1000))


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        read_file(tmp_path)


def test_read_paths_collects_failures(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(EN, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = read_paths([good, empty, tmp_path / "missing.txt"], NO_DETECT)
    assert [a.id for a in result] == ["good"]
    assert [Path(f.path).name for f in result.failures] == ["empty.txt", "missing.txt"]
    assert all(f.hint for f in result.failures)


def test_bytes_are_read_by_their_name_or_suffix() -> None:
    data = json.dumps([{"id": "a", "text": EN}, {"text": ES}]).encode()
    result = read_file(data, NO_DETECT, name="inbox/batch.json")
    assert [a.id for a in result] == ["a", "batch-2"]
    assert {a.path for a in result} == {"inbox/batch.json"}
    by_suffix = read_file(data, NO_DETECT, name="https://x.example/api/latest", suffix=".json")
    assert [a.id for a in by_suffix] == ["a", "latest-2"]
    packed = read_file(gzip.compress(data), NO_DETECT, name="batch.json.gz")
    assert [(a.id, a.text) for a in packed] == [(a.id, a.text) for a in result]
    with pytest.raises(FileTooLarge, match=r"big\.txt: file too large"):
        read_file(EN.encode() * 20, ReadOptions(max_bytes=1000), name="big.txt")
    with pytest.raises(MalformedDocument, match=r"^inbox/cut\.json: invalid JSON"):
        read_file(data[:30], NO_DETECT, name="inbox/cut.json")


def test_declared_charset_is_tried_before_detection() -> None:
    data = "Le café est fermé depuis lundi, a déclaré le maire de la ville.".encode("cp1252")
    assert "café" in decode_bytes(data, "x").text  # detected: cp1252
    assert "cafй" in decode_bytes(data, "x", declared="cp1251").text  # the server's word wins
    assert "café" in decode_bytes(data, "x", declared="utf-8").text  # it does not decode
    assert "café" in decode_bytes(data, "x", declared="x-bogus").text  # unknown label
    assert "cafИ" in decode_bytes(data, "x", "koi8_r", declared="cp1251").text  # forced wins
    (article,) = read_file(data, NO_DETECT, name="page.txt", charset="cp1251")
    assert "cafй" in article.text


# --- small helpers --------------------------------------------------------------------------


def test_source_from_url_and_dates() -> None:
    assert source_from_url("https://www.bbc.co.uk/news/1") == "bbc.co.uk"
    assert source_from_url("http://m.example.com") == "example.com"
    assert source_from_url(None) is None and source_from_url("") is None
    assert parse_date("2022-09-22") == date(2022, 9, 22)
    assert parse_date("2022-09-22T23:30:00Z") == date(2022, 9, 22)
    assert parse_date("yesterday") is None and parse_date(20220922) is None
