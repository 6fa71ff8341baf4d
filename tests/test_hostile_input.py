"""A folder of hostile files, ingested by the real CLI in a subprocess.

Every bad file must become a row of the ``failures`` table with a clear reason, every
good file must be stored, nothing may crash (no traceback), and the memory of the
process must stay bounded although one file is 50 MB.
"""

from __future__ import annotations

import gzip
import json
import time
from pathlib import Path

import pytest

from ingest_in_child import Batch, ingest_in_child
from newsprism.collection.ingest import read_file
from newsprism.errors import BinaryFile, EmptyDocument, FileTooLarge, MalformedDocument
from newsprism.read import ReadOptions
from newsprism.read.decode import decode_bytes
from newsprism.store import Store

EN = (
    "The council approved a new sea wall costing 12 million euros on Friday, officials said. "
    "Work on the wall starts in May and should take two years, the harbour master added."
)
FR = (
    "Les habitants ont été évacués lundi après la tempête, a déclaré le maire. "
    "Plus de 1 300 personnes étaient concernées par la montée des eaux."
)
RU = (
    "Совет депутатов утвердил строительство новой дамбы стоимостью 12 миллионов евро, "
    "сообщили в пятницу чиновники. Работы начнутся в мае и продлятся два года."
)
ES = (
    "El ayuntamiento aprobó el viernes un nuevo muro de contención que costará 12 millones "
    "de euros, según informaron las autoridades. Las obras empezarán en mayo."
)
LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(2, 10)).replace(
        "&lol1;", "&lol;"
    )
    + ']>\n<rss version="2.0"><channel><item><title>&lol9;</title>'
    "<description>&lol9;</description></item></channel></rss>\n"
)
MEMORY_BOUND_MB = 1200  # about 700 MB are the models; reading the 50 MB file would exceed it


def page(title: str, body: str) -> str:
    return (
        f"<html><head><title>{title}</title></head><body><nav>Home | News</nav><article>"
        f"<h1>{title}</h1><p>{body}</p><p>{body[::-1]}</p></article></body></html>"
    )


def write_corpus(root: Path) -> None:
    root.mkdir()
    # good files
    (root / "good.txt").write_text(f"Sea wall approved\n\n{EN}\n", encoding="utf-8")
    (root / "good.html").write_text(page("Digue approuvée", FR), encoding="utf-8")
    (root / "cp1251.txt").write_bytes(RU.encode("cp1251"))
    mojibake = ES.encode("utf-8").decode("cp1252").encode("utf-8")  # "aprobÃ³"
    (root / "mojibake.txt").write_bytes(mojibake)
    damaged = FR.replace("lundi", "lun\udcffdi").encode("utf-8", "surrogateescape")
    (root / "invalid-utf8.txt").write_bytes(damaged.replace(b"maire", b"ma\xc3ire"))
    lines = [
        json.dumps({"id": "line-ok-1", "text": EN.replace("Friday", "Monday")}),
        '{"id": "cut", "text": "The ferry',
        json.dumps({"id": "line-ok-2", "text": FR.replace("lundi", "mardi")}),
        "not json at all",
    ]
    (root / "broken.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "broken.csv").write_text(
        "id,title,text\n"
        f'csv-ok-1,Wall,"{EN.replace("12", "14")}"\n'
        "csv-empty,Nothing,\n"
        f'csv-ok-2,Muro,"{ES.replace("12", "15")}"\n',
        encoding="utf-8",
    )
    # bad files
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (root / "truncated.jsonl.gz").write_bytes(gzip.compress(b'{"text": "x"}\n' * 500)[:60])
    (root / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 60_000_000, compresslevel=9))
    with (root / "big.html").open("wb") as out:
        out.write(b"<html><body><p>" + EN.encode() + b"</p>")
        chunk = b"<div>" + b"filler text " * 100 + b"</div>\n"
        for _ in range(50_000_000 // len(chunk) + 1):
            out.write(chunk)
        out.write(b"</body></html>")
    deep = "<html><body>" + "<div>" * 100_000 + f"<p>{EN}</p>" + "</div>" * 100_000
    (root / "deep.html").write_text(deep + "</body></html>", encoding="utf-8")
    (root / "laughs.xml").write_text(LAUGHS, encoding="utf-8")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    base = tmp_path_factory.mktemp("hostile")
    root = base / "in"
    write_corpus(root)
    db = base / "c.db"
    return ingest_in_child(root, db)


@pytest.mark.slow
def test_exit_code_and_no_traceback(batch: Batch) -> None:
    assert batch.returncode == 1, batch.stderr
    assert "Traceback" not in batch.stderr
    assert "internal error" not in batch.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty file"),
        ("binary.txt", "binary file (PNG image)"),
        ("truncated.jsonl.gz", "not a readable gzip file"),
        ("bomb.txt.gz", "decompresses to more than 20.0 MB"),
        ("big.html", "file too large (50.0 MB"),
        ("laughs.xml", "refused: the document declares a DOCTYPE"),
        ("deep.html", "deep.html"),  # lxml stops at depth 256: a clear failure, no crash
    ],
)
def test_each_bad_file_has_a_failure_with_its_reason(batch: Batch, name: str, reason: str) -> None:
    with Store(batch.db) as store:
        rows = [r.failure for r in store.failures() if r.failure.path == str(batch.root / name)]
    assert len(rows) == 1, f"{name}: {rows}"
    assert reason in rows[0].reason
    assert rows[0].hint


