"""Every error class of the library. Each error carries a one-line ``hint``: what to do.

Grouped by what they are about: reading input, fetching URLs, languages and models,
options and requests, the stored collection, running on a cluster, and evaluation data.
No other module defines an exception class (``tests/test_layers.py`` checks it). The CLI
prints any :class:`NewsprismError` as ``error: <message> (hint: <hint>)`` and exits with
the usage code; the web app answers 404 for :class:`NotFound` and :class:`StoryNotFound`
and 400 for any other.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsprism.model import Failure


class NewsprismError(Exception):
    """Base class. ``str(err)`` is the message; ``err.hint`` the fix."""

    default_hint = ""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint if hint is not None else self.default_hint

    def __str__(self) -> str:
        return self.message


# --- reading input -----------------------------------------------------------------------


class InputError(NewsprismError):
    """A document could not be read: missing, empty, binary, undecodable, malformed."""

    default_hint = "check the file, or leave it out of the batch"


class EmptyDocument(InputError):
    """The document has no article text."""

    default_hint = "the file has no article text; leave it out or fix the export"


class BinaryFile(InputError):
    """The file is binary (an image, an archive…), not a text document."""

    default_hint = "pass text, HTML, JSON or JSONL files"


class EncodingFailure(InputError):
    """The file's bytes cannot be decoded as text."""

    default_hint = "re-save the file as UTF-8"


class MalformedDocument(InputError):
    """The document's syntax is broken (invalid JSON, an unreadable feed…)."""

    default_hint = "fix the document's syntax (see the position in the message)"


class UnsupportedFormat(InputError):
    """No reader handles this kind of file."""

    default_hint = "pass .txt, .html/.htm, .json or .jsonl files"


class FileTooLarge(InputError):
    """The file is larger than the readers accept (``ReadOptions.max_bytes``)."""

    default_hint = "split the file or raise ReadOptions.max_bytes"


# --- fetching URLs -----------------------------------------------------------------------


class FetchError(InputError):
    """A URL could not be fetched: network error, HTTP error, limit exceeded."""

    default_hint = "check the URL, or leave it out of the batch"


class BlockedAddress(FetchError):
    """The URL's host resolves to an address that is not public (loopback, private…)."""

    default_hint = "only public addresses are fetched; pass --allow-private to fetch this one"


class ResponseTooLarge(FetchError):
    """The response body is larger than the download limit."""

    default_hint = "raise the size limit (--max-bytes) if this page is really that large"


# --- languages and models ----------------------------------------------------------------


class LanguageError(NewsprismError):
    """The language of a document could not be determined or is not supported."""

    default_hint = "give the language explicitly (JSON field 'language' or --language)"


class ModelUnavailable(NewsprismError):
    """An optional model package is not installed."""

    default_hint = "install the package named in the message"


class ModelError(NewsprismError):
    """The similarity model file is missing or malformed."""

    default_hint = "re-create it with scripts/train_similarity.py --data FILE"


# --- options and requests ----------------------------------------------------------------


class OptionError(NewsprismError):
    """An option has a value that cannot be used."""

    default_hint = "see `newsprism --help` for accepted values"


class BadRequest(OptionError):
    """A query parameter of a web request that cannot be used."""

    default_hint = "see docs/web.md for the parameters of each route"


# --- the stored collection ---------------------------------------------------------------


class StoreError(NewsprismError):
    """The collection file cannot be opened, or a query is not valid."""

    default_hint = "check the --db path (a newsprism collection made by `newsprism ingest`)"


class SchemaError(NewsprismError):
    """The database's schema cannot be brought to the version this code uses."""

    default_hint = "open the collection with the newsprism version that created it, or upgrade"


class NotFound(InputError):
    """No article or story has this id."""

    default_hint = "start from the stories page, or search the collection"


class MissingArticles(NotFound):
    """Some of the article ids asked for are not stored; ``failures`` names each."""

    def __init__(self, failures: Sequence[Failure]) -> None:
        super().__init__("; ".join(f.reason for f in failures), failures[0].hint)
        self.failures = tuple(failures)


class StoryNotFound(InputError):
    """No story has this id."""

    default_hint = "list the stories with `newsprism stories --db FILE`"


class ExportError(NewsprismError):
    """The collection cannot be exported in the format asked for."""

    default_hint = "choose --format jsonl or csv, or install the missing package"


# --- running on a cluster ----------------------------------------------------------------


class EngineError(NewsprismError):
    """The cluster failed: no scheduler at the address, or a task failed on every try."""

    default_hint = (
        "check that the scheduler runs (`dask scheduler`) and that its workers have"
        " newsprism installed (see docs/distributed.md)"
    )


# --- evaluation data ---------------------------------------------------------------------


class EvalDataError(InputError):
    """The gold data of a quality evaluation cannot be read or used; each evaluation
    gives the hint that describes its own format."""

    default_hint = "pass the gold data in the task's format (see docs/quality.md)"


def failure_of(where: str, err: Exception) -> Failure:
    """The :class:`~newsprism.model.Failure` that records ``err`` for the document at
    ``where``: its message (prefixed with ``where``) and hint, or, for an error that is not
    a :class:`NewsprismError` (a bug met on this document), an "internal error" line."""
    if isinstance(err, NewsprismError):
        message = err.message if err.message.startswith(where) else f"{where}: {err.message}"
        return Failure(where, message, err.hint)
    return Failure(
        where,
        f"{where}: internal error: {type(err).__name__}: {err}",
        "please report this with the file attached",
    )


_UNPRINTABLE = {"Cc", "Cs", "Zl", "Zp"}
_BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return repr(char)[1:-1] if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal: control characters (newlines,
    escape codes), line separators and bidirectional controls are written as escapes
    (``\\n``, ``\\x1b``, ``\\u202e``), and a file name's bytes that are not UTF-8 as
    ``\\xff`` (as :func:`os.fsdecode` keeps them). Other text is unchanged."""
    if text.isprintable():
        return text
    import unicodedata

    return "".join(
        _escape(c) if c in _BIDI_CONTROLS or unicodedata.category(c) in _UNPRINTABLE else c
        for c in text
    )
