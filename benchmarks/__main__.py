"""`python -m benchmarks <name>`, from the repository's root (`make bench` runs them all)."""

from benchmarks.cli import bench

bench(prog_name="python -m benchmarks")
