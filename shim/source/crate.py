"""The binary crate (USDC): how to recognise one, and which versions every release reads."""

from __future__ import annotations

__all__ = ["CRATE_MAGIC", "MAX_VERIFIED_CRATE", "crate_version", "file_is_crate", "unverified_crate_reason"]

CRATE_MAGIC = b"PXR-USDC"
#: The newest crate version the release matrix verified to load in every ovphysx release;
#: a newer crate falls back to USDA.
MAX_VERIFIED_CRATE = (0, 8, 0)


def crate_version(header: bytes) -> tuple[int, int, int] | None:
    """The version in a USDC header (bytes 8-10), or None if it is not a crate."""
    if len(header) < 11 or not header.startswith(CRATE_MAGIC):
        return None
    return header[8], header[9], header[10]


def file_is_crate(path: str) -> bool:
    """Whether the file at ``path`` is a USDC crate (a ``.usd`` file can be either), by its first bytes."""
    with open(path, "rb") as file:
        return file.read(len(CRATE_MAGIC)) == CRATE_MAGIC


def unverified_crate_reason(path: str) -> str | None:
    """None if the crate at ``path`` is a version every supported ovphysx was verified to read."""
    with open(path, "rb") as file:
        version = crate_version(file.read(16))
    if version is None:
        return f"{path!r} is not a USDC crate"
    if version > MAX_VERIFIED_CRATE:
        newest = ".".join(map(str, MAX_VERIFIED_CRATE))
        return f"usd-core wrote crate version {'.'.join(map(str, version))}, newer than the verified {newest}"
    return None
