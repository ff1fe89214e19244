"""The ovphysx-shim command, run as a user runs it (a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import lazy
import shim
from tests.conftest import require
from tests.golden import GOLDEN


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shim", *arguments], capture_output=True, text=True, check=False, env=dict(os.environ)
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"ovphysx-shim {shim.__version__}"


def test_doctor_reports_every_route() -> None:
    result = run("doctor")
    for route in ("tempfile/usdc", "fd/usda", "tempfile/usda", "string/usda", "bytes/usda"):
        assert route in result.stdout
    if lazy.available("ovphysx"):
        assert result.returncode == 0, result.stderr
        assert "ok  tempfile/usdc" in result.stdout
    else:
        assert result.returncode == 1  # nothing can load a scene here
        assert "pip install 'ovphysx-shim[ovphysx]'" in result.stdout


def test_doctor_states_the_auto_rule_of_this_release() -> None:
    """The best route here, and the rule in words."""
    require("ovphysx")
    from shim.strategies import AUTO_RULE

    golden = GOLDEN[str(shim.probe().ovphysx)]
    result = run("doctor")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    (at,) = [index for index, line in enumerate(lines) if line.startswith("auto choice")]
    assert lines[at].split()[2] == golden["auto_mesh"]
    assert lines[at + 1] == f"auto rule          {AUTO_RULE}"


def test_doctor_json() -> None:
    result = run("doctor", "--json")
    report = json.loads(result.stdout[result.stdout.index("{") :])
    assert report["ovphysx"] == (lazy.available("ovphysx").version if lazy.available("ovphysx") else None)
    assert set(report["routes"]) == {"tempfile/usdc", "fd/usda", "tempfile/usda", "string/usda", "bytes/usda"}


def test_demo_steps_a_scene_and_leaves_nothing() -> None:
    require("ovphysx")
    require("pxr")
    result = run("demo", "--bodies", "3", "--steps", "120")
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    strategy, fmt = str(GOLDEN[str(shim.probe().ovphysx)]["auto"]).split("/")  # a box stack: no meshes
    assert f"loaded with strategy={strategy} format={fmt}" in "\n".join(lines)
    resting = [line for line in lines if line.strip().startswith("/World/Cube_")]
    assert len(resting) == 3
    heights = [float(line.split("z=")[1]) for line in resting]
    assert heights == pytest.approx([0.5, 1.5, 2.5], abs=0.01)  # dropped onto each other: a stack at rest
    assert any("0 files of this process before the load, 0 after" in line for line in lines)


def test_errors_are_one_line_without_traceback() -> None:
    result = run("demo", "--device", "tpu")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "'tpu'" in result.stderr


def test_run_steps_a_file_and_reports_json(tmp_path: Path) -> None:
    require("ovphysx")
    require("pxr")
    from tests.fixtures.scenes import falling_cubes

    scene = tmp_path / "cubes.usda"
    falling_cubes(2).Export(str(scene))
    in_place = run("run", str(scene), "--steps", "120", "--json")
    assert in_place.returncode == 0, in_place.stderr[-3000:]
    report = json.loads(in_place.stdout)  # results alone on stdout: ovphysx's log lines go to stderr
    assert report["strategy"] == "path"
    assert report["clones"]["count"] == 0
    assert "only a pxr stage is cloned" in report["clones"]["reason"]
    assert sorted(report["poses"]) == ["/World/Cube_0", "/World/Cube_1"]
    assert [round(pose[2], 3) for pose in report["poses"].values()] == [0.5, 0.5]
    forced = run("run", str(scene), "--steps", "120", "--strategy", "fd")
    assert forced.returncode == 0, forced.stderr[-3000:]
    assert "loaded with strategy=fd format=usda" in forced.stdout
    assert "/World/Cube_1" in forced.stdout


def test_run_refuses_what_is_not_a_scene_file(tmp_path: Path) -> None:
    result = run("run", str(tmp_path / "notes.txt"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "is not a .usd/.usda/.usdc file" in result.stderr
