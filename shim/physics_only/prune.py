"""A whole stage reduced to what physics reads (``rule``), with USD's own machinery.

Two steps. **Load rules:** a payload is loaded only if its layers (with their sublayers and
references) author something physics reads, so appearance payloads (materials, textures,
visual geometry) are never composed. **Prune:** the stage is flattened and every prim that
physics does not read is removed from the flat layer with one ``Sdf.BatchNamespaceEdit``.
An instance that holds physics is kept whole, and so is every prototype it uses, nested
prototypes included. The stage metadata (up axis, metres and kilograms per unit) stays.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import lazy
from shim.physics_only.rule import COLLIDER, FLATTENED_PROTOTYPE, follows, prim_has_physics, spec_has_physics
from shim.prim_specs import prim_specs, subtree

__all__ = ["Selection", "select"]


@dataclass
class Selection:
    """A stage reduced to what physics reads."""

    layer: Any  # the Sdf.Layer handed over: flat, or with one class prim per asset that clones reference
    kept: int  # prims in it (those inside kept instances and collider subtrees not counted)
    composed: int  # prims the stage composed
    unloaded: list[Any]  # the payload layers it never composed


def _layer_has_physics(layer: Any, seen: dict[str, bool]) -> bool:
    """Whether ``layer`` or any layer it composes (sublayers, references, payloads) authors physics."""
    Sdf = lazy.pxr.Sdf
    if layer.identifier in seen:
        return seen[layer.identifier]
    seen[layer.identifier] = False  # a cycle adds nothing
    found = any(spec_has_physics(spec) for spec in prim_specs(layer))
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
        # One recomposition per level of nesting, not one per payload.
        stage.LoadAndUnload(physics, [], Usd.LoadWithoutDescendants)


def _kept_paths(stage: Any) -> tuple[set[Any], set[Any], list[Any]]:
    """(prims kept, prims kept with their whole subtree, the paths of every prim composed)."""
    Usd = lazy.pxr.Usd
    kept: set[Any] = set()
    whole: set[Any] = set()
    visited: set[Any] = set()
    composed = list(stage.Traverse(Usd.TraverseInstanceProxies(Usd.PrimAllPrimsPredicate)))
    pending = [prim for prim in composed if prim_has_physics(prim)]
    while pending:
        prim = pending.pop()
        path = prim.GetPath()
        if path in visited:
            continue
        visited.add(path)
        if prim.IsInstanceProxy():
            # Inside an instance: the outermost instance is kept whole, since its prototype is shared.
            instance = prim
            while instance.IsInstanceProxy():
                instance = instance.GetParent()
            whole.add(instance.GetPath())
            pending.append(instance)
        else:
            kept.add(path)
            if COLLIDER in prim.GetPrimTypeInfo().GetAppliedAPISchemas():
                whole.add(path)  # its geometry subsets carry per-face physics materials
        # An instance proxy's targets count too: a collider's physics material may live outside its instance.
        for relationship in prim.GetRelationships():
            for target in relationship.GetForwardedTargets():
                target_prim = stage.GetPrimAtPath(target.GetPrimPath())
                if target_prim.IsValid() and follows(relationship, target_prim):
                    pending.append(target_prim)
    return kept, whole, [prim.GetPath() for prim in composed]


def _prototypes_used(spec: Any) -> Iterator[Any]:
    """The flattened prototypes the internal references of ``spec`` point to."""
    for reference in spec.referenceList.GetAddedOrExplicitItems():
        if not reference.assetPath and not reference.primPath.isEmpty:
            root = reference.primPath.GetPrefixes()[0]
            if root.name.startswith(FLATTENED_PROTOTYPE):
                yield root


def _prune(layer: Any, kept: set[Any], whole: set[Any]) -> set[Any]:
    """Remove from the flat layer every prim that is neither kept, above one, nor inside a whole subtree.

    A flattened prototype stays, whole, when a prim that stays uses it, directly or through
    another prototype. Returns the paths kept with their ancestors (prims inside whole
    subtrees and prototypes are not listed).
    """
    Sdf = lazy.pxr.Sdf
    needed = set(kept)
    for path in kept | whole:
        needed.update(path.GetAncestorsRange())
    used: list[Any] = []
    removals = []

    def visit(spec: Any) -> None:
        path = spec.path
        if path in whole:
            used.extend(prototype for each in subtree(spec) for prototype in _prototypes_used(each))
            return
        if path not in needed:
            removals.append(path)
            return
        used.extend(_prototypes_used(spec))
        for child in spec.nameChildren:
            visit(child)

    prototypes = {root.path: root for root in layer.rootPrims if root.name.startswith(FLATTENED_PROTOTYPE)}
    for root in layer.rootPrims:
        if root.path not in prototypes:
            visit(root)
    kept_prototypes: set[Any] = set()
    while used:
        path = used.pop()
        if path in kept_prototypes or path not in prototypes:
            continue
        kept_prototypes.add(path)
        used.extend(prototype for each in subtree(prototypes[path]) for prototype in _prototypes_used(each))
    removals.extend(path for path in prototypes if path not in kept_prototypes)
    edit = Sdf.BatchNamespaceEdit()
    for path in removals:
        edit.Add(Sdf.NamespaceEdit.Remove(path))
    if removals and not layer.Apply(edit):
        raise RuntimeError("pxr refused to remove the appearance prims from the flattened layer")
    return needed


def select(stage: Any, keep: Iterable[Any] = (), within: Any = None) -> Selection:
    """Reduce ``stage`` (opened with every payload unloaded) to what physics reads, plus the prims in ``keep``.

    Prims are counted strictly below ``within`` (default: the whole stage).
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
