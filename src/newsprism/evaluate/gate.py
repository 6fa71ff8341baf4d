"""The quality gate: measured figures must not drop below the floors pinned in a baseline.

A baseline (``quality/baseline.json``) maps each task of :data:`newsprism.evaluate.TASKS`
to the gold data it is measured on and its gated metrics::

    {"language": {"data": "../shared/data/semeval2022-t8/es-fr.jsonl", "limit": null,
                  "metrics": {"accuracy": {"floor": 0.995, "measured": 1.0, "noise": 0.002}}},
     "lowered": [{"metric": "language.accuracy", "from": 0.999, "to": 0.995,
                  "reason": "...", "date": "2025-01-31"}]}

``data`` is relative to the repository root. A metric name is a key of the task's
result, or a dotted path into it (``per_language.fr.accuracy``). A metric fails when
``measured < floor - noise``; a metric whose ``floor`` is ``null`` is not gated yet
(``update`` pins it). Floors only go up, except through ``update(..., allow_lower=reason)``,
which records every lowering under ``"lowered"``; :func:`unrecorded_lowerings` finds
floors lowered (or removed) between two versions of a baseline without such a record.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsprism.evaluate import TASKS, run

__all__ = [
    "Failure",
    "Row",
    "available_tasks",
    "check",
    "load_baseline",
    "lookup",
    "rows",
    "run_tasks",
    "save_baseline",
    "table",
    "tasks_of",
    "unrecorded_lowerings",
    "update",
]

DEFAULT_NOISE = 0.0
RESERVED = frozenset({"lowered", "comment"})


@dataclass(frozen=True)
class Row:
    """One gated metric of one task: its floor, the new measurement, and the verdict."""

    task: str
    metric: str
    floor: float | None
    measured: float | None
    noise: float
    ok: bool
    note: str = ""


@dataclass(frozen=True)
class Failure:
    """A metric that dropped below its floor (beyond the noise), or went missing."""

    task: str
    metric: str
    floor: float
    measured: float | None
    noise: float
    reason: str

    def __str__(self) -> str:
        return f"{self.task}.{self.metric}: {self.reason}"


def tasks_of(baseline: Mapping[str, Any]) -> list[str]:
    """The task names in ``baseline`` (every top-level key but ``lowered``/``comment``)."""
    return [name for name in baseline if name not in RESERVED]


def lookup(result: Mapping[str, Any], metric: str) -> float | None:
    """The number at ``metric`` (a key or dotted path) in ``result``, else ``None``."""
    value: Any = result
    for part in metric.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        return None
    return float(value)


def rows(baseline: Mapping[str, Any], results: Mapping[str, Mapping[str, Any]]) -> list[Row]:
    """A verdict for every metric of every task in ``results`` that the baseline names."""
    out: list[Row] = []
    for task in tasks_of(baseline):
        if task not in results:
            continue
        for metric, spec in baseline[task].get("metrics", {}).items():
            floor = spec.get("floor")
            noise = float(spec.get("noise", DEFAULT_NOISE))
            measured = lookup(results[task], metric)
            if floor is None:
                note = "not gated (no floor yet)"
                out.append(Row(task, metric, None, measured, noise, True, note))
            elif measured is None:
                out.append(Row(task, metric, floor, None, noise, False, "missing from results"))
            elif measured < floor - noise:
                note = f"dropped {floor - measured:.4g} below the floor (noise {noise:g})"
                out.append(Row(task, metric, floor, measured, noise, False, note))
            else:
                note = "within noise" if measured < floor else ""
                out.append(Row(task, metric, floor, measured, noise, True, note))
    return out


def check(baseline: Mapping[str, Any], results: Mapping[str, Mapping[str, Any]]) -> list[Failure]:
    """The gated metrics of ``results`` that fall below ``floor - noise`` (or are missing).

    Only tasks present in ``results`` are checked: the caller decides which ran.
    """
    return [
        Failure(row.task, row.metric, float(row.floor), row.measured, row.noise, row.note)
        for row in rows(baseline, results)
        if not row.ok and row.floor is not None
    ]


def update(
    baseline: Mapping[str, Any],
    results: Mapping[str, Mapping[str, Any]],
    *,
    allow_lower: str | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """A copy of ``baseline`` with the new measurements recorded and floors raised to them.

    A floor never goes down unless ``allow_lower`` gives a reason; each lowering is then
    appended to ``"lowered"`` with the metric, old and new floor, reason and date.
    Metrics whose floor is ``null`` get the measurement as their first floor.
    """
    if allow_lower is not None and not allow_lower.strip():
        raise ValueError("allow_lower needs a non-empty reason")
    new = copy.deepcopy(dict(baseline))
    stamp = (today or date.today()).isoformat()
    for task in tasks_of(new):
        if task not in results:
            continue
        for metric, spec in new[task].get("metrics", {}).items():
            measured = lookup(results[task], metric)
            if measured is None:
                continue
            spec["measured"] = measured
            floor = spec.get("floor")
            if floor is None or measured > floor:
                spec["floor"] = measured
            elif measured < floor and allow_lower is not None:
                spec["floor"] = measured
                new.setdefault("lowered", []).append(
                    {
                        "metric": f"{task}.{metric}",
                        "from": floor,
                        "to": measured,
                        "reason": allow_lower.strip(),
                        "date": stamp,
                    }
                )
    return new


def _floors(baseline: Mapping[str, Any]) -> dict[str, float]:
    return {
        f"{task}.{metric}": float(spec["floor"])
        for task in tasks_of(baseline)
        for metric, spec in baseline[task].get("metrics", {}).items()
        if spec.get("floor") is not None
    }


def unrecorded_lowerings(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Floors of ``old`` that ``new`` lowers or removes without a ``lowered`` record.

    A record matches when its ``metric`` is ``task.metric``, its ``from`` is the old floor,
    its ``to`` is the new floor (``null`` for a removed metric) and it has a reason.
    """
    before, after = _floors(old), _floors(new)
    records = [r for r in new.get("lowered", []) if str(r.get("reason", "")).strip()]

    def recorded(metric: str, was: float, now: float | None) -> bool:
        for rec in records:
            to = rec.get("to")
            if rec.get("metric") != metric or not math.isclose(float(rec["from"]), was):
                continue
            if (now is None and to is None) or (
                now is not None and to is not None and math.isclose(float(to), now)
            ):
                return True
        return False

    problems = []
    for metric, was in before.items():
        now = after.get(metric)
        if now is not None and now >= was:
            continue
        if not recorded(metric, was, now):
            change = "removed" if now is None else f"lowered from {was:g} to {now:g}"
            problems.append(f"{metric}: floor {change} without a 'lowered' record")
    return problems


