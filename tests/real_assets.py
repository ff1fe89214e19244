"""Real assets that NVIDIA wrote: Isaac Sim's pip wheels, fetched at test time, never committed.

``MANIFEST`` names each asset, the folder it comes from and what it exercises. ``fetch``
downloads the wheels with pip into a cache once and extracts the whole data folders, so
that payloads and references resolve. ``grounded`` writes a layer that sublayers an asset
and adds a physics scene and a static ground box just under its lowest point, so that its
colliders have something to hit.

``python -m tests.real_assets case ASSET GROUNDED`` runs one asset in a fresh process (as the
tests do) and prints one JSON line: its structure, and the native loads' poses against the shim's.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ISAACSIM = "6.2.0.0"
STEPS = 60
_REPORT = "real-asset report: "  # the child's result line; native libraries may print around it
DT = 1 / 60
_RULES = "isaacsim/exts/isaacsim.asset.transformer.rules/data/tests"
#: The folder inside each wheel whose whole tree the assets need.
FOLDERS = {
    "isaacsim-asset": _RULES,
    "isaacsim-test": "isaacsim/exts/isaacsim.test.collection/data/tests",
    "isaacsim-example": "isaacsim/exts/isaacsim.examples.interactive/data",
    "isaacsim-robot": "isaacsim/exts/isaacsim.robot.surface_gripper/data",
}


_EXPLODES = "without an articulation root it explodes natively (bodies hundreds of metres away)"
_OVERS = "a layer of `over` opinions, not a standalone scene: the native load simulates nothing"


@dataclass(frozen=True)
class Asset:
    name: str
    path: str  # inside the extracted tree
    exercises: str
    skip: str = ""  # why it is not simulated at all (its structure is still checked)
    wild: str = ""  # why the asset on its own is not compared (it explodes natively); the grounded one is
    rests: bool = False  # it falls on its own, and the generated ground holds every body up


# fmt: off
MANIFEST = [  # one asset a line
    Asset("g1", f"{_RULES}/G1/g1.usda", "humanoid, payloads, 3 variant sets, 90 instanceable prims, 31 instanced colliders", rests=True),
    Asset("g1-physics", f"{_RULES}/G1/configuration/g1_29dof_with_hand_rev_1_0_physics.usda", "physics layer over a base layer, 70 colliders", rests=True),
    Asset("g1-physics-simplified", f"{_RULES}/G1/configuration/g1_29dof_with_hand_rev_1_0_physics_simplified.usda", "simplified colliders, instancing", rests=True),
    Asset("g1-backpack", f"{_RULES}/G1/configuration/backpack/g1_29dof_NVBP.usda", "a static instanced collider with mass"),
    Asset("inspire-left", f"{_RULES}/G1/configuration/inspire_hand/inspire_left_hand.usda", "13-body hand, instanced colliders", rests=True),
    Asset("inspire-right-physics", f"{_RULES}/G1/configuration/inspire_hand/inspire_right_physics.usda", "hand physics layer, 26 colliders", rests=True),
    Asset("three-finger-left", f"{_RULES}/G1/configuration/three_finger_hand/three_fingers_left_hand.usda", "8-body hand, instanced colliders", rests=True),
    Asset("three-finger-right-physics", f"{_RULES}/G1/configuration/three_finger_hand/three_finger_hand_physics_right.usda", "hand physics layer", rests=True),
    Asset("g1-left-inspire", f"{_RULES}/G1/configuration/g1_left_hand_inspire_left_physics.usda", "hand sublayered into the G1 namespace, unresolved collider references", wild=_EXPLODES),
    Asset("test-advanced", f"{_RULES}/test_advanced/usdex/test_advanced.usda", "articulation, instanced prototypes, materials", rests=True),
    Asset("collision-from-visuals", f"{_RULES}/test_collision_from_visuals/test_collision_from_visuals.usda", "articulation without colliders"),
    Asset("test-prims", f"{_RULES}/test_prims/base.usda", "UR10e base layer, a missing payload"),
    Asset("ur10e", f"{_RULES}/ur10e/ur10e.usd", "crate, 7 instanced colliders, fixed base, its own physics scene"),
    Asset("ur10e-physics", f"{_RULES}/ur10e/configuration/ur10e_physics.usd", "crate physics layer, 14 colliders"),
    Asset("ur10e-2f85", f"{_RULES}/ur10e/configuration/ur10e_Gripper_Robotiq_2f_85.usd", "crate, robot with gripper, 18 instanced colliders", wild=_EXPLODES),
    Asset("ur10e-2f140", f"{_RULES}/ur10e/configuration/ur10e_Gripper_Robotiq_2F_140.usd", "crate, gripper without an articulation root", wild=_EXPLODES),
    Asset("robotiq-2f85", f"{_RULES}/ur10e/Robotiq/2F-85/Robotiq_2F_85.usda", "interface layer, payloads, instanced colliders", rests=True),
    Asset("robotiq-2f85-instances", f"{_RULES}/ur10e/Robotiq/2F-85/payloads/instances.usda", "prototypes in a class, binary geometry crate", rests=True),
    Asset("robotiq-2f140-base", f"{_RULES}/ur10e/Robotiq/2F-140/Robotiq_2F_140_base.usd", "crate, mass inside instanceable prims", rests=True),
    Asset("robotiq-2f140-physics", f"{_RULES}/ur10e/Robotiq/2F-140/Robotiq_2F_140_physics_edit.usd", "crate, 19 mass APIs, 11 joints"),
    Asset("ur10e-interface-base", f"{_RULES}/ur10e_interface/payloads/base.usda", "static instanced colliders, no bodies"),
    Asset("ur10e-shoulder", f"{_RULES}/ur10e_shoulder/ur10e.usda", "static colliders in nested instances"),
    Asset("drives-opposite", "isaacsim/exts/isaacsim.test.collection/data/tests/articulation_drives_opposite.usd", "crate, driven articulation on its own ground"),
    Asset("gantry-example", "isaacsim/exts/isaacsim.examples.interactive/data/SurfaceGripper_gantry.usda", "37 bodies, 61 colliders, a surface gripper"),
    Asset("gantry-robot", "isaacsim/exts/isaacsim.robot.surface_gripper/data/SurfaceGripper_gantry.usda", "39 bodies, 73 colliders"),
    Asset("inspire-white-physics", f"{_RULES}/G1/configuration/inspire_hand/g1_29dof_rev_1_0_with_inspire_hand_retarget_inspire_white_physics.usda", "over-only physics layer", skip=_OVERS),
    Asset("robotiq-physx-loop", f"{_RULES}/ur10e/Robotiq/2F-85/payloads/Physics/Physx_Loop.usda", "over-only PhysX layer", skip=_OVERS),
]
# fmt: on


def cache_dir() -> Path:
    return Path(os.environ.get("SHIM_ASSET_CACHE", Path.home() / ".cache" / "ovphysx-shim" / f"isaacsim-{ISAACSIM}"))


def fetch(cache: Path | None = None) -> Path:
    """The extracted tree of every asset's wheel, downloaded with pip on first use (locked across processes)."""
    cache = cache or cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    tree = cache / "tree"
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (tree / ".complete").exists():
            return tree
        wheels = cache / "wheels"
        for distribution in FOLDERS:
            if not list(wheels.glob(f"{distribution.replace('-', '_')}-{ISAACSIM}-*.whl")):
                _download(distribution, wheels)
        for distribution, folder in FOLDERS.items():
            (wheel,) = wheels.glob(f"{distribution.replace('-', '_')}-{ISAACSIM}-*.whl")
            with zipfile.ZipFile(wheel) as archive:
                archive.extractall(tree, [name for name in archive.namelist() if name.startswith(folder + "/")])
        (tree / ".complete").touch()
    return tree


