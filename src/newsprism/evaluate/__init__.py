"""Quality evaluations of the extraction stages against gold data.

Each task module exposes ``evaluate(data: Path, *, limit: int | None = None)
-> dict[str, Any]`` (the figures, JSON-ready) and ``render(result) -> str``
(a readable table). ``TASKS`` maps the task names used by ``newsprism eval``
to their modules, imported only when run.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

TASKS: dict[str, str] = {
    "quantities": "newsprism.evaluate.quantities",
    "attribution": "newsprism.evaluate.attribution",
    "language": "newsprism.evaluate.language",
    "clustering": "newsprism.evaluate.clustering",
    "similarity": "newsprism.evaluate.similarity",
}


def task(name: str) -> tuple[Callable[..., dict[str, Any]], Callable[[dict[str, Any]], str]]:
    """The ``evaluate`` and ``render`` functions of task ``name``."""
    module = importlib.import_module(TASKS[name])
    return module.evaluate, module.render


def run(name: str, data: Path, limit: int | None = None) -> dict[str, Any]:
    evaluate, _ = task(name)
    return evaluate(data, limit=limit)
