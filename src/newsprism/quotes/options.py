"""Options of the quotes stage."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["QuoteOptions"]


@dataclass(frozen=True)
class QuoteOptions:
    """Options of the quotes stage.

    ``min_words``: quotations shorter than this are scare quotes, not quotes (default 3).
    ``max_quote_chars``: longest quotation considered (default 3000).
    ``pronoun_window``: how many sentences back a pronoun may find its person (default 4).
    ``indirect``: also find indirect speech (default True).
    ``resolve_descriptions``: let ``the head of US diplomacy`` corefer with the person named
    in the previous sentence (default True).
    ``parse``: add attributions read from a dependency parse when a parser model is installed
    for the language (English; default True).
    """

    min_words: int = 3
    max_quote_chars: int = 3000
    pronoun_window: int = 4
    indirect: bool = True
    resolve_descriptions: bool = True
    parse: bool = True
