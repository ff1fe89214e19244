"""Every error the shim raises. Each names the value at fault and the remedy, and pickles."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = [
    "CannotClone",
    "DeviceModeFixed",
    "InvalidPhysX",
    "InvalidSource",
    "InvalidValues",
    "KnownReleaseDefect",
    "NoStrategyAvailable",
    "NotInScene",
    "NothingLoaded",
    "OvphysxNotInstalled",
    "PhysicsNotKept",
    "QuantityUnavailable",
    "SceneLoadError",
    "ShimError",
    "StaleView",
    "UnsupportedRelease",
]


class ShimError(Exception):
    """Base class of the shim's errors."""

    def __reduce__(self) -> tuple[Any, ...]:
        # Exceptions pickle as cls(*self.args); ours keep keyword fields, so rebuild from them.
        return (_rebuild, (type(self), self._fields()))

    def _fields(self) -> dict[str, Any]:
        # Every error keeps each argument of its __init__ as an attribute of the same name.
        import inspect

        names = list(inspect.signature(type(self).__init__).parameters)[1:]
        return {name: getattr(self, name) for name in names}


def _rebuild(cls: type[ShimError], fields: dict[str, Any]) -> ShimError:
    return cls(**fields)


class OvphysxNotInstalled(ShimError, ImportError):
    """ovphysx (or a package that its release needs at run time) cannot be imported."""

    def __init__(self, detail: str, hint: str = "pip install 'ovphysx-shim[ovphysx]'") -> None:
        self.detail = detail
        self.hint = hint
        super().__init__(f"{detail}; install it with: {hint}")


class UnsupportedRelease(ShimError, RuntimeError):
    """The installed ovphysx offers no API the shim knows how to load a scene with."""

    def __init__(self, release: str | None, reason: str) -> None:
        self.release = release
        self.reason = reason
        super().__init__(
            f"ovphysx {release!r} is not supported: {reason}. Supported: ovphysx 0.2.9 to 0.7.x, "
            "and later releases that keep `add_usd` or `attach_ovstage`; pin one of those "
            "(pip install 'ovphysx==0.7.0.74035321') or report the release."
        )


class NoStrategyAvailable(ShimError, RuntimeError):
    """No strategy can run here; ``reasons`` says why, per route (strategy and format)."""

    def __init__(self, reasons: Mapping[str, str], forced: str | None = None, release: str | None = None) -> None:
        self.reasons = dict(reasons)
        self.forced = forced
        self.release = release
        why = "; ".join(f"{name}: {reason}" for name, reason in self.reasons.items())
        if forced:
            head = f"the forced strategy {forced!r} cannot run with ovphysx {release!r}: {why}"
            remedy = "unset SHIM_STRATEGY (or strategy=) to let the shim choose"
        else:
            head = f"no strategy can run with ovphysx {release!r}: {why}"
            remedy = "run `ovphysx-shim doctor` for what to install or set"
        super().__init__(f"{head}. Remedy: {remedy}.")


class SceneLoadError(ShimError, RuntimeError):
    """ovphysx (or ovstage) refused the scene; ``native_message`` is its own words."""

    def __init__(
        self, strategy: str, format: str, release: str | None, native_message: str, remedy: str | None = None
    ) -> None:
        self.strategy = strategy
        self.format = format
        self.release = release
        self.native_message = native_message
        self.remedy = remedy or (
            "Check the scene with `usdchecker`, or save it with stage.Export('scene.usda') and read the file"
        )
        super().__init__(
            f"ovphysx {release!r} could not load the scene (strategy {strategy!r}, format {format!r}): "
            f"{native_message}. {self.remedy.rstrip('.')}; nothing was left behind and the "
            "PhysX instance can load another scene."
        )


class InvalidSource(ShimError, ValueError):
    """The value handed to ``shim.load`` is not a scene the shim can hand over."""

    def __init__(self, value_repr: str, reason: str) -> None:
        self.value_repr = value_repr
        self.reason = reason
        super().__init__(
            f"cannot load {value_repr}: {reason}. Pass a pxr.Usd.Stage, a pxr.Sdf.Layer, USDA text "
            "(a str that starts with '#usda 1.0'), USDA or USDC bytes, or the path of a .usd/.usda/.usdc file."
        )


class InvalidPhysX(ShimError, TypeError):
    """The ``physx`` handed to the shim is not an ``ovphysx.PhysX`` instance, or no longer a live one."""

    def __init__(self, value_repr: str, closed: bool = False) -> None:
        self.value_repr = value_repr
        self.closed = closed
        what = "was closed or destroyed" if closed else "is not an ovphysx.PhysX instance"
        super().__init__(f"{value_repr} {what}; pass a live one, as shim.Simulation('cpu') or ovphysx.PhysX() makes.")


