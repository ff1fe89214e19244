"""What a handle raises when its module cannot be imported, and how to install what is missing.

Imported at ``import lazy``: only ``sys`` here.
"""

import sys

TYPE_CHECKING = False  # mypy treats this name as True
if TYPE_CHECKING:
    from typing import Any

__all__ = ["BrokenModuleError", "LazyImportError", "install_hint", "register_hint", "typo_of"]

#: Where a missing top-level module comes from, when its import name is not its
#: distribution name. ``register_hint`` extends it.
_INSTALL_HINTS: dict[str, str] = {
    "pxr": "pip install usd-core",
    "ovphysx": "pip install ovphysx",
    "ovstage": "pip install ovstage (ovphysx >= 0.5 installs it)",
    "warp": "pip install warp-lang",
    "numpy": "pip install numpy",
}


def register_hint(top_level: str, hint: str) -> None:
    """Tell users how to install ``top_level`` when it is missing (e.g. ``"pip install x"``)."""
    _INSTALL_HINTS[top_level] = hint


def install_hint(name: str) -> str | None:
    """The install hint for the top-level package of ``name``, if one is known."""
    return _INSTALL_HINTS.get(name.partition(".")[0])


def typo_of(name: str, own_names: "list[str]") -> str | None:
    """The facade's own name that ``name`` is one or two edits away from, if any."""
    for own in own_names:
        if name != own and len(own) >= 5 and _edits(name.casefold(), own.casefold()) <= 2:
            return own
    return None


def _edits(a: str, b: str) -> int:
    """Levenshtein distance; enough for the facade's dozen short names (difflib costs an import)."""
    if abs(len(a) - len(b)) > 2:
        return 3
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other)))
        previous = current
    return previous[-1]


class LazyImportError(ModuleNotFoundError):
    """The module a handle stands for (or a package above it) is not installed.

    ``chain`` is the use that needed it, e.g. ``lazy.pxr.Usd.Stage``; ``hint`` says what to install.
    """

    missing = True

    def __init__(self, module: str, chain: str, detail: str) -> None:
        self.module = module
        self.chain = chain
        self.detail = detail
        self.hint = install_hint(module)
        remedy = self.hint or "install the distribution that provides it"
        super().__init__(
            f"{chain}: module {module!r} is not installed in this environment ({sys.executable}); {remedy}. [{detail}]",
            name=module,
        )

    def __reduce__(self) -> "tuple[Any, ...]":
        return (type(self), (self.module, self.chain, self.detail))


class BrokenModuleError(ImportError):
    """The module a handle stands for is installed but raised while importing.

    Not a ``ModuleNotFoundError``: an ``except ModuleNotFoundError`` fallback does not hide it.
    The error it raised is ``__cause__``; the next use imports it again.
    """

    missing = False

    def __init__(self, module: str, chain: str, detail: str) -> None:
        self.module = module
        self.chain = chain
        self.detail = detail
        super().__init__(
            f"{chain}: module {module!r} is installed but raised while importing: {detail}. "
            "Fix that error; the next use imports it again.",
            name=module,
        )

    def __reduce__(self) -> "tuple[Any, ...]":
        return (type(self), (self.module, self.chain, self.detail))
