"""ovphysx-shim: hand an in-memory pxr stage to any ovphysx release."""

from shim._version import __version__

__all__ = ["__version__"]
