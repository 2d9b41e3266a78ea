"""`python -m benchmarks storage` on a small size, as `make bench` runs it (SQLite only)."""

from __future__ import annotations

from pathlib import Path

from tests.support.bench_command import run_bench


def test_bench_storage_prints_percentiles(tmp_path: Path) -> None:
    result = run_bench(
        "storage", "--sessions", "300", "--messages", "20", "--skip-postgres", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("sqlite")]
    assert len(lines) == 4
    assert all("p50" in line and "p95" in line for line in lines)
    assert any("token budget check (sum of 200 calls)" in line for line in lines)
