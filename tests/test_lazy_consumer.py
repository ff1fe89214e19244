"""A package written the way the README shows, as its users would write it: ``Usd = lazy.pxr.Usd`` at
module level. It imports without pxr (the ``nodeps`` env) and behaves as the real objects do once
its functions run (the ``usd`` env).
"""

from __future__ import annotations

import pickle
import sys

import pytest

import lazy
from lazy.testing import assert_import_isolated
from tests.conftest import WritePackage, require

SCENE = """
import lazy

Usd = lazy.pxr.Usd
Sdf = lazy.pxr.Sdf
STAGE = lazy.pxr.Usd.Stage


def new_stage():
    return Usd.Stage.CreateInMemory()


def is_stage(value):
    return isinstance(value, lazy.pxr.Usd.Stage)


def stage_subclass():
    class MyStage(lazy.pxr.Usd.Stage):
        pass

    return MyStage


def define_cube(stage, path):
    return stage.DefinePrim(Sdf.Path(path), "Cube")
"""


@pytest.fixture
def consumer(write_package: WritePackage) -> str:
    return write_package({"__init__.py": "", "scene.py": SCENE}, prefix="consumer")


def test_the_readme_pattern_imports_without_loading_pxr(consumer: str) -> None:
    assert_import_isolated(f"{consumer}.scene", forbid=("pxr",))


def test_its_handles_are_deferred_after_import(consumer: str) -> None:
    if lazy.is_loaded("pxr"):
        pytest.skip("pxr is imported in this process already")
    __import__(f"{consumer}.scene")
    scene = sys.modules[f"{consumer}.scene"]
    assert repr(scene.STAGE) == "<lazy handle 'pxr.Usd.Stage' (not loaded)>"
    assert pickle.loads(pickle.dumps(scene.STAGE)) is scene.STAGE
    assert not lazy.is_loaded("pxr")


def test_without_pxr_the_first_use_names_the_chain_and_the_remedy(consumer: str) -> None:
    if lazy.available("pxr"):
        pytest.skip("pxr is installed here")
    __import__(f"{consumer}.scene")
    scene = sys.modules[f"{consumer}.scene"]
    with pytest.raises(lazy.LazyImportError, match=r"lazy\.pxr\.Usd\.Stage\.CreateInMemory: .*pip install usd-core"):
        scene.new_stage()
    with pytest.raises(lazy.LazyImportError, match=r"lazy\.pxr\.Usd\.Stage"):
        scene.is_stage(object())


def test_with_pxr_it_behaves_as_the_real_objects(consumer: str) -> None:
    require("pxr")
    from pxr import Sdf, Usd

    __import__(f"{consumer}.scene")
    scene = sys.modules[f"{consumer}.scene"]
    stage = scene.new_stage()
    assert type(stage) is Usd.Stage
    assert scene.is_stage(stage)
    assert not scene.is_stage("a string")
    subclass = scene.stage_subclass()
    assert issubclass(subclass, Usd.Stage)
    assert subclass.__mro__[1] is Usd.Stage
    cube = scene.define_cube(stage, "/World/Cube")
    assert cube.GetPath() == Sdf.Path("/World/Cube")
    assert cube.GetTypeName() == "Cube"
    assert Usd.Stage == scene.STAGE  # the real class's == defers to the handle's
    assert hash(scene.STAGE) == hash(Usd.Stage)
    assert str(scene.Sdf.Path("/A")) == "/A"
    assert scene.Usd.Stage is Usd.Stage  # once imported, reads through a module handle are the real objects
