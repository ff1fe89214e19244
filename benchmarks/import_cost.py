"""Import cost of the lazy facade and its peers: median of fresh interpreters, -X importtime.

    python -m benchmarks.import_cost [--runs 20] [--json out.json]

Each row imports one module in a fresh interpreter with ``-X importtime`` and
sums the cumulative microseconds of the top-level imports that statement
triggered (interpreter start-up is excluded). A module that is not installed
is listed as such. The OmniGibson row is a stand-in written here that works as
OmniGibson's ``lazy.py`` does (a ModuleType subclass that replaces its own
``sys.modules`` entry and imports one dotted level per attribute).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

OMNIGIBSON_STYLE = """
import importlib
import sys
from types import ModuleType


class _Importer(ModuleType):
    def __init__(self, path):
        super().__init__("og_style_lazy_" + path)
        self._path, self._children, self._not_module = path, {}, set()

    def __getattr__(self, name):
        full = f"{self._path}.{name}" if self._path else name
        if name not in self._not_module:
            if full not in self._children:
                try:
                    self._children[full] = _Importer(full)
                    importlib.import_module(full)
                except ModuleNotFoundError:
                    del self._children[full]
                    self._not_module.add(name)
            if full in self._children:
                return self._children[full]
        raise AttributeError(name)


sys.modules[__name__] = _Importer("")
"""

CANDIDATES = {
    "lazy (this project)": "lazy",
    "shim (this project)": "shim",
    "lazy_loader": "lazy_loader",
    "OmniGibson-style lazy (stand-in)": "og_style_lazy",
    "importlib.util (LazyLoader's home)": "importlib.util",
    "pxr (usd-core, plain import)": "pxr",
    "pxr.Usd (usd-core, plain import)": "pxr.Usd",
}


def import_microseconds(module: str, extra_path: str) -> int | None:
    """Microseconds that `import module` spent importing modules, or None if it is not importable."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": extra_path, "PATH": "/usr/bin:/bin"},
        check=False,
    )
    if result.returncode != 0:
        return None
    rows = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    # Start-up imports end with `site`; the rows after it belong to our statement.
    site_rows = [i for i, line in enumerate(rows) if line.rstrip().endswith("| site")]
    ours = rows[site_rows[-1] + 1 :] if site_rows else rows[1:]
    total = 0
    for line in ours:
        _, cumulative, name = (field.strip() for field in line.removeprefix("import time:").split("|"))
        depth = (len(line.rsplit("|", 1)[1]) - len(line.rsplit("|", 1)[1].lstrip())) // 2
        if depth == 0 and name:
            total += int(cumulative)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", type=Path)
    arguments = parser.parse_args()
    repository = Path(__file__).resolve().parent.parent
    rows: dict[str, dict[str, float] | None] = {}
    with tempfile.TemporaryDirectory() as stand_ins:
        Path(stand_ins, "og_style_lazy.py").write_text(OMNIGIBSON_STYLE)
        extra_path = f"{repository}:{stand_ins}:" + ":".join(p for p in sys.path if "site-packages" in p)
        for label, module in CANDIDATES.items():
            samples = [import_microseconds(module, extra_path) for _ in range(arguments.runs)]
            measured = [s for s in samples if s is not None]
            rows[label] = (
                {
                    "median_ms": statistics.median(measured) / 1000,
                    "min_ms": min(measured) / 1000,
                    "max_ms": max(measured) / 1000,
                }
                if measured
                else None
            )
    print(f"Import cost, median of {arguments.runs} fresh interpreters (Python {sys.version.split()[0]})")
    print(f"| {'import':36} | median ms | min ms | max ms |")
    print(f"|{'-' * 38}|-----------|--------|--------|")
    for label, row in rows.items():
        if row is None:
            print(f"| {label:36} | not installed |")
        else:
            print(f"| {label:36} | {row['median_ms']:9.3f} | {row['min_ms']:6.3f} | {row['max_ms']:6.3f} |")
    if arguments.json:
        arguments.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
