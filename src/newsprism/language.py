"""Language identification: ISO 639-1 codes (``en``, ``es``, ``sl`` …) or ``None``.

The default detector is a two-step one, built lazily on first use and cached:

1. ``py3langid`` (a naive-Bayes byte n-gram model; ≈ 0.8 s to load, then ≈ 10k texts/s)
   ranks all its languages that have a two-letter code;
2. when its best guess is not clearly ahead (short texts, close pairs such as ru/uk/bg,
   sl/hr/bs, es/gl, pt/gl), ``lingua`` decides among the few best candidates only. Its
   per-language models are loaded lazily, so only those few are read (≈ 0.2 s each),
   instead of the 7 s that preloading all of lingua costs.

Before detection, URLs, digits and symbols, share-button runs ("WhatsApp Facebook
Twitter") are removed, and Title Case or ALL CAPS samples (headlines) are lower-cased.
Texts with fewer than ``min_letters`` letters, or whose final confidence is below
``min_confidence``, get ``None``. Any object with a ``detect(text) -> str | None``
method can stand in for the default (see :class:`LanguageDetector`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "LangidLinguaDetector",
    "LanguageDetector",
    "LanguageOptions",
    "default_detector",
    "detect_language",
    "is_known_code",
    "normalise_code",
]


@runtime_checkable
class LanguageDetector(Protocol):
    """Anything that names the language of a text (ISO 639-1) or returns ``None``."""

    def detect(self, text: str) -> str | None: ...


@dataclass(frozen=True)
class LanguageOptions:
    """Options of the default detector.

    ``min_letters``: texts with fewer letters get ``None`` (20).
    ``min_confidence``: lowest accepted probability of the chosen language (0.5).
    ``sure``: py3langid probability above which no second opinion is asked (0.97).
    ``refine``: ask lingua among the best candidates when py3langid is unsure (True).
    ``candidates``: how many py3langid candidates lingua chooses among (4).
    ``max_chars``: only the first characters of long texts are looked at (4000).
    ``languages``: restrict the answer to these codes (``None``: all two-letter codes).
    ``exclude``: codes never answered: rare languages that mostly steal short texts from
    their neighbours (Aragonese, Latin, Volapük, Walloon, Esperanto).
    """

    min_letters: int = 20
    min_confidence: float = 0.5
    sure: float = 0.97
    refine: bool = True
    candidates: int = 4
    max_chars: int = 4000
    languages: frozenset[str] | None = None
    exclude: frozenset[str] = frozenset({"an", "la", "vo", "wa", "eo"})


_URL = re.compile(r"\b(?:https?://|www\.)\S+|\S+@\S+\.\w+")
_NOISE = re.compile(r"[\d_#@*=<>{}\[\]|/\\^~`]+")
_LETTER = re.compile(r"[^\W\d_]")
_CODE = re.compile(r"^([a-zA-Z]{2,3})(?:[-_][A-Za-z0-9]+)*$")

# ISO 639-2/3 codes that people write where a two-letter code exists.
_THREE_TO_TWO = {
    "eng": "en",
    "spa": "es",
    "fra": "fr",
    "fre": "fr",
    "deu": "de",
    "ger": "de",
    "rus": "ru",
    "ukr": "uk",
    "slv": "sl",
    "ita": "it",
    "por": "pt",
    "pol": "pl",
    "ces": "cs",
    "cze": "cs",
    "hrv": "hr",
    "srp": "sr",
    "bos": "bs",
    "nld": "nl",
    "dut": "nl",
    "bul": "bg",
    "ron": "ro",
    "rum": "ro",
    "hun": "hu",
    "ell": "el",
    "gre": "el",
    "tur": "tr",
    "ara": "ar",
    "zho": "zh",
    "chi": "zh",
    "jpn": "ja",
}


def normalise_code(code: str | None) -> str | None:
    """``"EN"``, ``"en-US"``, ``"eng"`` → ``"en"``; unknown shapes → ``None``."""
    if not code:
        return None
    match = _CODE.match(code.strip())
    if not match:
        return None
    base = match.group(1).lower()
    if len(base) == 3:
        return _THREE_TO_TWO.get(base)
    return base


# Every ISO 639-1 code, and the withdrawn ones still found in data (iw, in, ji, jw, mo, sh).
_ISO_639_1_CODES = """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv
cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr
ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw
ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv
ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr
ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi
yo za zh zu iw in ji jw mo sh
"""
_ISO_639_1 = frozenset(_ISO_639_1_CODES.split())


def is_known_code(code: str) -> bool:
    """Whether ``code`` (as :func:`normalise_code` returns it) is an ISO 639-1 language:
    ``en`` and ``uk`` are, ``qq`` and ``zz`` are not."""
    return code in _ISO_639_1


# A run of two or more share-button labels ("WhatsApp Facebook Twitter Email"), which
# scraped articles often start with; single mentions ("dijo en Twitter") are kept.
_SHARE_NAME = (
    r"(?:WhatsApp|Facebook|Twitter|Pinterest|LinkedIn|Tumblr|Telegram|Reddit|Messenger"
    r"|Flipboard|Email|E-mail|Print|Imprimir|Imprimer|Drucken)"
)
_SHARE_BAR = re.compile(rf"\b{_SHARE_NAME}(?:[\s\d|·•,]+{_SHARE_NAME})+\b")
_WORD = re.compile(r"[^\W\d_]+")
# Share of capitalised words above which a sample is Title Case or ALL CAPS (headlines),
# which the character models mistake for names; such samples are lower-cased.
_CAPITALISED = 0.6


def _prepare(text: str, max_chars: int) -> str:
    text = _SHARE_BAR.sub(" ", text[: max_chars * 2])
    text = _URL.sub(" ", text)
    text = _NOISE.sub(" ", text)
    sample = " ".join(text.split())[:max_chars]
    words = _WORD.findall(sample)
    if len(words) >= 3 and sum(w[0].isupper() for w in words) > _CAPITALISED * len(words):
        sample = sample.lower()
    return sample


class LangidLinguaDetector:
    """py3langid first, lingua among its best candidates when it is unsure."""

    def __init__(self, options: LanguageOptions | None = None) -> None:
        self.options = options or LanguageOptions()
        self._lock = threading.Lock()
        self._langid: Any = None
        self._lingua: dict[frozenset[str], Any] = {}

    # -- back ends, loaded on first use ------------------------------------------------
    def _identifier(self) -> Any:
        with self._lock:
            if self._langid is None:
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
                wanted, unwanted = self.options.languages, self.options.exclude
                labels = [
                    c
                    for c in ident.labels
                    if len(c) == 2 and c not in unwanted and (wanted is None or c in wanted)
                ]
                ident.set_languages(labels)
                self._langid = ident
            return self._langid

    def _lingua_for(self, codes: Sequence[str]) -> Any:
        from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

        langs = []
        for code in codes:
            try:
                langs.append(Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())))
            except (AttributeError, ValueError):
                continue
        key = frozenset(lang.iso_code_639_1.name.lower() for lang in langs)
        if len(key) < 2:
            return None
        with self._lock:
            if key not in self._lingua:
                self._lingua[key] = LanguageDetectorBuilder.from_languages(*langs).build()
            return self._lingua[key]

    # -- the protocol -------------------------------------------------------------------
    def rank(self, text: str) -> list[tuple[str, float]]:
        """py3langid's languages for ``text``, best first, with probabilities."""
        ranked: list[tuple[str, float]] = self._identifier().rank(text)
        return ranked

    def detect(self, text: str) -> str | None:
        opts = self.options
        sample = _prepare(text, opts.max_chars)
        if len(_LETTER.findall(sample)) < opts.min_letters:
            return None
        ranked = self.rank(sample)
        best, prob = ranked[0]
        if prob >= opts.sure or not opts.refine:
            return best if prob >= opts.min_confidence else None
        codes = [code for code, p in ranked[: opts.candidates] if p >= 0.005]
        detector = self._lingua_for(codes) if len(codes) > 1 else None
        if detector is None:
            return best if prob >= opts.min_confidence else None
        values = detector.compute_language_confidence_values(sample[:1000])
        if not values:
            return best if prob >= opts.min_confidence else None
        top = values[0]
        code = str(top.language.iso_code_639_1.name).lower()
        # Average the two opinions so that neither decides alone on a near tie.
        langid_prob = dict(ranked).get(code, 0.0)
        confidence = max(top.value, (top.value + langid_prob) / 2)
        return code if confidence >= opts.min_confidence else None


@lru_cache(maxsize=1)
def default_detector() -> LanguageDetector:
    """The shared default detector (its models load on first ``detect``)."""
    return LangidLinguaDetector()


def detect_language(text: str, detector: LanguageDetector | None = None) -> str | None:
    """ISO 639-1 code of ``text``, or ``None`` when too short or too uncertain."""
    return (detector or default_detector()).detect(text)
