"""Handles: a dotted name that is imported and read at its first real use.

A handle stands for a module or for an attribute chain below one (``pxr.Usd.Stage``). Until the
top-level package is imported, reading an attribute of a handle gives another handle and imports
nothing. The first real use (a call, ``isinstance``, subclassing, iteration, indexing, comparison,
``bool``, ``str``) resolves the chain: each part is imported where it is a module and read where it
is not. Once the top-level package is imported, reading through a handle gives the real objects,
importing a submodule the first time it is read.

Everything here runs at ``import lazy``, so it imports only modules that the interpreter has
loaded at start-up (``sys``, ``os``).
"""

import os
import sys

from lazy._resolution import ABSENT, attribute_of, is_loaded, loaded_target, resolve_name

# No `from __future__ import annotations` and no typing at run time: both cost import time.
TYPE_CHECKING = False  # mypy treats this name as True
if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType
    from typing import Any
else:
    ModuleType = type(sys)

__all__ = ["Handle", "handle", "resolve"]

#: Dunder names that tools probe on any object they are handed (pytest, doctest, inspect.unwrap,
#: copy). Answering them must not import a simulator.
_NEVER_LOAD_FOR = frozenset({"__wrapped__", "__getstate__", "__setstate__", "__signature__", "__test__", "__origin__"})

_handles: "dict[str, Handle]" = {}
_submodules: "dict[str, list[str]]" = {}  # a package's submodules, listed from disk once


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


def resolve(value: object) -> object:
    """The real object behind a handle (importing what it needs); anything else as it is.

    For code that hands a handle to a function that checks types in C, such as pxr's.
    """
    return _target(value) if isinstance(value, Handle) else value


class Handle:
    """A stand-in for the module or attribute chain ``name``, resolved at its first real use.

    Once its module is imported and holds no submodule left to import, a module handle reads
    from the module's own namespace: reads cost what real reads cost, and see every change.
    """

    __slots__ = ("__dict__", "__lazy_name__")

    def __init__(self, name: str) -> None:
        self.__lazy_name__ = name

    if TYPE_CHECKING:  # any attribute of a handle is the (untyped) real one, or another handle

        def __getattr__(self, attribute: str) -> "Any": ...

    # The first real use resolves the chain.
    def __call__(self, *arguments: object, **options: object) -> "Any":
        arguments = tuple(resolve(argument) for argument in arguments)
        return _target(self)(*arguments, **{key: resolve(value) for key, value in options.items()})

    def __instancecheck__(self, instance: object) -> bool:
        return isinstance(instance, _target(self))

    def __subclasscheck__(self, subclass: type) -> bool:
        return issubclass(subclass, _target(self))

    def __mro_entries__(self, bases: "tuple[Any, ...]") -> "tuple[Any, ...]":
        return (_target(self),)

    def __iter__(self) -> "Iterator[Any]":
        return iter(_target(self))

    def __len__(self) -> int:
        return len(_target(self))

    def __contains__(self, item: object) -> bool:
        return item in _target(self)

    def __getitem__(self, key: object) -> "Any":
        return _target(self)[resolve(key)]

    def __eq__(self, other: object) -> bool:
        return bool(_target(self) == resolve(other))

    def __ne__(self, other: object) -> bool:
        return bool(_target(self) != resolve(other))

    def __lt__(self, other: object) -> bool:
        return bool(_target(self) < resolve(other))

    def __le__(self, other: object) -> bool:
        return bool(_target(self) <= resolve(other))

    def __gt__(self, other: object) -> bool:
        return bool(_target(self) > resolve(other))

    def __ge__(self, other: object) -> bool:
        return bool(_target(self) >= resolve(other))

    def __hash__(self) -> int:
        return hash(_target(self))

    def __bool__(self) -> bool:
        return bool(_target(self))

    def __str__(self) -> str:
        return str(_target(self))

    def __dir__(self) -> "list[str]":
        target = loaded_target(self.__lazy_name__)
        if target is not ABSENT:
            return dir(target)
        from lazy._finder import submodule_names

        return submodule_names(self.__lazy_name__)

    def __repr__(self) -> str:
        name = self.__lazy_name__
        target = loaded_target(name)
        if target is ABSENT:
            return f"<lazy handle {name!r} (not loaded)>"
        return f"<lazy handle {name!r} (loaded: {target!r})>"

    def __reduce__(self) -> "tuple[Any, ...]":
        return (handle, (self.__lazy_name__,))


class _Deferred(Handle):
    """A handle whose reads still go through ``__getattr__``: deferred, or resolved one read at a time."""

    __slots__ = ()

    def __getattr__(self, attribute: str) -> "Any":
        name = self.__lazy_name__
        chain = f"lazy.{name}.{attribute}"
        if attribute in _NEVER_LOAD_FOR:
            target = loaded_target(name)
            if target is ABSENT:
                raise AttributeError(f"{name!r} has no attribute {attribute!r} (not loaded)")
            return getattr(target, attribute)
        if not attribute.startswith("__") and not is_loaded(name.partition(".")[0]):
            return handle(f"{name}.{attribute}")  # nothing of this package is imported: defer
        value = attribute_of(_target(self, chain), name, attribute, chain)
        if isinstance(value, ModuleType) and value.__name__ == f"{name}.{attribute}":
            child = handle(value.__name__)
            self.__dict__[attribute] = child  # a submodule read through a handle stays a handle
            _target(child)
            return child
        return value

    def __setattr__(self, attribute: str, value: object) -> None:
        if attribute == "__lazy_name__":
            object.__setattr__(self, attribute, value)
            return
        setattr(_target(self, f"lazy.{self.__lazy_name__}.{attribute} ="), attribute, value)

    def __delattr__(self, attribute: str) -> None:
        delattr(_target(self, f"del lazy.{self.__lazy_name__}.{attribute}"), attribute)


def _target(this: Handle, chain: "str | None" = None) -> "Any":
    """What the handle stands for, imported as needed.

    A module handle whose module has no submodule left to import then reads from the module itself.
    """
    name = this.__lazy_name__
    target = resolve_name(name, chain or f"lazy.{name}")
    if (
        type(this) is _Deferred
        and isinstance(target, ModuleType)
        and target.__name__ == name
        and _nothing_left_to_import(target)
    ):
        object.__setattr__(this, "__dict__", target.__dict__)
        object.__setattr__(this, "__class__", Handle)
    return target


def _nothing_left_to_import(module: "ModuleType") -> bool:
    """Whether every submodule of ``module`` is imported (always, for a plain module)."""
    if getattr(module, "__path__", None) is None:
        return True
    children = _submodules.get(module.__name__)
    if children is None:
        from lazy._finder import submodule_names

        children = _submodules[module.__name__] = [
            f"{module.__name__}.{child}" for child in submodule_names(module.__name__)
        ]
    return all(child in sys.modules for child in children)


def handle(name: str) -> Handle:
    """The one handle for ``name`` (a module, or an attribute chain below one).

    With ``LAZY_EAGER`` naming the module, it is imported here instead.
    """
    found = _handles.get(name)
    if found is None:
        found = _handles.setdefault(name, _Deferred(name))
    if _is_eager(name):
        resolve_name(name, f"lazy.{name} (LAZY_EAGER)")
    return found
