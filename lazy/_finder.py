"""Where a module is and what a package holds, found without importing either (standard library only)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys

from lazy._loaded import loaded_module

__all__ = ["find_spec_without_import", "submodule_names"]


def find_spec_without_import(name: str) -> importlib.machinery.ModuleSpec | None:
    """The spec of ``name``; unlike importlib.util.find_spec, parents are not imported."""
    loaded = loaded_module(name)
    if loaded is not None and getattr(loaded, "__spec__", None) is not None:
        return loaded.__spec__
    parent_name, _, _ = name.rpartition(".")
    if not parent_name:
        try:
            return importlib.util.find_spec(name)
        except (ImportError, ValueError):
            return None
    parent = loaded_module(parent_name)
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
