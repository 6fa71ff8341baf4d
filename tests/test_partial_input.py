"""Lost or partial input: truncated compressed and WARC files, folders that cannot be
listed, UTF-16 without BOM, files mixing encodings, feeds with declarations in CDATA or
nested very deep. Every input is built here and read by the real readers."""

from __future__ import annotations

import gzip
import os
import pickle
import shutil
import tempfile
from pathlib import Path

import pytest

from newsprism.collection.ingest import IngestOptions, ingest
from newsprism.errors import MalformedDocument
from newsprism.model import Failure
from newsprism.pipeline.run import PipelineOptions
from newsprism.read import ReadOptions, read_file, read_paths
from newsprism.read.decode import decode_bytes
from newsprism.read.files import collect_files
from newsprism.store import Store
from test_feeds_warc import write_warc

OPTS = ReadOptions(detect_language=False)

STORM = (
    "More than 1,300 people were evacuated from the harbour district on Monday, the mayor "
    "said. Emergency crews worked through the night to reinforce the sea wall. "
) * 20

RU = (
    "Министр обороны заявил в понедельник, что 1300 человек были эвакуированы из "
    "прибрежного района.\nВласти города обещали помощь пострадавшим семьям.\n"
)
ZH = "国防部长周一表示，已有1300人从沿海地区撤离。\n市政府承诺提供帮助，预计2024年完成重建。\n"


# --- truncated compressed files ----------------------------------------------------------


