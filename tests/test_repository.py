"""The repository keeps its promises to a new user: CI runs the README's test command."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def readme_command(comment: str) -> str:
    for line in (ROOT / "README.md").read_text().splitlines():
        if line.rstrip().endswith(f"# {comment}"):
            return line.split("#", 1)[0].strip()
    raise AssertionError(f"README.md has no command marked '# {comment}'")


def test_ci_runs_exactly_the_readme_test_command() -> None:
    command = readme_command("run the tests")
    assert command in (ROOT / ".ci" / "run").read_text().splitlines()


def test_readme_main_job_uses_the_cli_entry_point() -> None:
    assert "ovphysx-shim demo" in readme_command("run the main job: load, step, print poses")


def test_changelog_starts_with_unreleased() -> None:
    headings = [line for line in (ROOT / "CHANGELOG.md").read_text().splitlines() if line.startswith("## ")]
    assert headings[0] == "## [Unreleased]"


def test_the_sdist_holds_every_package_the_tests_import() -> None:
    """Tests run from the sdist: each top-level folder they import from is in its include list."""
    import re

    include_line = next(
        line for line in (ROOT / "pyproject.toml").read_text().splitlines() if line.startswith("include = [")
    )
    included = set(re.findall(r'"([^"]+)"', include_line))
    imported = {
        match
        for path in (ROOT / "tests").glob("*.py")
        for match in re.findall(r"^(?:from|import) (\w+)", path.read_text(), re.MULTILINE)
        if (ROOT / match).is_dir()
    }
    assert imported  # the walk found the repository's own packages
    assert imported <= included, f"missing from the sdist: {sorted(imported - included)}"


def test_the_quick_start_runs_as_written(tmp_path: Path) -> None:
    """README.md's quick start, run as a new user pastes it, on the installed release."""
    from tests.conftest import require
    from tests.fixtures.processes import run_script

    require("ovphysx")
    require("pxr")
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Quick start") :]
    code = section[section.index("```python\n") + len("```python\n") :]
    code = code[: code.index("```")]
    done = run_script(
        code + "print('final joint positions', positions.shape, float(abs(positions - 0.3).max()))\n", tmp_path
    )
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("final joint positions"))
    assert "(64, 8)" in line
    assert float(line.split()[-1]) < 0.1  # every leg reached its 0.3 rad target