def task_module(baseline: Mapping[str, Any], name: str) -> str:
    """The evaluation task an entry runs: its ``task`` field, else its own name
    (so ``quantities_multilingual`` can run ``quantities`` on other data)."""
    spec = baseline.get(name)
    return str(spec.get("task", name)) if isinstance(spec, Mapping) else name


def available_tasks(
    names: Iterable[str], baseline: Mapping[str, Any] | None = None
) -> tuple[list[str], list[str]]:
    """``names`` split into tasks whose evaluation module exists and those whose doesn't."""
    present, missing = [], []
    for name in names:
        module = TASKS.get(task_module(baseline or {}, name))
        if module is not None and importlib.util.find_spec(module) is not None:
            present.append(name)
        else:
            missing.append(name)
    return present, missing


def run_tasks(
    baseline: Mapping[str, Any], root: Path, names: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """Run the evaluation of each task in ``names`` on its baseline data (under ``root``)."""
    results: dict[str, dict[str, Any]] = {}
    for name in names:
        spec = baseline[name]
        results[name] = run(
            task_module(baseline, name), root / spec["data"], limit=spec.get("limit")
        )
    return results


def load_baseline(path: Path) -> dict[str, Any]:
    baseline: dict[str, Any] = json.loads(Path(path).read_text(encoding="utf-8"))
    return baseline


def save_baseline(path: Path, baseline: Mapping[str, Any]) -> None:
    text = json.dumps(baseline, indent=2, ensure_ascii=False, allow_nan=False)
    Path(path).write_text(text + "\n", encoding="utf-8")


def table(report: Iterable[Row]) -> str:
    """The rows as an aligned text table: task, metric, floor, measured, ok."""

    def num(value: float | None) -> str:
        return "-" if value is None else f"{value:.4g}"

    header = ("task", "metric", "floor", "measured", "ok", "")
    body = [
        (r.task, r.metric, num(r.floor), num(r.measured), "yes" if r.ok else "NO", r.note)
        for r in report
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(5)]
    out = []
    for line in [header, *body]:
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        out.append("  ".join([*cells, line[5]]).rstrip())
    return "\n".join(out)
