"""newsprism: claim-level coverage diff of news across outlets and languages.

The public API is listed in ``__all__``; everything else is private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsprism.compare.align import CompareOptions, align
from newsprism.errors import (
    BinaryFile,
    EmptyDocument,
    EncodingFailure,
    InputError,
    LanguageError,
    MalformedDocument,
    ModelUnavailable,
    NewsprismError,
    OptionError,
    UnsupportedFormat,
)
from newsprism.model import (
    Article,
    Coverage,
    DateRef,
    Entity,
    Fact,
    Failure,
    Mention,
    Quantity,
    Quote,
    Sentence,
    Statement,
    Status,
)
from newsprism.pipeline.run import PipelineOptions, annotate, compare_articles, compare_paths
from newsprism.report import render
from newsprism.version import __version__

if TYPE_CHECKING:
    from newsprism.collection import Collection

__all__ = [
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


def __getattr__(name: str) -> object:
    # A stored collection brings the store, stories and engines with it: imported on first
    # use, so that comparing files does not pay for it.
    if name == "Collection":
        from newsprism.collection import Collection

        return Collection
    raise AttributeError(f"module 'newsprism' has no attribute {name!r}")
