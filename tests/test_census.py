"""What a loaded scene holds (``LoadedScene.physics``), and the warning for a scene with no physics."""

from __future__ import annotations

import logging

import pytest

import shim
from shim.source.census import Census, census
from tests.conftest import require


def test_the_census_counts_what_physics_reads() -> None:
    require("pxr")
    from tests.fixtures.scenes import falling_cubes, robots

    assert census(falling_cubes(3)) == Census(rigid_bodies=3, colliders=4, joints=0, articulations=0)
    two = census(robots(2))
    assert two.articulations == 2
    assert two.joints > 0
    assert two.rigid_bodies == census(robots(1)).rigid_bodies * 2
    assert not two.empty
    assert Census().empty


def test_a_loaded_scene_reports_what_it_holds(physx: object) -> None:
    from tests.fixtures.scenes import falling_cubes

    with shim.load(physx, falling_cubes(2)) as scene:
        assert scene.physics == Census(rigid_bodies=2, colliders=3, joints=0, articulations=0)
        assert scene.physics.summary() == "2 rigid bodies, 3 colliders, 0 joints, 0 articulations"


def test_engine_clones_count_as_loaded(physx: object) -> None:
    from tests.fixtures.scenes import robots

    stage = robots(4, references=True)
    with shim.load(physx, stage) as scene:
        if not scene.clones.count:
            pytest.skip(f"not cloned here: {scene.clones.reason}")
        assert scene.physics == census(stage)
        assert scene.physics.articulations == 4


def test_a_stage_with_no_physics_gets_a_warning(physx: object, caplog: pytest.LogCaptureFixture) -> None:
    import lazy

    stage = lazy.pxr.Usd.Stage.CreateInMemory()
    stage.DefinePrim("/World/Cube", "Cube")
    with caplog.at_level(logging.WARNING, logger="shim"), shim.load(physx, stage) as scene:
        assert scene.physics.empty
    assert "no rigid bodies, colliders, joints or articulations: nothing will move" in caplog.text
