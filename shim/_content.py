"""``content="physics"``: hand over only what the physics engine reads.

Two steps, both USD's own machinery:

1. **Load rules.** The stage is reopened with every payload unloaded; a payload is
   then loaded only if its layers (with their sublayers and references) author
   something physics reads. Appearance payloads (materials, textures, visual
   geometry) are never opened by the composed stage.
2. **Prune.** The composed stage is flattened and every prim that physics does not
   read is removed from the flat layer with one ``Sdf.BatchNamespaceEdit``.

What physics reads: prims whose type or applied API schemas come from the physics
schemas (UsdPhysics, PhysxSchema, ...), or that author ``physics:``/``physx``
properties; the prims their relationships target (joint bodies, physics materials,
filtered pairs, collision-group members); everything below a collider (its geometry
subsets); and every ancestor of those (the xform hierarchy). The stage metadata
(up axis, metres and kilograms per unit) is the flat layer's and stays.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Literal

import lazy

__all__ = ["Content", "LeftOut", "physics_only"]

Content = Literal["all", "physics"]

_PHYSICS_PREFIXES = ("Physics", "Physx", "OmniPhysics", "Newton")
_PHYSICS_PROPERTY_PREFIXES = ("physics:", "physx", "newton:")
_COLLIDER = "PhysicsCollisionAPI"


@dataclass
class LeftOut:
    """What ``content="physics"`` did not hand over."""

    payloads: list[str] = field(default_factory=list)  # payload layers the stage never composed
    payload_bytes: int = 0  # their size on disk
    prims: int = 0  # prims of the composed stage not handed over (unloaded payloads' contents not counted)
    prims_kept: int = 0  # prims handed over (those inside kept instances and collider subtrees not counted)

    def summary(self) -> str:
        return (
            f"left out {self.prims:,} prims (kept {self.prims_kept:,}) and {len(self.payloads)} unloaded "
            f"payload layers ({self.payload_bytes / 2**20:.1f} MiB on disk)"
        )


def _is_physics_schema(name: str) -> bool:
    return name.startswith(_PHYSICS_PREFIXES)


def _spec_has_physics(spec: Any) -> bool:
    if _is_physics_schema(spec.typeName):
        return True
    schemas = spec.GetInfo("apiSchemas") if spec.HasInfo("apiSchemas") else None
    if schemas is not None and any(_is_physics_schema(str(name)) for name in schemas.GetAddedOrExplicitItems()):
        return True
    return any(name.startswith(_PHYSICS_PROPERTY_PREFIXES) for name in spec.properties.keys())  # noqa: SIM118 - a proxy


def _layer_has_physics(layer: Any, seen: dict[str, bool]) -> bool:
    """Whether ``layer`` or any layer it composes (sublayers, references, payloads) authors physics."""
    Sdf = lazy.pxr.Sdf
    if layer.identifier in seen:
        return seen[layer.identifier]
    seen[layer.identifier] = False  # a cycle adds nothing
    found = False

    def visit(path: Any) -> None:
        nonlocal found
        if not found and path.IsPrimPath():
            spec = layer.GetPrimAtPath(path)
            found = spec is not None and _spec_has_physics(spec)

    layer.Traverse(Sdf.Path.absoluteRootPath, visit)
    if not found:
        for dependency in layer.GetCompositionAssetDependencies():
            child = Sdf.Layer.FindOrOpenRelativeToLayer(layer, dependency)
            if child is not None and _layer_has_physics(child, seen):
                found = True
                break
    seen[layer.identifier] = found
    return found


def _payload_layers(prim: Any) -> list[Any] | None:
    """The layers a prim's payloads bring in; None if any is internal or cannot be opened (load it)."""
    Sdf = lazy.pxr.Sdf
    layers = []
    for spec in prim.GetPrimStack():
        for payload in spec.payloadList.GetAddedOrExplicitItems():
            if not payload.assetPath:
                return None
            layer = Sdf.Layer.FindOrOpenRelativeToLayer(spec.layer, payload.assetPath)
            if layer is None:
                return None
            layers.append(layer)
    return layers


