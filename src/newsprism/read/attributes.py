"""Bounding the attributes of HTML tags before the page is parsed.

The HTML parser behind trafilatura compares each attribute of a tag with the ones before
it (duplicates are dropped), and trafilatura's date search looks at every attribute: a tag
with 100,000 attributes costs minutes. :func:`cap_attributes` keeps the first
``limit`` attributes of each tag and drops the rest, in one pass of linear time. Real
pages have a few dozen attributes on a tag at most, so they come out unchanged.
"""

from __future__ import annotations

import re

__all__ = ["MAX_ATTRIBUTES", "cap_attributes"]

MAX_ATTRIBUTES = 100

# A start tag; it ends at the next ``>`` and never runs over another ``<``, so that each
# character is looked at a bounded number of times (an unclosed ``<a`` ends the scan at
# the next tag). A tag with a ``<`` or ``>`` inside a quoted value is not matched, and
# stays as written.
_TAG = re.compile(r"<[A-Za-z][^<>]*+>")
# One attribute: a name, and optionally ``=`` and a quoted or bare value.
_ATTRIBUTE = re.compile(r"""\s+[^\s=>/"']++(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]++))?""")


def cap_attributes(html: str, limit: int = MAX_ATTRIBUTES) -> str:
    """``html`` with at most ``limit`` attributes on each start tag (the first ones)."""
    if len(html) < 2 * limit:
        return html

    def cap(match: re.Match[str]) -> str:
        tag = match.group(0)
        if len(tag) < 2 * limit:
            return tag  # each attribute takes at least two characters
        ends = (m.end() for m in _ATTRIBUTE.finditer(tag))
        for count, end in enumerate(ends, 1):
            if count == limit:
                if not any(True for _ in ends):
                    return tag  # exactly ``limit`` attributes
                return tag[:end] + ("/>" if tag.endswith("/>") else ">")
        return tag

    return _TAG.sub(cap, html)
