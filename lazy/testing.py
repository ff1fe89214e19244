"""Test helpers: prove that importing a package leaves heavy modules unloaded."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence

__all__ = ["ImportReport", "assert_import_isolated", "import_report"]

DEFAULT_FORBIDDEN = ("pxr", "ovphysx", "ovstage", "warp", "numpy")

# Run in the child: import the module under -X importtime, then report which
# forbidden modules ended up in sys.modules (some packages plant entries there
# without an import statement, e.g. ovphysx 0.4.13's pxr stubs).
# The harness imports nothing before the snapshot (``sys`` is loaded in every interpreter), so
# whatever it would load itself cannot hide among the modules the module under test loads.
_CHILD = """
import sys
before = set(sys.modules)
import {module}
print(repr(sorted(set(sys.modules) - before)))
"""


class ImportReport:
    """The modules that one fresh ``import module`` added, in import order, with their importers."""

    def __init__(self, module: str, importtime_stderr: str, modules: Sequence[str]) -> None:
        self.module = module
        self.modules = list(modules)
        # -X importtime prints a module after everything it imported, indented
        # one step deeper per level, so a module's importer is the next line
        # with a smaller indent.
        self._rows: list[tuple[int, str]] = []
        for line in importtime_stderr.splitlines():
            if not line.startswith("import time:") or line.endswith("| package"):
                continue
            field = line.rsplit("|", 1)[1]
            name = field.lstrip()
            self._rows.append(((len(field) - len(name)) // 2, name.strip()))

    def chain(self, name: str) -> list[str]:
        """Importer chain that brought ``name`` in, outermost first, e.g. ``[shim, shim._x, numpy]``."""
        for index, (row_depth, row_name) in enumerate(self._rows):
            if row_name != name:
                continue
            chain, depth = [name], row_depth
            for later_depth, later_name in self._rows[index + 1 :]:
                if later_depth < depth:
                    chain.append(later_name)
                    depth = later_depth
            return chain[::-1]
        return [name]

    def loaded(self, forbid: Iterable[str]) -> list[str]:
        """The loaded modules that are, or are inside, a forbidden package."""
        prefixes = tuple(forbid)
        in_import_order = [name for _, name in self._rows]
        in_import_order += sorted(set(self.modules) - set(in_import_order))
        return [
            name
            for name in in_import_order
            if name in self.modules and any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)
        ]


def import_report(module: str, *, env: dict[str, str] | None = None) -> ImportReport:
    """Import ``module`` in a fresh interpreter (this one's executable and sys.path) and report."""
    child_env = dict(os.environ if env is None else env)
    child_env["PYTHONPATH"] = os.pathsep.join(p for p in sys.path if p)
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", _CHILD.format(module=module)],
        capture_output=True,
        text=True,
        env=child_env,
        check=False,
    )
    if result.returncode != 0:
        raise AssertionError(f"`import {module}` failed in a fresh interpreter:\n{result.stderr[-4000:]}")
    return ImportReport(module, result.stderr, ast.literal_eval(result.stdout.strip().splitlines()[-1]))


def assert_import_isolated(module: str, forbid: Iterable[str] = DEFAULT_FORBIDDEN) -> None:
    """Fail, naming the import chain, if a fresh ``import module`` loads a forbidden module."""
    forbidden = tuple(forbid)
    report = import_report(module)
    offenders = report.loaded(forbidden)
    if offenders:
        first = offenders[0]
        chain = " -> ".join(report.chain(first))
        raise AssertionError(
            f"`import {module}` loaded forbidden module {first!r} via {chain} "
            f"(all forbidden modules loaded: {', '.join(offenders)})"
        )
