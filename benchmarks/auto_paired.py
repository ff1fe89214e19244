"""Auto against every other route and the native floors, paired in one process.

    python -m benchmarks.auto_paired [--scenes cubes-100 cubes-1000 robots-64] [--rounds 12] [--routes ...]

``python -m benchmarks.suite`` runs each case in a fresh process, and fresh processes differ by
5-70% on the same route (its "runs' spread" column), more than the 5% and 10% the
targets ask to tell apart. Here one process with one CPU instance loads the scene by
every route in turn, ``--rounds`` times, each round in a fresh random order (seeded), so
that a drift from load to load falls on every route alike, and so does whatever a load
leaves to the next one (a rotated order, used before, kept each route's predecessor). Each
round gives auto's time over each other route's; the median over rounds is the comparison. A floor route loads a file
written before the clock starts, a fresh copy each round (0.2-0.4 serve a reused path
stale). The first round is a warm-up, not counted: it steps each route's scene once
and checks that a body moved to a finite pose. Needs ovphysx and usd-core.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import statistics
import tempfile
import time
from typing import Any

import shim
from benchmarks.suite.case import ROUTES, NotAvailable, add_scenes_option, loaded_by, prewrite, scene_spec

AUTO = "shim-auto"
#: Every route that hands over the whole scene; content="physics" hands over less, so it is not a rival.
RIVALS = tuple(route for route in ROUTES if route not in (AUTO, "shim-physics", "floor-physics"))


def _timed(route: str, physx: Any, stage: Any, directory: str, check_body: str | None) -> float:
    """Seconds from the start of ``route`` to a scene that has stepped once; unloaded after the clock."""
    workdir = tempfile.mkdtemp(dir=directory)
    try:
        prewritten = prewrite(stage, route, workdir) if route.startswith("floor-") else None
        started = time.perf_counter()
        with loaded_by(route, physx, stage, prewritten):
            shim.Simulation.adopt(physx, loaded=True)  # a hand-written route loads natively
            shim.step(physx, 1 / 60, 1)  # the clock runs to a scene that has stepped once
            elapsed = time.perf_counter() - started
            if check_body is not None:
                pose = shim.read_rigid_body_poses(physx, [check_body])[0]
                if not all(math.isfinite(float(value)) for value in pose):
                    raise RuntimeError(f"{route}: {check_body} has no finite pose after one step: {pose}")
        return elapsed
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def rounds(
    physx: Any, scene: str, count: int, directory: str, rivals: tuple[str, ...] = RIVALS, seed: int = 0
) -> tuple[dict[str, list[float]], list[list[str]]]:
    """Per route of auto and ``rivals`` that exists on this release, its load time in each of ``count`` rounds.

    Also the order in which each round ran the routes.
    """
    spec = scene_spec(scene)
    stage = spec.build(directory)
    routes = []
    for route in (AUTO, *rivals):  # the warm-up round, which also finds the routes this release has
        try:
            _timed(route, physx, stage, directory, spec.probe_body)
        except NotAvailable:
            continue
        routes.append(route)
    times: dict[str, list[float]] = {route: [] for route in routes}
    shuffler = random.Random(seed)
    orders = [shuffler.sample(routes, len(routes)) for _ in range(count)]
    for order in orders:
        for route in order:
            times[route].append(_timed(route, physx, stage, directory, None))
    return times, orders


def compare(times: dict[str, list[float]]) -> list[dict[str, Any]]:
    """Per rival route: its median time, and auto's time over it, paired by round (median, and rounds won)."""
    auto = times[AUTO]
    rows = []
    for route, measured in times.items():
        if route == AUTO:
            continue
        over = [100 * (mine / theirs - 1) for mine, theirs in zip(auto, measured, strict=True)]
        rows.append(
            {
                "route": route,
                "median_s": statistics.median(measured),
                "auto_over_pct": statistics.median(over),
                "auto_faster": sum(value < 0 for value in over),
                "rounds": len(over),
            }
        )
    return rows


def _table(scene: str, times: dict[str, list[float]], rows: list[dict[str, Any]]) -> str:
    floors = [row for row in rows if row["route"].startswith("floor-")]
    others = [row for row in rows if not row["route"].startswith("floor-")]
    fastest = max(others, key=lambda row: row["auto_over_pct"]) if others else None  # the rival auto trails most
    floor = max(floors, key=lambda row: row["auto_over_pct"]) if floors else None
    lines = [
        f"\n{scene}: auto {statistics.median(times[AUTO]):.3f} s (median of {len(times[AUTO])} rounds)\n",
        "| route | median load | auto vs it, paired | rounds auto was faster |",
        "|---|---|---|---|",
    ]
    for row in sorted(rows, key=lambda row: row["median_s"]):
        lines.append(
            f"| {row['route']} | {row['median_s']:.3f} s | {row['auto_over_pct']:+.1f}% "
            f"| {row['auto_faster']} of {row['rounds']} |"
        )
    if fastest is not None:
        lines.append(f"\nauto above the fastest other route ({fastest['route']}): {fastest['auto_over_pct']:+.1f}%")
    if floor is not None:
        lines.append(f"auto above the best floor ({floor['route']}): {floor['auto_over_pct']:+.1f}%")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_scenes_option(parser, default=["cubes-100", "cubes-1000", "robots-64"])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument(
        "--routes", nargs="+", choices=RIVALS, default=list(RIVALS), help="the routes to pair auto with (default: all)"
    )
    parser.add_argument("--seed", type=int, default=0, help="of the random order of the routes in each round")
    parser.add_argument("--json", help="also write every round's times here")
    options = parser.parse_args()
    probe = shim.probe()
    print(
        f"ovphysx {probe.ovphysx}, {options.rounds} rounds per scene, every route in each "
        f"in a random order (seed {options.seed}), in one process"
    )
    # One instance for every scene: 0.4.13 segfaults loading into a new instance once an earlier one
    # that loaded a scene is released, as a per-scene instance is when the next scene begins.
    physx = shim.create_physx("cpu")
    directory = tempfile.mkdtemp(prefix="auto-paired-", dir=probe.temp_root)
    measured, orders = {}, {}
    try:
        for scene in options.scenes:
            times, orders[scene] = rounds(physx, scene, options.rounds, directory, tuple(options.routes), options.seed)
            measured[scene] = times
            print(_table(scene, times, compare(times)), flush=True)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    if options.json:
        with open(options.json, "w", encoding="utf-8") as out:
            record = {"ovphysx": probe.ovphysx, "seed": options.seed, "rounds": measured, "orders": orders}
            json.dump(record, out, indent=1)


if __name__ == "__main__":
    main()
