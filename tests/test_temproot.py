"""The private scratch space: modes, refusals of planted links and foreign roots, the sweep."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from shim import _temproot
from shim._fd import sealed_memfd


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SHIM_TMPDIR", str(tmp_path))
    return tmp_path


def test_root_and_load_directories_are_private(base: Path) -> None:
    root = _temproot.choose_root()
    assert root.path == str(base / f"ovphysx-shim-{os.getuid()}")
    directory = _temproot.private_directory(root.path)
    fd = _temproot.create_private_file(directory, "scene.usda")
    os.close(fd)
    assert stat.S_IMODE(os.stat(root.path).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(os.path.join(directory, "scene.usda")).st_mode) == 0o600
    _temproot.remove_tree(directory)
    assert not os.path.exists(directory)


def test_planted_symlink_root_is_refused(base: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    victim = tmp_path_factory.mktemp("victim")
    (base / f"ovphysx-shim-{os.getuid()}").symlink_to(victim)
    root = _temproot.choose_root()
    assert root.path is None
    assert "symlink" in str(root.reason)
    assert list(victim.iterdir()) == []


def test_root_open_to_others_is_refused(base: Path) -> None:
    (base / f"ovphysx-shim-{os.getuid()}").mkdir(mode=0o777)
    os.chmod(base / f"ovphysx-shim-{os.getuid()}", 0o777)
    root = _temproot.choose_root()
    assert root.path is None
    assert "open to other users" in str(root.reason)


def test_root_owned_by_someone_else_is_refused(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (base / f"ovphysx-shim-{os.getuid() + 1}").mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(base).st_uid + 1)  # we pretend to be another user
    root = _temproot.choose_root()
    assert root.path is None
    assert "owned by uid" in str(root.reason)


def test_planted_symlink_at_the_file_name_is_not_followed(base: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = _temproot.choose_root()
    assert root.path is not None
    directory = _temproot.private_directory(root.path)
    victim = tmp_path_factory.mktemp("victim") / "target"
    victim.write_text("untouched")
    os.symlink(victim, os.path.join(directory, "scene.usda"))
    with pytest.raises(FileExistsError):
        _temproot.create_private_file(directory, "scene.usda")
    assert victim.read_text() == "untouched"
    _temproot.remove_tree(directory)


def test_memfd_is_sealed_and_not_inherited() -> None:
    fd = sealed_memfd(b"#usda 1.0\n")
    try:
        with pytest.raises(PermissionError):
            os.write(fd, b"x")
        assert os.get_inheritable(fd) is False
        assert os.readlink(f"/proc/self/fd/{fd}").startswith("/memfd:")
    finally:
        os.close(fd)


def test_sweep_removes_dead_process_directories_and_keeps_live_ones(base: Path) -> None:
    script = (
        "import os, sys; from shim import _temproot\n"
        "root = _temproot.choose_root().path\n"
        "print(_temproot.process_directory(root), flush=True)\n"
        "sys.stdin.readline() if len(sys.argv) > 1 else os.kill(os.getpid(), 9)\n"
    )
    env = {**os.environ, "SHIM_TMPDIR": str(base)}

    def killed_process_directory() -> str:
        killed = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False)
        assert killed.returncode == -9
        directory = killed.stdout.strip()
        assert os.path.isdir(directory)  # SIGKILL: no cleanup code could run
        return directory

    first_dead = killed_process_directory()
    live = subprocess.Popen(
        [sys.executable, "-c", script, "wait"], stdout=subprocess.PIPE, stdin=subprocess.PIPE, text=True, env=env
    )
    try:
        assert live.stdout is not None
        live_directory = live.stdout.readline().strip()
        assert not os.path.exists(first_dead)  # the next process's first use swept it
        second_dead = killed_process_directory()
        removed = _temproot.sweep(_temproot.choose_root().path)
        assert removed == [second_dead]
        assert os.path.isdir(live_directory)  # locked by a live process: left alone
    finally:
        live.communicate("\n")
    assert not os.path.exists(live_directory)  # removed by its own process at exit
