"""The lazy-import facade, against real packages written into tmp_path (no mocks)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import lazy
from lazy.testing import assert_import_isolated, import_report
from tests.conftest import WritePackage

TWO_LEVELS = {
    "__init__.py": "import pathlib; (pathlib.Path(__file__).parent / 'ran_top').touch()\nTOP = 1\n",
    "sub/__init__.py": "LEAF = 'leaf'\n",
    "sub/deep.py": "VALUE = 42\n",
}


def test_import_lazy_loads_nothing_but_itself() -> None:
    # Every stdlib module it uses is loaded at interpreter start already; the
    # expensive ones (typing, importlib.metadata, threading) wait for a function
    # that needs them. The module count is what stays stable across machines;
    # the time is measured by benchmarks/import_cost.py.
    assert sorted(import_report("lazy").modules) == [
        "lazy",
        "lazy._core",
        "lazy._errors",
        "lazy._loaded",
        "lazy._resolution",
    ]


def test_any_module_without_declaring_it(write_package: WritePackage) -> None:
    name = write_package(TWO_LEVELS)
    handle = getattr(lazy, name)
    assert isinstance(handle, lazy.Handle)
    assert not lazy.is_loaded(name)
    assert handle.TOP == 1  # the comparison is the first real use
    assert lazy.is_loaded(name)


def test_attribute_chains_stay_deferred_until_a_real_use(write_package: WritePackage) -> None:
    name = write_package(TWO_LEVELS)
    value = getattr(lazy, name).sub.deep.VALUE  # a handle for the chain; nothing imported
    assert isinstance(value, lazy.Handle)
    assert not lazy.is_loaded(name)
    assert value == 42  # the comparison resolves the whole chain
    assert lazy.is_loaded(f"{name}.sub.deep")


def test_once_the_package_is_imported_reads_give_the_real_objects(write_package: WritePackage) -> None:
    name = write_package(TWO_LEVELS)
    top = getattr(lazy, name)
    lazy.preload(name)
    assert top.TOP == 1
    assert type(top.TOP) is int  # a real object, not a handle
    sub = top.sub  # a submodule not imported yet is imported as it is read
    assert lazy.is_loaded(f"{name}.sub")
    assert sub.LEAF == "leaf"
    assert type(sub.deep.VALUE) is int  # deep is imported as it is read, below an imported package
    assert sub.deep.VALUE == 42


def test_a_module_handle_reads_the_module_namespace_once_imported(write_package: WritePackage) -> None:
    """Bound before the import, a handle then sees the module's own names, changes included."""
    name = write_package(TWO_LEVELS)
    held = getattr(lazy, name).sub
    assert held.LEAF == "leaf"
    sys.modules[f"{name}.sub"].LEAF = "patched"
    assert held.LEAF == "patched"


def test_from_lazy_import_gives_an_unloaded_handle(write_package: WritePackage, tmp_path: Path) -> None:
    name = write_package(TWO_LEVELS)
    namespace: dict[str, object] = {}
    exec(f"from lazy import {name} as handle", namespace)
    handle = namespace["handle"]
    assert isinstance(handle, lazy.Handle)
    assert not lazy.is_loaded(name)
    assert not (tmp_path / name / "ran_top").exists()
    assert handle is lazy.module(name)


def test_same_handle_every_time(write_package: WritePackage) -> None:
    name = write_package(TWO_LEVELS)
    assert getattr(lazy, name) is getattr(lazy, name)
    assert getattr(lazy, name).sub is getattr(lazy, name).sub


def test_missing_module_raises_lazy_import_error_naming_the_chain() -> None:
    chain = lazy.module("no_such_module_xyz").thing.other  # deferred: nothing raised yet
    with pytest.raises(lazy.LazyImportError) as caught:
        chain()
    error = caught.value
    assert isinstance(error, ModuleNotFoundError)
    assert isinstance(error, ImportError)
    assert not isinstance(error, AttributeError)
    assert error.missing
    assert "lazy.no_such_module_xyz.thing.other" in str(error)
    assert isinstance(error.__cause__, ModuleNotFoundError)
    assert error.name == "no_such_module_xyz"


