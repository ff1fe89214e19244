"""The contract every adapter fulfils, what all generations share, and where one load goes."""

from __future__ import annotations

import inspect
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from shim.releases.versions import Generation

if TYPE_CHECKING:
    from shim.adapters.scene import NativeScene

__all__ = ["LOG_LEVELS", "Adapter", "LoadTarget"]

#: The engine's own log levels, by the names ``log=`` and ``SHIM_OVPHYSX_LOG`` take, and the release's names.
LOG_LEVELS = {"verbose": "VERBOSE", "info": "INFO", "warning": "WARNING", "error": "ERROR", "off": "NONE"}


class Adapter:
    """Everything that differs between the releases of one API generation, for the imported ovphysx.

    One instance per process, made by ``shim.adapters.adapter()``; its methods take the
    ``ovphysx.PhysX`` they act on. The details that vary inside a generation (the step's
    clock argument, the clone's pose keyword, the teardown's name) are read off the module once.
    """

    generation: ClassVar[Generation]
    #: Whether the CPU/GPU choice is one switch for the whole process (0.5+) rather than per instance.
    process_wide_device: ClassVar[bool] = True
    #: Whether ovphysx ships the PhysX USD schemas itself (``codeless_schema_paths``, before 0.7).
    ships_schemas: ClassVar[bool] = True

    def __init__(self, ovphysx: Any) -> None:
        self.ovphysx = ovphysx
        physx = ovphysx.PhysX
        self.release: str | None = _release_of(ovphysx)
        self.clone_keyword: str | None = _clone_keyword(physx)
        self.step_takes_time = "sim_time" in _parameters(physx.step)  # 0.2.9 and 0.3.7 take the clock
        self._step_sync = hasattr(physx, "step_sync")
        self._teardown = "destroy" if hasattr(physx, "destroy") else "release"
        self._warm_up = next((name for name in ("warmup", "warmup_gpu") if hasattr(physx, name)), None)
        self._parameters = _parameters(physx)
        self.cpu_mode: bool | None = None  # the process-wide CPU switch as last set (0.5+)

    def describe(self) -> str:
        """One line for ``doctor``: the adapter and the details it read off the release."""
        return (
            f"{type(self).__name__} (step clock={'shim' if self.step_takes_time else 'engine'}, "
            f"clone pose={self.clone_keyword or 'none'}, teardown={self._teardown})"
        )

    # -- the process and its instances

    def prepare(self) -> None:
        """Ready the process for a first instance or population (schemas, plugin order); idempotent."""

    def stand_ins(self, physx: Any) -> dict[str, Callable[..., Any]]:
        """Calls an earlier release of this API had on ``physx`` and this one removed, by name."""
        return {}

    def set_log_level(self, level: str | None) -> None:
        """Set the engine's own log level by name ('verbose', 'info', 'warning', 'error', 'off'); None: leave it.

        By the release's own constants: 0.2.9 numbers them the other way round from 0.3.7 on.
        It governs ovphysx's own lines, not those its plugins print (docs/reliability.md).
        """
        if level is not None and hasattr(self.ovphysx, "set_log_level"):
            self.ovphysx.set_log_level(self.log_level_value(level))

    def log_level_value(self, level: str) -> int:
        """The release's number for log level ``level``."""
        name = LOG_LEVELS[level]
        found = self._constant("LogLevel", name, f"OVPHYSX_LOG_{name}")
        if found is None:
            raise AttributeError(f"ovphysx {self.release} has no log level {name}")
        return int(found)

    def set_cpu_mode(self, cpu: bool) -> None:
        """Set the process-wide CPU switch where the release has one (0.5+)."""

    def create(self, cpu: bool, gpu_index: int, config: Mapping[str, Any]) -> Any:
        """A new ``ovphysx.PhysX`` on the CPU or on CUDA device ``gpu_index``."""
        arguments: dict[str, Any] = {}
        if config:
            arguments["config"] = self.ovphysx.PhysXConfig(**config)
        if not cpu:
            if "active_cuda_gpus" in self._parameters:
                arguments["active_cuda_gpus"] = str(gpu_index)
            elif "gpu_index" in self._parameters:
                arguments["gpu_index"] = gpu_index
        arguments.update(self._device_arguments(cpu))
        return self.ovphysx.PhysX(**arguments)

    def _device_arguments(self, cpu: bool) -> dict[str, Any]:
        return {}

    def is_alive(self, physx: Any) -> bool:
        """False once the instance was destroyed or released, by the shim or by its owner."""
        return getattr(physx, "_omni_physx_sdk_handle", True) is not None

    def runs_on_cpu(self, physx: Any) -> bool | None:
        """Whether ``physx`` runs on the CPU, where the release says (0.6+); None where it does not."""
        ask = getattr(physx, "get_cpu_mode", None)
        return bool(ask()) if callable(ask) else None

    def destroy(self, physx: Any) -> None:
        """Free the instance (``destroy``, or ``release`` before 0.6)."""
        getattr(physx, self._teardown)()

    # -- scenes

    def load_path(self, physx: Any, path: str, make_stage: Callable[[], Any]) -> NativeScene:
        """Load the scene file at ``path``, read once during this call."""
        raise NotImplementedError

    def load_text(self, physx: Any, text: str, make_stage: Callable[[], Any]) -> NativeScene:
        """Load USDA text without a file."""
        raise NotImplementedError

    def load_bytes(self, physx: Any, data: bytes, make_stage: Callable[[], Any]) -> NativeScene:
        """Load USDA bytes, read in place."""
        raise NotImplementedError

    def stage_maker(self, given: object) -> Callable[[], Any]:
        """What makes the ovstage stage a load populates, from ``load``'s ``ovstage`` option (0.5+)."""
        raise NotImplementedError

    def in_memory_unavailable(self, kind: str) -> str | None:
        """Why this release cannot load ``kind`` ('text' or 'bytes') without a file; None when it can."""
        raise NotImplementedError

    def unload(self, physx: Any, scene: NativeScene) -> None:
        """Take ``scene`` back out of ``physx`` (None: the instance is gone already)."""
        raise NotImplementedError

    def clone(self, physx: Any, source: str, targets: list[str], transforms: Any) -> None:
        """Copy ``source`` to ``targets`` in the engine, each placed by its row of ``transforms``; wait."""
        assert self.clone_keyword is not None
        self.wait(physx, physx.clone(source, targets, **{self.clone_keyword: transforms}))

    def wait(self, physx: Any, pending: Any) -> None:
        """Wait for what a call returned: an op id (<= 0.6), a Task (0.7), or nothing."""
        if pending is not None:
            physx.wait_op(pending)

    # -- time

    def step(self, physx: Any, dt: float, sim_time: float) -> None:
        """One step of ``dt`` seconds from ``sim_time``, waited for."""
        if not self.step_takes_time:
            physx.step_sync(dt)
        elif self._step_sync:
            physx.step_sync(dt, sim_time)
        else:
            physx.wait_op(physx.step(dt, sim_time))

    def warm_up(self, physx: Any) -> None:
        """The release's GPU warm-up (``warmup_gpu``, ``warmup`` from 0.6)."""
        if self._warm_up is not None:
            getattr(physx, self._warm_up)()

    # -- state

    def tensor_type(self, name: str) -> Any:
        """The release's tensor type ``name`` (``ovphysx.types.TensorType``), or None where it has none."""
        return self._constant("TensorType", name, f"OVPHYSX_TENSOR_{name}_F32")

    def _constant(self, enum: str, name: str, binding_name: str) -> Any:
        """``ovphysx.types.<enum>.<name>``, or the integer ``ovphysx._bindings.<binding_name>`` 0.2.9 has instead."""
        found = getattr(getattr(getattr(self.ovphysx, "types", None), enum, None), name, None)
        if found is None:
            found = getattr(getattr(self.ovphysx, "_bindings", None), binding_name, None)
        return found

    def binding(self, physx: Any, tensor_type: Any, paths: list[str] | None, pattern: str | None) -> Any:
        """A tensor binding over ``paths`` (rows in that order) or ``pattern`` (rows in the engine's order).

        Every release has them and they are its fastest batched access; 0.6+ deprecate them in
        favour of ``read``/``write``, which the adapter of the release that removes them will use.
        """
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            if paths is not None:
                return physx.create_tensor_binding(prim_paths=paths, tensor_type=tensor_type)
            return physx.create_tensor_binding(pattern=pattern, tensor_type=tensor_type)

    def bound_paths(self, binding: Any) -> list[str] | None:
        """The prim path of each row of ``binding``; None where the release does not say (0.2.9, 0.3.7)."""
        return _listed(getattr(binding, "prim_paths", None))

    def bound_names(self, binding: Any, names: str) -> list[str] | None:
        """An articulation binding's ``dof_names`` or ``body_names``; None where the release has none (before 0.3.7)."""
        return _listed(getattr(binding, names, None))


