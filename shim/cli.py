"""The ``ovphysx-shim`` command line. It uses the public API of ``lazy`` and ``shim`` only.

Results go to stdout, everything else to stderr. A failure is one line on stderr, naming what
failed and what to do, and the exit code says which kind it was (``EXIT_CODES``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import lazy
import shim
from shim.diagnostics import coalesced

__all__ = ["EXIT_CODES", "main"]

_STRATEGIES = ("string", "bytes", "fd", "tempfile")

#: What each exit code means; ``--help`` prints it too.
EXIT_CODES = {
    0: "done",
    1: "the load or the run failed",
    2: "usage: an unknown command or a bad argument",
    3: "bad input: the file is missing, not a scene, or unreadable",
    4: "environment: something this host lacks (a package, a device, a release that can load it)",
}
_BAD_INPUT = (shim.InvalidSource, shim.PhysicsNotKept, shim.CannotClone)
_ENVIRONMENT = (
    lazy.LazyImportError,
    shim.OvphysxNotInstalled,
    shim.UnsupportedRelease,
    shim.NoStrategyAvailable,
    shim.KnownReleaseDefect,
    shim.DeviceModeFixed,
)


class _InputError(ValueError):
    """A file given on the command line that cannot be used as it is."""


def _doctor(arguments: argparse.Namespace) -> int:
    capabilities = shim.probe()
    if capabilities.ovphysx is not None:
        try:
            capabilities = shim.probe(refresh=True, import_ovphysx=True)  # real features, not guesses
        except shim.OvphysxNotInstalled as error:
            print(f"ovphysx is installed but cannot be imported: {error}", file=sys.stderr)
    routes = shim.routes(capabilities)
    if arguments.json:
        print(json.dumps({**asdict(capabilities), "routes": routes}, indent=2, default=str))
    else:
        print(shim.explain(capabilities))
    return 0 if any(reason is None for reason in routes.values()) else 1


def _demo(arguments: argparse.Namespace) -> int:
    from shim.demo import body_paths, box_stack

    root = shim.probe().temp_root
    before = shim.scratch_files()
    physx = shim.create_physx(arguments.device)
    stage = box_stack(arguments.bodies)
    paths = body_paths(arguments.bodies)
    with shim.load(physx, stage, strategy=arguments.strategy) as scene:
        shim.step(physx, arguments.dt, arguments.steps)
        poses = shim.read_rigid_body_poses(physx, paths)
    after = shim.scratch_files()
    print(f"loaded with strategy={scene.strategy} format={scene.format} ({scene.nbytes} bytes)")
    print("timings: " + ", ".join(f"{key}={value * 1000:.1f} ms" for key, value in scene.timings.items()))
    print(f"after {arguments.steps} steps of {arguments.dt:g} s:")
    for path, pose in zip(paths, poses, strict=True):
        print(f"  {path:16} x={pose[0]:+.4f} y={pose[1]:+.4f} z={pose[2]:+.4f}")
    print(f"temp root {root}: {len(before)} files of this process before the load, {len(after)} after")
    shim.destroy(physx)
    return 0 if after == before else 1


def _run(arguments: argparse.Namespace) -> int:
    """Load a scene file (in place, or through ``--strategy``), step it, print the rigid bodies' poses."""
    from shim.demo import rigid_body_paths

    path = _scene_file(arguments.file)
    stage = _open(path)
    bodies = rigid_body_paths(stage)
    physx = shim.create_physx(arguments.device)
    try:
        # A forced strategy needs the scene in memory: the file's composed stage is handed over.
        source: object = str(path) if arguments.strategy is None and arguments.content == "all" else stage
        if not arguments.json and sys.stderr.isatty():
            print(f"loading {path} ({path.stat().st_size / 2**20:.1f} MiB)...", file=sys.stderr, flush=True)
        with shim.load(
            physx, source, strategy=arguments.strategy, format=arguments.format, content=arguments.content
        ) as scene:
            _step_with_progress(physx, arguments.steps, quiet=arguments.json, dt=arguments.dt)
            poses = shim.read_rigid_body_poses(physx, bodies) if bodies else []
    finally:
        shim.destroy(physx)
    report = {
        "file": str(path),
        "ovphysx": shim.probe().ovphysx,
        "device": arguments.device,
        "strategy": scene.strategy,
        "format": scene.format,
        "nbytes": scene.nbytes,
        "timings": scene.timings,
        "steps": arguments.steps,
        "dt": arguments.dt,
        "content": arguments.content,
        "left_out": asdict(scene.left_out) if scene.left_out is not None else None,
        "clones": asdict(scene.clones),
        "poses": {body: [float(value) for value in pose] for body, pose in zip(bodies, poses, strict=True)},
    }
    if arguments.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{path}: {len(bodies)} rigid bodies, loaded with strategy={scene.strategy} format={scene.format}")
    print("timings: " + ", ".join(f"{key}={value * 1000:.1f} ms" for key, value in scene.timings.items()))
    if scene.left_out is not None:
        print(f"content=physics: handed over {scene.nbytes:,} bytes; {scene.left_out.summary()}")
    if scene.clones.count:
        print(f"cloned {scene.clones.source} {scene.clones.count:,} times in the engine")
    print(f"after {arguments.steps} steps of {arguments.dt:g} s on {arguments.device}:")
    for body, pose in report["poses"].items():
        print(f"  {body:32} x={pose[0]:+.4f} y={pose[1]:+.4f} z={pose[2]:+.4f}")
    return 0


