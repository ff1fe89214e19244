"""Version-independent session helpers: create, step, read poses, destroy.

So that users, the demo and the tests never write a release switch themselves.
"""

from __future__ import annotations

import inspect
import re
import warnings
import weakref
from typing import Any

import lazy
from shim import _native
from shim._probe import Features, probe_features
from shim.errors import DeviceModeFixed

__all__ = ["create_physx", "destroy", "read_rigid_body_poses", "step"]

_sim_time: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
_cpu_mode: bool | None = None  # the process-wide CPU switch as this module last set it (0.5+)
_DEVICE = re.compile(r"^(cpu|cuda|gpu)(?::(\d+))?$")


def _features() -> Features:
    # Cached after the first call: step() runs every frame and must not re-probe.
    features = probe_features().features
    assert features is not None
    return features


def _parse_device(device: str) -> tuple[bool, int]:
    match = _DEVICE.match(device.strip().lower())
    if match is None:
        raise ValueError(f"device {device!r} is not one of 'cpu', 'cuda' or 'cuda:N'")
    return match.group(1) == "cpu", int(match.group(2) or 0)


def _initialise_usd_core_first(features: Features) -> None:
    """0.2.9/0.3.7: usd-core's plugin registry must exist before PhysX() points it at ovphysx's plugins.

    PhysX() calls setenv(PXR_PLUGINPATH_NAME) in those releases; a registry that
    usd-core builds afterwards picks up the bundled 25.11 plugins and breaks pxr.
    """
    if features.generation != "add_usd" or not features.step_takes_sim_time:
        return
    if lazy.available("pxr"):
        lazy.pxr.Usd.Stage.CreateInMemory()


def _set_cpu_mode(ovphysx: Any, features: Features, cpu: bool) -> None:
    """Set the process-wide CPU switch (0.5+) only when it changes: it cannot change while instances live."""
    global _cpu_mode  # noqa: PLW0603 - ovphysx's own switch is process-wide
    if _cpu_mode == cpu:
        return
    try:
        if features.cpu_mode == "set_cpu_mode":
            ovphysx.PhysX.set_cpu_mode(cpu)
        else:
            ovphysx.set_global_config(ovphysx.GlobalConfigKey.CPU_ONLY, cpu)
    except RuntimeError as error:
        if _cpu_mode is None:
            raise
        raise DeviceModeFixed(
            _version(), "cpu" if _cpu_mode else "cuda", "cpu" if cpu else "cuda", str(error)
        ) from None
    _cpu_mode = cpu


def _version() -> str | None:
    return probe_features().ovphysx


def create_physx(device: str = "cpu", **config: Any) -> Any:
    """A new ``ovphysx.PhysX`` on ``device`` ('cpu', 'cuda' or 'cuda:N'); ``config`` goes to PhysXConfig."""
    cpu, gpu_index = _parse_device(device)
    ovphysx = _native.import_ovphysx()
    features = _features()
    _initialise_usd_core_first(features)
    physx_class = ovphysx.PhysX
    parameters = inspect.signature(physx_class).parameters
    arguments: dict[str, Any] = {}
    if config:
        arguments["config"] = ovphysx.PhysXConfig(**config)
    if features.cpu_mode == "device-argument":
        arguments["device"] = "cpu" if cpu else "gpu"
    else:
        _set_cpu_mode(ovphysx, features, cpu)
    if not cpu:
        if "active_cuda_gpus" in parameters:
            arguments["active_cuda_gpus"] = str(gpu_index)
        elif "gpu_index" in parameters:
            arguments["gpu_index"] = gpu_index
    _native.register_schemas_once(ovphysx, features)
    return physx_class(**arguments)


def step(physx: Any, dt: float, steps: int = 1) -> None:
    """Advance the simulation ``steps`` times by ``dt`` seconds, waiting for each step."""
    _native.require_physx(physx)
    features = _features()
    for _ in range(steps):
        if features.step_takes_sim_time:
            now = _sim_time.get(physx, 0.0)
            if features.step_sync:
                physx.step_sync(dt, now)
            else:
                physx.wait_op(physx.step(dt, now))
            _sim_time[physx] = now + dt
        else:
            physx.step_sync(dt)


def read_rigid_body_poses(physx: Any, prim_paths: list[str]) -> Any:
    """Poses of the rigid bodies at ``prim_paths`` as numpy float32 (N, 7): px, py, pz, qx, qy, qz, qw."""
    _native.require_physx(physx)
    numpy = lazy.numpy
    poses: Any = numpy.zeros((len(prim_paths), 7), dtype=numpy.float32)
    if hasattr(physx, "wait_all"):
        physx.wait_all()
    for row, path in enumerate(prim_paths):
        # One binding per path: a binding over several paths returns them in its own order.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 0.6+: still supported, works everywhere
            binding = physx.create_tensor_binding(prim_paths=[path])
        try:
            buffer = numpy.zeros(binding.shape, dtype=numpy.float32)
            binding.read(buffer)
        finally:
            binding.destroy()
        if buffer.shape[0] != 1:
            raise ValueError(f"{path!r} is not a rigid body in the loaded scene (matched {buffer.shape[0]} bodies)")
        poses[row] = buffer.reshape(-1, 7)[0]
    return poses


def destroy(physx: Any) -> None:
    """Unload what the shim attached and free the instance (``destroy`` or ``release``)."""
    _native.require_physx(physx)
    from shim._load import _attached

    scene = _attached.pop(physx, None)
    if scene is not None:
        scene.unload()
    _sim_time.pop(physx, None)
    if hasattr(physx, "destroy"):
        physx.destroy()
    else:
        physx.release()
