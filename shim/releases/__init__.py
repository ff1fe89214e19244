"""What is installed, found without importing it: versions, the probe, and the import-order traps."""

from __future__ import annotations

from shim.releases.capabilities import Capabilities, Generation, probe, probe_adapter

__all__ = ["Capabilities", "Generation", "probe", "probe_adapter"]
