"""Attributions read from a dependency parse (English): who says, thinks or wants what.

A cue is a verb from a broad lexicon of reporting, belief and stance verbs (``said``,
``believes``, ``wants``, ``criticized``, ``declined``). Its source is the subject noun phrase
as written (with titles and appositions: ``Tom Fitton, the president of Judicial Watch,``),
or the subject of the clause it hangs from (``…, saying …``, ``stood up and said …``); its
content is the complement clause (``said [that the paragraph referred to …]``), the
infinitive (``wants [to build a wall]``) or the object with its complements (``accused [Clinton
of lying]``). ``According to X, …`` gives source X and the rest of the clause as content.

The parser is loaded lazily and cached (:func:`newsprism.quotes.parser.parser_for`); without
an installed model the stage falls back to the rules of :mod:`newsprism.quotes.finder`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from newsprism.quotes.cues import word_set

__all__ = ["CUE_LEMMAS", "OBJECT_LEMMAS", "ParsedCue", "parse_cues"]

# Verbs whose clause or object is attributed content (lemmas).
CUE_LEMMAS = word_set(
    "say tell add write ask note report announce suggest show find tweet describe argue think "
    "call continue decline explain believe accuse acknowledge endorse criticize criticise "
    "declare expect refer want urge cite recall support conclude defend claim respond praise "
    "agree propose hope state know refuse warn promise insist reply plan oppose reveal seek "
    "predict offer question pledge vow dismiss blame reject point admit attack deny indicate "
    "express confirm assure feel worry fear estimate contend maintain speculate assert stress "
    "emphasize emphasise complain testify mention comment observe concede allege boast brag "
    "joke demand lament charge counter retort repeat reiterate remind tout threaten doubt "
    "wonder understand recognize realize remember consider assume suspect guarantee signal "
    "hint imply recommend advise encourage label characterize dub brand slam blast condemn "
    "denounce applaud welcome back mock ridicule challenge dispute rebut refute contradict "
    "proclaim unveil post inform caution detail outline answer regret apologize confess "
    "forecast project demonstrate prove wish intend prefer hate decide vote pressure "
    "campaign push lobby insinuate opine muse acknowledge agree disagree "
    "seem appear sound see speak talk discuss view hop name release echo highlight remark press "
    "favor favour deem portray publish compare cast ignore identify embrace address share "
    "nominate disclose list order learn allude assail persuade convince advocate decry rebuff "
    "rail interpret recount reference repudiate quote liken envision regard shrug articulate "
    "deride hail disavow request shout plead utter vouch underscore voice protest foresee "
    "approve focus look consider"
)
# Cues whose bare object (no clause) is content: ``endorsed Clinton``, ``criticized the plan``.
OBJECT_LEMMAS = word_set(
    "call describe accuse endorse criticize criticise praise support oppose blame reject "
    "attack deny dismiss question defend slam blast condemn denounce applaud welcome back "
    "mock ridicule challenge dispute rebut refute propose announce predict promise pledge "
    "urge cite recall reveal tout label characterize dub brand demand seek want fear expect "
    "offer recommend confirm acknowledge admit hate prefer estimate forecast contradict "
    "threaten ask tell name release echo highlight favor favour deem portray publish compare "
    "cast ignore identify embrace address share nominate disclose list order assail persuade "
    "convince advocate decry rebuff repudiate quote liken envision regard deride hail disavow "
    "request voice approve discuss view reference interpret"
)
_RELATIVES = word_set("who which that")
_SKIP_CHILD = {"punct", "cc", "conj", "advcl", "npadvmod", "dep", "mark", "advmod", "parataxis"}


class ParsedCue:
    """One attribution found in the parse (character offsets into the parsed text)."""

    __slots__ = ("alias", "content", "cue", "cue_text", "pronoun", "source")

    def __init__(
        self,
        cue: tuple[int, int],
        cue_text: str,
        content: tuple[int, int],
        source: tuple[int, int] | None,
        pronoun: bool,
        alias: tuple[int, int] | None = None,
    ) -> None:
        self.alias = alias  # a name in apposition to the source (``the mayor, Jane Doe``)
        self.cue = cue
        self.cue_text = cue_text
        self.content = content
        self.source = source
        self.pronoun = pronoun

    def shifted(self, offset: int) -> ParsedCue:
        """The same attribution with every offset moved by ``offset``."""

        def move(span: tuple[int, int] | None) -> tuple[int, int] | None:
            return None if span is None else (span[0] + offset, span[1] + offset)

        cue, content = move(self.cue), move(self.content)
        assert cue is not None and content is not None
        return ParsedCue(
            cue, self.cue_text, content, move(self.source), self.pronoun, move(self.alias)
        )


def _span(tokens: Iterable[Any]) -> tuple[int, int]:
    toks = [t for t in tokens if not t.is_space]
    while toks and (toks[0].is_punct and toks[0].text not in "“\"'‘"):
        toks = toks[1:]
    while toks and toks[-1].is_punct and toks[-1].text not in "”\"'’)":
        toks = toks[:-1]
    if not toks:
        return (0, 0)
    return toks[0].idx, toks[-1].idx + len(toks[-1].text)


def _subtree(tok: Any) -> tuple[int, int]:
    doc = tok.doc
    return _span(doc[tok.left_edge.i : tok.right_edge.i + 1])


def _subject(verb: Any) -> Any | None:
    """The subject of ``verb``, inherited through conjunctions and participle clauses."""
    seen = 0
    while verb is not None and seen < 4:
        for c in verb.children:
            if c.dep_ in ("nsubj", "csubj"):
                if c.lower_ in _RELATIVES and verb.dep_ == "relcl":
                    return verb.head  # "Trump, who said …": the antecedent
                return c
        if verb.dep_ in ("conj", "xcomp", "advcl") and verb.head is not verb:
            if verb.dep_ == "advcl" and verb.tag_ != "VBG":
                return None
            verb = verb.head
            seen += 1
            continue
        if verb.dep_ == "relcl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return verb.head
        return None
    return None


def _core(tok: Any) -> tuple[int, int]:
    """The noun phrase of ``tok`` without appositions and relative clauses."""
    end = tok.i
    for c in tok.rights:
        if c.dep_ in ("appos", "relcl", "acl", "punct", "cc", "conj") or c.text == ",":
            break
        end = c.right_edge.i
    return _span(tok.doc[tok.left_edge.i : end + 1])


def _source_span(subj: Any) -> tuple[tuple[int, int], tuple[int, int] | None]:
    """The source noun phrase (title and name, no apposition) and a name apposed to it."""
    if subj.pos_ == "PRON":
        return (subj.idx, subj.idx + len(subj.text)), None
    appos = [c for c in subj.rights if c.dep_ == "appos"]
    alias = _core(appos[0]) if appos and appos[0].pos_ == "PROPN" else None
    return _core(subj), alias


def _paragraph(span: tuple[int, int], text: str, at: int) -> tuple[int, int]:
    """``span`` cut to the paragraph of position ``at``."""
    lo = text.rfind("\n", 0, at) + 1
    hi = text.find("\n", at)
    hi = len(text) if hi < 0 else hi
    return max(span[0], lo), min(span[1], hi)


def _content(verb: Any, lemma: str) -> tuple[int, int] | None:
    found = _complement(verb, lemma)
    return None if found is None else _paragraph(found, verb.doc.text, verb.idx)


def _complement(verb: Any, lemma: str) -> tuple[int, int] | None:
    doc = verb.doc
    for c in verb.children:
        if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and c.i > verb.i):
            return _subtree(c)
    if lemma not in OBJECT_LEMMAS:
        return None
    right = [c for c in verb.children if c.i > verb.i and c.dep_ not in _SKIP_CHILD]
    obj = [c for c in right if c.dep_ in ("dobj", "attr", "oprd")]
    if not obj:
        return None
    first = obj[0]
    last = first
    for c in right:
        if c.i > first.i and c.dep_ in ("prep", "oprd", "dative", "ccomp", "xcomp", "acomp"):
            last = c
    return _span(doc[first.left_edge.i : last.right_edge.i + 1])


def _cue_tokens(verb: Any) -> tuple[tuple[int, int], str]:
    end = verb.idx + len(verb.text)
    for c in verb.children:
        if c.dep_ == "prt" and c.i == verb.i + 1:
            end = c.idx + len(c.text)
    text = verb.doc.text[verb.idx : end]
    return (verb.idx, end), text


def _verb_cue(tok: Any) -> ParsedCue | None:
    """``tok`` as a reporting verb with its subject and complement, if it is one."""
    lemma = tok.lemma_.lower()
    modifier = tok.dep_ in ("amod", "acl") or (tok.tag_ == "VBN" and tok.dep_ != "ROOT")
    if modifier and not any(c.dep_ == "aux" for c in tok.children):
        return None  # "the candidate backed by …", "a widely shared post"
    content = _content(tok, lemma)
    if content is None or content[1] <= content[0]:
        return None
    subj = _subject(tok)
    if subj is None:
        return None
    source, alias = _source_span(subj)
    if source[0] < content[1] and content[0] < source[1]:
        return None
    cue, cue_text = _cue_tokens(tok)
    first = tok.doc.char_span(content[0], content[1], alignment_mode="expand")
    if first is not None and len(first) > 1 and first[0].dep_ == "mark":
        content = (first[1].idx, content[1])  # the complementiser is not reported content
    return ParsedCue(cue, cue_text, content, source, subj.pos_ == "PRON", alias)


def _according(tok: Any) -> ParsedCue | None:
    """``according to X, …`` / ``…, according to X``: X and the rest of the clause."""
    doc = tok.doc
    to = doc[tok.i + 1]
    objs = [c for c in to.children if c.dep_ == "pobj"] or [
        c for c in tok.children if c.dep_ == "pobj"
    ]
    if not objs:
        return None
    src = _core(objs[0])
    sent = tok.sent
    left = _span(t for t in sent if t.idx + len(t.text) <= tok.idx)
    right = _span(t for t in sent if t.idx >= objs[0].right_edge.idx + len(objs[0].right_edge))
    content = right if right[1] - right[0] >= left[1] - left[0] else left
    content = _paragraph(content, doc.text, tok.idx)
    if content[1] <= content[0]:
        return None
    cue = (tok.idx, to.idx + len(to.text))
    return ParsedCue(cue, doc.text[cue[0] : cue[1]], content, src, False)


def parse_cues(doc: Any) -> list[ParsedCue]:
    """Attributions of a parsed document: verb cues and ``according to`` phrases."""
    out: list[ParsedCue] = []
    for tok in doc:
        found: ParsedCue | None = None
        if tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in CUE_LEMMAS:
            found = _verb_cue(tok)
        elif tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            found = _according(tok)
        if found is not None:
            out.append(found)
    return out
