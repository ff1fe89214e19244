"""Scenes built in memory with usd-core, for the demo, the tests and the benchmarks.

Bodies are authored as Sdf specs inside one ``Sdf.ChangeBlock``: through the Usd
schema API each new prim recomposes /World, and 20,000 cubes took 54 s instead of 1.5 s.
The layers are byte-identical to what the schema API writes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import lazy

__all__ = [
    "ROBOT_LINKS",
    "ROBOT_PARENTS",
    "add_box",
    "body_paths",
    "box_stack",
    "falling_cubes",
    "ground_world",
    "leg_joint",
    "mesh_bodies",
    "relationship",
    "rigid_body_paths",
    "robots",
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


def _translate(position: Sequence[float]) -> list[tuple[str, str, object]]:
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
        [("physics:mass", "Float", 1.0), ("size", "Double", size), *_translate(position)],
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


def _grid(count: int, spacing: float) -> list[tuple[float, float]]:
    side = max(1, math.ceil(math.sqrt(count)))
    return [((index % side) * spacing, (index // side) * spacing) for index in range(count)]


def sphere_mesh(points: int = 1000, radius: float = 0.5) -> tuple[Any, Any, Any]:
    """A closed-ish UV sphere of about ``points`` points as (points, faceVertexCounts, faceVertexIndices), triangles."""
    Gf, Vt = lazy.pxr.Gf, lazy.pxr.Vt
    rings = max(3, round(math.sqrt(points / 1.6)))
    segments = max(3, points // rings)
    vertices = [
        Gf.Vec3f(
            radius * math.sin(math.pi * (ring + 0.5) / rings) * math.cos(2 * math.pi * segment / segments),
            radius * math.sin(math.pi * (ring + 0.5) / rings) * math.sin(2 * math.pi * segment / segments),
            radius * math.cos(math.pi * (ring + 0.5) / rings),
        )
        for ring in range(rings)
        for segment in range(segments)
    ]
    indices: list[int] = []
    for ring in range(rings - 1):
        for segment in range(segments):
            a, b = ring * segments + segment, ring * segments + (segment + 1) % segments
            c, d = a + segments, b + segments
            indices += [a, b, d, a, d, c]
    return Vt.Vec3fArray(vertices), Vt.IntArray([3] * (len(indices) // 3)), Vt.IntArray(indices)


def mesh_bodies(count: int, *, points: int = 1000, distinct: bool = True) -> Any:
    """``count`` 1 kg rigid bodies /World/Body_i, each a mesh collider of ``points`` points (about 2 triangles each).

    ``distinct``: every body has its own point array (scaled by 1 + i/count/10), as imported assets
    do; otherwise every body carries the same arrays, as cloned RL environments do. The
    collision approximation is the mesh's bounding cube, so that PhysX's cooking does not
    hide the cost of moving the mesh data.
    """
    Vt = lazy.pxr.Vt
    stage = ground_world(ground_extent=(max(40.0, math.sqrt(count) * 4.0), max(40.0, math.sqrt(count) * 4.0)))
    layer = stage.GetRootLayer()
    shape, counts, indices = sphere_mesh(points)
    with lazy.pxr.Sdf.ChangeBlock():
        for index, (x, y) in enumerate(_grid(count, 1.5)):
            scale = 1.0 + index / count / 10 if distinct else 1.0
            vertices = Vt.Vec3fArray([point * scale for point in shape]) if distinct else shape
            define(
                layer,
                f"/World/Body_{index}",
                "Mesh",
                ("PhysicsRigidBodyAPI", "PhysicsCollisionAPI", "PhysicsMeshCollisionAPI", "PhysicsMassAPI"),
                [
                    ("faceVertexCounts", "IntArray", counts),
                    ("faceVertexIndices", "IntArray", indices),
                    ("physics:approximation", "Token", "boundingCube"),
                    ("physics:mass", "Float", 1.0),
                    ("points", "Point3fArray", vertices),
                    *_translate((x, y, 2.0)),
                ],
                uniform=("xformOpOrder", "physics:approximation"),
            )
    return stage


def robots(count: int, *, references: bool = False) -> Any:
    """``count`` copies of a four-legged articulated robot under /World/envs/env_i, 2.5 m apart.

    Each robot has 9 rigid bodies (a base and two links per leg) and 8 driven revolute joints;
    env_0 is authored once and copied into the others with ``Sdf.CopySpec``, as Isaac Lab's cloner
    does, or (``references``) each other env is an internal reference to env_0 with its own translate.
    """
    Sdf = lazy.pxr.Sdf
    stage = ground_world(ground_extent=(max(40.0, math.sqrt(count) * 6.0), max(40.0, math.sqrt(count) * 6.0)))
    layer = stage.GetRootLayer()
    cells = _grid(count, 2.5)
    with Sdf.ChangeBlock():
        define(layer, "/World/envs", "Xform")
        _robot(layer, "/World/envs/env_0", cells[0])
        for index in range(1, count):
            target = f"/World/envs/env_{index}"
            if references:
                env = define(layer, target, "Xform", (), _translate((*cells[index], 0.0)))
                env.referenceList.Prepend(Sdf.Reference(primPath="/World/envs/env_0"))
                continue
            Sdf.CreatePrimInLayer(layer, target)
            Sdf.CopySpec(layer, "/World/envs/env_0", layer, target)
            layer.GetAttributeAtPath(f"{target}.xformOp:translate").default = lazy.pxr.Gf.Vec3d(*cells[index], 0.0)
    return stage


#: The articulated robot of ``robots`` and ``shim.assets``: link -> (position, collider box size, mass).
#: Each leg link hangs from a driven revolute joint 0.125 m above its centre (``ROBOT_PARENTS``).
ROBOT_LINKS: dict[str, tuple[tuple[float, float, float], tuple[float, float, float], float]] = {
    "base": ((0.0, 0.0, 0.8), (0.6, 0.3, 0.15), 4.0),
    **{
        f"leg{leg}_{part}": ((x, y, z), (0.06, 0.06, 0.22), 0.5)
        for leg, (x, y) in enumerate(((0.25, 0.2), (0.25, -0.2), (-0.25, 0.2), (-0.25, -0.2)))
        for part, z in enumerate((0.6, 0.35))
    },
}
#: leg link -> the link its joint attaches it to
ROBOT_PARENTS: dict[str, str] = {
    name: "base" if name.endswith("_0") else f"{name[:-2]}_0" for name in ROBOT_LINKS if name != "base"
}


def relationship(spec: Any, name: str, target: str) -> None:
    """Author ``rel <name> = <target>`` on a prim spec."""
    lazy.pxr.Sdf.RelationshipSpec(spec, name).targetPathList.explicitItems = [target]


def leg_joint(layer: Any, path: str, root: str, child: str, extra: Iterable[tuple[str, str, object]] = ()) -> Any:
    """The driven revolute joint (Y axis, +-60 degrees) from ``ROBOT_PARENTS[child]`` to ``child`` under ``root``."""
    Gf = lazy.pxr.Gf
    parent = ROBOT_PARENTS[child]
    parent_position, child_position = ROBOT_LINKS[parent][0], ROBOT_LINKS[child][0]
    anchor = (child_position[0], child_position[1], child_position[2] + 0.125)
    joint = define(
        layer,
        path,
        "PhysicsRevoluteJoint",
        ("PhysicsDriveAPI:angular",),
        [
            ("drive:angular:physics:damping", "Float", 10.0),
            ("drive:angular:physics:stiffness", "Float", 100.0),
            *extra,
            ("physics:axis", "Token", "Y"),
            (
                "physics:localPos0",
                "Point3f",
                Gf.Vec3f(*(a - b for a, b in zip(anchor, parent_position, strict=True))),
            ),
            ("physics:localPos1", "Point3f", Gf.Vec3f(0.0, 0.0, 0.125)),
            ("physics:lowerLimit", "Float", -60.0),
            ("physics:upperLimit", "Float", 60.0),
        ],
        uniform=("physics:axis",),
    )
    relationship(joint, "physics:body0", f"{root}/{parent}")
    relationship(joint, "physics:body1", f"{root}/{child}")
    return joint


def _robot(layer: Any, root: str, cell: tuple[float, float]) -> None:
    define(layer, root, "Xform", (), _translate((*cell, 0.0)))
    robot = f"{root}/Robot"
    define(layer, robot, "Xform", ("PhysicsArticulationRootAPI",), _translate((0.0, 0.0, 0.0)))
    hold_straight = [("drive:angular:physics:targetPosition", "Float", 0.0)]
    for name, (position, size, mass) in ROBOT_LINKS.items():
        _link(layer, f"{robot}/{name}", position, size, mass)
        if name in ROBOT_PARENTS:  # each leg link is followed by the joint that holds it (prim order)
            leg_joint(layer, f"{robot}/joint{name[3:]}", robot, name, hold_straight)


def _link(
    layer: Any, path: str, position: tuple[float, float, float], size: tuple[float, float, float], mass: float
) -> None:
    """A rigid-body link: an unscaled Xform (joint frames are in its space) holding a scaled box collider."""
    Gf, Vt = lazy.pxr.Gf, lazy.pxr.Vt
    define(
        layer,
        path,
        "Xform",
        ("PhysicsRigidBodyAPI", "PhysicsMassAPI"),
        [("physics:mass", "Float", mass), *_translate(position)],
    )
    define(
        layer,
        f"{path}/collision",
        "Cube",
        ("PhysicsCollisionAPI",),
        [
            ("size", "Double", 1.0),
            ("xformOp:scale", "Float3", Gf.Vec3f(*size)),
            ("xformOpOrder", "TokenArray", Vt.TokenArray(["xformOp:scale"])),
        ],
    )