def _download(distribution: str, wheels: Path) -> None:
    """pip downloads the wheel (CPython 3.12, manylinux; only its data is used, whatever runs the tests)."""
    # A venv that uv made has no pip; the interpreter it was made from has.
    pythons = [sys.executable, getattr(sys, "_base_executable", None), shutil.which("python3")]
    pip = next(
        [python, "-m", "pip"]
        for python in pythons
        if python
        and subprocess.run([python, "-m", "pip", "--version"], capture_output=True, check=False).returncode == 0
    )
    subprocess.run(
        [
            *pip,
            "download",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--python-version",
            "3.12",
            "--platform",
            "manylinux_2_35_x86_64",
            f"{distribution}=={ISAACSIM}",
            "-d",
            str(wheels),
        ],
        check=True,
    )


def grounded(asset: Path, directory: Path) -> tuple[Path, float]:
    """A layer that sublayers ``asset`` and adds a ground box just under its lowest point (and a scene if it has none).

    Returns the layer's path and the height of the ground's top face.
    """
    from pxr import Gf, Sdf, Usd, UsdGeom, UsdPhysics

    stage = Usd.Stage.Open(str(asset))
    up = UsdGeom.GetStageUpAxis(stage)
    purposes = [UsdGeom.Tokens.default_, UsdGeom.Tokens.render, UsdGeom.Tokens.proxy, UsdGeom.Tokens.guide]
    bound = UsdGeom.BBoxCache(Usd.TimeCode.Default(), purposes).ComputeWorldBound(stage.GetPseudoRoot())
    low, high = bound.ComputeAlignedRange().GetMin(), bound.ComputeAlignedRange().GetMax()
    axis = 2 if up == UsdGeom.Tokens.z else 1
    thickness, gap = 0.1, 0.005
    centre = [(low[i] + high[i]) / 2 for i in range(3)]
    centre[axis] = low[axis] - gap - thickness / 2
    width = max(10.0, 4 * max(high[i] - low[i] for i in range(3)))
    scale = [width, width, width]
    scale[axis] = thickness
    layer = Sdf.Layer.CreateNew(str(directory / f"{asset.stem}-grounded.usda"))
    layer.subLayerPaths.append(str(asset))
    layer.pseudoRoot.SetInfo("upAxis", up)
    layer.pseudoRoot.SetInfo("metersPerUnit", UsdGeom.GetStageMetersPerUnit(stage))
    if stage.GetDefaultPrim():
        layer.defaultPrim = stage.GetDefaultPrim().GetName()
    ground = Sdf.CreatePrimInLayer(layer, "/ShimTestGround")
    ground.specifier, ground.typeName = Sdf.SpecifierDef, "Cube"
    ground.SetInfo("apiSchemas", Sdf.TokenListOp.Create(prependedItems=["PhysicsCollisionAPI"]))
    for name, value_type, value in (
        ("size", Sdf.ValueTypeNames.Double, 1.0),
        ("xformOp:translate", Sdf.ValueTypeNames.Double3, Gf.Vec3d(*centre)),
        ("xformOp:scale", Sdf.ValueTypeNames.Double3, Gf.Vec3d(*scale)),
        ("xformOpOrder", Sdf.ValueTypeNames.TokenArray, ["xformOp:translate", "xformOp:scale"]),
    ):
        Sdf.AttributeSpec(ground, name, value_type).default = value
    if not any(prim.IsA(UsdPhysics.Scene) for prim in stage.Traverse()):
        scene = Sdf.CreatePrimInLayer(layer, "/ShimTestPhysicsScene")
        scene.specifier, scene.typeName = Sdf.SpecifierDef, "PhysicsScene"
    layer.Save()
    return Path(layer.realPath), low[axis] - gap


