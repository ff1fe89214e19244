"""One switch for the engine's own log lines: ``create_physx(log=...)`` and ``SHIM_OVPHYSX_LOG``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import shim
from tests.conftest import require
from tests.fixtures.processes import run_script


def release_level(name: str) -> int:
    """The installed release's own number for the level the shim calls ``name``, by the release's own names."""
    import ovphysx

    constant = {"verbose": "VERBOSE", "info": "INFO", "warning": "WARNING", "error": "ERROR", "off": "NONE"}[name]
    log_level = getattr(getattr(ovphysx, "types", None), "LogLevel", None)
    if log_level is not None:
        return int(log_level[constant])
    return int(getattr(ovphysx._bindings, f"OVPHYSX_LOG_{constant}"))  # 0.2.9: the other way round


def engine_log_level(script: str, directory: Path) -> int:
    """``ovphysx.get_log_level()`` after ``script`` ran in a fresh process."""
    done = run_script(f"{script}\nimport ovphysx\nprint('level', ovphysx.get_log_level())\n", directory)
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r"^level (\d+)$", done.stdout, re.MULTILINE)  # the engine may print after it, at exit
    assert found, done.stdout[-2000:]
    return int(found.group(1))


@pytest.mark.parametrize("name", ["off", "error", "warning", "info"])
def test_create_physx_sets_the_engine_log_level(name: str, tmp_path: Path) -> None:
    require("ovphysx")
    assert engine_log_level(f"import shim\nshim.create_physx('cpu', log={name!r})", tmp_path) == release_level(name)


def test_the_environment_variable_sets_it_and_an_argument_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    require("ovphysx")
    monkeypatch.setenv("SHIM_OVPHYSX_LOG", "off")
    assert engine_log_level("import shim\nshim.create_physx('cpu')", tmp_path) == release_level("off")
    assert engine_log_level("import shim\nshim.create_physx('cpu', log='info')", tmp_path) == release_level("info")
    monkeypatch.setenv("SHIM_OVPHYSX_LOG", "error")
    assert engine_log_level("import shim\nshim.prepare_physx()", tmp_path) == release_level("error")


@pytest.mark.parametrize(("arguments", "name"), [((), "error"), (("--verbose",), "info")])
def test_the_command_line_is_quiet_unless_asked(arguments: tuple[str, ...], name: str, tmp_path: Path) -> None:
    require("ovphysx")
    script = f"from shim.cli import main\nmain(['demo', '--steps', '1', *{list(arguments)!r}])"
    assert engine_log_level(script, tmp_path) == release_level(name)


def test_an_unknown_level_is_refused_before_any_work(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValueError, match=r"log='loud' is not an engine log level; choose one of verbose, info"):
        shim.create_physx("cpu", log="loud")
    monkeypatch.setenv("SHIM_OVPHYSX_LOG", "chatty")
    with pytest.raises(ValueError, match=r"SHIM_OVPHYSX_LOG='chatty'"):
        shim.create_physx("cpu")
