"""One PhysX instance's life, the same on every release: create, step, read poses, destroy.

``Session`` is what the shim keeps per instance; it never keeps the instance alive.
"""

from __future__ import annotations

import inspect
import os
import re
import warnings
import weakref
from typing import Any

import lazy
from shim.errors import DeviceModeFixed, GpuUnavailable
from shim.releases import Features, NativeScene, probe_features
from shim.releases.bootstrap import import_ovphysx, register_schemas_once, require_physx

__all__ = ["Session", "create_physx", "destroy", "read_rigid_body_poses", "session_of", "step"]


class Session:
    """What the shim keeps for one PhysX instance: the scene attached to it (0.5+) and its simulation time."""

    def __init__(self) -> None:
        self.attached: NativeScene | None = None  # the ovstage releases attach one stage at a time
        self.sim_time = 0.0  # the releases whose step takes the time are told it

    def forget(self, scene: NativeScene) -> None:
        """Stop tracking ``scene``, which its caller now owns."""
        if self.attached is scene:
            self.attached = None

    def detach(self) -> None:
        """Unload the attached scene, if any."""
        scene, self.attached = self.attached, None
        if scene is not None:
            scene.unload()


# Keyed weakly, and no value refers to its key: an instance the caller drops is collected.
_sessions: weakref.WeakKeyDictionary[Any, Session] = weakref.WeakKeyDictionary()


def session_of(physx: Any) -> Session:
    """The session of ``physx``, made on first use."""
    session = _sessions.get(physx)
    if session is None:
        session = _sessions[physx] = Session()
    return session


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
            probe_features().ovphysx, "cpu" if _cpu_mode else "cuda", "cpu" if cpu else "cuda", str(error)
        ) from None
    _cpu_mode = cpu


def prepare_physx() -> Any:
    """Ready this process for an ``ovphysx.PhysX`` made by the host itself; returns the ovphysx module.

    It imports ovphysx in the order old releases need, builds usd-core's plugin registry
    first where PhysX() would break it (0.2.9, 0.3.7), and registers the PhysX schemas with
    ovstage (0.6+). ``shim.load`` registers the schemas itself before its first population;
    call this at start-up when something else may populate an ovstage stage before that.
    """
    ovphysx = import_ovphysx()
    _set_log_level(ovphysx, _log_level(None))
    features = _features()
    _initialise_usd_core_first(features)
    if features.schema_registration:
        register_schemas_once(ovphysx)
    return ovphysx


def _require_cuda_device(device: str, index: int) -> None:
    """Raise GpuUnavailable unless the driver reports device ``index``: some releases fall back to the CPU silently."""
    from shim.gpu import cuda_devices

    devices = cuda_devices()
    if devices.count == 0:
        raise GpuUnavailable(device, str(devices.reason))
    if index >= devices.count:
        raise GpuUnavailable(device, f"this host has {devices.describe()} (cuda:0 to cuda:{devices.count - 1})")


#: The engine's own log levels, by name: what ``log=`` and ``SHIM_OVPHYSX_LOG`` take.
LOG_LEVELS = {"verbose": 0, "info": 1, "warning": 2, "error": 3, "off": 4}


def _log_level(log: str | None) -> int | None:
    """The engine log level asked for (``log``, else ``SHIM_OVPHYSX_LOG``); None to leave the release's own."""
    name = log if log is not None else os.environ.get("SHIM_OVPHYSX_LOG")
    if name is None or name == "":
        return None
    if name.lower() not in LOG_LEVELS:
        source = "log" if log is not None else "SHIM_OVPHYSX_LOG"
        raise ValueError(f"{source}={name!r} is not an engine log level; choose one of {', '.join(LOG_LEVELS)}")
    return LOG_LEVELS[name.lower()]


def _set_log_level(ovphysx: Any, level: int | None) -> None:
    # Every release on PyPI has set_log_level; it governs ovphysx's own lines, not those its
    # plugins print through Carbonite or its bundled USD (see docs/reliability.md).
    if level is not None and hasattr(ovphysx, "set_log_level"):
        ovphysx.set_log_level(level)


def create_physx(device: str = "cpu", *, log: str | None = None, **config: Any) -> Any:
    """A new ``ovphysx.PhysX`` on ``device`` ('cpu', 'cuda' or 'cuda:N'); ``config`` goes to PhysXConfig.

    ``log`` sets the engine's own log level (``LOG_LEVELS``; default: ``SHIM_OVPHYSX_LOG``, else the release's).
    """
    cpu, gpu_index = _parse_device(device)
    level = _log_level(log)
    if not cpu and _cpu_mode is not True:  # a process fixed on the CPU says so instead (DeviceModeFixed)
        _require_cuda_device(device, gpu_index)
    ovphysx = import_ovphysx()
    features = _features()
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
    prepare_physx()  # after the CPU switch, which 0.7 takes only before anything else starts
    _set_log_level(ovphysx, level)
    return physx_class(**arguments)


def step(physx: Any, dt: float, steps: int = 1) -> None:
    """Advance the simulation ``steps`` times by ``dt`` seconds, waiting for each step."""
    require_physx(physx)
    features = _features()
    session = session_of(physx) if features.step_takes_sim_time else None
    for _ in range(steps):
        if session is None:
            physx.step_sync(dt)
        elif features.step_sync:
            physx.step_sync(dt, session.sim_time)
        else:
            physx.wait_op(physx.step(dt, session.sim_time))
        if session is not None:
            session.sim_time += dt


def read_rigid_body_poses(physx: Any, prim_paths: list[str]) -> Any:
    """Poses of the rigid bodies at ``prim_paths`` as numpy float32 (N, 7): px, py, pz, qx, qy, qz, qw."""
    require_physx(physx)
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
    require_physx(physx)
    session = _sessions.pop(physx, None)
    if session is not None:
        session.detach()
    getattr(physx, _features().teardown)()
