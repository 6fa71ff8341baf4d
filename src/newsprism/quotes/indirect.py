"""Indirect speech: ``X said (that) …``, ``…, X told reporters.``, ``According to X, …``,
``As X explained, …``, headline attributions (``Graham: Trump's rhetoric …``) and participle
cues (``…, saying he had failed``). The span of a quote covers the reported content only.
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsprism.model import Quote
from newsprism.quotes.article_text import ArticleText
from newsprism.quotes.cues import (
    LEADERS,
    NO_INVERSION,
    PASSIVE,
    PREPOSITIONS,
    needs_that,
    skip_time,
    word_list,
    word_set,
)
from newsprism.quotes.merge import trim
from newsprism.quotes.speakers import Speaker, SpeakerResolver

__all__ = ["IndirectSpeechFinder"]


class IndirectSpeechFinder:
    """The indirect speech of one article; speakers come from ``speakers``."""

    def __init__(self, article: ArticleText, speakers: SpeakerResolver) -> None:
        self.article = article
        self.speakers = speakers
        self.text = article.text
        self.hay = article.hay
        self.cues = article.cues
        self.bounds = article.bounds

    def find(self, taken: list[tuple[int, int]]) -> list[Quote]:
        """Speech introduced by a reporting verb or a source preposition, outside the spans
        in ``taken`` (quotations, speech found already); found spans are added to it."""
        events = [(m, False) for m in self.cues.indirect.finditer(self.hay)]
        events += [(m, True) for m in self.cues.preposition.finditer(self.hay)]
        events.sort(key=lambda e: e[0].start())
        out: list[Quote] = []
        self.speakers.describing = False
        for m, prep in events:
            if not self.article.cue_ok(m) or self.article.is_heading(m.start()):
                continue
            if any(a <= m.start() < b for a, b in taken):
                continue
            q = self._preposition(m) if prep else self._verb(m)
            if q is not None:
                out.append(q)
                taken.append((q.start, q.end))
        return out

    def headlines_and_participles(self, taken: list[tuple[int, int]]) -> list[Quote]:
        """Headline attributions (``Graham: Trump's rhetoric …``) and participle cues
        (``…, saying he had failed``) whose speaker is the main clause's subject."""
        out: list[Quote] = []
        for s in self.article.sentences:
            if not (s.heading or s.index == 0):
                continue
            m = _HEADLINE.match(self.text, s.start, s.end)
            if m is None or m.group(1).lower() in _NOT_SPEAKERS:
                continue
            named = Speaker(m.group(1), m.start(1), m.end(1))
            q = self._make(m.end(), s.end, named, ":")
            if q is not None:
                out.append(q)
        for m in _PARTICIPLE.finditer(self.hay):
            if not self.article.cue_ok(m) or any(a <= m.start() < b for a, b in taken):
                continue
            lo, hi = self.bounds.start_of(m.start()), self.bounds.end_of(m.start())
            if lo >= m.start():
                continue
            sp = self.speakers.subject(lo, m.start())
            if sp is None or sp.text is None or sp.subordinate:
                continue
            head = _LEADING_NAME.match(sp.text)
            if len(word_list(sp.text)) > 2 and head is not None:  # "Trump attacked the senator"
                sp = Speaker(head.group(), sp.start, sp.start + head.end(), sp.chunk_start)
            a = m.end()
            that = self.cues.that.match(self.hay, a) or re.compile(r"\s+that\s").match(self.hay, a)
            q = self._make(that.end() if that else a, hi, sp, m.group(1))
            if q is not None:
                out.append(q)
                taken.append((q.start, q.end))
        return out

    def _make(self, a: int, b: int, sp: Speaker, cue: str) -> Quote | None:
        """The reported content ``[a, b)`` as a quote of ``sp``, cut at the next cue used by
        a direct quote and at a clause of the writer's; None when too short or a quotation."""
        for ua, _ub in self.article.used:
            if a < ua < b:
                b = ua
        brk = _CLAUSE_BREAK.search(self.text, a, b)
        if brk is not None and len(word_list(self.text[a : brk.start()])) >= 3:
            b = brk.start()  # "Carter stopped the practice, but Cook did not say when"
        a, b = trim(self.text, a, b, direct=False)
        if len(word_list(self.text[a:b])) < self.article.opt.min_words or sp.text is None:
            return None
        mark = self.bounds.quote_at(a)
        if mark is not None and mark.start == a and self.article.is_quote(mark):
            return None  # the content is a direct quote already
        return Quote(
            text=self.text[a:b],
            start=a,
            end=b,
            direct=False,
            speaker=sp.text,
            speaker_start=sp.start,
            speaker_end=sp.end,
            cue=cue,
            sentence=self.article.sentence_index(a),
        )

    def _verb(self, m: re.Match[str]) -> Quote | None:
        """Speech around a reporting verb: ``X said (that) …`` or ``…, X told reporters.``"""
        text = self.text
        lo, hi = self.bounds.start_of(m.start()), self.bounds.end_of(m.start())
        before = word_list(text[lo : m.start()])
        if before and before[-1].lower() in PASSIVE:
            return None
        cue_end, cue = self.article.cue_text(m, hi)
        inverted = False
        sp = self.speakers.subject(lo, m.start())
        if sp is None:
            comma = text.rfind(",", lo, m.start())
            if comma < 0 or re.search(r"\w", text[comma : m.start()]):
                return None
            if m.group().lower() in NO_INVERSION:
                return None
            sp, inverted = self.speakers.after(cue_end, hi), True
            if sp is None:
                return None
        if before and before[0].lower() in self.cues.as_words and len(before) <= 10:
            comma = text.find(",", cue_end, hi)  # "As the ministry explained, …"
            return None if comma < 0 else self._make(comma + 1, hi, sp, cue)
        that = self.cues.that.search(self.hay, cue_end, hi)
        gap = word_list(text[cue_end : that.start()]) if that else []
        if that and (len(gap) <= 6 or (len(gap) <= 14 and "," not in text[cue_end : that.start()])):
            return self._make(that.end(), hi, sp, cue)
        rest = len(word_list(text[cue_end:hi]))
        chunk = sp.chunk_start if sp.chunk_start >= 0 else m.start()
        comma = text.rfind(",", lo, chunk)
        if inverted:
            comma = text.rfind(",", lo, m.start())
        if sp.subordinate:
            comma = -1
        tail_words = word_list(text[cue_end:hi])
        adjunct = not tail_words or tail_words[0].lower() in PREPOSITIONS
        if (
            comma > lo
            and (inverted or (rest <= 8 and adjunct))
            and len(word_list(text[lo:comma])) >= 3
        ):
            return self._make(lo, comma, sp, cue)  # "…, Peskov told reporters."
        if rest < 3 or (needs_that(m.group()) and not re.match(r"\s*[,:]", text[cue_end:hi])):
            return None
        return self._make(skip_time(text, cue_end, hi), hi, sp, cue)

    def _preposition(self, m: re.Match[str]) -> Quote | None:
        """Speech attributed with a source preposition: ``According to X, …``."""
        text = self.text
        lo, hi = self.bounds.start_of(m.start()), self.bounds.end_of(m.start())
        sp = self.speakers.after(m.end(), hi)
        if sp is None or sp.text is None:
            return None
        comma = text.find(",", sp.end, hi)
        if (
            comma > 0
            and len(word_list(text[sp.end : comma])) <= 3
            and sp.text == text[sp.start : sp.end]
        ):  # "According to the Reuters news agency, …": the whole description
            sp = replace(sp, text=text[sp.start : comma], end=comma)
        before = [w for w in word_list(text[lo : m.start()]) if w.lower() not in LEADERS]
        rest = len(word_list(text[sp.end : hi]))
        if not before or rest >= 3:
            return self._make(sp.end, hi, sp, self.article.written(m))
        comma = text.rfind(",", lo, m.start())
        if comma > lo and not re.search(r"\w", text[comma : m.start()]):
            return self._make(lo, comma, sp, self.article.written(m))
        return None


_HEADLINE = re.compile(r"\s*([A-Z][\w.’'\-]+(?:\s+[A-Z][\w.’'\-]+){0,3}):\s+(?=\S)")
_NOT_SPEAKERS = word_set(
    "update watch video photos photo exclusive breaking report analysis opinion editorial "
    "poll the latest live related read more note"
)
_LEADING_NAME = re.compile(r"(?:[A-Z][\w.’'\-]*\s+){0,3}[A-Z][\w.’'\-]*(?=\s+[a-z])")
_PARTICIPLE = re.compile(
    r",\s+((?:saying|adding|noting|arguing|insisting|claiming|explaining|warning|"
    r"suggesting|stressing|declaring|writing|acknowledging|asserting)"
    r"(?:\s+(?:that|to\s+reporters))?)(?=\s)"
)
# Where reported content ends: a new clause that is the writer's, not the speaker's.
_CLAUSE_BREAK = re.compile(
    r";\s|,\s+(?:but|while|whereas|although|though|compared\s+(?:with|to)|pero|mientras|"
    r"mais|alors\s+que|tandis\s+que|aber|während|jedoch|но|а\s+также)\s"
)
