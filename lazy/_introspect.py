"""Questions about modules that are answered without importing them.

Imported on first use only: ``importlib.metadata`` alone costs more than all of
``import lazy``.
"""

from __future__ import annotations

import importlib.machinery
import importlib.metadata
import importlib.util
from typing import NamedTuple

from lazy._errors import install_hint
from lazy._finder import find_spec_without_import
from lazy._loaded import loaded_module

__all__ = ["Availability", "available"]


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
        loaded=loaded_module(name) is not None,
        distribution=distribution,
        version=version,
        origin=spec.origin if spec is not None else None,
        hint=None if spec is not None else install_hint(name),
    )
