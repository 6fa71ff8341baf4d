"""``newsprism eval language``: language identification against texts of known language.

Accepted gold data (``data`` is a file or a folder):

* JSONL (or a JSON list) of SemEval-2022 Task 8 pair rows: ``lang1``/``lang2``,
  ``text1``/``text2`` and optionally ``title1``/``title2``, ``pair_id``;
* JSONL (or a JSON list) of plain rows ``{"text": ..., "language": ...}`` (``lang`` is
  accepted for ``language``; ``title`` and ``id`` are optional);
* a folder of such files, or a folder of ``*.txt`` articles that are all in one
  language: the folder's own name when it is a language code (``en/``), else
  ``default_language``.

Rows without a language take ``default_language`` (ECB+ rows, which are all English,
are read with ``default_language="en"``). Every distinct non-empty article text is
scored once (SemEval articles recur across pairs). Each article is identified three
ways: the full text (``accuracy``), its first 100 characters
(``accuracy_first_100_chars``) and, where present, its title (``titles``). A prediction
is correct when its ISO 639-1 code equals the gold code (both normalised, so ``"spa"``
and ``"es-MX"`` are ``"es"``); ``None`` (undetermined) is wrong. All accuracies are
fractions between 0 and 1.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsprism.errors import EvalDataError
from newsprism.language import detect_language, normalise_code

__all__ = ["GoldText", "evaluate", "load_texts", "render"]

PREFIX_CHARS = 100
MAX_ERRORS = 20


DATA_HINT = (
    "pass JSONL rows with 'text' and 'language' (or SemEval 'lang1'/'text1'), "
    "or a folder of .txt files named after their language"
)
"""What the gold data of the language evaluation must be."""


@dataclass(frozen=True)
class GoldText:
    """One article of known language."""

    id: str
    language: str
    text: str
    title: str = ""


def _gold_code(value: Any, where: str) -> str:
    code = normalise_code(value) if isinstance(value, str) else None
    if code is None:
        raise EvalDataError(f"{where}: no usable language code ({value!r})", DATA_HINT)
    return code


def _row_texts(row: Any, where: str, default_language: str | None) -> Iterator[GoldText]:
    if not isinstance(row, dict):
        raise EvalDataError(f"{where}: expected a JSON object, got {type(row).__name__}", DATA_HINT)
    if "text1" in row or "lang1" in row:  # a SemEval-2022 Task 8 pair
        pair = str(row.get("pair_id", where))
        for side in ("1", "2"):
            text = row.get("text" + side)
            if isinstance(text, str):
                language = _gold_code(row.get("lang" + side), f"{where} lang{side}")
                title = row.get("title" + side)
                yield GoldText(f"{pair}/{side}", language, text, str(title or ""))
        return
    text = row.get("text")
    if not isinstance(text, str):
        raise EvalDataError(f"{where}: no 'text' string", DATA_HINT)
    raw = row.get("language", row.get("lang", default_language))
    language = _gold_code(raw, where)
    yield GoldText(str(row.get("id", where)), language, text, str(row.get("title") or ""))


def _file_texts(path: Path, default_language: str | None) -> Iterator[GoldText]:
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise EvalDataError(f"{path}: cannot read ({err})", DATA_HINT) from err
    if path.suffix == ".txt":
        language = _gold_code(default_language, f"{path} (plain text needs a language)")
        yield GoldText(path.stem, language, content)
        return
    try:
        if path.suffix == ".json":
            rows = json.loads(content)
            if not isinstance(rows, list):
                raise EvalDataError(f"{path}: expected a JSON list of rows", DATA_HINT)
            numbered = [(f"{path.name}[{i}]", row) for i, row in enumerate(rows)]
        else:
            numbered = [
                (f"{path.name}:{n}", json.loads(line))
                for n, line in enumerate(content.splitlines(), 1)
                if line.strip()
            ]
    except json.JSONDecodeError as err:
        raise EvalDataError(f"{path}: invalid JSON ({err})", DATA_HINT) from err
    for where, row in numbered:
        yield from _row_texts(row, where, default_language)


def load_texts(data: Path, *, default_language: str | None = None) -> list[GoldText]:
    """Every article of known language in ``data`` (a file or a folder), in order."""
    data = Path(data)
    if data.is_dir():
        files = sorted(p for p in data.iterdir() if p.suffix in {".jsonl", ".json", ".txt"})
        if not files:
            raise EvalDataError(f"{data}: no .jsonl, .json or .txt files", DATA_HINT)
        folder_code = normalise_code(data.name) if len(data.name) == 2 else None
        language = folder_code or default_language
        return [text for f in files for text in _file_texts(f, language)]
    if not data.is_file():
        raise EvalDataError(f"{data}: no such file or folder", DATA_HINT)
    return list(_file_texts(data, default_language))


def _accuracy(correct: int, total: int) -> float:
    return round(correct / total, 6) if total else 0.0


def _timed(extractor: Callable[[str], str | None], texts: list[str]) -> tuple[list[Any], float]:
    start = time.perf_counter()
    predictions = [normalise_code(extractor(text)) for text in texts]
    return predictions, time.perf_counter() - start


def evaluate(
    data: Path,
    *,
    limit: int | None = None,
    extractor: Callable[[str], str | None] = detect_language,
    default_language: str | None = None,
) -> dict[str, Any]:
    """Accuracy of ``extractor`` on the articles in ``data`` (see the module doc).

    ``limit`` keeps the first N distinct articles. ``texts_per_second`` is the
    full-text rate, measured after one warm-up call (which loads lazy models).
    """
    seen: set[str] = set()
    items: list[GoldText] = []
    for item in load_texts(data, default_language=default_language):
        if item.text.strip() and item.text not in seen:
            seen.add(item.text)
            items.append(item)
    if limit is not None:
        items = items[:limit]
    if not items:
        raise EvalDataError(f"{data}: no non-empty texts to evaluate", DATA_HINT)

    extractor("Warm-up sentence, so that lazily loaded models are ready.")
    full, seconds = _timed(extractor, [item.text for item in items])
    prefix, _ = _timed(extractor, [item.text[:PREFIX_CHARS] for item in items])
    titled = [(i, item.title) for i, item in enumerate(items) if item.title.strip()]
    titles, _ = _timed(extractor, [title for _, title in titled])

    per: dict[str, Counter[str]] = {}
    confusions: Counter[tuple[str, str]] = Counter()
    errors: list[dict[str, Any]] = []
    for item, got, got_prefix in zip(items, full, prefix, strict=True):
        counts = per.setdefault(item.language, Counter())
        counts["n"] += 1
        counts["full"] += got == item.language
        counts["prefix"] += got_prefix == item.language
        for kind, predicted, sample in (
            ("text", got, item.text),
            ("first_100_chars", got_prefix, item.text[:PREFIX_CHARS]),
        ):
            if predicted != item.language:
                confusions[(item.language, str(predicted))] += 1
                if len(errors) < MAX_ERRORS:
                    errors.append(
                        {
                            "id": item.id,
                            "kind": kind,
                            "gold": item.language,
                            "predicted": predicted,
                            "sample": " ".join(sample[:PREFIX_CHARS].split()),
                        }
                    )
    title_ok = sum(items[i].language == got for (i, _), got in zip(titled, titles, strict=True))
    n = len(items)
    return {
        "data": str(data),
        "texts": n,
        "accuracy": _accuracy(sum(c["full"] for c in per.values()), n),
        "accuracy_first_100_chars": _accuracy(sum(c["prefix"] for c in per.values()), n),
        "undetermined": sum(p is None for p in full),
        "per_language": {
            code: {
                "accuracy": _accuracy(c["full"], c["n"]),
                "accuracy_first_100_chars": _accuracy(c["prefix"], c["n"]),
                "n": c["n"],
            }
            for code, c in sorted(per.items())
        },
        "titles": {"accuracy": _accuracy(title_ok, len(titled)), "n": len(titled)},
        "confusions": [
            {"gold": gold, "predicted": predicted, "n": count}
            for (gold, predicted), count in confusions.most_common()
        ],
        "errors": errors,
        "seconds": round(seconds, 3),
        "texts_per_second": round(n / seconds, 1) if seconds > 0 else 0.0,
    }


def render(result: dict[str, Any]) -> str:
    """A readable table of ``evaluate``'s result."""
    lines = [
        f"Language identification on {result['texts']} texts ({result['data']})",
        "",
        f"{'language':<10}{'n':>7}{'full text':>12}{'first 100':>12}",
    ]
    rows = [
        (code, v["n"], v["accuracy"], v["accuracy_first_100_chars"])
        for code, v in result["per_language"].items()
    ]
    rows.append(("all", result["texts"], result["accuracy"], result["accuracy_first_100_chars"]))
    for code, n, acc, acc100 in rows:
        lines.append(f"{code:<10}{n:>7}{acc:>12.2%}{acc100:>12.2%}")
    titles = result["titles"]
    if titles["n"]:
        lines.append(f"{'titles':<10}{titles['n']:>7}{titles['accuracy']:>12.2%}")
    lines += [
        "",
        f"undetermined (full text): {result['undetermined']}",
        f"throughput: {result['texts_per_second']:.1f} texts/s (full text)",
    ]
    if result["confusions"]:
        pairs = ", ".join(
            f"{c['gold']}→{c['predicted']} ×{c['n']}" for c in result["confusions"][:8]
        )
        lines.append(f"confusions: {pairs}")
    for err in result["errors"][:10]:
        lines.append(
            f"  {err['id']} [{err['kind']}] {err['gold']}→{err['predicted']}: {err['sample']}"
        )
    return "\n".join(lines)
