"""Every shim error: message names the value and the remedy; str, repr and pickle round-trip."""

from __future__ import annotations

import pickle

import pytest

from shim import errors

CASES = [
    errors.OvphysxNotInstalled("ovphysx cannot be imported (No module named 'ovphysx')"),
    errors.UnsupportedRelease("9.9.9", "its PhysX class has neither `add_usd` nor `attach_ovstage`"),
    errors.NoStrategyAvailable({"string/usda": "needs ovstage"}, forced="string", release="0.4.13"),
    errors.NoStrategyAvailable({"fd/usda": "no memfd"}, release="0.7.0"),
    errors.SceneLoadError("fd", "usda", "0.4.13", "RuntimeError: Failed to add USD"),
    errors.InvalidSource("None", "a NoneType is not a scene"),
    errors.KnownReleaseDefect("ovstage 0.1.0.346039", "it segfaults", "run the script from a file"),
    errors.InvalidPhysX("None (a NoneType)"),
    errors.PhysicsNotKept("/World/Robot/collisions/box (a collider) is missing", 3),
    errors.CannotClone("/World/envs/env_3 is not a copy of /World/envs/env_0"),
    errors.DeviceModeFixed("0.7.0", "cpu", "cuda", "Startup-only process-global configuration cannot change"),
    errors.UnsupportedIsaacLab("3.1.0", "3.0.0"),
    errors.GpuUnavailable("cuda:7", "this host has 1 CUDA device (cuda:0 to cuda:0)"),
    errors.SceneLoadError("schema registration", "-", "0.7.0", "OvstageError: too late", "call shim.prepare_physx()"),
]


@pytest.mark.parametrize("error", CASES, ids=lambda e: type(e).__name__)
def test_pickle_round_trip(error: errors.ShimError) -> None:
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert str(clone) == str(error)
    assert vars(clone) == vars(error)


@pytest.mark.parametrize(
    ("error", "value", "remedy"),
    [
        (CASES[0], "ovphysx", "pip install"),
        (CASES[1], "9.9.9", "pin one of those"),
        (CASES[2], "'string'", "unset SHIM_STRATEGY"),
        (CASES[3], "no memfd", "ovphysx-shim doctor"),
        (CASES[4], "Failed to add USD", "can load another scene"),
        (CASES[5], "None", "Pass a pxr.Usd.Stage"),
        (CASES[6], "ovstage 0.1.0.346039", "run the script from a file"),
        (CASES[7], "None (a NoneType)", "shim.Simulation('cpu')"),
        (CASES[8], "/World/Robot/collisions/box (a collider) is missing (and 2 more differences)", "content='all'"),
        (CASES[9], "env_3 is not a copy", "clones='auto'"),
        (CASES[10], "on the cpu", "in another process"),
        (CASES[12], "'cuda:7'", "run on 'cpu'"),
    ],
)
def test_messages_name_value_and_remedy(error: errors.ShimError, value: str, remedy: str) -> None:
    assert value in str(error)
    assert remedy in str(error)


def test_builtin_bases_keep_callers_working() -> None:
    assert isinstance(CASES[0], ImportError)
    assert isinstance(CASES[4], RuntimeError)
    assert isinstance(CASES[5], ValueError)
    assert all(isinstance(error, errors.ShimError) for error in CASES)


def test_the_isaac_lab_integration_without_isaac_lab_says_so() -> None:
    """Every env but isaaclab300 has no Isaac Lab: install() changes nothing and names what it needs."""
    import lazy
    import shim
    import shim.isaaclab

    if lazy.available("isaaclab_ov"):
        pytest.skip("Isaac Lab is installed here")
    with pytest.raises(shim.UnsupportedIsaacLab, match=r"found no Isaac Lab .*pip install isaaclab==3\.0\.0"):
        shim.isaaclab.install()
    assert not shim.isaaclab.installed()
