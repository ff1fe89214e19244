"""examples/ovphysx_manager.py end to end, as a user runs it: 64 cloned envs, real physics."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require
from tests.golden import GOLDEN

ROOT = Path(__file__).resolve().parent.parent
ENVS = 64


def test_64_cloned_envs_fall_and_stack_in_place() -> None:
    require("ovphysx")
    require("pxr")
    sys.path.insert(0, str(ROOT / "examples"))
    try:
        from ovphysx_manager import env_origin
    finally:
        sys.path.pop(0)
    result = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "ovphysx_manager.py"), "--envs", str(ENVS), "--json"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("manager-report: "))
    report = json.loads(line.removeprefix("manager-report: "))
    import shim

    auto = str(GOLDEN[str(shim.probe().ovphysx)]["auto"])  # a few boxes, no meshes: fd/usda on 0.5-0.7
    assert report["strategy"] == auto.split("/", maxsplit=1)[0]
    poses = report["poses"]
    assert len(poses) == 2 * ENVS
    for index in range(ENVS):
        x, y = env_origin(index, ENVS, 3.0)
        base = poses[f"/World/envs/env_{index}/Base"]
        top = poses[f"/World/envs/env_{index}/Top"]
        # Dropped from 2 m and 4 m: the base rests on the ground, the top on the base, in its own env.
        assert base[:3] == pytest.approx([x, y, 0.5], abs=0.05), index
        assert top[:3] == pytest.approx([x, y, 1.5], abs=0.05), index
