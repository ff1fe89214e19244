"""The package's shape from its source: modules, their sizes, and the import graph with its cycles.

    python -m tools.architecture            # print the modules by size and any import cycle

Standard library only: the imports are read with ``ast``, nothing is imported.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def modules(package: str) -> dict[str, Path]:
    """Every module of ``package`` by dotted name (a package by its ``__init__``)."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imports(path: Path, known: set[str], *, top_level_only: bool) -> set[str]:
    """The modules of ``known`` that ``path`` imports (a ``from x import y`` of a submodule counts as x.y)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name in known)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in known else node.module)
    return {name for name in found if name in known}


def cycles(package: str, *, top_level_only: bool) -> list[list[str]]:
    """Every elementary import cycle between the modules of ``package``, as found by a depth-first walk."""
    known = modules(package)
    graph = {name: imports(path, set(known), top_level_only=top_level_only) - {name} for name, path in known.items()}
    # A package imports its own submodules to re-export them; that is not a cycle of dependencies.
    graph = {name: {t for t in targets if not t.startswith(name + ".")} for name, targets in graph.items()}
    found: list[list[str]] = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for target in sorted(graph[node]):
                if target == start:
                    found.append(path)
                elif target not in path and target > start:
                    stack.append((target, [*path, target]))
    return found


#: What the release's own objects are called in the shim's code.
RELEASE_OBJECTS = re.compile(r"\b(ovphysx|physx|ovstage|population|binding)\b", re.IGNORECASE)


def release_questions(path: Path) -> list[str]:
    """Where ``path`` asks what the installed release has: a ``hasattr``, a defaulted ``getattr`` or
    an ``inspect.signature`` on one of its objects, or its version, as ``line: code``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        called = ast.unparse(node.func)
        probes = called == "hasattr" or (called == "getattr" and len(node.args) == 3)
        probes = probes or called.endswith(("signature", "version"))
        if probes and RELEASE_OBJECTS.search(ast.unparse(node.args[0])):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def sizes(package: str) -> dict[str, int]:
    return {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in modules(package).items()}


def main() -> int:
    for package in ("shim", "lazy"):
        by_size = sorted(sizes(package).items(), key=lambda item: -item[1])
        print(f"{package}: {len(by_size)} modules, {sum(n for _, n in by_size):,} lines; largest:")
        for name, lines in by_size[:5]:
            print(f"  {lines:5} {name}")
        for kind, top in (("module-level", True), ("any (deferred imports too)", False)):
            found = cycles(package, top_level_only=top)
            print(f"  import cycles, {kind}: {len(found)}" + "".join(f"\n    {' -> '.join(c)}" for c in found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
