"""Cross-document entity linking: one canonical entity per real-world name.

Mentions are grouped when their names are spelling, transliteration or
surname-only variants of each other:

* every name is transliterated to ASCII (``anyascii``) and lower-cased;
* two tokens match when equal, when their fuzzy ratio is high, or when their
  *consonant skeletons* agree (``Zelensky``/``Zelenski``/``Зеленський`` →
  ``zlnsk``; ``Izhyum``/``Izjum`` → ``zm``; ``Kiev``/``Kyiv`` → ``kv``), a
  key that absorbs the usual romanisation differences (y/i/j, w/v, g/h,
  zh/z, kh/h, doubled letters) while the fuzzy ratio guards short names;
* multi-word names match when every word does (``Dmitry``/``Dmitri Peskov``);
* a one-word person name joins the multi-word person whose surname it is,
  when exactly one such person exists in the set (``Zelensky`` →
  ``Volodymyr Zelensky``);
* finally every variant is looked for again in all articles, so a name that
  NER missed in one article (lower-case ``kyiv``) is still counted.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import fuzz

from newsprism.model import Article, Entity, Mention
from newsprism.words import zipf

_TOKEN = re.compile(r"[a-z0-9]+")
_DIGRAPHS = (
    ("shch", "s"),
    ("sch", "s"),
    ("sh", "s"),
    ("zh", "z"),
    ("kh", "h"),
    ("ch", "c"),
    ("ts", "c"),
    ("tz", "c"),
    ("ph", "f"),
    ("w", "v"),
    ("g", "h"),
)
_VOWELS = re.compile(r"[aeiouyj]")
_LABEL_RANK = {"PERSON": 3, "ORG": 2, "LOC": 2, "NORP": 1, "MISC": 0}
_PLACE_PREPOSITIONS = {"in", "at", "near", "from", "en", "à", "im", "nach", "aus", "bei", "в",
                       "во", "из", "под", "u", "v", "w", "na"}  # fmt: skip
_PLACE_VOTE = 1.5
# A word this common in its language is not taken as a lower-cased name.
_COMMON_ZIPF = 3.5


@dataclass(frozen=True)
class LinkOptions:
    """Thresholds for name matching (rapidfuzz ratios, 0–100)."""

    fuzzy_ratio: float = 85.0
    skeleton_ratio: float = 70.0
    long_skeleton_ratio: float = 55.0
    min_gazetteer_chars: int = 4


@lru_cache(maxsize=65536)
def name_tokens(surface: str) -> tuple[str, ...]:
    text = anyascii(surface).lower().replace("'", "").replace("’", "")
    text = re.sub(r"(?<=\w)s\b$", "s", text)
    return tuple(_TOKEN.findall(text))


@lru_cache(maxsize=65536)
def skeleton(token: str) -> str:
    t = token
    for a, b in _DIGRAPHS:
        t = t.replace(a, b)
    t = _VOWELS.sub("", t)
    return re.sub(r"(.)\1+", r"\1", t)


def tokens_match(a: str, b: str, opts: LinkOptions) -> bool:
    if a == b:
        return True
    if a.isdigit() or b.isdigit():
        return False
    ratio = fuzz.ratio(a, b)
    if ratio >= opts.fuzzy_ratio and min(len(a), len(b)) >= 5:
        return True
    sa, sb = skeleton(a), skeleton(b)
    # A long shared skeleton is strong evidence on its own (Volodymyr/Vladimir).
    needed = opts.skeleton_ratio if len(sa) < 5 else opts.long_skeleton_ratio
    return bool(sa) and sa == sb and a[0] == b[0] and ratio >= needed


def names_match(a: tuple[str, ...], b: tuple[str, ...], opts: LinkOptions) -> bool:
    return len(a) == len(b) and all(tokens_match(x, y, opts) for x, y in zip(a, b, strict=True))


@dataclass
class _Cluster:
    names: Counter[tuple[str, ...]]
    surfaces: Counter[str]
    labels: Counter[str]
    mentions: list[tuple[str, Mention]]
    bases: Counter[str] = dataclasses.field(default_factory=Counter)
    place_votes: float = 0.0

    @property
    def label(self) -> str:
        """Majority label; a preposition of place before a mention ("in kyiv")
        counts as a strong vote for ``LOC``, outweighing NER slips."""
        if not self.labels:
            return "MISC"

        def weight(k: str) -> float:
            return self.labels[k] + _LABEL_RANK[k] * 0.1 + (self.place_votes if k == "LOC" else 0)

        # MISC (no model, or a name found again by the variant search) only
        # counts when nothing else does.
        named = {k for k in self.labels if k != "MISC"}
        if self.place_votes and named:
            named.add("LOC")
        return max(named or set(self.labels), key=weight)

    def is_multiword_person(self) -> bool:
        return self.labels.get("PERSON", 0) > 0 and any(len(n) > 1 for n in self.names)


def _strip_known_prefix(
    mentions: list[tuple[str, Mention]], single_names: set[tuple[str, ...]]
) -> list[tuple[str, Mention]]:
    """``Ukraine Volodymyr Zelensky`` → ``Volodymyr Zelensky`` when ``Ukraine`` is a name."""
    out: list[tuple[str, Mention]] = []
    for art, m in mentions:
        toks = name_tokens(m.text)
        if len(toks) >= 3 and (toks[0],) in single_names:
            words = m.text.split(None, 1)
            if len(words) == 2:
                rest = words[1]
                start = m.end - len(rest)
                m = Mention(rest, start, m.end, "MISC", m.sentence)
        out.append((art, m))
    return out


def _cluster(
    mentions: list[tuple[str, Mention]], opts: LinkOptions, texts: dict[str, str]
) -> list[_Cluster]:
    by_name: dict[tuple[str, ...], list[tuple[str, Mention]]] = defaultdict(list)
    for art, m in mentions:
        toks = name_tokens(m.base or m.text)
        if toks:
            by_name[toks].append((art, m))
    clusters: list[_Cluster] = []
    # Two-word names first, then longer ones (which may be a title glued to a
    # two-word name), then one-word names (which may be surnames of either).
    rank = {2: 0, 1: 2}
    order = sorted(by_name, key=lambda n: (rank.get(len(n), 1), -len(by_name[n]), n))
    for name in order:
        group = by_name[name]
        norp = Counter(m.label for _, m in group).most_common(1)[0][0] == "NORP"
        target = next(
            (
                c
                for c in clusters
                if name in c.names
                or (
                    (c.label == "NORP") == norp and any(names_match(name, n, opts) for n in c.names)
                )
            ),
            None,
        )
        if target is None and len(name) >= 3:
            # "Feuerwehrchef Oleksandr Kowalenko": a title glued to a known name.
            target = next(
                (c for c in clusters if any(names_match(name[-2:], n, opts) for n in c.names)),
                None,
            )
        if target is None and len(name) == 1 and any(m.label != "LOC" for _, m in group):
            owners = [
                c
                for c in clusters
                if c.is_multiword_person()
                and any(len(n) > 1 and tokens_match(name[0], n[-1], opts) for n in c.names)
            ]
            if len(owners) == 1:
                target = owners[0]
        if target is None:
            target = _Cluster(Counter(), Counter(), Counter(), [])
            clusters.append(target)
        target.names[name] += len(group)
        for art, m in group:
            target.surfaces[m.text] += 1
            if m.base:
                target.bases[m.base] += 1
            target.labels[m.label] += 1
            target.mentions.append((art, m))
            before = texts.get(art, "")[max(0, m.start - 12) : m.start].split()
            if before and before[-1].lower() in _PLACE_PREPOSITIONS:
                target.place_votes += _PLACE_VOTE
    return clusters


def _canonical(cluster: _Cluster) -> str:
    """The variant to show: a full name (two words or more) whose words the
    mentions use most often (``Volodymyr Zelensky`` over ``Volodimir
    Zelenski`` when ``Zelensky`` is the common spelling), capitalised."""
    support: Counter[str] = Counter()
    forms = cluster.surfaces + cluster.bases
    for surface, count in forms.items():
        for token in set(name_tokens(surface)):
            support[token] += count

    def score(surface: str) -> tuple[int, int, float, int, int]:
        tokens = name_tokens(surface) or ("",)
        mean = sum(support[t] for t in tokens) / len(tokens)
        return (
            min(len(tokens), 2),
            int(surface[:1].isupper()),
            mean,
            int(surface == anyascii(surface)),
            -len(surface),
        )

    return max(forms, key=score)


def _is_common_word(word: str, language: str | None) -> bool:
    frequency = zipf(word, language or "en")
    return frequency is not None and frequency >= _COMMON_ZIPF


def _gazetteer(
    articles: Sequence[Article], clusters: list[_Cluster], opts: LinkOptions
) -> dict[str, list[Mention]]:
    """Mentions of known names that NER missed: the same name or a one-word
    spelling variant of it (``kyiv`` for ``Kiev``), whole words only.

    Lower-case words are taken only when they are rare in the article's
    language, so ``state`` is never read as the name ``State``.
    """
    index: dict[str, list[str]] = defaultdict(list)  # skeleton -> one-word names
    for c in clusters:
        if c.label not in ("PERSON", "LOC", "ORG"):
            continue
        for name in c.names:
            if len(name) == 1 and len(name[0]) >= opts.min_gazetteer_chars:
                index[skeleton(name[0])].append(name[0])
    extra: dict[str, list[Mention]] = defaultdict(list)
    if not index:
        return extra
    for art in articles:
        taken = [(m.start, m.end) for m in art.mentions]
        starts = [s.start for s in art.sentences]
        for m in re.finditer(r"\w[\w'’-]*", art.text):
            word = m.group(0)
            toks = name_tokens(word)
            if len(toks) != 1 or len(toks[0]) < opts.min_gazetteer_chars:
                continue
            known = index.get(skeleton(toks[0]), ())
            if not any(tokens_match(tok, toks[0], opts) for tok in known) or any(
                s < m.end() and m.start() < e for s, e in taken
            ):
                continue
            if word.islower() and _is_common_word(word, art.language):
                continue
            sent = bisect.bisect_right(starts, m.start()) - 1 if starts else -1
            # Labelled MISC so that it does not outvote what NER said.
            extra[art.id].append(Mention(word, m.start(), m.end(), "MISC", sent))
    return extra


def link_entities(
    articles: Sequence[Article], options: LinkOptions | None = None
) -> tuple[tuple[Article, ...], tuple[Entity, ...], tuple[tuple[str, int, str], ...]]:
    """Link mentions across ``articles``.

    Returns the articles (with mentions completed by the variant search), the
    canonical entities, and links ``(article id, mention start, entity id)``.
    """
    opts = options or LinkOptions()
    texts = {a.id: a.text for a in articles}
    raw = [(a.id, m) for a in articles for m in a.mentions]
    singles = {t for _, m in raw if len(t := name_tokens(m.base or m.text)) == 1}
    mentions = _strip_known_prefix(raw, singles)
    clusters = _cluster(mentions, opts, texts)
    extra = _gazetteer(articles, clusters, opts)
    if extra:
        by_art: dict[str, list[Mention]] = defaultdict(list)
        for art, m in mentions:
            by_art[art].append(m)
        articles = tuple(
            dataclasses.replace(
                a, mentions=tuple(sorted(by_art[a.id] + extra.get(a.id, []), key=lambda m: m.start))
            )
            for a in articles
        )
        mentions = [(a.id, m) for a in articles for m in a.mentions]
        clusters = _cluster(mentions, opts, texts)
    else:
        by_id: dict[str, list[Mention]] = defaultdict(list)
        for art, m in mentions:
            by_id[art].append(m)
        articles = tuple(dataclasses.replace(a, mentions=tuple(by_id[a.id])) for a in articles)
    order = {a.id: i for i, a in enumerate(articles)}
    clusters.sort(key=lambda c: (-len({a for a, _ in c.mentions}), -len(c.mentions), _canonical(c)))
    entities: list[Entity] = []
    links: list[tuple[str, int, str]] = []
    for i, c in enumerate(clusters, 1):
        eid = f"E{i}"
        arts = sorted({a for a, _ in c.mentions}, key=lambda a: order[a])
        variants = tuple(sorted(c.surfaces, key=lambda s: (-c.surfaces[s], s)))
        ments = tuple(
            sorted(((a, m.start, m.end) for a, m in c.mentions), key=lambda t: (order[t[0]], t[1]))
        )
        entities.append(Entity(eid, _canonical(c), c.label, variants, tuple(arts), ments))
        links.extend((a, m.start, eid) for a, m in c.mentions)
    return articles, tuple(entities), tuple(sorted(links, key=lambda t: (order[t[0]], t[1])))
