"""Name any module now, import it at first use: ``Usd = lazy.pxr.Usd`` imports nothing.

>>> import lazy
>>> lazy.json.dumps([1])        # the call imports json
'[1]'
>>> lazy.is_loaded("pxr")       # introspection never imports
False

Every top-level name not listed in ``__all__`` is a handle for that module; ``lazy.module(name)``
reaches one whose name collides with the facade's own.
"""

import sys

from lazy._core import Handle, resolve
from lazy._core import handle as module
from lazy._errors import BrokenModuleError, LazyImportError, install_hint, register_hint, typo_of
from lazy._resolution import is_loaded, preload

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
    "BrokenModuleError",
    "Handle",
    "LazyImportError",
    "available",
    "install_hint",
    "is_loaded",
    "module",
    "preload",
    "register_hint",
    "resolve",
    "testing",
]

# The facade's own submodules; every other attribute name is a module to import.
_OWN = {"testing": "lazy.testing", "Availability": "lazy._introspect"}


def available(name: str) -> "Availability":
    """Whether module ``name`` is installed, which distribution and version, without importing it."""
    from lazy._introspect import available as _available

    return _available(name)


def __getattr__(name: str) -> Handle:
    if name in _OWN:
        # The facade's own names; type checkers see their real types in the block above.
        __import__(_OWN[name])
        owner: Any = sys.modules[_OWN[name]]
        return owner if name == "testing" else getattr(owner, name)  # type: ignore[no-any-return]
    if name.startswith("__"):
        raise AttributeError(f"module 'lazy' has no attribute {name!r}")
    meant = typo_of(name, __all__)
    if meant is not None:
        from lazy._finder import find_spec_without_import

        if find_spec_without_import(name) is None:
            raise AttributeError(f"lazy.{name}: no module {name!r}; did you mean lazy.{meant}?")
    found = module(name)
    globals()[name] = found  # later reads are plain module-attribute reads
    return found


def __dir__() -> list[str]:
    return list(__all__)
