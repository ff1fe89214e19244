"""``clones=``: env_0 handed over and cloned in the engine, bitwise the same as every environment handed over.

The three layouts Isaac Lab writes qualify (spec-for-spec copies, internal references to env_0,
one external reference each); anything that differs inside an environment, overlaps, or cannot
be placed by the release falls back to the whole stage with the reason, and ``clones="engine"``
raises ``CannotClone`` with it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require

pytestmark = pytest.mark.usefixtures("temp_root_is_clean")

STEPS = 60


def _copies(count: int) -> Any:
    from tests.fixtures.scenes import robots

    return robots(count)


def _internal_references(count: int) -> Any:
    """env_1..N are internal references to env_0, each with its own translate (Isaac Lab's cloner)."""
    from tests.fixtures.scenes import robots

    return robots(count, references=True)


def _external_references(count: int, directory: Path) -> Any:
    from tests.fixtures import assets

    return assets.appearance_heavy(str(directory), count)


def _bodies(stage: Any, count: int) -> list[str]:
    """Every rigid body of envs 0, 1, N/2 and N-1."""
    from pxr import Usd, UsdPhysics

    from tests.fixtures.scenes import rigid_body_paths

    envs = sorted({0, 1, count // 2, count - 1})
    bodies = [path for path in rigid_body_paths(stage) if any(f"/env_{index}/" in path for index in envs)]
    if not bodies:  # bodies inside a referenced asset: walk the composed envs
        bodies = [
            str(prim.GetPath())
            for index in envs
            for prim in Usd.PrimRange(stage.GetPrimAtPath(f"/World/envs/env_{index}"))
            if prim.HasAPI(UsdPhysics.RigidBodyAPI)
        ]
    return bodies


def _poses(physx: Any, stage: Any, bodies: list[str], **options: Any) -> tuple[Any, Any]:
    import shim

    with shim.load(physx, stage, **options) as scene:
        shim.step(physx, 1 / 60, STEPS)
        return shim.read_rigid_body_poses(physx, bodies), scene.clones


@pytest.mark.parametrize("layout", ["copies", "internal references", "external references"])
@pytest.mark.parametrize("content", ["all", "physics"])
def test_cloned_in_the_engine_bitwise_as_the_whole_stage(physx: Any, layout: str, content: str, tmp_path: Path) -> None:
    import numpy as np

    import shim

    count = 12
    build = {"copies": _copies, "internal references": _internal_references}.get(layout)
    stage = build(count) if build else _external_references(count, tmp_path)
    bodies = _bodies(stage, count)
    assert len(bodies) == 4 * 9
    whole, not_cloned = _poses(physx, stage, bodies, clones="stage", content=content)
    assert not_cloned.count == 0
    if shim.probe().adapter.clone_keyword is None:  # type: ignore[union-attr]
        with pytest.raises(shim.CannotClone, match="takes no pose"):
            _poses(physx, stage, bodies, clones="engine", content=content)
        return
    cloned, clones = _poses(physx, stage, bodies, clones="engine", content=content)
    assert (clones.source, clones.count, clones.reason) == ("/World/envs/env_0", count - 1, None)
    if layout == "external references" and shim.probe().adapter.clone_keyword == "anchor_transforms":
        # 0.6+'s replicator: the Isaac-layout asset ends within a millimetre, not bitwise (README, "Engine cloning").
        assert np.abs(whole - cloned).max() < 1e-3
    else:
        assert np.array_equal(whole, cloned)
    assert np.abs(whole[:, 2] - 0.8).max() > 0.05  # the robots moved: the comparison means something
    _, auto = _poses(physx, stage, bodies, content=content)
    assert auto == clones  # auto clones where it can


def _mass_changed(stage: Any) -> None:
    stage.GetPrimAtPath("/World/envs/env_3/Robot/base").GetAttribute("physics:mass").Set(9.0)


def _prim_added(stage: Any) -> None:
    stage.DefinePrim("/World/envs/env_2/Robot/extra", "Cube")


def _too_close(stage: Any) -> None:
    from pxr import Gf

    stage.GetPrimAtPath("/World/envs/env_1").GetAttribute("xformOp:translate").Set(Gf.Vec3d(0.3, 0, 0))


def _turned(stage: Any) -> None:
    from pxr import UsdGeom

    UsdGeom.Xformable(stage.GetPrimAtPath("/World/envs/env_1")).AddRotateZOp().Set(90.0)


def _joined_from_outside(stage: Any) -> None:
    from pxr import UsdPhysics

    joint = UsdPhysics.FixedJoint.Define(stage, "/World/anchor")
    joint.CreateBody1Rel().SetTargets(["/World/envs/env_1/Robot/base"])


def _gap_in_numbers(stage: Any) -> None:
    from pxr import Sdf

    edit = Sdf.BatchNamespaceEdit()
    edit.Add(Sdf.NamespaceEdit.Rename("/World/envs/env_2", "env_9"))
    assert stage.GetRootLayer().Apply(edit)


@pytest.mark.parametrize(
    ("edit", "why"),
    [
        (_mass_changed, "is not a copy of /World/envs/env_0"),
        (_prim_added, "is not a copy of /World/envs/env_0"),
        (_too_close, "overlap"),
        (_turned, "turned or scaled"),
        (_joined_from_outside, "/World/anchor targets /World/envs/env_1/Robot/base"),
        (_gap_in_numbers, "no prim has children named"),
    ],
    ids=lambda value: getattr(value, "__name__", "")[1:],
)
def test_what_differs_is_handed_over_whole(physx: Any, edit: Any, why: str) -> None:
    import numpy as np

    import shim

    if shim.probe().adapter.clone_keyword is None:  # type: ignore[union-attr]
        pytest.skip("this release never clones")
    stage = _copies(8)
    edit(stage)
    bodies = _bodies(stage, 8)
    with pytest.raises(shim.CannotClone, match=why):
        shim.load(physx, stage, clones="engine")
    auto, clones = _poses(physx, stage, bodies)
    assert clones.count == 0
    assert why in (clones.reason or "")
    assert np.array_equal(auto, _poses(physx, stage, bodies, clones="stage")[0])


def test_a_release_that_cannot_place_copies_says_so() -> None:
    require("pxr")
    from shim.engine_clone import plan

    assert plan(_copies(4), None) == "this release's clone takes no pose for the copies, so it cannot place them"


def test_the_plan_places_each_copy_at_its_world_pose() -> None:
    require("pxr")
    from shim.engine_clone import Plan, plan

    found = plan(_internal_references(10), "anchor_transforms")
    assert isinstance(found, Plan)
    assert (found.parent, found.source) == ("/World/envs", "/World/envs/env_0")
    assert found.targets == [f"/World/envs/env_{index}" for index in range(1, 10)]
    assert found.transforms[8] == (1 * 2.5, 2 * 2.5, 0.0, 0.0, 0.0, 0.0, 1.0)  # env_9 of a 4 x 3 grid: column 1, row 2


def test_only_a_stage_is_cloned(physx: Any) -> None:
    import shim

    stage = _copies(4)
    layer = stage.Flatten()
    with pytest.raises(shim.CannotClone, match="only a pxr stage is cloned"):
        shim.load(physx, layer, clones="engine")
    with shim.load(physx, layer) as scene:
        assert scene.clones.count == 0


def test_an_unknown_clones_value_is_a_clear_error(physx: Any) -> None:
    import shim

    with pytest.raises(ValueError, match="unknown clones 'all'; choose 'auto', 'engine' or 'stage'"):
        shim.load(physx, _copies(2), clones="all")


def test_another_asset_or_a_variant_is_handed_over_whole(physx: Any, tmp_path: Path) -> None:
    """One env referencing another asset, or selecting a variant, is not a copy of env_0."""
    from pxr import Sdf

    import shim
    from tests.fixtures import assets

    if shim.probe().adapter.clone_keyword is None:  # type: ignore[union-attr]
        pytest.skip("this release never clones")
    stage = _external_references(4, tmp_path / "a")
    other = assets.write_robot(str(tmp_path / "b"))
    spec = stage.GetRootLayer().GetPrimAtPath("/World/envs/env_2")
    spec.referenceList.ClearEdits()
    spec.referenceList.Prepend(Sdf.Reference(other))
    with pytest.raises(shim.CannotClone, match="env_2 references another asset than /World/envs/env_0"):
        shim.load(physx, stage, clones="engine")

    stage = _internal_references(4)
    stage.GetRootLayer().GetPrimAtPath("/World/envs/env_1").variantSelections["look"] = "red"
    with pytest.raises(shim.CannotClone, match="env_1 authors variantSelection"):
        shim.load(physx, stage, clones="engine")
    with shim.load(physx, stage) as scene:
        assert scene.clones.count == 0
        assert "variantSelection" in (scene.clones.reason or "")
