"""`python -m benchmarks`: the benchmarks that print figures, one subcommand each.

Dev-only: they run from a source checkout (with `pip install -e ".[dev]"`), as `make bench`
does, and are not part of the installed `interview_platform` (docs/adr/0008-dev-only-benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from interview_platform.errors import InterviewPlatformError

F = TypeVar("F", bound=Callable[..., Any])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def bench() -> None:
    """Benchmarks that print figures (dev-only: run from a checkout with the dev extra)."""


def scratch_postgres_options(command: F) -> F:
    """--postgres-url and --skip-postgres, for the benchmarks that run on a scratch database."""
    command = click.option("--skip-postgres", is_flag=True, help="Only benchmark SQLite.")(command)
    return click.option(
        "--postgres-url",
        envvar="BENCH_POSTGRES_URL",
        default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
        show_default=True,
        help="PostgreSQL server to benchmark on (a scratch database is created and dropped).",
    )(command)


@bench.command("storage")
@click.option(
    "--sessions", "session_count", default=10_000, show_default=True, type=click.IntRange(1)
)
@click.option("--messages", "message_count", default=200, show_default=True, type=click.IntRange(1))
@scratch_postgres_options
def bench_storage(
    session_count: int, message_count: int, postgres_url: str, skip_postgres: bool
) -> None:
    """p50/p95 of save_conversation, get_conversation_history, the token budget check (a
    session's SUM over 200 recorded AI calls) and list_sessions."""
    from benchmarks.storage import run_storage_benchmark

    try:
        run_storage_benchmark(
            session_count, message_count, None if skip_postgres else postgres_url, click.echo
        )
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc


@bench.command("engine")
@click.option("--problems", "problem_count", default=10, show_default=True, type=click.IntRange(1))
@click.option("--turns", default=30, show_default=True, type=click.IntRange(1))
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def bench_engine(problem_count: int, turns: int, output: str) -> None:
    """Evaluator judgement on hand-written interviews, tokens per LLM interview, time per turn."""
    from benchmarks.engine import run_engine_benchmark

    try:
        run_engine_benchmark(problem_count, turns, output, click.echo)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc


@bench.command("resume")
@click.option("--repeat", default=50, show_default=True, help="Parses timed per layout.")
def bench_resume(repeat: int) -> None:
    """Offline resume parse time (2-page PDFs) and extraction accuracy on the fixtures."""
    from benchmarks.resume import run_resume_benchmark

    run_resume_benchmark(click.echo, repeat)


@bench.command("audio")
@click.option("--runs", default=3, show_default=True, type=click.IntRange(1))
@click.option(
    "--answers",
    type=click.IntRange(1),
    default=None,
    help="Read aloud only the first N spoken answers of each list (default: all).",
)
@click.option(
    "--spoken-only", is_flag=True, help="Only word errors and term recall on spoken answers."
)
def bench_audio(runs: int, answers: int | None, spoken_only: bool) -> None:
    """Word error rate and term recall on spoken system-design answers (with and without
    biasing and correction), transcription time (5, 15, 30 s), model load, Stop to
    transcript in Chromium, snapshot save."""
    from benchmarks.audio import run_audio_benchmark

    try:
        run_audio_benchmark(click.echo, runs, answers, spoken_only)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc


@bench.command("ui")
@click.option("--messages", default=200, show_default=True, type=click.IntRange(1))
@click.option("--runs", default=30, show_default=True, type=click.IntRange(1))
@click.option("--samples", default=10, show_default=True, type=click.IntRange(1))
@click.option("--no-browser", is_flag=True, help="Skip the Chromium measurement.")
def bench_ui(messages: int, runs: int, samples: int, no_browser: bool) -> None:
    """Interview-page rerun time (AppTest) and answer-to-first-token time (Chromium)."""
    from benchmarks.ui import run_ui_benchmark

    try:
        run_ui_benchmark(click.echo, messages, runs, samples, browser=not no_browser)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc


@bench.command("load")
@click.option("--sessions", default=50, show_default=True, type=click.IntRange(1))
@click.option("--turns", default=20, show_default=True, type=click.IntRange(1))
@click.option(
    "--browser-tabs",
    default=20,
    show_default=True,
    type=click.IntRange(0),
    help="Chromium tabs interviewing at once on one app process (0: no browser level).",
)
@click.option("--browser-turns", default=5, show_default=True, type=click.IntRange(1))
@click.option(
    "--idle-seconds",
    default=30.0,
    show_default=True,
    type=click.FloatRange(1),
    help="How long the idle tabs' cost to the server is measured.",
)
@scratch_postgres_options
def bench_load(
    sessions: int,
    turns: int,
    browser_tabs: int,
    browser_turns: int,
    idle_seconds: float,
    postgres_url: str,
    skip_postgres: bool,
) -> None:
    """Concurrent interviews through the app's services (per-turn p50/p95/max, errors, every
    conversation saved exactly, on PostgreSQL and SQLite), then in Chromium tabs on one app
    process (answer-to-reply p50/p95, and what idle interview tabs cost the server)."""
    from benchmarks.load import BrowserLevel, run_load_benchmark

    try:
        run_load_benchmark(
            sessions,
            turns,
            None if skip_postgres else postgres_url,
            click.echo,
            BrowserLevel(browser_tabs, browser_turns, idle_seconds),
        )
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
