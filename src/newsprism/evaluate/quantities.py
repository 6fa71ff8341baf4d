"""``newsprism eval quantities``: quantity extraction scored with the CQE matching rules.

Gold data comes in two shapes, chosen by the file:

* a ``.json`` file holding a list of ``{"text", "quantities": [...]}`` rows, the NewsQuant
  format of the CQE paper (Almasian et al., EMNLP 2023); every row is English;
* a ``.jsonl`` file, one row per line, with the same fields plus ``"lang"`` (ISO 639-1);
  figures are then also given per language.

A gold quantity has ``value`` (a number as a string, or a range ``"low-high"``),
``normalized_unit`` (CQE's unit names, ``"-"`` for none), ``change`` (``=``, ``~``, ``>``,
``<``, ``up``, ``down``) and ``referred_concepts`` (words, ``"-"`` for none). Our
:class:`~newsprism.model.Quantity` is mapped to those fields by :mod:`.quantity_map`; the
matching rules are in ``docs/quality/quantities.md``.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsprism.errors import EvalDataError
from newsprism.model import Quantity
from newsprism.quantities.extract import direction, find_quantities
from newsprism.quantities.words import is_event_word

Extractor = Callable[[str, str | None], Sequence[Quantity]]

__all__ = [
    "GoldQuantity",
    "Mapped",
    "evaluate",
    "load",
    "map_quantity",
    "render",
]

_CRITERIA = ("value", "value_unit", "change", "concept")


DATA_HINT = "pass NewsQuant.json (a JSON list) or a JSONL file of {lang, text, quantities} rows"
"""What the gold quantities file must be."""


@dataclass(frozen=True)
class GoldQuantity:
    """One gold quantity: value (a number or an ordered range), unit, change, concepts."""

    value: float | tuple[float, float]
    unit: str
    change: str
    concepts: frozenset[str]


@dataclass(frozen=True)
class _Row:
    text: str
    lang: str
    gold: tuple[GoldQuantity, ...]


#: Our unit → the CQE ``normalized_unit`` names it may be written as.
UNIT_NAMES: dict[str, tuple[str, ...]] = {
    "%": ("percentage",),
    "pp": ("point", "percentage point"),
    "bp": ("basis point",),
    "USD": ("dollar", "united states dollar"),
    "EUR": ("euro",),
    "GBP": ("pound sterling",),
    "JPY": ("japanese yen",),
    "CNY": ("chinese yuan",),
    "AUD": ("australian dollar",),
    "HKD": ("hong kong dollar",),
    "CAD": ("canadian dollar",),
    "MYR": ("malaysian ringgit",),
    "ILS": ("shekel",),
    "INR": ("indian rupee",),
    "RUB": ("russian ruble",),
    "UAH": ("ukrainian hryvnia",),
    "CHF": ("swiss franc",),
    "DKK": ("danish krone",),
    "cent": ("cent",),
    "km": ("kilometre",),
    "m": ("metre",),
    "mi": ("mile",),
    "cm": ("centimetre",),
    "mm": ("millimetre",),
    "ft": ("foot",),
    "in": ("inch",),
    "yd": ("yard",),
    "g": ("gram",),
    "kg": ("kilogram",),
    "mg": ("milligram",),
    "lb": ("pound-mass", "pound-foot"),
    "t": ("ton", "tonne", "metric ton"),
    "Gt": ("gigaton",),
    "l": ("litre",),
    "ml": ("millilitre",),
    "km/h": ("kilometre per hour",),
    "mph": ("mile per hour",),
    "mpg": ("mile per gallon",),
    "year": ("year",),
    "month": ("month",),
    "week": ("week",),
    "day": ("day",),
    "hour": ("hour",),
    "minute": ("minute",),
    "second": ("second",),
    "year_of_age": ("year of age",),
    "hp": ("horsepower",),
    "GB": ("gigabyte",),
    "kbps": ("kilobit per second",),
    "Mbps": ("megabit per second",),
    "Gbps": ("gigabit per second",),
    "MB": ("megabyte",),
    "TB": ("terabyte",),
    "Hz": ("hertz",),
    "W": ("watt",),
    "kW": ("kilowatt",),
    "MW": ("megawatt",),
    "GW": ("gigawatt",),
    "°C": ("celsius", "degree"),
    "°F": ("fahrenheit", "degree"),
    "degree": ("degree",),
    "m2": ("square metre",),
    "ft2": ("square foot",),
    "times": ("count",),
    "point": ("point",),
    "p": ("point", "penny"),
    "μm": ("micrometre",),
    "nm": ("nanometre",),
    "ppb": ("parts-per-billion", "part per billion"),
    "ppm": ("part per million", "parts-per-million"),
    "mAh": ("milliampere-hour",),
    "rpm": ("revolutions per minute",),
    "V": ("volt",),
    "kWh": ("kilowatt hour",),
    "MWh": ("megawatt hour",),
    "GWh": ("gigawatt hour",),
    "N·m": ("newton metre",),
    "m/s": ("metre per second",),
    "oz": ("ounce",),
    "lb·ft": ("foot pound-force", "pound-foot"),
    "MMBtu": ("mega british thermal unit",),
    "bbl": ("barrel",),
    "G": ("generation wireless",),
    "WAR": ("win above replacement",),
    "ppg": ("point per game",),
    "rpg": ("rebound per game",),
    "apg": ("assist per game",),
    "ksi": ("kilopound per square inch",),
    "MPa": ("megapascal",),
    "GPa": ("gigapascal",),
    "kn": ("knot",),
    "kHz": ("kilohertz",),
    "MHz": ("megahertz",),
    "GHz": ("gigahertz",),
    "bhp": ("brake horsepower",),
    "cal": ("calorie",),
    "km2": ("square kilometre",),
    "cylinder": ("cylinder",),
    "sen": ("sen",),
    "NZD": ("new zealand dollar",),
    "SGD": ("singapore dollar",),
    "BRL": ("brazilian real",),
    "SEK": ("swedish krona",),
    "NOK": ("norwegian krone",),
    "PLN": ("polish zloty",),
}
#: Our qualifier → CQE's change class (``up``/``down`` come from :func:`direction`).
CHANGE_OF_QUALIFIER = {
    "exact": "=",
    "range": "=",
    "more_than": ">",
    "at_least": ">",
    "less_than": "<",
    "at_most": "<",
    "up_to": "<",
    "about": "~",
    "nearly": "~",
}


@dataclass(frozen=True)
class Mapped:
    """A predicted quantity in CQE's terms: value, unit names it may match, change, concepts."""

    value: float | tuple[float, float]
    units: frozenset[str]
    change: str
    concepts: frozenset[str]