def _load_physics_payloads(stage: Any, left_out: LeftOut) -> None:
    """Load, level by level, the payloads whose layers author physics; leave the rest unloaded."""
    Usd = lazy.pxr.Usd
    seen: dict[str, bool] = {}
    decided: set[str] = set()
    while True:
        pending = [path for path in stage.FindLoadable() if str(path) not in decided]
        if not pending:
            return
        physics = []
        for path in pending:
            decided.add(str(path))
            layers = _payload_layers(stage.GetPrimAtPath(path))
            if layers is None or any(_layer_has_physics(layer, seen) for layer in layers):
                physics.append(path)
            else:
                for layer in layers:
                    if layer.identifier in left_out.payloads:
                        continue  # the same payload under every cloned env counts once
                    left_out.payloads.append(layer.identifier)
                    real_path = layer.realPath
                    if real_path and os.path.exists(real_path):
                        left_out.payload_bytes += os.path.getsize(real_path)
        # One recomposition per level of nesting, not one per payload (256 cloned robots: 256x fewer).
        stage.LoadAndUnload(physics, [], Usd.LoadWithoutDescendants)


def _prim_has_physics(prim: Any) -> bool:
    if _is_physics_schema(str(prim.GetTypeName())):
        return True
    if any(_is_physics_schema(name) for name in prim.GetPrimTypeInfo().GetAppliedAPISchemas()):
        return True
    return any(name.startswith(_PHYSICS_PROPERTY_PREFIXES) for name in prim.GetPropertyNames())


def _follows(relationship: Any, target: Any) -> bool:
    """Relationships of kept prims pull their targets in, except appearance bindings to non-physics materials."""
    if relationship.GetName().startswith("material:binding") and not relationship.GetName().endswith(":physics"):
        return target.IsValid() and _prim_has_physics(target)
    return True


def _kept_paths(stage: Any) -> tuple[set[Any], set[Any], int]:
    """(prims kept, prims kept with their whole subtree, prims composed)."""
    Usd = lazy.pxr.Usd
    kept: set[Any] = set()
    whole: set[Any] = set()
    composed = list(stage.Traverse(Usd.TraverseInstanceProxies(Usd.PrimAllPrimsPredicate)))
    pending = [prim for prim in composed if _prim_has_physics(prim)]
    while pending:
        prim = pending.pop()
        if prim.IsInstanceProxy():  # an instance is kept whole: its prototype is shared
            while not prim.IsInstance():
                prim = prim.GetParent()
            whole.add(prim.GetPath())
        path = prim.GetPath()
        if path in kept:
            continue
        kept.add(path)
        if _COLLIDER in prim.GetPrimTypeInfo().GetAppliedAPISchemas():
            whole.add(path)  # its geometry subsets carry per-face physics materials
        for relationship in prim.GetRelationships():
            for target in relationship.GetForwardedTargets():
                target_prim = stage.GetPrimAtPath(target.GetPrimPath())
                if target_prim.IsValid() and _follows(relationship, target_prim):
                    pending.append(target_prim)
    return kept, whole, len(composed)


def _prune(layer: Any, kept: set[Any], whole: set[Any]) -> set[Any]:
    """Remove from the flat layer every prim that is neither kept, above one, nor inside a whole subtree.

    Returns the paths kept with their ancestors (prims inside whole subtrees are not listed).
    """
    Sdf = lazy.pxr.Sdf
    needed = set(kept)
    for path in kept | whole:
        needed.update(path.GetAncestorsRange())
    prototypes: set[Any] = set()
    removals = []

    def visit(spec: Any) -> None:
        path = spec.path
        if path in whole:
            prototypes.update(
                reference.primPath
                for reference in spec.referenceList.GetAddedOrExplicitItems()
                if not reference.assetPath
            )
            return
        if path not in needed and not path.name.startswith("Flattened_Prototype"):
            removals.append(path)
            return
        for child in spec.nameChildren:
            visit(child)

    for root in layer.rootPrims:
        visit(root)
    for root in layer.rootPrims:  # Flatten's prototypes stay only if a kept instance uses them
        if root.path.name.startswith("Flattened_Prototype") and root.path not in prototypes:
            removals.append(root.path)
    edit = Sdf.BatchNamespaceEdit()
    for path in removals:
        edit.Add(Sdf.NamespaceEdit.Remove(path))
    if removals and not layer.Apply(edit):
        raise RuntimeError("pxr refused to remove the appearance prims from the flattened layer")
    return needed


def physics_only(stage: Any) -> tuple[Any, LeftOut]:
    """A flat layer of what physics reads in ``stage``, and what was left out."""
    Usd = lazy.pxr.Usd
    left_out = LeftOut()
    mask = stage.GetPopulationMask()
    physics_stage = Usd.Stage.OpenMasked(stage.GetRootLayer(), stage.GetSessionLayer(), mask, Usd.Stage.LoadNone)
    _load_physics_payloads(physics_stage, left_out)
    kept, whole, composed = _kept_paths(physics_stage)
    layer = physics_stage.Flatten()
    needed = _prune(layer, kept, whole)
    left_out.prims_kept = len(needed)
    left_out.prims = composed - len(needed)
    return layer, left_out
