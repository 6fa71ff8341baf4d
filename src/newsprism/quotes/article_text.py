"""One article as the quote finders read it.

The text and its lower-case copy that the cue patterns search, the cue patterns of its
language, its quotation marks and sentence boundaries, its sentences and the entity
mentions outside quotations, and the cue spans already attributed to a quote (a cue
serves one quote only). The speaker resolver and the direct and indirect speech finders
of one article share one :class:`ArticleText`.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from newsprism.model import Article, Mention
from newsprism.quotes.cues import NOUN_LIKE, NOUN_NEXT, CuePatterns, cue_patterns, word_list
from newsprism.quotes.marks import Boundaries, QuoteMark, find_quote_marks
from newsprism.quotes.options import QuoteOptions

__all__ = ["ArticleText"]


class ArticleText:
    """The text, marks, sentences and mentions of one article, with lookups by offset."""

    def __init__(self, article: Article, options: QuoteOptions) -> None:
        self.text = article.text
        self.opt = options
        low = self.text.lower()
        same = len(low) == len(self.text)
        self.hay = low if same else self.text  # cue patterns are lower-case
        self.cues: CuePatterns = cue_patterns(article.language, ignore_case=not same)
        self.marks = find_quote_marks(self.text, options.max_quote_chars)
        self.bounds = Boundaries(self.text, self.marks)
        self.long_marks = [m for m in self.marks if self.is_quote(m)]
        self.sent_starts = [s.start for s in article.sentences]
        self.sentences = article.sentences
        self.mentions = sorted(
            (m for m in article.mentions if not self.quoted(m.start)),
            key=lambda m: m.start,
        )
        self.mention_starts = [m.start for m in self.mentions]
        self.used: list[tuple[int, int]] = []  # cue spans attributed to a quote already

    def written(self, m: re.Match[str]) -> str:
        """The text a match of the lower-case copy covers, as written."""
        return self.text[m.start() : m.end()]

    def quoted(self, pos: int) -> bool:
        """``pos`` lies inside a quotation (not a scare quote)."""
        mark = self.bounds.quote_at(pos)
        return mark is not None and self.is_quote(mark)

    def is_quote(self, m: QuoteMark) -> bool:
        """The marks hold a quotation: at least ``min_words`` words."""
        return len(word_list(self.text[m.inner_start : m.inner_end])) >= self.opt.min_words

    def sentence_index(self, pos: int) -> int:
        i = bisect_right(self.sent_starts, pos) - 1
        return self.sentences[i].index if i >= 0 else -1

    def is_heading(self, pos: int) -> bool:
        i = bisect_right(self.sent_starts, pos) - 1
        return i >= 0 and self.sentences[i].heading and pos < self.sentences[i].end

    def mentions_in(self, lo: int, hi: int) -> list[Mention]:
        """The mentions that lie within ``[lo, hi)``, in text order."""
        i = bisect_right(self.mention_starts, lo - 1)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < hi:
            if self.mentions[i].end <= hi:
                out.append(self.mentions[i])
            i += 1
        return out

    def is_mention(self, start: int, end: int) -> bool:
        """``[start, end)`` is exactly one entity mention."""
        return any(x.start == start and x.end == end for x in self.mentions_in(start, end))

    def in_used(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.used)

    def cue_ok(self, m: re.Match[str]) -> bool:
        """A cue outside quotations, not attributed yet, and not a noun (``reports of``)."""
        if self.bounds.quote_at(m.start()) is not None or self.in_used(m.start()):
            return False
        if m.group().lower() in NOUN_LIKE:
            nxt = re.match(r"\s*([\w’'\-]+)", self.text[m.end() : m.end() + 30])
            if nxt and nxt.group(1).lower() in NOUN_NEXT:
                return False
        return True

    def cue_text(self, m: re.Match[str], limit: int) -> tuple[int, str]:
        """End and text of a cue; ``told`` takes its short object (``told reporters``)."""
        end = m.end()
        if m.group().lower() in ("told", "tells"):
            obj = re.match(
                r"\s+(?:[\w’'\-]+\s+){0,2}[\w’'\-]+(?=\s*(?:[,.;:!?\n]|that\b|after\b|$))",
                self.text[end:limit],
            )
            if obj:
                end += obj.end()
        return end, self.text[m.start() : end]
