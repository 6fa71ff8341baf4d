"""GitHub-flavoured Markdown rendering of a :class:`Coverage`.

Articles and entities are tables, fact statements are block quotes with the
figures in **bold**. Every piece of source text is escaped so that article
content can never turn into markup, links or raw HTML.
"""

from __future__ import annotations

import re

from newsprism.model import Coverage, Fact, Statement, Status
from newsprism.report.common import View, fact_sources, iso_date, status_of, summary_line, view

__all__ = ["md_escape", "render_markdown"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")
_SPACE = re.compile(r"\s+")
_STATUS_ICON = {
    Status.CONFLICT.value: "🔴",
    Status.COMPATIBLE.value: "🟠",
    Status.AGREED.value: "🟢",
    Status.UNIQUE.value: "⚪",
}


def md_escape(text: str) -> str:
    """Escape Markdown/HTML-significant characters; line breaks become spaces."""
    flat = _SPACE.sub(" ", text)
    return _SPECIAL.sub(r"\\\1", flat)


def _code(text: str) -> str:
    """An inline code span (ids, paths); backticks and pipes cannot break out."""
    return "`" + text.replace("`", "'").replace("|", "\\|") + "`"


def _cell(text: str | None) -> str:
    return md_escape(text or "") or " "


def _statement_text(v: View, statement: Statement) -> str:
    parts: list[str] = []
    for seg in v.segments(statement):
        escaped = md_escape(seg.text)
        if seg.figure and escaped.strip():
            # Keep whitespace outside the markers so the emphasis is valid.
            lead = escaped[: len(escaped) - len(escaped.lstrip())]
            trail = escaped[len(escaped.rstrip()) :]
            parts.append(f"{lead}**{escaped.strip()}**{trail}")
        else:
            parts.append(escaped)
    return "".join(parts)


def _fact(v: View, fact: Fact, *, with_article: bool = True) -> list[str]:
    status = status_of(fact)
    sources = fact_sources(fact)
    head = f"#### {_STATUS_ICON.get(status, '')} {status.upper()} {_code(fact.id)}"
    details = [f"{len(sources)} source" + ("" if len(sources) == 1 else "s")]
    if status != Status.UNIQUE.value and fact.score:
        details.append(f"score {fact.score:.2f}")
    lines = [head.replace("  ", " "), "", "_" + " · ".join(details) + "_", ""]
    if fact.reason:
        lines += [f"**Reason:** {md_escape(fact.reason)}", ""]
    for s in fact.statements:
        prefix = f"**\\[{md_escape(s.article)}\\]** " if with_article else ""
        lines += [f"> {prefix}{_statement_text(v, s)}", ""]
    if fact.entities:
        names = [v.entities[e].name if e in v.entities else e for e in fact.entities]
        lines += ["Entities: " + ", ".join(md_escape(n) for n in names), ""]
    return lines


def _header(v: View) -> list[str]:
    cov = v.coverage
    lines = ["# Coverage diff", "", f"**{md_escape(summary_line(cov))}**", ""]
    if cov.articles:
        lines += [
            "## Articles",
            "",
            "| id | title | language | source | date |",
            "|---|---|---|---|---|",
        ]
        for a in cov.articles:
            title = _cell(a.title or "(untitled)")
            if a.url and a.url.strip().lower().startswith(("http://", "https://")):
                safe_url = a.url.replace(" ", "%20").replace(")", "%29").replace("|", "%7C")
                title = f"[{title}](<{safe_url.replace('>', '%3E')}>)"
            lines.append(
                f"| {_code(a.id)} | {title} | {_cell(a.language)} | "
                f"{_cell(a.source)} | {_cell(iso_date(a.published))} |"
            )
        lines.append("")
    return lines


def _facts(v: View) -> list[str]:
    lines: list[str] = []
    conflicts = v.facts(Status.CONFLICT.value)
    lines += [f"## Conflicts ({len(conflicts)})", ""]
    if not conflicts:
        lines += ["_No conflicting figures or claims found._", ""]
    for fact in conflicts:
        lines += _fact(v, fact)
    shared = v.facts(Status.COMPATIBLE.value, Status.AGREED.value)
    shared.sort(key=lambda f: status_of(f) != Status.COMPATIBLE.value)
    if shared:
        lines += [f"## Agreed and compatible facts ({len(shared)})", ""]
        for fact in shared:
            lines += _fact(v, fact)
    groups = v.unique_by_article()
    if groups:
        total = sum(len(facts) for _, _, facts in groups)
        lines += [f"## Reported by one source only ({total})", ""]
        for article, article_id, facts in groups:
            title = (
                f" — {md_escape(article.title)}" if article is not None and article.title else ""
            )
            lines += [f"### {_code(article_id)}{title}", ""]
            for fact in facts:
                for s in fact.statements:
                    lines += [f"> {_statement_text(v, s)}", ">", f"> — {_code(fact.id)}", ""]
    return lines


def _entities(v: View) -> list[str]:
    prominent, rest = v.entities_split()
    if not prominent and not rest:
        return []
    lines = [f"## Entities ({len(prominent) + len(rest)})", ""]
    if prominent:
        lines += ["| entity | type | variants | articles | mentions |", "|---|---|---|---|---:|"]
        for e in prominent:
            variants = ", ".join(md_escape(x) for x in dict.fromkeys(e.variants))
            articles = ", ".join(_code(x) for x in dict.fromkeys(e.articles))
            lines.append(
                f"| **{_cell(e.name)}** | {_cell(e.type)} | {variants or ' '} | "
                f"{articles or ' '} | {len(e.mentions)} |"
            )
        lines.append("")
    if rest:
        listed = "; ".join(f"{md_escape(e.name)} ({md_escape(e.type)})" for e in rest)
        lines += [f"Also mentioned: {listed}", ""]
    return lines


def _quotes(v: View) -> list[str]:
    groups = v.quotes_by_speaker()
    if not groups:
        return []
    lines = [f"## Quotes ({sum(len(items) for _, items in groups)})", ""]
    for speaker, items in groups:
        lines += [f"### {md_escape(speaker)}", ""]
        for item in items:
            q = item.quote
            body = f"“{md_escape(q.text)}”" if q.direct else md_escape(q.text)
            extra = [md_escape(q.cue or "")]
            if q.speaker and q.speaker != item.speaker:
                extra.append(f"as “{md_escape(q.speaker)}”")
            if item.fact:
                extra.append(_code(item.fact))
            extras = " · ".join(x for x in extra if x)
            tail = f" ({extras})" if extras else ""
            lines.append(f"- **\\[{md_escape(item.article)}\\]** {body}{tail}")
        lines.append("")
    return lines


def _problems(v: View) -> list[str]:
    cov = v.coverage
    lines: list[str] = []
    if cov.failures:
        lines += [f"## Failures ({len(cov.failures)})", ""]
        for f in cov.failures:
            hint = f" — _{md_escape(f.hint)}_" if f.hint else ""
            lines.append(f"- {_code(f.path)}: {md_escape(f.reason)}{hint}")
        lines.append("")
    if cov.warnings:
        lines += [f"## Warnings ({len(cov.warnings)})", ""]
        lines += [f"- {md_escape(w)}" for w in cov.warnings]
        lines.append("")
    return lines


def render_markdown(coverage: Coverage) -> str:
    """The coverage diff as a GitHub-flavoured Markdown document."""
    v = view(coverage)
    lines = _header(v) + _facts(v) + _entities(v) + _quotes(v) + _problems(v)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
