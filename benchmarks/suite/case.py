"""One benchmark case in a fresh interpreter: ``python -m benchmarks.suite.case SCENE ROUTE``.

Builds the scene in memory, creates a CPU PhysX instance, then times one route
from the in-memory stage to a scene that has stepped once (``load_s``; ``ready_s`` stops
before the step), and prints one JSON line
(``bench-result: {...}``). Peak RSS is the high-water mark of the load alone:
``/proc/self/clear_refs`` resets it after the scene is built.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import shim
from shim.physics_only import physics_only  # the floor of content="physics": what it hands over, pre-written
from tests.fixtures import assets, scenes
from tests.fixtures import native_routes as handwritten

__all__ = [
    "OVERHEAD_PAIRS",
    "ROUTES",
    "SCENES",
    "NotAvailable",
    "SceneSpec",
    "add_scenes_option",
    "loaded_by",
    "main",
    "prewrite",
    "run_case",
    "scene_spec",
    "status_kib",
]

RESULT_PREFIX = "bench-result: "
#: Pairs the overhead measurement times by default: the native load's jitter falls out of its
#: paired difference, but the crate write's does not, and 9 pairs leave a few ms of it (0.4.13).
OVERHEAD_PAIRS = 9


@dataclass(frozen=True)
class SceneSpec:
    bodies: int
    build: Callable[[str], Any]  # given a scratch directory for scenes that reference files
    probe_body: str  # a rigid body whose pose is read after one step, to prove the scene simulates
    about: str


def _built(builder: Callable[[int], Any], count: int) -> Callable[[str], Any]:
    return lambda _: builder(count)


def _cubes(count: int) -> SceneSpec:
    return SceneSpec(count, _built(scenes.falling_cubes, count), "/World/Cube_0", f"{count:,} unit cubes")


def _robots(count: int) -> SceneSpec:
    return SceneSpec(
        count * 9,
        _built(scenes.robots, count),
        "/World/envs/env_0/Robot/base",
        f"{count:,} cloned 9-body, 8-joint robots",
    )


#: The families a scene name may size freely: ``cubes-N``, ``robots-N``.
_SIZED: dict[str, Callable[[int], SceneSpec]] = {"cubes": _cubes, "robots": _robots}


SCENES: dict[str, SceneSpec] = {
    **{f"cubes-{count}": _cubes(count) for count in (100, 1000, 5000, 20000)},
    "mesh-distinct-1000": SceneSpec(
        1000,
        lambda _: scenes.mesh_bodies(1000),
        "/World/Body_0",
        "1,000 bodies, each its own 1,000-point mesh collider",
    ),
    "mesh-shared-2000": SceneSpec(
        2000,
        lambda _: scenes.mesh_bodies(2000, distinct=False),
        "/World/Body_0",
        "2,000 bodies sharing one 1,000-point mesh (cloned envs)",
    ),
    **{f"robots-{count}": _robots(count) for count in (64, 1024)},
    "appearance-256": SceneSpec(
        256 * 9,
        lambda directory: assets.appearance_heavy(directory, 256),
        "/World/envs/env_0/base",
        "256 references to an Isaac-layout robot asset: payloads, textures, visuals 10x denser than colliders",
    ),
}


def scene_spec(name: str) -> SceneSpec:
    """A scene of ``SCENES``, or any size of a sized family (``cubes-50000``, ``robots-512``)."""
    if name in SCENES:
        return SCENES[name]
    family, _, count = name.rpartition("-")
    if family in _SIZED and count.isdigit() and int(count) > 0:
        return _SIZED[family](int(count))
    raise ValueError(f"unknown scene {name!r}: choose one of {', '.join(SCENES)}, or cubes-N or robots-N for any N")


def add_scenes_option(parser: argparse.ArgumentParser, default: list[str]) -> None:
    """``--scenes`` for a benchmark script: names checked by ``scene_spec`` as they are parsed."""

    def checked(name: str) -> str:
        try:
            scene_spec(name)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        return name

    parser.add_argument(
        "--scenes",
        nargs="+",
        default=default,
        type=checked,
        help=f"any of {', '.join(SCENES)}, or cubes-N or robots-N for any N",
    )


#: (a) to (e) of the benchmark: what users do today, the floor, every shim route, and auto.
ROUTES: dict[str, str] = {
    "export-usda": "(a) stage.Export(tmp.usda) + native load by path",
    "string-usda": "(b) Flatten + ExportToString + ovstage inline string (Isaac Lab, 0.5+)",
    "floor-usdc": "(c) native load of a .usdc written before the clock starts",
    "floor-usda": "(c) native load of a .usda written before the clock starts",
    "shim-tempfile-usdc": "(d) shim.load(strategy='tempfile', format='usdc')",
    "shim-tempfile-usda": "(d) shim.load(strategy='tempfile', format='usda')",
    "shim-fd-usda": "(d) shim.load(strategy='fd')",
    "shim-string-usda": "(d) shim.load(strategy='string')",
    "shim-bytes-usda": "(d) shim.load(strategy='bytes')",
    "shim-auto": "(e) shim.load(physx, stage)",
    "shim-physics": "shim.load(physx, stage, content='physics')",
    "floor-physics": "the physics-only scene's floor: native load of its .usdc written before the clock starts",
}


class NotAvailable(Exception):
    """This route does not exist on the installed release."""


def _ram_directory() -> str:
    root = shim.probe().temp_root
    return root if root is not None else tempfile.gettempdir()


@contextlib.contextmanager
def _floor(physx: Any, path: str) -> Iterator[dict[str, Any]]:
    with handwritten.loaded_natively(physx, path):
        yield {"bytes": os.path.getsize(path)}


@contextlib.contextmanager
def _shim(physx: Any, stage: Any, strategy: str | None, fmt: str, content: str = "all") -> Iterator[dict[str, Any]]:
    try:
        scene = shim.load(physx, stage, strategy=strategy, format=fmt, content=content)
    except shim.NoStrategyAvailable as error:
        raise NotAvailable(str(error)) from None
    facts: dict[str, Any] = {
        "bytes": scene.nbytes,
        "strategy": f"{scene.strategy}/{scene.format}",
        "native_s": scene.timings["load_s"],  # of load_s, the time inside ovphysx/ovstage
    }
    if scene.left_out is not None:
        facts["left_out"] = {
            "prims": scene.left_out.prims,
            "prims_kept": scene.left_out.prims_kept,
            "payloads": len(scene.left_out.payloads),
            "payload_bytes": scene.left_out.payload_bytes,
        }
    with scene:
        yield facts


@contextlib.contextmanager
def _export(physx: Any, stage: Any) -> Iterator[dict[str, Any]]:
    with handwritten.export_and_load(physx, stage) as path:
        yield {"bytes": os.path.getsize(path)}


@contextlib.contextmanager
def _string(physx: Any, stage: Any) -> Iterator[dict[str, Any]]:
    if hasattr(physx, "add_usd"):
        raise NotAvailable("this release has no ovstage (add_usd generation)")
    text = stage.Flatten().ExportToString()
    with handwritten.loaded_from_string(physx, text):
        yield {"bytes": len(text)}


def loaded_by(
    route: str, physx: Any, stage: Any, prewritten: str | None
) -> contextlib.AbstractContextManager[dict[str, Any]]:
    """``stage`` loaded by ``route`` (a key of ``ROUTES``) for the block; a floor route loads ``prewritten``.

    Raises ``NotAvailable`` when the installed release has no such route.
    """
    if route == "export-usda":
        return _export(physx, stage)
    if route == "string-usda":
        return _string(physx, stage)
    if route.startswith("floor-"):
        assert prewritten is not None
        return _floor(physx, prewritten)
    if route == "shim-auto":
        return _shim(physx, stage, None, "auto")
    if route == "shim-physics":
        return _shim(physx, stage, None, "auto", "physics")
    _, strategy, fmt = route.split("-")
    return _shim(physx, stage, strategy, fmt)


def status_kib(field: str) -> int:
    """A kB field of /proc/self/status (VmRSS, VmHWM), 0 if absent."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")  # resets VmHWM to the current RSS (Linux >= 4.0)
    except OSError:
        return False
    return True


