"""The command line's arguments: what each accepts, checked before any work."""

from __future__ import annotations

import argparse
from collections.abc import Callable

import shim
from shim.cli import commands

__all__ = ["EXIT_CODES", "command_line"]

STRATEGIES = ("string", "bytes", "fd", "tempfile")

#: What each exit code means; ``--help`` prints it too.
EXIT_CODES = {
    0: "done",
    1: "the load or the run failed",
    2: "usage: an unknown command or a bad argument",
    3: "bad input: the file is missing, not a scene, or unreadable",
    4: "environment: something this host lacks (a package, a device, a release that can load it)",
}


def _count(what: str) -> Callable[[str], int]:
    def count(text: str) -> int:
        number = int(text) if text.strip().isdigit() else -1
        if number < 0:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {what}; give a whole number, 0 or more")
        return number

    return count


def _dt(text: str) -> float:
    try:
        dt = float(text)
    except ValueError:
        dt = float("nan")
    if not 0 < dt < 1:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"{text!r} is not a time step; give seconds between 0 and 1, e.g. 0.01667")
    return dt


def _device(text: str) -> str:
    kind, _, index = text.partition(":")
    if text == "cpu" or (kind == "cuda" and (not index or index.isdigit())):
        return text
    raise argparse.ArgumentTypeError(f"{text!r} is not a device; give cpu, cuda or cuda:N")


def _add_run_options(command: argparse.ArgumentParser, steps: int) -> None:
    command.add_argument("--steps", type=_count("steps"), default=steps, help=f"how many steps (default {steps})")
    command.add_argument("--dt", type=_dt, default=1 / 60, help="seconds per step (default 1/60)")
    command.add_argument("--device", type=_device, default="cpu", help="cpu, cuda or cuda:N")
    command.add_argument("--strategy", choices=STRATEGIES, default=None)
    command.add_argument(
        "--verbose", action="store_true", help="show the engine's own info lines (default: its errors only)"
    )


def command_line() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ovphysx-shim",
        description=(shim.__doc__ or "").splitlines()[0],
        epilog="exit codes: " + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items()),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {shim.__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks, and each warning usd-core gave (not one line for all)"
    )
    subcommands = parser.add_subparsers(dest="command", metavar="COMMAND")
    doctor = subcommands.add_parser("doctor", help="what is installed, and which routes can load a scene")
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    doctor.set_defaults(run=commands.doctor)
    demo = subcommands.add_parser("demo", help="drop a stack of boxes built in memory, step it, print poses")
    demo.add_argument("--bodies", type=_count("bodies"), default=4, help="how many boxes (default 4)")
    _add_run_options(demo, 120)
    demo.set_defaults(run=commands.demo)
    run = subcommands.add_parser("run", help="load a .usd/.usda/.usdc file, step it, print the rigid bodies' poses")
    run.add_argument("file")
    _add_run_options(run, 120)
    run.add_argument("--format", choices=["auto", "usda", "usdc"], default="auto")
    run.add_argument(
        "--content", choices=["all", "physics"], default="all", help="physics: leave appearance behind (see README)"
    )
    run.add_argument("--ground", action="store_true", help="add a collision box just under the scene's lowest point")
    run.add_argument(
        "--clones", type=_count("copies"), default=1, help="N copies of the file's default prim, cloned in the engine"
    )
    run.add_argument("--json", action="store_true", help="machine-readable output")
    run.set_defaults(run=commands.run)
    sweep = subcommands.add_parser(
        "sweep", help="remove what ended processes left: scene files, and NVIDIA's /dev/shm segments"
    )
    sweep.set_defaults(run=commands.sweep)
    return parser
