"""``shim._geometry``: the walk and the UsdUtils count agree, and a small stage costs no UsdUtils import."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from tests.conftest import require


def _scene(kind: str) -> Any:
    from pxr import Usd, UsdGeom

    from shim import scenes

    if kind == "cubes":
        return scenes.falling_cubes(5)
    if kind == "robots":
        return scenes.robots(2)
    if kind == "mesh":
        return scenes.mesh_bodies(2, points=100)
    if kind == "curves":
        stage = scenes.falling_cubes(1)
        UsdGeom.BasisCurves.Define(stage, "/World/Cable")  # a subclass of PointBased
        return stage
    if kind == "instancer":
        stage = scenes.falling_cubes(1)
        UsdGeom.PointInstancer.Define(stage, "/World/Instancer")
        return stage
    # A mesh that only instance prototypes hold: the walk must visit prototypes too.
    asset = Usd.Stage.CreateInMemory()
    UsdGeom.Mesh.Define(asset, "/Asset/Hull")
    _KEEP.append(asset)  # the references name its layer; it must outlive the test's stage
    stage = Usd.Stage.CreateInMemory()
    for index in range(2):
        instance = stage.DefinePrim(f"/World/Env_{index}")
        instance.GetReferences().AddReference(asset.GetRootLayer().identifier, "/Asset")
        instance.SetInstanceable(True)
    assert len(stage.GetPrototypes()) == 1
    assert all(prim.GetTypeName() != "Mesh" for prim in stage.Traverse())
    return stage


_KEEP: list[Any] = []


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("cubes", False), ("robots", False), ("mesh", True), ("curves", True), ("instancer", True), ("prototype", True)],
)
def test_walk_and_count_agree(kind: str, expected: bool) -> None:
    require("pxr")
    from shim import _geometry

    stage = _scene(kind)
    assert _geometry._walk(stage, limit=1_000_000) is expected
    assert _geometry._count(stage) is expected
    assert _geometry.has_point_based(stage) is expected


def test_the_walk_gives_up_past_its_limit_and_the_count_answers() -> None:
    require("pxr")
    from shim import _geometry, scenes

    stage = scenes.falling_cubes(50)  # 53 prims, none point-based
    assert _geometry._walk(stage, limit=10) is None
    assert _geometry._walk(stage, limit=1_000) is False


def test_a_small_stage_is_judged_without_importing_usdutils() -> None:
    """UsdUtils costs 30-45 ms to import: 7-10% of a first load of 1,000 cubes on 0.7."""
    require("pxr")
    script = (
        "import sys\n"
        "from shim import _geometry, scenes\n"
        "assert 'pxr.UsdUtils' not in sys.modules, 'imported before the check'\n"
        "small = _geometry.has_point_based(scenes.falling_cubes(20))\n"
        "print(small, 'pxr.UsdUtils' in sys.modules)\n"
        "_geometry.WALK_LIMIT = 5\n"
        "print(_geometry.has_point_based(scenes.falling_cubes(20)), 'pxr.UsdUtils' in sys.modules)\n"
    )
    # env: os.environ's view, without what ovphysx 0.2.9/0.3.7 setenv() in C (their USD plugin path)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=dict(os.environ)
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["False", "False", "False", "True"]
