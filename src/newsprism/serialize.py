"""Plain (JSON-ready) data from the project's frozen dataclasses, and stored articles back.

:func:`to_data` is the one conversion behind every JSON output: the ``--format json``
output of the commands, the web API, the export files, the annotation cache and the plain
parts of the JSON report. Its rules:

* a dataclass becomes a dict of its fields, in field order;
* a tuple or list becomes a list, a mapping a dict (keys kept);
* a date (or datetime) becomes its ISO string, an enum its value, a ``Path`` a string;
* a finite float stays as it is; an infinite one (or NaN) becomes ``None`` with
  ``numbers="null"`` (strict JSON, what the interfaces show) or the string ``"inf"``,
  ``"-inf"`` or ``"nan"`` with ``numbers="text"`` (what the cache and the export files
  keep, so that :func:`article_from_dict` gets the value back);
* strings, integers, booleans and ``None`` stay as they are; anything else is a
  ``TypeError`` (a bug in the caller, found where the output is built).

Where an output differs from this plain form, a :class:`Shape` of a type says which
fields it drops, renames or inlines and which computed values it adds, or gives the type
a converter of its own (the JSON report for a coverage diff).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any, Literal

from newsprism.model import Article, DateRef, Mention, Quantity, Quote, Sentence

__all__ = ["NonFinite", "Shape", "article_from_dict", "article_to_dict", "to_data"]

NonFinite = Literal["null", "text"]
"""How :func:`to_data` writes an infinite float or NaN: ``None``, or ``"inf"``/``"-inf"``/
``"nan"``."""


@dataclass(frozen=True)
class Shape:
    """How an output shows the objects of type ``of``, against their plain form.

    ``drop``: fields left out. ``rename``: field → key. ``inline``: fields holding a
    dataclass whose keys are written in the field's place instead of under its name.
    ``add``: keys appended after the fields, each the value of a function of the object.
    ``convert``: a function giving the whole data of the object instead (the other
    settings then do not apply).
    """

    of: type[Any]
    drop: tuple[str, ...] = ()
    rename: Mapping[str, str] = field(default_factory=dict)
    inline: tuple[str, ...] = ()
    add: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)
    convert: Callable[[Any], Any] | None = None


def to_data(
    obj: object,
    *,
    numbers: NonFinite = "null",
    shapes: Iterable[Shape] = (),
) -> Any:
    """``obj`` as plain data (dicts, lists, strings, numbers, booleans, ``None``) by the
    rules of this module; a shape applies to the objects of exactly its type."""
    return _Converter(numbers, {shape.of: shape for shape in shapes}).data(obj)


class _Converter:
    def __init__(self, numbers: NonFinite, shapes: Mapping[type[Any], Shape]) -> None:
        self.numbers = numbers
        self.shapes = shapes

    def data(self, obj: object) -> Any:
        shape = self.shapes.get(type(obj))
        if shape is not None and shape.convert is not None:
            return shape.convert(obj)
        if isinstance(obj, Enum):  # before str and int: a StrEnum is a str
            return self.data(obj.value)
        if obj is None or isinstance(obj, str | bool | int):
            return obj
        if isinstance(obj, float):
            return self.number(obj)
        if isinstance(obj, date):
            return obj.isoformat()
        if isinstance(obj, Path):
            return str(obj)
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return self.fields(obj, shape)
        if isinstance(obj, Mapping):
            return {key: self.data(value) for key, value in obj.items()}
        if isinstance(obj, tuple | list):
            return [self.data(x) for x in obj]
        raise TypeError(f"no plain-data form for {type(obj).__name__}: {obj!r}")

    def number(self, x: float) -> float | str | None:
        if math.isfinite(x):
            return x
        if self.numbers == "null":
            return None
        return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")

    def fields(self, obj: Any, shape: Shape | None) -> dict[str, Any]:
        shape = shape or Shape(type(obj))
        out: dict[str, Any] = {}
        for f in dataclasses.fields(obj):
            if f.name in shape.drop:
                continue
            value = self.data(getattr(obj, f.name))
            if f.name in shape.inline:
                if not isinstance(value, dict):
                    raise TypeError(f"{type(obj).__name__}.{f.name} is not a dataclass")
                out.update(value)
            else:
                out[shape.rename.get(f.name, f.name)] = value
        for key, compute in shape.add.items():
            out[key] = self.data(compute(obj))
        return out


# --- the stored form of an article --------------------------------------------------------


def article_to_dict(article: Article) -> dict[str, Any]:
    """An annotated article as plain data for the cache and the export files (infinite
    interval ends as ``"inf"``/``"-inf"``, so the JSON stays strict and comes back)."""
    data: dict[str, Any] = to_data(article, numbers="text")
    return data


def article_from_dict(data: dict[str, Any]) -> Article:
    """The article of :func:`article_to_dict`'s data."""

    def day(value: str | None) -> date | None:
        return date.fromisoformat(value) if value else None

    def numbers(q: dict[str, Any]) -> dict[str, Any]:
        return {**q, **{k: float(q[k]) for k in ("value", "low", "high")}}

    return Article(
        id=data["id"],
        text=data["text"],
        title=data["title"],
        language=data["language"],
        source=data["source"],
        url=data["url"],
        published=day(data["published"]),
        path=data["path"],
        removed=tuple(data["removed"]),
        sentences=tuple(Sentence(**s) for s in data["sentences"]),
        mentions=tuple(Mention(**m) for m in data["mentions"]),
        quantities=tuple(Quantity(**numbers(q)) for q in data["quantities"]),
        quotes=tuple(Quote(**q) for q in data["quotes"]),
        dates=tuple(DateRef(**{**d, "value": day(d["value"])}) for d in data["dates"]),
    )
