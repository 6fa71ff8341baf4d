"""``newsprism eval clustering``: story clustering against gold story labels.

Gold data: JSONL (or a JSON list) of rows with ``id``, ``text`` and the gold story
label in ``subtopic`` (``story`` and ``label`` are accepted too); optional ``title``,
``language`` (detected when absent), ``published`` (ISO date; rows are clustered in
publication order, undated rows last, otherwise in file order) and ``sentences``.
ECB+ rows carry their source address as a first "sentence"; a leading line that is
only a URL is taken as the address, not as text.

Articles are streamed through :class:`~newsprism.stories.StoryClusterer` exactly as
ingest does; the figures are BCubed precision, recall and F1 (Bagga & Baldwin 1998)
and pairwise precision, recall and F1 over all article pairs.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsprism.errors import EvalDataError
from newsprism.language import detect_language
from newsprism.model import Article
from newsprism.pipeline.run import annotator
from newsprism.stories import ClusterOptions, StoryClusterer, StoryDoc, story_docs
from newsprism.timings import Timings

__all__ = ["GoldDoc", "bcubed", "cluster", "evaluate", "load", "render"]

_URL_LINE = re.compile(r"^\s*https?\s*:\s*/\s*/")
_LABEL_KEYS = ("subtopic", "story", "label")


DATA_HINT = "pass JSONL rows with 'id', 'text' and a gold label in 'subtopic'"
"""What the gold data of the clustering evaluation must be."""


@dataclass(frozen=True)
class GoldDoc:
    """One article and its gold story label."""

    article: Article
    label: str


def _row(row: Any, where: str) -> GoldDoc:
    if not isinstance(row, dict):
        raise EvalDataError(f"{where}: expected a JSON object", DATA_HINT)
    label = next((row[k] for k in _LABEL_KEYS if k in row), None)
    if label is None or not isinstance(row.get("text"), str):
        raise EvalDataError(f"{where}: needs 'text' and a gold label ('subtopic')", DATA_HINT)
    lines = row.get("sentences")
    if not (isinstance(lines, list) and all(isinstance(s, str) for s in lines)):
        lines = row["text"].splitlines()
    url = None
    if lines and _URL_LINE.match(lines[0]):
        url, lines = re.sub(r"\s+", "", lines[0]), lines[1:]
    published = None
    if isinstance(row.get("published"), str):
        try:
            published = date.fromisoformat(row["published"][:10])
        except ValueError:
            published = None
    text = "\n".join(lines).strip()
    language = row.get("language") or row.get("lang") or detect_language(text) or "und"
    article = Article(
        id=str(row.get("id", where)),
        text=text,
        title=str(row.get("title") or ""),
        language=str(language),
        url=url,
        published=published,
        source=row.get("source") if isinstance(row.get("source"), str) else None,
    )
    return GoldDoc(article, str(label))


def load(data: Path, limit: int | None = None) -> list[GoldDoc]:
    """The gold articles of ``data`` in arrival order."""
    try:
        content = Path(data).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise EvalDataError(f"{data}: cannot read ({err})", DATA_HINT) from err
    try:
        if content.lstrip().startswith("["):
            rows = list(enumerate(json.loads(content), 1))
        else:
            rows = [(n, json.loads(x)) for n, x in enumerate(content.splitlines(), 1) if x.strip()]
    except json.JSONDecodeError as err:
        raise EvalDataError(f"{data}: invalid JSON ({err})", DATA_HINT) from err
    docs = [_row(row, f"{Path(data).name}:{n}") for n, row in rows]
    if not docs:
        raise EvalDataError(f"{data}: no rows", DATA_HINT)
    return docs[:limit] if limit else docs


def bcubed(pred: Sequence[Hashable], gold: Sequence[Hashable]) -> dict[str, float]:
    """BCubed and pairwise precision, recall and F1 of ``pred`` against ``gold``."""
    pc: dict[Hashable, set[int]] = defaultdict(set)
    gc: dict[Hashable, set[int]] = defaultdict(set)
    for i, (p, g) in enumerate(zip(pred, gold, strict=True)):
        pc[p].add(i)
        gc[g].add(i)
    n = len(gold)
    precision = sum(len(pc[pred[i]] & gc[gold[i]]) / len(pc[pred[i]]) for i in range(n)) / n
    recall = sum(len(pc[pred[i]] & gc[gold[i]]) / len(gc[gold[i]]) for i in range(n)) / n
    joint = Counter(zip(pred, gold, strict=True))

    def pairs(counts: Any) -> int:
        return sum(c * (c - 1) // 2 for c in counts)

    both = pairs(joint.values())
    pp = both / max(pairs(len(s) for s in pc.values()), 1)
    pr = both / max(pairs(len(s) for s in gc.values()), 1)

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    return {
        "bcubed_precision": precision,
        "bcubed_recall": recall,
        "bcubed_f1": f1(precision, recall),
        "pairwise_precision": pp,
        "pairwise_recall": pr,
        "pairwise_f1": f1(pp, pr),
    }


def cluster(docs: Sequence[StoryDoc], options: ClusterOptions | None = None) -> list[str]:
    """The story id of each of ``docs``, streamed through a fresh clusterer."""
    clusterer = StoryClusterer(options)
    where: dict[str, str] = {}
    for event in clusterer.add(docs):
        if event.kind == "merged" and event.other is not None:
            for k, v in where.items():
                if v == event.other:
                    where[k] = event.story
        elif event.article is not None:
            where[event.article] = event.story
    return [where[d.id] for d in docs]


def evaluate(
    data: Path, *, limit: int | None = None, options: ClusterOptions | None = None
) -> dict[str, Any]:
    """Figures of story clustering on ``data`` (see the module doc)."""
    gold = load(data, limit)
    timings = Timings()
    started = time.perf_counter()
    docs = story_docs([g.article for g in gold], timings=timings, annotate=annotator())
    clustered = time.perf_counter()
    pred = cluster(docs, options)
    finished = time.perf_counter()
    scores = bcubed(pred, [g.label for g in gold])
    result: dict[str, Any] = {k: round(v, 4) for k, v in scores.items()}
    result.update(
        articles=len(gold),
        gold_stories=len(set(g.label for g in gold)),
        predicted_stories=len(set(pred)),
        articles_per_second=round(len(gold) / (finished - started), 2),
        clustering_articles_per_second=round(len(gold) / max(finished - clustered, 1e-9), 1),
        seconds={k: round(v, 2) for k, v in timings.seconds.items()},
    )
    return result


def render(result: dict[str, Any]) -> str:
    rows = [
        ("BCubed precision", "bcubed_precision"),
        ("BCubed recall", "bcubed_recall"),
        ("BCubed F1", "bcubed_f1"),
        ("pairwise precision", "pairwise_precision"),
        ("pairwise recall", "pairwise_recall"),
        ("pairwise F1", "pairwise_f1"),
        ("articles", "articles"),
        ("gold stories", "gold_stories"),
        ("predicted stories", "predicted_stories"),
        ("articles/s (end to end)", "articles_per_second"),
        ("articles/s (clustering only)", "clustering_articles_per_second"),
    ]
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label:<{width}}  {result[key]}" for label, key in rows)
