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
