"""Isaac Lab 3.0's Cartpole task on the ovphysx backend, with its manager loading through the shim.

One line routes the installed Isaac Lab's ``OvPhysxManager`` through ``shim.load``:
``shim.isaaclab.install()``, before the simulation context is made. This trains nothing:
it steps the task with random actions and prints the mean reward.

    python examples/isaaclab_cartpole.py --envs 64 --steps 300 [--usd cartpole.usd] [--device cuda:0]

Without ``--usd`` the Cartpole comes from NVIDIA's servers, as in Isaac Lab itself.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

import shim.isaaclab


def without_pinned_memory() -> None:
    """Isaac Lab 3.0 asks warp for pinned host buffers, which need a CUDA driver: drop the request without one."""
    import warp as wp

    wp.init()
    if wp.is_cuda_available():
        return
    for name in ("zeros", "empty", "full", "ones", "zeros_like", "empty_like", "full_like", "clone"):
        original = getattr(wp, name)

        def unpinned(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            kwargs.pop("pinned", None)
            return _original(*args, **kwargs)

        setattr(wp, name, unpinned)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--envs", type=int, default=64)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--usd", help="a local cartpole.usd (default: Isaac Lab's, from NVIDIA's servers)")
    options = parser.parse_args(argv)

    shim.isaaclab.install()  # the one line: the manager's stage now goes through shim.load
    without_pinned_memory()

    import torch
    from isaaclab.utils import replace
    from isaaclab_ov.physics import OvPhysxCfg
    from isaaclab_ov.physics.ovphysx_manager import OvPhysxManager
    from isaaclab_tasks.core.cartpole.cartpole_direct_env import CartpoleEnv
    from isaaclab_tasks.core.cartpole.cartpole_direct_env_cfg import CartpoleEnvCfg

    cfg = CartpoleEnvCfg()
    cfg.sim.device = options.device
    cfg.sim.physics = OvPhysxCfg()
    cfg.scene.num_envs = options.envs
    if options.usd:
        cfg.scene.ground = None
        cfg.scene.cartpole = replace(cfg.scene.cartpole, spawn=replace(cfg.scene.cartpole.spawn, usd_path=options.usd))
    env = CartpoleEnv(cfg)
    env.reset()
    total = 0.0
    for _ in range(options.steps):
        actions = 2 * torch.rand((options.envs, 1), device=env.device) - 1
        _, rewards, _, _, _ = env.step(actions)
        total += float(rewards.mean())
    scene = OvPhysxManager.shim_scene
    print(f"loaded through shim.load: {scene.strategy}/{scene.format}, {scene.timings['total_s'] * 1000:.0f} ms")
    print(f"{options.steps} steps of {options.envs} envs, mean reward per step {total / options.steps:+.4f}")
    env.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
