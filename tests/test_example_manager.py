"""examples/ovphysx_manager.py end to end, as a user runs it, against the same manager written natively.

The example drives 16 robots for 120 steps through ``shim.Simulation``; ``tests.fixtures.native_managers``
does the same through the installed release's own API. Their final states must be bitwise equal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent
ENVS = 16
STEPS = 120


def _report(command: list[str]) -> dict[str, Any]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("manager-report: "))
    # The engine may print on the same stdout at exit: read the one JSON value and ignore what follows.
    report: dict[str, Any] = json.JSONDecoder().raw_decode(line.removeprefix("manager-report: "))[0]
    return report


@pytest.fixture(scope="module")
def reports() -> tuple[dict[str, Any], dict[str, Any]]:
    require("ovphysx")
    require("pxr")
    counts = ["--envs", str(ENVS), "--steps", str(STEPS)]
    example = _report([sys.executable, str(ROOT / "examples" / "ovphysx_manager.py"), *counts, "--json"])
    native = _report([sys.executable, "-m", "tests.fixtures.native_managers", *counts])
    return example, native


def test_the_example_ends_bitwise_where_the_releases_own_api_does(reports: tuple[dict[str, Any], ...]) -> None:
    example, native = reports
    assert (example["paths"] is None) == (native["paths"] is None)
    rows = range(ENVS) if native["paths"] is None else [native["paths"].index(path) for path in example["paths"]]
    for name in ("joint_positions", "joint_velocities", "link_poses"):
        assert example[name] == [native[name][row] for row in rows], name


def test_every_robot_is_there_stands_and_follows_its_targets(reports: tuple[dict[str, Any], ...]) -> None:
    import numpy

    import shim

    example, _ = reports
    positions = numpy.asarray(example["joint_positions"])
    links = numpy.asarray(example["link_poses"])
    assert positions.shape == (ENVS, 8)  # 8 driven leg joints per robot
    assert links.shape == (ENVS, 9, 7)  # a base and 8 leg links
    adapter = shim.probe(import_ovphysx=True).adapter
    assert adapter is not None
    assert example["clones"] == (ENVS - 1 if adapter.clone_keyword else 0)
    if example["paths"] is not None:  # 0.4.9+ name the rows of a pattern; the view sorts them
        assert example["paths"] == sorted(f"/World/envs/env_{index}/Robot" for index in range(ENVS))
    # Standing on the ground (the base starts at 0.8 m and settles on its legs), each in its own cell.
    assert numpy.all((links[:, 0, 2] > 0.3) & (links[:, 0, 2] < 0.9)), links[:, 0, 2]
    assert len({(round(x), round(y)) for x, y in links[:, 0, :2]}) == ENVS
    # Driven joints swing within the +-0.4 rad targets, and not all alike (each env has its own phase).
    assert numpy.all(numpy.abs(positions) < 0.6)
    assert numpy.ptp(positions[:, 0]) > 0.05
