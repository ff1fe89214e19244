"""0.7: the ovstage generation whose calls return Tasks; the CPU switch is a global config key."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ClassVar

from shim.adapters.ovstage import Ovstage
from shim.releases.bootstrap import physx_usd_schemas_paths
from shim.releases.versions import Generation

__all__ = ["OvstageTasks"]


class OvstageTasks(Ovstage):
    """``set_global_config(CPU_ONLY)``, ``wait_task``, ``destroy``; no ``reset_stage`` or ``wait_op``."""

    generation: ClassVar[Generation] = "ovstage-task"
    #: It refuses to attach without the PhysX schemas, and warns at every first load without Newton's.
    undeclared_needs: ClassVar[tuple[str, ...]] = ("physx-usd-schemas", "newton-usd-schemas")
    ships_schemas: ClassVar[bool] = False

    def schema_paths(self) -> list[str]:
        return [*physx_usd_schemas_paths(), *self._newton_schema_paths()]

    def stand_ins(self, physx: Any) -> dict[str, Callable[..., Any]]:
        # Waiting on a Task as on an op id; detaching empties the instance, as the stage reset did.
        return {"wait_op": functools.partial(self.wait, physx), "reset_stage": physx.detach_ovstage}

    def set_cpu_mode(self, cpu: bool) -> None:
        self.ovphysx.set_global_config(self.ovphysx.GlobalConfigKey.CPU_ONLY, cpu)

    def wait(self, physx: Any, pending: Any) -> None:
        if pending is not None:
            physx.wait_task(pending)
