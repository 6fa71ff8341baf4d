"""Renderers of a :class:`~newsprism.model.Coverage`: terminal text, JSON, Markdown, HTML.

Every renderer is a pure function returning a string; writing it anywhere is
the caller's job. :func:`render` picks one by format name.
"""

from __future__ import annotations

from newsprism.errors import OptionError
from newsprism.model import Coverage
from newsprism.report.html import render_html
from newsprism.report.jsonout import coverage_to_dict, render_json
from newsprism.report.markdown import render_markdown
from newsprism.report.terminal import render_terminal

__all__ = [
    "FORMATS",
    "coverage_to_dict",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_terminal",
]

FORMATS: tuple[str, ...] = ("text", "json", "md", "html")
"""Format names accepted by :func:`render`."""


def render(coverage: Coverage, fmt: str, *, color: bool = True, width: int | None = None) -> str:
    """Render ``coverage`` as ``text``, ``json``, ``md`` or ``html``.

    ``color`` and ``width`` only apply to ``text``. Raises
    :class:`~newsprism.errors.OptionError` for any other format name.
    """
    name = fmt.strip().lower()
    if name == "text":
        return render_terminal(coverage, width=width, color=color)
    if name == "json":
        return render_json(coverage)
    if name == "md":
        return render_markdown(coverage)
    if name == "html":
        return render_html(coverage)
    raise OptionError(
        f"unknown report format {fmt!r}",
        hint=f"use one of: {', '.join(FORMATS)}",
    )
