"""The physics of a composed stage, prim by prim, to prove a physics-only layer lost nothing.

The prune is not trusted: the stage the user gave and the layer handed over are both
composed, and every prim the rule says physics reads (rigid bodies, colliders with their
geometry, joints, drives, articulation roots, mass properties, physics materials, filtered
pairs, scenes) is compared by its type, its applied schemas, its physics properties, a
collider's shape attributes and its world transform. Instance proxies count like any prim.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lazy
from shim.errors import PhysicsNotKept
from shim.physics_only.rule import COLLIDER, is_physics_property, is_physics_schema, prim_has_physics

__all__ = ["PhysicsPrim", "check_kept", "inventory"]

# Attributes of a collider that are no shape (appearance and the transform, compared apart).
_NOT_SHAPE_PREFIXES = ("primvars:", "xformOp", "material:", "proxyPrim", "purpose", "visibility")


@dataclass(frozen=True)
class PhysicsPrim:
    """What physics reads of one composed prim."""

    type_name: str
    schemas: tuple[str, ...]
    properties: dict[str, Any]  # physics attributes' values and physics relationships' targets
    shape: dict[str, Any]  # a collider's geometry attributes; empty for other prims
    world: Any  # Gf.Matrix4d, the prim's local-to-world transform at the default time

    def differences(self, other: PhysicsPrim) -> Iterator[str]:
        """What differs between this prim and ``other``, in words (nothing if they are the same)."""
        if self.type_name != other.type_name:
            yield f"type {self.type_name!r} became {other.type_name!r}"
        if self.schemas != other.schemas:
            yield f"applied schemas {list(self.schemas)} became {list(other.schemas)}"
        for kind, mine, theirs in (("property", self.properties, other.properties), ("shape", self.shape, other.shape)):
            for name in sorted(mine.keys() | theirs.keys()):
                if not _same(mine.get(name), theirs.get(name)):
                    yield f"{kind} {name!r} differs"
        if not _same(self.world, other.world):
            yield "its world transform differs"


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return bool(a == b)


def _properties(prim: Any) -> dict[str, Any]:
    """The values of a prim's physics attributes and the targets of its physics relationships, by name."""
    found: dict[str, Any] = {}
    for name in prim.GetPropertyNames():
        if is_physics_property(name):
            attribute = prim.GetAttribute(name)
            if attribute:
                found[name] = attribute.Get()
            else:
                found[name] = tuple(str(path) for path in prim.GetRelationship(name).GetForwardedTargets())
    return found


def inventory(stage: Any) -> dict[str, PhysicsPrim]:
    """Every prim of ``stage`` that physics reads, by path, with what it reads of it."""
    Usd, UsdGeom = lazy.pxr.Usd, lazy.pxr.UsdGeom
    transforms = UsdGeom.XformCache()
    found: dict[str, PhysicsPrim] = {}
    for prim in stage.Traverse(Usd.TraverseInstanceProxies(Usd.PrimDefaultPredicate)):
        if not prim_has_physics(prim):
            continue
        schemas = tuple(name for name in prim.GetPrimTypeInfo().GetAppliedAPISchemas() if is_physics_schema(name))
        properties = _properties(prim)
        shape: dict[str, Any] = {}
        if COLLIDER in schemas:
            shape = {
                attribute.GetName(): attribute.Get()
                for attribute in prim.GetAttributes()
                if not attribute.GetName().startswith(_NOT_SHAPE_PREFIXES)
                and not is_physics_property(attribute.GetName())
            }
        found[str(prim.GetPath())] = PhysicsPrim(
            str(prim.GetTypeName()), schemas, properties, shape, transforms.GetLocalToWorldTransform(prim)
        )
    return found


def _describe(prim: PhysicsPrim) -> str:
    for schema, what in (
        ("PhysicsArticulationRootAPI", "an articulation root"),
        ("PhysicsRigidBodyAPI", "a rigid body"),
        (COLLIDER, "a collider"),
        ("PhysicsMaterialAPI", "a physics material"),
        ("PhysicsMassAPI", "mass properties"),
    ):
        if schema in prim.schemas:
            return what
    return f"a {prim.type_name}" if prim.type_name else "physics properties"


def check_kept(whole: dict[str, PhysicsPrim], handed: Any) -> None:
    """Raise ``PhysicsNotKept`` unless the composed ``handed`` layer reads as ``whole`` (an ``inventory``)."""
    Usd = lazy.pxr.Usd
    kept = inventory(Usd.Stage.Open(handed, Usd.Stage.LoadAll))
    problems: list[str] = []
    for path, prim in whole.items():
        other = kept.get(path)
        if other is None:
            problems.append(f"{path} ({_describe(prim)}) is missing")
            continue
        problems.extend(f"{path}: {difference}" for difference in prim.differences(other))
    problems.extend(f"{path} ({_describe(kept[path])}) is not in the stage" for path in kept.keys() - whole.keys())
    if problems:
        raise PhysicsNotKept(problems[0], len(problems))