def prewrite(stage: Any, route: str, directory: str) -> str:
    """The file a floor route loads: the scene as USDC or USDA, or what content="physics" hands over, as USDC."""
    if route == "floor-physics":
        path = os.path.join(directory, "physics.usdc")
        layer, _ = physics_only(stage)
        layer.Export(path)
        return path
    path = os.path.join(directory, f"scene.{route.split('-')[1]}")
    stage.Export(path)
    return path


def run_case(scene_name: str, route: str) -> dict[str, Any]:
    """Build ``scene_name``, load it by ``route`` into a fresh CPU instance, and return the measurements."""
    spec = scene_spec(scene_name)
    physx = shim.create_physx("cpu")
    workdir = tempfile.mkdtemp(prefix="bench-", dir=_ram_directory())
    prewritten = None
    try:
        stage = spec.build(os.path.join(workdir, "asset"))
        if route.startswith("floor-"):
            prewritten = prewrite(stage, route, workdir)
        gc.collect()
        baseline_kib = status_kib("VmRSS")
        peak_is_load_only = _reset_peak()
        started = time.perf_counter()
        try:
            with loaded_by(route, physx, stage, prewritten) as facts:
                ready_s = time.perf_counter() - started
                peak_kib = status_kib("VmHWM")
                shim.Simulation.adopt(physx, loaded=True)  # a hand-written route loaded it natively
                shim.step(physx, 1 / 60, 1)  # 0.4.x builds its scene here: the clock stops after it
                load_s = time.perf_counter() - started
                pose = shim.read_rigid_body_poses(physx, [spec.probe_body])[0]
        except NotAvailable as error:
            return {"scene": scene_name, "route": route, "status": "n/a", "reason": str(error)}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if not all(abs(float(value)) < 1e6 for value in pose):
        raise RuntimeError(f"{spec.probe_body} has no finite pose after one step: {pose}")
    return {
        "scene": scene_name,
        "route": route,
        "status": "ok",
        "load_s": load_s,
        "ready_s": ready_s,
        "baseline_rss_mib": baseline_kib / 1024,
        "peak_rss_mib": peak_kib / 1024,
        "peak_is_load_only": peak_is_load_only,
        **facts,
    }


