"""Run benchmark cases, each in a fresh interpreter, and gather their medians with the raw samples."""

from __future__ import annotations

import compileall
import json
import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks.suite.case import OVERHEAD_PAIRS, RESULT_PREFIX, ROUTES, SCENES, scene_spec
from shim.releases.versions import installed_version

__all__ = ["OVERHEAD_PAIRS", "ROUTES", "SCENES", "environment", "run", "run_one"]

#: A case that runs longer than this is reported as timed out, not waited for.
CASE_TIMEOUT_S = 900
_CHECKOUT = str(Path(__file__).resolve().parents[2])  # where `benchmarks` and `tests` import from


def environment() -> dict[str, Any]:
    """The versions and the machine the numbers belong to."""

    return {
        "ovphysx": installed_version("ovphysx"),
        "ovstage": installed_version("ovstage"),
        "usd_core": installed_version("usd-core"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
    }


def run_one(scene: str, route: str, python: str = sys.executable, *, pairs: int | None = None) -> dict[str, Any]:
    """One case in a fresh interpreter; a crash or a timeout is a result too, not an exception.

    ``pairs``: for the "overhead" route, how many pairs it times (``case.OVERHEAD_PAIRS`` if None).
    """
    command = [python, "-m", "benchmarks.suite.case", scene, route, *([] if pairs is None else [str(pairs)])]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=CASE_TIMEOUT_S, env=_with_checkout(os.environ), check=False
        )
    except subprocess.TimeoutExpired:
        return {"scene": scene, "route": route, "status": "timeout", "reason": f"over {CASE_TIMEOUT_S} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            result: dict[str, Any] = json.loads(line[len(RESULT_PREFIX) :])
            return result
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"scene": scene, "route": route, "status": "failed", "reason": f"exit {done.returncode}: {tail}"}


def _with_checkout(environ: os._Environ[str]) -> dict[str, str]:
    path = os.pathsep.join(filter(None, [_CHECKOUT, environ.get("PYTHONPATH")]))
    return {**environ, "PYTHONPATH": path}


def run(
    scenes: Sequence[str],
    routes: Sequence[str],
    repetitions: int = 3,
    *,
    overhead_scenes: Sequence[str] = (),
    overhead_pairs: int = OVERHEAD_PAIRS,
    progress: Callable[[dict[str, Any]], None] | None = None,
    checkpoint: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Every scene x route, ``repetitions`` times (repetition outermost, so that drift spreads evenly).

    Each of ``overhead_scenes`` then times ``overhead_pairs`` back-to-back pairs of auto and its
    route by hand. Returns ``{"environment", "samples", "medians", "overhead"}``; a route that is not
    available on this release is tried once and reported as such. ``checkpoint`` gets the
    result so far after every case, so that an interrupted run keeps what it measured.
    """
    for name in scenes:
        scene_spec(name)  # raises ValueError naming the scenes there are
    unknown = [name for name in routes if name not in ROUTES]
    if unknown:
        raise ValueError(f"unknown route: {', '.join(unknown)}; see --list")
    if overhead_pairs < 1:
        raise ValueError(f"overhead_pairs is {overhead_pairs}; the overhead is a median of pairs, so give at least 1")
    samples: list[dict[str, Any]] = []
    overhead: list[dict[str, Any]] = []

    def so_far() -> dict[str, Any]:
        return {"environment": environment(), "samples": samples, "medians": medians(samples), "overhead": overhead}

    _compile_bytecode()
    unavailable: set[tuple[str, str]] = set()
    for _ in range(repetitions):
        for scene in scenes:
            for route in routes:
                if (scene, route) in unavailable:
                    continue
                result = run_one(scene, route)
                if result["status"] != "ok":
                    unavailable.add((scene, route))
                samples.append(result)
                _report(result, so_far, progress, checkpoint)
    for scene in overhead_scenes:
        result = run_one(scene, "overhead", pairs=overhead_pairs)
        overhead.append(result)
        _report(result, so_far, progress, checkpoint)
    return so_far()


def _compile_bytecode() -> None:
    """Compile shim and lazy to bytecode, as pip does at install, before the first case.

    From a source checkout, or with PYTHONDONTWRITEBYTECODE set, every fresh case would
    otherwise compile the modules ``shim.load`` imports on first use: 13 ms inside the clock
    on this project's 2-core machine, a cost an installed wheel never pays.
    """
    import lazy
    import shim

    for package in (shim, lazy):
        for directory in package.__path__:
            compileall.compile_dir(directory, quiet=2)  # a read-only install keeps its own bytecode


def _report(
    result: dict[str, Any],
    so_far: Callable[[], dict[str, Any]],
    progress: Callable[[dict[str, Any]], None] | None,
    checkpoint: Callable[[dict[str, Any]], None] | None,
) -> None:
    if progress is not None:
        progress(result)
    if checkpoint is not None:
        checkpoint(so_far())


def medians(samples: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per scene x route: the median load time and peak RSS of its successful samples, and their spread."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for sample in samples:
        groups.setdefault((sample["scene"], sample["route"]), []).append(sample)
    rows = []
    for (scene, route), group in groups.items():
        ok = [sample for sample in group if sample["status"] == "ok"]
        row: dict[str, Any] = {"scene": scene, "route": route, "runs": len(ok)}
        if ok:
            row.update(
                status="ok",
                load_s=statistics.median(sample["load_s"] for sample in ok),
                peak_rss_mib=statistics.median(sample["peak_rss_mib"] for sample in ok),
                spread_pct=_spread_pct([sample["load_s"] for sample in ok]),
                bytes=ok[0].get("bytes"),
                own_s=statistics.median(sample.get("ready_s", sample["load_s"]) - sample["native_s"] for sample in ok)
                if all("native_s" in sample for sample in ok)
                else None,
                strategy=ok[0].get("strategy"),
            )
        else:
            row.update(status=group[0]["status"], reason=group[0].get("reason", ""))
        rows.append(row)
    return rows


def _spread_pct(times: Sequence[float]) -> float | None:
    """How far apart a route's runs lie (max - min, % of their median): the noise any ratio of it carries."""
    return 100 * (max(times) - min(times)) / statistics.median(times) if len(times) > 1 else None