def _scene_file(name: str) -> Path:
    """The path of a scene file that exists, or an _InputError that says what is wrong with it."""
    path = Path(name)
    if not path.exists():
        raise _InputError(f"{name}: no such file; pass the path of a .usd, .usda or .usdc scene file")
    if path.is_dir():
        raise _InputError(f"{name}: is a directory; pass the path of a .usd, .usda or .usdc scene file")
    if path.suffix.lower() not in (".usd", ".usda", ".usdc"):
        raise _InputError(f"{name}: is not a .usd/.usda/.usdc file; pass the path of a scene file")
    return path


def _open(path: Path) -> Any:
    """The file's composed stage; an _InputError, with USD's own first line, when usd-core cannot read it."""
    try:
        with coalesced(f"opening {path}"):
            stage = lazy.pxr.Usd.Stage.Open(str(path))
    except lazy.pxr.Tf.ErrorException as error:
        reason = next((line.strip() for line in str(error).splitlines() if line.strip()), "unreadable")
        raise _InputError(f"{path}: usd-core could not read it ({reason}); check it with usdchecker") from error
    if stage is None:
        raise _InputError(f"{path}: usd-core could not open it; check it with usdchecker")
    return stage


def _step_with_progress(physx: object, steps: int, *, quiet: bool, dt: float = 1 / 60) -> None:
    """Step ``dt`` at a time, with a progress line on a terminal for long runs."""
    show = not quiet and steps >= 600 and sys.stderr.isatty()
    for done in range(steps):
        shim.step(physx, dt)
        if show and (done + 1) % 60 == 0:
            print(f"\rstepped {done + 1}/{steps}", end="", file=sys.stderr, flush=True)
    if show:
        print(file=sys.stderr)


