"""What reading through ``lazy`` costs after first use, against the real modules, in one process.

    python -m benchmarks.lazy_hot_loop [--reads 200000] [--module pxr.Usd.Stage.CreateInMemory]

Each row reads one attribute chain ``--reads`` times in a loop (best of 5) and prints the time per
read and its ratio to the same chain read on the real modules. Needs the chain's package (pxr
by default: the usd tox env). The last two rows show the bound on ``lazy.<name>``: CPython does
not specialise attribute reads of a module that has a ``__getattr__``, which ``lazy`` needs.
"""

from __future__ import annotations

import argparse
import importlib
import timeit
import types


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reads", type=int, default=200_000)
    parser.add_argument("--chain", default="pxr.Usd.Stage.CreateInMemory")
    options = parser.parse_args()
    top, module_name, *rest = options.chain.split(".")
    import lazy

    held = getattr(getattr(lazy, top), module_name)  # bound before first use, as at module level
    importlib.import_module(f"{top}.{module_name}")
    held_then = getattr(getattr(lazy, top), module_name)  # bound after first use
    attributes = "".join(f".{part}" for part in rest)
    plain, with_getattr = types.ModuleType("plain"), types.ModuleType("with_getattr")
    plain.value = with_getattr.value = 1
    with_getattr.__getattr__ = lambda name: None  # type: ignore[method-assign]
    names = {"lazy": lazy, top: importlib.import_module(top), "held": held, "held_then": held_then}
    names |= {"plain": plain, "with_getattr": with_getattr}
    statements = {
        f"{options.chain} (real modules)": f"{options.chain}",
        f"lazy.{options.chain}": f"lazy.{options.chain}",
        f"{module_name}{attributes}, {module_name} bound after first use": f"held_then{attributes}",
        f"{module_name}{attributes}, {module_name} a handle bound before first use": f"held{attributes}",
        "one read of a plain module": "plain.value",
        "one read of a module with a __getattr__": "with_getattr.value",
    }
    times = {
        label: min(timeit.repeat(code, globals=names, number=options.reads, repeat=5)) / options.reads
        for label, code in statements.items()
    }
    real = next(iter(times.values()))
    print(f"{options.reads:,} reads, best of 5\n")
    print("| read | per read | ratio to the real modules |")
    print("|---|---|---|")
    for label, seconds in times.items():
        print(f"| `{label}` | {seconds * 1e9:.0f} ns | {seconds / real:.2f}x |")


if __name__ == "__main__":
    main()
