"""A robot asset on disk in the Isaac Sim layout, and an appearance-heavy scene that clones it.

The layout (``interface.usda`` and ``payloads/``) is the one Isaac Sim 5 writes for its
robots: the interface layer payloads ``robot.usda``, which sublayers ``physx.usda``,
which sublayers ``physics.usda``, which sublayers ``base.usda``. ``base.usda`` holds the
xform hierarchy; each link's visuals come through a payload to ``instances.usda``, which
references dense meshes in the binary crate ``geometries.usdc``; the materials (shaders
reading ``Textures/*.png``) come through a payload to ``materials.usda``. Colliders,
rigid bodies, joints, drives and the physics material live in ``physics.usda``, PhysX
tuning in ``physx.usda``.
"""

from __future__ import annotations

import math
import os
import struct
import zlib
from typing import Any

import lazy
from shim.scenes import ROBOT_LINKS, ROBOT_PARENTS, define, ground_world, leg_joint, relationship, sphere_mesh

__all__ = ["appearance_heavy", "write_robot"]


def _png(path: str, size: int, seed: int) -> None:
    """An RGB texture (a real PNG, noisy so that it does not compress away)."""
    rows = bytearray()
    state = seed * 2654435761 % 2**32 or 1
    for _ in range(size):
        rows.append(0)
        for _ in range(size * 3):
            state = (state * 1103515245 + 12345) % 2**31
            rows.append(state >> 23)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    with open(path, "wb") as file:
        file.write(
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows), 1))
            + chunk(b"IEND", b"")
        )


def _layer(path: str, default_prim: str | None = "Robot", sublayer: str | None = None) -> Any:
    layer = lazy.pxr.Sdf.Layer.CreateNew(path)
    layer.pseudoRoot.SetInfo("metersPerUnit", 1.0)  # what Isaac Sim writes on every layer
    layer.pseudoRoot.SetInfo("upAxis", "Z")
    if default_prim:
        layer.defaultPrim = default_prim
    if sublayer:
        layer.subLayerPaths.append(sublayer)
    return layer


def _over(layer: Any, path: str, schemas: tuple[str, ...] = ()) -> Any:
    Sdf = lazy.pxr.Sdf
    spec = Sdf.CreatePrimInLayer(layer, path)
    spec.specifier = Sdf.SpecifierOver
    if schemas:
        spec.SetInfo("apiSchemas", Sdf.TokenListOp.Create(prependedItems=list(schemas)))
    return spec


def _attribute(spec: Any, name: str, value_type: str, value: object) -> None:
    Sdf = lazy.pxr.Sdf
    Sdf.AttributeSpec(spec, name, getattr(Sdf.ValueTypeNames, value_type)).default = value


def write_robot(
    directory: str, *, visual_points: int = 2000, collider_points: int = 200, texture_size: int = 512
) -> str:
    """Write the robot asset into ``directory`` and return the path of its ``interface.usda``.

    Visual meshes carry ``visual_points`` points with normals and UVs (ten times the
    base's ``collider_points``-point convex-hull collider by default).
    """
    Sdf = lazy.pxr.Sdf
    payloads = os.path.join(directory, "payloads")
    os.makedirs(os.path.join(payloads, "Textures"), exist_ok=True)
    for index, name in enumerate(("steel", "rubber")):
        _png(os.path.join(payloads, "Textures", f"{name}.png"), texture_size, index + 1)

    _write_geometries(payloads, visual_points, collider_points)
    _write_instances(payloads)
    _write_materials(payloads)
    _write_base(payloads)
    _write_physics(payloads)
    _write_physx(payloads)

    interface_path = os.path.join(directory, "interface.usda")
    interface = _layer(interface_path)
    define(interface, "/Robot", "Xform").payloadList.prependedItems = [Sdf.Payload("./payloads/robot.usda")]
    interface.Save()
    return interface_path


