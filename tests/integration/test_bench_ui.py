"""`bench ui` reruns the real interview page with AppTest and reports its figures (speed is
printed, not asserted)."""

from __future__ import annotations

from benchmarks.ui import (
    GOAL_RERUN_P95_MS,
    FirstTokenFigures,
    RerunFigures,
    measure_rerun,
    run_ui_benchmark,
)


def test_the_rerun_figures_come_from_the_interview_page_with_its_history() -> None:
    figures = measure_rerun(messages=20, runs=3)

    assert isinstance(figures, RerunFigures)
    assert (figures.messages, figures.runs) == (20, 3)
    assert 0 < figures.p50_ms <= figures.p95_ms
    assert 0 < figures.page_p50_ms <= figures.page_p95_ms
    assert figures.page_p50_ms <= figures.p50_ms  # the page is part of the whole rerun
    assert figures.met is (figures.p95_ms <= GOAL_RERUN_P95_MS)


def test_the_benchmark_prints_a_verdict_and_says_when_the_browser_is_skipped() -> None:
    lines: list[str] = []

    results = run_ui_benchmark(lines.append, messages=5, runs=2, browser=False)

    assert results["rerun"].messages == 5
    assert results["first_token"] == FirstTokenFigures(10, skipped="--no-browser")
    assert any(
        f"goal p95 <= {GOAL_RERUN_P95_MS:.0f} ms" in line
        and line.rstrip().endswith(("MET", "MISSED"))
        for line in lines
    )
    assert any("skipped: --no-browser" in line for line in lines)
