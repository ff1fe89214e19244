"""Engine cloning against every environment handed over, to the first completed step.

Scene: ``tests.fixtures.scenes.robots(N)`` (N copies of a 9-body, 8-joint driven robot under
/World/envs/env_i). Routes, each in a fresh process: ``clones="auto"`` (env_0 handed over,
the rest cloned in the engine), ``clones="stage"`` (every environment handed over), and the
hand-written route Isaac Lab uses (the flattened stage's USDA text populated inline on 0.5+;
``stage.Export`` and ``add_usd`` before). The clock runs from the in-memory stage to a scene
that has stepped once; peak RSS is the child's. Prints a markdown table; ``--json`` keeps
the samples, ``--plot`` draws time and memory against N.

    python -m benchmarks.engine_clone --sizes 64 256 1024 4096 [--device cuda] [--check]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ROUTES = ("clones=auto", "clones=stage", "hand-written")


def lazy_uint() -> Any:
    from pxr import Sdf

    return Sdf.ValueTypeNames.UInt


def _child(route: str, count: int, device: str, check: bool, capacity: int, references: bool) -> dict[str, Any]:
    import numpy as np

    import shim
    from tests.fixtures.native_routes import export_and_load, loaded_from_string
    from tests.fixtures.scenes import robots

    physx = shim.create_physx(device)
    stage = robots(count, references=references)
    if capacity:  # Isaac Lab sizes the GPU pair buffers per scene; the defaults overflow past ~1,000 robots
        scene = stage.GetPrimAtPath("/World/PhysicsScene")
        scene.AddAppliedSchema("PhysxSceneAPI")
        for name in ("FoundLostAggregatePairs", "TotalAggregatePairs", "FoundLostPairs"):
            scene.CreateAttribute(f"physxScene:gpu{name}Capacity", lazy_uint()).Set(capacity)
    envs = sorted({0, 1, count // 2, count - 1})
    bodies = [f"/World/envs/env_{env}/Robot/{link}" for env in envs for link in shim_links()]
    started = time.perf_counter()
    if route == "hand-written":
        if hasattr(physx, "add_usd"):
            context: Any = export_and_load(physx, stage)
        else:
            from shim import _native

            _native.register_schemas_once(_native.import_ovphysx(), shim.probe().features)  # as Isaac Lab does
            context = loaded_from_string(physx, stage.GetRootLayer().ExportToString())
        context.__enter__()
        cloned = 0
    else:
        scene = shim.load(physx, stage, clones=route.split("=")[1])
        cloned = scene.clones.count
    shim.step(physx, 1 / 60, 1)
    seconds = time.perf_counter() - started
    poses = None
    if check:
        shim.step(physx, 1 / 60, 59)
        poses = np.asarray(shim.read_rigid_body_poses(physx, bodies)).tolist()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if route == "hand-written":
        context.__exit__(None, None, None)
    else:
        scene.unload()
    shim.destroy(physx)  # before the interpreter's teardown, which 0.7 does not survive with a scene attached
    return {"seconds": seconds, "peak_mib": peak, "cloned": cloned, "poses": poses}


def shim_links() -> list[str]:
    from tests.fixtures.scenes import ROBOT_LINKS

    return list(ROBOT_LINKS)


def _run(route: str, count: int, device: str, check: bool, capacity: int, references: bool) -> dict[str, Any]:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--child",
            route,
            str(count),
            device,
            str(int(check)),
            str(capacity),
            str(int(references)),
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))},
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        return {"error": done.stderr[-600:]}
    found: dict[str, Any] = json.loads(lines[-1])
    found["physx_errors"] = sorted({line.strip()[:160] for line in done.stderr.splitlines() if "PhysX error" in line})
    return found


def _plot(releases: dict[str, dict[str, Any]], path: str) -> None:
    """Time to the first step and peak RSS against N, one panel pair, a line per release and route."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, (time_axis, memory_axis) = pyplot.subplots(1, 2, figsize=(11, 4.5))
    for release, results in releases.items():
        for route, style in zip(ROUTES, ("-", "--", ":"), strict=True):
            sizes = [int(n) for n in results if "seconds" in results[n].get(route, {})]
            label = f"{release} {route}"
            time_axis.plot(sizes, [results[str(n)][route]["seconds"] for n in sizes], style, marker="o", label=label)
            memory_axis.plot(sizes, [results[str(n)][route]["peak_mib"] for n in sizes], style, marker="o", label=label)
    for axis, label in ((time_axis, "seconds to the first completed step"), (memory_axis, "peak RSS, MiB")):
        axis.set_xscale("log", base=2)
        axis.set_yscale("log")
        axis.set_xlabel("environments (robots of 9 bodies)")
        axis.set_ylabel(label)
    time_axis.legend(fontsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[64, 256, 1024])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--check", action="store_true", help="compare the poses after 60 steps, bitwise")
    parser.add_argument("--routes", nargs="+", default=list(ROUTES), choices=ROUTES)
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--plot", metavar="PNG", help="plot this run, or the --plot-from files")
    parser.add_argument("--plot-from", nargs="+", metavar="RELEASE=JSON", help="plot earlier --json files, and exit")
    parser.add_argument("--gpu-capacity", type=int, default=0, help="size the scene's GPU pair buffers (0: defaults)")
    parser.add_argument(
        "--references", action="store_true", help="env_1..N as internal references to env_0 (default: copies)"
    )
    parser.add_argument("--child", nargs=6, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        route, count, device, check, capacity, references = arguments.child
        sys.stdout.flush()
        saved = os.dup(1)
        os.dup2(2, 1)  # ovphysx logs to stdout; the JSON line must stand alone there
        try:
            found = _child(route, int(count), device, check == "1", int(capacity), references == "1")
        finally:
            os.dup2(saved, 1)
        print(json.dumps(found), flush=True)
        return
    if arguments.plot_from:
        releases = {
            name: json.loads(Path(file).read_text())
            for name, file in (each.split("=", 1) for each in arguments.plot_from)
        }
        _plot(releases, arguments.plot)
        return
    import shim

    layout = "internal references to env_0" if arguments.references else "copies of env_0"
    print(
        f"ovphysx {shim.probe().ovphysx}, {arguments.device}, {layout}, one fresh process a case, clock to the first step\n"
    )
    print(
        "| N | clones=auto s | clones=stage s | hand-written s | stage / auto | hand-written / auto | peak MiB auto / stage | poses |"
    )
    print("|---|---|---|---|---|---|---|---|")
    results: dict[str, Any] = {}
    for count in arguments.sizes:
        row = {
            route: _run(route, count, arguments.device, arguments.check, arguments.gpu_capacity, arguments.references)
            for route in arguments.routes
        }
        results[str(count)] = row
        seconds = {route: row[route].get("seconds") for route in arguments.routes}
        auto = seconds.get("clones=auto")
        ratios = {route: f"{seconds[route] / auto:.1f}x" if seconds.get(route) and auto else "-" for route in seconds}
        shown = {
            route: f"{seconds[route]:.2f}"
            if seconds.get(route)
            else row[route].get("error", "-")[-40:].replace("\n", " ")
            for route in seconds
        }
        same = "-"
        if arguments.check and all(row[r].get("poses") for r in ("clones=auto", "clones=stage") if r in row):
            same = "bitwise" if row["clones=auto"]["poses"] == row["clones=stage"]["poses"] else "DIFFER"
        memory = "/".join(
            f"{row[r]['peak_mib']:.0f}" if "peak_mib" in row.get(r, {}) else "-"
            for r in ("clones=auto", "clones=stage")
        )
        print(
            f"| {count:,} | {shown.get('clones=auto', '-')} | {shown.get('clones=stage', '-')} | "
            f"{shown.get('hand-written', '-')} | {ratios.get('clones=stage', '-')} | {ratios.get('hand-written', '-')} | "
            f"{memory} | {same} |",
            flush=True,
        )
    errors = sorted(
        {error for row in results.values() for case in row.values() for error in case.get("physx_errors", [])}
    )
    if errors:
        print("\nPhysX said:\n" + "\n".join(f"- {error}" for error in errors))
    if arguments.json:
        Path(arguments.json).write_text(json.dumps(results, indent=1))
    if arguments.plot:
        _plot({shim.probe().ovphysx or "ovphysx": results}, arguments.plot)


if __name__ == "__main__":
    main()
