"""The small scenes the ``ovphysx-shim demo`` command drops, built in memory with usd-core.

Bodies are authored as Sdf specs inside one ``Sdf.ChangeBlock``: through the Usd schema API
each new prim recomposes /World. The layers are byte-identical to what the schema API writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import lazy
from shim.source.geometry import world_range

__all__ = [
    "add_box",
    "body_paths",
    "box_stack",
    "define",
    "environments_of",
    "falling_cubes",
    "ground_under",
    "ground_world",
    "rigid_body_paths",
    "translate",
]

_BOX_SCHEMAS = ("PhysicsRigidBodyAPI", "PhysicsCollisionAPI", "PhysicsMassAPI")


def falling_cubes(count: int = 1, *, spacing: float = 3.0, height: float = 5.0) -> Any:
    """Z-up, 1 m units, gravity 9.81, a static ground box and ``count`` 1 kg unit cubes in a row.

    Cube i is /World/Cube_i at x = i * spacing (the only one is /World/Cube when count == 1).
    """
    stage = ground_world(ground_extent=(max(40.0, count * spacing * 2.2), 40.0))
    with lazy.pxr.Sdf.ChangeBlock():
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


def define(
    layer: Any,
    path: str,
    type_name: str,
    schemas: Sequence[str] = (),
    attributes: Iterable[tuple[str, str, object]] = (),
    *,
    uniform: Iterable[str] = ("xformOpOrder",),
) -> Any:
    """Author ``def <type_name> <path>`` in ``layer`` with its API schemas and ``(name, type, value)`` attributes."""
    Sdf = lazy.pxr.Sdf
    prim = Sdf.CreatePrimInLayer(layer, path)
    prim.specifier = Sdf.SpecifierDef
    prim.typeName = type_name
    if schemas:
        prim.SetInfo("apiSchemas", Sdf.TokenListOp.Create(prependedItems=list(schemas)))
    uniform = frozenset(uniform)
    for name, value_type, value in attributes:
        variability = Sdf.VariabilityUniform if name in uniform else Sdf.VariabilityVarying
        Sdf.AttributeSpec(prim, name, getattr(Sdf.ValueTypeNames, value_type), variability).default = value
    return prim


def translate(position: Sequence[float]) -> list[tuple[str, str, object]]:
    Gf, Vt = lazy.pxr.Gf, lazy.pxr.Vt
    return [
        ("xformOp:translate", "Double3", Gf.Vec3d(*position)),
        ("xformOpOrder", "TokenArray", Vt.TokenArray(["xformOp:translate"])),
    ]


def add_box(stage: Any, path: str, position: tuple[float, float, float], *, size: float = 1.0) -> Any:
    """A 1 kg cube of edge ``size`` at ``path`` with rigid-body and collision APIs, placed at ``position``."""
    layer = stage.GetEditTarget().GetLayer()
    define(
        layer,
        path,
        "Cube",
        _BOX_SCHEMAS,
        [("physics:mass", "Float", 1.0), ("size", "Double", size), *translate(position)],
    )
    return stage.GetPrimAtPath(path)


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


def ground_under(stage: Any, layer: Any = None, *, gap: float = 0.005) -> float:
    """A static collision box ``gap`` below the scene's lowest point, and a PhysicsScene if it has none.

    Authored in ``layer`` (default: the stage's session layer, so the files stay untouched), along
    the stage's up axis, four times as wide as the scene. Returns the height of the box's top face.
    """
    Gf, Sdf, UsdGeom, UsdPhysics = lazy.pxr.Gf, lazy.pxr.Sdf, lazy.pxr.UsdGeom, lazy.pxr.UsdPhysics
    layer = layer if layer is not None else stage.GetSessionLayer()
    bound = world_range(stage.GetPseudoRoot())
    low, high = bound.GetMin(), bound.GetMax()
    axis = 2 if UsdGeom.GetStageUpAxis(stage) == UsdGeom.Tokens.z else 1
    thickness = 0.1
    centre = [(low[i] + high[i]) / 2 for i in range(3)]
    centre[axis] = low[axis] - gap - thickness / 2
    width = max(10.0, 4 * max(high[i] - low[i] for i in range(3)))
    scale = [width, width, width]
    scale[axis] = thickness
    has_scene = any(prim.IsA(UsdPhysics.Scene) for prim in stage.Traverse())
    with Sdf.ChangeBlock():
        ground = Sdf.CreatePrimInLayer(layer, "/ShimGround")
        ground.specifier, ground.typeName = Sdf.SpecifierDef, "Cube"
        ground.SetInfo("apiSchemas", Sdf.TokenListOp.Create(prependedItems=["PhysicsCollisionAPI"]))
        for name, value_type, value in (
            ("size", Sdf.ValueTypeNames.Double, 1.0),
            ("xformOp:translate", Sdf.ValueTypeNames.Double3, Gf.Vec3d(*centre)),
            ("xformOp:scale", Sdf.ValueTypeNames.Double3, Gf.Vec3d(*scale)),
            ("xformOpOrder", Sdf.ValueTypeNames.TokenArray, ["xformOp:translate", "xformOp:scale"]),
        ):
            Sdf.AttributeSpec(ground, name, value_type).default = value
        if not has_scene:
            scene = Sdf.CreatePrimInLayer(layer, "/ShimPhysicsScene")
            scene.specifier, scene.typeName = Sdf.SpecifierDef, "PhysicsScene"
    return float(low[axis] - gap)


def environments_of(path: str, count: int) -> Any:
    """A stage of ``count`` environments /World/envs/env_i, each holding a reference to the file's default prim.

    Laid out on a square grid across the up axis, twice the prim's size apart, with a PhysicsScene
    at /World/PhysicsScene unless the default prim holds one: what ``clones="engine"`` clones.
    """
    Gf, Sdf, Usd, UsdGeom, UsdPhysics = lazy.pxr.Gf, lazy.pxr.Sdf, lazy.pxr.Usd, lazy.pxr.UsdGeom, lazy.pxr.UsdPhysics
    source = Usd.Stage.Open(path)
    prim = source.GetDefaultPrim()
    if not prim:
        raise ValueError(f"{path}: has no default prim to copy; set one (defaultPrim) to use clones")
    size = world_range(prim).GetSize()
    spacing = max(1.0, 2 * max(size[0], size[1], size[2]))
    up = UsdGeom.GetStageUpAxis(source)
    across = (0, 1) if up == UsdGeom.Tokens.z else (0, 2)
    columns = max(1, round(count**0.5))
    stage = Usd.Stage.CreateInMemory()
    UsdGeom.SetStageUpAxis(stage, up)
    UsdGeom.SetStageMetersPerUnit(stage, UsdGeom.GetStageMetersPerUnit(source))
    with Sdf.ChangeBlock():
        for index in range(count):
            offset = [0.0, 0.0, 0.0]
            offset[across[0]], offset[across[1]] = (index % columns) * spacing, (index // columns) * spacing
            environment = Sdf.CreatePrimInLayer(stage.GetRootLayer(), f"/World/envs/env_{index}")
            environment.specifier, environment.typeName = Sdf.SpecifierDef, "Xform"
            copy = Sdf.PrimSpec(environment, prim.GetName(), Sdf.SpecifierDef)
            copy.referenceList.Prepend(Sdf.Reference(path, prim.GetPath()))
            translate = Sdf.AttributeSpec(environment, "xformOp:translate", Sdf.ValueTypeNames.Double3)
            translate.default = Gf.Vec3d(*offset)
            order = Sdf.AttributeSpec(environment, "xformOpOrder", Sdf.ValueTypeNames.TokenArray)
            order.default = ["xformOp:translate"]
        for parent in ("/World", "/World/envs"):
            stage.GetRootLayer().GetPrimAtPath(parent).specifier = Sdf.SpecifierDef
    if not any(child.IsA(UsdPhysics.Scene) for child in Usd.PrimRange(prim)):
        UsdPhysics.Scene.Define(stage, "/World/PhysicsScene")
    return stage
