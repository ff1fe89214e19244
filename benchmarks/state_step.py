"""What the simulation object's state views cost per step, against the release's own tensor bindings.

    python -m benchmarks.state_step [--envs 64 1024] [--steps 200] [--device cpu]

One process, the installed release. The scene is ``examples/ovphysx_manager.py``'s: N robots
(engine clones where the release can). Every step, one side writes the joints' position targets
and reads the root pose and velocity, joint positions and velocities, and link poses into arrays
it keeps; the sides take turns, step by step. The physics step is the same for both and timed
on its own. A second table times one read and one write in a tight loop, which isolates the
views' own cost from the machine's noise. A last table reads the poses of 1,000 bodies: ``shim.read_rigid_body_poses``
called again, against one binding the caller keeps, and against one binding per body made on every
call (the way ``read_rigid_body_poses`` read in 0.1.0).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy

import shim

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples"))
from ovphysx_manager import ROBOTS, build_stage, joint_targets

READS = ("root_pose", "root_velocity", "joint_positions", "joint_velocities", "link_poses")
WRITE = "joint_position_targets"
TENSOR_TYPES = {
    "root_pose": "ARTICULATION_ROOT_POSE",
    "root_velocity": "ARTICULATION_ROOT_VELOCITY",
    "joint_positions": "ARTICULATION_DOF_POSITION",
    "joint_velocities": "ARTICULATION_DOF_VELOCITY",
    "link_poses": "ARTICULATION_LINK_POSE",
    WRITE: "ARTICULATION_DOF_POSITION_TARGET",
}


def _native_bindings(simulation: shim.Simulation) -> dict[str, Any]:
    """The release's own bindings over the same robots, as a hand-written manager makes them."""
    import warnings

    ovphysx = sys.modules["ovphysx"]
    types = getattr(ovphysx, "types", None)
    bindings = {}
    for name, member in TENSOR_TYPES.items():
        tensor_type = (
            getattr(types.TensorType, member) if types else getattr(ovphysx._bindings, f"OVPHYSX_TENSOR_{member}_F32")
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            bindings[name] = simulation.physx.create_tensor_binding(pattern=ROBOTS, tensor_type=tensor_type)
    return bindings


def _per_step(envs: int, steps: int, device: str) -> dict[str, float]:
    simulation = shim.Simulation(device) if not _shared else _shared[0]
    simulation.load(build_stage(envs, gpu_pairs=0 if device == "cpu" else 4 * 1024 * 1024))
    robots = simulation.articulations(pattern=ROBOTS)
    native = _native_bindings(simulation)
    shim_out = {name: _zeros(robots.shape(name), device) for name in READS}
    native_out = {name: _zeros(native[name].shape, device) for name in READS}
    targets = [_on(joint_targets(step, range(envs), robots.dof_count), device) for step in range(steps)]

    def through_shim(step: int) -> None:
        robots.write(WRITE, targets[step])
        for name in READS:
            robots.read(name, out=shim_out[name])

    def natively(step: int) -> None:
        native[WRITE].write(targets[step])
        for name in READS:
            native[name].read(native_out[name])

    timings: dict[str, list[float]] = {"shim": [], "native": [], "physics": []}
    for step in range(steps):
        # One side per step, each right after a physics step, as a manager runs: the first read
        # after a step is the one that waits for the engine's results.
        side, function = ("shim", through_shim) if step % 2 == 0 else ("native", natively)
        started = time.perf_counter()
        function(step)
        timings[side].append(time.perf_counter() - started)
        started = time.perf_counter()
        simulation.step(1 / 60)
        timings["physics"].append(time.perf_counter() - started)
    calls = _per_call(robots, native, shim_out, native_out, targets[0])
    for binding in native.values():
        binding.destroy()
    _shared[:] = [simulation]
    return {side: statistics.median(values) for side, values in timings.items()} | calls


def _zeros(shape: tuple[int, ...], device: str) -> Any:
    """Arrays both sides keep: numpy on the CPU, warp on a GPU (what the release's bindings take there)."""
    if device == "cpu":
        return numpy.zeros(shape, numpy.float32)
    import warp

    return warp.zeros(shape, dtype=warp.float32, device=device)


def _on(values: Any, device: str) -> Any:
    if device == "cpu":
        return values
    import warp

    return warp.array(values, dtype=warp.float32, device=device)


def _per_call(
    robots: Any, native: dict[str, Any], shim_out: dict[str, Any], native_out: dict[str, Any], targets: Any
) -> dict[str, float]:
    """One read and one write in a tight loop, view against binding, best of 5: the views' own cost, without noise."""
    import timeit

    name = "joint_positions"
    cases = {
        "read_view": lambda: robots.read(name, out=shim_out[name]),
        "read_native": lambda: native[name].read(native_out[name]),
        "write_view": lambda: robots.write(WRITE, targets),
        "write_native": lambda: native[WRITE].write(targets),
    }
    number = 2000 if isinstance(targets, numpy.ndarray) else 50  # a GPU write waits for the device: fewer
    return {label: min(timeit.repeat(case, number=number, repeat=5)) / number for label, case in cases.items()}


def _poses(count: int, calls: int) -> dict[str, float]:
    from shim.demo import falling_cubes

    simulation = _shared[0]
    simulation.load(falling_cubes(count, spacing=1.5))
    paths = [f"/World/Cube_{index}" for index in range(count)]
    physx = simulation.physx
    kept = simulation.rigid_bodies(paths)._bindings["pose"]  # the release's own binding over the same bodies
    out = numpy.zeros((count, 7), numpy.float32)

    def per_body() -> None:
        rows = numpy.zeros((count, 7), numpy.float32)
        for row, path in enumerate(paths):
            binding = physx.create_tensor_binding(prim_paths=[path])
            binding.read(rows[row : row + 1])
            binding.destroy()

    shim.read_rigid_body_poses(physx, paths)  # the first call makes the view; the table is about the next ones
    cases = {
        "shim.read_rigid_body_poses, called again": lambda: shim.read_rigid_body_poses(physx, paths),
        "the release's binding, kept by the caller": lambda: kept.read(out),
        "one binding per body per call (as 0.1.0 read)": per_body,
    }
    results: dict[str, list[float]] = {label: [] for label in cases}
    for index in range(calls):
        for label, case in cases.items():
            if label.startswith("one binding") and index % 10:
                continue  # slow: one call in ten is enough
            started = time.perf_counter()
            case()
            results[label].append(time.perf_counter() - started)
    return {label: statistics.median(values) for label, values in results.items()}


_shared: list[shim.Simulation] = []  # one instance for every case: 0.4.13 cannot make a second after release


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envs", type=int, nargs="+", default=[64, 1024])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--bodies", type=int, default=1000)
    parser.add_argument("--device", default="cpu")
    options = parser.parse_args()
    release = shim.probe(import_ovphysx=True).ovphysx
    print(f"ovphysx {release}, {options.device}, median of {options.steps} steps\n")
    print("| envs | state I/O through the views | through the release's bindings | ratio | physics step |")
    print("|---:|---:|---:|---:|---:|")
    rows = {envs: _per_step(envs, options.steps, options.device) for envs in options.envs}
    for envs, row in rows.items():
        print(
            f"| {envs:,} | {row['shim'] * 1e6:,.1f} us | {row['native'] * 1e6:,.1f} us | "
            f"{row['shim'] / row['native']:.2f}x | {row['physics'] * 1e3:,.2f} ms |"
        )
    print(
        "\n| envs | one read, view | one read, binding | one write, view | one write, binding | the views' own cost per step |"
    )
    print("|---:|---:|---:|---:|---:|---:|")
    for envs, row in rows.items():
        own = 5 * (row["read_view"] - row["read_native"]) + row["write_view"] - row["write_native"]
        print(
            f"| {envs:,} | {row['read_view'] * 1e6:.2f} us | {row['read_native'] * 1e6:.2f} us | "
            f"{row['write_view'] * 1e6:.2f} us | {row['write_native'] * 1e6:.2f} us | "
            f"{own * 1e6:.2f} us ({100 * own / row['native']:.1f}% of the I/O) |"
        )
    if options.device != "cpu":
        _shared[0].close()
        return  # the poses table compares host reads
    poses = _poses(options.bodies, 200)
    kept = poses["the release's binding, kept by the caller"]
    print(f"\n| read of {options.bodies:,} body poses | per call | ratio to the kept binding |")
    print("|---|---:|---:|")
    for label, seconds in poses.items():
        print(f"| {label} | {seconds * 1e6:,.1f} us | {seconds / kept:.2f}x |")
    _shared[0].close()


if __name__ == "__main__":
    main()
