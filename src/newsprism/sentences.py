"""Sentence splitting with exact offsets.

Rule-based and language-aware: paragraphs are split on line breaks, then on
terminal punctuation followed by a capital, digit or opening quote (after the
Chinese and Japanese ``。！？``, before anything), except
after known abbreviations and initials, and never inside a quotation (a quote
of several sentences stays one statement). Short paragraphs without terminal
punctuation are marked as headings.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from newsprism.model import Article, Sentence
from newsprism.words import word_count

_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "gen",
    "col",
    "lt",
    "sgt",
    "capt",
    "cpt",
    "gov",
    "sen",
    "rep",
    "st",
    "jr",
    "sr",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "nos",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "approx",
    "u.s",
    "u.k",
    "u.n",
    "e.g",
    "i.e",
    "a.m",
    "p.m",
    "fig",
    "vol",
    "p",
    "pp",
    # es / fr / de / it / pt / sl / ru / uk
    "sra",
    "srta",
    "d",
    "dña",
    "av",
    "avda",
    "núm",
    "pág",
    "mme",
    "mlle",
    "m",
    "mgr",
    "hr",
    "fr",
    "frau",
    "herr",
    "nr",
    "bzw",
    "ca",
    "usw",
    "z.b",
    "sig",
    "sig.ra",
    "dott",
    "ing",
    "avv",
    "on",
    "ga",
    "gos",
    "g",
    "gg",
    "т",
    "тыс",
    "млн",
    "млрд",
    "г",
    "гг",
    "ул",
    "им",
    "т.е",
    "т.д",
    "т.п",
    "др",
    "проф",
    "см",
    "ст",
}

_OPEN_QUOTES = "“„«‹「『"
_CLOSE_QUOTES = "”“»›」』"
_PAIRS = {"“": "”", "„": "“", "«": "»", "‹": "›", "「": "」", "『": "』"}
_TERMINAL = ".!?…。！？"
_HEADING_END = '.!?…:;"”»)。！？」』'
# A boundary starts at the first mark of a run of terminal punctuation and its
# runs are possessive: backtracking inside them could never find another match,
# and without these guards a long run of dots or spaces is scanned again from
# each of its characters (quadratic time).
_BOUNDARY = re.compile(
    r"(?<![.!?…])([.!?…]++)([\"”»’)\]]*+)(\s++)"
    r"(?=[\"“„«(\[¿¡—–-]?\s*[A-ZÀ-ÖØ-ÞĀ-ſА-ЯЁЇІЄҐ0-9가-힣])"
    # Chinese and Japanese full stops end a sentence with or without a space after them
    # (inside a closing bracket it goes on: 「…。」と述べた。)
    r"|(?<![。！？])([。！？]++)()(\s*+)(?=[^\s」』）)])"
)
_WORD_BEFORE = re.compile(r"([\w.]+)$")
# Longer than any abbreviation: the word before a dot is looked for only this far
# back, so that each dot costs constant time however long the paragraph is.
_WORD_WINDOW = 32


@dataclass(frozen=True)
class SentenceOptions:
    """``max_quote_chars``: a quotation longer than this may be split inside."""

    max_quote_chars: int = 800
    heading_max_words: int = 20


def _quote_depths(text: str) -> list[int]:
    """For each index, how many quotations are open before it (straight quotes toggle)."""
    depth = 0
    straight_open = False
    stack: list[str] = []
    out = [0] * (len(text) + 1)
    for i, ch in enumerate(text):
        out[i] = depth + (1 if straight_open else 0)
        if ch == '"':
            straight_open = not straight_open
        elif stack and ch == stack[-1]:
            stack.pop()
            depth -= 1
        elif ch in _PAIRS and not (ch == "“" and stack and stack[-1] == "“"):
            stack.append(_PAIRS[ch])
            depth += 1
    out[len(text)] = depth + (1 if straight_open else 0)
    return out


def _is_abbreviation(paragraph: str, dot_index: int) -> bool:
    window = max(0, dot_index - _WORD_WINDOW)
    m = _WORD_BEFORE.search(paragraph, window, dot_index)
    if not m:
        return False
    if m.start() == window and window > 0:
        return False  # a word of at least _WORD_WINDOW characters is no abbreviation
    word = m.group(1).lower().rstrip(".")
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith"
    return word in _ABBREVIATIONS


def _split_paragraph(paragraph: str, opts: SentenceOptions) -> list[tuple[int, int]]:
    depths = _quote_depths(paragraph)
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(paragraph):
        first = 1 if m.group(1) is not None else 4  # the groups of the matched branch
        punct_start = m.start(first)
        cut = m.end(first + 1)
        if m.group(first) == "." and _is_abbreviation(paragraph, punct_start):
            continue
        if depths[cut] > 0 and cut - start < opts.max_quote_chars:
            continue
        spans.append((start, cut))
        start = m.end(first + 2)
    spans.append((start, len(paragraph)))
    return [(s, e) for s, e in spans if paragraph[s:e].strip()]


def _is_heading(text: str, opts: SentenceOptions) -> bool:
    stripped = text.rstrip()
    if not stripped or stripped.endswith("..."):
        return bool(stripped)
    if stripped[-1] in _HEADING_END and not stripped.endswith(("”", '"', "»")):
        return False
    if stripped[-1] in '”"»' and len(stripped) > 1 and stripped[-2] in _TERMINAL:
        return False
    return word_count(stripped) <= opts.heading_max_words


def split_sentences(text: str, options: SentenceOptions | None = None) -> tuple[Sentence, ...]:
    """Split ``text`` into sentences whose offsets point into ``text``."""
    opts = options or SentenceOptions()
    sentences: list[Sentence] = []
    for para in re.finditer(r"[^\n]+", text):
        raw = para.group(0)
        if not raw.strip():
            continue
        pieces = _split_paragraph(raw, opts)
        single = len(pieces) == 1
        for s, e in pieces:
            piece = raw[s:e]
            lead = len(piece) - len(piece.lstrip())
            trail = len(piece) - len(piece.rstrip())
            start = para.start() + s + lead
            end = para.start() + e - trail
            body = text[start:end]
            heading = single and _is_heading(body, opts)
            sentences.append(Sentence(len(sentences), start, end, body, heading))
    return tuple(sentences)


def annotate_sentences(article: Article, options: SentenceOptions | None = None) -> Article:
    """Stage: fill ``article.sentences``."""
    return dataclasses.replace(article, sentences=split_sentences(article.text, options))
