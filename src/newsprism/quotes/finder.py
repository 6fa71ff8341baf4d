"""Quotes stage: direct and indirect reported speech with its speaker.

Works only from ``Article.text``, ``Article.sentences`` and ``Article.mentions`` (no parser):
quotation marks are paired (:mod:`newsprism.quotes.marks`), reporting cues come from
per-language tables (:mod:`newsprism.quotes.cues`), and the speaker is the named subject next
to the cue. Pronoun speakers are resolved to the last person named shortly before.

Direct quotes are attributed from, in order: the cue after the quote in the same sentence
(``“…,” Zelensky said`` / ``said Wasik``), the cue before it (``He said that … “…”``), a cue in
the previous sentence of the paragraph, and the previous quote of the same paragraph.
Indirect speech is ``X said (that) …``, ``…, X told reporters.``, ``According to X, …`` and
``As X explained, …``; its span covers the reported content only.
"""

from __future__ import annotations

import re
from bisect import insort
from collections.abc import Sequence
from dataclasses import replace

from newsprism.model import Article, Quote
from newsprism.quotes.attribution import ParsedCue
from newsprism.quotes.cues import (
    INVERTED_PRONOUN,
    LEADERS,
    NO_INVERSION,
    PASSIVE,
    PREPOSITIONS,
    needs_that,
    skip_time,
    word_list,
    word_set,
)
from newsprism.quotes.marks import QuoteMark
from newsprism.quotes.merge import drop_heading_echoes, from_parse, merge, trim
from newsprism.quotes.parser import Parser, cue_units, parse_units, parser_for
from newsprism.quotes.speakers import QuoteOptions, Speaker, SpeakerFinder

__all__ = [
    "QuoteOptions",
    "annotate_quotes",
    "annotate_quotes_batch",
    "find_quotes",
    "find_quotes_batch",
]


