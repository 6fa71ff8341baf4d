"""The public API is exactly ``newsprism.__all__``; changing it must be a deliberate act.

Adding or removing a public name means updating ``EXPECTED`` here as well.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect

import pytest

import newsprism
from newsprism.errors import NewsprismError

EXPECTED = [
    "Article",
    "BinaryFile",
    "Collection",
    "CompareOptions",
    "Coverage",
    "DateRef",
    "EmptyDocument",
    "EncodingFailure",
    "Entity",
    "Fact",
    "Failure",
    "InputError",
    "LanguageError",
    "MalformedDocument",
    "Mention",
    "ModelUnavailable",
    "NewsprismError",
    "OptionError",
    "PipelineOptions",
    "Quantity",
    "Quote",
    "Sentence",
    "Statement",
    "Status",
    "UnsupportedFormat",
    "__version__",
    "align",
    "annotate",
    "compare_articles",
    "compare_paths",
    "render",
]

ERRORS = {
    "BinaryFile",
    "EmptyDocument",
    "EncodingFailure",
    "InputError",
    "LanguageError",
    "MalformedDocument",
    "ModelUnavailable",
    "NewsprismError",
    "OptionError",
    "UnsupportedFormat",
}
FUNCTIONS = {"align", "annotate", "compare_articles", "compare_paths", "render"}


def test_all_is_exactly_the_checked_list() -> None:
    assert list(newsprism.__all__) == EXPECTED
    assert len(set(newsprism.__all__)) == len(newsprism.__all__)


def test_all_is_sorted() -> None:
    assert list(newsprism.__all__) == sorted(newsprism.__all__)


def test_no_private_names() -> None:
    private = [n for n in newsprism.__all__ if n.startswith("_") and n != "__version__"]
    assert private == []


@pytest.mark.parametrize("name", EXPECTED)
def test_every_name_is_importable(name: str) -> None:
    module = importlib.import_module("newsprism")
    assert hasattr(module, name)
    namespace: dict[str, object] = {}
    exec(f"from newsprism import {name}", namespace)
    assert namespace[name] is getattr(newsprism, name)


def test_star_import_gives_exactly_all() -> None:
    namespace: dict[str, object] = {}
    exec("from newsprism import *", namespace)
    assert set(namespace) - {"__builtins__"} == set(EXPECTED)


def test_kinds_of_names() -> None:
    for name in ERRORS:
        obj = getattr(newsprism, name)
        assert inspect.isclass(obj) and issubclass(obj, NewsprismError), name
        if obj is not NewsprismError:  # the base class has no generic fix to suggest
            assert obj("x").hint, f"{name} has no default hint"
    for name in FUNCTIONS:
        assert inspect.isfunction(getattr(newsprism, name)), name
    for name in set(EXPECTED) - ERRORS - FUNCTIONS - {"__version__"}:
        assert inspect.isclass(getattr(newsprism, name)), name


def test_public_objects_are_documented() -> None:
    for name in set(EXPECTED) - ERRORS - {"__version__"}:
        assert inspect.getdoc(getattr(newsprism, name)), f"{name} has no docstring"


def test_version_matches_the_installed_distribution() -> None:
    assert newsprism.__version__ == importlib.metadata.version("newsprism")
