"""Which members of a story to compare when it has more than a comparison can take."""

from __future__ import annotations

from collections.abc import Callable

from newsprism.store import Store

__all__ = ["pick_members"]


def pick_members(store: Store, ids: list[str], limit: int) -> list[str]:
    """Up to ``limit`` members, spreading over sources and languages, oldest first."""
    if len(ids) <= limit:
        return ids
    rows = {i: (a.source or i, a.language or "") for i, a in store.infos(ids).items()}
    chosen: list[str] = []
    seen: set[tuple[str, str]] = set()
    rules: tuple[Callable[[str], tuple[str, str]], ...] = (
        lambda k: rows[k],
        lambda k: ("", rows[k][1]),
        lambda k: ("", k),
    )
    for rule in rules:
        for ident in ids:
            key = rule(ident)
            if len(chosen) < limit and ident not in chosen and key not in seen:
                chosen.append(ident)
                seen.add(key)
    return chosen
