"""The private scratch space: modes, refusals of planted links and foreign roots, the sweep."""

from __future__ import annotations

import ast
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from shim import scratch
from shim.strategies.fd import sealed_memfd


@pytest.fixture
def base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SHIM_TMPDIR", str(tmp_path))
    return tmp_path


def test_root_and_load_directories_are_private(base: Path) -> None:
    root = scratch.choose_root()
    assert root.path == str(base / f"ovphysx-shim-{os.getuid()}")
    assert root.path is not None
    with scratch.load_directory(root.path) as directory:
        fd = scratch.create_private_file(directory, "scene.usda")
        assert os.get_inheritable(fd) is False
        os.close(fd)
        process_directory = os.path.dirname(directory)
        assert stat.S_IMODE(os.stat(root.path).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(process_directory).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
        assert stat.S_IMODE(os.stat(os.path.join(directory, "scene.usda")).st_mode) == 0o600
    assert not os.path.exists(process_directory)  # between loads, nothing is on disk
    assert os.listdir(root.path) == []


def test_names_are_unpredictable_and_distinct_across_threads(base: Path) -> None:
    import threading

    root = scratch.choose_root().path
    assert root is not None
    seen: list[str] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        for _ in range(25):
            with scratch.load_directory(root) as directory:
                os.close(scratch.create_private_file(directory, "scene.usdc"))
                seen.append(directory)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == len(set(seen)) == 200
    assert os.listdir(root) == []


def test_scratch_fd_is_not_inherited_by_a_child(base: Path) -> None:
    root = scratch.choose_root().path
    assert root is not None
    with scratch.load_directory(root) as directory:
        fd = scratch.create_private_file(directory, "scene.usda")
        try:
            child = subprocess.run(
                [sys.executable, "-c", "import os; print(sorted(os.listdir('/proc/self/fd')))"],
                capture_output=True,
                text=True,
                check=True,
                close_fds=False,  # even when the parent lets children inherit: O_CLOEXEC holds
            )
        finally:
            os.close(fd)
    assert str(fd) not in ast.literal_eval(child.stdout)


def test_planted_symlink_root_is_refused(base: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    victim = tmp_path_factory.mktemp("victim")
    (base / f"ovphysx-shim-{os.getuid()}").symlink_to(victim)
    root = scratch.choose_root()
    assert root.path is None
    assert "symlink" in str(root.reason)
    assert list(victim.iterdir()) == []


def test_root_open_to_others_is_refused(base: Path) -> None:
    (base / f"ovphysx-shim-{os.getuid()}").mkdir(mode=0o777)
    os.chmod(base / f"ovphysx-shim-{os.getuid()}", 0o777)
    root = scratch.choose_root()
    assert root.path is None
    assert "open to other users" in str(root.reason)


def test_root_owned_by_someone_else_is_refused(base: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (base / f"ovphysx-shim-{os.getuid() + 1}").mkdir(mode=0o700)
    monkeypatch.setattr(os, "getuid", lambda: os.stat(base).st_uid + 1)  # we pretend to be another user
    root = scratch.choose_root()
    assert root.path is None
    assert "owned by uid" in str(root.reason)


def test_planted_symlink_at_the_file_name_is_not_followed(base: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = scratch.choose_root()
    assert root.path is not None
    victim = tmp_path_factory.mktemp("victim") / "target"
    victim.write_text("untouched")
    with scratch.load_directory(root.path) as directory:
        os.symlink(victim, os.path.join(directory, "scene.usda"))
        with pytest.raises(FileExistsError):
            scratch.create_private_file(directory, "scene.usda")
    assert victim.read_text() == "untouched"


def test_cleanup_does_not_follow_a_planted_directory_link(base: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    root = scratch.choose_root().path
    assert root is not None
    victim = tmp_path_factory.mktemp("victim")
    (victim / "keep").write_text("untouched")
    with scratch.load_directory(root) as directory:
        os.symlink(victim, os.path.join(directory, "planted"))
    assert (victim / "keep").read_text() == "untouched"
    assert os.listdir(root) == []


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
        "import os, sys; from shim import scratch\n"
        "root = scratch.choose_root().path\n"
        "with scratch.load_directory(root) as directory:\n"
        "    print(os.path.dirname(directory), flush=True)\n"
        "    sys.stdin.readline() if len(sys.argv) > 1 else os.kill(os.getpid(), 9)\n"
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
        removed = scratch.sweep_directories(scratch.choose_root().path)
        assert removed == [second_dead]
        assert os.path.isdir(live_directory)  # locked by a live process: left alone
    finally:
        live.communicate("\n")
    assert not os.path.exists(live_directory)  # removed by its own process at exit


def test_sweep_leaves_a_directory_being_set_up_and_removes_a_stale_one(base: Path) -> None:
    """A process directory gets its 'p-' name only once its lock is held (a sweeper race, found at 32 processes)."""
    root = scratch.choose_root().path
    assert root is not None
    fresh = Path(root) / "new-p-1-fresh"
    stale = Path(root) / "new-p-2-stale"
    for directory in (fresh, stale):
        directory.mkdir(mode=0o700)
    os.utime(stale, (0, 0))
    removed = scratch.sweep_directories(root)
    assert removed == [str(stale)]
    assert fresh.is_dir()
    fresh.rmdir()
