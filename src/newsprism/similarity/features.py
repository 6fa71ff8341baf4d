"""Language-independent features of a pair of articles, for article similarity.

Each article is reduced to a few views (see :func:`prepare`): multilingual
Universal Sentence Encoder vectors of its title, of its lead at three lengths
(title and the first ``short_chars``, ``lead_chars`` and ``long_chars``
characters) and of its first ``max_sentences`` sentences; a multilingual e5 vector
of its title; its named entities, dates and numbers. A pair is described by
(:func:`pair_features`):

* cosines of the views: ``cos_lead``, ``cos_title``, ``cos_title_lead`` (each
  title against the other lead, averaged), ``cos_lead_short``,
  ``cos_lead_long``, ``cos_title_short`` (title against the other
  short lead), ``cos_short_long`` (short lead against the other long one),
  ``cos_views`` (cosine of the normalised sums of the three lead vectors) and
  ``cos_title_e5`` (e5 title vectors; only when both articles share a
  language: e5 cosines run lower across languages, so the model imputes it
  otherwise, from the USE title cosines);
* word overlap: ``lex_names`` (weighted cosine of the capitalised words and
  numbers, folded to ASCII, which carry across languages) and ``lex_words``
  (all words, rare ones weighing more by their ``wordfreq`` frequency, and pairs of
  characters in scripts written without spaces; only when both articles share a
  language, the model imputes it otherwise);
* sentence alignment (evidence, and features the model does not use):
  ``align_f`` (harmonic mean of the average best match of every sentence in
  the other article, both ways), ``align_top3``, ``align_max``, ``cos_centroid``;
* entities linked across the two articles (``newsprism.link.names``): Jaccard of the
  entity sets overall and for places, people and organisations, and the
  mention-weighted overlap ``ent_weighted``;
* dates (Jaccard of resolved days, log of the smallest gap in days) and numbers
  (Jaccard of value and unit);
* the lengths (``len_log_ratio``, ``len_log_min``).

No rule is written for a given language: names, dates and numbers are compared
after normalisation, word weights come from ``wordfreq`` for any language it
knows, and the vectors are cross-lingual.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from anyascii import anyascii

from newsprism.embed.articles import article_lead
from newsprism.embed.sentences import Embedder, Vectors, default_embedder
from newsprism.link.names import link_entities
from newsprism.model import Article, Entity
from newsprism.words import unspaced_terms, without_unspaced, zipf

__all__ = [
    "ALIGN_FEATURES",
    "FEATURES",
    "LEXICAL",
    "MONOLINGUAL",
    "SIMILARITY_STAGES",
    "TITLE_E5",
    "AlignedPair",
    "ArticleViews",
    "FeatureOptions",
    "PairEvidence",
    "SharedEntity",
    "pair_features",
    "prepare",
]

FEATURES: tuple[str, ...] = (
    "cos_lead",
    "cos_title",
    "cos_title_lead",
    "cos_lead_short",
    "cos_lead_long",
    "cos_title_short",
    "cos_short_long",
    "cos_views",
    "ent_jaccard",
    "ent_weighted",
    "loc_jaccard",
    "person_jaccard",
    "org_jaccard",
    "ent_none",
    "date_jaccard",
    "date_gap_log",
    "date_none",
    "num_jaccard",
    "lex_names",
    "len_log_ratio",
    "len_log_min",
)
# Only between articles in one language; the model imputes it otherwise.
LEXICAL = "lex_words"
TITLE_E5 = "cos_title_e5"
MONOLINGUAL: tuple[str, ...] = (LEXICAL, TITLE_E5)
# Only with ``FeatureOptions.align`` (evidence; they add nothing to the model's accuracy).
ALIGN_FEATURES: tuple[str, ...] = ("cos_centroid", "align_f", "align_top3", "align_max")
_WORD = re.compile(r"\w+")
# Words more frequent than Zipf 4.5 (weight 7.5 - 4.5) are not taken as names.
_NAME_MIN_WEIGHT = 3.0
# No date on one side: the gap feature takes this value (about a year) and
# ``date_none`` says why.
_NO_DATE_GAP = math.log1p(365.0)


@dataclass(frozen=True)
class FeatureOptions:
    """``lead_chars``: characters of text after the title in the lead vector (1000).

    ``short_chars``, ``long_chars``: the same for the short and long leads
    (300, 3000). ``e5_titles``: embed titles with multilingual e5 as well
    (True; without it ``cos_title_e5`` falls back to the USE title cosine).
    ``max_sentences``: sentences per article embedded for alignment (40, from
    the start). ``min_sentence_chars``: shorter sentences (bylines, captions)
    are left out of the alignment (25). ``evidence_pairs``: aligned sentence
    pairs kept as evidence (3).
    """

    lead_chars: int = 1000
    short_chars: int = 300
    long_chars: int = 3000
    e5_titles: bool = True
    max_sentences: int = 40
    min_sentence_chars: int = 25
    evidence_pairs: int = 3
    align: bool = True


@dataclass(frozen=True)
class ArticleViews:
    """The vectors of one article: title, leads, and the sentences in ``sentence_ids``.

    ``title_e5`` is the e5 title vector (the USE one when e5 is off).
    """

    title: Vectors
    lead: Vectors
    sentences: Vectors
    sentence_ids: tuple[int, ...]
    lead_short: Vectors
    lead_long: Vectors
    title_e5: Vectors


@dataclass(frozen=True)
class SharedEntity:
    """An entity named in both articles, with the surface forms each one uses."""

    name: str
    type: str
    surfaces_a: tuple[str, ...]
    surfaces_b: tuple[str, ...]
    mentions_a: int
    mentions_b: int


@dataclass(frozen=True)
class AlignedPair:
    """Two sentences that say much the same (cosine ``score``), with their offsets."""

    score: float
    text_a: str
    start_a: int
    end_a: int
    text_b: str
    start_b: int
    end_b: int


@dataclass(frozen=True)
class PairEvidence:
    """What the features were computed from."""

    shared_entities: tuple[SharedEntity, ...]
    shared_places: tuple[str, ...]
    shared_dates: tuple[str, ...]
    shared_numbers: tuple[str, ...]
    aligned: tuple[AlignedPair, ...]


#: The annotation similarity needs: sentences, names, figures and dates.
SIMILARITY_STAGES = ("sentences", "entities", "quantities", "dates")


def _alignable(article: Article, opts: FeatureOptions) -> list[int]:
    ids = [
        s.index
        for s in article.sentences
        if len(s.text.strip()) >= opts.min_sentence_chars and not s.heading
    ]
    return ids[: opts.max_sentences]


def prepare(
    articles: Sequence[Article],
    embedder: Embedder,
    options: FeatureOptions | None = None,
    title_embedder: Embedder | None = None,
) -> list[ArticleViews]:
    """Embed every view of ``articles`` (annotated), one batched call per view.

    ``title_embedder`` embeds the titles a second time (default: the shared
    multilingual e5 embedder when ``options.e5_titles``).
    """
    opts = options or FeatureOptions()
    titles = [" ".join(a.title.split()) or article_lead("", a.text, 200) for a in articles]
    leads = [article_lead(a.title, a.text, opts.lead_chars) for a in articles]
    shorts = [article_lead(a.title, a.text, opts.short_chars) for a in articles]
    longs = [article_lead(a.title, a.text, opts.long_chars) for a in articles]
    ids = [_alignable(a, opts) if opts.align else [] for a in articles]
    texts = [
        " ".join(a.sentences[i].text.split())
        for a, chosen in zip(articles, ids, strict=True)
        for i in chosen
    ]
    title_vecs = embedder.embed(titles)
    lead_vecs = embedder.embed(leads)
    short_vecs = embedder.embed(shorts)
    long_vecs = embedder.embed(longs)
    sent_vecs = embedder.embed(texts)
    if opts.e5_titles:
        e5 = title_embedder or default_embedder()
        e5_vecs = e5.embed(titles)
    else:
        e5_vecs = title_vecs
    out: list[ArticleViews] = []
    at = 0
    for n, chosen in enumerate(ids):
        sents = sent_vecs[at : at + len(chosen)]
        at += len(chosen)
        if not chosen:  # a one-line article aligns through its lead
            sents = lead_vecs[n : n + 1]
        out.append(
            ArticleViews(
                title_vecs[n],
                lead_vecs[n],
                sents,
                tuple(chosen),
                short_vecs[n],
                long_vecs[n],
                e5_vecs[n],
            )
        )
    return out


def _cos(u: Vectors, v: Vectors) -> float:
    nu, nv = float(np.linalg.norm(u)), float(np.linalg.norm(v))
    return float(u @ v) / (nu * nv) if nu > 0 and nv > 0 else 0.0


def _both_ways(u: Vectors, v: Vectors, x: Vectors, y: Vectors) -> float:
    """Mean of cos(u, y) and cos(x, v): one view of each article against another."""
    return (_cos(u, y) + _cos(x, v)) / 2


def _cos_views(va: ArticleViews, vb: ArticleViews) -> float:
    """Cosine of the normalised sums of the short, middle and long lead vectors."""
    return _cos(_unit_sum(va), _unit_sum(vb))


def _unit_sum(v: ArticleViews) -> Vectors:
    total: Vectors = np.zeros_like(v.lead, dtype=np.float64)
    for view in (v.lead_short, v.lead, v.lead_long):
        norm = float(np.linalg.norm(view))
        if norm > 0:
            total = total + view / norm
    return total


def _jaccard(a: set[object], b: set[object]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 0.0


def _entity_sets(
    entities: Sequence[Entity], aid: str, bid: str
) -> tuple[dict[str, set[str]], dict[str, set[str]], list[Entity]]:
    in_a: dict[str, set[str]] = {"ALL": set(), "LOC": set(), "PERSON": set(), "ORG": set()}
    in_b: dict[str, set[str]] = {k: set() for k in in_a}
    shared: list[Entity] = []
    for e in entities:
        for arts, side in ((in_a, aid), (in_b, bid)):
            if side in e.articles:
                arts["ALL"].add(e.id)
                if e.type in arts:
                    arts[e.type].add(e.id)
        if aid in e.articles and bid in e.articles:
            shared.append(e)
    return in_a, in_b, shared


def _entity_features(
    a: Article, b: Article
) -> tuple[dict[str, float], tuple[SharedEntity, ...], tuple[str, ...]]:
    aid, bid = "a", "b"
    (la, lb), entities, _ = link_entities([_with_id(a, aid), _with_id(b, bid)])
    in_a, in_b, shared = _entity_sets(entities, aid, bid)
    counts: dict[str, Counter[str]] = {aid: Counter(), bid: Counter()}
    for e in entities:
        for art, _, _ in e.mentions:
            counts[art][e.id] += 1
    total_a = sum(counts[aid].values()) or 1
    total_b = sum(counts[bid].values()) or 1
    weighted = sum(min(counts[aid][e.id] / total_a, counts[bid][e.id] / total_b) for e in shared)
    feats = {
        "ent_jaccard": _jaccard(set(in_a["ALL"]), set(in_b["ALL"])),
        "ent_weighted": weighted,
        "loc_jaccard": _jaccard(set(in_a["LOC"]), set(in_b["LOC"])),
        "person_jaccard": _jaccard(set(in_a["PERSON"]), set(in_b["PERSON"])),
        "org_jaccard": _jaccard(set(in_a["ORG"]), set(in_b["ORG"])),
        "ent_none": float(not in_a["ALL"] or not in_b["ALL"]),
    }
    texts = {aid: la.text, bid: lb.text}
    evidence = []
    for e in sorted(shared, key=lambda e: -(counts[aid][e.id] + counts[bid][e.id])):
        surfaces: dict[str, list[str]] = {aid: [], bid: []}
        for art, start, end in e.mentions:
            surface = texts[art][start:end]
            if surface not in surfaces[art]:
                surfaces[art].append(surface)
        evidence.append(
            SharedEntity(
                e.name,
                e.type,
                tuple(surfaces[aid]),
                tuple(surfaces[bid]),
                counts[aid][e.id],
                counts[bid][e.id],
            )
        )
    places = tuple(s.name for s in evidence if s.type == "LOC")
    return feats, tuple(evidence), places


def _with_id(article: Article, new_id: str) -> Article:
    from dataclasses import replace

    return replace(article, id=new_id)


def _date_features(a: Article, b: Article) -> tuple[dict[str, float], tuple[str, ...]]:
    da = {d.value for d in a.dates if d.value is not None}
    db = {d.value for d in b.dates if d.value is not None}
    if not da or not db:
        return {"date_jaccard": 0.0, "date_gap_log": _NO_DATE_GAP, "date_none": 1.0}, ()
    gap = min(abs((x - y).days) for x in da for y in db)
    feats = {
        "date_jaccard": _jaccard(set(da), set(db)),
        "date_gap_log": min(math.log1p(gap), _NO_DATE_GAP),
        "date_none": 0.0,
    }
    return feats, tuple(sorted(d.isoformat() for d in da & db))


@lru_cache(maxsize=200_000)
def _weight(word: str, language: str) -> float:
    """Rarer words weigh more: 7.5 minus the word's Zipf frequency (at least 0.5)."""
    return max(0.5, 7.5 - (zipf(word, language) or 0.0))