@pytest.mark.parametrize(
    ("module", "hint"),
    [("pxr", "pip install usd-core"), ("ovphysx", "pip install ovphysx"), ("warp", "pip install warp-lang")],
)
def test_install_hints(module: str, hint: str) -> None:
    if lazy.available(module):
        pytest.skip(f"{module} is installed here")
    with pytest.raises(lazy.LazyImportError, match=hint):
        lazy.module(module).anything()


def test_hints_are_extensible() -> None:
    lazy.register_hint("my_sim_core", "pip install my-sim[core]")
    with pytest.raises(lazy.LazyImportError, match=r"pip install my-sim\[core\]"):
        lazy.module("my_sim_core.physics").World()


def test_missing_submodule_of_missing_package_is_reported_as_missing() -> None:
    with pytest.raises(lazy.LazyImportError) as caught:
        lazy.preload("no_such_parent_xyz.child")
    assert caught.value.missing


def test_import_error_inside_an_existing_module_is_its_failure(write_package: WritePackage) -> None:
    name = write_package({"__init__.py": "raise ImportError('libfoo.so: cannot open shared object file')\n"})
    with pytest.raises(lazy.BrokenModuleError) as caught:
        getattr(lazy, name).x()
    assert not caught.value.missing
    assert "installed but raised while importing" in str(caught.value)
    assert "libfoo.so" in str(caught.value)
    assert isinstance(caught.value.__cause__, ImportError)


def test_missing_dependency_inside_a_module_is_not_reported_as_the_module_missing(
    write_package: WritePackage,
) -> None:
    name = write_package({"__init__.py": "import dependency_that_is_absent_xyz\n"})
    with pytest.raises(lazy.BrokenModuleError) as caught:
        getattr(lazy, name).x()
    assert not isinstance(caught.value, ModuleNotFoundError)
    assert not caught.value.missing
    assert caught.value.module == name
    assert "dependency_that_is_absent_xyz" in str(caught.value)


def test_other_exceptions_while_importing_are_chained(write_package: WritePackage) -> None:
    name = write_package({"__init__.py": "1 / 0\n"})
    with pytest.raises(lazy.BrokenModuleError, match="ZeroDivisionError") as caught:
        getattr(lazy, name).x()
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


def test_a_broken_module_is_not_hidden_by_a_module_not_found_fallback(write_package: WritePackage) -> None:
    """The ordinary optional-dependency fallback must not swallow a real bug inside an installed module."""
    name = write_package({"__init__.py": "raise RuntimeError('a bug in the module')\n"})
    use = getattr(lazy, name).VALUE
    with pytest.raises(lazy.BrokenModuleError, match=rf"lazy\.{name}\.VALUE: module '{name}' is installed") as caught:
        use == 1  # noqa: B015 - the comparison is the use
    assert not isinstance(caught.value, ModuleNotFoundError)
    assert isinstance(caught.value, ImportError)
    assert isinstance(caught.value.__cause__, RuntimeError)


def test_a_broken_module_is_imported_again_at_the_next_use(write_package: WritePackage, tmp_path: Path) -> None:
    name = write_package({"__init__.py": "from .config import VALUE\n", "config.py": "VALUE = 1 / 0\n"})
    handle = getattr(lazy, name).VALUE
    with pytest.raises(lazy.BrokenModuleError):
        handle == 1  # noqa: B015
    (tmp_path / name / "config.py").write_text("VALUE = 1\n")
    sys.modules.pop(f"{name}.config", None)
    assert handle == 1


def test_a_typo_of_the_facade_names_says_so() -> None:
    with pytest.raises(AttributeError, match=r"no module 'avaliable'; did you mean lazy\.available\?"):
        lazy.avaliable("pxr")  # type: ignore[attr-defined]
    with pytest.raises(AttributeError, match=r"did you mean lazy\.preload\?"):
        lazy.prelaod  # type: ignore[attr-defined]


def test_real_missing_attribute_is_attribute_error(write_package: WritePackage) -> None:
    name = write_package(TWO_LEVELS)
    with pytest.raises(AttributeError, match="no attribute 'nope'") as caught:
        getattr(lazy, name).nope()
    assert not isinstance(caught.value, ImportError)
    assert hasattr(getattr(lazy, name), "TOP")
    assert not hasattr(getattr(lazy, name), "nope")  # the package is imported now: reads are real


