"""The differential oracle: a plain file load written against each release's own API
(``shim.bench.handwritten``, which the benchmark's hand-written routes use too).

Deliberately independent of the shim (it is what the shim replaces), so that the
shim's results are compared with the release itself, not with the shim.
"""

from __future__ import annotations

from typing import Any

import lazy
from shim.bench.handwritten import loaded_natively

np = lazy.numpy  # imported on first use: the nodeps env collects this module without numpy


def _poses_with_add_usd(physx: Any, body_paths: list[str], steps: int, dt: float) -> Any:
    # The order of the releases' own samples: bindings first (0.2.9/0.3.7 simulate nothing before one exists).
    bindings = [physx.create_tensor_binding(prim_paths=[body]) for body in body_paths]
    try:
        for index in range(steps):
            if hasattr(physx, "step_sync"):
                physx.step_sync(dt, index * dt)
            else:  # 0.2.9
                physx.wait_op(physx.step(dt, index * dt))
        physx.wait_all()
        return np.stack([_read_binding(binding) for binding in bindings])
    finally:
        for binding in bindings:
            binding.destroy()


def _poses_with_ovstage(physx: Any, body_paths: list[str], steps: int, dt: float) -> Any:
    for _ in range(steps):
        physx.step_sync(dt)
    return _read(physx, body_paths)


def _read_binding(binding: Any) -> Any:
    out = np.zeros(binding.shape, dtype=np.float32)
    binding.read(out)
    return out.reshape(-1, 7)[0]


def _read(physx: Any, body_paths: list[str]) -> Any:
    import warnings

    physx.wait_all()
    rows = []
    for path in body_paths:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            binding = physx.create_tensor_binding(prim_paths=[path])
        rows.append(_read_binding(binding))
        binding.destroy()
    return np.stack(rows)


def poses_from_file_natively(physx: Any, path: str, body_paths: list[str], steps: int, dt: float) -> Any:
    """Dispatch on what the instance offers, as a hand-written manager would."""
    simulate = _poses_with_add_usd if hasattr(physx, "add_usd") else _poses_with_ovstage
    with loaded_natively(physx, path):
        return simulate(physx, body_paths, steps, dt)