def _bag(article: Article, names_only: bool) -> dict[str, float]:
    """Weighted bag of words of the title and text, folded to ASCII lower case; in
    scripts written without spaces, pairs of characters stand for the words."""
    bag: dict[str, float] = {}
    language = article.language or ""
    text = f"{article.title}\n{article.text}"
    if not names_only:
        for pair in unspaced_terms(text):
            bag[pair] = bag.get(pair, 0.0) + _weight(pair, language)
    for m in _WORD.finditer(without_unspaced(text)):
        word = m.group(0)
        if names_only and not (word[0].isupper() or word[0].isdigit()):
            continue
        lower = word.lower()
        weight = _weight(lower, language)
        # A capitalised common word (a German noun, a sentence start) is no name.
        if names_only and not word.isdigit() and weight < _NAME_MIN_WEIGHT:
            continue
        if len(word) < 3 and not word.isdigit():
            continue
        key = anyascii(lower)
        bag[key] = bag.get(key, 0.0) + weight
    return bag


def _bag_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(a[k] * b[k] for k in a.keys() & b.keys())
    norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _lexical(a: Article, b: Article) -> dict[str, float]:
    """``lex_names``: capitalised words and numbers, which carry across languages;
    ``lex_words``: every word, only when both articles are in one language."""
    out = {"lex_names": _bag_cosine(_bag(a, True), _bag(b, True))}
    if a.language and a.language == b.language:
        out[LEXICAL] = _bag_cosine(_bag(a, False), _bag(b, False))
    return out