def test_no_negative_caching_when_sys_path_grows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = "late_arrival_pkg_1"
    with pytest.raises(lazy.LazyImportError):
        lazy.module(name).VALUE()
    later = tmp_path / "launched"
    (later / name).mkdir(parents=True)
    (later / name / "__init__.py").write_text("VALUE = 'here now'\n")
    monkeypatch.syspath_prepend(str(later))  # what a simulator launch does
    try:
        assert lazy.module(name).VALUE == "here now"
    finally:
        sys.modules.pop(name, None)


def test_no_negative_caching_when_installed_into_a_known_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    name = "late_arrival_pkg_2"
    with pytest.raises(lazy.LazyImportError):
        lazy.module(name).VALUE()
    (tmp_path / f"{name}.py").write_text("VALUE = 2\n")  # the path finder has cached this dir
    try:
        assert lazy.module(name).VALUE == 2
    finally:
        sys.modules.pop(name, None)


def test_sixteen_threads_first_touch(write_package: WritePackage, tmp_path: Path) -> None:
    name = write_package(
        {
            "__init__.py": "",
            "slow.py": """
                import pathlib, time
                with open(pathlib.Path(__file__).with_name('runs'), 'a') as f:
                    f.write('run\\n')
                time.sleep(0.3)
                READY = 'ready'
            """,
        }
    )
    barrier = threading.Barrier(16)
    results: list[object] = []
    errors: list[BaseException] = []

    chain = getattr(lazy, name).slow.READY  # one deferred chain, first used by 16 threads at once

    def touch() -> None:
        barrier.wait()
        try:
            results.append(str(chain))
        except BaseException as exc:  # any error, in any thread, fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=touch) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert results == ["ready"] * 16
    assert (tmp_path / name / "runs").read_text() == "run\n"


def test_introspection_never_loads(write_package: WritePackage, tmp_path: Path) -> None:
    name = write_package(TWO_LEVELS)
    handle = getattr(lazy, name)
    assert repr(handle) == f"<lazy handle {name!r} (not loaded)>"
    assert repr(handle.sub.deep.VALUE) == f"<lazy handle '{name}.sub.deep.VALUE' (not loaded)>"
    assert dir(handle) == ["sub"]
    assert not lazy.is_loaded(name)
    assert not lazy.is_loaded(f"{name}.sub")
    availability = lazy.available(f"{name}.sub.deep")
    assert availability.installed
    assert availability.origin is not None
    assert availability.origin.endswith("deep.py")
    assert not lazy.is_loaded(name)
    assert not (tmp_path / name / "ran_top").exists()
    handle.sub == handle.sub  # noqa: B015 - a use
    assert repr(handle).startswith(f"<lazy handle {name!r} (loaded")


def test_available_reports_distribution_and_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "distpkg_abc").mkdir()
    (tmp_path / "distpkg_abc" / "__init__.py").write_text("raise RuntimeError('must not be imported')\n")
    info = tmp_path / "dist_pkg_abc-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: dist-pkg-abc\nVersion: 1.2.3\n")
    (info / "top_level.txt").write_text("distpkg_abc\n")
    availability = lazy.available("distpkg_abc")
    assert availability.installed
    assert availability.distribution == "dist-pkg-abc"
    assert availability.version == "1.2.3"
    assert not availability.loaded
    assert "distpkg_abc" not in sys.modules


def test_available_for_a_missing_module_gives_the_hint() -> None:
    availability = lazy.available("ovstage_not_really.sub")
    assert not availability
    assert availability.hint is None
    lazy.register_hint("ovstage_not_really", "pip install ovstage")
    assert lazy.available("ovstage_not_really.sub").hint == "pip install ovstage"


def test_preload(write_package: WritePackage) -> None:
    name = write_package(TWO_LEVELS)
    modules = lazy.preload(name, f"{name}.sub.deep")
    assert [m.__name__ for m in modules] == [name, f"{name}.sub.deep"]
    assert lazy.is_loaded(f"{name}.sub.deep")


