"""Typed errors. Every error carries a one-line ``hint`` saying what to do."""

from __future__ import annotations

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


class InputError(NewsprismError):
    """A document could not be read: missing, empty, binary, undecodable, malformed."""

    default_hint = "check the file, or leave it out of the batch"


class EmptyDocument(InputError):
    default_hint = "the file has no article text; leave it out or fix the export"


class BinaryFile(InputError):
    default_hint = "pass text, HTML, JSON or JSONL files"


class EncodingFailure(InputError):
    default_hint = "re-save the file as UTF-8"


class MalformedDocument(InputError):
    default_hint = "fix the document's syntax (see the position in the message)"


class UnsupportedFormat(InputError):
    default_hint = "pass .txt, .html/.htm, .json or .jsonl files"


class LanguageError(NewsprismError):
    """The language of a document could not be determined or is not supported."""

    default_hint = "give the language explicitly (JSON field 'language' or --language)"


class ModelUnavailable(NewsprismError):
    """An optional model package is not installed."""

    default_hint = "install the package named in the message"


class OptionError(NewsprismError):
    default_hint = "see `newsprism --help` for accepted values"


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
