"""USD's warnings during the shim's own flattening: one line on the ``shim`` logger, each one at DEBUG."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import require


def _kit_stage(directory: Path) -> Any:
    """A stage that references a prim with Kit-only metadata, which usd-core warns about when it flattens."""
    from pxr import Usd

    (directory / "kit.usda").write_text(
        '#usda 1.0\n(\n    defaultPrim = "A"\n)\n\ndef Xform "A" (\n    hide_in_stage_window = true\n'
        "    no_delete = true\n)\n{\n}\n"
    )
    (directory / "root.usda").write_text(
        '#usda 1.0\n\ndef Xform "World" (\n    prepend references = @./kit.usda@\n)\n{\n}\n'
    )
    return Usd.Stage.Open(str(directory / "root.usda"))


def test_flattening_warnings_come_as_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    require("pxr")
    from shim.source import classify

    stage = _kit_stage(tmp_path)
    capfd.readouterr()
    with caplog.at_level(logging.WARNING, logger="shim"):
        classify(stage)
    (record,) = [record for record in caplog.records if record.name == "shim"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith("usd-core reported 2 warnings while flattening the stage")
    assert "unknown field 'hide_in_stage_window'" in record.getMessage()
    assert "Failed copying metadata" not in capfd.readouterr().err  # usd-core printed none of them itself


def test_each_warning_at_debug(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    require("pxr")
    from shim.source import classify

    stage = _kit_stage(tmp_path)
    with caplog.at_level(logging.DEBUG, logger="shim"):
        classify(stage)
    each = [record.getMessage() for record in caplog.records if record.levelno == logging.DEBUG]
    assert sorted(message.rsplit("'", 2)[1] for message in each) == ["hide_in_stage_window", "no_delete"]


def test_a_quiet_flatten_says_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    require("pxr")
    from pxr import Usd

    from shim.source import classify
    from tests.fixtures.scenes import falling_cubes

    falling_cubes(2).Export(str(tmp_path / "cubes.usda"))
    stage = Usd.Stage.Open(str(tmp_path / "cubes.usda"))  # a file's stage: flattened
    with caplog.at_level(logging.DEBUG, logger="shim"):
        classify(stage)
    assert [record for record in caplog.records if record.name == "shim"] == []
