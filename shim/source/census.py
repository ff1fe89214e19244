"""What physics will find in a scene: its rigid bodies, colliders, joints and articulations."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import lazy
from shim.source.classify import classify
from shim.source.stages import is_stage

__all__ = ["Census", "census", "census_of", "has_physics"]


@dataclass(frozen=True)
class Census:
    """How many of each thing the physics engine simulates a composed scene holds."""

    rigid_bodies: int = 0
    colliders: int = 0
    joints: int = 0
    articulations: int = 0

    @property
    def empty(self) -> bool:
        """Nothing for the engine to simulate: nothing will move or collide."""
        return not (self.rigid_bodies or self.colliders or self.joints or self.articulations)

    def summary(self) -> str:
        return (
            f"{self.rigid_bodies:,} rigid bodies, {self.colliders:,} colliders, {self.joints:,} joints, "
            f"{self.articulations:,} articulations"
        )


def census(stage: Any) -> Census:
    """Count what physics reads in ``stage`` (instance proxies included)."""
    Usd, UsdPhysics = lazy.pxr.Usd, lazy.pxr.UsdPhysics
    counts = [0, 0, 0, 0]
    for prim in stage.Traverse(Usd.TraverseInstanceProxies(Usd.PrimDefaultPredicate)):
        counts[0] += prim.HasAPI(UsdPhysics.RigidBodyAPI)
        counts[1] += prim.HasAPI(UsdPhysics.CollisionAPI)
        counts[2] += prim.IsA(UsdPhysics.Joint)
        counts[3] += prim.HasAPI(UsdPhysics.ArticulationRootAPI)
    return Census(*counts)


def has_physics(stage: Any) -> bool:
    """Whether ``stage`` holds anything physics simulates; stops at the first such prim."""
    Usd, UsdPhysics = lazy.pxr.Usd, lazy.pxr.UsdPhysics
    schemas = (UsdPhysics.RigidBodyAPI, UsdPhysics.CollisionAPI, UsdPhysics.ArticulationRootAPI)
    for prim in stage.Traverse(Usd.TraverseInstanceProxies(Usd.PrimDefaultPredicate)):
        if prim.IsA(UsdPhysics.Joint) or any(prim.HasAPI(schema) for schema in schemas):
            return True
    return False


def census_of(source: object) -> Census:
    """The census of anything ``shim.load`` takes: a stage, a layer, USDA text or bytes, a file."""
    if is_stage(source):
        return census(source)
    payload = classify(source)
    Usd = lazy.pxr.Usd
    return census(Usd.Stage.Open(payload.path if payload.kind == "path" else payload.as_layer()))
