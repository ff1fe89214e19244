"""What physics reads, and a whole stage reduced to it (the rule behind ``content="physics"``).

What physics reads: prims whose type or applied API schemas come from the physics
schemas (UsdPhysics, PhysxSchema, ...), or that author ``physics:``/``physx``
properties; the prims their relationships target (joint bodies, physics materials,
filtered pairs, collision-group members); everything below a collider (its geometry
subsets); and every ancestor of those (the xform hierarchy). The stage metadata
(up axis, metres and kilograms per unit) is the flat layer's and stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import lazy

__all__ = ["FLATTENED_PROTOTYPE", "Selection", "prim_specs", "select", "subtree"]

_PHYSICS_PREFIXES = ("Physics", "Physx", "OmniPhysics", "Newton")
_PHYSICS_PROPERTY_PREFIXES = ("physics:", "physx", "newton:")
_COLLIDER = "PhysicsCollisionAPI"
#: How ``Stage.Flatten`` names the root prims it writes for instance prototypes.
FLATTENED_PROTOTYPE = "Flattened_Prototype"


@dataclass
class Selection:
    """A stage reduced to what physics reads."""

    layer: Any  # the Sdf.Layer handed over: flat, or with one class prim per asset that clones reference
    kept: int  # prims in it (those inside kept instances and collider subtrees not counted)
    composed: int  # prims the stage composed
    unloaded: list[Any]  # the payload layers it never composed


def _is_physics_schema(name: str) -> bool:
    return name.startswith(_PHYSICS_PREFIXES)


def _spec_has_physics(spec: Any) -> bool:
    if _is_physics_schema(spec.typeName):
        return True
    schemas = spec.GetInfo("apiSchemas") if spec.HasInfo("apiSchemas") else None
    if schemas is not None and any(_is_physics_schema(str(name)) for name in schemas.GetAddedOrExplicitItems()):
        return True
    return any(name.startswith(_PHYSICS_PROPERTY_PREFIXES) for name in spec.properties.keys())  # noqa: SIM118 - a proxy


def subtree(spec: Any) -> Iterator[Any]:
    """A prim spec and every prim spec below it, those authored inside its variants too."""
    pending = [spec]
    while pending:
        spec = pending.pop()
        yield spec
        pending.extend(spec.nameChildren)
        for variant_set in spec.variantSets.values():
            pending.extend(variant.primSpec for variant in variant_set.variants.values())


def prim_specs(layer: Any) -> Iterator[Any]:
    """Every prim spec of a layer, those inside variants too."""
    for top in layer.rootPrims:
        yield from subtree(top)


def _layer_has_physics(layer: Any, seen: dict[str, bool]) -> bool:
    """Whether ``layer`` or any layer it composes (sublayers, references, payloads) authors physics."""
    Sdf = lazy.pxr.Sdf
    if layer.identifier in seen:
        return seen[layer.identifier]
    seen[layer.identifier] = False  # a cycle adds nothing
    found = any(_spec_has_physics(spec) for spec in prim_specs(layer))
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


def _load_physics_payloads(stage: Any) -> list[Any]:
    """Load, level by level, the payloads whose layers author physics; return the layers left unloaded."""
    Usd = lazy.pxr.Usd
    seen: dict[str, bool] = {}
    decided: set[str] = set()
    unloaded: dict[str, Any] = {}  # the same payload under every cloned env counts once
    while True:
        pending = [path for path in stage.FindLoadable() if str(path) not in decided]
        if not pending:
            return list(unloaded.values())
        physics = []
        for path in pending:
            decided.add(str(path))
            layers = _payload_layers(stage.GetPrimAtPath(path))
            if layers is None or any(_layer_has_physics(layer, seen) for layer in layers):
                physics.append(path)
            else:
                unloaded.update((layer.identifier, layer) for layer in layers)
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


def _kept_paths(stage: Any) -> tuple[set[Any], set[Any], list[Any]]:
    """(prims kept, prims kept with their whole subtree, the paths of every prim composed)."""
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
    return kept, whole, [prim.GetPath() for prim in composed]


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
        if path not in needed and not path.name.startswith(FLATTENED_PROTOTYPE):
            removals.append(path)
            return
        for child in spec.nameChildren:
            visit(child)

    for root in layer.rootPrims:
        visit(root)
    for root in layer.rootPrims:  # Flatten's prototypes stay only if a kept instance uses them
        if root.path.name.startswith(FLATTENED_PROTOTYPE) and root.path not in prototypes:
            removals.append(root.path)
    edit = Sdf.BatchNamespaceEdit()
    for path in removals:
        edit.Add(Sdf.NamespaceEdit.Remove(path))
    if removals and not layer.Apply(edit):
        raise RuntimeError("pxr refused to remove the appearance prims from the flattened layer")
    return needed


def select(stage: Any, keep: Iterable[Any] = (), within: Any = None) -> Selection:
    """Reduce ``stage`` (opened with every payload unloaded) to what physics reads, plus the prims in ``keep``.

    Prims are counted strictly below ``within`` (default: the whole stage).

    Two steps, both USD's own machinery. **Load rules:** a payload is loaded only if its
    layers (with their sublayers and references) author something physics reads, so
    appearance payloads (materials, textures, visual geometry) are never composed.
    **Prune:** the stage is flattened and every prim physics does not read is removed from
    the flat layer with one ``Sdf.BatchNamespaceEdit``.
    """
    unloaded = _load_physics_payloads(stage)
    kept, whole, composed = _kept_paths(stage)
    kept.update(keep)
    layer = stage.Flatten()
    needed = _prune(layer, kept, whole)
    if within is None:
        return Selection(layer, len(needed), len(composed), unloaded)

    def below(paths: Iterable[Any]) -> int:
        return sum(1 for path in paths if path != within and path.HasPrefix(within))

    return Selection(layer, below(needed), below(composed), unloaded)
