"""Isaac Lab 3.0's own ``OvPhysxManager``, as shipped and routed through the shim (the ``isaaclab300`` envs).

Each run is a fresh process (``tests/fixtures/isaaclab_cases.py``) on the installed Isaac Lab.
On the release Isaac Lab pins (0.6.4), the routes must agree bitwise at every step with Isaac Lab
as shipped: poses, velocities, joint state, observations. On ovphysx 0.7.0, where Isaac Lab as
shipped cannot run, each route must repeat itself bitwise and agree with 0.6.4's results.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.fixtures.isaaclab_cases import REPORT

ROOT = Path(__file__).resolve().parent.parent
CASES = [
    ("cube", 0),
    ("cartpole-scene", 16),
    ("cartpole-scene", 256),
    ("cartpole-tendon", 4),
    ("cartpole-env", 64),
    ("so101", 1),
    ("so101", 16),
]
SHIM_ROUTES = ("shim", "shim-physics")
# Where the 0.6.4 env leaves each case's final state, for the 0.7.0 env to compare with.
RESULTS = Path(os.environ.get("SHIM_RESULTS_DIR", ROOT / "results")) / "isaaclab"


PINNED = "0.6.4.72118723"  # the ovphysx Isaac Lab 3.0.0 pins


def installed_ovphysx() -> str:
    from importlib import metadata

    return metadata.version("ovphysx")


def shipped_runs_here() -> bool:
    """Whether Isaac Lab as shipped runs on the installed ovphysx (0.7 removed calls it makes)."""
    return not installed_ovphysx().startswith("0.7.")


def run_case(
    case: str, route: str, count: int, *, extra_path: str | None = None, extra_arguments: Sequence[str] = ()
) -> dict[str, Any]:
    """One Isaac Lab run in a fresh process; its report."""
    path = os.pathsep.join(filter(None, [extra_path, str(ROOT)]))
    done = subprocess.run(
        [sys.executable, "-m", "tests.fixtures.isaaclab_cases", case, route, str(count), *extra_arguments],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": path},
        timeout=900,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith(REPORT)]
    assert done.returncode == 0, f"{case} {route}: exit {done.returncode}\n{done.stderr[-4000:]}"
    assert lines, f"{case} {route}: no report\n{done.stdout[-2000:]}"
    report: dict[str, Any] = json.loads(lines[-1][len(REPORT) :])
    return report


@pytest.fixture(scope="module")
def runs() -> dict[tuple[str, str, int], dict[str, Any]]:
    require("isaaclab_ov")
    return {}


def _run(runs: dict[tuple[str, str, int], dict[str, Any]], case: str, route: str, count: int) -> dict[str, Any]:
    if (case, route, count) not in runs:
        runs[case, route, count] = run_case(case, route, count)
    return runs[case, route, count]


def _reference(runs: dict[tuple[str, str, int], dict[str, Any]], case: str, count: int) -> dict[str, Any]:
    """Isaac Lab as shipped where it runs; elsewhere a second run through the shim, which must repeat itself."""
    return _run(runs, case, "shipped" if shipped_runs_here() else "shim-again", count)


@pytest.mark.parametrize("route", SHIM_ROUTES)
@pytest.mark.parametrize(("case", "count"), CASES)
def test_the_shim_route_is_bitwise_the_reference(
    runs: dict[tuple[str, str, int], dict[str, Any]], case: str, count: int, route: str
) -> None:
    reference, through = _reference(runs, case, count), _run(runs, case, route, count)
    assert through["shim_source"] == "layer", "the manager's prepared layer went to shim.load"
    assert not through["shim_strategy"].startswith("string"), "by the automatic route, not Isaac Lab's text"
    assert through["steps"] == reference["steps"] >= 120
    assert through["digest"] == reference["digest"], "the state differs at some step"
    assert through["final"] == reference["final"]
    assert through["tendons"] == reference["tendons"]
    assert through["structure"] == reference["structure"]
    assert through["scene_data_bodies"] == reference["scene_data_bodies"]
    assert reference["scratch_files"] == through["scratch_files"] == []
    assert (through["shim_left_out"] is not None) == (route == "shim-physics"), "content='physics' was applied"


@pytest.mark.parametrize(("case", "count"), CASES)
def test_the_manager_text_is_written_only_when_read(
    runs: dict[tuple[str, str, int], dict[str, Any]], case: str, count: int
) -> None:
    """As shipped every load writes the USDA text; through the shim only tendon discovery makes it be written."""
    through = _run(runs, case, "shim", count)
    assert through["text_written"] == [case == "cartpole-tendon"] * len(through["load_s"])
    if shipped_runs_here():
        shipped = _run(runs, case, "shipped", count)
        assert shipped["shim_source"] is None
        assert shipped["text_written"] == [True] * len(shipped["load_s"])


def test_the_cube_lands_changes_gravity_and_re_warms(runs: dict[tuple[str, str, int], dict[str, Any]]) -> None:
    """The recipe's physics happened: the cube rests on the ground box, and the forced re-warm loaded again."""
    through = _run(runs, "cube", "shim", 0)
    (pose,) = through["final"]["pose"]
    assert pose[2] == pytest.approx(0.25, abs=1e-2)  # a 0.5 m cube on a ground whose top is z = 0
    assert len(through["load_s"]) == 2  # sim.reset(), then the forced re-warm
    # The renderer-side body table, read after the load; Isaac Lab's own read finds none on 0.5.
    expected = [] if installed_ovphysx().startswith("0.5.") else ["/World/Cube"]
    assert through["scene_data_bodies"] == expected


