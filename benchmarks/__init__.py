"""Benchmarks printed by `python -m benchmarks` (dev-only, not shipped)."""
