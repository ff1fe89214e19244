"""The state a view reads and writes: each quantity's tensor type, row shape, and the first release with it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["ARTICULATION", "QUANTITIES", "RIGID_BODY", "Quantity"]

Kind = Literal["rigid body", "articulation"]


@dataclass(frozen=True)
class Quantity:
    """One quantity of a view: its name, the release's tensor type, and what each row holds."""

    name: str
    tensor_type: str  # the member of ovphysx.types.TensorType
    columns: str  # what one row (or one row per DOF or link) holds, for docs and errors
    since: str = "0.2.9"  # the first release on PyPI that has it
    writable: bool = True


RIGID_BODY: dict[str, Quantity] = {
    quantity.name: quantity
    for quantity in (
        Quantity("pose", "RIGID_BODY_POSE", "px py pz qx qy qz qw"),
        Quantity("velocity", "RIGID_BODY_VELOCITY", "vx vy vz wx wy wz"),
        Quantity("acceleration", "RIGID_BODY_ACCELERATION", "ax ay az alpha_x alpha_y alpha_z", "0.4.9", False),
    )
}

ARTICULATION: dict[str, Quantity] = {
    quantity.name: quantity
    for quantity in (
        Quantity("root_pose", "ARTICULATION_ROOT_POSE", "px py pz qx qy qz qw"),
        Quantity("root_velocity", "ARTICULATION_ROOT_VELOCITY", "vx vy vz wx wy wz"),
        Quantity("joint_positions", "ARTICULATION_DOF_POSITION", "one per DOF"),
        Quantity("joint_velocities", "ARTICULATION_DOF_VELOCITY", "one per DOF"),
        Quantity("joint_position_targets", "ARTICULATION_DOF_POSITION_TARGET", "one per DOF"),
        Quantity("joint_velocity_targets", "ARTICULATION_DOF_VELOCITY_TARGET", "one per DOF"),
        Quantity("joint_efforts", "ARTICULATION_DOF_ACTUATION_FORCE", "one per DOF"),
        Quantity("link_poses", "ARTICULATION_LINK_POSE", "per link: px py pz qx qy qz qw", writable=False),
        Quantity("link_velocities", "ARTICULATION_LINK_VELOCITY", "per link: vx vy vz wx wy wz", writable=False),
    )
}

QUANTITIES: dict[Kind, dict[str, Quantity]] = {"rigid body": RIGID_BODY, "articulation": ARTICULATION}