def overhead(scene_name: str, repetitions: int = OVERHEAD_PAIRS) -> dict[str, Any]:
    """The shim's own cost: auto against the same route written by hand, alternated in one process.

    Each pair runs both routes back to back, in alternating order. The native load is the same
    call on the same bytes in both, and it carries nearly all the noise, so the overhead is
    also given outside it: each route's time minus its own native load, paired. The writing of
    the text or crate is the same pxr call in both too, and its jitter is the next largest
    (milliseconds on a 20 ms crate), so the shim's machinery alone is given outside both.
    """
    physx = shim.create_physx("cpu")
    scratch = tempfile.mkdtemp(prefix="bench-")  # for scenes that reference files
    try:
        chosen, pairs = _pairs(physx, scene_spec(scene_name).build(scratch), repetitions)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    def median(of: Callable[[dict[str, float]], float]) -> float:
        return statistics.median(of(pair) for pair in pairs)

    def own(pair: dict[str, float], route: str) -> float:
        return pair[route] - pair[f"{route}_native"]

    def machinery(pair: dict[str, float], route: str) -> float:
        return own(pair, route) - pair[f"{route}_serialize"]

    hand = median(lambda pair: pair["hand"])
    overhead_s = median(lambda pair: pair["shim"] - pair["hand"])
    own_overhead_s = median(lambda pair: own(pair, "shim") - own(pair, "hand"))
    machinery_overhead_s = median(lambda pair: machinery(pair, "shim") - machinery(pair, "hand"))
    return {
        "scene": scene_name,
        "route": "overhead",
        "status": "ok",
        "strategy": "/".join(chosen),
        "hand_s": hand,
        "shim_s": median(lambda pair: pair["shim"]),
        "hand_own_s": median(lambda pair: own(pair, "hand")),
        "shim_own_s": median(lambda pair: own(pair, "shim")),
        "overhead_s": overhead_s,
        "overhead_pct": 100 * overhead_s / hand,
        "own_overhead_s": own_overhead_s,
        "own_overhead_pct": 100 * own_overhead_s / hand,
        "machinery_overhead_s": machinery_overhead_s,
        "machinery_overhead_pct": 100 * machinery_overhead_s / hand,
        "repetitions": repetitions,
        "pairs": pairs,
    }


