"""Resolving a dotted name: importing each part that is a module and reading each part that is not.

Imported at ``import lazy``: only modules the interpreter loaded at start-up.
"""

import sys

from lazy._errors import BrokenModuleError, LazyImportError
from lazy._loaded import loaded_module

TYPE_CHECKING = False  # mypy treats this name as True
if TYPE_CHECKING:
    from types import ModuleType
else:
    ModuleType = type(sys)

__all__ = ["ABSENT", "attribute_of", "import_module", "is_loaded", "loaded_target", "preload", "resolve_name"]

ABSENT = object()  # what a read that found nothing returns


def is_loaded(name: str) -> bool:
    """Whether module ``name`` is fully imported. Never imports anything."""
    return loaded_module(name) is not None


def import_module(name: str, chain: str) -> "ModuleType":
    """Import module ``name`` (nothing cached on failure), as LazyImportError or BrokenModuleError."""
    module = loaded_module(name)
    if module is not None:
        return module
    try:
        __import__(name)  # importlib.import_module without importing importlib
        return sys.modules[name]
    except ModuleNotFoundError as first:
        if not _names_the_module(first, name):
            raise _broken(name, chain, first) from first
        # The path finders' cached directory listings may predate an install or a sys.path
        # change made since: look once more before saying "missing".
        import importlib

        importlib.invalidate_caches()
        try:
            __import__(name)
            return sys.modules[name]
        except ModuleNotFoundError as again:
            if not _names_the_module(again, name):
                raise _broken(name, chain, again) from again
            raise LazyImportError(name, chain, str(again)) from again
    except Exception as error:
        raise _broken(name, chain, error) from error


def _names_the_module(error: ModuleNotFoundError, name: str) -> bool:
    # Missing means the module itself or a package above it is absent; a ModuleNotFoundError
    # for anything else was raised by code inside the module.
    missing = error.name or ""
    return name == missing or name.startswith(missing + ".")


def _broken(name: str, chain: str, error: BaseException) -> BrokenModuleError:
    return BrokenModuleError(name, chain, f"{type(error).__name__}: {error}")


def _submodule_exists(parent: "ModuleType", child: str) -> bool:
    path = getattr(parent, "__path__", None)
    if path is None:
        return False
    fullname = f"{parent.__name__}.{child}"
    return any(finder.find_spec(fullname, path) is not None for finder in sys.meta_path if hasattr(finder, "find_spec"))


def attribute_of(parent: object, parent_name: str, attribute: str, chain: str) -> object:
    """``parent.attribute``, importing it where it is a submodule not imported yet."""
    value = getattr(parent, attribute, ABSENT)
    if value is not ABSENT:
        return value
    if isinstance(parent, ModuleType) and _submodule_exists(parent, attribute):
        return import_module(f"{parent_name}.{attribute}", chain)
    raise AttributeError(f"{chain}: {parent_name!r} has no attribute {attribute!r}")


def resolve_name(name: str, chain: str) -> object:
    """The object ``name`` stands for, importing each part that is a module."""
    top, *rest = name.split(".")
    value: object = import_module(top, chain)
    reached = top
    for part in rest:
        value = attribute_of(value, reached, part, chain)
        reached = f"{reached}.{part}"
    return value


def loaded_target(name: str) -> object:
    """What ``name`` stands for if reaching it imports nothing; ``ABSENT`` otherwise."""
    top, *rest = name.split(".")
    value: object = loaded_module(top)
    if value is None:
        return ABSENT
    reached = top
    for part in rest:
        reached = f"{reached}.{part}"
        found = getattr(value, part, ABSENT)
        value = loaded_module(reached) if found is ABSENT else found
        if value is None or value is ABSENT:
            return ABSENT
    return value


def preload(*names: str) -> "list[ModuleType]":
    """Import ``names`` now (before a fork or a timed loop); raise LazyImportError on failure."""
    return [import_module(name, f"lazy.preload({name!r})") for name in names]
