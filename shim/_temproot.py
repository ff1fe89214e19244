"""Private, RAM-backed scratch space for scene files, and the sweep that clears crashed ones.

Layout: ``<base>/ovphysx-shim-<uid>/`` (0700, owned by us, never a symlink) holds one
``p-<pid>-<random>/`` directory per process, locked with ``flock`` on its ``.lock``
file while a load uses it. Every load gets a fresh ``mkdtemp`` directory inside it,
removed as soon as the load has read the scene, and the process directory goes with
the last load: between loads nothing is on disk. SIGTERM/SIGHUP during a load remove
it too (``_signals``). A process killed with SIGKILL (or a segfault) mid-load leaves
its directory unlocked; the next process's first load (or ``ovphysx-shim sweep``)
removes every unlocked one and leaves live ones alone.
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
from collections.abc import Iterator
from dataclasses import dataclass

from shim import _signals

__all__ = [
    "Root",
    "choose_root",
    "create_private_file",
    "free_bytes",
    "remove_tree",
    "scratch",
    "sweep",
    "validate_private_directory",
]

_RAM_FILESYSTEMS = frozenset({"tmpfs", "ramfs"})
_ROOT_PREFIX = "ovphysx-shim-"
_PROCESS_PREFIX = "p-"
_STAGING_PREFIX = "new-p-"  # a process directory until its lock is held; swept only when stale
_STALE_STAGING_S = 60


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


class _ProcessDirectory:
    """This process's locked directory under one root, alive while at least one load uses it."""

    def __init__(self, path: str, lock_fd: int) -> None:
        self.path = path
        self.lock_fd = lock_fd
        self.users = 0


_process_lock = threading.Lock()
_process: dict[str, _ProcessDirectory] = {}  # root -> this process's directory under it, while in use


def _enter_process_directory(root: str) -> str:
    with _process_lock:
        current = _process.get(root)
        if current is None:
            sweep(root)
            # Locked before it gets the name a sweeper looks at: a "p-" directory whose lock is
            # free is always a dead one, never one whose owner has not locked it yet.
            staging = tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=root)
            lock_fd = os.open(
                os.path.join(staging, ".lock"),
                os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o600,
            )
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path = os.path.join(root, _PROCESS_PREFIX + os.path.basename(staging)[len(_STAGING_PREFIX) :])
            os.rename(staging, path)  # mkdtemp's random suffix keeps the name unique
            current = _process[root] = _ProcessDirectory(path, lock_fd)
        current.users += 1
        return current.path


def _leave_process_directory(root: str) -> None:
    with _process_lock:
        current = _process.get(root)
        if current is None:
            return  # already removed by a termination handler
        current.users -= 1
        if current.users == 0:
            # Gone between loads, so that a host which ends with os._exit() (atexit never
            # runs) or a later SIGKILL leaves nothing behind.
            del _process[root]
            _remove_process_directory(current)


def _remove_process_directory(directory: _ProcessDirectory) -> None:
    shutil.rmtree(directory.path, ignore_errors=True)  # fd-based rmtree: never follows a planted link
    with contextlib.suppress(OSError):
        os.close(directory.lock_fd)  # the lock goes last: a sweeper never sees it unlocked and full


def _remove_every_process_directory() -> None:
    # From a signal handler or atexit: no lock taken (the interrupted frame may hold it).
    for directory in list(_process.values()):
        _remove_process_directory(directory)
    _process.clear()


atexit.register(_remove_every_process_directory)


@contextlib.contextmanager
def scratch(root: str) -> Iterator[str]:
    """A fresh 0700 directory for one load, removed (with this process's directory, when idle) on exit.

    In the main thread, SIGTERM and SIGHUP also remove it, then end the process by the
    same signal; elsewhere a kill leaves it where ``sweep`` finds it.
    """
    process_directory = _enter_process_directory(root)
    try:
        directory = tempfile.mkdtemp(prefix="load-", dir=process_directory)
        try:
            with _signals.cleanup_on_termination(_remove_every_process_directory):
                yield directory
        finally:
            remove_tree(directory)
    finally:
        _leave_process_directory(root)


def sweep(root: str | None = None) -> list[str]:
    """Remove the directories of processes that died without cleaning up. Returns what was removed."""
    if root is None:
        root = choose_root().path
    if root is None or validate_private_directory(root) is not None:
        return []
    removed: list[str] = []
    for entry in os.scandir(root):
        if not entry.is_dir(follow_symlinks=False):
            continue
        if entry.name.startswith(_STAGING_PREFIX):
            if not _is_stale(entry.path):
                continue  # being set up by its owner right now
        elif not entry.name.startswith(_PROCESS_PREFIX) or _is_live(entry.path):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)
        removed.append(entry.path)
    return removed


def _is_stale(directory: str) -> bool:
    try:
        return os.path.getmtime(directory) + _STALE_STAGING_S < time.time()
    except OSError:
        return False


def _is_live(directory: str) -> bool:
    try:
        lock_fd = os.open(os.path.join(directory, ".lock"), os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return not _is_stale(directory)  # its owner is removing it right now, or died doing so
    except OSError:
        return True  # cannot tell: leave it
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True  # a live process holds it
    finally:
        os.close(lock_fd)
    return False


def free_bytes(path: str) -> int:
    """Bytes an unprivileged writer can still use on the filesystem of ``path``."""
    info = os.statvfs(path)
    return info.f_bavail * info.f_frsize


def create_private_file(directory: str, name: str) -> int:
    """Create ``directory/name`` 0600, exclusively, never through a symlink; returns the fd."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    return os.open(os.path.join(directory, name), flags, 0o600)


def remove_tree(path: str) -> None:
    """Remove a load's directory; missing already is fine, that is the goal."""
    shutil.rmtree(path, ignore_errors=True)
