"""Benchmarks: each module runs as ``python -m benchmarks.<name>`` from a checkout and prints a table."""
