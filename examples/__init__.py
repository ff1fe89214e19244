"""Runnable examples: a manager in Isaac Lab's shape, and Isaac Lab's own Cartpole through the shim."""