@pytest.mark.parametrize(
    ("setting", "eager"),
    [("1", True), ("all", True), ("{pkg}", True), ("other,{pkg}.*", True), ("other", False), ("0", False)],
)
def test_lazy_eager_switch(
    write_package: WritePackage, monkeypatch: pytest.MonkeyPatch, setting: str, eager: bool
) -> None:
    name = write_package(TWO_LEVELS)
    monkeypatch.setenv("LAZY_EAGER", setting.replace("{pkg}", name))
    getattr(lazy, name)
    assert lazy.is_loaded(name) is eager


def test_lazy_eager_surfaces_missing_modules_at_the_touch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAZY_EAGER", "1")
    with pytest.raises(lazy.LazyImportError, match="LAZY_EAGER"):
        lazy.no_such_module_eager


def test_handles_pickle_by_path(write_package: WritePackage) -> None:
    name = write_package(TWO_LEVELS)
    handle = getattr(lazy, name)
    chain = handle.sub.deep.VALUE
    assert pickle.loads(pickle.dumps(handle)) is handle
    assert pickle.loads(pickle.dumps(chain)) is chain
    assert not lazy.is_loaded(name)


def test_lazy_import_error_pickles() -> None:
    with pytest.raises(lazy.LazyImportError) as caught:
        lazy.module("no_such_pickled").x()
    clone = pickle.loads(pickle.dumps(caught.value))
    assert type(clone) is lazy.LazyImportError
    assert str(clone) == str(caught.value)
    assert (clone.module, clone.chain, clone.missing) == ("no_such_pickled", "lazy.no_such_pickled.x", True)


def test_tool_probes_do_not_load(write_package: WritePackage) -> None:
    name = write_package(TWO_LEVELS)
    handle = getattr(lazy, name)
    assert not hasattr(handle, "__wrapped__")
    assert not lazy.is_loaded(name)


def test_setattr_reaches_the_real_module(write_package: WritePackage) -> None:
    name = write_package(TWO_LEVELS)
    getattr(lazy, name).TOP = 7
    assert sys.modules[name].TOP == 7


def test_facade_dir_and_own_names() -> None:
    assert "available" in dir(lazy)
    assert lazy.testing.assert_import_isolated is assert_import_isolated
    assert lazy.Availability.__name__ == "Availability"
    with pytest.raises(AttributeError):
        lazy.__no_such_dunder__


def test_assert_import_isolated_names_the_chain(write_package: WritePackage) -> None:
    heavy = write_package({"__init__.py": "X = 1\n"}, prefix="heavy")
    clean = write_package({"__init__.py": "import json\n"}, prefix="clean")
    dirty = write_package({"__init__.py": "from . import inner\n", "inner.py": f"import {heavy}\n"}, prefix="dirty")
    assert_import_isolated(clean, forbid=[heavy])
    with pytest.raises(AssertionError) as caught:
        assert_import_isolated(dirty, forbid=[heavy])
    assert f"{dirty} -> {dirty}.inner -> {heavy}" in str(caught.value)


def test_assert_import_isolated_catches_modules_planted_in_sys_modules(write_package: WritePackage) -> None:
    sneaky = write_package({"__init__.py": "import sys, types\nsys.modules['pxr_planted'] = types.ModuleType('x')\n"})
    with pytest.raises(AssertionError, match="pxr_planted"):
        assert_import_isolated(sneaky, forbid=["pxr_planted"])


@pytest.mark.parametrize("package", ["lazy", "shim"])
def test_our_packages_import_nothing_heavy(package: str) -> None:
    assert_import_isolated(package, forbid=("pxr", "ovphysx", "ovstage", "warp", "numpy"))


def test_doctest_in_facade_docstring() -> None:
    script = "import doctest, lazy; print(doctest.testmod(lazy))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, env=dict(os.environ)
    )
    assert result.stdout.strip() == "TestResults(failed=0, attempted=3)", result.stdout + result.stderr


def test_the_harness_hides_nothing_it_imports_itself() -> None:
    """A module the child harness would need (json, once) is reported when the module under test loads it."""
    from lazy.testing import assert_import_isolated

    with pytest.raises(AssertionError, match=r"`import json` loaded forbidden module 'json"):
        assert_import_isolated("json", forbid=("json",))
