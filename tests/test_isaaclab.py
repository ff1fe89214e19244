"""Isaac Lab 3.0's own ``OvPhysxManager``, as shipped and routed through the shim (the ``isaaclab300`` env).

Each run is a fresh process (``tests/fixtures/isaaclab_cases.py``) on the installed Isaac Lab.
The two routes must agree bitwise at every step: poses, velocities, joint state, observations.
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
from tests.fixtures.isaaclab_cases import REPORT

ROOT = Path(__file__).resolve().parent.parent
CASES = [("cube", 0), ("cartpole-scene", 16), ("cartpole-scene", 256), ("cartpole-tendon", 4), ("cartpole-env", 64)]


def run_case(case: str, route: str, count: int, *, extra_path: str | None = None) -> dict[str, Any]:
    """One Isaac Lab run in a fresh process; its report."""
    path = os.pathsep.join(filter(None, [extra_path, str(ROOT)]))
    done = subprocess.run(
        [sys.executable, "-m", "tests.fixtures.isaaclab_cases", case, route, str(count)],
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


def _both(runs: dict[tuple[str, str, int], dict[str, Any]], case: str, count: int) -> tuple[dict[str, Any], ...]:
    for route in ("shipped", "shim"):
        if (case, route, count) not in runs:
            runs[case, route, count] = run_case(case, route, count)
    return runs[case, "shipped", count], runs[case, "shim", count]


@pytest.mark.parametrize(("case", "count"), CASES)
def test_the_shim_route_is_bitwise_the_shipped_one(
    runs: dict[tuple[str, str, int], dict[str, Any]], case: str, count: int
) -> None:
    shipped, through = _both(runs, case, count)
    assert shipped["shim_strategy"] is None
    assert through["shim_strategy"] == "string/usda", "the manager loaded through shim.load"
    assert through["steps"] == shipped["steps"] >= 210
    assert through["digest"] == shipped["digest"], "the state differs at some step"
    assert through["final"] == shipped["final"]
    assert shipped["scratch_files"] == through["scratch_files"] == []


def test_the_cube_lands_changes_gravity_and_re_warms(runs: dict[tuple[str, str, int], dict[str, Any]]) -> None:
    """The recipe's physics happened: the cube rests on the ground box, and the forced re-warm loaded again."""
    _, through = _both(runs, "cube", 0)
    (pose,) = through["final"]["pose"]
    assert pose[2] == pytest.approx(0.25, abs=1e-2)  # a 0.5 m cube on a ground whose top is z = 0
    assert len(through["load_s"]) == 2  # sim.reset(), then the forced re-warm


@pytest.mark.parametrize(("case", "count"), [("cartpole-scene", 16), ("cartpole-env", 64)])
def test_the_cartpoles_move(runs: dict[tuple[str, str, int], dict[str, Any]], case: str, count: int) -> None:
    _, through = _both(runs, case, count)
    final = through["final"]
    states = final["joint_vel"] if "joint_vel" in final else final["policy"]
    assert len(states) == count
    assert sum(abs(value) for row in states for value in row) > count  # driven, not at rest


def test_tendons_are_named_from_the_serialised_stage(runs: dict[tuple[str, str, int], dict[str, Any]]) -> None:
    """Isaac Lab re-reads the manager's USDA text for tendon names; through the shim it finds the same."""
    shipped, through = _both(runs, "cartpole-tendon", 4)
    assert through["tendons"] == shipped["tendons"] == {"fixed": ["coupling"], "count": 1}


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
    assert "loaded through shim.load: string/usda" in done.stdout
    assert "60 steps of 16 envs, mean reward per step" in done.stdout
