"""Terminal rendering of a :class:`Coverage` with ``rich``.

The report is rendered into a string (nothing is printed): the caller decides
where it goes. With ``color=False`` the output is plain text without any
ANSI escape codes, suitable for logs and pipes.
"""

from __future__ import annotations

import io

from rich import box
from rich.console import Console, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from newsprism.model import Coverage, Fact, Statement, Status
from newsprism.report.common import View, fact_sources, iso_date, status_of, summary_line, view

__all__ = ["DEFAULT_WIDTH", "render_terminal"]

DEFAULT_WIDTH = 100
INDENT = 4

_STATUS_STYLE = {
    Status.CONFLICT.value: "bold white on red",
    Status.COMPATIBLE.value: "bold black on yellow",
    Status.AGREED.value: "bold white on green",
    Status.UNIQUE.value: "bold white on bright_black",
}
_ARTICLE_STYLE = "bold cyan"
_FIGURE_STYLE = "bold yellow"
_DIM = "dim"


def _badge(status: str) -> Text:
    return Text(f" {status.upper()} ", style=_STATUS_STYLE.get(status, "bold"))


def _statement(v: View, statement: Statement, *, with_article: bool = True) -> Text:
    text = Text()
    if with_article:
        text.append(f"[{statement.article}] ", style=_ARTICLE_STYLE)
    for seg in v.segments(statement):
        text.append(seg.text, style=_FIGURE_STYLE if seg.figure else "")
    return text


def _indent(renderable: RenderableType, level: int = 1) -> Padding:
    return Padding(renderable, (0, 0, 0, INDENT * level), expand=False)


def _fact_header(fact: Fact) -> Text:
    status = status_of(fact)
    header = Text()
    header.append_text(_badge(status))
    header.append(f" {fact.id}", style="bold")
    sources = fact_sources(fact)
    details = [f"{len(sources)} source" + ("" if len(sources) == 1 else "s")]
    if status != Status.UNIQUE.value and fact.score:
        details.append(f"score {fact.score:.2f}")
    header.append("  " + " · ".join(details), style=_DIM)
    return header


def _fact_block(v: View, fact: Fact) -> list[RenderableType]:
    out: list[RenderableType] = [_fact_header(fact)]
    if fact.reason:
        reason = Text()
        reason.append("Reason: ", style="bold")
        reason.append(fact.reason)
        out.append(_indent(reason))
    out.extend(_indent(_statement(v, s)) for s in fact.statements)
    if fact.entities:
        names = [v.entities[e].name if e in v.entities else e for e in fact.entities]
        out.append(_indent(Text("Entities: " + ", ".join(names), style=_DIM)))
    out.append(Text(""))
    return out


def _articles_table(v: View) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, expand=False)
    table.add_column("id", style=_ARTICLE_STYLE, no_wrap=True)
    table.add_column("title", overflow="fold", ratio=1)
    table.add_column("lang", no_wrap=True)
    table.add_column("source", overflow="fold")
    table.add_column("date", no_wrap=True)
    for a in v.coverage.articles:
        table.add_row(
            a.id, a.title or "(untitled)", a.language or "?", a.source or "", iso_date(a.published)
        )
    return table


def _section(console: Console, title: str) -> None:
    console.rule(Text(title, style="bold"), align="left")


def _conflicts(console: Console, v: View) -> None:
    facts = v.facts(Status.CONFLICT.value)
    _section(console, f"Conflicts ({len(facts)})")
    if not facts:
        console.print(Text("No conflicting figures or claims found.", style=_DIM))
        console.print()
    for fact in facts:
        console.print(*_fact_block(v, fact))


def _shared(console: Console, v: View) -> None:
    facts = v.facts(Status.COMPATIBLE.value, Status.AGREED.value)
    if not facts:
        return
    facts.sort(key=lambda f: status_of(f) != Status.COMPATIBLE.value)
    _section(console, f"Agreed and compatible facts ({len(facts)})")
    for fact in facts:
        console.print(*_fact_block(v, fact))


