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

# The console script pip installed beside this interpreter, as a user runs it.
SCRIPT = Path(sys.executable).with_name("ovphysx-shim")


def run(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "shim"]
    return subprocess.run([*command, *arguments], capture_output=True, text=True, check=False, env=dict(os.environ))


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


def test_doctor_names_the_schema_whose_absence_makes_the_engine_warn() -> None:
    """ovphysx 0.7 logs a long warning at every first load without newton-usd-schemas: doctor says what to install."""
    require("ovphysx")
    capabilities = shim.probe(import_ovphysx=True)
    result = run("doctor")
    wanted = capabilities.generation == "ovstage-task" and capabilities.newton_usd_schemas is None
    assert ("to fix             pip install newton-usd-schemas" in result.stdout) == wanted
    assert f"newton-usd-schemas {capabilities.newton_usd_schemas or '-'}" in result.stdout


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


@pytest.mark.parametrize(
    ("arguments", "named"),
    [
        (("demo", "--device", "tpu"), "'tpu' is not a device"),
        (("demo", "--device", "cuda:x"), "'cuda:x' is not a device"),
        (("run", "x.usda", "--steps", "-1"), "'-1' is not a number of steps"),
        (("run", "x.usda", "--dt", "0"), "'0' is not a time step"),
        (("run", "x.usda", "--dt", "nan"), "'nan' is not a time step"),
        (("demo", "--bodies", "two"), "'two' is not a number of bodies"),
    ],
)
def test_bad_arguments_are_usage_errors(arguments: tuple[str, ...], named: str) -> None:
    result = run(*arguments)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert named in result.stderr


def test_the_exit_codes_are_documented_in_help() -> None:
    from shim.cli import EXIT_CODES

    result = run("--help")
    for code, meaning in EXIT_CODES.items():
        assert f"{code} {meaning}" in " ".join(result.stdout.split())


@pytest.mark.parametrize(("make", "named"), [("missing", "no such file"), ("directory", "is a directory")])
def test_a_file_that_is_not_there_is_bad_input(tmp_path: Path, make: str, named: str) -> None:
    path = tmp_path / "scene.usda"
    if make == "directory":
        path.mkdir()
    result = run("run", str(path))
    assert result.returncode == 3
    assert result.stderr.strip().splitlines() == [
        f"ovphysx-shim: error: {path}: {named}; pass the path of a .usd, .usda or .usdc scene file"
    ]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bad.usdc", b"PXR-USDC" + bytes(range(256)) * 8),
        ("junk.usda", b"#usda 1.0\n(((( not usd"),
        ("junk.usd", b"\x00junk" * 64),
    ],
)
def test_a_file_usd_cannot_read_is_one_line_naming_it(tmp_path: Path, name: str, content: bytes) -> None:
    require("pxr")
    path = tmp_path / name
    path.write_bytes(content)
    result = run("run", str(path))
    assert result.returncode == 3, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("ovphysx-shim: error:")]
    assert line.startswith(f"ovphysx-shim: error: {path}: usd-core could not ")
    assert line.endswith("check it with usdchecker")
    debug = run("--debug", "run", str(path))
    assert "Traceback" in debug.stderr  # --debug shows where it came from


def test_a_closed_pipe_ends_quietly() -> None:
    """`ovphysx-shim doctor | head -1`: the reader goes away before the command writes."""
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "shim"]
    child = subprocess.Popen([*command, "doctor"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ))
    assert child.stdout is not None
    assert child.stderr is not None
    child.stdout.close()
    error = child.stderr.read().decode()
    child.wait(timeout=120)
    assert "Traceback" not in error
    assert "BrokenPipeError" not in error


