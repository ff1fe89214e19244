"""Module handles that import on first touch, and the errors they raise.

Everything here runs at ``import lazy``, so it imports only modules that the
interpreter has already loaded at start-up (``sys``, ``os``, ``importlib``) and
defers the rest (``importlib.metadata``) to the functions that need them.
"""

import os
import sys

from lazy._loaded import loaded_module

# No `from __future__ import annotations` and no typing at run time: both cost
# import time, so annotations that name typing-only types are strings.
TYPE_CHECKING = False  # mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import ModuleType
    from typing import Any
else:
    ModuleType = type(sys)


__all__ = [
    "LazyImportError",
    "LazyModule",
    "handle",
    "install_hint",
    "is_loaded",
    "preload",
    "register_hint",
]

#: Where a missing top-level module comes from, when its import name is not its
#: distribution name. ``register_hint`` extends it.
_INSTALL_HINTS: dict[str, str] = {
    "pxr": "pip install usd-core",
    "ovphysx": "pip install ovphysx",
    "ovstage": "pip install ovstage (ovphysx >= 0.5 installs it)",
    "warp": "pip install warp-lang",
    "numpy": "pip install numpy",
}

#: Dunder names that tools probe on any object they are handed (pytest,
#: doctest, inspect.unwrap, copy). Answering them must not import a simulator.
_NEVER_LOAD_FOR = frozenset({"__wrapped__", "__getstate__", "__setstate__", "__signature__", "__test__", "__origin__"})

_handles: "dict[str, LazyModule]" = {}


def register_hint(top_level: str, hint: str) -> None:
    """Tell users how to install ``top_level`` when it is missing (e.g. ``"pip install x"``)."""
    _INSTALL_HINTS[top_level] = hint


def install_hint(name: str) -> str | None:
    """The install hint for the top-level package of ``name``, if one is known."""
    return _INSTALL_HINTS.get(name.partition(".")[0])


class LazyImportError(ModuleNotFoundError):
    """A lazily imported module could not be imported.

    ``missing`` is True when the module (or a package above it) is not installed,
    False when it exists but raised while importing; ``chain`` is the attribute
    access that triggered the import, e.g. ``lazy.pxr.Usd.Stage``.
    """

    def __init__(self, module: str, chain: str, *, missing: bool, detail: str) -> None:
        self.module = module
        self.chain = chain
        self.missing = missing
        self.detail = detail
        self.hint = install_hint(module) if missing else None
        super().__init__(self._message(), name=module)

    def _message(self) -> str:
        if self.missing:
            remedy = self.hint or "install the distribution that provides it"
            return (
                f"{self.chain}: module {self.module!r} is not installed in this environment "
                f"({sys.executable}); {remedy}. [{self.detail}]"
            )
        return (
            f"{self.chain}: module {self.module!r} is installed but raised while importing: "
            f"{self.detail}. Fix that error; touching the module again retries the import."
        )

    def __reduce__(self) -> "tuple[Any, ...]":
        return (_rebuild_error, (self.module, self.chain, self.missing, self.detail))


def _rebuild_error(module: str, chain: str, missing: bool, detail: str) -> LazyImportError:
    return LazyImportError(module, chain, missing=missing, detail=detail)


def _eager_patterns() -> tuple[str, ...]:
    # Read on every new handle, not cached, so that tests and launchers can flip it.
    raw = os.environ.get("LAZY_EAGER", "").strip()
    if raw in ("", "0", "false", "no"):
        return ()
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def _is_eager(name: str) -> bool:
    for pattern in _eager_patterns():
        if pattern in ("1", "all", "*", "true", "yes"):
            return True
        base = pattern[:-2] if pattern.endswith(".*") else pattern
        if name == base or name.startswith(base + "."):
            return True
    return False


def is_loaded(name: str) -> bool:
    """Whether module ``name`` is fully imported. Never imports anything."""
    return loaded_module(name) is not None


def _import(name: str, chain: str) -> "ModuleType":
    """Import ``name`` (no negative caching), translating failures into LazyImportError."""
    module = loaded_module(name)
    if module is not None:
        return module
    try:
        return _import_module(name)
    except ModuleNotFoundError as first:
        if not _names_the_module(first, name):
            raise _inner_failure(name, chain, first) from first
        # The directory listings cached by the path finders may predate an
        # install or a sys.path change made since; look once more before saying "missing".
        import importlib

        importlib.invalidate_caches()
        try:
            return _import_module(name)
        except ModuleNotFoundError as again:
            if not _names_the_module(again, name):
                raise _inner_failure(name, chain, again) from again
            raise LazyImportError(name, chain, missing=True, detail=str(again)) from again
    except Exception as exc:
        raise _inner_failure(name, chain, exc) from exc