@pytest.mark.parametrize("name", ["storm.txt.gz", "storm.jsonl.gz"])
def test_a_truncated_gz_is_a_failure_not_a_partial_article(tmp_path: Path, name: str) -> None:
    text = (
        STORM
        if name.endswith(".txt.gz")
        else "\n".join(f'{{"id": "s{i}", "text": "{STORM}"}}' for i in range(5))
    )
    whole = gzip.compress(text.encode("utf-8"))
    for cut in (len(whole) - 4, len(whole) - 9, len(whole) // 2, 30):
        path = tmp_path / name
        path.write_bytes(whole[:cut])
        result = read_paths([path], OPTS)
        assert result.articles == (), cut
        (failure,) = result.failures
        assert failure.path == str(path) and "not a readable gzip file" in failure.reason


def test_errors_inside_a_gz_name_the_gz_file(tmp_path: Path) -> None:
    path = tmp_path / "feed.rss.gz"
    path.write_bytes(gzip.compress(b"<rss><channel><item>"))
    with pytest.raises(MalformedDocument) as err:
        read_file(path, OPTS)
    assert str(err.value).startswith(f"{path}: invalid XML")


# --- truncated WARC files ----------------------------------------------------------------


def test_a_warc_cut_inside_a_page_keeps_no_part_of_it(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, compress=False)
    data = path.read_bytes()
    for cut in (data.find(b"Ferry services") + 40, data.find(b"</html>", data.find(b"Ferry"))):
        path.write_bytes(data[:cut])
        result = read_file(path, OPTS)
        assert [a.id for a in result.articles] == ["crawl-2"]  # the ferry page is lost whole
        (failure,) = result.failures
        assert failure.path == str(path)
        assert "truncated: the file ends inside record 5" in failure.reason


def test_a_warc_cut_inside_a_record_header_is_a_failure(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    write_warc(path, compress=False)
    data = path.read_bytes()
    last = data.rfind(b"WARC/1")  # the header of the empty page, cut short anywhere
    for cut in range(last + 1, data.find(b"\r\n\r\n", last), 7):
        path.write_bytes(data[:cut])
        result = read_file(path, OPTS)
        assert len(result.articles) == 2, cut
        (failure,) = result.failures
        assert failure.path == str(path)
        assert any(
            reason in failure.reason
            for reason in (
                "record 6 has no Content-Length",
                "not a readable WARC file after 5",
                "truncated: the file ends inside record 6",
            )
        ), (cut, failure.reason)


def test_a_warc_of_one_page_cut_short_stores_nothing(tmp_path: Path) -> None:
    path = tmp_path / "in" / "crawl.warc"
    path.parent.mkdir()
    write_warc(path, compress=False)
    data = path.read_bytes()
    start = data.find(b"WARC/1", data.find(b"news.example/storm", 300) - 400)
    path.write_bytes(data[: data.find(b"Emergency crews", start)])  # request + half a page
    options = IngestOptions(pipeline=PipelineOptions(cache=False), stories=None)
    with Store(tmp_path / "c.db") as store:
        summary = ingest([path.parent], store, options)
        stored = list(store)
        reasons = [row.failure.reason for row in store.failures()]
    assert (summary.ingested, summary.failed, stored) == (0, 1, [])
    assert any("truncated: the file ends inside record 2" in r for r in reasons), reasons


# --- folders that cannot be listed --------------------------------------------------------


def _too_long(root: Path) -> Path:
    """A folder under ``root`` whose path is longer than the system allows (made with
    file descriptors), holding one text file: it cannot be listed by its path."""
    fd = os.open(root, os.O_RDONLY)
    made = root
    try:
        while len(str(made)) < 4200:
            os.mkdir("n" * 200, dir_fd=fd)
            inner = os.open("n" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            made = made / ("n" * 200)
        with open(os.open("lost.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as out:
            out.write(STORM)
    finally:
        os.close(fd)
    return made


def test_a_folder_whose_path_is_too_long_is_a_failure(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(STORM, encoding="utf-8")
    _too_long(tmp_path)
    files, missing, _ = collect_files([tmp_path])
    assert files == [tmp_path / "ok.txt"]
    (failure,) = missing
    assert "cannot read the folder" in failure.reason and "too long" in failure.reason
    assert failure.path.startswith(str(tmp_path / ("n" * 200)))
    assert [f.reason for f in read_paths([tmp_path], OPTS).failures] == [failure.reason]


def _collect_as_nobody(folder: Path) -> tuple[list[Path], list[Failure], int]:
    """``collect_files([folder])`` in a child process that gave up root for the user
    ``nobody`` (root lists any folder whatever its mode)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: no return from here
        code = 0
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(65534)
            os.setuid(65534)
            with os.fdopen(write, "wb") as out:
                pickle.dump(collect_files([folder]), out)
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as got:
        data = got.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0 and data
    found: tuple[list[Path], list[Failure], int] = pickle.loads(data)
    return found


def test_an_unreadable_folder_is_a_failure() -> None:
    root = Path(tempfile.mkdtemp())  # not under pytest's folder, which only root may enter
    try:
        root.chmod(0o755)
        (root / "ok.txt").write_text(STORM, encoding="utf-8")
        locked = root / "locked"
        locked.mkdir()
        (locked / "hidden.txt").write_text(STORM, encoding="utf-8")
        locked.chmod(0)
        if os.geteuid() == 0:
            files, missing, _ = _collect_as_nobody(root)
        else:
            files, missing, _ = collect_files([root])
    finally:
        (root / "locked").chmod(0o755)
        shutil.rmtree(root)
    assert files == [root / "ok.txt"]
    (failure,) = missing
    assert failure.path == str(locked)
    assert failure.reason == f"{locked}: cannot read the folder: Permission denied"


# --- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize("text", [RU, ZH, STORM], ids=["russian", "chinese", "english"])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read(tmp_path: Path, text: str, encoding: str) -> None:
    decoded = decode_bytes(text.encode(encoding), "x")
    assert (decoded.text, decoded.encoding) == (text, encoding)
    path = tmp_path / "utf16.txt"
    path.write_bytes(text.encode(encoding))
    assert read_file(path, OPTS).articles[0].text.startswith(text.split("\n")[0][:20])


@pytest.mark.parametrize("seed", range(20))
def test_binary_with_nuls_on_one_side_is_not_utf16(seed: int) -> None:
    import random

    rng = random.Random(seed)
    data = bytes(rng.randrange(256) if i % 2 == 0 or rng.random() < 0.5 else 0 for i in range(4000))
    try:
        decoded = decode_bytes(data, "x")
    except MalformedDocument:
        return
    except Exception as err:  # binary, encoding: the typed errors of bad input
        assert type(err).__module__ == "newsprism.errors"
        return
    assert not decoded.encoding.startswith("utf-16")


def test_a_file_mixing_encodings_is_read_line_by_line_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes(
        "Министр обороны заявил в понедельник, что людей эвакуировали.\n".encode()
        + "Власти города обещали помощь пострадавшим семьям.\n".encode("cp1251")
        + "Всё остальное осталось как было.\n".encode()
    )
    result = read_file(path, OPTS)
    text = result.articles[0].text
    assert "Власти города обещали помощь" in text and "Всё остальное" in text
    assert "\ufffd" not in text
    (warning,) = result.warnings
    assert str(path) in warning and "mixes encodings (utf-8+cp1251)" in warning


def test_damaged_utf8_is_not_taken_for_mixed_encodings() -> None:
    damaged = "Les habitants ont été évacués, déclare le maire.\nLundi soir.".encode()
    decoded = decode_bytes(damaged.replace(b"Lundi", b"Lun\xffdi"), "x")
    assert not decoded.mixed and "Lun\ufffddi" in decoded.text


# --- feeds ----------------------------------------------------------------------------------


def _rss(description: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel>'
        "<title>Code Daily</title><item><title>Doctypes explained</title>"
        f"<link>https://code.example/doctype</link><description>{description}</description>"
        "</item></channel></rss>"
    )


def test_a_doctype_inside_cdata_is_accepted() -> None:
    body = (
        "<![CDATA[<p>Every HTML page starts with <!DOCTYPE html>; old ones used "
        '<!ENTITY nbsp "&#160;"> declarations. ' + STORM[:200] + "</p>]]>"
    )
    result = read_file(_rss(body).encode("utf-8"), OPTS, name="code.rss")
    assert "Every HTML page starts with" in result.articles[0].text


@pytest.mark.parametrize(
    "prolog",
    [
        '<!DOCTYPE rss [<!ENTITY a "b">]>',
        "<!-- a comment first -->\n<!doctype rss>",
        '<?xml-stylesheet href="x.xsl"?><!ENTITY a "b">',
    ],
)
def test_a_real_doctype_stays_refused(prolog: str) -> None:
    with pytest.raises(MalformedDocument, match="refused: the document declares a DOCTYPE"):
        read_file(_rss(STORM[:200], prolog).encode("utf-8"), OPTS, name="code.rss")


def test_an_atom_entry_nested_3000_deep_is_a_failure_with_a_reason(tmp_path: Path) -> None:
    deep = "<div>" * 3000 + STORM[:100] + "</div>" * 3000
    atom = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>Deep</title><entry><title>x</title>'
        f'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">{deep}</div>'
        "</content></entry></feed>"
    )
    path = tmp_path / "deep.atom"
    path.write_text(atom, encoding="utf-8")
    (failure,) = read_paths([path], OPTS).failures
    assert failure.reason == f"{path}: elements nested more than 256 deep"
