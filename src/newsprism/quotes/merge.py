"""How the quotes stage combines its parts: rule-based quotes, parsed attributions, and
the clean-up of heading echoes (:mod:`newsprism.quotes.finder`)."""

from __future__ import annotations

from dataclasses import replace

from newsprism.model import Quote
from newsprism.quotes.article_text import ArticleText
from newsprism.quotes.attribution import ParsedCue
from newsprism.quotes.cues import word_list
from newsprism.quotes.speakers import SpeakerResolver

__all__ = ["drop_heading_echoes", "from_parse", "merge", "trim"]


def trim(text: str, a: int, b: int, *, direct: bool) -> tuple[int, int]:
    """Strip spacing and the punctuation that joins a quote to its attribution."""
    while a < b and (text[a].isspace() or (not direct and text[a] in ",:;—–-")):
        a += 1
    while b > a and (text[b - 1].isspace() or text[b - 1] in ",;:—–-"):
        b -= 1
    if not direct and b > a + 1 and text[b - 1] == "." and text[b - 2].isalnum():
        b -= 1
    return a, b


def from_parse(speakers: SpeakerResolver, c: ParsedCue) -> Quote | None:
    """A parsed attribution as a quote; pronouns resolve to the person named before
    (``he``, ``she``), other pronouns (``they``, ``I``) leave the speaker unknown."""
    article = speakers.article
    text = article.text
    a, b = trim(text, c.content[0], c.content[1], direct=False)
    if not word_list(text[a:b]) or c.source is None:
        return None
    s, e = c.source
    name: str | None = text[s:e]
    persons = [m for m in article.mentions_in(s, e) if m.label == "PERSON"]
    if c.alias is not None and not persons:
        s, e = c.alias
        name = text[s:e]
    elif persons and persons[-1].end >= e - 1:  # "Kremlin spokesman Dmitri Peskov": the name
        s, e, name = persons[-1].start, persons[-1].end, persons[-1].text
    if c.pronoun:
        sp = speakers.resolve(s) if text[s:e].lower() in article.cues.singular else None
        name, s, e = (sp.text, sp.start, sp.end) if sp is not None else (None, -1, -1)
    return Quote(
        text=text[a:b],
        start=a,
        end=b,
        direct=False,
        speaker=name,
        speaker_start=s if name else -1,
        speaker_end=e if name else -1,
        cue=c.cue_text,
        sentence=article.sentence_index(a),
    )


def _overlap(x: Quote, y: Quote) -> float:
    """Shared characters of two quotes, as a share of the shorter one."""
    inter = min(x.end, y.end) - max(x.start, y.start)
    return inter / max(1, min(x.end - x.start, y.end - y.start)) if inter > 0 else 0.0


def merge(found: list[Quote], parsed: list[Quote], add: bool) -> list[Quote]:
    """Direct quotes and rule-based indirect speech, then parsed attributions that are not
    the same quotation (a direct quote without a speaker takes the parsed one's). With
    ``add`` False, the parse only supplies speakers of direct quotes.
    """
    out = [q for q in found if q.direct]
    rules = [q for q in found if not q.direct]
    parsed = [p for p in parsed if not any(_overlap(p, q) > 0.5 for q in rules)]
    for p in parsed:
        same = [i for i, q in enumerate(out) if q.direct and _overlap(p, q) > 0.5]
        for i in same:
            if out[i].speaker is None and p.speaker is not None:
                out[i] = replace(
                    out[i],
                    speaker=p.speaker,
                    speaker_start=p.speaker_start,
                    speaker_end=p.speaker_end,
                    cue=p.cue,
                )
        if add and not same:
            out.append(p)
    out += [q for q in found if not q.direct and not any(_overlap(q, p) > 0.5 for p in parsed)]
    return out


def drop_heading_echoes(article: ArticleText, quotes: list[Quote]) -> list[Quote]:
    """Drop unattributed quotes in headings that repeat words quoted in the body.

    A sub-heading like ``“Keep your windows closed”`` or ``“Protest or Surrender”`` echoes
    the quote it introduces (most of its words are in one body quote); it is not a statement
    of its own.
    """

    def words(s: str) -> set[str]:
        return {w.casefold() for w in word_list(s)}

    body = [words(q.text) for q in quotes if not article.is_heading(q.start)]

    def echo(q: Quote) -> bool:
        own = words(q.text)
        return bool(own) and any(len(own & b) >= 0.75 * len(own) for b in body)

    return [
        q for q in quotes if q.speaker is not None or not article.is_heading(q.start) or not echo(q)
    ]
