"""Import any module on first touch: ``lazy.pxr.Usd.Stage`` imports ``pxr``, then ``pxr.Usd``.

>>> import lazy
>>> lazy.json.dumps([1])        # json is imported here, not at `import lazy`
'[1]'
>>> lazy.is_loaded("pxr")       # introspection never imports
False

Every top-level module name not listed in ``__all__`` is a handle; ``lazy.module(name)``
reaches one whose name collides with the facade's own.
"""

import sys

from lazy._core import (
    LazyImportError,
    LazyModule,
    install_hint,
    is_loaded,
    preload,
    register_hint,
)
from lazy._core import handle as module

TYPE_CHECKING = False
if TYPE_CHECKING:
    # Type checkers and IDEs see the real packages; at run time these names are handles.
    from typing import Any

    import numpy as numpy
    import ovphysx as ovphysx
    import ovstage as ovstage
    import pxr as pxr
    import warp as warp

    from lazy import testing as testing
    from lazy._introspect import Availability

__all__ = [
    "Availability",
    "LazyImportError",
    "LazyModule",
    "available",
    "install_hint",
    "is_loaded",
    "module",
    "preload",
    "register_hint",
    "testing",
]

# The facade's own submodules; every other attribute name is a module to import.
_OWN = {"testing": "lazy.testing", "Availability": "lazy._introspect"}


def available(name: str) -> "Availability":
    """Whether module ``name`` is installed, which distribution and version, without importing it."""
    from lazy._introspect import available as _available

    return _available(name)


def __getattr__(name: str) -> LazyModule:
    if name in _OWN:
        # The facade's own names; type checkers see their real types in the block above.
        __import__(_OWN[name])
        owner: Any = sys.modules[_OWN[name]]
        return owner if name == "testing" else getattr(owner, name)  # type: ignore[no-any-return]
    if name.startswith("__"):
        raise AttributeError(f"module 'lazy' has no attribute {name!r}")
    return module(name)


def __dir__() -> list[str]:
    return list(__all__)
