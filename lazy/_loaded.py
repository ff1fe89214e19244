"""One question every part of ``lazy`` asks, answered from ``sys.modules`` alone."""

import sys

TYPE_CHECKING = False  # mypy treats this name as True
if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["loaded_module"]


def loaded_module(name: str) -> "ModuleType | None":
    """``sys.modules[name]`` once it has finished importing; None before."""
    module = sys.modules.get(name)
    if module is None:
        return None
    # A module another thread is still executing is in sys.modules already;
    # handing it out would expose half-initialised globals.
    if getattr(getattr(module, "__spec__", None), "_initializing", False):
        return None
    return module
