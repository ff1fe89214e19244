"""One fresh private directory per load, inside this process's locked directory, and the sweep.

Layout: ``<root>/ovphysx-shim-<uid>/`` holds one ``p-<pid>-<random>/`` directory per process,
locked with ``flock`` on its ``.lock`` file while a load uses it. Every load gets a fresh
directory inside it, removed as soon as the load has read the scene, and the process
directory goes with the last load: between loads nothing is on disk. SIGTERM and SIGHUP
during a load remove it too. A process killed with SIGKILL mid-load leaves its directory
unlocked; the next process's first load (or ``ovphysx-shim sweep``) removes every unlocked
one and leaves live ones alone.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator

from shim.scratch.root import choose_root, validate_private_directory
from shim.scratch.signals import cleanup_on_termination

__all__ = [
    "PROCESS_PREFIX",
    "create_private_file",
    "load_directory",
    "process_prefix",
    "scratch_files",
    "sweep_directories",
]

PROCESS_PREFIX = "p-"
_STAGING_PREFIX = "new-p-"  # a process directory until its lock is held; swept only when stale
_STALE_STAGING_S = 60


def process_prefix(pid: int | None = None) -> str:
    """The name every scratch directory of process ``pid`` (default: this one) starts with."""
    return f"{PROCESS_PREFIX}{os.getpid() if pid is None else pid}-"


def scratch_files(pid: int | None = None, root: str | None = None) -> list[str]:
    """The scene files process ``pid`` (default: this one) has under the temp root now; empty between loads."""
    root = root or choose_root().path
    if root is None:
        return []
    found: list[str] = []
    for directory, _, files in os.walk(root):
        if os.path.relpath(directory, root).startswith(process_prefix(pid)):
            found += [os.path.join(directory, name) for name in files if name != ".lock"]
    return sorted(found)


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
            sweep_directories(root)
            # Locked before it gets the name a sweeper looks at: a "p-" directory whose lock is
            # free is always a dead one, never one whose owner has not locked it yet.
            staging = tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=root)
            lock_fd = os.open(
                os.path.join(staging, ".lock"),
                os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                0o600,
            )
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path = os.path.join(root, PROCESS_PREFIX + os.path.basename(staging)[len(_STAGING_PREFIX) :])
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
def load_directory(root: str) -> Iterator[str]:
    """A fresh 0700 directory for one load, removed (with this process's directory, when idle) on exit.

    In the main thread, SIGTERM and SIGHUP also remove it, then end the process by the
    same signal; elsewhere a kill leaves it where the sweep finds it.
    """
    process_directory = _enter_process_directory(root)
    try:
        directory = tempfile.mkdtemp(prefix="load-", dir=process_directory)
        try:
            with cleanup_on_termination(_remove_every_process_directory):
                yield directory
        finally:
            shutil.rmtree(directory, ignore_errors=True)  # missing already is fine
    finally:
        _leave_process_directory(root)


def sweep_directories(root: str | None = None) -> list[str]:
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
        elif not entry.name.startswith(PROCESS_PREFIX) or _is_live(entry.path):
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


def create_private_file(directory: str, name: str) -> int:
    """Create ``directory/name`` 0600, exclusively, never through a symlink; returns the fd."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    return os.open(os.path.join(directory, name), flags, 0o600)