def _number_key(value: float, unit: str | None) -> str:
    shown = f"{value:g}"
    return f"{shown} {unit}" if unit else shown


def _number_features(a: Article, b: Article) -> tuple[dict[str, float], tuple[str, ...]]:
    na = {_number_key(q.value, q.unit) for q in a.quantities}
    nb = {_number_key(q.value, q.unit) for q in b.quantities}
    return {"num_jaccard": _jaccard(set(na), set(nb))}, tuple(sorted(na & nb))


def _alignment(
    a: Article, va: ArticleViews, b: Article, vb: ArticleViews, opts: FeatureOptions
) -> tuple[dict[str, float], tuple[AlignedPair, ...]]:
    sim = va.sentences @ vb.sentences.T
    best_a = sim.max(axis=1)
    best_b = sim.max(axis=0)
    ra, rb = float(best_a.mean()), float(best_b.mean())
    f = 2 * ra * rb / (ra + rb) if ra + rb > 0 else 0.0
    flat = np.sort(sim, axis=None)[::-1]
    feats = {
        "align_f": f,
        "align_top3": float(flat[:3].mean()),
        "align_max": float(flat[0]),
        "cos_centroid": _cos(va.sentences.mean(axis=0), vb.sentences.mean(axis=0)),
    }
    pairs: list[AlignedPair] = []
    if va.sentence_ids and vb.sentence_ids:
        used_a: set[int] = set()
        used_b: set[int] = set()
        for flat_index in np.argsort(sim, axis=None)[::-1]:
            i, j = divmod(int(flat_index), sim.shape[1])
            if i in used_a or j in used_b:
                continue
            used_a.add(i)
            used_b.add(j)
            sa, sb = a.sentences[va.sentence_ids[i]], b.sentences[vb.sentence_ids[j]]
            pairs.append(
                AlignedPair(
                    round(float(sim[i, j]), 4), sa.text, sa.start, sa.end, sb.text, sb.start, sb.end
                )
            )
            if len(pairs) >= opts.evidence_pairs:
                break
    return feats, tuple(pairs)


