"""Batched state views: made once over rigid bodies or articulations, read and written every step.

A view made from a path list has one row per path, in that order. A view made from a
pattern has its rows sorted by path, which ``paths`` names; 0.2.9 and 0.3.7 do not say
which prim a row is, and order them as the stage does. Arrays are float32; on a GPU
instance they live on the device.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from shim.errors import InvalidValues, NotInScene, OvphysxNotInstalled, QuantityUnavailable, StaleView
from shim.simulation.quantities import ARTICULATION, RIGID_BODY, Kind, Quantity

if TYPE_CHECKING:
    from shim.adapters import Adapter, NativeScene

__all__ = ["ArticulationView", "RigidBodyView", "View"]


class View:
    """Rows of one kind of object in the loaded scene, and one binding per quantity, made on first use."""

    kind: Kind
    _quantities: dict[str, Quantity]

    def __init__(
        self,
        adapter: Adapter,
        physx: Any,
        scene: NativeScene,
        *,
        device: str,
        paths: list[str] | None,
        pattern: str | None,
    ) -> None:
        self._adapter = adapter
        self._physx = physx
        self._scene = scene
        self._device = device
        self._selection: tuple[list[str] | None, str | None] = (paths, pattern)
        self._bindings: dict[str, Any] = {}
        first = self._binding(next(iter(self._quantities)))
        self.count: int = int(first.shape[0])
        if (paths is not None and self.count != len(paths)) or self.count == 0:
            self.close()
            raise NotInScene(self.kind, self._missing(paths) if paths is not None else [str(pattern)])
        if paths is None:
            matched = adapter.bound_paths(first)
            if matched is not None and matched != sorted(matched):
                # Up to 0.5.x a pattern's rows follow the stage: bind the sorted paths, as 0.6+ order them.
                self.close()
                paths = sorted(matched)
                self._selection = (paths, None)
                self._binding(next(iter(self._quantities)))
            elif matched is not None:
                paths = matched
        #: The prim path of each row; None for a pattern on 0.2.9 and 0.3.7, which do not say.
        self.paths: list[str] | None = list(paths) if paths is not None else None

    @property
    def quantities(self) -> tuple[str, ...]:
        """What this view reads and writes, by name (docs/compatibility.md: which release has which)."""
        return tuple(self._quantities)

    def read(self, quantity: str, out: Any = None) -> Any:
        """``quantity`` of every row, into ``out`` (any DLPack array of the right shape) or a new array."""
        binding = self._binding_of(quantity)
        if not self._scene.loaded:
            raise StaleView(repr(self))
        if out is None:
            out = self._zeros(binding.shape)
        binding.read(out)
        return out

    def write(self, quantity: str, values: Any, indices: Any = None) -> None:
        """Set ``quantity`` of every row (or of the rows in ``indices``, int32) from ``values``.

        On a GPU instance, device arrays go to the engine as they are; host arrays are copied over first.
        """
        binding = self._binding_of(quantity)
        if not self._scene.loaded:
            raise StaleView(repr(self))
        if not self._quantities[quantity].writable:
            raise QuantityUnavailable(quantity, self._adapter.release, "it is read-only; the engine computes it")
        import numpy  # here, not through lazy: this runs every step

        if self._device == "cpu" or isinstance(values, (numpy.ndarray, list, tuple)):
            values = numpy.ascontiguousarray(values, dtype=numpy.float32)
            if indices is not None:
                indices = numpy.ascontiguousarray(indices, dtype=numpy.int32)
            if self._device != "cpu":  # host values for a GPU instance: one copy to the device
                values, indices = self._on_device(values), None if indices is None else self._on_device(indices)
        if tuple(values.shape) != tuple(binding.shape):
            raise InvalidValues(quantity, tuple(binding.shape), tuple(values.shape))
        binding.write(values, indices)

    def shape(self, quantity: str) -> tuple[int, ...]:
        """The shape ``read`` returns for ``quantity``."""
        return tuple(self._binding_of(quantity).shape)

    def close(self) -> None:
        """Free the view's bindings; the simulation does it when the scene goes."""
        bindings, self._bindings = self._bindings, {}
        for binding in bindings.values():
            binding.destroy()

    def _binding_of(self, quantity: str) -> Any:
        binding = self._bindings.get(quantity)
        return binding if binding is not None else self._binding(quantity)

    def _binding(self, quantity: str) -> Any:
        if not self._scene.loaded:
            raise StaleView(repr(self))
        known = self._quantities.get(quantity)
        if known is None:
            raise QuantityUnavailable(
                quantity, self._adapter.release, f"a {self.kind} view has {', '.join(self._quantities)}"
            )
        tensor_type = self._adapter.tensor_type(known.tensor_type)
        if tensor_type is None:
            raise QuantityUnavailable(quantity, self._adapter.release, f"it needs ovphysx {known.since} or later")
        binding = self._bindings[quantity] = self._adapter.binding(self._physx, tensor_type, *self._selection)
        return binding

    def _missing(self, paths: list[str]) -> list[str]:
        """The paths that match nothing, found one binding each (only when a view cannot be made)."""
        tensor_type = self._adapter.tensor_type(next(iter(self._quantities.values())).tensor_type)
        missing = []
        for path in paths:
            binding = self._adapter.binding(self._physx, tensor_type, [path], None)
            if binding.shape[0] != 1:
                missing.append(path)
            binding.destroy()
        return missing

    def _on_device(self, values: Any) -> Any:
        return self._warp().array(values, device=self._device)

    def _warp(self) -> Any:
        try:  # an import, not lazy.available: this runs every step, and metadata scans are slow
            import warp
        except ImportError:
            raise OvphysxNotInstalled(
                "a view on a GPU instance reads into device arrays, made with warp",
                hint="pip install warp-lang, or pass out= with any DLPack array on the device",
            ) from None
        return warp

    def _zeros(self, shape: tuple[int, ...]) -> Any:
        if self._device == "cpu":
            import numpy

            return numpy.zeros(shape, dtype=numpy.float32)
        warp = self._warp()
        return warp.zeros(shape, dtype=warp.float32, device=self._device)

    def __repr__(self) -> str:
        paths, pattern = self._selection
        selection = repr(pattern) if paths is None else f"{len(paths)} paths"
        return f"<{type(self).__name__} {selection}, {getattr(self, 'count', 0)} rows>"


class RigidBodyView(View):
    """Rigid bodies: ``pose`` (N, 7), ``velocity`` (N, 6), ``acceleration`` (N, 6, read-only, 0.4.9+)."""

    kind: Kind = "rigid body"
    _quantities = RIGID_BODY


class ArticulationView(View):
    """Articulations by their root: root pose and velocity, joint state, targets and efforts, link poses."""

    kind: Kind = "articulation"
    _quantities = ARTICULATION

    @property
    def joint_names(self) -> list[str] | None:
        """The DOF names in column order (0.3.7+); None where the release does not say."""
        return self._adapter.bound_names(self._binding_of("joint_positions"), "dof_names")

    @property
    def link_names(self) -> list[str] | None:
        """The link names in ``link_poses`` order (0.3.7+); None where the release does not say."""
        return self._adapter.bound_names(self._binding_of("link_poses"), "body_names")

    @property
    def dof_count(self) -> int:
        return self.shape("joint_positions")[1]

    @property
    def link_count(self) -> int:
        return self.shape("link_poses")[1]
