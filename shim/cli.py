"""The ``ovphysx-shim`` command line. It uses the public API of ``lazy`` and ``shim`` only."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import lazy
import shim

__all__ = ["main"]

_WATCHED = ("ovphysx", "ovstage", "pxr", "warp", "numpy")


def _doctor(_: argparse.Namespace) -> int:
    for name in _WATCHED:
        found = lazy.available(name)
        if found:
            print(f"{name:8} {found.distribution or '?'} {found.version or '?'}  ({found.origin})")
        else:
            print(f"{name:8} not installed: {found.hint}")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ovphysx-shim", description=shim.__doc__)
    parser.add_argument("--version", action="version", version=f"%(prog)s {shim.__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    doctor = commands.add_parser("doctor", help="what is installed, and what can load a scene")
    doctor.set_defaults(run=_doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ovphysx-shim`` console script."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 2
    return int(arguments.run(arguments))


if __name__ == "__main__":
    sys.exit(main())
