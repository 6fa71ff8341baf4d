"""Speakers of reported speech: who is named next to a reporting cue.

The subject before a cue (``Kremlin spokesman Dmitry Peskov said``), the name after an
inverted cue (``said Wasik``, ``a indiqué mardi soir le commandant``, with time adverbs
skipped), appositions in either order (``Vladimir Saldo, head of …, told`` / ``afirmó la
alcaldesa, Katarzyna Wojcik,`` → the name), pronouns resolved to the last person named as
a subject or speaker (``Max, a 21-year-old student, said`` names Max even without a
mention), and definite descriptions (``the head of US diplomacy``) that corefer with the
person named in the previous sentence. Only the article's text, sentences and mentions are
used (:class:`~newsprism.quotes.article_text.ArticleText`); the direct and indirect speech
finders hold one :class:`SpeakerResolver` per article and ask it for speakers.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from dataclasses import dataclass, replace

from newsprism.model import Mention
from newsprism.quotes.article_text import ArticleText
from newsprism.quotes.cues import (
    ADJUNCT,
    ADVERBS,
    AFTER_END,
    DETERMINERS,
    LEADERS,
    NAME,
    NOT_FIRST,
    OF_WORDS,
    PARTICLES,
    RELATIVES,
    ROLE_NOUNS,
    STOP_AFTER,
    SUBORDINATORS,
    skip_time,
    word_list,
)

__all__ = ["Speaker", "SpeakerResolver"]


@dataclass(frozen=True)
class Speaker:
    """A speaker found in the text: ``text`` at ``[start, end)``, or ``text=None`` (with
    offsets -1) for a pronoun that stands for no known person."""

    text: str | None
    start: int
    end: int
    chunk_start: int = -1  # where the subject clause starts (for "…, X said." content)
    subordinate: bool = False  # "after X announced …": not the main clause


# "Name, apposition, <cue>": the apposition starts lower-case or with a number.
_APPOSED = re.compile(
    r"\s*([A-ZÀ-ÖØ-Þ][\w’'\-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w’'\-]+){0,2}),\s+"
    r"(?:[a-zà-öø-ÿ]|\d)[^,;:.!?“”«»\n]{0,150},\s*$"
)


class SpeakerResolver:
    """Who is named next to a cue in one article, and who a pronoun stands for.

    It keeps the persons a later pronoun may point back to (``anchors``): persons named
    early in their sentence, names opening ``Max, a 21-year-old student, said …``, and the
    speakers found so far (:meth:`remember`).
    """

    def __init__(self, article: ArticleText) -> None:
        self.article = article
        self.text = article.text
        self.hay = article.hay
        self.cues = article.cues
        self.bounds = article.bounds
        self.opt = article.opt
        # (position, start, end, name) of the persons a pronoun can point back to.
        self.anchors: list[tuple[int, int, int, str]] = [
            (m.start, m.start, m.end, m.text)
            for m in article.mentions
            if m.label == "PERSON" and self._is_subject(m)
        ]
        self.anchors += self._appositive_subjects()
        self.anchors.sort()
        self.describing = True  # descriptions corefer only for direct quotes
        self.unresolved = -1  # position of the last pronoun without a person

    def _appositive_subjects(self) -> list[tuple[int, int, int, str]]:
        """Names without a mention that open ``Max, a 21-year-old student, said …``."""
        out = []
        for m in self.cues.direct.finditer(self.hay):
            lo = self.bounds.start_of(m.start())
            ap = _APPOSED.match(self.text, lo, m.start())
            if ap and self._bare_name(ap.start(1), ap.end(1), lo):
                out.append((ap.start(1), ap.start(1), ap.end(1), ap.group(1)))
        return out

    def _bare_name(self, a: int, b: int, sentence_start: int) -> bool:
        """``[a, b)`` opens its sentence and looks like a name (``Max``, ``Anna Berg``)."""
        words = word_list(self.text[a:b])
        if not 1 <= len(words) <= 3 or self.text[sentence_start:a].strip():
            return False
        if not all(w[0].isupper() for w in words) or any(
            x.label != "PERSON" for x in self.article.mentions_in(a, b)
        ):
            return False
        w = words[0].lower()
        stop = ADVERBS | LEADERS | DETERMINERS | STOP_AFTER | self.cues.singular
        return not (w in stop or w.endswith("ly") or skip_time(self.text, a, b) > a)

    # -- small helpers -------------------------------------------------------------------
    def _is_subject(self, m: Mention) -> bool:
        """A person named early in its sentence: a likely subject for later pronouns."""
        return len(word_list(self.text[self.bounds.start_of(m.start) : m.start])) <= 12

    def resolve(self, pos: int) -> Speaker:
        """The last person named before ``pos`` within the pronoun window."""
        i = bisect_right(self.anchors, (pos, -1, -1, "")) - 1
        if i >= 0:
            at, s, e, name = self.anchors[i]
            if self.bounds.distance(at, pos) <= self.opt.pronoun_window:
                return Speaker(name, s, e)
        return Speaker(None, -1, -1)

    def remember(self, at: int, start: int, end: int, name: str) -> None:
        """Let a later pronoun after ``at`` point back to the person ``name`` at
        ``[start, end)``."""
        insort(self.anchors, (at, start, end, name))

    def pronoun(self, word: str, pos: int) -> Speaker | None:
        """The person a singular pronoun at ``pos`` stands for (``Speaker(None, …)`` when
        there is none, or for a plural pronoun); None when ``word`` is no pronoun."""
        w = word.lower()
        if w in self.cues.singular:
            sp = self.resolve(pos)
            if sp.text is not None:
                self.remember(pos, sp.start, sp.end, sp.text)
            else:
                self.unresolved = pos
            return sp
        if w in self.cues.plural:
            return Speaker(None, -1, -1)
        return None

    def _span(self, lo: int, hi: int) -> tuple[int, int]:
        while lo < hi and not (self.text[lo].isalnum()):
            lo += 1
        while hi > lo and not (self.text[hi - 1].isalnum() or self.text[hi - 1] in ".)"):
            hi -= 1
        return lo, hi

    # -- speaker before the cue ---------------------------------------------------------
    def _chunks(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """Comma/dash separated pieces of ``[lo, hi)`` outside quotations."""
        out, start = [], lo
        for m in re.finditer(r",|\s[—–-]\s|:", self.text[lo:hi]):
            p = lo + m.start()
            if self.bounds.quote_at(p) is None:
                out.append((start, p))
                start = lo + m.end()
        out.append((start, hi))
        return out

    def _strip_chunk(self, lo: int, hi: int) -> tuple[int, int]:
        lo, hi = self._span(lo, hi)
        while True:
            m = re.search(r"[\w’'\-]+$", self.text[lo:hi])
            if not m or m.group().lower() not in ADVERBS or m.start() == 0:
                break
            lo, hi = self._span(lo, lo + m.start())
        while True:
            m = re.match(r"[\w’'\-]+", self.text[lo:hi])
            if not m or m.group().lower() not in LEADERS or m.end() == hi - lo:
                break
            lo, hi = self._span(lo + m.end(), hi)
        return lo, hi

    def subject(self, lo: int, hi: int) -> Speaker | None:
        """Speaker named in ``[lo, hi)``, the words before a cue; None when there is none.

        A cue right after a comma has no subject of its own (``L'origine reste inconnue, a
        indiqué …``: inverted attribution) unless the piece before is an apposition
        (``Vladimir Saldo, head of …, told``).
        """
        chunks = self._chunks(lo, hi)
        bare = self._strip_chunk(*chunks[-1])
        right_after_comma = len(chunks) > 1 and bare[0] >= bare[1]
        for idx in range(len(chunks) - 1, -1, -1):
            a, b = self._strip_chunk(*chunks[idx])
            if a >= b:
                continue
            words = word_list(self.text[a:b])
            if not words:
                continue
            if words[0].lower() in RELATIVES and (idx > 0 or words[0][0].islower()):
                right_after_comma = False  # a relative clause, not "Das Unternehmen erklärte"
                continue
            raw = word_list(self.text[chunks[idx][0] : b])
            if 0 < idx < len(chunks) - 1 and (
                all(w.lower() in ADVERBS for w in words)
                or (raw[0].lower() in ADJUNCT and len(raw) <= 8)
            ):
                right_after_comma = False  # "The ministry, however, said" / ", in a statement,"
                continue
            if right_after_comma:
                return self._apposition(chunks, idx, words) or self._whole_name(a, b, idx > 0)
            sub = words[0].lower() in SUBORDINATORS and len(words) > 1
            if sub:  # "after the Russian president announced …"
                a, b = self._strip_chunk(a + len(words[0]), b)
                words = words[1:]
            found = self._chunk_speaker(chunks, idx, a, b, words)
            if found is None and len(words) <= 10:
                found = self._named_or_np(a, b)
            return replace(found, subordinate=sub) if found is not None else None
        return None

    def _apposition(
        self, chunks: list[tuple[int, int]], idx: int, words: list[str]
    ) -> Speaker | None:
        """The person that chunk ``idx`` stands in apposition to, if any.

        ``Vladimir Saldo, head of …, told`` / ``Dmitri, 45, with a bag, said`` /
        ``Jane Doe, the mayor, said`` (a description after a bare name).
        """
        first = words[0]
        if idx == 0 or (first[0].isupper() and first.lower() not in DETERMINERS):
            return None
        described = first.lower() in DETERMINERS
        for k in range(idx - 1, max(idx - 4, -1), -1):
            pa, pb = self._strip_chunk(*chunks[k])
            prev = [m for m in self.article.mentions_in(pa, pb) if m.label == "PERSON"]
            if (
                prev
                and prev[-1].end >= pb - 1
                and len(word_list(self.text[pa:pb])) <= 6
                and (not described or len(word_list(self.text[pa : prev[-1].start])) <= 1)
            ):
                return Speaker(prev[-1].text, prev[-1].start, prev[-1].end, pa)
            if k == 0 and not described and self._bare_name(pa, pb, chunks[0][0]):
                return Speaker(self.text[pa:pb], pa, pb, pa)  # "Max, a student, said"
            if (pa < pb and self.text[pa].isupper()) or described:
                break
        return None

    def _whole_name(self, a: int, b: int, name_shaped: bool) -> Speaker | None:
        """``[a, b)`` is just a person's name (``la maire, Katarzyna Wójcik, a assuré``)."""
        persons = [m for m in self.article.mentions_in(a, b) if m.label == "PERSON"]
        if (
            persons
            and persons[-1].end >= b - 1
            and len(word_list(self.text[a : persons[-1].start])) <= 1
        ):
            return Speaker(persons[-1].text, persons[-1].start, persons[-1].end, a)
        name = NAME.fullmatch(self.text, a, b)
        words = word_list(self.text[a:b])
        if name_shaped and name and len(words) <= 4 and words[0].lower() not in DETERMINERS:
            return Speaker(self.text[a:b], a, b, a)
        return None

    def _chunk_speaker(
        self, chunks: list[tuple[int, int]], idx: int, a: int, b: int, words: list[str]
    ) -> Speaker | None:
        """A person (or pronoun) as subject of the chunk ``[a, b)``."""
        first = words[0]
        if (found := self._apposition(chunks, idx, words)) is not None:
            return found
        persons = [m for m in self.article.mentions_in(a, b) if m.label == "PERSON"]
        at_start = [m for m in persons if len(word_list(self.text[a : m.start])) <= 3]
        if words[-1].lower() in LEADERS:  # "Putin ordered … and said"
            persons = at_start[:1]
            if not persons and len(words) > 1 and (sp := self.pronoun(first, a)) is not None:
                return replace(sp, chunk_start=a)  # "He met … and said"
        elif len(words) > 12:
            near = [m for m in persons if len(word_list(self.text[m.end : b])) <= 1]
            persons = near or at_start[:1]
        if persons:
            return Speaker(persons[-1].text, persons[-1].start, persons[-1].end, a)
        if len(words) == 1 and (sp := self.pronoun(first, a)) is not None:
            return replace(sp, chunk_start=a)
        return None

    def _named_or_np(self, a: int, b: int) -> Speaker:
        words = word_list(self.text[a:b])
        content = [w for w in words if w.lower() not in DETERMINERS]
        for label in ("ORG", "LOC"):
            found = [m for m in self.article.mentions_in(a, b) if m.label == label]
            if found and (label == "ORG" or len(word_list(found[-1].text)) >= len(content)):
                m = found[-1]
                return Speaker(m.text, m.start, m.end, a)
        return self.describe(Speaker(self.text[a:b], a, b, a))

    def describe(self, sp: Speaker) -> Speaker:
        """``the head of US diplomacy`` → the person named in the previous sentence."""
        if not (self.opt.resolve_descriptions and self.describing) or sp.text is None:
            return sp
        words = [w.lower() for w in word_list(sp.text)]
        if len(words) < 2 or words[0] not in DETERMINERS:
            return sp
        raw = word_list(sp.text)[1:3]
        if not any(w.lower() in ROLE_NOUNS and w[0].islower() for w in raw):
            return sp
        cur = self.bounds.start_of(sp.start)
        prev = self.bounds.start_of(max(0, cur - 1))
        persons = [m for m in self.article.mentions_in(prev, cur) if m.label == "PERSON"]
        if cur > 0 and persons:
            return Speaker(persons[0].text, persons[0].start, persons[0].end, sp.chunk_start)
        return sp

    # -- speaker after the cue ----------------------------------------------------------
    def after(self, pos: int, limit: int) -> Speaker | None:
        """Speaker named right after a cue (``said Wasik``, ``according to the BBC``).

        Time adverbs after the cue are skipped (``a indiqué mardi soir le commandant``), and a
        description followed by a name resolves to the name (``afirmó la alcaldesa, X,``).
        """
        pos = skip_time(self.text, pos, limit)
        m = re.search(r"[,;:.!?\n“”\"«»(]", self.text[pos:limit])
        hi = pos + m.start() if m else limit
        persons = [x for x in self.article.mentions_in(pos, hi) if x.label == "PERSON"]
        if persons and len(word_list(self.text[pos : persons[0].start])) <= 8:
            return Speaker(persons[0].text, persons[0].start, persons[0].end)
        lo, hi = self._span(pos, hi)
        if lo >= hi:
            return None
        toks = list(re.finditer(r"[\w’'\-]+", self.text[lo:hi]))
        if len(toks) == 1 and (sp := self.pronoun(toks[0].group(), lo)) is not None:
            return sp
        first = toks[0].group().lower()
        if (
            first in self.cues.singular
            or first in self.cues.plural
            or first in NOT_FIRST
            or self.cues.that.match(self.hay, lo)
        ):
            return None  # "said that …", "said he …": no speaker after the cue
        end, cut = lo, False
        for k, t in enumerate(toks[:10]):
            w = t.group().lower()
            if k > 0 and (
                w in STOP_AFTER
                or w in AFTER_END
                or skip_time(self.text, lo + t.start(), hi) > lo + t.start()
            ):
                cut = True
                break
            end = lo + t.end()
        else:
            if len(toks) > 10:
                return None
        if len(toks) > 1 and toks[-1].group().lower() in PARTICLES and end == lo + toks[-1].end():
            end = lo + toks[-2].end()  # "teilte die Polizei mit"
        if end <= lo:
            return None
        if not cut and (name := self.apposed(hi, limit)) is not None:
            return name
        for x in self.article.mentions_in(lo, end):
            if x.label != "NORP" and len(word_list(self.text[lo : x.start])) <= 1:
                return Speaker(x.text, x.start, x.end)
        if (name := self._titled_name(lo, end)) is not None:
            return name
        return self.describe(Speaker(self.text[lo:end], lo, end))

    def _titled_name(self, lo: int, hi: int) -> Speaker | None:
        """The name at the end of ``il sindaco Marco Rossi`` (no NER needed)."""
        toks = list(re.finditer(r"[\w’'\-]+", self.text[lo:hi]))
        j = len(toks)
        while j > 0 and toks[j - 1].group()[0].isupper():
            j -= 1
        lead = [t.group() for t in toks[:j]]
        if not (j >= 1 and len(toks) - j >= 2 and len(toks) - j <= 4):
            return None
        if any(w[0].isupper() or w.lower() in OF_WORDS for w in lead):
            return None
        a, b = lo + toks[j].start(), lo + toks[-1].end()
        return Speaker(self.text[a:b], a, b)

    def apposed(self, pos: int, limit: int) -> Speaker | None:
        """A name in apposition right after ``pos`` (``, Katarzyna Wojcik,``)."""
        m = re.match(r",\s*", self.text[pos:limit])
        if m is None:
            return None
        a = pos + m.end()
        for x in self.article.mentions_in(a, limit):
            if x.start != a:
                break
            if x.label in ("PERSON", "ORG") and self._ends_phrase(x.end, limit):
                return Speaker(x.text, x.start, x.end)
        name = NAME.match(self.text, a, limit)
        if name is None or word_list(name.group())[0].lower() in DETERMINERS | STOP_AFTER:
            return None
        words = word_list(name.group())
        if len(words) > 4 or not self._ends_phrase(name.end(), limit):
            return None
        return Speaker(name.group(), name.start(), name.end())

    def _ends_phrase(self, pos: int, limit: int) -> bool:
        """Nothing, punctuation or a lower-case word follows ``pos``."""
        return re.match(r"\s*(?:$|[,;:.!?)\n]|[^\W\d_]*[a-zà-ÿ])", self.text[pos:limit]) is not None

    def person_after(self, pos: int) -> Speaker | None:
        """A person named right after the cue (``said in Berlin Steffen Hebestreit``)."""
        hi = min(self.bounds.end_of(pos), pos + 50)
        m = re.search(r"[,;:.!?\n]", self.text[pos:hi])
        hi = pos + m.start() if m else hi
        for x in self.article.mentions_in(pos, hi):
            if x.label == "PERSON":
                return Speaker(x.text, x.start, x.end)
        taken = [(x.start, x.end) for x in self.article.mentions_in(pos, hi)]
        for name in NAME.finditer(self.text, pos, hi):
            a = max([name.start()] + [e for s, e in taken if s < name.end() and name.start() < e])
            a, b = self._span(a, name.end())
            if len(word_list(self.text[a:b])) >= 2:
                sp = Speaker(self.text[a:b], a, b)
                self.remember(a, a, b, sp.text or "")
                return sp
        return None

    # -- speaker of a cue without a subject ---------------------------------------------
    def implicit(self, m: re.Match[str]) -> Speaker:
        """Speaker of a cue with no subject (pro-drop, ``a-t-il dit``): the last person."""
        sp = self.resolve(m.start())
        if sp.text is not None:
            self.remember(m.start(), sp.start, sp.end, sp.text)
        return sp