class _Finder(SpeakerFinder):
    def tail(self, mk: QuoteMark) -> tuple[Speaker, str, tuple[int, int]] | None:
        """Cue and speaker after the quote, in the same sentence."""
        text, lo = self.text, mk.end
        hi = self.bounds.end_of(max(lo - 1, 0)) if lo < len(text) else lo
        sp: Speaker | None
        prep = self.cues.preposition.search(self.hay, lo, hi)
        if prep and not re.search(r"\w", text[lo : prep.start()]):
            sp = self.after(prep.end(), hi)
            if sp is not None:
                return sp, self._t(prep), (lo, max(prep.end(), sp.end))
        for m in self.cues.direct.finditer(self.hay, lo, hi):
            if not self.cue_ok(m):
                continue
            if len(word_list(text[lo : m.start()])) > 14:
                return None
            cue_end, cue = self.cue_text(m, hi)
            if INVERTED_PRONOUN.search(m.group()):
                sp = self.implicit(m)
            elif not re.search(r"\w", text[lo : m.start()]):
                sp = None if m.group().lower() in NO_INVERSION else self.after(cue_end, hi)
                sp = sp or self.implicit(m)
            else:
                sp = self.subject(lo, m.start())
                if sp is None and re.search(r",\s*$", text[lo : m.start()]):
                    sp = self.after(cue_end, hi)  # "“…”, la situation reste grave, a dit X"
                if sp is None:
                    return None
                if sp.text is not None and not self._is_mention(sp):
                    sp = self.person_after(cue_end) or sp
            return sp, cue, (lo, max(cue_end, sp.end))
        return None

    def head(self, mk: QuoteMark) -> tuple[Speaker, str, tuple[int, int]] | None:
        """Cue and speaker before the quote, in the same sentence."""
        text = self.text
        lo = self.bounds.start_of(mk.start)
        for q in self.long_marks:
            if lo <= q.start and q.end <= mk.start:
                lo = q.end
        cands = [m for m in self.cues.direct.finditer(self.hay, lo, mk.start) if self.cue_ok(m)]
        cands += [
            m for m in self.cues.preposition.finditer(self.hay, lo, mk.start) if self.cue_ok(m)
        ]
        if not cands:
            return None
        m = max(cands, key=lambda x: x.start())
        if len(word_list(text[m.end() : mk.start])) > 25:
            return None
        cue_end, cue = self.cue_text(m, mk.start)
        sp: Speaker | None
        if m.re is self.cues.preposition:
            sp = self.after(m.end(), mk.start)
        elif INVERTED_PRONOUN.search(m.group()):
            sp = self.implicit(m)
        else:
            sp = self.subject(lo, m.start())
            if sp is None and not re.search(r"\w", text[lo : m.start()]):
                sp = self.after(cue_end, mk.start) or self.implicit(m)
        if sp is None:
            return None
        return sp, cue, (m.start(), cue_end)

    def previous_sentence(self, mk: QuoteMark) -> tuple[Speaker, str] | None:
        """A speaker introduced in the previous sentence of the paragraph (``He said …``)."""
        cur = self.bounds.start_of(mk.start)
        if cur == 0 or (self.text[cur - 1] == "\n" and not self.text[:cur].rstrip().endswith(":")):
            return None
        lo = self.bounds.start_of(cur - 1)
        if self.is_heading(lo):
            return None
        for m in self.cues.direct.finditer(self.hay, lo, cur):
            if not self.cue_ok(m):
                continue
            sp = self.subject(lo, m.start())
            if sp is not None and sp.text is not None:
                return sp, self._t(m)
        return None

    def direct(self) -> list[Quote]:
        out: list[Quote] = []
        last: Quote | None = None
        for mk in self.long_marks:
            self.unresolved = -1
            found = self.tail(mk) or self.head(mk)
            sp: Speaker | None = None
            cue: str | None = None
            if found is not None:
                sp, cue, used = found
                if used[0] >= mk.end:  # a cue before the quote may also head indirect speech
                    self.used.append(used)
                if sp.text is not None and sp.start >= 0:
                    insort(self.anchors, (sp.start, sp.start, sp.end, sp.text))
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
                sentence=self.sentence_index(a),
            )
            if quote.speaker is None and self.unresolved >= 0:
                self.pending.append((len(out), self.unresolved))
            out.append(quote)
            last = quote
        return out

    def revisit(self, direct: list[Quote], indirect: list[Quote]) -> list[Quote]:
        """Resolve leftover pronouns of direct quotes with names found as indirect speakers."""
        for q in indirect:
            label = {
                (x.start, x.end): x.label for x in self.mentions_in(q.speaker_start, q.speaker_end)
            }
            kind = label.get((q.speaker_start, q.speaker_end))
            words = word_list(q.speaker or "")
            if kind == "PERSON" or (kind is None and words and all(w[0].isupper() for w in words)):
                insort(
                    self.anchors, (q.speaker_start, q.speaker_start, q.speaker_end, q.speaker or "")
                )
        out = list(direct)
        for i, pos in self.pending:
            sp = self.resolve(pos)
            if sp.text is not None:
                out[i] = replace(
                    out[i], speaker=sp.text, speaker_start=sp.start, speaker_end=sp.end
                )
        return out

    # -- indirect speech ----------------------------------------------------------------
    def indirect(self, taken: list[tuple[int, int]]) -> list[Quote]:
        events = [(m, False) for m in self.cues.indirect.finditer(self.hay)]
        events += [(m, True) for m in self.cues.preposition.finditer(self.hay)]
        events.sort(key=lambda e: e[0].start())
        out: list[Quote] = []
        self.describing = False
        for m, prep in events:
            if not self.cue_ok(m) or self.is_heading(m.start()):
                continue
            if any(a <= m.start() < b for a, b in taken):
                continue
            q = self._prep(m) if prep else self._verb(m)
            if q is not None:
                out.append(q)
                taken.append((q.start, q.end))
        return out

    def extra(self, taken: list[tuple[int, int]]) -> list[Quote]:
        """Headline attributions (``Graham: Trump's rhetoric …``) and participle cues
        (``…, saying he had failed``) whose speaker is the main clause's subject."""
        out: list[Quote] = []
        for s in self.sentences:
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
            if not self.cue_ok(m) or any(a <= m.start() < b for a, b in taken):
                continue
            lo, hi = self.bounds.start_of(m.start()), self.bounds.end_of(m.start())
            if lo >= m.start():
                continue
            sp = self.subject(lo, m.start())
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
        for ua, _ub in self.used:
            if a < ua < b:
                b = ua
        brk = _CLAUSE_BREAK.search(self.text, a, b)
        if brk is not None and len(word_list(self.text[a : brk.start()])) >= 3:
            b = brk.start()  # "Carter stopped the practice, but Cook did not say when"
        a, b = trim(self.text, a, b, direct=False)
        if len(word_list(self.text[a:b])) < self.opt.min_words or sp.text is None:
            return None
        mark = self.bounds.quote_at(a)
        if mark is not None and mark.start == a and self._is_quote(mark):
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
            sentence=self.sentence_index(a),
        )

    def _verb(self, m: re.Match[str]) -> Quote | None:
        text = self.text
        lo, hi = self.bounds.start_of(m.start()), self.bounds.end_of(m.start())
        before = word_list(text[lo : m.start()])
        if before and before[-1].lower() in PASSIVE:
            return None
        cue_end, cue = self.cue_text(m, hi)
        inverted = False
        sp = self.subject(lo, m.start())
        if sp is None:
            comma = text.rfind(",", lo, m.start())
            if comma < 0 or re.search(r"\w", text[comma : m.start()]):
                return None
            if m.group().lower() in NO_INVERSION:
                return None
            sp, inverted = self.after(cue_end, hi), True
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

    def _prep(self, m: re.Match[str]) -> Quote | None:
        text = self.text
        lo, hi = self.bounds.start_of(m.start()), self.bounds.end_of(m.start())
        sp = self.after(m.end(), hi)
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
            return self._make(sp.end, hi, sp, self._t(m))
        comma = text.rfind(",", lo, m.start())
        if comma > lo and not re.search(r"\w", text[comma : m.start()]):
            return self._make(lo, comma, sp, self._t(m))
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