@pytest.mark.slow
def test_broken_records_fail_alone(batch: Batch) -> None:
    with Store(batch.db) as store:
        paths = {r.failure.path for r in store.failures()}
        stored = {a.id for a in store}
    jsonl, csv = batch.root / "broken.jsonl", batch.root / "broken.csv"
    assert {f"{jsonl}:line 2", f"{jsonl}:line 4", f"{csv}:row 2"} <= paths
    assert {"line-ok-1", "line-ok-2", "csv-ok-1", "csv-ok-2"} <= stored


@pytest.mark.slow
def test_every_good_file_is_stored(batch: Batch) -> None:
    with Store(batch.db) as store:
        by_path = {a.path: a for a in store}
    for name in ("good.txt", "good.html", "cp1251.txt", "mojibake.txt", "invalid-utf8.txt"):
        assert str(batch.root / name) in by_path, name
    assert by_path[str(batch.root / "cp1251.txt")].text == RU
    assert by_path[str(batch.root / "cp1251.txt")].language == "ru"
    assert by_path[str(batch.root / "mojibake.txt")].text == ES  # repaired
    damaged = by_path[str(batch.root / "invalid-utf8.txt")].text
    assert "été évacués" in damaged and "lun\ufffddi" in damaged  # not read as a code page
    assert batch.summary["ingested"] == 5 + 4
    assert batch.summary["failed"] == 7 + 3


@pytest.mark.slow
def test_memory_stays_bounded(batch: Batch) -> None:
    assert 0 < batch.peak_rss_mb < MEMORY_BOUND_MB


def test_too_large_fails_fast_without_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.html"
    with big.open("wb") as out:
        out.truncate(50_000_000)  # sparse: 50 MB that were never read
    started = time.perf_counter()
    with pytest.raises(FileTooLarge, match=r"file too large \(50\.0 MB; the limit is 20\.0 MB\)"):
        read_file(big)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyDocument),
        (b"  \n\t ", EmptyDocument),
        (b"\x00\x01\x02abc" * 10, BinaryFile),
        (b"<rss><channel>", MalformedDocument),
    ],
)
def test_small_hostile_files_raise_typed_errors(
    tmp_path: Path, data: bytes, error: type[Exception]
) -> None:
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    with pytest.raises(error):
        read_file(path, ReadOptions(detect_language=False))


def test_damaged_utf8_is_not_read_as_a_code_page() -> None:
    damaged = "Les habitants ont été évacués, déclare le maire.".encode() + b"\xff!"
    decoded = decode_bytes(damaged, "x")
    assert decoded.encoding == "utf-8"
    assert decoded.text == "Les habitants ont été évacués, déclare le maire.\ufffd!"
    cp1250 = "Żółta łódź płynie po Wiśle, powiedział burmistrz.".encode("cp1250")
    assert decode_bytes(cp1250, "x").text.startswith("Żółta łódź")  # code pages still win


def test_unbalanced_ipv6_url_is_no_crash(tmp_path: Path) -> None:
    # found by scripts/fuzz_readers.py: urlsplit raised ValueError("Invalid IPv6 URL")
    path = tmp_path / "rows.csv"
    path.write_text(f'id,text,url\na,"{EN}",http://[news.example/a\n', encoding="utf-8")
    (article,) = read_file(path, ReadOptions(detect_language=False))
    assert article.url == "http://[news.example/a" and article.source is None
