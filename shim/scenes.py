"""Small scenes built in memory with usd-core, for the demo, the tests and the benchmarks."""

from __future__ import annotations

from typing import Any

import lazy

__all__ = ["add_box", "body_paths", "box_stack", "falling_cubes", "ground_world", "rigid_body_paths"]


def falling_cubes(count: int = 1, *, spacing: float = 3.0, height: float = 5.0) -> Any:
    """Z-up, 1 m units, gravity 9.81, a static ground box and ``count`` 1 kg unit cubes in a row.

    Cube i is /World/Cube_i at x = i * spacing (the only one is /World/Cube when count == 1).
    """
    stage = ground_world(ground_extent=(max(40.0, count * spacing * 2.2), 40.0))
    for index, path in enumerate(body_paths(count)):
        add_box(stage, path, (index * spacing, 0.0, height))
    return stage


def ground_world(*, ground_extent: tuple[float, float] = (40.0, 40.0)) -> Any:
    """A stage with /World, a physics scene (Z-up, 1 m units, gravity 9.81) and a static ground.

    The ground is a box ``ground_extent`` metres wide in x and y whose top face is at z = 0.
    """
    Gf, Usd, UsdGeom, UsdPhysics = lazy.pxr.Gf, lazy.pxr.Usd, lazy.pxr.UsdGeom, lazy.pxr.UsdPhysics
    stage = Usd.Stage.CreateInMemory()
    UsdGeom.SetStageUpAxis(stage, UsdGeom.Tokens.z)
    UsdGeom.SetStageMetersPerUnit(stage, 1.0)
    UsdGeom.Xform.Define(stage, "/World")
    scene = UsdPhysics.Scene.Define(stage, "/World/PhysicsScene")
    scene.CreateGravityDirectionAttr(Gf.Vec3f(0, 0, -1))
    scene.CreateGravityMagnitudeAttr(9.81)
    ground = UsdGeom.Cube.Define(stage, "/World/Ground")
    ground.CreateSizeAttr(1.0)
    ground.AddTranslateOp().Set(Gf.Vec3d(0, 0, -0.5))
    ground.AddScaleOp().Set(Gf.Vec3f(ground_extent[0], ground_extent[1], 1))
    UsdPhysics.CollisionAPI.Apply(ground.GetPrim())
    return stage


def add_box(stage: Any, path: str, position: tuple[float, float, float]) -> Any:
    """A 1 kg unit cube at ``path`` with rigid-body and collision APIs, placed at ``position``."""
    Gf, UsdGeom, UsdPhysics = lazy.pxr.Gf, lazy.pxr.UsdGeom, lazy.pxr.UsdPhysics
    cube = UsdGeom.Cube.Define(stage, path)
    cube.CreateSizeAttr(1.0)
    cube.AddTranslateOp().Set(Gf.Vec3d(*position))
    prim = cube.GetPrim()
    UsdPhysics.RigidBodyAPI.Apply(prim)
    UsdPhysics.CollisionAPI.Apply(prim)
    UsdPhysics.MassAPI.Apply(prim).CreateMassAttr(1.0)
    return prim


def box_stack(count: int = 4) -> Any:
    """``falling_cubes``' ground and gravity with ``count`` unit cubes dropped onto each other at x = 0.

    Cube i (/World/Cube_i) starts at z = 1 + 1.5 i and comes to rest at z = 0.5 + i.
    """
    Gf, UsdGeom = lazy.pxr.Gf, lazy.pxr.UsdGeom
    stage = falling_cubes(count, spacing=0.0)
    for index, path in enumerate(body_paths(count)):
        UsdGeom.Xformable(stage.GetPrimAtPath(path)).GetOrderedXformOps()[0].Set(Gf.Vec3d(0, 0, 1 + 1.5 * index))
    return stage


def body_paths(count: int) -> list[str]:
    """The rigid-body prim paths of ``falling_cubes(count)``."""
    return ["/World/Cube"] if count == 1 else [f"/World/Cube_{index}" for index in range(count)]


def rigid_body_paths(stage: Any) -> list[str]:
    """Every prim of ``stage`` with ``UsdPhysics.RigidBodyAPI`` applied, in stage order."""
    UsdPhysics = lazy.pxr.UsdPhysics
    return [str(prim.GetPath()) for prim in stage.Traverse() if prim.HasAPI(UsdPhysics.RigidBodyAPI)]
