"""Questions about modules that are answered without importing them.

Imported on first use only: ``importlib.metadata`` alone costs more than all of
``import lazy``.
"""

from __future__ import annotations

import importlib.machinery
import importlib.metadata
import importlib.util
import os
import sys
from typing import NamedTuple

from lazy._core import _loaded_module, install_hint

__all__ = ["Availability", "available", "find_spec_without_import", "submodule_names"]


class Availability(NamedTuple):
    """What is known about an importable name, found without importing it."""

    name: str
    installed: bool
    loaded: bool
    distribution: str | None
    version: str | None
    origin: str | None
    hint: str | None

    def __bool__(self) -> bool:  # `if lazy.available("pxr"):` reads naturally
        return self.installed


def find_spec_without_import(name: str) -> importlib.machinery.ModuleSpec | None:
    """The spec of ``name``; unlike importlib.util.find_spec, parents are not imported."""
    loaded = _loaded_module(name)
    if loaded is not None and getattr(loaded, "__spec__", None) is not None:
        return loaded.__spec__
    parent_name, _, _ = name.rpartition(".")
    if not parent_name:
        try:
            return importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return None
    parent = _loaded_module(parent_name)
    if parent is not None:
        search_path = getattr(parent, "__path__", None)
    else:
        parent_spec = find_spec_without_import(parent_name)
        search_path = parent_spec.submodule_search_locations if parent_spec else None
    if search_path is None:
        return None
    for finder in sys.meta_path:
        find_spec = getattr(finder, "find_spec", None)
        if find_spec is None:
            continue
        spec = find_spec(name, list(search_path))
        if spec is not None:
            return spec  # type: ignore[no-any-return]
    return None


def submodule_names(name: str) -> list[str]:
    """Names of the submodules of package ``name``, listed from disk (nothing imported)."""
    spec = find_spec_without_import(name)
    if spec is None or not spec.submodule_search_locations:
        return []
    suffixes = tuple(importlib.machinery.all_suffixes())
    found: set[str] = set()
    for directory in spec.submodule_search_locations:
        try:
            entries = os.listdir(directory)
        except OSError:
            continue
        for entry in entries:
            stem = entry.split(".", 1)[0]
            if not stem.isidentifier() or stem == "__init__":
                continue
            is_package = os.path.isfile(os.path.join(directory, entry, "__init__.py"))
            if entry.endswith(suffixes) or is_package:
                found.add(stem)
    return sorted(found)


def available(name: str) -> Availability:
    """Whether ``name`` can be imported, and from which distribution, without importing it.

    Nothing is cached: a module that becomes importable later (a simulator
    extending sys.path at launch) is reported as soon as it is there.
    """
    importlib.invalidate_caches()
    spec = find_spec_without_import(name)
    top_level = name.partition(".")[0]
    distribution = version = None
    if spec is not None:
        distributions = importlib.metadata.packages_distributions().get(top_level, [])
        if distributions:
            distribution = distributions[0]
            try:
                version = importlib.metadata.version(distribution)
            except importlib.metadata.PackageNotFoundError:
                version = None
    return Availability(
        name=name,
        installed=spec is not None,
        loaded=_loaded_module(name) is not None,
        distribution=distribution,
        version=version,
        origin=spec.origin if spec is not None else None,
        hint=None if spec is not None else install_hint(name),
    )
