"""JSON from untrusted documents, parsed without a crash.

:func:`load_json` parses a JSON text like :func:`json.loads`, but:

- a document nested deeper than ``MAX_JSON_DEPTH`` (256) levels is refused with
  ``MalformedDocument`` before parsing (Python's parser would end in a
  ``RecursionError``);
- an integer longer than Python converts (4,300 digits) does not stop the parse: it
  becomes a :class:`LongInteger`, which the readers refuse in the record that holds it;
- every other syntax error is a ``MalformedDocument`` with its line and column.

:func:`replace_surrogates` replaces the lone surrogates a JSON string may carry
(``"\\ud800"``: valid JSON, but not encodable text) with U+FFFD.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from typing import Any

from newsprism.errors import MalformedDocument

__all__ = ["MAX_JSON_DEPTH", "LongInteger", "load_json", "replace_surrogates"]

MAX_JSON_DEPTH = 256
_MAX_DIGITS = getattr(sys, "get_int_max_str_digits", lambda: 4300)() or 4300
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class LongInteger:
    """An integer of more digits than Python converts (``digits`` of them)."""

    digits: int

    def __str__(self) -> str:
        return f"an integer of {self.digits} digits"


def _integer(text: str) -> int | LongInteger:
    digits = len(text.lstrip("-"))
    return int(text) if digits <= _MAX_DIGITS else LongInteger(digits)


def _depth(text: str) -> int:
    """The deepest nesting of arrays and objects in ``text`` (brackets inside strings
    do not count)."""
    if text.count("[") + text.count("{") <= MAX_JSON_DEPTH:
        return 0  # too few brackets to go that deep
    depth = deepest = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def load_json(text: str, name: str, *, line: int | None = None) -> Any:
    """The value of the JSON ``text`` (see the module docs). ``name`` (the document) and
    ``line`` (for the line of a JSONL file) are named in a ``MalformedDocument``."""
    where = f"{name}: line {line}" if line is not None else name
    depth = _depth(text)
    if depth > MAX_JSON_DEPTH:
        raise MalformedDocument(
            f"{where}: JSON nested {depth} levels deep (the limit is {MAX_JSON_DEPTH})",
            "flatten the document: articles need no deep nesting",
        )
    try:
        return json.loads(text, parse_int=_integer)
    except json.JSONDecodeError as err:
        at = line if line is not None else err.lineno
        raise MalformedDocument(
            f"{name}: invalid JSON at line {at}, column {err.colno}: {err.msg}"
        ) from err
    except (ValueError, RecursionError) as err:
        raise MalformedDocument(f"{where}: invalid JSON: {err}") from err


def replace_surrogates(text: str) -> tuple[str, int]:
    """``text`` with each lone surrogate (U+D800–U+DFFF) replaced by U+FFFD, and how
    many there were."""
    return _SURROGATE.subn("\ufffd", text)
