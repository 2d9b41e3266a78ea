"""The `interview-platform` command: run the app, migrate, check the setup."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from interview_platform.config import Settings, load_settings
from interview_platform.errors import InterviewPlatformError
from interview_platform.monitoring.health import (
    MODEL_LOAD_TIMEOUT_SECONDS,
    HealthChecker,
    HealthState,
)
from interview_platform.storage.database import database_url, migrate

APP_FILE = Path(__file__).parents[1] / "ui" / "app.py"


def _settings() -> Settings:
    try:
        return _checked_settings()
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc


def _checked_settings() -> Settings:
    """The settings, with DATABASE_URL checked too, so a bad one stops a command at once."""
    settings = load_settings()
    database_url(settings.effective_database_url)
    return settings


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

    from interview_platform.cli.host_guard import allowed_hosts, guard_streamlit, startup_notice
    from interview_platform.ui.context import prebuild

    hosts = allowed_hosts(settings, host)
    guard_streamlit(hosts)
    notice = startup_notice(hosts, host)
    if notice:
        click.echo(notice)
    app = prebuild(settings, host)  # in this process: the metrics are served from the start
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
    arguments += [part for name in hosts for part in ("--server.allowedHosts", name)]
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
        settings = _checked_settings()
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


def _register_interview_commands() -> None:
    from interview_platform.cli.accounts import user
    from interview_platform.cli.audio import transcribe
    from interview_platform.cli.interview import evaluate, interview, simulate
    from interview_platform.cli.operations import cleanup, usage
    from interview_platform.cli.resume import resume

    main.add_command(simulate)
    main.add_command(interview)
    main.add_command(evaluate)
    main.add_command(resume)
    main.add_command(cleanup)
    main.add_command(usage)
    main.add_command(transcribe)
    main.add_command(user)


_register_interview_commands()
