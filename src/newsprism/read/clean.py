"""Cleaning of article bodies: whitespace, captions, credits, tags, teasers and page chrome.

``clean_text`` is a pure function. It works paragraph by paragraph: every non-empty line
is a paragraph (hard-wrapped blocks are joined first), and the result keeps one blank line
between paragraphs. Each paragraph is tested against the tables of :mod:`._patterns`
(multilingual keywords); what is dropped is described in the returned ``removed`` tuple,
e.g. ``caption: "Crowded at the border crossing between Russia and Georgia...."``.

Rules, in order:

1. normalise: line endings, NBSP and odd spaces, zero-width characters, NFC;
2. per paragraph: captions and credits, tag lists, "read more" teasers, "the article is
   in X" notices, page chrome (share, subscribe, cookies, advertisement, copyright);
3. repeated paragraphs (a caption printed twice, a duplicated block): later copies go;
4. truncated copies: a line ending in an ellipsis whose words appear in a nearby line;
5. a trailing block of related-article teasers: at least ``min_teaser_pairs`` pairs of
   heading-like line + one short paragraph at the very end, or a run of headings there;
6. a dangling heading left at the very end.

Sub-headings followed by their own paragraphs are kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from newsprism.read.patterns import (
    CAPTION_PREFIX,
    CAPTION_SUFFIX,
    CHROME_LINE,
    CONTAINS_CHROME,
    NOTICE_LINE,
    TAGS_LINE,
    TEASER_LINE,
    TEASER_MARKER,
)
from newsprism.words import word_count

__all__ = ["CleanOptions", "clean_text", "is_heading_like"]


@dataclass(frozen=True)
class CleanOptions:
    """Options of :func:`clean_text`.

    ``captions``/``tags``/``teasers``/``notices``/``chrome``/``duplicates``/
    ``trailing_teasers``: switch each rule family on or off (all on by default).
    ``unwrap``: join hard-wrapped lines of one paragraph (default on).
    ``heading_max_words``: longest line (in words) still taken as a heading (20).
    ``teaser_max_words``: longest blurb (in words) in a trailing teaser pair (60).
    ``min_teaser_pairs``: how many heading + blurb pairs at the end make a teaser block (3).
    ``caption_max_words``: longest paragraph that may be dropped as a caption (80).
    ``chrome_max_words``: longest paragraph that may be dropped as page chrome (40).
    """

    captions: bool = True
    tags: bool = True
    teasers: bool = True
    notices: bool = True
    chrome: bool = True
    duplicates: bool = True
    trailing_teasers: bool = True
    unwrap: bool = True
    heading_max_words: int = 20
    teaser_max_words: int = 60
    min_teaser_pairs: int = 3
    caption_max_words: int = 80
    chrome_max_words: int = 40


_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\f\v]+")
_INVISIBLE = re.compile(r"[\u200b\u200e\u200f\u2060\ufeff\u00ad]")
_ELLIPSIS_END = re.compile(r"(?:\.{3}|…)\s*$")
_TERMINAL = ".,;:。．，、；："
_SENTENCE_END = re.compile(r"[.!?:;…\"”»)\]。！？]\s*$")
_INNER_STOP = re.compile(r"\w[.!?]\s+[\"“«(]?[A-ZÀ-ÞА-ЯЁІЇЄҐ]|。\s*[^\s」』）)]")
_WORD = re.compile(r"\w+", re.UNICODE)


def _describe(kind: str, text: str, limit: int = 60) -> str:
    short = text if len(text) <= limit else text[:limit].rstrip() + "..."
    return f'{kind}: "{short}"'


def _words(text: str) -> int:
    return word_count(text)


def normalise(text: str) -> str:
    """Line endings to ``\\n``, odd spaces to one space, invisible characters dropped."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n\n").replace("\x85", "\n")
    text = _INVISIBLE.sub("", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return "\n".join(lines)


def _looks_wrapped(lines: list[str]) -> bool:
    """A block of 3+ lines of similar, bounded length: text wrapped at a fixed width."""
    if len(lines) < 3:
        return False
    body = [len(line) for line in lines[:-1]]
    longest = max(body)
    if longest > 100 or longest < 40:
        return False
    near = sum(1 for n in body if n >= longest - 20)
    return near >= 0.75 * len(body)


def _paragraphs(text: str, unwrap: bool) -> list[str]:
    blocks = re.split(r"\n\s*\n", text)
    out: list[str] = []
    for block in blocks:
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        if unwrap and _looks_wrapped(lines):
            joined = lines[0]
            for line in lines[1:]:
                if joined.endswith("-") and line[:1].islower():
                    joined = joined[:-1] + line
                else:
                    joined += " " + line
            out.append(joined)
        else:
            out.extend(lines)
    if not unwrap:
        return out
    # A line cut mid-sentence: no closing punctuation, and the next one starts lower-case.
    merged: list[str] = []
    for par in out:
        if merged and par[0].islower() and not _SENTENCE_END.search(merged[-1]):
            merged[-1] += " " + par
        else:
            merged.append(par)
    return merged


def is_heading_like(line: str, max_words: int = 20) -> bool:
    """A short line without sentence-final punctuation (``.`` ``,`` ``;`` ``:``).

    Ellipses, question and exclamation marks and closing quotes are allowed, as in
    headlines such as ``"Dirty bomb": Ukraine accuses Russia...`` or ``“I don’t want to die”``.
    """
    stripped = line.strip()
    if not stripped or _words(stripped) > max_words:
        return False
    if _INNER_STOP.search(stripped):
        return False  # two sentences: a paragraph, not a heading
    if _ELLIPSIS_END.search(stripped):
        return True
    core = stripped.rstrip("\"'”’»)]")
    if not core:
        return False
    return core[-1] not in _TERMINAL


def _rule(par: str, options: CleanOptions) -> str | None:
    """The kind of junk ``par`` is, or None when it is article text."""
    n = _words(par)
    chrome = CHROME_LINE.fullmatch(par) or CONTAINS_CHROME.search(par)
    if options.chrome and n <= options.chrome_max_words and chrome:
        return "chrome"
    short = n <= options.caption_max_words
    if options.captions and short and (CAPTION_SUFFIX.search(par) or CAPTION_PREFIX.match(par)):
        return "caption"
    if options.tags and TAGS_LINE.match(par):
        return "tags"
    if options.teasers and (TEASER_LINE.match(par) or TEASER_MARKER.fullmatch(par)):
        return "teaser"
    if options.notices and NOTICE_LINE.match(par):
        return "notice"
    return None


def _key(par: str) -> str:
    return " ".join(_WORD.findall(par.casefold()))


def _truncated_copy(pars: list[str], i: int) -> bool:
    """``pars[i]`` ends in an ellipsis and its words occur in a line close by."""
    par = pars[i]
    if not _ELLIPSIS_END.search(par):
        return False
    words = _WORD.findall(par.casefold())
    if len(words) < 4:
        return False
    # The first word may carry a glued breadcrumb ("NewsRussia begins ..."): also try without.
    candidates = [" ".join(words), " ".join(words[1:])]
    lo, hi = max(0, i - 3), min(len(pars), i + 4)
    for j in range(lo, hi):
        if j == i:
            continue
        other = " ".join(_WORD.findall(pars[j].casefold()))
        if any(len(c.split()) >= 4 and c in other for c in candidates):
            return True
    return False


def _trailing_teasers(pars: list[str], options: CleanOptions) -> int:
    """Index where a trailing block of related-article teasers starts (len if none)."""
    hmax = options.heading_max_words
    i = len(pars)
    pairs = 0
    while i >= 2:
        blurb, head = pars[i - 1], pars[i - 2]
        if is_heading_like(blurb, hmax) or _words(blurb) > options.teaser_max_words:
            break
        if not is_heading_like(head, hmax) or _words(head) < 3:
            break
        pairs += 1
        i -= 2
    start = len(pars)
    if pairs >= options.min_teaser_pairs and i >= 2 * pairs:
        start = i
    # A run of bare headlines at the very end (a "related" list without blurbs).
    j = start
    while j > 0 and is_heading_like(pars[j - 1], hmax) and _words(pars[j - 1]) >= 4:
        j -= 1
    if start - j >= options.min_teaser_pairs + 1 and j >= start - j:
        start = j
    return start


def clean_text(text: str, options: CleanOptions | None = None) -> tuple[str, tuple[str, ...]]:
    """Clean an article body; return ``(cleaned text, descriptions of what was removed)``.

    Paragraphs in the result are separated by exactly one blank line; no leading or
    trailing whitespace is left.
    """
    opts = options or CleanOptions()
    removed: list[str] = []
    pars = _paragraphs(normalise(text), opts.unwrap)

    kept: list[str] = []
    after_marker = False
    for par in pars:
        kind = _rule(par, opts)
        if kind is None and after_marker and is_heading_like(par, opts.heading_max_words):
            kind = "teaser"  # the headline under a bare "Read also" marker
        after_marker = opts.teasers and TEASER_MARKER.fullmatch(par) is not None
        if kind is None:
            kept.append(par)
        else:
            removed.append(_describe(kind, par))

    if opts.duplicates:
        seen: set[str] = set()
        unique: list[str] = []
        for par in kept:
            key = _key(par)
            if key and key in seen:
                removed.append(_describe("duplicate", par))
                continue
            seen.add(key)
            unique.append(par)
        kept = unique
        kept_trunc: list[str] = []
        for i, par in enumerate(kept):
            if _truncated_copy(kept, i):
                removed.append(_describe("truncated copy", par))
            else:
                kept_trunc.append(par)
        kept = kept_trunc

    if opts.trailing_teasers and kept:
        start = _trailing_teasers(kept, opts)
        removed.extend(_describe("related teaser", par) for par in kept[start:])
        kept = kept[:start]
        if len(kept) > 1 and is_heading_like(kept[-1], opts.heading_max_words):
            removed.append(_describe("dangling heading", kept[-1]))
            kept = kept[:-1]

    return "\n\n".join(kept), tuple(removed)
