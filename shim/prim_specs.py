"""Walking a layer's prim specs: a subtree, a whole layer, and what a spec points to."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["prim_specs", "subtree", "targets"]


def subtree(spec: Any, skipping: Any = None) -> Iterator[Any]:
    """A prim spec and every prim spec below it, those inside its variants too, but none at or below ``skipping``."""
    pending = [spec]
    while pending:
        spec = pending.pop()
        if skipping is not None and spec.path == skipping:
            continue
        yield spec
        pending.extend(spec.nameChildren)
        for variant_set in spec.variantSets.values():
            pending.extend(variant.primSpec for variant in variant_set.variants.values())


def prim_specs(layer: Any, skipping: Any = None) -> Iterator[Any]:
    """Every prim spec of a layer, those inside variants too, but none at or below ``skipping``."""
    for top in layer.rootPrims:
        yield from subtree(top, skipping)


def targets(spec: Any) -> Iterator[Any]:
    """The paths the relationships and attribute connections of a prim spec point to."""
    for relationship in spec.relationships:
        yield from relationship.targetPathList.GetAddedOrExplicitItems()
    for attribute in spec.attributes:
        yield from attribute.connectionPathList.GetAddedOrExplicitItems()
