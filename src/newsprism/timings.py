"""Seconds spent per stage, summed over articles: filled by the pipeline, the story stage
and the engines, printed by ``--timings`` and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Timings"]


@dataclass
class Timings:
    """Seconds spent per stage, summed over articles."""

    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds
