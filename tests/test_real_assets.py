"""Real assets that NVIDIA wrote (``tests/fixtures/real_assets.py``): ``content="physics"`` keeps all their physics.

Structure, for every asset: the physics-only layer composes to as many rigid bodies,
colliders, joints, mass APIs and articulation roots as the stage (counted here, apart from
the shim's own check). Simulation, each asset in a fresh process: the release's own file
load twice (an asset whose load does not repeat is skipped), then ``shim.load`` of the
stage with content "all" and "physics", bitwise against it; and the same for the asset
sublayered under a ground box just under its lowest point, so that its colliders matter.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.fixtures.real_assets import MANIFEST, Asset, fetch, grounded, run_case, structure

pytestmark = pytest.mark.usefixtures("temp_root_is_clean")


@pytest.fixture(scope="session")
def asset_tree() -> Path:
    require("pxr")
    if os.environ.get("SHIM_REAL_ASSETS") != "1" and os.environ.get("SHIM_ENV_NAME") is not None:
        pytest.skip("real assets run in the envs that set SHIM_REAL_ASSETS=1 (tox.ini)")
    return fetch()


@pytest.mark.parametrize("asset", MANIFEST, ids=lambda asset: asset.name)
def test_physics_only_keeps_the_structure(asset_tree: Path, asset: Asset) -> None:
    from pxr import Usd

    from shim.physics_only import physics_only

    stage = Usd.Stage.Open(str(asset_tree / asset.path))
    layer, left_out = physics_only(stage)
    assert structure(Usd.Stage.Open(layer)) == structure(stage)
    assert left_out.prims_kept > 0  # every asset here has physics: something was handed over


def test_the_instanced_colliders_are_there(asset_tree: Path) -> None:
    """The defect this suite exists for: the G1 and the UR10e keep their instanced colliders."""
    from pxr import Usd

    from shim.physics_only import physics_only

    for name, colliders in (("g1", 31), ("ur10e", 7), ("robotiq-2f85", 18)):
        (asset,) = [each for each in MANIFEST if each.name == name]
        layer, _ = physics_only(Usd.Stage.Open(str(asset_tree / asset.path)))
        assert structure(Usd.Stage.Open(layer))["colliders"] == colliders, name


def _compared(found: dict[str, Any]) -> None:
    assert found["structure_physics"] == found["structure"]
    if not found["repeatable"]:
        pytest.skip("the release's own file load of it does not repeat")
    assert found["finite"]
    assert found["all_equal"], "content='all' differs from the release's own file load"
    assert found["physics_equal"], "content='physics' differs from the release's own file load"


@pytest.mark.parametrize("asset", [asset for asset in MANIFEST if not asset.skip], ids=lambda asset: asset.name)
def test_simulates_bitwise_as_the_release_loads_it(asset_tree: Path, asset: Asset, tmp_path: Path) -> None:
    require("ovphysx")
    import numpy as np
    from pxr import Usd

    path = asset_tree / asset.path
    paths, top = [path], None
    if structure(Usd.Stage.Open(str(path)))["colliders"]:
        on_ground, top = grounded(path, tmp_path)
        paths.append(on_ground)
    report = run_case(paths)
    if not report["as-is"]["bodies"]:
        pytest.skip(f"{asset.name} has no rigid bodies to compare")
    if not asset.wild:
        _compared(report["as-is"])
    if top is None:
        return
    _compared(report["grounded"])
    if asset.rests:  # the ground holds it up: its colliders took part in what was compared
        assert np.asarray(report["grounded"]["native"])[:, 2].min() > top - 0.1
