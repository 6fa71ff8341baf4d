"""``newsprism eval attribution``: who said what, against gold attribution spans.

Two kinds of gold data are read:

* a PolNeAR-style folder (``<data>/text/*.txt`` and ``<data>/attributions/*.ann`` in brat
  standoff format, ``Source``/``Cue``/``Content`` spans tied by an ``Attribution`` or
  ``Attribution-no-source`` event). An article annotated twice has two ``.ann`` files
  (``<name>_<annotator>.ann``); the first in sorted order is used.
* a JSONL file of short texts in several languages (one object a line, see
  ``docs/quality/attribution.md``); the figures are then also given per language.

Every quote the extractor returns is one predicted attribution: source = the speaker
mention, content = the quote span, cue = the reporting cue found near the quote. Each role
is matched separately, one-to-one, against the gold spans of that role: a predicted span
matches a gold span when the Jaccard overlap of their word tokens is at least 0.5 (greedy,
best overlap first). ``exact_*`` figures require the same word tokens. ``joint_f1`` counts an
attribution as found only when source and content both match the same gold attribution.
"""

from __future__ import annotations

import json
import re
import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from newsprism.errors import EvalDataError
from newsprism.model import Article, Quote
from newsprism.quotes.cues import word_set

__all__ = ["Extractor", "GoldAttribution", "evaluate", "extract_quotes", "read_brat", "render"]

Extractor = Callable[[str, str], Sequence[Quote]]
Span = tuple[tuple[int, int], ...]

THRESHOLD = 0.5
ROLES = ("source", "content", "cue")
_WORD = re.compile(r"\w+")


DATA_HINT = "pass a PolNeAR-style folder (text/*.txt, attributions/*.ann) or a quotes JSONL file"
"""What the gold attribution data must be."""


@dataclass(frozen=True)
class GoldAttribution:
    """One gold attribution; each role is a tuple of (start, end) fragments, empty if absent."""

    source: Span = ()
    cue: Span = ()
    content: Span = ()


@dataclass
class _Tally:
    """Counts of predicted, gold and matched spans per role."""

    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))
    pred: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))
    hit: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))
    exact: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ROLES, 0))
    joint: int = 0
    articles: int = 0
    attributions: int = 0
    predicted: int = 0


# -- the extractor under test ---------------------------------------------------------------
def extract_quotes(text: str, language: str = "en") -> tuple[Quote, ...]:
    """The real pipeline on ``text`` as given: sentences, entities, then quotes.

    No cleaning is applied, so the offsets of the quotes point into ``text`` itself.
    """
    from newsprism.pipeline.run import annotator

    article = Article(id="eval", text=text, language=language)
    return annotator()([article], ("sentences", "entities", "quotes"))[0].quotes


def cue_span(text: str, quote: Quote) -> tuple[int, int] | None:
    """Where ``quote.cue`` is written: the occurrence nearest the speaker (or the quote)."""
    if not quote.cue:
        return None
    anchor = quote.speaker_start if quote.speaker_start >= 0 else quote.start
    lo, hi = max(0, min(anchor, quote.start) - 400), min(len(text), max(anchor, quote.end) + 400)
    best: tuple[int, int] | None = None
    pattern = re.compile(r"(?<!\w)" + re.escape(quote.cue) + r"(?!\w)", re.IGNORECASE)
    for m in pattern.finditer(text, lo, hi):
        if quote.start <= m.start() < quote.end and quote.direct:
            continue  # inside the quoted words
        if best is None or abs(m.start() - anchor) < abs(best[0] - anchor):
            best = (m.start(), m.end())
    return best


# Words that stand for a speaker next to a cue ("he said", "said she", "who told").
_PRONOUNS = word_set(
    "he she they i we you who it il elle ils elles er sie wir él ella ellos ellas он она они"
)
_BETWEEN = word_set("also later then had has have would again further")


def pronoun_span(text: str, cue: tuple[int, int]) -> tuple[int, int] | None:
    """A pronoun written right before (``he also said``) or after (``said she``) a cue."""
    before = list(_WORD.finditer(text, max(0, cue[0] - 40), cue[0]))
    while before and before[-1].group().lower() in _BETWEEN:
        before.pop()
    if (
        before
        and before[-1].group().lower() in _PRONOUNS
        and not re.search(r"[^\w\s]", text[before[-1].end() : cue[0]])
    ):
        return before[-1].span()
    after = _WORD.search(text, cue[1], min(len(text), cue[1] + 12))
    if after and after.group().lower() in _PRONOUNS and not text[cue[1] : after.start()].strip():
        return after.span()
    return None


