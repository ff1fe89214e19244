"""What package metadata says about the installed releases, without importing them."""

from __future__ import annotations

from importlib import metadata
from typing import Literal

__all__ = ["KNOWN_RELEASES", "Generation", "generation_from_version", "installed_version", "release_below"]

# How a release loads a scene: add_usd (0.2-0.4), ovstage (0.5-0.6), ovstage with Task results (0.7+).
Generation = Literal["add_usd", "ovstage", "ovstage-task"]

#: The releases this shim was verified against; newer ones are probed by feature.
KNOWN_RELEASES = (
    "0.2.9",
    "0.3.7",
    "0.4.9",
    "0.4.13",
    "0.5.9",
    "0.5.10",
    "0.5.11",
    "0.6.3",
    "0.6.4.72118723",
    "0.7.0.74035321",
)


def installed_version(distribution: str) -> str | None:
    """The installed version of ``distribution``, from its metadata; None when it is not installed."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def generation_from_version(version: str | None) -> Generation | None:
    if version is None:
        return None
    from packaging.version import InvalidVersion, Version

    try:
        release = Version(version).release
    except InvalidVersion:
        return None
    if release < (0, 5):
        return "add_usd"
    return "ovstage" if release < (0, 7) else "ovstage-task"


def release_below(version: str | None, bound: tuple[int, int]) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return version is not None and Version(version).release < bound
    except InvalidVersion:
        return False
