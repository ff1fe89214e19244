"""A four-legged articulated robot with driven joints, copied into environments as Isaac Lab's cloner does."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import lazy
from shim.demo import define, ground_world, translate

__all__ = ["ROBOT_LINKS", "ROBOT_PARENTS", "grid", "leg_joint", "relationship", "robot", "robots"]


def grid(count: int, spacing: float) -> list[tuple[float, float]]:
    """Isaac Lab's layout: ``count`` cells in rows of ceil(sqrt(count)), ``spacing`` metres apart."""
    side = max(1, math.ceil(math.sqrt(count)))
    return [((index % side) * spacing, (index // side) * spacing) for index in range(count)]


def robots(count: int, *, references: bool = False) -> Any:
    """``count`` copies of a four-legged articulated robot under /World/envs/env_i, 2.5 m apart.

    Each robot has 9 rigid bodies (a base and two links per leg) and 8 driven revolute joints;
    env_0 is authored once and copied into the others with ``Sdf.CopySpec``, as Isaac Lab's cloner
    does, or (``references``) each other env is an internal reference to env_0 with its own translate.
    """
    Sdf = lazy.pxr.Sdf
    stage = ground_world(ground_extent=(max(40.0, math.sqrt(count) * 6.0), max(40.0, math.sqrt(count) * 6.0)))
    layer = stage.GetRootLayer()
    cells = grid(count, 2.5)
    with Sdf.ChangeBlock():
        define(layer, "/World/envs", "Xform")
        robot(layer, "/World/envs/env_0", cells[0])
        for index in range(1, count):
            target = f"/World/envs/env_{index}"
            if references:
                env = define(layer, target, "Xform", (), translate((*cells[index], 0.0)))
                env.referenceList.Prepend(Sdf.Reference(primPath="/World/envs/env_0"))
                continue
            Sdf.CreatePrimInLayer(layer, target)
            Sdf.CopySpec(layer, "/World/envs/env_0", layer, target)
            layer.GetAttributeAtPath(f"{target}.xformOp:translate").default = lazy.pxr.Gf.Vec3d(*cells[index], 0.0)
    return stage


#: The articulated robot of ``robots`` and ``tests.fixtures.assets``: link -> (position, collider box size, mass).
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


def robot(layer: Any, root: str, cell: tuple[float, float]) -> None:
    """An environment Xform at ``root``, placed at ``cell``, holding the robot at ``root``/Robot (its articulation root)."""
    define(layer, root, "Xform", (), translate((*cell, 0.0)))
    articulation = f"{root}/Robot"
    define(layer, articulation, "Xform", ("PhysicsArticulationRootAPI",), translate((0.0, 0.0, 0.0)))
    hold_straight = [("drive:angular:physics:targetPosition", "Float", 0.0)]
    for name, (position, size, mass) in ROBOT_LINKS.items():
        _link(layer, f"{articulation}/{name}", position, size, mass)
        if name in ROBOT_PARENTS:  # each leg link is followed by the joint that holds it (prim order)
            leg_joint(layer, f"{articulation}/joint{name[3:]}", articulation, name, hold_straight)


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
        [("physics:mass", "Float", mass), *translate(position)],
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