def test_log_lines_name_their_origin() -> None:
    script = (
        "import logging\nfrom shim.cli.console import log_to_stderr\n"
        "log_to_stderr(debug=False)\n"
        "logging.getLogger('ovphysx').warning('from the engine')\n"
        "logging.getLogger('shim.loading').warning('from the shim')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stderr.splitlines() == ["ovphysx: WARNING: from the engine", "ovphysx-shim: WARNING: from the shim"]


def test_run_steps_a_file_and_reports_json(tmp_path: Path) -> None:
    require("ovphysx")
    require("pxr")
    from tests.fixtures.scenes import falling_cubes

    scene = tmp_path / "cubes.usda"
    falling_cubes(2).Export(str(scene))
    in_place = run("run", str(scene), "--steps", "120", "--json")
    assert in_place.returncode == 0, in_place.stderr[-3000:]
    report = json.loads(in_place.stdout)  # results alone on stdout: ovphysx's log lines go to stderr
    assert report["strategy"] is None
    assert report["clones"]["count"] == 0
    assert "only a pxr stage is cloned" in report["clones"]["reason"]
    assert sorted(report["poses"]) == ["/World/Cube_0", "/World/Cube_1"]
    assert [round(pose[2], 3) for pose in report["poses"].values()] == [0.5, 0.5]
    forced = run("run", str(scene), "--steps", "120", "--strategy", "fd")
    assert forced.returncode == 0, forced.stderr[-3000:]
    assert "with strategy=fd format=usda" in forced.stdout
    assert "/World/Cube_1" in forced.stdout
    assert report["physics"] == {"rigid_bodies": 2, "colliders": 3, "joints": 0, "articulations": 0}


ROBOT = """#usda 1.0
(
    defaultPrim = "Robot"
    upAxis = "Z"
    metersPerUnit = 1
)

def Xform "Robot" (
    prepend apiSchemas = ["PhysicsRigidBodyAPI", "PhysicsMassAPI"]
)
{
    double3 xformOp:translate = (0, 0, 2)
    uniform token[] xformOpOrder = ["xformOp:translate"]

    def Cube "Body" (
        prepend apiSchemas = ["PhysicsCollisionAPI"]
    )
    {
        double size = 1
    }
}
"""


def test_run_with_a_ground_lands_a_file_that_has_none(tmp_path: Path) -> None:
    """A robot file with no floor and no PhysicsScene: --ground gives it both, so it comes to rest."""
    require("ovphysx")
    require("pxr")
    robot = tmp_path / "robot.usda"
    robot.write_text(ROBOT)
    falling = json.loads(run("run", str(robot), "--steps", "120", "--json").stdout)
    assert falling["poses"]["/Robot"][2] < 0  # nothing to land on
    assert falling["ground"] is None
    grounded = run("run", str(robot), "--steps", "120", "--ground", "--json")
    assert grounded.returncode == 0, grounded.stderr[-3000:]
    report = json.loads(grounded.stdout)
    assert report["ground"] == pytest.approx(1.5 - 0.005)
    assert report["poses"]["/Robot"][2] == pytest.approx(report["ground"] + 0.5, abs=2e-3)  # resting on it
    assert report["physics"] == {"rigid_bodies": 1, "colliders": 2, "joints": 0, "articulations": 0}


def test_run_with_clones_makes_the_copies_in_the_engine(tmp_path: Path) -> None:
    require("ovphysx")
    require("pxr")
    if shim.probe(import_ovphysx=True).adapter.clone_keyword is None:  # type: ignore[union-attr]
        pytest.skip("this release's clone takes no pose")
    robot = tmp_path / "robot.usda"
    robot.write_text(ROBOT)
    result = run("run", str(robot), "--steps", "120", "--ground", "--clones", "4", "--json")
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["clones"] == {"source": "/World/envs/env_0", "count": 3, "reason": None}
    assert report["physics"]["rigid_bodies"] == 4
    poses = [report["poses"][f"/World/envs/env_{index}/Robot"] for index in range(4)]
    assert len({(round(pose[0], 3), round(pose[1], 3)) for pose in poses}) == 4  # apart from one another
    assert {round(pose[2], 3) for pose in poses} == {round(report["ground"] + 0.5, 3)}  # all landed


def test_a_scene_with_no_physics_gets_a_warning(tmp_path: Path) -> None:
    require("ovphysx")
    require("pxr")
    scene = tmp_path / "still.usda"
    scene.write_text('#usda 1.0\n(\n    defaultPrim = "A"\n)\n\ndef Xform "A"\n{\n    def Cube "B"\n    {\n    }\n}\n')
    result = run("run", str(scene), "--steps", "2")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "0 rigid bodies, 0 colliders, 0 joints, 0 articulations" in result.stdout
    assert f"ovphysx-shim: warning: {scene} has nothing physics simulates: nothing will move" in result.stderr


def test_run_refuses_what_is_not_a_scene_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a scene")
    result = run("run", str(notes))
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert "is not a .usd/.usda/.usdc file" in result.stderr
