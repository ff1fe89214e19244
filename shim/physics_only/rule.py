"""What physics reads: the rule behind ``content="physics"``.

A prim is read by physics when its type or an applied API schema comes from the physics
schemas (UsdPhysics, PhysxSchema, ...), or when it authors ``physics:``/``physx``/``newton:``
properties. The prims their relationships target (joint bodies, physics materials,
filtered pairs, collision-group members) are read too, and so is everything below a
collider (its geometry subsets carry per-face physics materials).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "COLLIDER",
    "FLATTENED_PROTOTYPE",
    "follows",
    "is_physics_property",
    "is_physics_schema",
    "prim_has_physics",
    "spec_has_physics",
]

_PHYSICS_PREFIXES = ("Physics", "Physx", "OmniPhysics", "Newton")
_PHYSICS_PROPERTY_PREFIXES = ("physics:", "physx", "newton:")
COLLIDER = "PhysicsCollisionAPI"
#: How ``Stage.Flatten`` names the root prims it writes for instance prototypes.
FLATTENED_PROTOTYPE = "Flattened_Prototype"


def is_physics_schema(name: str) -> bool:
    return name.startswith(_PHYSICS_PREFIXES)


def is_physics_property(name: str) -> bool:
    return name.startswith(_PHYSICS_PROPERTY_PREFIXES)


def spec_has_physics(spec: Any) -> bool:
    """Whether a prim spec authors anything physics reads (the rule, on one layer's opinion)."""
    if is_physics_schema(spec.typeName):
        return True
    schemas = spec.GetInfo("apiSchemas") if spec.HasInfo("apiSchemas") else None
    if schemas is not None and any(is_physics_schema(str(name)) for name in schemas.GetAddedOrExplicitItems()):
        return True
    return any(is_physics_property(name) for name in spec.properties.keys())  # noqa: SIM118 - a proxy


def prim_has_physics(prim: Any) -> bool:
    """Whether a composed prim is read by physics (the rule, on the composed stage)."""
    if is_physics_schema(str(prim.GetTypeName())):
        return True
    if any(is_physics_schema(name) for name in prim.GetPrimTypeInfo().GetAppliedAPISchemas()):
        return True
    return any(is_physics_property(name) for name in prim.GetPropertyNames())


def follows(relationship: Any, target: Any) -> bool:
    """Relationships of kept prims pull their targets in, except appearance bindings to non-physics materials."""
    if relationship.GetName().startswith("material:binding") and not relationship.GetName().endswith(":physics"):
        return bool(target.IsValid() and prim_has_physics(target))
    return True
