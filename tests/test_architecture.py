"""The shape the file list promises: small modules, no import cycles, ``lazy`` ignorant of ``shim``."""

from __future__ import annotations

import pytest

from tools import architecture


@pytest.mark.parametrize("package", ["shim", "lazy"])
def test_no_import_cycles_even_through_deferred_imports(package: str) -> None:
    assert architecture.cycles(package, top_level_only=False) == []


@pytest.mark.parametrize("package", ["shim", "lazy"])
def test_every_module_is_small(package: str) -> None:
    large = {name: lines for name, lines in architecture.sizes(package).items() if lines > 270}
    assert large == {}


def test_lazy_never_imports_shim() -> None:
    for name, path in architecture.modules("lazy").items():
        assert not architecture.imports(path, set(architecture.modules("shim")), top_level_only=False), name


def test_the_cycle_finder_finds_a_cycle(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """A two-module cycle written here is found, so that an empty answer above means something."""
    from pathlib import Path

    root = Path(str(tmp_path))
    (root / "loop").mkdir()
    (root / "loop" / "__init__.py").write_text("")
    (root / "loop" / "a.py").write_text("def f():\n    from loop import b\n")
    (root / "loop" / "b.py").write_text("from loop.a import f\n")
    monkeypatch.setattr(architecture, "ROOT", root)
    assert architecture.cycles("loop", top_level_only=False) == [["loop.a", "loop.b"]]
    assert architecture.cycles("loop", top_level_only=True) == []


def test_only_the_probe_and_the_adapters_ask_what_the_release_has() -> None:
    """The release has one owner: ``shim.adapters`` (chosen once by ``shim.releases``'s probe)."""
    owners = ("shim.adapters", "shim.releases")
    asked = {
        name: questions
        for name, path in architecture.modules("shim").items()
        if not name.startswith(owners) and (questions := architecture.release_questions(path))
    }
    assert asked == {}


def test_a_question_about_the_release_is_found(tmp_path: object) -> None:
    from pathlib import Path

    module = Path(str(tmp_path)) / "manager.py"
    module.write_text(
        "import inspect\n"
        "def bridge(physx, ovphysx, view):\n"
        "    if not hasattr(physx, 'wait_op'): pass\n"
        "    getattr(ovphysx, 'codeless_schema_paths', None)\n"
        "    inspect.signature(ovphysx.PhysX.step)\n"
        "    getattr(view, 'count', 0)\n"
    )
    found = architecture.release_questions(module)
    assert sorted(line.split(":")[0] for line in found) == ["3", "4", "5"]
