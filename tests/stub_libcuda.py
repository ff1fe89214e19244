"""A stand-in NVIDIA driver library for ovphysx 0.2.9 on hosts without one.

ovphysx 0.2.9 links ``libcuda.so.1`` directly, so ``import ovphysx`` fails without
the driver even on the CPU. This builds, from C, a ``libcuda.so.1`` that exports
every ``cu*`` symbol the wheel's libraries import, each returning 100
(CUDA_ERROR_NO_DEVICE): the driver library is present, and it reports no GPU.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

CUDA_ERROR_NO_DEVICE = 100


def cuda_symbols(package: Path) -> list[str]:
    """The cu* functions that the shared libraries under ``package`` import."""
    found: set[str] = set()
    for library in package.rglob("*.so*"):
        listing = subprocess.run(
            ["nm", "-D", "--undefined-only", str(library)], capture_output=True, text=True, check=False
        ).stdout
        found.update(re.findall(r"\bU (cu[A-Z]\w*)", listing))
    return sorted(found)


def build(package: Path, directory: Path) -> Path:
    """Compile the stub into ``directory``; returns the directory to put on LD_LIBRARY_PATH."""
    if shutil.which("cc") is None or shutil.which("nm") is None:
        raise RuntimeError("building the libcuda stub needs a C compiler (cc) and nm (binutils)")
    symbols = cuda_symbols(package)
    source = directory / "libcuda_stub.c"
    source.write_text(
        "/* Stub NVIDIA driver: every entry point reports CUDA_ERROR_NO_DEVICE. */\n"
        + "".join(f"int {name}(void) {{ return {CUDA_ERROR_NO_DEVICE}; }}\n" for name in symbols)
    )
    target = directory / "libcuda.so.1"
    subprocess.run(["cc", "-shared", "-fPIC", "-o", str(target), str(source), "-Wl,-soname,libcuda.so.1"], check=True)
    return directory


if __name__ == "__main__":  # tox: python -m tests.stub_libcuda DIR, for the installed ovphysx
    import importlib.util
    import sys

    spec = importlib.util.find_spec("ovphysx")
    assert spec is not None, "ovphysx is not installed in this env"
    assert spec.origin is not None
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    print(build(Path(spec.origin).parent, target) / "libcuda.so.1")
