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
    counts = [0, 0, 0, 0]
    for prim in _prims(stage):
        for column, found in enumerate(_kinds(prim)):
            counts[column] += found
    return Census(*counts)


def has_physics(stage: Any) -> bool:
    """Whether ``stage`` holds anything physics simulates; stops at the first such prim."""
    return any(any(_kinds(prim)) for prim in _prims(stage))


def _prims(stage: Any) -> Any:
    Usd = lazy.pxr.Usd
    return stage.Traverse(Usd.TraverseInstanceProxies(Usd.PrimDefaultPredicate))


def _kinds(prim: Any) -> tuple[bool, bool, bool, bool]:
    """Whether ``prim`` is a rigid body, a collider, a joint, an articulation root: the census's columns."""
    UsdPhysics = lazy.pxr.UsdPhysics
    return (
        prim.HasAPI(UsdPhysics.RigidBodyAPI),
        prim.HasAPI(UsdPhysics.CollisionAPI),
        prim.IsA(UsdPhysics.Joint),
        prim.HasAPI(UsdPhysics.ArticulationRootAPI),
    )


def census_of(source: object) -> Census:
    """The census of anything ``shim.load`` takes: a stage, a layer, USDA text or bytes, a file."""
    if is_stage(source):
        return census(source)
    payload = classify(source)
    Usd = lazy.pxr.Usd
    return census(Usd.Stage.Open(payload.path if payload.kind == "path" else payload.as_layer()))