def pair_features(
    a: Article,
    va: ArticleViews,
    b: Article,
    vb: ArticleViews,
    options: FeatureOptions | None = None,
) -> tuple[dict[str, float], PairEvidence]:
    """The features (named as in ``FEATURES``) of two annotated articles, and the evidence."""
    opts = options or FeatureOptions()
    feats: dict[str, float] = {
        "cos_lead": _cos(va.lead, vb.lead),
        "cos_title": _cos(va.title, vb.title),
        "cos_title_lead": _both_ways(va.title, va.lead, vb.title, vb.lead),
        "cos_lead_short": _cos(va.lead_short, vb.lead_short),
        "cos_lead_long": _cos(va.lead_long, vb.lead_long),
        "cos_title_short": _both_ways(va.title, va.lead_short, vb.title, vb.lead_short),
        "cos_short_long": _both_ways(va.lead_short, va.lead_long, vb.lead_short, vb.lead_long),
        "cos_views": _cos_views(va, vb),
    }
    if a.language and a.language == b.language:
        feats[TITLE_E5] = _cos(va.title_e5, vb.title_e5)
    align_feats, aligned = _alignment(a, va, b, vb, opts) if opts.align else ({}, ())
    entity_feats, shared, places = _entity_features(a, b)
    date_feats, dates = _date_features(a, b)
    number_feats, numbers = _number_features(a, b)
    feats |= align_feats | entity_feats | date_feats | number_feats | _lexical(a, b)
    la, lb = max(len(a.text), 1), max(len(b.text), 1)
    feats["len_log_ratio"] = abs(math.log(la / lb))
    feats["len_log_min"] = math.log(min(la, lb))
    names = [*FEATURES, *(n for n in (*MONOLINGUAL, *ALIGN_FEATURES) if n in feats)]
    ordered = {name: round(float(feats[name]), 6) for name in names}
    return ordered, PairEvidence(shared, places, dates, numbers, aligned)
