"""A simulator manager in the shape of Isaac Lab's ``OvPhysxManager``, on ``shim.Simulation``.

N environments of a four-legged robot with driven joints. Every step writes the joints'
position targets and reads the joint positions, velocities and link poses. The same file
runs on every ovphysx release (0.2.9 to 0.7.0): environment copies are made in the engine
where the release can clone, and the stage is handed over whole where it cannot.

    python examples/ovphysx_manager.py --envs 64 --steps 120 [--device cuda] [--clones stage] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any

import lazy
import shim
from shim.demo import ground_world
from shim.demo.robots import grid, robot

ENV_ROOT = "/World/envs"
SPACING = 2.5
ROBOTS = f"{ENV_ROOT}/env_*/Robot"


def build_stage(num_envs: int, gpu_pairs: int = 0) -> Any:
    """A ground and ``num_envs`` robots, env_0 copied into the others with ``Sdf.CopySpec`` as Isaac Lab does.

    ``gpu_pairs``: the physics scene's GPU pair buffers, which Isaac Lab sizes per scene (docs/gpu.md).
    """
    Sdf = lazy.pxr.Sdf
    extent = max(40.0, math.sqrt(num_envs) * SPACING * 2)
    stage = ground_world(ground_extent=(extent, extent))
    layer = stage.GetRootLayer()
    cells = grid(num_envs, SPACING)
    with Sdf.ChangeBlock():
        Sdf.CreatePrimInLayer(layer, ENV_ROOT).specifier = Sdf.SpecifierDef
        layer.GetPrimAtPath(ENV_ROOT).typeName = "Xform"
        robot(layer, f"{ENV_ROOT}/env_0", cells[0])
        for index in range(1, num_envs):
            target = f"{ENV_ROOT}/env_{index}"
            Sdf.CreatePrimInLayer(layer, target)
            Sdf.CopySpec(layer, f"{ENV_ROOT}/env_0", layer, target)
            layer.GetAttributeAtPath(f"{target}.xformOp:translate").default = lazy.pxr.Gf.Vec3d(*cells[index], 0.0)
    if gpu_pairs:
        scene = stage.GetPrimAtPath("/World/PhysicsScene")
        scene.AddAppliedSchema("PhysxSceneAPI")
        for name in ("FoundLostAggregatePairs", "TotalAggregatePairs", "FoundLostPairs"):
            scene.CreateAttribute(f"physxScene:gpu{name}Capacity", Sdf.ValueTypeNames.UInt).Set(gpu_pairs)
    return stage


def joint_targets(step: int, env_ids: Any, dofs: int) -> Any:
    """Each environment's legs swing at their own phase: float32 (len(env_ids), dofs), in radians."""
    numpy = lazy.numpy
    phase = numpy.asarray(env_ids, dtype=numpy.float32)[:, None] * 0.1 + numpy.arange(dofs, dtype=numpy.float32)
    return (0.4 * numpy.sin(step * 0.05 + phase)).astype(numpy.float32)


def env_ids(paths: list[str] | None, num_envs: int) -> list[int]:
    """The environment of each row: from the row's path, or the stage's order where the release names no rows."""
    if paths is None:
        return list(range(num_envs))
    return [int(path.split("/env_")[1].split("/")[0]) for path in paths]


class OvPhysxManager:
    """One simulation, its robots' view, and a step that drives them; ``close()`` ends it."""

    def __init__(self, num_envs: int, device: str = "cpu", *, clones: str = "auto", gpu_pairs: int = 0) -> None:
        self.num_envs = num_envs
        self.simulation = shim.Simulation(device)
        # clones="auto": env_0 is handed over and copied in the engine where the release can.
        self.scene = self.simulation.load(build_stage(num_envs, gpu_pairs), clones=clones)
        self.simulation.warm_up()
        self.robots = self.simulation.articulations(pattern=ROBOTS)
        self.env_ids = env_ids(self.robots.paths, num_envs)  # rows are sorted by path: env_10 before env_2
        self.steps = 0

    def step(self, dt: float) -> dict[str, Any]:
        """Write this step's joint targets, step once, and read the robots' state."""
        self.robots.write("joint_position_targets", joint_targets(self.steps, self.env_ids, self.robots.dof_count))
        self.simulation.step(dt)
        self.steps += 1
        return {name: self.robots.read(name) for name in ("joint_positions", "joint_velocities", "link_poses")}

    def close(self) -> None:
        self.simulation.close()


def on_host(values: Any) -> Any:
    """A numpy copy of a view's array: numpy already on the CPU, a warp array's ``numpy()`` on a GPU."""
    return values.numpy() if hasattr(values, "numpy") else lazy.numpy.asarray(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envs", type=int, default=64)
    parser.add_argument("--steps", type=int, default=120)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--clones", default="auto", choices=("auto", "engine", "stage"))
    parser.add_argument("--gpu-pairs", type=int, default=0, help="GPU pair buffer capacity (0: the defaults)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(argv)
    manager = OvPhysxManager(options.envs, options.device, clones=options.clones, gpu_pairs=options.gpu_pairs)
    state: dict[str, Any] = {}
    for _ in range(options.steps):
        state = manager.step(1 / 60)
    report = {
        "ovphysx": shim.probe().ovphysx,
        "envs": options.envs,
        "strategy": manager.scene.strategy,
        "clones": manager.scene.clones.count,
        "paths": manager.robots.paths,
        **{name: on_host(values).tolist() for name, values in state.items()},
    }
    manager.close()
    if options.json:
        print("manager-report: " + json.dumps(report), flush=True)
    else:
        print(f"{options.envs} envs ({report['clones']} cloned in the engine), {options.steps} steps")
        for row, path in enumerate((report["paths"] or [])[:4]):
            z = report["link_poses"][row][0][2]
            print(f"  {path:30} base z={z:+.3f} joint 0={report['joint_positions'][row][0]:+.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