def _unique(console: Console, v: View) -> None:
    groups = v.unique_by_article()
    if not groups:
        return
    total = sum(len(facts) for _, _, facts in groups)
    _section(console, f"Reported by one source only ({total})")
    for article, article_id, facts in groups:
        head = Text()
        head.append(f"[{article_id}]", style=_ARTICLE_STYLE)
        if article is not None and article.title:
            head.append(f" {article.title}", style="bold")
        head.append(f"  {len(facts)} unique", style=_DIM)
        console.print(head)
        for fact in facts:
            for s in fact.statements:
                line = Text("• ")
                line.append_text(_statement(v, s, with_article=False))
                console.print(_indent(line))
        console.print()


def _entities(console: Console, v: View) -> None:
    prominent, rest = v.entities_split()
    if not prominent and not rest:
        return
    _section(console, f"Entities ({len(prominent) + len(rest)})")
    if prominent:
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
        table.add_column("entity", style="bold", overflow="fold")
        table.add_column("type", no_wrap=True)
        table.add_column("variants", overflow="fold", ratio=1)
        table.add_column("articles", overflow="fold")
        table.add_column("mentions", justify="right", no_wrap=True)
        for e in prominent:
            table.add_row(
                e.name,
                e.type,
                ", ".join(dict.fromkeys(e.variants)),
                ", ".join(dict.fromkeys(e.articles)),
                str(len(e.mentions)),
            )
        console.print(table)
    if rest:
        line = Text("Also mentioned: ", style="bold")
        line.append("; ".join(f"{e.name} ({e.type})" for e in rest))
        console.print(line)


def _quotes(console: Console, v: View) -> None:
    groups = v.quotes_by_speaker()
    if not groups:
        return
    _section(console, f"Quotes ({sum(len(items) for _, items in groups)})")
    for speaker, items in groups:
        head = Text(speaker, style="bold")
        head.append(f"  {len(items)} quote" + ("" if len(items) == 1 else "s"), style=_DIM)
        console.print(head)
        for item in items:
            q = item.quote
            line = Text()
            line.append(f"[{item.article}] ", style=_ARTICLE_STYLE)
            line.append(f"“{q.text}”" if q.direct else q.text, style="italic" if q.direct else "")
            extra = [q.cue or ""]
            if q.speaker and q.speaker != item.speaker:
                extra.append(f"as “{q.speaker}”")
            if item.fact:
                extra.append(item.fact)
            extras = " · ".join(x for x in extra if x)
            if extras:
                line.append(f"  ({extras})", style=_DIM)
            console.print(_indent(line))
        console.print()


def _problems(console: Console, v: View) -> None:
    cov = v.coverage
    if not cov.failures and not cov.warnings:
        return
    _section(console, "Failures and warnings")
    for f in cov.failures:
        line = Text("✗ ", style="bold red")
        line.append(f.path, style="bold")
        line.append(f": {f.reason}")
        if f.hint:
            line.append(f" — {f.hint}", style=_DIM)
        console.print(line)
    for w in cov.warnings:
        line = Text("! ", style="bold yellow")
        line.append(w)
        console.print(line)


def render_terminal(coverage: Coverage, *, width: int | None = None, color: bool = True) -> str:
    """The coverage diff as terminal text (ANSI-coloured unless ``color=False``)."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or DEFAULT_WIDTH,
        force_terminal=color,
        color_system="256" if color else None,
        no_color=not color,
        highlight=False,
        markup=False,
        emoji=False,
        soft_wrap=False,
        legacy_windows=False,
        force_jupyter=False,
        force_interactive=False,
    )
    v = view(coverage)
    title = Text("newsprism coverage diff", style="bold")
    console.print(title)
    if coverage.articles:
        console.print(_articles_table(v))
    console.print(Text(summary_line(coverage), style="bold"))
    console.print()
    _conflicts(console, v)
    _shared(console, v)
    _unique(console, v)
    _entities(console, v)
    _quotes(console, v)
    _problems(console, v)
    out = buffer.getvalue()
    if not color:  # tables pad their cells; trailing blanks only get in the way of plain text
        out = "\n".join(line.rstrip() for line in out.split("\n"))
    return out
