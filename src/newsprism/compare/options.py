"""Options of the coverage diff: how statements are scored, aligned and grouped."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CompareOptions"]


@dataclass(frozen=True)
class CompareOptions:
    """Alignment settings.

    A pair's score is its margin-normalised cosine (``neighbours`` nearest
    neighbours) plus the bonuses below, minus ``rank_penalty`` per statement
    of the other article that is closer. ``threshold``: minimum score for two
    statements to state the same fact.
    ``entity_bonus``: added per shared rare entity, up to ``entity_cap``.
    ``figure_bonus``: added when both give a figure for the same thing;
    ``exact_figure_bonus`` instead when it is the same non-trivial number.
    Statements whose figures are strong evidence (the same number of at
    least ``specific_figure``, or the same measured quantity) align when
    their margin alone reaches ``figure_floor``.
    ``speaker_bonus``: added when both quote the same speaker.
    ``clash_penalty``: taken off when both quote speakers and share none, and
    when both name places (other than those in more than
    ``common_place_share`` of all statements) and share none.
    ``merge_margin``: a statement joins a fact when its mean score to the
    fact's statements is at least ``threshold - merge_margin``.
    ``counted_threshold``: cosine of the ``counted`` phrases above which two
    figures are taken to count the same thing.
    """

    threshold: float = 1.02
    neighbours: int = 3
    entity_bonus: float = 0.015
    entity_cap: float = 0.03
    figure_bonus: float = 0.04
    exact_figure_bonus: float = 0.08
    specific_figure: float = 100.0
    figure_floor: float = 0.93
    speaker_bonus: float = 0.02
    clash_penalty: float = 0.03
    common_place_share: float = 0.1
    rank_penalty: float = 0.02
    max_rank_steps: int = 3
    merge_margin: float = 0.02
    min_words: int = 4
    counted_threshold: float = 0.87
    trivial_figure: float = 10.0