def _pairs(physx: Any, stage: Any, repetitions: int) -> tuple[tuple[str, str], list[dict[str, float]]]:
    """The route auto takes, and ``repetitions`` back-to-back runs of it by hand and by shim.load."""
    with shim.load(physx, stage) as first:  # warms both paths' caches, and says which route auto takes
        chosen = (first.strategy or "in place", first.format)
    by_hand = _by_hand(physx, stage, chosen)
    pairs: list[dict[str, float]] = []
    for index in range(repetitions):
        pair: dict[str, float] = {}
        for route in ("hand", "shim") if index % 2 == 0 else ("shim", "hand"):
            timed = by_hand() if route == "hand" else _timed_shim(physx, stage)
            pair[route], pair[f"{route}_native"], pair[f"{route}_serialize"] = timed
        pairs.append(pair)
    return chosen, pairs


def _timed_shim(physx: Any, stage: Any) -> tuple[float, float, float]:
    started = time.perf_counter()
    with shim.load(physx, stage) as scene:
        return time.perf_counter() - started, scene.timings["load_s"], scene.timings["serialize_s"]


def _by_hand(physx: Any, stage: Any, chosen: tuple[str, str]) -> Callable[[], tuple[float, float, float]]:
    """The route auto took, written by hand.

    Each call returns the time to a loaded scene, and of it the native load and the
    serialisation (timed as the shim times its own: the crate's export, or the text and its encoding).
    """
    strategy, fmt = chosen
    if strategy not in ("tempfile", "fd"):
        raise NotAvailable(f"no hand-written twin for {strategy}/{fmt}")
    directory = _ram_directory()
    # The benchmark scenes are single in-memory layers, so the twin exports the root layer as the
    # shim does (no Flatten): the difference is then the shim's own work, not a better recipe.
    layer = stage.GetRootLayer()

    def load_once() -> tuple[float, float, float]:
        with contextlib.ExitStack() as loaded:  # unloads after the clock, as the shim's `with` does
            started = time.perf_counter()
            workdir = tempfile.mkdtemp(dir=directory)
            fd = None
            try:
                path = os.path.join(workdir, f"scene.{fmt}")
                serialize_started = time.perf_counter()
                if strategy == "tempfile":
                    layer.Export(path)
                    serialize_s = time.perf_counter() - serialize_started
                else:
                    data = layer.ExportToString().encode()
                    serialize_s = time.perf_counter() - serialize_started
                    fd = os.memfd_create("scene.usda", os.MFD_CLOEXEC)
                    os.write(fd, data)
                    os.symlink(f"/proc/{os.getpid()}/fd/{fd}", path)
                native_started = time.perf_counter()
                loaded.enter_context(handwritten.loaded_natively(physx, path))
                native_s = time.perf_counter() - native_started
            finally:  # like the shim, the file is gone before the load returns
                if fd is not None:
                    os.close(fd)
                shutil.rmtree(workdir, ignore_errors=True)
            return time.perf_counter() - started, native_s, serialize_s

    return load_once


def main(argv: list[str] | None = None) -> int:
    scene_name, route, *pairs = argv if argv is not None else sys.argv[1:]
    result = overhead(scene_name, *map(int, pairs)) if route == "overhead" else run_case(scene_name, route)
    print(RESULT_PREFIX + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
