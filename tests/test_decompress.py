"""Streamed, capped decoding of content codings (``newsprism.read.decompress``)."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from collections.abc import Iterable

import pytest

from newsprism.errors import FileTooLarge, MalformedDocument, UnsupportedFormat
from newsprism.read.decompress import PIECE, content_codings, decode_content

TEXT = b"The council approved a new sea wall costing 12 million euros on Friday. " * 200


def deflate(data: bytes, wbits: int) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    return packer.compress(data) + packer.flush()


def pieces(data: bytes, size: int) -> Iterable[bytes]:
    return (data[i : i + size] for i in range(0, len(data), size))


def decoded(chunks: Iterable[bytes], codings: list[str], limit: int = 10**7, **kw: bool) -> bytes:
    return b"".join(decode_content(chunks, codings, limit, **kw))


def test_codings_of_a_header() -> None:
    assert content_codings("gzip, GZIP") == ["gzip", "gzip"]
    assert content_codings(" identity ,deflate,") == ["deflate"]
    assert content_codings(None) == content_codings("") == []


@pytest.mark.parametrize("size", [1, 7, 4096, 10**6])
def test_layers_are_undone_in_reverse_order_whatever_the_chunks(size: int) -> None:
    body = deflate(gzip.compress(TEXT), zlib.MAX_WBITS)  # gzip first, then deflate
    assert decoded(pieces(body, size), ["gzip", "deflate"]) == TEXT
    assert decoded(pieces(deflate(TEXT, -zlib.MAX_WBITS), size), ["deflate"]) == TEXT  # raw
    assert decoded(pieces(TEXT, size), []) == TEXT


@pytest.mark.parametrize("size", [1, 5, 10**6])
def test_gzip_members_are_read_and_trailing_bytes_ignored(size: int) -> None:
    first = gzip.compress(TEXT[:100])
    body = first + gzip.compress(TEXT[100:]) + b"\0\0\0\0"
    assert decoded(pieces(body, size), ["x-gzip"]) == TEXT
    chunks = [first, body[len(first) : len(first) + 1], body[len(first) + 1 :]]  # split magic
    assert decoded(chunks, ["gzip"]) == TEXT


def test_a_body_cut_short_keeps_what_was_decoded() -> None:
    body = gzip.compress(TEXT)
    out = decoded([body[: len(body) // 2]], ["gzip"])
    assert 0 < len(out) < len(TEXT) and TEXT.startswith(out)


def test_every_layer_is_capped_and_inflated_piece_by_piece() -> None:
    bomb = gzip.compress(gzip.compress(bytes(200_000_000), 9), 9)  # 200 MB in about 1 KB
    assert len(bomb) < 2000
    tracemalloc.start()
    try:
        with pytest.raises(FileTooLarge, match=r"decodes to more than 1\.0 MB"):
            decoded([bomb], ["gzip", "gzip"], limit=1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4_000_000, f"{peak / 1e6:.1f} MB"
    # the inner layer alone is larger than the cap although the result is small
    inner = gzip.compress(gzip.compress(b"x" * 100) + bytes(3 * PIECE))  # a member, then zeros
    assert decoded([inner], ["gzip", "gzip"]) == b"x" * 100
    with pytest.raises(FileTooLarge):
        decoded([inner], ["gzip", "gzip"], limit=2 * PIECE)


def test_unsupported_and_broken_codings() -> None:
    with pytest.raises(UnsupportedFormat, match="unsupported content encoding 'br'"):
        decoded([b"x"], ["gzip", "br"])
    with pytest.raises(MalformedDocument, match="not readable gzip data"):
        decoded([TEXT], ["gzip"])
    assert decoded(pieces(TEXT, 3), ["gzip"], lenient=True) == TEXT  # stored decoded
    assert decoded([TEXT], ["deflate"], lenient=True) == TEXT
