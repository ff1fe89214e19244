"""A simulator manager in the shape of Isaac Lab's ``OvPhysxManager``, with one ``shim.load``.

It follows the manager's ``_warmup_and_load`` flow: lock the device, build the stage,
clone env_0 into env_1..N with per-env transforms, hand the stage to ovphysx, warm up,
bind the bodies, step, read poses, close. The lines that differ by ovphysx release
(export to a temp file + ``add_usd`` on 0.2-0.4; ``ExportToString`` + ovstage population
+ ``attach_ovstage`` on 0.5+) are the one ``shim.load`` call marked below; see
docs/migration.md for the exact lines it replaces.

    python examples/ovphysx_manager.py --envs 64 --steps 120 [--device cuda] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, ClassVar

import lazy
import shim
from shim.demo import add_box, ground_world

ENV_ROOT = "/World/envs"
BODIES = ("Base", "Top")  # two boxes stacked in every env: Top lands on Base, Base on the ground


class OvPhysxManager:
    """Process-global, like Isaac Lab's: one PhysX instance, reused across scenes (0.4.13 needs it)."""

    _physx: ClassVar[Any] = None
    _device: ClassVar[str | None] = None
    _scene: ClassVar[shim.LoadedScene | None] = None
    body_paths: ClassVar[list[str]] = []

    @classmethod
    def _lock_device(cls, device: str) -> None:
        if cls._device is not None and cls._device != device:
            raise RuntimeError(f"the PhysX instance runs on {cls._device!r}; {device!r} needs a new process")
        cls._device = device

    @classmethod
    def warmup_and_load(cls, stage: Any, num_envs: int, spacing: float, device: str = "cpu") -> shim.LoadedScene:
        cls._lock_device(device)
        if cls._physx is None:
            cls._physx = shim.create_physx(device)
        elif cls._scene is not None:
            cls._scene.unload()
        clone_environments(stage, num_envs, spacing)
        # ---- what this replaces: stage.Export(tmp) + physx.add_usd(tmp) + wait_op (0.2-0.4), or
        # ---- Flatten/ExportToString + open_usd_from_string + seal + attach_ovstage (0.5+).
        cls._scene = shim.load(cls._physx, stage)
        # ----
        warm_up = getattr(cls._physx, "warmup", None) or getattr(cls._physx, "warmup_gpu", None)
        if device != "cpu" and warm_up is not None:
            warm_up()
        cls.body_paths = [f"{ENV_ROOT}/env_{index}/{body}" for index in range(num_envs) for body in BODIES]
        return cls._scene

    @classmethod
    def step(cls, dt: float, steps: int = 1) -> None:
        shim.step(cls._physx, dt, steps)

    @classmethod
    def body_poses(cls) -> Any:
        """float32 (num_envs * len(BODIES), 7), in ``body_paths`` order."""
        return shim.read_rigid_body_poses(cls._physx, cls.body_paths)

    @classmethod
    def close(cls) -> None:
        if cls._physx is not None:
            shim.destroy(cls._physx)
        cls._physx = cls._scene = cls._device = None


def build_env0_stage() -> Any:
    """Z-up, 1 m units: a physics scene, a ground, and env_0 with two 1 kg boxes stacked in the air."""
    stage = ground_world(ground_extent=(400.0, 400.0))
    lazy.pxr.UsdGeom.Xform.Define(stage, f"{ENV_ROOT}/env_0")
    for body, height in zip(BODIES, (2.0, 4.0), strict=True):
        add_box(stage, f"{ENV_ROOT}/env_0/{body}", (0.0, 0.0, height))
    return stage


def env_origin(index: int, num_envs: int, spacing: float) -> tuple[float, float]:
    """Isaac Lab's grid: envs in rows of ceil(sqrt(N)), ``spacing`` metres apart."""
    columns = max(1, int(num_envs**0.5 + 0.999999))
    return (index % columns) * spacing, (index // columns) * spacing


def clone_environments(stage: Any, num_envs: int, spacing: float) -> None:
    """Copy env_0 into env_1..N-1 (Sdf.CopySpec, as Isaac Lab's cloner does), each with its own translate."""
    Gf, Sdf, UsdGeom = lazy.pxr.Gf, lazy.pxr.Sdf, lazy.pxr.UsdGeom
    layer = stage.GetRootLayer()
    source = Sdf.Path(f"{ENV_ROOT}/env_0")
    for index in range(1, num_envs):
        target = Sdf.Path(f"{ENV_ROOT}/env_{index}")
        Sdf.CreatePrimInLayer(layer, target)
        Sdf.CopySpec(layer, source, layer, target)
    for index in range(num_envs):
        x, y = env_origin(index, num_envs, spacing)
        xform = UsdGeom.Xformable(stage.GetPrimAtPath(f"{ENV_ROOT}/env_{index}"))
        xform.ClearXformOpOrder()
        xform.AddTranslateOp().Set(Gf.Vec3d(x, y, 0))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envs", type=int, default=64)
    parser.add_argument("--spacing", type=float, default=3.0)
    parser.add_argument("--steps", type=int, default=120)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    scene = OvPhysxManager.warmup_and_load(build_env0_stage(), options.envs, options.spacing, options.device)
    OvPhysxManager.step(1 / 60, options.steps)
    poses = OvPhysxManager.body_poses()
    paths = list(OvPhysxManager.body_paths)
    OvPhysxManager.close()
    report = {
        "ovphysx": shim.probe().ovphysx,
        "device": options.device,
        "envs": options.envs,
        "strategy": scene.strategy,
        "format": scene.format,
        "load_s": scene.timings["total_s"],
        "poses": {path: [float(value) for value in pose] for path, pose in zip(paths, poses, strict=True)},
    }
    if options.json:
        print("manager-report: " + json.dumps(report))
    else:
        print(f"{options.envs} envs loaded with {scene.strategy}/{scene.format} in {scene.timings['total_s']:.3f} s")
        for path in paths[:4] + paths[-2:]:
            x, y, z = report["poses"][path][:3]
            print(f"  {path:28} x={x:+.3f} y={y:+.3f} z={z:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
