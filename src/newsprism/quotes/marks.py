"""Quotation marks and clause boundaries: the text layout the quotes stage works on.

``find_quote_marks`` pairs opening and closing marks in all common styles (“…”, "…", «…»,
»…«, „…“, ‚…‘, ‘…’, 「…」, 『…』) and tolerates sloppy spacing (``army”he urged``).
Apostrophes (``Russia’s``) are not taken for closing single quotes. An unclosed quote ends
at the paragraph break only when the next paragraph reopens it (the convention for quotes
running over several paragraphs); otherwise the stray mark is ignored.

``Boundaries`` finds sentence ends outside quotations, so that a quote of several sentences
and its attribution stay in one clause (``“… (Putin).” he continued.``).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

CLOSERS: dict[str, str] = {
    "“": "”“",
    "„": "“”",
    "«": "»",
    "»": "«",
    "‹": "›",
    "‚": "‘’",
    "‘": "’",
    "「": "」",
    "『": "』",
    '"': '"',
}
# Marks that are unambiguous openers: spacing around them does not matter.
_FREE_OPENERS = frozenset("“„«「『")
_OPEN_CONTEXT = frozenset(" \t\n([{—–-:;,/'\"“„«»‘‚")


@dataclass(frozen=True)
class QuoteMark:
    """One quotation: ``start`` is the opening mark, ``end`` is just after the closing mark;
    ``inner_start``/``inner_end`` delimit the quoted words."""

    start: int
    end: int
    inner_start: int
    inner_end: int


def _is_opener(text: str, i: int, mark: str) -> bool:
    nxt = text[i + 1] if i + 1 < len(text) else ""
    if not nxt or nxt == "\n":
        return False
    if mark in _FREE_OPENERS:
        return True
    prev = text[i - 1] if i > 0 else " "
    return prev in _OPEN_CONTEXT and not nxt.isspace()


def _is_closer(text: str, k: int, mark: str) -> bool:
    prev = text[k - 1] if k > 0 else " "
    nxt = text[k + 1] if k + 1 < len(text) else " "
    if mark == "”" or mark in "»」』›":
        return True
    if mark in "’‘":
        return not prev.isspace() and not nxt.isalnum()
    if mark == "“":  # German closer, or an English opener typed twice
        return not prev.isspace() and not nxt.isalnum()
    if mark == '"':
        return not prev.isspace()
    return True


_SPECIAL = re.compile('[\n“”„«»‹›‚‘’「」『』"]')


def find_quote_marks(text: str, max_chars: int = 3000) -> list[QuoteMark]:
    """All top-level quotations of ``text`` in order. Nested quotations stay inside."""
    openers = set(CLOSERS)
    if "“" not in text and "”" in text:
        openers.add("”")  # Nordic style ”…”
    closers_of = dict(CLOSERS, **{"”": "”"})
    pos = [m.start() for m in _SPECIAL.finditer(text)]  # only these characters matter
    out: list[QuoteMark] = []
    n, p = len(text), 0
    while p < len(pos):
        i = pos[p]
        ch = text[i]
        if ch not in openers or not _is_opener(text, i, ch):
            p += 1
            continue
        closers = closers_of[ch]
        found, q = -1, p + 1
        while q < len(pos) and pos[q] < i + max_chars:
            k = pos[q]
            c = text[k]
            if c == "\n":
                j = k
                while j < n and text[j].isspace():
                    j += 1
                if j < n and text[j] == ch:  # quote continued in the next paragraph
                    out.append(QuoteMark(i, k, i + 1, k))
                    found = -2
                    while pos[q] < j:
                        q += 1
                break
            if c in closers and _is_closer(text, k, c):
                found = k
                break
            q += 1
        if found == -1:
            p += 1
            continue
        if found >= 0:
            out.append(QuoteMark(i, found + 1, i + 1, found))
            q += 1
        p = q
    return out


_ABBREVIATION_WORDS = (
    "mr mrs ms dr st gen lt col sen rep gov prof jr sr inc ltd co vs etc no art sgt capt "
    "adm maj cmdr fig approx dept est sra sr dña mme mlle hr fr nr bzw ca"
)
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_TERMINATOR = re.compile(r"[.!?…]+|\n")


class Boundaries:
    """Sentence boundaries of a text, ignoring terminators inside quotations."""

    def __init__(self, text: str, marks: list[QuoteMark]) -> None:
        self.text = text
        self._mark_starts = [m.start for m in marks]
        self._marks = marks
        cuts: list[int] = []
        for m in _TERMINATOR.finditer(text):
            end = m.end()
            if m.group() == "\n":
                cuts.append(end)
                continue
            mark = self.quote_at(m.start())
            if mark is not None:
                if end != mark.inner_end or mark.end >= len(text):
                    continue
                end = mark.end  # "… crimes.” Next sentence"
            if not self._is_sentence_end(m.start(), end):
                continue
            cuts.append(end)
        merged: list[int] = []
        for c in cuts:  # "end.\n\n" is one boundary, not three
            if merged and not text[merged[-1] : c].strip():
                merged[-1] = c
            else:
                merged.append(c)
        self.cuts = merged

    def _is_sentence_end(self, term: int, end: int) -> bool:
        text = self.text
        j = end
        while j < len(text) and text[j] in '"”’»)]':
            j += 1
        if j < len(text) and not text[j].isspace():
            return False
        while j < len(text) and text[j] in " \t":
            j += 1
        if j < len(text) and text[j] != "\n":
            nxt = text[j]
            if nxt.islower():
                return False
        if text[term] == ".":
            w = re.search(r"(\w+)$", text[max(0, term - 12) : term])
            if w and (w.group(1).lower() in _ABBREVIATIONS or len(w.group(1)) == 1):
                return False
        return True

    def quote_at(self, pos: int) -> QuoteMark | None:
        """The quotation covering ``pos`` (marks included), if any."""
        i = bisect_right(self._mark_starts, pos) - 1
        if i >= 0 and pos < self._marks[i].end:
            return self._marks[i]
        return None

    def start_of(self, pos: int) -> int:
        """Start of the clause-level sentence containing ``pos``."""
        i = bisect_right(self.cuts, pos) - 1
        return self.cuts[i] if i >= 0 else 0

    def end_of(self, pos: int) -> int:
        """End (exclusive) of the sentence containing ``pos``."""
        i = bisect_right(self.cuts, pos)
        return self.cuts[i] if i < len(self.cuts) else len(self.text)

    def distance(self, a: int, b: int) -> int:
        """Number of sentence boundaries between positions ``a`` <= ``b``."""
        return bisect_left(self.cuts, b + 1) - bisect_left(self.cuts, a + 1)
