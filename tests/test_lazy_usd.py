"""The facade against real usd-core: nothing loads before the touch."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import require


def test_lazy_pxr_usd_stage_create_in_memory() -> None:
    require("pxr")
    script = """
import sys, lazy
assert not any(m == "pxr" or m.startswith("pxr.") for m in sys.modules), "pxr loaded before the touch"
usd = lazy.pxr.Usd
create = usd.Stage.CreateInMemory
assert "pxr" not in sys.modules, "a chain is deferred until its first use"
stage = create()
assert "pxr.Usd" in sys.modules
assert lazy.pxr.Usd.Stage is type(stage), "once imported, reads give the real objects"
stage.DefinePrim(lazy.pxr.Sdf.Path("/World"), "Xform")
print(type(stage).__name__, stage.GetPrimAtPath("/World").GetTypeName())
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=dict(os.environ)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Stage", "Xform"]


def test_available_reports_usd_core_without_importing_it() -> None:
    require("pxr")
    script = "import sys, lazy; a = lazy.available('pxr'); print(a.distribution, a.installed, 'pxr' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=dict(os.environ)
    )
    assert result.stdout.split() == ["usd-core", "True", "False"]