def _lemma(word: str, lang: str) -> str:
    try:
        import simplemma

        return str(simplemma.lemmatize(word, lang=lang)).lower()
    except (ImportError, ValueError):
        return word.lower()


_POSSESSIVE = re.compile(r"[’']s$")
_OF = frozenset({"of", "de", "des", "du", "di", "van", "von"})


def _count_units(counted: str | None, lang: str) -> set[str]:
    """CQE names a count's unit after the noun phrase counted, lemmatised: "13 people" →
    ``people``, "one of the best wireless speakers" → ``good wireless speaker``,
    "Johnson's deputies" → ``johnson deputy``, "categories of products" →
    ``category product``. The candidates are the phrase as written, with its last word
    lemmatised, with every word lemmatised (``of`` left out), the part before ``of``,
    and its first and last words."""
    if not counted:
        return {"-"}
    words = [_POSSESSIVE.sub("", w) for w in counted.split()]
    while len(words) > 1 and is_event_word(words[-1], lang):
        words.pop()
    lemmas = [w.lower() for w in words[:-1]] + [_lemma(words[-1], lang)]
    raw = " ".join(w.lower() for w in words)
    every = [_lemma(w, lang) for w in words if w.lower() not in _OF]
    out = {"-", raw, " ".join(lemmas), lemmas[-1], lemmas[0], _lemma(words[0], lang)}
    out.add(" ".join(every))
    cut = next((k for k, w in enumerate(words) if k and w.lower() in _OF), 0)
    if cut:
        out.add(" ".join(_lemma(w, lang) for w in words[:cut]))
    return out


