"""The commands: ``doctor``, ``demo``, ``run`` and ``sweep``. They use the public API of ``lazy`` and ``shim`` only."""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import lazy
import shim
from shim.diagnostics import coalesced

__all__ = ["InputError", "demo", "doctor", "run", "sweep"]


class InputError(ValueError):
    """A file given on the command line that cannot be used as it is."""


def doctor(arguments: argparse.Namespace) -> int:
    capabilities = shim.probe()
    if capabilities.ovphysx is not None:
        try:
            capabilities = shim.probe(refresh=True, import_ovphysx=True)  # real features, not guesses
        except shim.OvphysxNotInstalled as error:
            print(f"ovphysx is installed but cannot be imported: {error}", file=sys.stderr)
    from shim.doctor import gpu_report

    routes = shim.routes(capabilities)
    if arguments.json:
        facts = {field.name: getattr(capabilities, field.name) for field in fields(capabilities)}
        facts["adapter"] = capabilities.adapter.describe() if capabilities.adapter else None
        report = {**facts, "routes": routes, "gpu": gpu_report(capabilities)}
        print(json.dumps(report, indent=2, default=str))
    else:
        print(shim.explain(capabilities, gpu=True))
    return 0 if any(reason is None for reason in routes.values()) else 1


def demo(arguments: argparse.Namespace) -> int:
    from shim.demo import body_paths, box_stack

    root = shim.probe().temp_root
    before = shim.scratch_files()
    physx = shim.create_physx(arguments.device, log=_engine_log(arguments))
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


def run(arguments: argparse.Namespace) -> int:
    """Load a scene file (in place, or through ``--strategy``), step it, print the rigid bodies' poses."""
    from shim.demo import environments_of, ground_under, rigid_body_paths

    path = _scene_file(arguments.file)
    stage = _open(path)
    if arguments.clones > 1:
        stage = environments_of(str(path), arguments.clones)
    ground = ground_under(stage) if arguments.ground else None
    bodies = rigid_body_paths(stage)
    edited = arguments.clones > 1 or arguments.ground
    in_place = arguments.strategy is None and arguments.content == "all" and not edited
    physx = shim.create_physx(arguments.device, log=_engine_log(arguments))
    try:
        # A forced route, a ground or copies need the scene in memory: the composed stage is handed over.
        source: object = str(path) if in_place else stage
        if not arguments.json and sys.stderr.isatty():
            print(f"loading {path} ({path.stat().st_size / 2**20:.1f} MiB)...", file=sys.stderr, flush=True)
        clones = "engine" if arguments.clones > 1 else "auto"
        with shim.load(
            physx,
            source,
            strategy=arguments.strategy,
            format=arguments.format,
            content=arguments.content,
            clones=clones,
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
        "physics": asdict(scene.physics),
        "ground": ground,
        "poses": {body: [float(value) for value in pose] for body, pose in zip(bodies, poses, strict=True)},
    }
    if scene.physics.empty and isinstance(source, str):  # shim.load warns itself about a stage
        print(f"ovphysx-shim: warning: {path} has nothing physics simulates: nothing will move", file=sys.stderr)
    if arguments.json:
        print(json.dumps(report, indent=2))
        return 0
    how = f"with strategy={scene.strategy}" if scene.strategy else "in place,"
    print(f"{path}: loaded {scene.physics.summary()} {how} format={scene.format}")
    if ground is not None:
        print(f"ground: a collision box with its top at {ground:+.4f}, just under the scene")
    print("timings: " + ", ".join(f"{key}={value * 1000:.1f} ms" for key, value in scene.timings.items()))
    if scene.left_out is not None:
        print(f"content=physics: handed over {scene.nbytes:,} bytes; {scene.left_out.summary()}")
    if scene.clones.count:
        print(f"cloned {scene.clones.source} {scene.clones.count:,} times in the engine")
    print(f"after {arguments.steps} steps of {arguments.dt:g} s on {arguments.device}:")
    for body, pose in report["poses"].items():
        print(f"  {body:32} x={pose[0]:+.4f} y={pose[1]:+.4f} z={pose[2]:+.4f}")
    return 0


def _engine_log(arguments: argparse.Namespace) -> str:
    """Quiet by default: the engine's errors only; ``--verbose`` its info lines; ``SHIM_OVPHYSX_LOG`` wins."""
    return os.environ.get("SHIM_OVPHYSX_LOG") or ("info" if arguments.verbose else "error")


def _scene_file(name: str) -> Path:
    """The path of a scene file that exists, or an InputError that says what is wrong with it."""
    path = Path(name)
    if not path.exists():
        raise InputError(f"{name}: no such file; pass the path of a .usd, .usda or .usdc scene file")
    if path.is_dir():
        raise InputError(f"{name}: is a directory; pass the path of a .usd, .usda or .usdc scene file")
    if path.suffix.lower() not in (".usd", ".usda", ".usdc"):
        raise InputError(f"{name}: is not a .usd/.usda/.usdc file; pass the path of a scene file")
    return path


def _open(path: Path) -> Any:
    """The file's composed stage; an InputError, with USD's own first line, when usd-core cannot read it."""
    try:
        with coalesced(f"opening {path}"):
            stage = lazy.pxr.Usd.Stage.Open(str(path))
    except lazy.pxr.Tf.ErrorException as error:
        first = next((line.strip() for line in str(error).splitlines() if line.strip()), "unreadable")
        reason = first.rpartition(" : ")[2].strip("'\" ") or first  # USD's own words, not its source location
        raise InputError(f"{path}: usd-core could not read it ({reason}); check it with usdchecker") from error
    if stage is None:
        raise InputError(f"{path}: usd-core could not open it; check it with usdchecker")
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


def sweep(_: argparse.Namespace) -> int:
    removed = shim.sweep()
    print(f"removed {len(removed)} leftovers of processes that died" + "".join(f"\n  {p}" for p in removed))
    return 0
