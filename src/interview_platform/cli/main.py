"""The `interview-platform` command: run the app, migrate, check the setup, benchmark."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from interview_platform.config import Settings, load_settings
from interview_platform.errors import InterviewPlatformError
from interview_platform.monitoring.health import (
    MODEL_LOAD_TIMEOUT_SECONDS,
    HealthChecker,
    HealthState,
)
from interview_platform.storage.database import migrate

APP_FILE = Path(__file__).parents[1] / "ui" / "app.py"
F = TypeVar("F", bound=Callable[..., Any])


def _settings() -> Settings:
    try:
        return load_settings()
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="interview-platform")
def main() -> None:
    """AI mock interviews for system design, local-first."""


@main.command()
@click.option("--port", default=8501, show_default=True, type=click.IntRange(1, 65535))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
def run(port: int, host: str) -> None:
    """Apply migrations, then start the Streamlit app headless on HOST:PORT."""
    settings = _settings()
    _upgrade(settings)
    click.echo(f"Starting the app on http://{host}:{port} (Ctrl+C to stop)")
    from streamlit.web import cli as streamlit_cli

    from interview_platform.ui.context import prebuild

    app = prebuild(settings)  # in this process, so the metrics are served from the start
    if settings.enable_metrics:
        click.echo(f"Metrics on http://{host}:{settings.metrics_port}/metrics")
    flags = {
        "--server.port": str(port),
        "--server.address": host,
        "--server.headless": "true",
        "--browser.gatherUsageStats": "false",
        "--client.toolbarMode": "minimal",  # no Deploy button, no developer menu
    }
    arguments = ["run", str(APP_FILE), *(part for pair in flags.items() for part in pair)]
    try:
        streamlit_cli.main(arguments, prog_name="streamlit", standalone_mode=False)
    except KeyboardInterrupt:
        pass
    finally:
        app.close()


@main.group()
def db() -> None:
    """Database commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every pending migration to DATABASE_URL."""
    _upgrade(_settings())


def _upgrade(settings: Settings) -> None:
    from interview_platform.storage.database import create_database_engine

    engine = create_database_engine(settings.effective_database_url, settings.database)
    try:
        revision = migrate(engine)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    click.echo(
        f"Database {engine.url.render_as_string(hide_password=True)} is at revision {revision}."
    )


@main.command()
@click.option(
    "--model-timeout",
    default=MODEL_LOAD_TIMEOUT_SECONDS,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Seconds each offline model may take to load before it is reported as too slow.",
)
def doctor(model_timeout: float) -> None:
    """Check Python, the database, the data directory, disk space, every AI provider, and
    that the offline speech model and sentence encoder load."""
    from interview_platform.bootstrap import build_data_store

    try:
        settings = load_settings()
    except InterviewPlatformError as exc:
        click.echo(f"[FAIL] Configuration: {exc}")
        sys.exit(1)
    click.echo("[PASS] Configuration: loaded")
    store = build_data_store(settings)
    try:
        checker = HealthChecker(settings, store)
        statuses = [*checker.check_all(), *checker.check_offline_models(timeout=model_timeout)]
    finally:
        store.close()
    labels = {
        HealthState.HEALTHY: "PASS",
        HealthState.DEGRADED: "INFO",
        HealthState.UNHEALTHY: "FAIL",
    }
    for status in statuses:
        click.echo(f"[{labels[status.status]}] {status.name}: {status.message}")
        if status.fix:
            click.echo(f"       Fix: {status.fix}")
    ready = all(status.ok for status in statuses)
    click.echo(
        "The app can run." if ready else "The app cannot run until the failures above are fixed."
    )
    sys.exit(0 if ready else 1)


@main.group()
def bench() -> None:
    """Benchmarks that print figures."""


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
    from interview_platform.benchmarks.storage import run_storage_benchmark

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
    from interview_platform.benchmarks.engine import run_engine_benchmark

    try:
        run_engine_benchmark(problem_count, turns, output, click.echo)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc


@bench.command("resume")
@click.option("--repeat", default=50, show_default=True, help="Parses timed per layout.")
def bench_resume(repeat: int) -> None:
    """Offline resume parse time (2-page PDFs) and extraction accuracy on the fixtures."""
    from interview_platform.benchmarks.resume import run_resume_benchmark

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
    from interview_platform.benchmarks.audio import run_audio_benchmark

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
    from interview_platform.benchmarks.ui import run_ui_benchmark

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
    from interview_platform.benchmarks.load import BrowserLevel, run_load_benchmark

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


def _register_interview_commands() -> None:
    from interview_platform.cli.accounts import user
    from interview_platform.cli.audio import transcribe
    from interview_platform.cli.interview import evaluate, interview, simulate
    from interview_platform.cli.operations import cleanup
    from interview_platform.cli.resume import resume

    main.add_command(simulate)
    main.add_command(interview)
    main.add_command(evaluate)
    main.add_command(resume)
    main.add_command(cleanup)
    main.add_command(transcribe)
    main.add_command(user)


_register_interview_commands()
