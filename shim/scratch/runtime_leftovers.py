"""NVIDIA's runtime leftovers in /dev/shm: what each process that made a PhysX leaves when it ends.

Every process that creates a PhysX gets a shared-memory segment ``carb-RStringInternals-<pid>``
and its semaphore ``sem.carb-RStringInternals-<pid>`` from the Carbonite runtime inside ovphysx,
and nothing removes them. Only this user's, and only those whose process is gone, are removed.
"""

from __future__ import annotations

import os
import re
import stat

__all__ = ["SHARED_MEMORY", "sweep_runtime_leftovers"]

SHARED_MEMORY = "/dev/shm"  # noqa: S108 - the directory swept, never a file made here
_LEFTOVER = re.compile(r"(?:sem\.)?carb-RStringInternals-(\d+)")


def sweep_runtime_leftovers(directory: str = SHARED_MEMORY) -> list[str]:
    """Remove this user's Carbonite segments whose process has ended; returns their paths."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []  # no /dev/shm here
    removed: list[str] = []
    for entry in entries:
        match = _LEFTOVER.fullmatch(entry.name)
        if match is None or not _is_ours(entry) or _process_exists(int(match.group(1))):
            continue
        try:
            os.unlink(entry.path)
        except OSError:
            continue  # another sweeper was first, or it is not ours to remove after all
        removed.append(entry.path)
    return removed


def _is_ours(entry: os.DirEntry[str]) -> bool:
    try:
        status = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    return stat.S_ISREG(status.st_mode) and status.st_uid == os.getuid()


def _process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True
