"""Batched state views on the installed release: each quantity read, written and read back, on real physics.

Run in every release env. The scene: 4 robots copied as Isaac Lab's cloner copies them (engine
clones where the release can), and 3 free boxes above a ground.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import require

ENVS = 4
BOXES = ["/World/Box_2", "/World/Box_0", "/World/Box_1"]  # deliberately not in stage order


def _scene() -> Any:
    from shim.demo import add_box
    from shim.demo.robots import robots

    stage = robots(ENVS)
    for index in range(3):
        add_box(stage, f"/World/Box_{index}", (20.0 + 2.0 * index, 0.0, 3.0 + index))
    return stage


@pytest.fixture(scope="module")
def simulation(physx: Any) -> Iterator[Any]:
    require("pxr")
    import shim

    simulation = shim.Simulation.adopt(physx)
    scene = simulation.load(_scene())
    simulation.step(1 / 60, 10)
    yield simulation
    scene.unload()


def test_rows_follow_the_paths_given_and_the_pattern_names_its_rows(simulation: Any) -> None:
    import numpy

    boxes = simulation.rigid_bodies(BOXES)
    assert boxes.count == 3
    assert boxes.paths == BOXES
    x = boxes.read("pose")[:, 0]
    assert numpy.allclose(x, [24.0, 20.0, 22.0], atol=1e-3)  # Box_2, Box_0, Box_1: the order asked for
    robots = simulation.articulations(pattern="/World/envs/env_*/Robot")
    assert robots.count == ENVS
    if robots.paths is not None:  # 0.4.9+ say which prim each row is; a pattern's rows are sorted
        assert robots.paths == [f"/World/envs/env_{index}/Robot" for index in range(ENVS)]
        roots = robots.read("root_pose")
        for row, path in enumerate(robots.paths):
            index = int(path.split("env_")[1].split("/")[0])
            x, y = (index % 2) * 2.5, (index // 2) * 2.5  # the 2 x 2 grid robots() lays out
            assert roots[row, :2] == pytest.approx([x, y], abs=0.05), path


@pytest.mark.parametrize(
    ("quantity", "row"),
    [("pose", [21.0, 1.0, 7.0, 0.0, 0.0, 0.0, 1.0]), ("velocity", [0.5, -0.25, 1.0, 0.0, 0.1, 0.0])],
)
def test_each_rigid_body_quantity_is_written_and_read_back(simulation: Any, quantity: str, row: list[float]) -> None:
    import numpy

    boxes = simulation.rigid_bodies(BOXES)
    values = numpy.tile(numpy.asarray(row, dtype=numpy.float32), (3, 1))
    values[:, 0] += numpy.arange(3, dtype=numpy.float32) * 3  # each row its own
    boxes.write(quantity, values)
    assert numpy.array_equal(boxes.read(quantity), values)
    simulation.step(1 / 60)
    after = boxes.read("pose")
    assert numpy.all(after[:, 2] > 2.0), after  # the written state is what the engine simulates from


def test_acceleration_is_read_where_the_release_has_it_and_named_where_not(simulation: Any) -> None:
    import shim

    boxes = simulation.rigid_bodies(BOXES)
    if simulation._adapter.tensor_type("RIGID_BODY_ACCELERATION") is None:
        with pytest.raises(shim.QuantityUnavailable, match=r"'acceleration' on ovphysx .*: it needs ovphysx 0\.4\.9"):
            boxes.read("acceleration")
        return
    simulation.step(1 / 60)
    assert boxes.read("acceleration")[:, 2] == pytest.approx([-9.81] * 3, abs=0.05)  # falling freely


@pytest.mark.parametrize(
    "quantity",
    ["root_pose", "root_velocity", "joint_positions", "joint_velocities", "joint_position_targets",
     "joint_velocity_targets", "joint_efforts"],
)  # fmt: skip
def test_each_articulation_quantity_is_written_and_read_back(simulation: Any, quantity: str) -> None:
    import numpy

    robots = simulation.articulations(pattern="/World/envs/env_*/Robot")
    shape = robots.shape(quantity)
    assert shape[0] == ENVS
    assert shape[1] == {"root_pose": 7, "root_velocity": 6}.get(quantity, robots.dof_count)
    values = robots.read(quantity).copy()
    if quantity == "root_pose":
        values[:, 2] += 0.25  # lifted, orientation kept
    else:
        values[:] = numpy.linspace(-0.3, 0.3, values.size, dtype=numpy.float32).reshape(values.shape)
    robots.write(quantity, values)
    assert numpy.allclose(robots.read(quantity), values, atol=1e-6)


def test_the_targets_drive_the_joints(simulation: Any) -> None:
    import numpy

    robots = simulation.articulations(pattern="/World/envs/env_*/Robot")
    assert robots.dof_count == 8
    assert robots.link_count == 9
    if robots.joint_names is not None:
        assert len(robots.joint_names) == 8
    targets = numpy.full((ENVS, 8), 0.3, dtype=numpy.float32)
    robots.write("joint_velocities", numpy.zeros((ENVS, 8), dtype=numpy.float32))
    robots.write("joint_position_targets", targets)
    simulation.step(1 / 60, 90)
    positions = robots.read("joint_positions")
    assert numpy.all(numpy.abs(positions - 0.3) < 0.1), positions
    links = robots.read("link_poses")
    assert links.shape == (ENVS, 9, 7)


def test_read_into_an_array_of_ones_own(simulation: Any) -> None:
    import numpy

    boxes = simulation.rigid_bodies(BOXES)
    out = numpy.zeros((3, 7), dtype=numpy.float32)
    assert boxes.read("pose", out=out) is out
    assert numpy.array_equal(out, boxes.read("pose"))


def test_wrong_values_and_read_only_quantities_are_typed_errors(simulation: Any) -> None:
    import numpy

    import shim

    boxes = simulation.rigid_bodies(BOXES)
    with pytest.raises(shim.InvalidValues, match=r"pose: values of shape \(2, 7\) were given; the view needs \(3, 7\)"):
        boxes.write("pose", numpy.zeros((2, 7)))
    robots = simulation.articulations(pattern="/World/envs/env_*/Robot")
    with pytest.raises(shim.QuantityUnavailable, match="read-only"):
        robots.write("link_poses", robots.read("link_poses"))
    with pytest.raises(shim.QuantityUnavailable, match="a rigid body view has pose, velocity, acceleration"):
        boxes.read("joint_positions")
    with pytest.raises(ValueError, match="not both"):
        simulation.rigid_bodies(BOXES, pattern="/World/Box_*")


def test_paths_that_are_not_in_the_scene_are_named(simulation: Any) -> None:
    import shim

    with pytest.raises(shim.NotInScene, match=r"'/World/Nothing' is not a rigid body in the loaded scene") as caught:
        simulation.rigid_bodies(["/World/Box_0", "/World/Nothing"])
    assert caught.value.missing == ["/World/Nothing"]
    with pytest.raises(shim.NotInScene, match="is not an articulation"):
        simulation.articulations(pattern="/World/Box_*")


def test_poses_read_again_go_through_the_kept_view(simulation: Any) -> None:
    import numpy

    import shim

    poses = shim.read_rigid_body_poses(simulation.physx, BOXES)
    kept = simulation._pose_views[tuple(BOXES)]
    again = shim.read_rigid_body_poses(simulation.physx, BOXES)
    assert simulation._pose_views[tuple(BOXES)] is kept
    assert numpy.array_equal(poses, again)
