"""Where scene files may go: the first private, per-user root, RAM-backed where one exists."""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass

__all__ = ["ROOT_PREFIX", "Root", "choose_root", "free_bytes", "validate_private_directory"]

_RAM_FILESYSTEMS = frozenset({"tmpfs", "ramfs"})
ROOT_PREFIX = "ovphysx-shim-"


@dataclass(frozen=True)
class Root:
    """The chosen scratch root, whether it lives in RAM, and why others were passed over."""

    path: str | None
    ram: bool
    reason: str | None


def _filesystem_type(path: str) -> str | None:
    """The type of the filesystem mounted at the deepest mount point above ``path``."""
    try:
        with open("/proc/self/mounts", encoding="utf-8") as mounts:
            entries = [line.split()[1:3] for line in mounts if len(line.split()) >= 3]
    except OSError:
        return None
    real = os.path.realpath(path)
    best, kind = "", None
    for mount_point, filesystem in entries:
        mount_point = mount_point.replace("\\040", " ")  # noqa: PLW2901 - /proc escapes spaces
        inside = real == mount_point or real.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, kind = mount_point, filesystem
    return kind


def validate_private_directory(path: str) -> str | None:
    """None if ``path`` is a real directory owned by us and closed to others, else why not."""
    try:
        info = os.lstat(path)
    except OSError as error:
        return f"{path!r} cannot be inspected ({error.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return f"{path!r} is a symlink (refused: it could point anywhere)"
    if not stat.S_ISDIR(info.st_mode):
        return f"{path!r} is not a directory"
    if info.st_uid != os.getuid():
        return f"{path!r} is owned by uid {info.st_uid}, not by this user (uid {os.getuid()})"
    if info.st_mode & 0o077:
        return f"{path!r} is open to other users (mode {stat.S_IMODE(info.st_mode):o}, needs 700)"
    return None


def _per_user_root(base: str) -> tuple[str | None, str | None]:
    path = os.path.join(base, f"{ROOT_PREFIX}{os.getuid()}")
    try:
        os.mkdir(path, 0o700)
    except FileExistsError:
        pass  # ours from an earlier process, or planted: validated below either way
    except OSError as error:
        return None, f"{path!r} cannot be created ({error.strerror})"
    reason = validate_private_directory(path)
    return (None, reason) if reason else (path, None)


def _candidates() -> list[str]:
    override = os.environ.get("SHIM_TMPDIR")
    if override:
        return [override]
    # Shared bases are fine: we only ever use our own validated 0700 subdirectory of them.
    found = [os.environ.get("XDG_RUNTIME_DIR", ""), "/dev/shm", tempfile.gettempdir()]  # noqa: S108
    return [base for base in dict.fromkeys(found) if base and os.path.isdir(base)]


def choose_root() -> Root:
    """The first usable per-user root: SHIM_TMPDIR, else RAM-backed ($XDG_RUNTIME_DIR, /dev/shm), else disk."""
    refused: list[str] = []
    for base in _candidates():
        path, reason = _per_user_root(base)
        if path is None:
            refused.append(reason or base)
            continue
        ram = _filesystem_type(path) in _RAM_FILESYSTEMS
        return Root(path, ram, "; ".join(refused) or None)
    return Root(None, False, "; ".join(refused) or "no temp directory exists")


def free_bytes(path: str) -> int:
    """Bytes an unprivileged writer can still use on the filesystem of ``path``."""
    info = os.statvfs(path)
    return info.f_bavail * info.f_frsize