@dataclass(frozen=True)
class LoadTarget:
    """Where one load goes: an adapter, the instance, and what makes the ovstage stage (0.5+).

    Each method hands the scene over by one native call and records how long the release took.
    """

    adapter: Adapter
    physx: Any
    make_stage: Callable[[], Any]

    def path(self, path: str, nbytes: int | None) -> NativeScene:
        """The scene file at ``path`` (``nbytes``: what crossed, None for a file loaded in place)."""
        return self._timed(lambda: self.adapter.load_path(self.physx, path, self.make_stage), nbytes)

    def text(self, text: str) -> NativeScene:
        return self._timed(lambda: self.adapter.load_text(self.physx, text, self.make_stage), len(text))

    def bytes(self, data: bytes) -> NativeScene:
        return self._timed(lambda: self.adapter.load_bytes(self.physx, data, self.make_stage), len(data))

    @staticmethod
    def _timed(action: Callable[[], NativeScene], nbytes: int | None) -> NativeScene:
        started = time.perf_counter()
        scene = action()
        return scene.handed_over(nbytes, time.perf_counter() - started)


def _parameters(function: Any) -> Mapping[str, inspect.Parameter]:
    try:
        return inspect.signature(function).parameters
    except (TypeError, ValueError):
        return {}


def _clone_keyword(physx: Any) -> str | None:
    """The keyword of ``PhysX.clone`` that places each copy; None where clone takes no pose (0.2.9)."""
    parameters = _parameters(getattr(physx, "clone", None))
    return next((name for name in ("anchor_transforms", "parent_transforms") if name in parameters), None)


def _release_of(ovphysx: Any) -> str | None:
    from shim.releases.versions import installed_version

    return installed_version("ovphysx") or getattr(ovphysx, "__version__", None)


def _listed(names: Any) -> list[str] | None:
    return list(names) if names is not None else None