def _unit_names(unit: str, lang: str) -> list[str]:
    if unit in UNIT_NAMES:
        return list(UNIT_NAMES[unit])
    if "/" in unit:  # a rate: "USD/barrel" → "dollar per barrel"
        num, _, den = unit.partition("/")
        return [f"{a} per {b}" for a in _unit_names(num, lang) for b in _unit_names(den, lang)]
    return [unit.lower(), _lemma(unit, lang)]


def map_quantity(q: Quantity, text: str, lang: str | None) -> Mapped:
    """Our :class:`Quantity` in CQE's terms (see ``UNIT_NAMES`` and ``CHANGE_OF_QUALIFIER``)."""
    language = lang or "en"
    value: float | tuple[float, float] = (q.low, q.high) if q.qualifier == "range" else q.value
    if q.unit is None:
        units = _count_units(q.counted, language)
        if 0 < q.value < 1 and _FRACTION_WORDS.search(q.text):
            units |= {f"% {u}" for u in units}  # CQE: "a third of Germans" → "% germans"
    else:
        units = set(_unit_names(q.unit, language))
    change = CHANGE_OF_QUALIFIER.get(q.qualifier, "=")
    if change == "=":
        change = direction(text, q, language) or "="
    concepts = frozenset(w.lower() for w in (q.counted or "").split())
    return Mapped(value, frozenset(units), change, concepts)


_FRACTION_WORDS = re.compile(r"(?i)half|third|quarter|fourth|fifth|tenth|[/⁄]|out of|\bin\b")
_RANGE = re.compile(r"^\s*([0-9.]+)\s*-\s*(-?[0-9.]+)\s*$")


def parse_value(raw: str | float | int) -> float | tuple[float, float]:
    """A gold value: ``"6.0"`` → 6.0, ``"252.0-287.0"`` → (252.0, 287.0), ``"1.99E-29"``."""
    if isinstance(raw, int | float):
        return float(raw)
    m = _RANGE.match(raw) if "E" not in raw.upper() else None
    if m:
        return float(m.group(1)), float(m.group(2))
    return float(raw)


def _concepts(raw: str) -> frozenset[str]:
    words = {w.lower() for w in re.split(r"[,\s]+", raw or "") if w and w != "-"}
    return frozenset(words)


def _gold(items: list[dict[str, Any]]) -> tuple[GoldQuantity, ...]:
    return tuple(
        GoldQuantity(
            value=parse_value(q["value"]),
            unit=str(q.get("normalized_unit", q.get("unit", "-"))).lower(),
            change=str(q.get("change", "=")),
            concepts=_concepts(str(q.get("referred_concepts", "-"))),
        )
        for q in items
    )


def load(data: Path, limit: int | None = None) -> list[_Row]:
    """Rows of a NewsQuant ``.json`` file or of a multilingual ``.jsonl`` file."""
    try:
        raw = data.read_text(encoding="utf-8")
        if data.suffix == ".jsonl":
            rows = [json.loads(line) for line in raw.splitlines() if line.strip()]
        else:
            rows = json.loads(raw)
        if not isinstance(rows, list):
            raise ValueError("not a list of rows")
        out = [
            _Row(str(r["text"]), str(r.get("lang", "en")), _gold(list(r["quantities"])))
            for r in rows[:limit]
        ]
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise EvalDataError(f"cannot read gold quantities from {data}: {err}", DATA_HINT) from err
    return out


def _values_match(gold: float | tuple[float, float], pred: float | tuple[float, float]) -> bool:
    if isinstance(gold, tuple) != isinstance(pred, tuple):
        return False
    if isinstance(gold, tuple) and isinstance(pred, tuple):
        a, b = sorted(gold), sorted(pred)
        return _close(a[0], b[0]) and _close(a[1], b[1])
    assert isinstance(gold, float) and isinstance(pred, float)
    return _close(gold, pred)


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-8)


def _pair_ok(criterion: str, g: GoldQuantity, p: Mapped) -> bool:
    if not _values_match(g.value, p.value):
        return False
    if criterion == "value_unit":
        return g.unit in p.units
    if criterion == "change":
        return g.change == p.change
    if criterion == "concept":
        return bool(g.concepts & p.concepts) or not (g.concepts or p.concepts)
    return True


