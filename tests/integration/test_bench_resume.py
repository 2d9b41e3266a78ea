"""`bench resume` runs on real PDFs and reports its figures (speed is printed, not asserted)."""

from __future__ import annotations

from benchmarks.resume import run_resume_benchmark


def test_the_resume_benchmark_reports_timing_and_accuracy() -> None:
    lines: list[str] = []

    results = run_resume_benchmark(lines.append, repeat=2)

    assert results["single_column"]["pages"] == 2
    assert results["two_column"]["pages"] == 2
    assert results["single_column"]["p95_ms"] > 0
    accuracy = results["accuracy"]
    assert accuracy["fixtures"] >= 8
    assert accuracy["level"] == accuracy["years"] == accuracy["domains"] == accuracy["fixtures"]
    assert any("goal p95 <= 300 ms" in line for line in lines)
