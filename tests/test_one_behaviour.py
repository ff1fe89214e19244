"""One behaviour on every release: a second load, a load after close, a step before any load, bad options, CUDA.

Before ``shim.Simulation``, a second load silently replaced the first scene on 0.5+ and failed
on 0.4.x; a load after destroy raised SceneLoadError; a bad ``format=`` was found after pruning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require
from tests.fixtures.processes import run_script


def test_a_second_load_replaces_the_first_scene(physx: Any) -> None:
    require("pxr")
    import numpy

    import shim
    from shim.demo import add_box, falling_cubes

    simulation = shim.Simulation.adopt(physx)
    first = simulation.load(falling_cubes(2))
    old = simulation.rigid_bodies(["/World/Cube_0", "/World/Cube_1"])
    # The same prim paths again, elsewhere, and one more body: only the second scene's bodies remain.
    stage = falling_cubes(2, spacing=5.0, height=8.0)
    add_box(stage, "/World/Extra", (0.0, 5.0, 2.0))
    second = simulation.load(stage)
    assert not first.loaded
    assert second.loaded
    assert simulation.scene is second
    with pytest.raises(shim.StaleView):
        old.read("pose")
    cubes = simulation.rigid_bodies(pattern="/World/*")
    assert cubes.count == 3  # two cubes and the extra box, not five
    simulation.step(1 / 60, 30)
    poses = simulation.rigid_bodies(["/World/Cube_0", "/World/Cube_1", "/World/Extra"]).read("pose")
    assert numpy.allclose(poses[:, 0], [0.0, 5.0, 0.0], atol=1e-3)
    assert poses[0, 2] == pytest.approx(8.0 - 0.5 * 9.81 * 0.5**2, abs=0.05)  # fell from the second scene's 8 m
    second.unload()
    assert second.ovstage_stage is None


def test_a_step_or_a_view_before_any_load_is_a_typed_error(tmp_path: Path) -> None:
    require("ovphysx")
    done = run_script(
        """
        import shim
        simulation = shim.Simulation("cpu")
        for action in (lambda: simulation.step(1 / 60), lambda: simulation.rigid_bodies(pattern="/World/*")):
            try:
                action()
            except shim.NothingLoaded as error:
                print("refused:", error)
        physx = shim.create_physx("cpu") if shim.probe().adapter.process_wide_device else None
        if physx is not None:
            try:
                shim.step(physx, 1 / 60)
            except shim.NothingLoaded as error:
                print("refused:", error)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    refusals = [line for line in done.stdout.splitlines() if line.startswith("refused: ")]
    assert (
        refusals[0]
        == "refused: step(0.016666666666666666): no scene is loaded. Remedy: load one first (simulation.load(stage))."
    )
    assert refusals[1].startswith("refused: RigidBodyView('/World/*'): no scene is loaded")
    assert len(refusals) in (2, 3)


def test_a_load_after_close_or_destroy_is_invalid_physx(tmp_path: Path) -> None:
    require("ovphysx")
    require("pxr")
    done = run_script(
        """
        import shim
        from shim.demo import falling_cubes
        simulation = shim.Simulation("cpu")
        simulation.load(falling_cubes(1))
        simulation.close()
        simulation.close()  # idempotent
        for name, action in (
            ("load", lambda: simulation.load(falling_cubes(1))),
            ("step", lambda: simulation.step(1 / 60)),
            ("function", lambda: shim.load(simulation.physx, falling_cubes(1))),
        ):
            try:
                action()
            except shim.InvalidPhysX as error:
                print("refused", name, type(error).__mro__[1].__name__, error.closed)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("refused ")]
    assert lines == ["refused load ShimError True", "refused step ShimError True", "refused function ShimError True"]


def test_a_destroyed_instance_is_refused_by_the_functions_too(tmp_path: Path) -> None:
    require("ovphysx")
    require("pxr")
    done = run_script(
        """
        import shim
        from shim.demo import falling_cubes
        physx = shim.create_physx("cpu")
        shim.load(physx, falling_cubes(1))
        shim.destroy(physx)
        try:
            shim.load(physx, falling_cubes(1))
        except shim.InvalidPhysX as error:
            print("refused:", error)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "was closed or destroyed" in done.stdout, done.stdout[-2000:]
    assert "SceneLoadError" not in done.stdout + done.stderr


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"format": "xml"}, "unknown format 'xml'"),
        ({"content": "most"}, "unknown content 'most'"),
        ({"clones": "some"}, "unknown clones 'some'"),
        ({"strategy": "carrier-pigeon"}, "unknown strategy 'carrier-pigeon'"),
    ],
)
def test_every_option_is_checked_before_any_work(
    physx: Any, option: dict[str, str], message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    require("pxr")
    import shim
    import shim.loading
    from shim.demo.robots import robots

    def no_work(*arguments: object) -> None:
        raise AssertionError("the load started work before it checked its options")

    simulation = shim.Simulation.adopt(physx)
    kept = simulation.load(robots(2))
    monkeypatch.setattr(shim.loading, "for_content", no_work)
    monkeypatch.setattr(shim.loading, "_planned", no_work)
    with pytest.raises(ValueError, match=message):
        simulation.load(robots(2), **({"content": "physics"} | option))
    assert kept.loaded  # the scene loaded before is untouched
    kept.unload()


def test_cuda_without_a_device_raises_and_leaves_no_instance(tmp_path: Path) -> None:
    require("ovphysx")
    done = run_script(
        """
        import shim
        from shim.gpu import cuda_devices
        if cuda_devices().count:
            raise SystemExit("this test is for a host without a CUDA device")
        for device in ("cuda", "cuda:0", "cuda:7"):
            try:
                shim.Simulation(device)
            except shim.GpuUnavailable as error:
                print("refused", device, isinstance(error, shim.ShimError))
        with shim.Simulation("cpu") as simulation:
            print("cpu", simulation.device)
        """,
        tmp_path,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert [line for line in done.stdout.splitlines() if line.startswith(("refused", "cpu"))] == [
        "refused cuda True",
        "refused cuda:0 True",
        "refused cuda:7 True",
        "cpu cpu",
    ]


def test_adopting_an_instance_twice_gives_one_simulation(physx: Any) -> None:
    import shim

    assert shim.Simulation.adopt(physx) is shim.Simulation.adopt(physx)
    with pytest.raises(shim.InvalidPhysX):
        shim.Simulation.adopt("not a physx")