def _import_module(name: str) -> "ModuleType":
    # The builtin __import__ does what importlib.import_module does for an absolute
    # name, without importing importlib (not loaded at start-up in a plain venv).
    __import__(name)
    return sys.modules[name]


def _names_the_module(error: ModuleNotFoundError, name: str) -> bool:
    # Missing means the module itself or a package above it is absent; a
    # ModuleNotFoundError for anything else was raised by code inside the module.
    missing = error.name or ""
    return name == missing or name.startswith(missing + ".")


def _inner_failure(name: str, chain: str, exc: BaseException) -> LazyImportError:
    return LazyImportError(name, chain, missing=False, detail=f"{type(exc).__name__}: {exc}")


def _submodule_exists(parent: "ModuleType", child: str) -> bool:
    path = getattr(parent, "__path__", None)
    if path is None:
        return False
    fullname = f"{parent.__name__}.{child}"
    return any(finder.find_spec(fullname, path) is not None for finder in sys.meta_path if hasattr(finder, "find_spec"))


class LazyModule(ModuleType):
    """A stand-in for module ``name`` that imports it when an attribute is first read.

    Reading an attribute imports this one module (one level per dot): a
    submodule that is not imported yet comes back as another unloaded handle,
    anything else as the real object.
    """

    __lazy_name__: str

    def __init__(self, name: str) -> None:
        super().__init__(name)
        # ModuleType.__init__ sets these to None; a handle answers nothing until loaded.
        for attribute in ("__doc__", "__loader__", "__package__", "__spec__"):
            del self.__dict__[attribute]
        self.__dict__["__lazy_name__"] = name

    def __getattr__(self, attribute: str) -> "Any":
        name = self.__lazy_name__
        if attribute in _NEVER_LOAD_FOR and not is_loaded(name):
            raise AttributeError(f"module {name!r} has no attribute {attribute!r} (not loaded)")
        module = _import(name, f"lazy.{name}.{attribute}")
        try:
            value = getattr(module, attribute)
        except AttributeError:
            if attribute.startswith("__") or not _submodule_exists(module, attribute):
                raise AttributeError(f"module {name!r} has no attribute {attribute!r}") from None
            return handle(f"{name}.{attribute}")
        if isinstance(value, ModuleType) and value.__name__ == f"{name}.{attribute}":
            return handle(value.__name__)
        return value

    def __setattr__(self, attribute: str, value: object) -> None:
        setattr(_import(self.__lazy_name__, f"lazy.{self.__lazy_name__}.{attribute} ="), attribute, value)

    def __delattr__(self, attribute: str) -> None:
        delattr(_import(self.__lazy_name__, f"del lazy.{self.__lazy_name__}.{attribute}"), attribute)

    def __dir__(self) -> "Iterable[str]":
        module = loaded_module(self.__lazy_name__)
        if module is not None:
            return dir(module)
        from lazy._finder import submodule_names

        return submodule_names(self.__lazy_name__)

    def __repr__(self) -> str:
        module = loaded_module(self.__lazy_name__)
        if module is None:
            return f"<lazy module {self.__lazy_name__!r} (not loaded)>"
        return f"<lazy module {self.__lazy_name__!r} (loaded: {module!r})>"

    def __reduce__(self) -> "tuple[Any, ...]":
        return (handle, (self.__lazy_name__,))


def handle(name: str) -> "LazyModule":
    """The one handle for module ``name``; importing happens on its first attribute read.

    With ``LAZY_EAGER`` naming the module, the import happens here instead.
    """
    lazy_module = _handles.get(name)
    if lazy_module is None:
        lazy_module = _handles.setdefault(name, LazyModule(name))
    if _is_eager(name):
        _import(name, f"lazy.{name} (LAZY_EAGER)")
    return lazy_module


def preload(*names: str) -> "list[ModuleType]":
    """Import ``names`` now (before a fork or a timed loop); raise LazyImportError on failure."""
    return [_import(name, f"lazy.preload({name!r})") for name in names]
