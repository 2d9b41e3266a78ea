"""Benchmarks printed by `interview-platform bench`."""
