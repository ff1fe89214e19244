"""``shim.explain()``: the probe as a report a person can act on (``ovphysx-shim doctor``)."""

from __future__ import annotations

from shim.adapters import undeclared_needs
from shim.releases import Capabilities, probe
from shim.strategies import AUTO_RULE, verdicts

__all__ = ["explain", "gpu_report", "remedies"]


def remedies(capabilities: Capabilities) -> list[str]:
    """What to install or set to make more routes available."""
    fixes: list[str] = []
    if capabilities.ovphysx is None:
        fixes.append("pip install 'ovphysx-shim[ovphysx]'  (ovphysx, usd-core, the PhysX and Newton schemas, numpy)")
    if capabilities.usd_core is None:
        fixes.append("pip install usd-core  (to build scenes in memory with pxr)")
    needs = undeclared_needs(capabilities)
    if "physx-usd-schemas" in needs and capabilities.physx_usd_schemas is None:
        fixes.append("pip install physx-usd-schemas  (this ovphysx needs it at run time but does not declare it)")
    if "newton-usd-schemas" in needs and capabilities.newton_usd_schemas is None:
        fixes.append(
            "pip install newton-usd-schemas  (without it this ovphysx logs a long 'ovphysx' warning at every "
            "first load, and drops any newton:* attributes a scene authors)"
        )
    if capabilities.temp_root is not None and not capabilities.temp_root_is_ram:
        fixes.append("set SHIM_TMPDIR to a directory on a tmpfs (e.g. /dev/shm) to keep scene files in RAM")
    return fixes


def gpu_report(capabilities: Capabilities) -> str:
    """Whether this host has a CUDA device, and what ``create_physx("cuda")`` does with this release."""
    from shim.gpu import cuda_devices

    devices = cuda_devices()
    if capabilities.ovphysx is None:
        return f"{devices.describe()}; install ovphysx to use it"
    if devices.count == 0:
        return f"{devices.describe()}; Simulation('cuda') raises shim.GpuUnavailable (use 'cpu')"
    return f"{devices.describe()}; Simulation('cuda') runs ovphysx {capabilities.ovphysx} on cuda:0"


def explain(capabilities: Capabilities | None = None, *, gpu: bool = False) -> str:
    """A readable report: versions, API generation, each strategy's verdict, the auto choice.

    ``gpu``: also ask the NVIDIA driver for CUDA devices (this initialises it in the process).
    """
    caps = capabilities or probe()
    lines = [
        f"ovphysx            {caps.ovphysx or 'not installed'}",
        f"ovstage            {caps.ovstage or '-'}",
        f"usd-core           {caps.usd_core or 'not installed'}",
        f"physx-usd-schemas  {caps.physx_usd_schemas or '-'}",
        f"newton-usd-schemas {caps.newton_usd_schemas or '-'}",
        f"API generation     {caps.generation or '-'}"
        + ("" if caps.adapter else "  (from the version; ovphysx not imported yet)"),
        f"memfd              {'yes' if caps.memfd else 'no: ' + str(caps.memfd_reason)}",
        f"temp root          {caps.temp_root or 'none'}"
        + (" (RAM)" if caps.temp_root_is_ram else " (disk)" if caps.temp_root else "")
        + (f"; passed over: {caps.temp_root_reason}" if caps.temp_root_reason else ""),
    ]
    if caps.adapter:
        lines.append(f"adapter            {caps.adapter.describe()}")
    lines.extend(f"note               {note}" for note in caps.notes)
    lines.append("strategies (best first):")
    first = None
    verdict = verdicts(caps)
    for route, reason in verdict.items():
        mark = "ok " if reason is None else "no "
        lines.append(f"  {mark} {route:14} {reason or ''}".rstrip())
        if reason is None and first is None:
            first = route
    lines.append(f"auto choice        {first or 'none: nothing can load a scene here'} at best")
    lines.append(f"auto rule          {AUTO_RULE}")
    lines.append(
        "content            all, physics"
        + (
            " (physics: `ovphysx-shim run FILE --content physics` reports the prims and payload bytes left out)"
            if caps.usd_core
            else " (physics needs usd-core)"
        )
    )
    if gpu:
        lines.append(f"GPU                {gpu_report(caps)}")
    lines.extend(f"to fix             {fix}" for fix in remedies(caps))
    return "\n".join(lines)
