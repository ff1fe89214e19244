"""Shared fixtures: real packages written into tmp_path, and clean module state."""

from __future__ import annotations

import json
import os
import platform
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

WritePackage = Callable[..., str]
MatrixRecord = dict[str, Any]

_MATRIX_RECORD: MatrixRecord = {}


@pytest.fixture
def write_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WritePackage]:
    """Write a real package into tmp_path (on sys.path); returns its unique top-level name.

    ``files`` maps a path relative to the package (``"__init__.py"``, ``"sub/__init__.py"``)
    to its source; ``{pkg}`` in a source is replaced by the package's name.
    """
    monkeypatch.syspath_prepend(str(tmp_path))
    created: list[str] = []

    def write(files: dict[str, str], *, root: Path = tmp_path, prefix: str = "pkg") -> str:
        name = f"{prefix}_{uuid.uuid4().hex[:8]}"
        for relative, source in files.items():
            target = root / name / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(source).replace("{pkg}", name))
        created.append(name)
        return name

    yield write
    for name in created:
        for module in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[module]


def require(distribution_module: str) -> None:
    """Skip unless ``distribution_module`` imports; fail instead where tox says it must be there.

    The tox envs set ``SHIM_REQUIRE`` (e.g. ``usd,ovphysx``) so that a broken
    install turns into a failure in the env that exists to test it, not a skip.
    """
    import os

    import lazy

    if lazy.available(distribution_module):
        return
    required = {part.strip() for part in os.environ.get("SHIM_REQUIRE", "").split(",")}
    key = {"pxr": "usd", "isaaclab_ov": "isaaclab"}.get(distribution_module, distribution_module)
    if key in required:
        pytest.fail(f"{distribution_module} must be installed in this tox env (SHIM_REQUIRE={key})")
    pytest.skip(f"{distribution_module} is not installed")


@pytest.fixture(scope="session")
def physx() -> Iterator[object]:
    """One CPU PhysX instance for the whole session.

    ovphysx 0.4.13 segfaults when a second instance loads a scene after the first
    was released, so, like Isaac Lab's 0.4-era manager, every test reuses one.
    """
    require("ovphysx")
    require("pxr")
    import shim

    instance = shim.create_physx("cpu")
    yield instance
    shim.destroy(instance)


@pytest.fixture
def temp_root_is_clean() -> Iterator[None]:
    """Assert that a test leaves nothing in this process's scratch directory but its lock.

    Other processes (parallel tox envs, the CLI tests) share the root; their
    directories are theirs to clean.
    """
    import glob
    import os

    import shim

    root = shim.probe().temp_root
    yield
    if root is None:
        return
    # Every scene file, and every load's directory even when empty (each is a direct child).
    leftovers = shim.scratch_files(root=root)
    leftovers += glob.glob(os.path.join(root, shim.scratch.process_prefix() + "*", "load-*"))
    assert leftovers == []


@pytest.fixture(scope="session")
def matrix_record() -> MatrixRecord:
    """What this env found (probe row, poses per scene); written to the results folder at the end."""
    return _MATRIX_RECORD


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write ``results/matrix/<env>.json`` for the ``matrix`` env (tools/compat_table.py) to compare."""
    results = os.environ.get("SHIM_RESULTS_DIR")
    if not _MATRIX_RECORD or results is None:
        return
    env = os.environ.get("SHIM_ENV_NAME", "local")
    record = {
        **_MATRIX_RECORD,
        "env": env,
        "python": platform.python_version(),
        "failed": session.testsfailed,
    }
    folder = Path(results) / "matrix"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{env}.json").write_text(json.dumps(record, indent=1))