@pytest.mark.parametrize(("case", "count"), [("cartpole-scene", 16), ("cartpole-env", 64), ("so101", 16)])
def test_the_robots_move(runs: dict[tuple[str, str, int], dict[str, Any]], case: str, count: int) -> None:
    final = _run(runs, case, "shim", count)["final"]
    states = final["joint_vel"] if "joint_vel" in final else final["policy"]
    assert len(states) == count
    assert sum(abs(value) for row in states for value in row) > 0.1 * count  # driven, not at rest


def test_the_so101_arm_is_whole(runs: dict[tuple[str, str, int], dict[str, Any]]) -> None:
    """Every body and driven joint of the arm made it, in every environment, through physics-only too."""
    through = _run(runs, "so101", "shim-physics", 16)
    assert through["structure"]["bodies"] == ["base", "shoulder", "upper_arm", "lower_arm", "wrist", "gripper", "jaw"]
    assert through["structure"]["joints"] == ["Rotation", "Pitch", "Elbow", "Wrist_Pitch", "Wrist_Roll", "Jaw"]
    assert [len(poses) for poses in through["final"]["body_pose"]] == [7] * 16
    assert through["shim_left_out"] > 0, "the arm's visual meshes stayed behind"


def test_tendons_are_named_from_the_serialised_stage(runs: dict[tuple[str, str, int], dict[str, Any]]) -> None:
    """Isaac Lab re-reads the manager's USDA text for tendon names; through the shim it finds the same."""
    through = _run(runs, "cartpole-tendon", "shim", 4)
    assert through["tendons"] == {"fixed": ["coupling"], "count": 1}


@pytest.mark.parametrize(("case", "count"), CASES)
def test_each_case_leaves_its_final_state_for_the_next_release(
    runs: dict[tuple[str, str, int], dict[str, Any]], case: str, count: int
) -> None:
    """The pinned release writes each case's final state; 0.7.0 agrees with it to a tolerance (the engines differ)."""
    import numpy

    through = _run(runs, case, "shim", count)
    written = RESULTS / f"{case}-{count}.json"
    if installed_ovphysx() == PINNED:
        RESULTS.mkdir(parents=True, exist_ok=True)
        written.write_text(json.dumps(through["final"]))
        return
    if shipped_runs_here():
        pytest.skip("compared bitwise with Isaac Lab as shipped on this release")
    if case not in _TOLERANCE:
        pytest.skip(f"{case} is chaotic (a free pole on a driven cart): 0.7.0 repeats itself bitwise, not 0.6.4")
    if not written.exists():
        pytest.skip(f"{written} is written by the isaaclab300 env, which has not run")
    reference = json.loads(written.read_text())
    assert set(through["final"]) == set(reference)
    for name, values in reference.items():
        numpy.testing.assert_allclose(
            _one_sign(name, through["final"][name]),
            _one_sign(name, values),
            rtol=0,
            atol=_TOLERANCE[case],
            err_msg=name,
        )


def _one_sign(name: str, values: list[Any]) -> Any:
    """Poses with each quaternion's largest component positive: q and -q are the same rotation."""
    import numpy

    array = numpy.asarray(values, dtype=numpy.float64)
    if "pose" in name:
        quaternions = array[..., 3:]
        largest = numpy.take_along_axis(quaternions, numpy.abs(quaternions).argmax(-1)[..., None], -1)
        array[..., 3:] = quaternions * numpy.sign(largest)
    return array


# How far 0.7.0's final state may be from 0.6.4's, per case. A free pole on a driven cart is chaotic:
# the Cartpole scene and CartpoleEnv diverge between the engines, and are compared with themselves.
_TOLERANCE = {"cube": 1e-3, "cartpole-tendon": 5e-2, "so101": 1e-2}


def test_install_is_idempotent_and_undone(monkeypatch: pytest.MonkeyPatch) -> None:
    require("isaaclab_ov")
    from isaaclab_ov.physics.ovphysx_manager import OvPhysxManager

    import shim.isaaclab

    shipped = vars(OvPhysxManager)["_attach_ovstage"]
    shim.isaaclab.install()
    shim.isaaclab.install()
    assert shim.isaaclab.installed()
    assert vars(OvPhysxManager)["_attach_ovstage"] is not shipped
    shim.isaaclab.uninstall()
    assert not shim.isaaclab.installed()
    assert vars(OvPhysxManager)["_attach_ovstage"] is shipped


def test_another_isaac_lab_is_refused_and_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    require("isaaclab_ov")
    from isaaclab_ov.physics.ovphysx_manager import OvPhysxManager

    import shim
    import shim.isaaclab

    shipped = vars(OvPhysxManager)["_attach_ovstage"]
    monkeypatch.setattr(shim.isaaclab, "installed_version", lambda name: "3.1.0")
    with pytest.raises(shim.UnsupportedIsaacLab, match=r"found Isaac Lab 3\.1\.0.*verified on Isaac Lab 3\.0\.0"):
        shim.isaaclab.install()
    assert vars(OvPhysxManager)["_attach_ovstage"] is shipped


def test_the_example_steps_the_cartpole_task_through_the_shim(tmp_path: Path) -> None:
    require("isaaclab_ov")
    from tests.fixtures.isaaclab_cases import cartpole_asset

    asset = cartpole_asset(tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "examples" / "isaaclab_cartpole.py"),
            "--envs",
            "16",
            "--steps",
            "60",
            "--usd",
            asset,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert "loaded through shim.load:" in done.stdout
    assert "string/" not in done.stdout
    assert "60 steps of 16 envs, mean reward per step" in done.stdout
