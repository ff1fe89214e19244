"""Whether a pxr stage holds point-based geometry: the one fact ``format="auto"`` asks of a stage."""

from __future__ import annotations

import functools
import itertools
from typing import Any

import lazy

__all__ = ["has_point_based", "world_range"]


def has_point_based(stage: Any) -> bool:
    """A mesh, points, curves, a NURBS patch or a point instancer anywhere, prototypes included.

    A walk of the prims that stops at the first one; it needs no import beyond ``pxr.Usd``.
    """
    usd = lazy.pxr.Usd
    everything = usd.PrimAllPrimsPredicate
    ranges = [usd.PrimRange.Stage(stage, everything)]
    ranges += [usd.PrimRange(prototype, everything) for prototype in stage.GetPrototypes()]
    names = _point_based_type_names()
    return not names.isdisjoint(map(usd.Prim.GetTypeName, itertools.chain.from_iterable(ranges)))


@functools.cache
def _point_based_type_names() -> frozenset[str]:
    """The prim type names of ``UsdGeomPointBased``, ``UsdGeomPointInstancer`` and their subclasses."""
    pxr = lazy.pxr
    names: set[str] = set()
    for schema in (pxr.UsdGeom.PointBased, pxr.UsdGeom.PointInstancer):
        base = pxr.Tf.Type.Find(schema)
        for schema_type in (base, *base.GetAllDerivedTypes()):
            if name := pxr.Usd.SchemaRegistry.GetSchemaTypeName(schema_type):
                names.add(name)
    return frozenset(names)


def world_range(prim: Any) -> Any:
    """The world-aligned box (``Gf.Range3d``) around ``prim`` and everything under it, every purpose counted."""
    Usd, UsdGeom = lazy.pxr.Usd, lazy.pxr.UsdGeom
    purposes = [UsdGeom.Tokens.default_, UsdGeom.Tokens.render, UsdGeom.Tokens.proxy, UsdGeom.Tokens.guide]
    return UsdGeom.BBoxCache(Usd.TimeCode.Default(), purposes).ComputeWorldBound(prim).ComputeAlignedRange()
