"""Private, RAM-backed scratch space for scene files, and the sweep that clears crashed ones.

Layout: ``<base>/ovphysx-shim-<uid>/`` (0700, owned by us, never a symlink) holds one
``p-<pid>-<random>/`` directory per process, locked with ``flock`` on its ``.lock``
file for the life of the process. Every load gets a fresh ``mkdtemp`` directory
inside it, removed as soon as the load has read the scene. A process killed with
SIGKILL leaves its directory unlocked; the next process's first load (or
``ovphysx-shim sweep``) removes every unlocked one and leaves live ones alone.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import stat
import tempfile
import threading
import time
from dataclasses import dataclass

__all__ = [
    "Root",
    "choose_root",
    "create_private_file",
    "private_directory",
    "process_directory",
    "remove_tree",
    "sweep",
    "validate_private_directory",
]

_RAM_FILESYSTEMS = frozenset({"tmpfs", "ramfs"})
_ROOT_PREFIX = "ovphysx-shim-"
_PROCESS_PREFIX = "p-"


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
    path = os.path.join(base, f"{_ROOT_PREFIX}{os.getuid()}")
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


_process_lock = threading.Lock()
_process: dict[str, str] = {}  # root -> this process's directory under it


def process_directory(root: str) -> str:
    """This process's locked directory under ``root``; created on first use, swept peers first."""
    with _process_lock:
        existing = _process.get(root)
        if existing is not None and os.path.isdir(existing):
            return existing
        sweep(root)
        path = tempfile.mkdtemp(prefix=f"{_PROCESS_PREFIX}{os.getpid()}-", dir=root)
        lock_fd = os.open(
            os.path.join(path, ".lock"),
            os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
            0o600,
        )
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _process[root] = path
        atexit.register(_remove_process_directory, path, lock_fd)
        return path


def _remove_process_directory(path: str, lock_fd: int) -> None:
    shutil.rmtree(path, ignore_errors=True)  # fd-based rmtree: never follows a planted link
    with contextlib.suppress(OSError):  # already closed at teardown; the kernel drops the lock anyway
        os.close(lock_fd)


def sweep(root: str | None = None) -> list[str]:
    """Remove the directories of processes that died without cleaning up. Returns what was removed."""
    if root is None:
        root = choose_root().path
    if root is None or validate_private_directory(root) is not None:
        return []
    removed: list[str] = []
    for entry in os.scandir(root):
        if not entry.name.startswith(_PROCESS_PREFIX) or not entry.is_dir(follow_symlinks=False):
            continue
        if _is_live(entry.path):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(entry.path)
    return removed


def _is_live(directory: str) -> bool:
    try:
        lock_fd = os.open(os.path.join(directory, ".lock"), os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        # A directory still being set up has no lock yet for a moment; only sweep it when stale.
        try:
            return os.path.getmtime(directory) + 60 > time.time()
        except OSError:
            return False
    except OSError:
        return True  # cannot tell: leave it
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True  # a live process holds it
    finally:
        os.close(lock_fd)
    return False


def private_directory(root: str) -> str:
    """A fresh 0700 directory for one load, inside this process's locked directory."""
    return tempfile.mkdtemp(prefix="load-", dir=process_directory(root))


def create_private_file(directory: str, name: str) -> int:
    """Create ``directory/name`` 0600, exclusively, never through a symlink; returns the fd."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    return os.open(os.path.join(directory, name), flags, 0o600)


def remove_tree(path: str) -> None:
    """Remove a load's directory; missing already is fine, that is the goal."""
    shutil.rmtree(path, ignore_errors=True)