def _matching(gold: Sequence[GoldQuantity], pred: Sequence[Mapped], criterion: str) -> int:
    """Size of a maximum one-to-one matching of gold and predicted quantities."""
    edges = [[j for j, p in enumerate(pred) if _pair_ok(criterion, g, p)] for g in gold]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(augment(i, set()) for i in range(len(gold)))


def _prf(tp: int, n_gold: int, n_pred: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return round(100 * p, 1), round(100 * r, 1), round(100 * f, 1)


def _score(pairs: Sequence[tuple[Sequence[GoldQuantity], Sequence[Mapped]]]) -> dict[str, Any]:
    n_gold = sum(len(g) for g, _ in pairs)
    n_pred = sum(len(p) for _, p in pairs)
    tp = {c: sum(_matching(g, p, c) for g, p in pairs) for c in _CRITERIA}
    p, r, f = _prf(tp["value"], n_gold, n_pred)
    return {
        "value_precision": p,
        "value_recall": r,
        "value_f1": f,
        "value_unit_f1": _prf(tp["value_unit"], n_gold, n_pred)[2],
        "change_f1": _prf(tp["change"], n_gold, n_pred)[2],
        "concept_f1": _prf(tp["concept"], n_gold, n_pred)[2],
        "sentences": len(pairs),
        "gold_quantities": n_gold,
        "predicted_quantities": n_pred,
    }


def predict(
    rows: Sequence[_Row], extractor: Extractor = find_quantities
) -> tuple[list[list[Mapped]], float]:
    """Mapped predictions for every row, and the wall-clock seconds the extractor took."""
    out: list[list[Mapped]] = []
    spent = 0.0
    for row in rows:
        t0 = time.perf_counter()
        found = extractor(row.text, row.lang)
        spent += time.perf_counter() - t0
        out.append([map_quantity(q, row.text, row.lang) for q in found])
    return out, spent


def evaluate(
    data: Path, *, limit: int | None = None, extractor: Extractor = find_quantities
) -> dict[str, Any]:
    """Scores of ``extractor`` against the gold file ``data`` (see the module docstring).

    Figures are percentages (0–100, one decimal). ``split_even``/``split_odd`` score the
    rows with even/odd index separately; a ``.jsonl`` file adds ``per_language``.
    """
    rows = load(Path(data), limit)
    preds, spent = predict(rows, extractor)
    pairs = [(row.gold, pred) for row, pred in zip(rows, preds, strict=True)]
    result = _score(pairs)
    result["sentences_per_second"] = round(len(rows) / spent, 1) if spent > 0 else 0.0
    result["split_even"] = _score(pairs[0::2])
    result["split_odd"] = _score(pairs[1::2])
    langs = sorted({row.lang for row in rows})
    if Path(data).suffix == ".jsonl":
        result["per_language"] = {
            lang: _score([pr for pr, row in zip(pairs, rows, strict=True) if row.lang == lang])
            for lang in langs
        }
    result["data"] = str(data)
    return result


_COLUMNS = (
    ("value P", "value_precision"),
    ("value R", "value_recall"),
    ("value F1", "value_f1"),
    ("+unit F1", "value_unit_f1"),
    ("+change F1", "change_f1"),
    ("+concept F1", "concept_f1"),
    ("sent.", "sentences"),
    ("gold", "gold_quantities"),
    ("pred.", "predicted_quantities"),
)


def render(result: dict[str, Any]) -> str:
    """A plain-text table of ``evaluate``'s result: all rows, the two halves, languages."""
    lines = [f"Quantity extraction (CQE matching rules) on {result.get('data', '?')}"]
    rows: list[tuple[str, dict[str, Any]]] = [("all", result)]
    rows += [("even rows", result["split_even"]), ("odd rows", result["split_odd"])]
    rows += [(f"lang {k}", v) for k, v in result.get("per_language", {}).items()]
    head = f"{'':<10}" + "".join(f"{name:>12}" for name, _ in _COLUMNS)
    lines += [head, "-" * len(head)]
    for label, figures in rows:
        cells = "".join(f"{figures[key]:>12}" for _, key in _COLUMNS)
        lines.append(f"{label:<10}{cells}")
    lines.append(f"throughput: {result['sentences_per_second']} sentences/s")
    return "\n".join(lines)