def _predicted(text: str, quotes: Iterable[Quote]) -> list[GoldAttribution]:
    out = []
    for q in quotes:
        source: Span = ((q.speaker_start, q.speaker_end),) if q.speaker_start >= 0 else ()
        cue = cue_span(text, q)
        if source and cue and abs(q.speaker_start - cue[0]) > 40:
            surface = pronoun_span(text, cue)
            if surface is not None:
                source = (surface,)  # the pronoun the speaker was resolved from
        out.append(GoldAttribution(source, (cue,) if cue else (), ((q.start, q.end),)))
    return out


# -- gold data ------------------------------------------------------------------------------
def _fragments(spec: str) -> Span:
    frags = []
    for part in spec.split(";"):
        a, b = part.split()
        frags.append((int(a), int(b)))
    return tuple(frags)


def read_brat(ann: str) -> list[GoldAttribution]:
    """Attributions of one brat ``.ann`` file (``Content2`` is merged into ``Content``)."""
    spans: dict[str, tuple[str, Span]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in ann.splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            kind, _, where = parts[1].partition(" ")
            spans[parts[0]] = (kind, _fragments(where))
        elif line.startswith("E") and len(parts) >= 2:
            events.append([tuple(r.split(":", 1)) for r in parts[1].split()])  # type: ignore[misc]
    out = []
    for roles in events:
        found: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
        for role, ref in roles:
            name = re.sub(r"\d+$", "", role).lower()
            if name in found and ref in spans:
                found[name].extend(spans[ref][1])
        if found["content"]:
            out.append(GoldAttribution(**{r: tuple(sorted(found[r])) for r in ROLES}))
    return out


def _brat_items(data: Path) -> list[tuple[str, str, str, list[GoldAttribution]]]:
    texts = sorted((data / "text").glob("*.txt"))
    if not texts:
        raise EvalDataError(f"{data}: no text/*.txt files", DATA_HINT)
    anns = sorted((data / "attributions").glob("*.ann"))
    items = []
    for path in texts:
        first = next((a for a in anns if a.stem.rsplit("_", 1)[0] == path.stem), None)
        if first is None:
            continue
        with path.open(encoding="utf-8", newline="") as fh:
            text = fh.read()
        gold = read_brat(first.read_text(encoding="utf-8"))
        items.append((path.stem, "en", text, gold))
    return items


def _locate(text: str, value: Any, key: str, row: int) -> Span:
    if value is None:
        return ()
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return ((value[0], value[1]),)
    at = text.find(str(value))
    if at < 0:
        raise EvalDataError(f"line {row}: {key} {value!r} is not in the text", DATA_HINT)
    return ((at, at + len(str(value))),)


def _jsonl_items(data: Path) -> list[tuple[str, str, str, list[GoldAttribution]]]:
    items = []
    for row, line in enumerate(data.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        obj = json.loads(line)
        text = obj["text"]
        gold = [
            GoldAttribution(
                _locate(text, q.get("speaker"), "speaker", row),
                _locate(text, q.get("cue"), "cue", row),
                _locate(text, q["content"], "content", row),
            )
            for q in obj.get("quotes", [])
        ]
        items.append((str(obj.get("id", row)), obj["lang"], text, gold))
    return items


# -- matching -------------------------------------------------------------------------------
class _Tokens:
    def __init__(self, text: str) -> None:
        found = list(_WORD.finditer(text))
        self.starts = [m.start() for m in found]
        self.ends = [m.end() for m in found]

    def of(self, span: Span) -> frozenset[int]:
        """Indices of the word tokens that overlap ``span``."""
        out: set[int] = set()
        for a, b in span:
            out.update(range(bisect_right(self.ends, a), bisect_left(self.starts, b)))
        return frozenset(out)


def _jaccard(a: frozenset[int], b: frozenset[int]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def _match(pred: list[frozenset[int]], gold: list[frozenset[int]]) -> dict[int, tuple[int, float]]:
    """One-to-one greedy matching, best overlap first: pred index → (gold index, jaccard)."""
    pairs = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if p and g and (score := _jaccard(p, g)) >= THRESHOLD:
                pairs.append((-score, i, j))
    pairs.sort()
    used_p: dict[int, tuple[int, float]] = {}
    used_g: set[int] = set()
    for score, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p[i] = (j, -score)
            used_g.add(j)
    return used_p


def _score(text: str, gold: list[GoldAttribution], pred: list[GoldAttribution], t: _Tally) -> None:
    tokens = _Tokens(text)
    matches = {}
    for role in ROLES:
        g_idx = [k for k, g in enumerate(gold) if getattr(g, role)]
        p_idx = [k for k, p in enumerate(pred) if getattr(p, role)]
        g_tok = [tokens.of(getattr(gold[k], role)) for k in g_idx]
        p_tok = [tokens.of(getattr(pred[k], role)) for k in p_idx]
        found = _match(p_tok, g_tok)
        matches[role] = {p_idx[i]: g_idx[j] for i, (j, _) in found.items()}
        t.gold[role] += len(g_idx)
        t.pred[role] += len(p_idx)
        t.hit[role] += len(found)
        t.exact[role] += sum(1 for _, s in found.values() if s == 1.0)
    content = matches["content"]
    t.joint += sum(1 for p, g in matches["source"].items() if content.get(p) == g)
    t.articles += 1
    t.attributions += len(gold)
    t.predicted += len(pred)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _figures(t: _Tally, seconds: float) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for role in ROLES:
        p = t.hit[role] / t.pred[role] if t.pred[role] else 0.0
        r = t.hit[role] / t.gold[role] if t.gold[role] else 0.0
        ep = t.exact[role] / t.pred[role] if t.pred[role] else 0.0
        er = t.exact[role] / t.gold[role] if t.gold[role] else 0.0
        out[f"{role}_precision"] = round(p, 4)
        out[f"{role}_recall"] = round(r, 4)
        out[f"{role}_f1"] = round(_f1(p, r), 4)
        out[f"exact_{role}_f1"] = round(_f1(ep, er), 4)
    jp = t.joint / t.predicted if t.predicted else 0.0
    jr = t.joint / t.attributions if t.attributions else 0.0
    out["joint_f1"] = round(_f1(jp, jr), 4)
    out["articles"] = t.articles
    out["gold_attributions"] = t.attributions
    out["predicted"] = t.predicted
    out["articles_per_second"] = round(t.articles / seconds, 3) if seconds > 0 else 0.0
    return out


def evaluate(
    data: Path, *, limit: int | None = None, extractor: Extractor = extract_quotes
) -> dict[str, Any]:
    """Attribution figures of ``extractor`` on a PolNeAR-style folder or a quotes JSONL file.

    ``extractor(text, language)`` returns quotes whose offsets point into ``text``.
    """
    data = Path(data)
    if not data.exists():
        raise EvalDataError(f"{data}: no such file or folder", DATA_HINT)
    items = _jsonl_items(data) if data.is_file() else _brat_items(data)
    if limit is not None:
        items = items[:limit]
    total = _Tally()
    per_lang: dict[str, _Tally] = {}
    seconds: dict[str, float] = {}
    for _name, lang, text, gold in items:
        started = time.perf_counter()
        quotes = extractor(text, lang)
        spent = time.perf_counter() - started
        pred = _predicted(text, quotes)
        _score(text, gold, pred, total)
        _score(text, gold, pred, per_lang.setdefault(lang, _Tally()))
        seconds[lang] = seconds.get(lang, 0.0) + spent
    result = _figures(total, sum(seconds.values()))
    result["data"] = str(data)
    if data.is_file():
        result["languages"] = {
            lang: _figures(t, seconds[lang]) for lang, t in sorted(per_lang.items())
        }
    return result


# -- rendering ------------------------------------------------------------------------------
def render(result: dict[str, Any]) -> str:
    """A readable table of the figures (per language too, when present)."""
    rows = [("all", result)]
    rows += [(lang, fig) for lang, fig in result.get("languages", {}).items()]
    head = f"{'':6} {'role':8} {'P':>6} {'R':>6} {'F1':>6} {'exact F1':>9}"
    lines = [f"Attribution on {result.get('data', '?')}", head, "-" * len(head)]
    for name, fig in rows:
        for role in ROLES:
            lines.append(
                f"{name:6} {role:8} {fig[f'{role}_precision']:6.3f} {fig[f'{role}_recall']:6.3f}"
                f" {fig[f'{role}_f1']:6.3f} {fig[f'exact_{role}_f1']:9.3f}"
            )
        lines.append(f"{name:6} {'joint':8} {'':6} {'':6} {fig['joint_f1']:6.3f}")
        lines.append(
            f"{name:6} {fig['articles']} texts, {fig['gold_attributions']} gold, "
            f"{fig['predicted']} predicted, {fig['articles_per_second']:.2f} texts/s"
        )
    return "\n".join(lines)


def with_speaker_only(extractor: Extractor) -> Extractor:
    """``extractor`` keeping only quotes with a speaker (a stricter variant, for comparison)."""

    def run(text: str, language: str) -> Sequence[Quote]:
        return [q for q in extractor(text, language) if q.speaker_start >= 0]

    return run


def without_speakers(extractor: Extractor) -> Extractor:
    """``extractor`` with every speaker removed (a deliberately worse variant, for tests)."""

    def run(text: str, language: str) -> Sequence[Quote]:
        return [
            replace(q, speaker=None, speaker_start=-1, speaker_end=-1)
            for q in extractor(text, language)
        ]

    return run
