"""Compression bombs, endless lines and special files: bounded memory, no hang.

Every bomb is built here, in a temporary folder, in a moment (a gzip member of a GiB of
zeros is about 1 MB and is written without compressing a GiB), and the folder is
ingested by the real CLI in a subprocess whose peak resident memory is measured with
``getrusage(RUSAGE_CHILDREN)``: each bomb must become one failure with its reason, and
the whole run must stay under 300 MB. The child's address space is capped at 4 GiB so
that a regression fails the test (MemoryError, or the timeout for a hang) instead of
exhausting the machine. Smaller tests read named pipes and ``/dev/null`` in this process,
in a thread that is unblocked if reading hangs.
"""

from __future__ import annotations

import gzip
import io
import os
import struct
import threading
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from ingest_in_child import Batch, ingest_in_child
from newsprism.errors import InputError
from newsprism.read import ReadOptions, ReadResult, collect_files, read_file, read_paths
from newsprism.store import Store

MEMORY_BOUND_MB = 300
OPTS = ReadOptions(detect_language=False)
T = TypeVar("T")

TEXT = (
    "The council approved a new sea wall costing 12 million euros on Friday, officials said. "
    "Work on the wall starts in May and should take two years, the harbour master added."
)
PAGE = (
    f"<html><head><title>Sea wall approved</title></head><body><nav>Home | News</nav>"
    f"<article><h1>Sea wall approved</h1><p>{TEXT}</p><p>{TEXT[::-1]}</p></article>"
    "</body></html>"
).encode()


def gzip_member(head: bytes, zero_mib: int, tail: bytes = b"") -> bytes:
    """One gzip member of ``head``, ``zero_mib`` MiB of zeros and ``tail``: after a full
    flush the compressor writes the same bytes for every MiB of zeros, so it is made
    without compressing them."""
    zeros = bytes(1 << 20)
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block = packer.compress(zeros) + packer.flush(zlib.Z_FULL_FLUSH)
    end = packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(zero_mib):
        crc = zlib.crc32(zeros, crc)
    size = len(head) + (zero_mib << 20) + len(tail)
    trailer = struct.pack("<II", zlib.crc32(tail, crc), size & 0xFFFFFFFF)
    return b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + start + block * zero_mib + end + trailer


def warc_head(http: bytes, payload: int) -> bytes:
    """The WARC header of a response record whose block is ``http`` (the HTTP status
    and headers) and ``payload`` bytes of body."""
    return (
        b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: https://news.example/a\r\n"
        b"WARC-Date: 2024-03-04T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: " + str(len(http) + payload).encode() + b"\r\n\r\n" + http
    )


def http_head(*headers: str) -> bytes:
    lines = ["HTTP/1.1 200 OK", "Content-Type: text/html", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


# --- the CLI over a folder of bombs ---------------------------------------------------

GIB_OF_ZEROS = "decompresses to more than 20.0 MB"
NOT_REGULAR = "not a regular file"
EXPECTED = {
    "zeros.warc.gz": "record 1: a header line longer than 64 KiB",
    "long-line.warc": "record 1: a header line longer than 64 KiB",
    "many-headers.warc.gz": "record 1: headers longer than 1 MiB in one record",
    "one-chunk.warc.gz": "record 1: page larger than 20.0 MB",
    "encoded-twice.warc.gz": "record 1: page decodes to more than 20.0 MB",
    "bomb.json.gz": GIB_OF_ZEROS,
    "bomb.jsonl.gz": GIB_OF_ZEROS,
    "bomb.csv.gz": GIB_OF_ZEROS,
    "bomb.rss.gz": GIB_OF_ZEROS,
    "bomb.html.gz": GIB_OF_ZEROS,
    "zero.txt": f"{NOT_REGULAR} (a character device)",
    "zero.warc": f"{NOT_REGULAR} (a character device)",
    "pipe.txt": f"{NOT_REGULAR} (a named pipe)",
    "pipe.warc.gz": f"{NOT_REGULAR} (a named pipe)",
}


def write_bombs(root: Path) -> None:
    root.mkdir()
    gib = gzip_member(b"", 1024)  # 1 MB
    (root / "zeros.warc.gz").write_bytes(gib)
    with (root / "long-line.warc").open("wb") as out:  # sparse: 1 GB, one header line
        out.write(b"WARC/1.0\r\nWARC-Type: resource\r\nX-Pad: ")
        out.truncate(1_000_000_000)
    many = b"WARC/1.0\r\n" + b"X-Header: value\r\n" * 4_000_000
    (root / "many-headers.warc.gz").write_bytes(gzip.compress(many, 1))
    http, end = http_head("Transfer-Encoding: chunked") + b"40000000\r\n", b"\r\n0\r\n\r\n"
    head = warc_head(http, (1 << 30) + len(end))  # one chunk of 1 GiB
    (root / "one-chunk.warc.gz").write_bytes(gzip_member(head, 1024, end + b"\r\n\r\n"))
    body = gzip.compress(gib, 9)  # 2.5 KB, 1 GiB once both layers are undone
    record = warc_head(http_head("Content-Encoding: gzip, gzip"), len(body)) + body
    (root / "encoded-twice.warc.gz").write_bytes(gzip.compress(record + b"\r\n\r\n"))
    for suffix in ("json", "jsonl", "csv", "rss", "html"):
        (root / f"bomb.{suffix}.gz").write_bytes(gib)
    (root / "zero.txt").symlink_to("/dev/zero")
    (root / "zero.warc").symlink_to("/dev/zero")
    os.mkfifo(root / "pipe.txt")
    os.mkfifo(root / "pipe.warc.gz")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    base = tmp_path_factory.mktemp("bombs")
    root, db = base / "in", base / "c.db"
    write_bombs(root)
    # a regression runs out of address space, not the machine out of memory
    return ingest_in_child(root, db, address_cap=4 << 30)


def test_every_bomb_fails_alone_with_its_reason(batch: Batch) -> None:
    assert batch.returncode == 1, batch.stderr
    assert "Traceback" not in batch.stderr and "internal error" not in batch.stderr
    with Store(batch.db) as store:
        reasons = {f.failure.path: f.failure for f in store.failures()}
    for name, reason in EXPECTED.items():
        failure = reasons.get(str(batch.root / name))
        assert failure is not None, f"{name}: {sorted(reasons)}"
        assert reason in failure.reason, failure.reason
        assert failure.hint
    assert batch.summary["failed"] == len(EXPECTED) and batch.summary["ingested"] == 0


def test_memory_stays_bounded(batch: Batch) -> None:
    assert 0 < batch.peak_rss_mb < MEMORY_BOUND_MB


# --- special files, in this process --------------------------------------------------


def within(seconds: float, call: Callable[[], T], pipes: list[Path]) -> T:
    """``call()``, failing the test if it is still running after ``seconds`` (the named
    ``pipes`` are then opened for writing and closed, so that a blocked reader ends)."""
    outcome: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as err:
            errors.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        for pipe in pipes:
            os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(5)
        pytest.fail(f"reading did not end within {seconds} s")
    if errors:
        raise errors[0]
    return outcome[0]


def test_special_files_fail_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "null.html").symlink_to("/dev/null")
    pipes = [folder / "pipe.txt", tmp_path / "given.jsonl"]
    os.mkfifo(pipes[1])

    def read() -> ReadResult:
        return read_paths([folder, pipes[1]], OPTS)

    result = within(10, read, pipes)
    assert [a.text for a in result.articles] == [TEXT]
    reasons = {f.path: (f.reason, f.hint) for f in result.failures}
    assert reasons == {
        str(folder / "null.html"): (
            f"{folder / 'null.html'}: not a regular file (a character device)",
            reasons[str(folder / "null.html")][1],
        ),
        str(folder / "pipe.txt"): (
            f"{folder / 'pipe.txt'}: not a regular file (a named pipe)",
            reasons[str(folder / "pipe.txt")][1],
        ),
        str(pipes[1]): (
            f"{pipes[1]}: not a regular file (a named pipe)",
            reasons[str(pipes[1])][1],
        ),
    }
    assert all("only regular files are read" in hint for _, hint in reasons.values())
    files, failures, skipped = collect_files([folder])
    assert files == [folder / "good.txt"] and len(failures) == 2 and skipped == 0


