"""Private scratch space for scene files: a RAM-backed root, a directory per load, and the sweep."""

from shim.scratch.directories import create_private_file, load_directory, process_prefix, scratch_files, sweep
from shim.scratch.root import Root, choose_root, free_bytes, validate_private_directory

__all__ = [
    "Root",
    "choose_root",
    "create_private_file",
    "free_bytes",
    "load_directory",
    "process_prefix",
    "scratch_files",
    "sweep",
    "validate_private_directory",
]
