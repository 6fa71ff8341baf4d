"""Undoing HTTP content codings (gzip, deflate) as a stream, with a cap on what they give.

``decode_content(chunks, codings, limit)`` turns the bytes of a body, as they arrive,
into its decoded bytes, undoing every coding of ``Content-Encoding`` (``gzip, gzip``
is two layers, undone in reverse order). Each layer inflates at most 64 KiB at a time
(``zlib``'s ``max_length``) and counts what it gives: when one layer gives more than
``limit`` bytes, :class:`~newsprism.errors.FileTooLarge` is raised at once. So a small
body that inflates to gigabytes (a compression bomb, one layer or many) costs at most
``limit`` bytes of reading and a few 64 KiB pieces of memory per layer, and the caller
holds no more than ``limit`` bytes of output.

``gzip`` (``x-gzip``) may hold several members; ``deflate`` is read with its zlib
wrapper or raw, as servers send both; ``identity`` changes nothing. A body cut short
inside a compressed stream keeps what was decoded (as browsers and ``httpx`` do); bytes
after the end of a stream that do not start another gzip member are ignored. Any other
coding (``br``, ``zstd`` …) raises :class:`~newsprism.errors.UnsupportedFormat`.
With ``lenient``, a layer whose data is not compressed at all is passed through
unchanged (WARC files often keep the header of a body they stored decoded); otherwise
it raises :class:`~newsprism.errors.MalformedDocument`.

Messages do not name the document: callers add its name.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from newsprism.errors import FileTooLarge, MalformedDocument, UnsupportedFormat

__all__ = ["CODINGS", "content_codings", "decode_content"]

#: The content codings :func:`decode_content` undoes.
CODINGS = frozenset({"gzip", "x-gzip", "deflate", "identity"})

PIECE = 64 * 1024  # the most one inflate step gives
_GZIP_MAGIC = b"\x1f\x8b"


def content_codings(header: str | None) -> list[str]:
    """The codings of a ``Content-Encoding`` header value, in the order they were
    applied, lower case, without ``identity``: ``"gzip, GZIP"`` → ``["gzip", "gzip"]``."""
    codings = (part.strip().lower() for part in (header or "").split(","))
    return [c for c in codings if c and c != "identity"]


def decode_content(
    chunks: Iterable[bytes], codings: Sequence[str], limit: int, *, lenient: bool = False
) -> Iterator[bytes]:
    """The decoded bytes of the body read as ``chunks``, piece by piece, undoing
    ``codings`` (in the order they were applied, as :func:`content_codings` gives them).

    Raises :class:`FileTooLarge` as soon as one layer gives more than ``limit`` bytes,
    :class:`UnsupportedFormat` for a coding not in :data:`CODINGS`, and (unless
    ``lenient``) :class:`MalformedDocument` for data that is not in its coding.
    """
    unknown = [c for c in codings if c not in CODINGS]
    if unknown:
        raise UnsupportedFormat(
            f"unsupported content encoding {unknown[0]!r}",
            f"only {', '.join(sorted(CODINGS))} bodies are read",
        )
    stream: Iterable[bytes] = chunks
    for coding in reversed(codings):
        if coding != "identity":
            stream = _inflate(stream, coding, limit, lenient)
    yield from _counted(stream, limit)


def _too_large(limit: int) -> FileTooLarge:
    return FileTooLarge(f"decodes to more than {limit / 1e6:.1f} MB (the limit)")


def _counted(pieces: Iterable[bytes], limit: int) -> Iterator[bytes]:
    size = 0
    for piece in pieces:
        size += len(piece)
        if size > limit:
            raise _too_large(limit)
        if piece:
            yield piece


def _decompressor(coding: str, first: bytes) -> Any:
    if coding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    # deflate: RFC 9110 says zlib-wrapped, but many servers send raw deflate
    wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0
    return zlib.decompressobj(zlib.MAX_WBITS if wrapped else -zlib.MAX_WBITS)


def _inflate(chunks: Iterable[bytes], coding: str, limit: int, lenient: bool) -> Iterator[bytes]:
    """One layer: ``chunks`` inflated, at most :data:`PIECE` bytes per step."""
    gzip = coding != "deflate"
    inflater: Any = None
    produced = 0
    held = b""  # with ``lenient``: the input read before the first output (up to PIECE)
    done = passing = False  # the end of the (last) stream; data passed through unchanged
    carry = b""  # one byte kept until the next tells what starts there
    between = False  # gzip: a member ended; another one may follow
    for chunk in itertools.chain(chunks, [b""]):  # b"": the end
        if passing:
            yield chunk
            continue
        data, carry = carry + chunk, b""
        while data and not done:
            if inflater is None:
                if len(data) < 2 and chunk:
                    carry = data
                    break
                if between and not data.startswith(_GZIP_MAGIC):
                    done = True  # bytes after the last member: ignored
                    break
                inflater = _decompressor(coding, data)
            try:
                out = inflater.decompress(data, PIECE)
            except zlib.error as err:
                if lenient and produced == 0 and len(held) <= PIECE:
                    passing = True
                    yield held + data
                    break
                raise MalformedDocument(f"not readable {coding} data: {err}") from err
            if lenient and produced == 0 and not out:
                held += data[: len(data) - len(inflater.unconsumed_tail)]
            produced += len(out)
            if produced > limit:
                raise _too_large(limit)
            yield out
            if inflater.eof:
                data = inflater.unused_data
                inflater = None
                between, done = True, not gzip
            else:
                data = inflater.unconsumed_tail
    while inflater is not None and not inflater.eof and not passing:  # what zlib holds back
        out = inflater.decompress(b"", PIECE)
        if not out:
            break
        produced += len(out)
        if produced > limit:
            raise _too_large(limit)
        yield out
