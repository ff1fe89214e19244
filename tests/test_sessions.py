"""What the shim keeps per PhysX instance, and instances the host makes itself.

A session never keeps its instance alive; an instance made with ``ovphysx.PhysX()`` loads
through ``shim.load`` on every release; the ovstage stage is the host's to choose and to use.
Each case runs in a fresh process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import require
from tests.fixtures.processes import run_script

_COLLECTED = """
import gc, sys, weakref
import shim
from shim.demo import falling_cubes

physx = shim.create_physx("cpu")
if sys.argv[1] != "bare":
    scene = shim.load(physx, falling_cubes(1))
    shim.step(physx, 1 / 60, 5)
if sys.argv[1] == "bare":
    pass
elif sys.argv[1] == "unloaded":
    scene.unload()
    del scene
else:
    kept = scene  # the scene outlives its instance: unloading it later only destroys its stage
instance = weakref.ref(physx)
del physx
gc.collect()
print("collected", instance() is None, flush=True)
if sys.argv[1] == "kept":
    kept.unload()
    print("unloaded", not kept.loaded, flush=True)
"""


def _collected(case: str, directory: Path) -> bool:
    done = run_script(_COLLECTED, directory, case)
    assert done.returncode == 0, done.stderr[-3000:]
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("collected ")]
    if case == "kept":
        assert "unloaded True" in done.stdout
    return line == "collected True"


@pytest.mark.parametrize("case", ["unloaded", "kept"])
def test_an_instance_the_caller_drops_is_collected(case: str, tmp_path: Path) -> None:
    """As an instance that never loaded a scene is: 0.2.9 and 0.3.7 keep every instance themselves."""
    require("ovphysx")
    require("pxr")
    import shim

    bare = _collected("bare", tmp_path)
    adapter = shim.probe(import_ovphysx=True).adapter
    assert adapter is not None
    assert bare or (adapter.generation == "add_usd" and adapter.step_takes_time), "the release keeps it"
    assert _collected(case, tmp_path) == bare


# A CPU instance made by the release's own calls, as a manager makes it (``ovphysx`` imported before).
_HOST_PHYSX = """
if hasattr(ovphysx, "set_global_config"):
    ovphysx.set_global_config(ovphysx.GlobalConfigKey.CPU_ONLY, True)
    physx = ovphysx.PhysX()
elif hasattr(ovphysx.PhysX, "set_cpu_mode"):
    ovphysx.PhysX.set_cpu_mode(True)
    physx = ovphysx.PhysX()
else:
    physx = ovphysx.PhysX(device="cpu")
"""

_HOST_MADE = (
    """
import sys
import shim

# A manager's own start-up: ovphysx imported and configured by its own calls, then PhysX().
if sys.argv[1] == "prepared":
    ovphysx = shim.prepare_physx()  # 0.2.9 and 0.3.7 need usd-core readied before PhysX()
else:
    import ovphysx
"""
    + _HOST_PHYSX
    + """from shim.demo import falling_cubes

with shim.load(physx, falling_cubes(2)) as scene:
    shim.step(physx, 1 / 60, 60)
    poses = shim.read_rigid_body_poses(physx, ["/World/Cube_0", "/World/Cube_1"])
print("poses", poses.tobytes().hex(), flush=True)
shim.destroy(physx)
"""
)

_SHIM_MADE = """
import shim
from shim.demo import falling_cubes

physx = shim.create_physx("cpu")
with shim.load(physx, falling_cubes(2)):
    shim.step(physx, 1 / 60, 60)
    poses = shim.read_rigid_body_poses(physx, ["/World/Cube_0", "/World/Cube_1"])
print("poses", poses.tobytes().hex(), flush=True)
shim.destroy(physx)
"""


def _poses(done: object) -> str:
    stdout = getattr(done, "stdout", "")
    lines = [line for line in stdout.splitlines() if line.startswith("poses ")]
    assert lines, f"no poses: {getattr(done, 'stderr', '')[-3000:]}"
    return lines[-1].split()[1]


def test_an_instance_the_host_made_loads_like_the_shims_own(tmp_path: Path) -> None:
    """On 0.6+ the PhysX schemas reach ovstage at the shim's first population, not only via create_physx."""
    require("ovphysx")
    require("pxr")
    import shim

    adapter = shim.probe(import_ovphysx=True).adapter
    assert adapter is not None
    needs_usd_first = adapter.generation == "add_usd" and adapter.step_takes_time
    host = run_script(_HOST_MADE, tmp_path, "prepared" if needs_usd_first else "plain")
    assert host.returncode == 0, host.stderr[-3000:]
    reference = run_script(_SHIM_MADE, tmp_path)
    assert reference.returncode == 0, reference.stderr[-3000:]
    assert _poses(host) == _poses(reference)
    assert float.fromhex  # the poses are compared bitwise, as hex of their float32 bytes


_SCHEMAS_TOO_LATE = (
    """
import ovphysx
import ovstage
from ovstage import population

"""
    + _HOST_PHYSX
    + """early = ovstage.Stage("host-stage")  # the host populates before any schema is registered
population.open_usd_from_string(early, '#usda 1.0\\ndef Xform "World" {}\\n', ordinal=1)
import shim
from shim.demo import falling_cubes

try:
    shim.load(physx, falling_cubes(1))
except shim.SceneLoadError as error:
    print("remedy", error.remedy, flush=True)
"""
)