def _write_geometries(payloads: str, visual_points: int, collider_points: int) -> None:
    Gf, Vt = lazy.pxr.Gf, lazy.pxr.Vt
    geometries = _layer(os.path.join(payloads, "geometries.usdc"), None)
    for name in ROBOT_LINKS:
        scale = 0.35 if name == "base" else 0.12
        points, counts, indices = sphere_mesh(visual_points, scale)
        spec = define(
            geometries,
            f"/visuals/{name}",
            "Mesh",
            (),
            [
                ("faceVertexCounts", "IntArray", counts),
                ("faceVertexIndices", "IntArray", indices),
                ("points", "Point3fArray", points),
            ],
        )
        _attribute(spec, "normals", "Normal3fArray", Vt.Vec3fArray([point.GetNormalized() for point in points]))
        _attribute(
            spec, "primvars:st", "TexCoord2fArray", Vt.Vec2fArray([Gf.Vec2f(p[0] + 0.5, p[1] + 0.5) for p in points])
        )
        spec.GetAttributeAtPath(".primvars:st").SetInfo("interpolation", "vertex")
    hull = [Gf.Vec3f(0.3 * p[0] / 0.5, 0.15 * p[1] / 0.5, 0.075 * p[2] / 0.5) for p in sphere_mesh(collider_points)[0]]
    hull_points, hull_counts, hull_indices = Vt.Vec3fArray(hull), *sphere_mesh(collider_points)[1:]
    define(
        geometries,
        "/collisions/base_hull",
        "Mesh",
        (),
        [
            ("faceVertexCounts", "IntArray", hull_counts),
            ("faceVertexIndices", "IntArray", hull_indices),
            ("points", "Point3fArray", hull_points),
        ],
    )
    geometries.Save()


def _write_instances(payloads: str) -> None:
    Sdf = lazy.pxr.Sdf
    instances = _layer(os.path.join(payloads, "instances.usda"), None)
    for name in ROBOT_LINKS:
        define(instances, f"/visuals/{name}", "Xform")
        mesh = define(instances, f"/visuals/{name}/mesh", "Mesh")
        mesh.referenceList.prependedItems = [Sdf.Reference("./geometries.usdc", f"/visuals/{name}")]
    instances.Save()


def _write_materials(payloads: str) -> None:
    Sdf = lazy.pxr.Sdf
    materials = _layer(os.path.join(payloads, "materials.usda"), None)
    define(materials, "/Looks", "Scope")
    for name in ("steel", "rubber"):
        material = define(materials, f"/Looks/{name}", "Material")
        surface = define(
            materials,
            f"/Looks/{name}/Surface",
            "Shader",
            (),
            [("info:id", "Token", "UsdPreviewSurface"), ("inputs:roughness", "Float", 0.4)],
        )
        texture = define(
            materials,
            f"/Looks/{name}/Texture",
            "Shader",
            (),
            [("info:id", "Token", "UsdUVTexture"), ("inputs:file", "Asset", Sdf.AssetPath(f"./Textures/{name}.png"))],
        )
        Sdf.AttributeSpec(texture, "outputs:rgb", Sdf.ValueTypeNames.Float3)
        Sdf.AttributeSpec(
            surface, "inputs:diffuseColor", Sdf.ValueTypeNames.Color3f
        ).connectionPathList.explicitItems = [f"/Looks/{name}/Texture.outputs:rgb"]
        Sdf.AttributeSpec(surface, "outputs:surface", Sdf.ValueTypeNames.Token)
        Sdf.AttributeSpec(material, "outputs:surface", Sdf.ValueTypeNames.Token).connectionPathList.explicitItems = [
            f"/Looks/{name}/Surface.outputs:surface"
        ]
    materials.Save()


def _write_base(payloads: str) -> None:
    Gf, Sdf, Vt = lazy.pxr.Gf, lazy.pxr.Sdf, lazy.pxr.Vt
    base = _layer(os.path.join(payloads, "base.usda"))
    define(base, "/Robot", "Xform")
    looks = define(base, "/Robot/Looks", "Scope")
    looks.payloadList.prependedItems = [Sdf.Payload("./materials.usda", "/Looks")]
    define(
        base,
        "/Robot/head_camera",
        "Camera",
        (),
        [
            ("focalLength", "Float", 18.0),
            ("xformOp:translate", "Double3", Gf.Vec3d(0.35, 0, 0.9)),
            ("xformOpOrder", "TokenArray", Vt.TokenArray(["xformOp:translate"])),
        ],
    )
    for name, (position, box, _) in ROBOT_LINKS.items():
        link = f"/Robot/{name}"
        define(
            base,
            link,
            "Xform",
            (),
            [
                ("xformOp:translate", "Double3", Gf.Vec3d(*position)),
                ("xformOpOrder", "TokenArray", Vt.TokenArray(["xformOp:translate"])),
            ],
        )
        visuals = define(base, f"{link}/visuals", "Xform", ("MaterialBindingAPI",))
        visuals.payloadList.prependedItems = [Sdf.Payload("./instances.usda", f"/visuals/{name}")]
        relationship(visuals, "material:binding", f"/Robot/Looks/{'steel' if name == 'base' else 'rubber'}")
        define(base, f"{link}/collisions", "Xform")
        if name == "base":  # the base collides through a convex hull of a mesh, the legs through boxes
            collider = define(base, f"{link}/collisions/hull", "Mesh", (), [("purpose", "Token", "guide")])
            collider.referenceList.prependedItems = [Sdf.Reference("./geometries.usdc", "/collisions/base_hull")]
        else:
            define(
                base,
                f"{link}/collisions/box",
                "Cube",
                (),
                [
                    ("purpose", "Token", "guide"),
                    ("size", "Double", 1.0),
                    ("xformOp:scale", "Float3", Gf.Vec3f(*box)),
                    ("xformOpOrder", "TokenArray", Vt.TokenArray(["xformOp:scale"])),
                ],
            )
    base.Save()


