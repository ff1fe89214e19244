"""The state a view reads and writes: each quantity's tensor type, and the first release with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ARTICULATION", "RIGID_BODY", "Kind", "Quantity"]

Kind = Literal["rigid body", "articulation"]


@dataclass(frozen=True)
class Quantity:
    """One quantity of a view: its name and the release's tensor type (the README gives each row's columns)."""

    name: str
    tensor_type: str  # the member of ovphysx.types.TensorType
    since: str = "0.2.9"  # the first release on PyPI that has it
    writable: bool = True


RIGID_BODY: dict[str, Quantity] = {
    quantity.name: quantity
    for quantity in (
        Quantity("pose", "RIGID_BODY_POSE"),
        Quantity("velocity", "RIGID_BODY_VELOCITY"),
        Quantity("acceleration", "RIGID_BODY_ACCELERATION", "0.4.9", False),
    )
}

ARTICULATION: dict[str, Quantity] = {
    quantity.name: quantity
    for quantity in (
        Quantity("root_pose", "ARTICULATION_ROOT_POSE"),
        Quantity("root_velocity", "ARTICULATION_ROOT_VELOCITY"),
        Quantity("joint_positions", "ARTICULATION_DOF_POSITION"),
        Quantity("joint_velocities", "ARTICULATION_DOF_VELOCITY"),
        Quantity("joint_position_targets", "ARTICULATION_DOF_POSITION_TARGET"),
        Quantity("joint_velocity_targets", "ARTICULATION_DOF_VELOCITY_TARGET"),
        Quantity("joint_efforts", "ARTICULATION_DOF_ACTUATION_FORCE"),
        Quantity("link_poses", "ARTICULATION_LINK_POSE", writable=False),
        Quantity("link_velocities", "ARTICULATION_LINK_VELOCITY", writable=False),
    )
}
