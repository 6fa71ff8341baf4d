"""Words of any language, and their frequencies, without a word segmenter.

Chinese, Japanese, Thai, Lao, Khmer, Burmese and Tibetan are written without spaces
between words, and Korean attaches particles to its words. ``wordfreq`` segments
Chinese with ``jieba`` and Japanese and Korean with ``MeCab``, packages newsprism does
not depend on: asking it for the frequency of a word of these languages imports them
and fails. This module is where word frequencies come from, and it never makes
``wordfreq`` segment:

* :func:`zipf` is a word's Zipf frequency (``wordfreq``'s scale, 0 to about 8): looked
  up in the language's list as it is for Chinese, Japanese and Korean, ``None`` for a
  language ``wordfreq`` has no list or no segmenter for (Thai, Lao, Khmer …);
* :func:`unspaced_terms` cuts the runs of those scripts into overlapping pairs of
  characters, the usual stand-in for words in search over these scripts, and
  :func:`without_unspaced` blanks the runs out so the word patterns of spaced
  languages see only the rest of the text, and :func:`word_count` counts words
  in any script (for "a heading has at most 20 words").
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache

__all__ = [
    "UNSPACED",
    "has_unspaced",
    "unspaced_share",
    "unspaced_terms",
    "without_unspaced",
    "word_count",
    "zipf",
]

#: A run of letters (and their marks) of a script written without spaces: Han,
#: Hiragana, Katakana, Hangul, Thai, Lao, Tibetan, Myanmar, Khmer.
UNSPACED = re.compile(
    "["
    "\u0e00-\u0e7f"  # Thai
    "\u0e80-\u0eff"  # Lao
    "\u0f00-\u0fff"  # Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u1100-\u11ff"  # Hangul Jamo
    "\u1780-\u17ff"  # Khmer
    "\u3005-\u3007"  # 々 〆 〇
    "\u3041-\u309f"  # Hiragana
    "\u30a1-\u30fa\u30fc-\u30ff"  # Katakana (not the middle dot)
    "\u3130-\u318f"  # Hangul compatibility Jamo
    "\u31f0-\u31ff"  # Katakana phonetic extensions
    "\u3400-\u4dbf"  # CJK extension A
    "\u4e00-\u9fff"  # CJK unified ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK compatibility ideographs
    "\uff66-\uff9f"  # half-width Katakana
    "]+"
)
#: wordfreq's segmenters, which need packages newsprism does not install.
_SEGMENTED = frozenset({"mecab", "jieba"})


def has_unspaced(text: str) -> bool:
    """Whether ``text`` has a letter of a script written without spaces."""
    return UNSPACED.search(text) is not None


def unspaced_share(text: str) -> float:
    """The share of the letters and digits of ``text`` in scripts without spaces."""
    unspaced = sum(len(run) for run in UNSPACED.findall(text))
    if not unspaced:
        return 0.0
    return unspaced / max(unspaced, sum(1 for ch in text if ch.isalnum()))


def without_unspaced(text: str) -> str:
    """``text`` with every run of a script without spaces replaced by one space."""
    return UNSPACED.sub(" ", text)


def word_count(text: str) -> int:
    """The words of ``text`` separated by spaces; in a script written without spaces,
    every two characters count as one word (about the length of a Chinese or
    Japanese word)."""
    if not has_unspaced(text):
        return len(text.split())
    unspaced = sum(len(run) for run in UNSPACED.findall(text))
    return len(without_unspaced(text).split()) + max(1, unspaced // 2)


def unspaced_terms(text: str) -> list[str]:
    """The overlapping character pairs of every run of a script without spaces in
    ``text``, in order (a run of one character is itself): ``防波堤`` → ``防波 波堤``."""
    terms: list[str] = []
    for run in UNSPACED.findall(unicodedata.normalize("NFKC", text)):
        if len(run) == 1:
            terms.append(run)
        else:
            terms.extend(run[i : i + 2] for i in range(len(run) - 1))
    return terms


@lru_cache(maxsize=64)
def _how_segmented(language: str) -> str | None:
    """wordfreq's segmenter of ``language`` (``regex``, ``mecab``, ``jieba``), ``None``
    when it has none, ``""`` when the code is not a language tag."""
    from wordfreq.language_info import get_language_info

    try:
        tokenizer = get_language_info(language)["tokenizer"]
    except (LookupError, ValueError):
        return ""
    return str(tokenizer) if tokenizer is not None else None


@lru_cache(maxsize=16)
def _frequencies(language: str) -> Mapping[str, float] | None:
    from wordfreq import get_frequency_dict

    try:
        return dict(get_frequency_dict(language))
    except (LookupError, ValueError):
        return None


def _listed_zipf(word: str, frequencies: Mapping[str, float]) -> float:
    """The Zipf frequency of ``word`` as the list holds it; a word of a script without
    spaces that the list does not hold (a pair of characters across a word boundary)
    is as frequent as its most frequent character."""
    freq = frequencies.get(word, 0.0)
    if freq <= 0.0 and len(word) > 1 and UNSPACED.fullmatch(word):
        freq = max(frequencies.get(ch, 0.0) for ch in word)
    return round(math.log10(freq) + 9.0, 2) if freq > 0.0 else 0.0


@lru_cache(maxsize=200_000)
def zipf(word: str, language: str) -> float | None:
    """The Zipf frequency of ``word`` in ``language`` (0 for a word not in the list), or
    ``None`` when ``wordfreq`` has no list, or no segmenter of its own, for the language.

    Chinese, Japanese and Korean words are looked up as they are (NFKC, case-folded),
    without the ``jieba``/``MeCab`` segmentation ``wordfreq`` would ask for; every other
    language goes through ``wordfreq.zipf_frequency`` unchanged.
    """
    segmenter = _how_segmented(language)
    if not segmenter:
        return None
    if segmenter in _SEGMENTED:
        frequencies = _frequencies(language)
        if frequencies is None:
            return None
        return _listed_zipf(unicodedata.normalize("NFKC", word).casefold(), frequencies)
    from wordfreq import zipf_frequency

    try:
        return float(zipf_frequency(word, language))
    except (LookupError, ValueError):
        return None
