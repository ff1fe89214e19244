"""Private scratch space for scene files: a RAM-backed root, a directory per load, and the sweep."""

import threading

from shim.scratch.directories import (
    create_private_file,
    load_directory,
    process_prefix,
    scratch_files,
    sweep_directories,
)
from shim.scratch.root import Root, choose_root, free_bytes, validate_private_directory
from shim.scratch.runtime_leftovers import SHARED_MEMORY, sweep_runtime_leftovers

__all__ = [
    "SHARED_MEMORY",
    "Root",
    "choose_root",
    "create_private_file",
    "free_bytes",
    "load_directory",
    "process_prefix",
    "scratch_files",
    "sweep",
    "sweep_at_start_up",
    "sweep_directories",
    "sweep_runtime_leftovers",
    "validate_private_directory",
]

_swept = threading.Event()


def sweep(root: str | None = None) -> list[str]:
    """Remove what dead processes left: their scene directories, and NVIDIA's /dev/shm segments."""
    return sweep_directories(root) + sweep_runtime_leftovers()


def sweep_at_start_up() -> None:
    """The /dev/shm sweep, once per process, at its first load (scene directories are swept at first use)."""
    if not _swept.is_set():
        _swept.set()
        sweep_runtime_leftovers()
