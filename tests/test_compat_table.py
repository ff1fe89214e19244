"""The README's compatibility table and the cross-release agreement (tools/compat_table.py).

The generator is tested on records written here; the real matrix results are checked
in the ``matrix`` tox env, which runs after every release env (SHIM_REQUIRE=matrix).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.golden import GOLDEN
from tools import compat_table

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(os.environ.get("SHIM_RESULTS_DIR", ROOT / "results"))
SCENES = ("one-cube", "2000-cubes", "two-articulations")


def _record(release: str, python: str = "3.11.7", failed: int = 0, z: float = 0.5) -> dict[str, Any]:
    return {
        "release": release,
        "python": python,
        "failed": failed,
        "generation": "add_usd" if release < "0.5" else "ovstage",
        "available": ["tempfile/usdc", "fd/usda"],
        "auto": "fd/usda",
        "auto_mesh": "tempfile/usdc",
        "scenes": {"one-cube": {"sha256": f"h{z}", "poses": [[0.0, 0.0, z, 0.0, 0.0, 0.0, 1.0]]}},
    }


def test_table_rows_are_sorted_by_release_and_list_passing_pythons() -> None:
    records = [_record("0.10.0"), _record("0.4.13", "3.13.0"), _record("0.4.13"), _record("0.4.13", "3.12.1", failed=2)]
    header, _, *rows = compat_table.table(records).splitlines()
    assert "| auto, meshes | auto, no meshes | tested on Python |" in header
    assert rows == [
        "| 0.4.13 | `add_usd` (path only) | tempfile, fd | tempfile/usdc | fd/usda | 3.11, 3.13 |",
        "| 0.10.0 | `add_usd` (path only) | tempfile, fd | tempfile/usdc | fd/usda | 3.11 |",
    ]


def test_a_release_failing_everywhere_says_so() -> None:
    assert compat_table.table([_record("0.5.9", failed=1)]).endswith("| failing |")


def test_disagreement_beyond_the_tolerance_is_reported() -> None:
    within = 0.5 + compat_table.POSITION_TOLERANCE_M / 2
    beyond = 0.5 + compat_table.POSITION_TOLERANCE_M * 2
    assert compat_table.disagreements([_record("0.4.13"), _record("0.7.0", z=within)]) == []
    found = compat_table.disagreements([_record("0.4.13"), _record("0.7.0", z=beyond)])
    assert len(found) == 1
    assert found[0].startswith("one-cube on 0.7.0: position off by 0.002")


def test_opposite_quaternions_are_the_same_rotation() -> None:
    flipped = _record("0.7.0")
    flipped["scenes"]["one-cube"]["poses"] = [[0.0, 0.0, 0.5, -0.0, -0.0, -0.0, -1.0]]
    assert compat_table.disagreements([_record("0.4.13"), flipped]) == []


def test_identical_groups_follow_the_hashes() -> None:
    records = [_record("0.4.13"), _record("0.5.11"), _record("0.7.0", z=0.4999)]
    assert compat_table.identical_groups(records) == {"one-cube": [["0.4.13", "0.5.11"], ["0.7.0"]]}


def test_replace_table_keeps_the_rest_of_the_readme() -> None:
    readme = f"intro\n{compat_table.START}\nold\n{compat_table.END}\noutro\n"
    assert compat_table.replace_table(readme, "new") == f"intro\n{compat_table.START}\nnew\n{compat_table.END}\noutro\n"


@pytest.fixture(scope="module")
def matrix_records() -> list[dict[str, Any]]:
    if "matrix" not in os.environ.get("SHIM_REQUIRE", ""):
        pytest.skip("checked in the matrix tox env, which runs after every release env")
    records = compat_table.load_records(RESULTS)
    if not records:
        pytest.fail(f"no matrix results under {RESULTS}: the ov envs must run before the matrix env")
    return records


def test_every_release_ran_and_passed(matrix_records: list[dict[str, Any]]) -> None:
    passed = {record["release"] for record in matrix_records if record["failed"] == 0}
    failing = sorted({f"{record['env']} ({record['failed']} failed)" for record in matrix_records if record["failed"]})
    assert failing == []
    assert passed == set(GOLDEN)


def test_every_release_recorded_three_scenes(matrix_records: list[dict[str, Any]]) -> None:
    for record in matrix_records:
        assert sorted(record["scenes"]) == sorted(SCENES), record["env"]


def test_releases_agree_within_the_stated_tolerance(matrix_records: list[dict[str, Any]]) -> None:
    print(compat_table.comparison(matrix_records))
    assert compat_table.disagreements(matrix_records) == []


def test_one_release_gives_the_same_bits_on_every_python(matrix_records: list[dict[str, Any]]) -> None:
    hashes: dict[tuple[str, str], set[str]] = {}
    for record in matrix_records:
        for scene, poses in record["scenes"].items():
            hashes.setdefault((record["release"], scene), set()).add(poses["sha256"])
    assert {key: found for key, found in hashes.items() if len(found) > 1} == {}


def test_readme_table_is_the_generated_one(matrix_records: list[dict[str, Any]]) -> None:
    readme = (ROOT / "README.md").read_text()
    generated = compat_table.table(matrix_records)
    assert compat_table.replace_table(readme, generated) == readme, (
        f"README.md's table is stale; run: python tools/compat_table.py {RESULTS} --write"
    )