@pytest.mark.parametrize("name", ["pipe.txt", "pipe.json.gz", "pipe.warc"])
def test_read_file_refuses_a_named_pipe_without_opening_it(tmp_path: Path, name: str) -> None:
    pipe = tmp_path / name
    os.mkfifo(pipe)

    def read() -> str:
        with pytest.raises(InputError, match=r"not a regular file \(a named pipe\)"):
            read_file(pipe, OPTS)
        return "refused"

    assert within(10, read, [pipe]) == "refused"


def test_read_file_refuses_devices(tmp_path: Path) -> None:
    link = tmp_path / "null.txt.gz"
    link.symlink_to("/dev/null")
    for path in (Path("/dev/null"), link):
        with pytest.raises(InputError, match=r"not a regular file \(a character device\)"):
            read_file(path, OPTS)


# --- WARC pages: codings undone, and pages kept before a bomb -------------------------


def write_pages(path: Path, pages: list[tuple[list[tuple[str, str]], bytes]]) -> None:
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for n, (headers, body) in enumerate(pages, 1):
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html"), *headers], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://news.example/{n}", "response", payload=io.BytesIO(body), http_headers=http
            )
            writer.write_record(record)


def chunked(data: bytes, size: int) -> bytes:
    parts = [data[i : i + size] for i in range(0, len(data), size)]
    return b"".join(b"%x;ext=1\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def test_warc_pages_in_every_coding_are_read(tmp_path: Path) -> None:
    raw = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    pages = [
        ([("Transfer-Encoding", "chunked")], chunked(PAGE, 100)),
        ([("Content-Encoding", "gzip")], gzip.compress(PAGE)),
        ([("Content-Encoding", "gzip, gzip")], gzip.compress(gzip.compress(PAGE))),
        ([("Content-Encoding", "deflate")], raw.compress(PAGE) + raw.flush()),
        (
            [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")],
            chunked(gzip.compress(PAGE), 50),
        ),
        ([("Content-Encoding", "gzip")], PAGE),  # stored decoded, the header kept
        ([("Content-Encoding", "utf-8")], PAGE),  # not a coding: taken as none
        ([("Transfer-Encoding", "chunked")], PAGE),  # stored unchunked
    ]
    path = tmp_path / "codings.warc.gz"
    write_pages(path, pages)
    result = read_file(path, OPTS)
    assert not result.failures
    assert len(result.articles) == len(pages)
    for article in result.articles:
        assert article.title == "Sea wall approved" and TEXT in article.text


def test_warc_pages_before_a_bomb_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    write_pages(path, [([], PAGE), ([], PAGE.replace(b"Friday", b"Monday"))])
    with path.open("ab") as out:
        out.write(gzip_member(b"", 64))  # 64 MiB of zeros: one endless header line
    result = read_file(path, OPTS)
    assert len(result.articles) == 2
    (failure,) = result.failures
    assert failure.path == str(path)
    assert failure.reason == f"{path}: record 3: a header line longer than 64 KiB"
