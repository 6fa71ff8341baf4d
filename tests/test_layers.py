"""The import layers of the package: ``cli, web → collection → {pipeline, store} → stages →
model``. Nothing imports upward, no package cycle, no private name crosses a module, no
module grows past 500 lines, and every exception class lives in ``errors.py``. A new
back-edge fails the build here."""

from __future__ import annotations

import ast
import builtins
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "newsprism"

# Lower number = lower layer. A module may import its own unit and any unit of a lower
# layer; units of one layer may import each other as long as no cycle forms.
LAYERS: dict[str, int] = {
    # foundations: data types, errors, serialisation, small utilities
    "model": 0,
    "errors": 0,
    "timings": 0,
    "cache": 0,
    "version": 0,
    "serialize": 1,
    # stages: plain functions over articles
    "read": 2,
    "language": 2,
    "sentences": 2,
    "entities": 2,
    "quantities": 2,
    "quotes": 2,
    "dates": 2,
    "embed": 2,
    "link": 2,
    "dedupe": 2,
    "words": 2,
    "compare": 2,
    "stories": 2,
    "similarity": 2,
    "report": 2,
    # running the stages, and the one place with SQL
    "pipeline": 3,
    "store": 3,
    # the front object of a stored collection, and the evaluations
    "collection": 4,
    "evaluate": 4,
    # interfaces
    "cli": 5,
    "web": 5,
    "__main__": 6,
}
# ``store`` sees only what it stores: no stage, no pipeline.
STORE_MAY_IMPORT = {"model", "errors", "serialize", "timings", "version", "store"}
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, tuple[str, ...], int]]:
    """(imported module, imported names, line) for every newsprism import of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            names = tuple(a.name for a in node.names)
            if target == "newsprism" or target.startswith("newsprism."):
                for alias in names:  # ``from newsprism.x import module``
                    sub = f"{target}.{alias}"
                    if sub in MODULES:
                        found.append((sub, (), node.lineno))
                        names = tuple(n for n in names if n != alias)
                if names or target != "newsprism":
                    found.append((target, names, node.lineno))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("newsprism"):
                    found.append((alias.name, (), node.lineno))
    return found


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


EDGES = {name: _imports(name, path) for name, path in MODULES.items()}


def test_every_unit_has_a_layer() -> None:
    units = {_unit(m) for m in MODULES} - {""}
    assert units <= set(LAYERS), f"give these a layer in LAYERS: {sorted(units - set(LAYERS))}"


def test_nothing_imports_upward() -> None:
    bad = []
    for module, imports in EDGES.items():
        src = _unit(module)
        if not src:  # the package root is the public facade over every layer
            continue
        for target, _, line in imports:
            dst = _unit(target)
            if not dst:
                bad.append(f"{module}:{line} imports the package root (import the module)")
            elif dst != src and LAYERS[dst] > LAYERS[src]:
                bad.append(f"{module}:{line} imports {target} (layer {dst} is above {src})")
    assert not bad, "\n".join(bad)


def test_the_store_imports_only_what_it_stores() -> None:
    bad = [
        f"{m}:{line} imports {t}"
        for m, imports in EDGES.items()
        if _unit(m) == "store"
        for t, _, line in imports
        if _unit(t) not in STORE_MAY_IMPORT
    ]
    assert not bad, "\n".join(bad)


def test_errors_and_serialize_import_only_the_model() -> None:
    bad = [
        f"{m}:{line} imports {t}"
        for m in ("newsprism.errors", "newsprism.serialize")
        for t, _, line in EDGES[m]
        if t != "newsprism.model"
    ]
    assert not bad, "\n".join(bad)


def test_no_cycle_between_units() -> None:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, imports in EDGES.items():
        for target, _, _ in imports:
            if _unit(module) and _unit(target) and _unit(module) != _unit(target):
                graph[_unit(module)].add(_unit(target))
    cycles = []
    for start in list(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*path, start]))
                elif nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    assert not cycles, "\n".join(sorted(set(cycles)))


def test_no_private_name_crosses_a_module() -> None:
    bad = [
        f"{m}:{line} imports {name} from {t}"
        for m, imports in EDGES.items()
        for t, names, line in imports
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not bad, "\n".join(bad)


def test_no_private_module_is_imported_from_another_package() -> None:
    bad = [
        f"{m}:{line} imports {t}"
        for m, imports in EDGES.items()
        for t, _, line in imports
        if any(p.startswith("_") and not p.startswith("__") for p in t.split("."))
        and t.rpartition(".")[0] != m.rpartition(".")[0]
    ]
    assert not bad, "\n".join(bad)


def test_sql_only_in_the_store() -> None:
    bad = []
    for module, path in MODULES.items():
        if _unit(module) == "store":
            continue
        text = path.read_text(encoding="utf-8")
        for word in ("import sqlite3", ".execute(", "BEGIN IMMEDIATE", ".executemany("):
            if word in text:
                bad.append(f"{module}: {word}")
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module: str) -> None:
    lines = len(MODULES[module].read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module} has {lines} lines: split it by concern"


ERROR_NAMES = {
    name
    for name, value in vars(builtins).items()
    if isinstance(value, type) and issubclass(value, BaseException)
} | {
    node.name
    for node in ast.parse(MODULES["newsprism.errors"].read_text(encoding="utf-8")).body
    if isinstance(node, ast.ClassDef)
}
"""Python's exception classes and those of ``errors.py``."""


def _exception_classes(source: str) -> list[str]:
    """``name:line`` of each class in ``source`` whose bases name an exception class
    (Python's, one of ``errors.py``, or any name ending in ``Error`` or ``Exception``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", "")
            if name in ERROR_NAMES or name.endswith(("Error", "Exception")):
                found.append(f"{node.name}:{node.lineno}")
                break
    return found


def test_the_exception_finder_sees_every_kind_of_base() -> None:
    source = (
        "class A(ValueError): pass\n"
        "class B(errors.InputError): pass\n"
        "class C(NotFound): pass\n"
        "class D(httpx.HTTPError): pass\n"
        "class E: pass\n"
        "class F(Protocol): pass\n"
    )
    assert _exception_classes(source) == ["A:1", "B:2", "C:3", "D:4"]


def test_only_errors_defines_exceptions() -> None:
    bad = [
        f"{module}: {found} (define it in newsprism/errors.py)"
        for module, path in MODULES.items()
        if module != "newsprism.errors"
        for found in _exception_classes(path.read_text(encoding="utf-8"))
    ]
    assert not bad, "\n".join(bad)