def structure(stage: Any) -> dict[str, int]:
    """How many rigid bodies, colliders, joints, mass APIs and articulation roots ``stage`` composes."""
    from pxr import Usd, UsdPhysics

    counts = dict.fromkeys(("bodies", "colliders", "joints", "mass", "articulation_roots"), 0)
    for prim in stage.Traverse(Usd.TraverseInstanceProxies(Usd.PrimDefaultPredicate)):
        schemas = prim.GetPrimTypeInfo().GetAppliedAPISchemas()
        counts["bodies"] += "PhysicsRigidBodyAPI" in schemas
        counts["colliders"] += "PhysicsCollisionAPI" in schemas
        counts["mass"] += "PhysicsMassAPI" in schemas
        counts["articulation_roots"] += "PhysicsArticulationRootAPI" in schemas
        counts["joints"] += prim.IsA(UsdPhysics.Joint)
    return counts


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """ovphysx's native log lines go to fd 1; the child's one JSON line must stay alone there."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def _case(paths: list[str]) -> dict[str, Any]:
    """For the asset and its grounded variant: structure, native file loads twice, ``shim.load`` all and physics."""
    import numpy as np
    from pxr import Usd

    import shim
    from shim.physics_only import physics_only
    from shim.scenes import rigid_body_paths
    from tests.native_reference import poses_from_file_natively

    physx = None
    report: dict[str, Any] = {}
    for variant, path in zip(("as-is", "grounded"), paths, strict=False):
        stage = Usd.Stage.Open(path)
        bodies = rigid_body_paths(stage)
        layer, _ = physics_only(stage)
        found: dict[str, Any] = {
            "bodies": bodies,
            "structure": structure(stage),
            "structure_physics": structure(Usd.Stage.Open(layer)),
        }
        report[variant] = found
        if not bodies:
            continue
        physx = physx or shim.create_physx("cpu")
        native = [poses_from_file_natively(physx, path, bodies, STEPS, DT) for _ in range(2)]
        results = {}
        for content in ("all", "physics"):
            with shim.load(physx, stage, content=content):
                shim.step(physx, DT, STEPS)
                results[content] = shim.read_rigid_body_poses(physx, bodies)
        found.update(
            native=native[0].tolist(),
            repeatable=bool(np.array_equal(native[0], native[1], equal_nan=True)),
            all_equal=bool(np.array_equal(native[0], results["all"], equal_nan=True)),
            physics_equal=bool(np.array_equal(native[0], results["physics"], equal_nan=True)),
            finite=bool(np.isfinite(native[0]).all()),
        )
    if physx is not None:
        shim.destroy(physx)
    return report


def run_case(paths: list[Path]) -> dict[str, Any]:
    """``_case`` in a fresh process (the releases keep process-wide state); its JSON report."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.real_assets", "case", *map(str, paths)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    if done.returncode != 0:
        raise AssertionError(f"the case for {paths[0]} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    (line,) = [line for line in done.stdout.splitlines() if line.startswith(_REPORT)]
    return json.loads(line.removeprefix(_REPORT))  # type: ignore[no-any-return]


if __name__ == "__main__":
    if sys.argv[1:2] == ["case"]:
        with _quiet_stdout():
            found = _case(sys.argv[2:])
        print(_REPORT + json.dumps(found), flush=True)
    elif sys.argv[1:2] == ["fetch"]:
        print(fetch())