def _write_physics(payloads: str) -> None:
    physics = _layer(os.path.join(payloads, "physics.usda"), sublayer="./base.usda")
    _over(physics, "/Robot", ("PhysicsArticulationRootAPI",))
    define(physics, "/Robot/PhysicsMaterials", "Scope")
    define(
        physics,
        "/Robot/PhysicsMaterials/rubber",
        "Material",
        ("PhysicsMaterialAPI",),
        [
            ("physics:dynamicFriction", "Float", 0.8),
            ("physics:restitution", "Float", 0.0),
            ("physics:staticFriction", "Float", 0.9),
        ],
    )
    for name, (_, _, mass) in ROBOT_LINKS.items():
        link = _over(physics, f"/Robot/{name}", ("PhysicsRigidBodyAPI", "PhysicsMassAPI"))
        _attribute(link, "physics:mass", "Float", mass)
        if name == "base":
            collider = _over(
                physics,
                f"/Robot/{name}/collisions/hull",
                ("PhysicsCollisionAPI", "PhysicsMeshCollisionAPI", "MaterialBindingAPI"),
            )
            _attribute(collider, "physics:approximation", "Token", "convexHull")
        else:
            collider = _over(physics, f"/Robot/{name}/collisions/box", ("PhysicsCollisionAPI", "MaterialBindingAPI"))
        relationship(collider, "material:binding:physics", "/Robot/PhysicsMaterials/rubber")
    for child in ROBOT_PARENTS:
        leg_joint(physics, f"/Robot/joints/joint{child[3:]}", "/Robot", child)
    physics.Save()


def _write_physx(payloads: str) -> None:
    physx = _layer(os.path.join(payloads, "physx.usda"), sublayer="./physics.usda")
    root = _over(physx, "/Robot", ("PhysxArticulationAPI",))
    _attribute(root, "physxArticulation:solverPositionIterationCount", "Int", 16)
    _attribute(root, "physxArticulation:enabledSelfCollisions", "Bool", False)
    for name in ROBOT_LINKS:
        link = _over(physx, f"/Robot/{name}", ("PhysxRigidBodyAPI",))
        _attribute(link, "physxRigidBody:maxDepenetrationVelocity", "Float", 5.0)
    physx.Save()

    robot = _layer(os.path.join(payloads, "robot.usda"), sublayer="./physx.usda")
    _attribute(_over(robot, "/Robot"), "isaac:namespace", "String", "robot")
    robot.Save()


def appearance_heavy(directory: str, count: int = 256, **robot: Any) -> Any:
    """An in-memory stage: ``count`` references to the robot written into ``directory``, lights, a camera, render settings."""
    Gf, Sdf, Vt = lazy.pxr.Gf, lazy.pxr.Sdf, lazy.pxr.Vt
    interface = write_robot(directory, **robot)
    side = max(1, math.ceil(math.sqrt(count)))
    stage = ground_world(ground_extent=(side * 2.5 + 10, side * 2.5 + 10))
    layer = stage.GetRootLayer()
    with Sdf.ChangeBlock():
        define(layer, "/World/envs", "Xform")
        for index in range(count):
            env = define(
                layer,
                f"/World/envs/env_{index}",
                "Xform",
                (),
                [
                    ("xformOp:translate", "Double3", Gf.Vec3d((index % side) * 2.5, (index // side) * 2.5, 0.0)),
                    ("xformOpOrder", "TokenArray", Vt.TokenArray(["xformOp:translate"])),
                ],
            )
            env.referenceList.prependedItems = [Sdf.Reference(interface)]
        define(
            layer,
            "/World/DomeLight",
            "DomeLight",
            (),
            [
                ("inputs:intensity", "Float", 1000.0),
                (
                    "inputs:texture:file",
                    "Asset",
                    Sdf.AssetPath(os.path.join(directory, "payloads", "Textures", "steel.png")),
                ),
            ],
        )
        define(layer, "/World/SunLight", "DistantLight", (), [("inputs:intensity", "Float", 3000.0)])
        define(layer, "/World/Camera", "Camera", (), [("focalLength", "Float", 24.0)])
        define(layer, "/Render/Settings", "RenderSettings", (), [("resolution", "Int2", Gf.Vec2i(1280, 720))])
    return stage