class KnownReleaseDefect(ShimError, RuntimeError):
    """The installed release is known to crash the process in this situation; the shim stops first."""

    def __init__(self, release: str | None, defect: str, remedy: str) -> None:
        self.release = release
        self.defect = defect
        self.remedy = remedy
        super().__init__(f"{release} would crash this process: {defect}. Remedy: {remedy}.")


class PhysicsNotKept(ShimError, RuntimeError):
    """``content="physics"`` would hand over different physics than the whole stage; nothing was loaded."""

    def __init__(self, first: str, count: int = 1) -> None:
        self.first = first
        self.count = count
        more = f" (and {count - 1} more difference{'s' if count > 2 else ''})" if count > 1 else ""
        super().__init__(
            f"content='physics' would change this stage's physics: {first}{more}. Nothing was loaded and the "
            "PhysX instance can load another scene. Remedy: load it with content='all' (the default), and "
            "report the stage so that the physics-only rule can learn it."
        )


class CannotClone(ShimError, ValueError):
    """``clones="engine"`` was asked for a stage whose environments the engine cannot clone exactly."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"the engine cannot clone this stage's environments: {reason}. Nothing was loaded. Remedy: "
            "pass clones='auto' (hand the stage over whole when cloning would not be exact) or clones='stage'."
        )


class DeviceModeFixed(ShimError, RuntimeError):
    """This process's ovphysx runs on one device; an instance on the other cannot be made here."""

    def __init__(self, release: str | None, current: str, requested: str, native_message: str) -> None:
        self.release = release
        self.current = current
        self.requested = requested
        self.native_message = native_message
        super().__init__(
            f"this process already runs ovphysx {release} on the {current}, and the release fixes that per "
            f"process ({native_message}), so an instance on the {requested} cannot be made here. Remedy: make "
            f"the {requested} instance in another process, or keep to the {current} in this one."
        )


class GpuUnavailable(ShimError, RuntimeError):
    """A CUDA device was asked for that this host does not have."""

    def __init__(self, device: str, reason: str) -> None:
        self.device = device
        self.reason = reason
        super().__init__(
            f"device {device!r}: {reason}. Remedy: run on 'cpu', or on a host whose NVIDIA driver "
            "reports that device (`ovphysx-shim doctor` says what this host has)."
        )


class UnsupportedIsaacLab(ShimError, RuntimeError):
    """``shim.isaaclab.install()`` found an Isaac Lab other than the one it was verified on, or none."""

    def __init__(self, found: str | None, verified: str, reason: str | None = None) -> None:
        self.found = found
        self.verified = verified
        self.reason = reason
        what = f"Isaac Lab {found}" if found else "no Isaac Lab (the `isaaclab` distribution)"
        because = f" ({reason})" if reason else ""
        super().__init__(
            f"shim.isaaclab.install() found {what}{because}; it was verified on Isaac Lab {verified} only and "
            f"changes nothing elsewhere. Remedy: pip install isaaclab=={verified}, or load through shim.load "
            "in your own manager."
        )


class NothingLoaded(ShimError, RuntimeError):
    """A simulation was stepped, or a view asked for, before any scene was loaded into it."""

    def __init__(self, action: str) -> None:
        self.action = action
        super().__init__(f"{action}: no scene is loaded. Remedy: load one first (simulation.load(stage)).")


class NotInScene(ShimError, LookupError):
    """A view was asked for prims that are not that kind of object in the loaded scene."""

    def __init__(self, kind: str, missing: list[str]) -> None:
        self.kind = kind
        self.missing = missing
        shown = ", ".join(repr(path) for path in missing[:5]) + (
            f" and {len(missing) - 5} more" if len(missing) > 5 else ""
        )
        super().__init__(
            f"{shown} {'is' if len(missing) == 1 else 'are'} not {'an' if kind[0] in 'aeiou' else 'a'} {kind} in the "
            "loaded scene. Remedy: check the "
            f"paths (an articulation's root is the prim with PhysicsArticulationRootAPI), or shim.Census of the stage."
        )


class QuantityUnavailable(ShimError, LookupError):
    """A view was asked for a quantity that the installed release does not have, or cannot write."""

    def __init__(self, quantity: str, release: str | None, reason: str) -> None:
        self.quantity = quantity
        self.release = release
        self.reason = reason
        super().__init__(f"{quantity!r} on ovphysx {release}: {reason}")


class StaleView(ShimError, RuntimeError):
    """A view was used after the scene it was made on was unloaded or replaced."""

    def __init__(self, view: str) -> None:
        self.view = view
        super().__init__(f"{view} belongs to a scene that was unloaded or replaced. Remedy: make the view again.")


class InvalidValues(ShimError, ValueError):
    """Values written to a view do not have the shape the view needs."""

    def __init__(self, quantity: str, expected: tuple[int, ...], got: tuple[int, ...]) -> None:
        self.quantity = quantity
        self.expected = expected
        self.got = got
        super().__init__(f"{quantity}: values of shape {got} were given; the view needs {expected}")