def _rules(finder: _Finder) -> list[Quote]:
    """Direct quotes and rule-based indirect speech of one article."""
    found = finder.direct()
    if finder.opt.indirect:
        taken = [(m.start, m.end) for m in finder.long_marks]
        indirect = finder.indirect(taken)
        indirect = sorted(indirect + finder.extra(taken), key=lambda q: q.start)
        found = finder.revisit(found, indirect) + indirect
    return found


def _settled(finder: _Finder, found: list[Quote]) -> list[tuple[int, int]]:
    """Text the rules have attributed: direct quotes with a speaker and the attributions
    after them (``“…,” she said``). A sentence whose possible cues all lie there is not
    parsed: its quote already has a speaker, which is all the parse could add to it."""
    out = list(finder.used)
    out += [(q.start, q.end) for q in found if q.direct and q.speaker is not None]
    return out


def _parsed(
    articles: Sequence[Article], finders: Sequence[_Finder], found: Sequence[list[Quote]]
) -> list[list[ParsedCue] | None]:
    """Attributions read from a parse of each article (None: no parser for its language).

    The sentences of all articles that share a parser are parsed in one batch.
    """
    out: list[list[ParsedCue] | None] = [None] * len(finders)
    groups: dict[int, tuple[Parser, list[int]]] = {}
    for i, (a, f) in enumerate(zip(articles, finders, strict=True)):
        if f.opt.parse and (parser := parser_for(a.language)) is not None:
            groups.setdefault(id(parser), (parser, []))[1].append(i)
    for parser, members in groups.values():
        jobs = []
        for i in members:
            f = finders[i]
            units = cue_units(f.text, f.sent_starts, [(m.start, m.end) for m in f.marks])
            jobs.append((f.text, units, _settled(f, found[i])))
        for i, cues in zip(members, parse_units(parser, jobs), strict=True):
            out[i] = cues
    return out


def find_quotes_batch(
    articles: Sequence[Article], options: QuoteOptions | None = None
) -> list[tuple[Quote, ...]]:
    """:func:`find_quotes` of each article; the parses of all articles run as one batch,
    which is faster than one call per article."""
    finders = [_Finder(a, options or QuoteOptions()) for a in articles]
    found = [_rules(f) for f in finders]
    out = []
    for finder, quotes, cues in zip(finders, found, _parsed(articles, finders, found), strict=True):
        if cues is not None:
            parsed = [q for c in cues if (q := from_parse(finder, c)) is not None]
            quotes = merge(quotes, parsed, finder.opt.indirect)
        quotes = drop_heading_echoes(finder, quotes)
        out.append(tuple(sorted(quotes, key=lambda q: (q.start, q.end))))
    return out


def find_quotes(article: Article, options: QuoteOptions | None = None) -> tuple[Quote, ...]:
    """Direct and indirect quotes of ``article`` with speakers, in text order.

    Needs ``article.sentences`` only for sentence indices and headings, and
    ``article.mentions`` for named speakers; without mentions, speakers are noun phrases.
    """
    return find_quotes_batch([article], options)[0]


def annotate_quotes(article: Article, options: QuoteOptions | None = None) -> Article:
    """Stage: ``article`` with ``quotes`` filled."""
    return replace(article, quotes=find_quotes(article, options))


def annotate_quotes_batch(
    articles: Sequence[Article], options: QuoteOptions | None = None
) -> list[Article]:
    """:func:`annotate_quotes` of each article, with one batched parse for all of them."""
    found = find_quotes_batch(articles, options)
    return [replace(a, quotes=q) for a, q in zip(articles, found, strict=True)]
