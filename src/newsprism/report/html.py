"""Self-contained HTML5 rendering of a :class:`Coverage`.

One page, inline CSS, no scripts and no external resources, so it can be
archived, mailed or printed as is. All source text goes through
:func:`html.escape`; statements carry the ``lang`` of their article; the
statements of a fact sit side by side (CSS grid) and figures are ``<mark>``-ed.
"""

from __future__ import annotations

import html
import re

from newsprism.model import Coverage, Fact, Statement, Status
from newsprism.report.common import View, fact_sources, iso_date, status_of, summary_line, view

__all__ = ["render_html"]

_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")

_CSS = """
:root{--conflict:#c62828;--compatible:#b26a00;--agreed:#2e7d32;--unique:#616161;
--line:#d9d9d9;--soft:#f6f6f6;--ink:#1d1d1d;--muted:#666}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;
color:var(--ink);background:#fff}
main{max-width:72rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{margin-top:2.25rem;border-bottom:2px solid var(--line);
padding-bottom:.25rem}h3{margin:1.25rem 0 .5rem}
.summary{font-weight:600}.muted,.meta{color:var(--muted);font-size:.875rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--soft)}td.num{text-align:right}td.c{text-align:center}
.scroll{overflow-x:auto}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85em}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:.75rem;color:#fff;
font-size:.75rem;font-weight:700;text-transform:uppercase;letter-spacing:.03em;
border:1px solid transparent;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.badge.conflict{background:var(--conflict)}.badge.compatible{background:var(--compatible)}
.badge.agreed{background:var(--agreed)}.badge.unique{background:var(--unique)}
.fact{border:1px solid var(--line);border-left:6px solid var(--unique);border-radius:.4rem;
padding:.6rem .9rem;margin:1rem 0;break-inside:avoid;page-break-inside:avoid}
.fact.conflict{border-left-color:var(--conflict)}.fact.compatible{border-left-color:var(--compatible)}
.fact.agreed{border-left-color:var(--agreed)}
.fact header{display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}
.reason{margin:.4rem 0;font-weight:600}
.statements{display:grid;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr));gap:.75rem;
margin-top:.5rem}
blockquote{margin:0;padding:.5rem .75rem;background:var(--soft);border-radius:.3rem}
blockquote p{margin:.2rem 0}
.src{font-weight:700;font-size:.85rem}
mark{background:#ffe082;padding:0 .1em;border-radius:.15em;font-weight:600;
-webkit-print-color-adjust:exact;print-color-adjust:exact}
ul.quotes{list-style:none;padding-left:0}ul.quotes li{margin:.35rem 0}
.failure{color:var(--conflict)}
footer.page{margin-top:3rem;color:var(--muted);font-size:.8rem}
@media print{body{font-size:10pt}main{max-width:none;padding:0}.scroll{overflow:visible}
a{color:inherit;text-decoration:none}h2{break-after:avoid}
.statements{grid-template-columns:repeat(auto-fit,minmax(12rem,1fr))}}
"""