def test_schemas_registered_too_late_get_the_remedy_that_fixes_it(tmp_path: Path) -> None:
    require("ovphysx")
    require("pxr")
    import shim

    adapter = shim.probe(import_ovphysx=True).adapter
    assert adapter is not None
    if not getattr(adapter, "registers_schemas", False):
        pytest.skip("this release registers no schemas with ovstage")
    done = run_script(_SCHEMAS_TOO_LATE, tmp_path)
    assert "remedy" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
    assert "call shim.prepare_physx() at start-up" in done.stdout


_STAGE_SETTINGS = """
import sys
import ovstage
import shim
from ovstage._src.types import HierarchyComputationModel, StageConfig
from shim.demo import falling_cubes

GPU = StageConfig(runtime_default_hierarchy_computation_model=HierarchyComputationModel.GPU_INCREMENTAL)
physx = shim.create_physx("cpu")
order = sys.argv[1]
if order == "host-first":
    host = ovstage.Stage("host", GPU)
    scene = shim.load(physx, falling_cubes(1))  # the default joins the settings the process has
elif order == "shim-first-with-settings":
    scene = shim.load(physx, falling_cubes(1), ovstage=GPU)
    host = ovstage.Stage("host", GPU)
elif order == "given-stage":
    given = ovstage.Stage("given", GPU)
    scene = shim.load(physx, falling_cubes(1), ovstage=given)
    assert scene.ovstage_stage is given
    host = ovstage.Stage("host", GPU)
elif order == "factory":
    made = []
    scene = shim.load(physx, falling_cubes(1), ovstage=lambda: made.append(ovstage.Stage("made", GPU)) or made[-1])
    assert scene.ovstage_stage is made[0]
    host = ovstage.Stage("host", GPU)
else:  # shim-first-default: a host asking for other settings afterwards is refused by ovstage
    scene = shim.load(physx, falling_cubes(1))
    try:
        host = ovstage.Stage("host", GPU)
    except Exception as error:
        print("refused", type(error).__name__, flush=True)
        host = None
shim.step(physx, 1 / 60, 30)
z = float(shim.read_rigid_body_poses(physx, ["/World/Cube"])[0][2])
print("z", z, "stage", type(scene.ovstage_stage).__name__, flush=True)
scene.unload()
print("unloaded", scene.ovstage_stage is None and not scene.loaded, flush=True)
"""


@pytest.mark.parametrize(
    "order", ["host-first", "shim-first-with-settings", "given-stage", "factory", "shim-first-default"]
)
def test_the_ovstage_stage_is_the_callers_to_choose(order: str, tmp_path: Path) -> None:
    require("ovphysx")
    require("pxr")
    import shim

    adapter = shim.probe(import_ovphysx=True).adapter
    assert adapter is not None
    if adapter.generation == "add_usd":
        pytest.skip("0.2-0.4 load without ovstage")
    import ovstage

    if "config" not in __import__("inspect").signature(ovstage.Stage).parameters:
        pytest.skip("this ovstage has no stage settings (0.5)")
    done = run_script(_STAGE_SETTINGS, tmp_path, order)
    assert done.returncode == 0, done.stderr[-3000:]
    z = float(done.stdout.split("z ")[1].split()[0])
    assert 3.7 < z < 3.85  # half a second of free fall from 5 m: 3.77 m
    assert "stage Stage" in done.stdout
    assert "unloaded True" in done.stdout
    assert ("refused OvstageError" in done.stdout) == (order == "shim-first-default")


def test_a_bad_ovstage_option_is_named_and_leaves_the_instance_usable(physx: object) -> None:
    require("pxr")
    import shim
    from tests.fixtures.scenes import falling_cubes

    with pytest.raises(ValueError, match=r"ovstage=.*(not an ovstage.Stage|loads without ovstage)"):
        shim.load(physx, falling_cubes(1), ovstage=42)
    with shim.load(physx, falling_cubes(1)) as scene:
        shim.step(physx, 1 / 60, 1)
        assert (scene.ovstage_stage is None) == (shim.probe().generation == "add_usd")


def test_a_taken_stage_is_the_callers_and_the_shim_never_touches_it_again(physx: object) -> None:
    require("pxr")
    import shim
    from shim.demo import falling_cubes

    scene = shim.load(physx, falling_cubes(1))
    if shim.probe().generation == "add_usd":
        with pytest.raises(ValueError, match="holds no attached ovstage stage"):
            scene.take_ovstage_stage()
        scene.unload()
        return
    stage = scene.take_ovstage_stage()
    assert not scene.loaded
    scene.unload()  # a no-op now: the stage is still attached, the caller's
    shim.step(physx, 1 / 60, 1)
    # The caller's teardown, as a manager does it: detach, then destroy.
    from shim.adapters import adapter

    adapter().wait(physx, physx.detach_ovstage())  # type: ignore[attr-defined]
    stage.destroy()
    with shim.load(physx, falling_cubes(2)) as next_scene:  # the next load finds nothing of the old one
        shim.step(physx, 1 / 60, 1)
        assert next_scene.loaded