def _sweep(_: argparse.Namespace) -> int:
    removed = shim.sweep()
    print(f"removed {len(removed)} leftovers of processes that died" + "".join(f"\n  {p}" for p in removed))
    return 0


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
    command.add_argument("--strategy", choices=_STRATEGIES, default=None)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ovphysx-shim",
        description=(shim.__doc__ or "").splitlines()[0],
        epilog="exit codes: " + "; ".join(f"{code} {meaning}" for code, meaning in EXIT_CODES.items()),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {shim.__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks, and each warning usd-core gave (not one line for all)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    doctor = commands.add_parser("doctor", help="what is installed, and which routes can load a scene")
    doctor.add_argument("--json", action="store_true", help="machine-readable output")
    doctor.set_defaults(run=_doctor)
    demo = commands.add_parser("demo", help="drop a stack of boxes built in memory, step it, print poses")
    demo.add_argument("--bodies", type=_count("bodies"), default=4, help="how many boxes (default 4)")
    _add_run_options(demo, 120)
    demo.set_defaults(run=_demo)
    run = commands.add_parser("run", help="load a .usd/.usda/.usdc file, step it, print the rigid bodies' poses")
    run.add_argument("file")
    _add_run_options(run, 120)
    run.add_argument("--format", choices=["auto", "usda", "usdc"], default="auto")
    run.add_argument(
        "--content", choices=["all", "physics"], default="all", help="physics: leave appearance behind (see README)"
    )
    run.add_argument("--json", action="store_true", help="machine-readable output")
    run.set_defaults(run=_run)
    sweep = commands.add_parser(
        "sweep", help="remove what ended processes left: scene files, and NVIDIA's /dev/shm segments"
    )
    sweep.set_defaults(run=_sweep)
    return parser


@contextlib.contextmanager
def _native_output_on_stderr(*, to_exit: bool) -> Iterator[None]:
    """Results on stdout, logs on stderr: ovphysx and carb log to file descriptor 1, so it points at stderr here.

    ``to_exit``: the process ends after the command, so fd 1 stays on stderr for the lines
    ovphysx writes while it shuts down.
    """
    sys.stdout.flush()
    saved = os.dup(1)
    real_stdout = sys.stdout
    try:
        if _writes_to_fd_1(real_stdout):
            sys.stdout = open(os.dup(saved), "w", buffering=1, encoding=real_stdout.encoding)  # noqa: SIM115
        os.dup2(2, 1)
        yield
    finally:
        sys.stdout.flush()
        if not to_exit:
            if sys.stdout is not real_stdout:
                sys.stdout.close()
                sys.stdout = real_stdout
            os.dup2(saved, 1)
        os.close(saved)


def _writes_to_fd_1(stream: Any) -> bool:
    try:
        return bool(stream.fileno() == 1)
    except (AttributeError, OSError, ValueError):  # a captured or in-memory stream
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``ovphysx-shim`` console script."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    if arguments.command is None:
        parser.print_help()
        return 2
    _log_to_stderr(debug=arguments.debug)
    try:
        with _native_output_on_stderr(to_exit=argv is None):
            return int(arguments.run(arguments))
    except BrokenPipeError:
        # The reader (e.g. `| head`) stopped reading: end quietly, without a second error at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - flushed at exit, never read
        return 1
    except Exception as error:
        code = _exit_code(error)
        if arguments.debug or code is None:
            raise
        print(f"ovphysx-shim: error: {error}", file=sys.stderr)
        return code


def _exit_code(error: BaseException) -> int | None:
    """The exit code for an error the command line reports in one line; None for a bug (a traceback)."""
    if isinstance(error, (_InputError, *_BAD_INPUT)):
        return 3
    if isinstance(error, _ENVIRONMENT):
        return 4
    if isinstance(error, (shim.ShimError, lazy.BrokenModuleError, ValueError)):
        return 1
    return None


class _Origin(logging.Filter):
    """Names where a log line comes from: the shim's own as ``ovphysx-shim``, any other by its logger."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.origin = "ovphysx-shim" if record.name.partition(".")[0] == "shim" else record.name
        return True


def _log_to_stderr(*, debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_Origin())
    handler.setFormatter(logging.Formatter("%(origin)s: %(levelname)s: %(message)s"))
    logging.basicConfig(level=logging.WARNING, handlers=[handler])
    if debug:
        logging.getLogger("shim").setLevel(logging.DEBUG)


if __name__ == "__main__":
    sys.exit(main())
