"""Typed errors. Every error carries a one-line ``hint`` saying what to do."""

from __future__ import annotations


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
