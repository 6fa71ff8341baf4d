"""Direct quotes: quotation marks of at least ``min_words`` words, with their speaker.

A quote is attributed from, in order: the cue after the quote in the same sentence
(``“…,” Zelensky said`` / ``said Wasik``), the cue before it (``He said that … “…”``),
the previous quote of the same paragraph, and a cue in the previous sentence of the
paragraph. A pronoun speaker that names no known person may still be resolved once the
indirect speakers are known (:meth:`DirectQuoteFinder.name_pending_speakers`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from newsprism.model import Quote
from newsprism.quotes.article_text import ArticleText
from newsprism.quotes.cues import INVERTED_PRONOUN, NO_INVERSION, word_list
from newsprism.quotes.marks import QuoteMark
from newsprism.quotes.merge import trim
from newsprism.quotes.speakers import Speaker, SpeakerResolver

__all__ = ["DirectQuoteFinder"]


class DirectQuoteFinder:
    """The direct quotes of one article; speakers come from ``speakers``."""

    def __init__(self, article: ArticleText, speakers: SpeakerResolver) -> None:
        self.article = article
        self.speakers = speakers
        self.text = article.text
        self.hay = article.hay
        self.cues = article.cues
        self.bounds = article.bounds
        self.pending: list[tuple[int, int]] = []  # (quote index, unresolved pronoun position)

    def tail(self, mk: QuoteMark) -> tuple[Speaker, str, tuple[int, int]] | None:
        """Cue and speaker after the quote, in the same sentence."""
        text, lo = self.text, mk.end
        art, who = self.article, self.speakers
        hi = self.bounds.end_of(max(lo - 1, 0)) if lo < len(text) else lo
        sp: Speaker | None
        prep = self.cues.preposition.search(self.hay, lo, hi)
        if prep and not re.search(r"\w", text[lo : prep.start()]):
            sp = who.after(prep.end(), hi)
            if sp is not None:
                return sp, art.written(prep), (lo, max(prep.end(), sp.end))
        for m in self.cues.direct.finditer(self.hay, lo, hi):
            if not art.cue_ok(m):
                continue
            if len(word_list(text[lo : m.start()])) > 14:
                return None
            cue_end, cue = art.cue_text(m, hi)
            if INVERTED_PRONOUN.search(m.group()):
                sp = who.implicit(m)
            elif not re.search(r"\w", text[lo : m.start()]):
                sp = None if m.group().lower() in NO_INVERSION else who.after(cue_end, hi)
                sp = sp or who.implicit(m)
            else:
                sp = who.subject(lo, m.start())
                if sp is None and re.search(r",\s*$", text[lo : m.start()]):
                    sp = who.after(cue_end, hi)  # "“…”, la situation reste grave, a dit X"
                if sp is None:
                    return None
                if sp.text is not None and not art.is_mention(sp.start, sp.end):
                    sp = who.person_after(cue_end) or sp
            return sp, cue, (lo, max(cue_end, sp.end))
        return None

    def head(self, mk: QuoteMark) -> tuple[Speaker, str, tuple[int, int]] | None:
        """Cue and speaker before the quote, in the same sentence."""
        text = self.text
        art, who = self.article, self.speakers
        lo = self.bounds.start_of(mk.start)
        for q in art.long_marks:
            if lo <= q.start and q.end <= mk.start:
                lo = q.end
        cands = [m for m in self.cues.direct.finditer(self.hay, lo, mk.start) if art.cue_ok(m)]
        cands += [
            m for m in self.cues.preposition.finditer(self.hay, lo, mk.start) if art.cue_ok(m)
        ]
        if not cands:
            return None
        m = max(cands, key=lambda x: x.start())
        if len(word_list(text[m.end() : mk.start])) > 25:
            return None
        cue_end, cue = art.cue_text(m, mk.start)
        sp: Speaker | None
        if m.re is self.cues.preposition:
            sp = who.after(m.end(), mk.start)
        elif INVERTED_PRONOUN.search(m.group()):
            sp = who.implicit(m)
        else:
            sp = who.subject(lo, m.start())
            if sp is None and not re.search(r"\w", text[lo : m.start()]):
                sp = who.after(cue_end, mk.start) or who.implicit(m)
        if sp is None:
            return None
        return sp, cue, (m.start(), cue_end)

    def previous_sentence(self, mk: QuoteMark) -> tuple[Speaker, str] | None:
        """A speaker introduced in the previous sentence of the paragraph (``He said …``)."""
        cur = self.bounds.start_of(mk.start)
        if cur == 0 or (self.text[cur - 1] == "\n" and not self.text[:cur].rstrip().endswith(":")):
            return None
        lo = self.bounds.start_of(cur - 1)
        if self.article.is_heading(lo):
            return None
        for m in self.cues.direct.finditer(self.hay, lo, cur):
            if not self.article.cue_ok(m):
                continue
            sp = self.speakers.subject(lo, m.start())
            if sp is not None and sp.text is not None:
                return sp, self.article.written(m)
        return None

    def find(self) -> list[Quote]:
        """Every quotation of the article, in text order, with its speaker when found.

        The cue spans used after a quote are recorded in ``article.used``; speakers found
        become persons a later pronoun can point back to.
        """
        art = self.article
        out: list[Quote] = []
        last: Quote | None = None
        for mk in art.long_marks:
            self.speakers.unresolved = -1
            found = self.tail(mk) or self.head(mk)
            sp: Speaker | None = None
            cue: str | None = None
            if found is not None:
                sp, cue, used = found
                if used[0] >= mk.end:  # a cue before the quote may also head indirect speech
                    art.used.append(used)
                if sp.text is not None and sp.start >= 0:
                    self.speakers.remember(sp.start, sp.start, sp.end, sp.text)
            elif (
                last is not None
                and last.speaker is not None
                and "\n" not in self.text[last.end : mk.start]
                and self.bounds.distance(last.end, mk.start) <= 1
            ):
                sp, cue = Speaker(last.speaker, last.speaker_start, last.speaker_end), last.cue
            elif (prev := self.previous_sentence(mk)) is not None:
                sp, cue = prev
            a, b = trim(self.text, mk.inner_start, mk.inner_end, direct=True)
            quote = Quote(
                text=self.text[a:b],
                start=a,
                end=b,
                direct=True,
                speaker=sp.text if sp else None,
                speaker_start=sp.start if sp and sp.text else -1,
                speaker_end=sp.end if sp and sp.text else -1,
                cue=cue,
                sentence=art.sentence_index(a),
            )
            if quote.speaker is None and self.speakers.unresolved >= 0:
                self.pending.append((len(out), self.speakers.unresolved))
            out.append(quote)
            last = quote
        return out

    def name_pending_speakers(self, direct: list[Quote], indirect: list[Quote]) -> list[Quote]:
        """``direct`` with leftover pronouns resolved, now that the names found as speakers
        of ``indirect`` speech can be pointed back to."""
        for q in indirect:
            label = {
                (x.start, x.end): x.label
                for x in self.article.mentions_in(q.speaker_start, q.speaker_end)
            }
            kind = label.get((q.speaker_start, q.speaker_end))
            words = word_list(q.speaker or "")
            if kind == "PERSON" or (kind is None and words and all(w[0].isupper() for w in words)):
                self.speakers.remember(
                    q.speaker_start, q.speaker_start, q.speaker_end, q.speaker or ""
                )
        out = list(direct)
        for i, pos in self.pending:
            sp = self.speakers.resolve(pos)
            if sp.text is not None:
                out[i] = replace(
                    out[i], speaker=sp.text, speaker_start=sp.start, speaker_end=sp.end
                )
        return out