def _e(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def _lang_attr(language: str | None) -> str:
    if language and _LANG.match(language):
        return f' lang="{_e(language)}"'
    return ""


def _anchor(fact_id: str) -> str:
    return "fact-" + re.sub(r"[^A-Za-z0-9_.:-]", "_", fact_id)


def _badge(status: str) -> str:
    return f'<span class="badge {_e(status)}">{_e(status)}</span>'


def _statement_html(v: View, statement: Statement) -> str:
    return "".join(
        f"<mark>{_e(seg.text)}</mark>" if seg.figure else _e(seg.text)
        for seg in v.segments(statement)
    )


def _statement_block(v: View, statement: Statement, *, with_article: bool = True) -> str:
    article = v.articles.get(statement.article)
    lang = _lang_attr(article.language if article is not None else None)
    src = ""
    if with_article:
        label = f"[{statement.article}]"
        if article is not None and article.source:
            label += f" {article.source}"
        src = f'<div class="src">{_e(label)}</div>'
    where = f"sentence {statement.sentence} · chars {statement.start}–{statement.end}"
    return (
        f"<blockquote{lang}>{src}<p>{_statement_html(v, statement)}</p>"
        f'<div class="meta" lang="en">{_e(where)}</div></blockquote>'
    )


def _fact(v: View, fact: Fact, *, with_article: bool = True) -> str:
    status = status_of(fact)
    sources = fact_sources(fact)
    details = [f"{len(sources)} source" + ("" if len(sources) == 1 else "s")]
    if status != Status.UNIQUE.value and fact.score:
        details.append(f"score {fact.score:.2f}")
    parts = [
        f'<article class="fact {_e(status)}" id="{_e(_anchor(fact.id))}">',
        f"<header>{_badge(status)} <code>{_e(fact.id)}</code>"
        f'<span class="meta">{_e(" · ".join(details))}</span></header>',
    ]
    if fact.reason:
        parts.append(f'<p class="reason">Reason: {_e(fact.reason)}</p>')
    blocks = "".join(_statement_block(v, s, with_article=with_article) for s in fact.statements)
    parts.append(f'<div class="statements">{blocks}</div>')
    if fact.entities:
        names = [v.entities[e].name if e in v.entities else e for e in fact.entities]
        parts.append(f'<p class="meta">Entities: {_e(", ".join(names))}</p>')
    parts.append("</article>")
    return "\n".join(parts)


def _articles(v: View) -> str:
    rows = []
    for a in v.coverage.articles:
        title = _e(a.title or "(untitled)")
        if a.url and a.url.lower().startswith(("http://", "https://")):
            title = f'<a href="{_e(a.url)}">{title}</a>'
        rows.append(
            f"<tr><td><code>{_e(a.id)}</code></td><td{_lang_attr(a.language)}>{title}</td>"
            f"<td>{_e(a.language or '?')}</td><td>{_e(a.source or '')}</td>"
            f"<td>{_e(iso_date(a.published) or '')}</td><td class=num>{len(a.sentences)}</td></tr>"
        )
    head = "<tr><th>id</th><th>title</th><th>language</th><th>source</th><th>date</th>"
    head += "<th>sentences</th></tr>"
    return f"<h2>Articles</h2>\n<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _matrix(v: View) -> str:
    cov = v.coverage
    if not cov.facts or not cov.articles:
        return ""
    head = "<tr><th>fact</th><th>status</th>" + "".join(
        f'<th title="{_e(a.title)}"><code>{_e(a.id)}</code></th>' for a in cov.articles
    )
    rows = []
    for fact in cov.facts:
        cells = "".join(
            '<td class="c">✓</td>' if v.carries(a.id, fact) else '<td class="c"></td>'
            for a in cov.articles
        )
        rows.append(
            f'<tr><td><a href="#{_e(_anchor(fact.id))}"><code>{_e(fact.id)}</code></a></td>'
            f"<td>{_badge(status_of(fact))}</td>{cells}</tr>"
        )
    totals = "".join(
        f'<td class="c">{sum(v.carries(a.id, f) for f in cov.facts)}</td>' for a in cov.articles
    )
    rows.append(f"<tr><th colspan=2>facts per article</th>{totals}</tr>")
    return (
        "<h2>Coverage matrix</h2>\n"
        '<p class="muted">✓ where an article carries a fact.</p>\n'
        f'<div class="scroll"><table><thead>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _facts(v: View) -> str:
    out: list[str] = []
    conflicts = v.facts(Status.CONFLICT.value)
    out.append(f"<h2>Conflicts ({len(conflicts)})</h2>")
    if not conflicts:
        out.append('<p class="muted">No conflicting figures or claims found.</p>')
    out += [_fact(v, f) for f in conflicts]
    shared = v.facts(Status.COMPATIBLE.value, Status.AGREED.value)
    shared.sort(key=lambda f: status_of(f) != Status.COMPATIBLE.value)
    if shared:
        out.append(f"<h2>Agreed and compatible facts ({len(shared)})</h2>")
        out += [_fact(v, f) for f in shared]
    groups = v.unique_by_article()
    if groups:
        total = sum(len(facts) for _, _, facts in groups)
        out.append(f"<h2>Reported by one source only ({total})</h2>")
        for article, article_id, facts in groups:
            title = f" — {_e(article.title)}" if article is not None and article.title else ""
            out.append(f"<h3><code>{_e(article_id)}</code>{title}</h3>")
            out += [_fact(v, f, with_article=False) for f in facts]
    return "\n".join(out)


def _entities(v: View) -> str:
    prominent, rest = v.entities_split()
    if not prominent and not rest:
        return ""
    out = [f"<h2>Entities ({len(prominent) + len(rest)})</h2>"]
    if prominent:
        rows = "".join(
            f"<tr><td><strong>{_e(e.name)}</strong></td><td>{_e(e.type)}</td>"
            f"<td>{_e(', '.join(dict.fromkeys(e.variants)))}</td>"
            f"<td>{_e(', '.join(dict.fromkeys(e.articles)))}</td>"
            f"<td class=num>{len(e.mentions)}</td></tr>"
            for e in prominent
        )
        out.append(
            "<table><thead><tr><th>entity</th><th>type</th><th>variants</th><th>articles</th>"
            f"<th>mentions</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    if rest:
        listed = "; ".join(f"{e.name} ({e.type})" for e in rest)
        out.append(f'<p class="muted">Also mentioned: {_e(listed)}</p>')
    return "\n".join(out)


def _quotes(v: View) -> str:
    groups = v.quotes_by_speaker()
    if not groups:
        return ""
    out = [f"<h2>Quotes ({sum(len(items) for _, items in groups)})</h2>"]
    for speaker, items in groups:
        out.append(f"<h3>{_e(speaker)}</h3>\n<ul class=quotes>")
        for item in items:
            q = item.quote
            lang = _lang_attr(v.language(item.article))
            body = f"<q{lang}>{_e(q.text)}</q>" if q.direct else f"<span{lang}>{_e(q.text)}</span>"
            extra = [_e(q.cue or "")]
            if q.speaker and q.speaker != item.speaker:
                extra.append(f"as “{_e(q.speaker)}”")
            if item.fact:
                extra.append(f'<a href="#{_e(_anchor(item.fact))}">{_e(item.fact)}</a>')
            extras = " · ".join(x for x in extra if x)
            tail = f' <span class="meta">({extras})</span>' if extras else ""
            out.append(f'<li><span class="src">[{_e(item.article)}]</span> {body}{tail}</li>')
        out.append("</ul>")
    return "\n".join(out)


def _problems(v: View) -> str:
    cov = v.coverage
    out: list[str] = []
    if cov.failures:
        out.append(f"<h2>Failures ({len(cov.failures)})</h2>\n<ul>")
        for f in cov.failures:
            hint = f' <span class="muted">— {_e(f.hint)}</span>' if f.hint else ""
            out.append(f'<li class="failure"><code>{_e(f.path)}</code>: {_e(f.reason)}{hint}</li>')
        out.append("</ul>")
    if cov.warnings:
        out.append(f"<h2>Warnings ({len(cov.warnings)})</h2>\n<ul>")
        out += [f"<li>{_e(w)}</li>" for w in cov.warnings]
        out.append("</ul>")
    return "\n".join(out)


def render_html(coverage: Coverage, *, title: str = "Coverage diff") -> str:
    """The coverage diff as one self-contained HTML5 page."""
    v = view(coverage)
    sections = [
        _articles(v) if coverage.articles else "",
        _matrix(v),
        _facts(v),
        _entities(v),
        _quotes(v),
        _problems(v),
    ]
    body = "\n".join(s for s in sections if s)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="newsprism">\n'
        f"<title>{_e(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{_e(title)}</h1>\n"
        f'<p class="summary">{_e(summary_line(coverage))}</p>\n'
        f"{body}\n"
        '<footer class="page">Generated by newsprism. Offsets are character positions '
        "in each article's cleaned text.</footer>\n"
        "</main>\n</body>\n</html>\n"
    )
