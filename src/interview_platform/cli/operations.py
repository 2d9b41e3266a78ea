"""Operations commands: `cleanup`, the design's retention of old interviews, and `usage`, what
a session's AI calls used and cost."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import TYPE_CHECKING

import click

from interview_platform.config import load_settings
from interview_platform.core.models import utc_now
from interview_platform.errors import InterviewPlatformError
from interview_platform.monitoring.usage_report import usage_as_dict, usage_as_text

if TYPE_CHECKING:
    from interview_platform.bootstrap import Services


def format_bytes(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024:
            return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


@click.command()
@click.option(
    "--days",
    type=click.IntRange(0),
    default=None,
    help="Delete interviews created more than DAYS days ago "
    "[default: STORAGE__CLEANUP_OLD_SESSIONS_DAYS, 90]. 0 deletes every interview.",
)
@click.option("--dry-run", is_flag=True, help="Only list what would be deleted.")
def cleanup(days: int | None, dry_run: bool) -> None:
    """Delete old interviews: their database rows and their media files together."""
    from interview_platform.bootstrap import bootstrap

    try:
        settings = load_settings()
        retention = settings.storage.cleanup_old_sessions_days if days is None else days
        services = bootstrap(settings, console_logs=False)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        cutoff = utc_now() - timedelta(days=retention)
        sessions = sorted(
            (
                services.session_manager.get_session(sid)
                for sid in services.data_store.sessions_created_before(cutoff)
            ),
            key=lambda session: session.created_at,
        )
        verb = "Would delete" if dry_run else "Deleted"
        freed = 0
        for session in sessions:
            size = services.file_storage.session_size_bytes(session.id)
            if not dry_run:
                services.session_manager.delete_session(session.id)
            freed += size
            click.echo(
                f"{verb} {session.id} (created {session.created_at:%Y-%m-%d}, "
                f"{session.status.value}, {format_bytes(size)} of files)"
            )
        click.echo(
            f"{verb} {len(sessions)} interview(s) created before {cutoff:%Y-%m-%d %H:%M} UTC "
            f"(older than {retention} days); "
            f"{'would free' if dry_run else 'freed'} {format_bytes(freed)}."
        )
        if not dry_run:
            _remove_orphaned_files(services)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        services.close()


def _remove_orphaned_files(services: Services) -> None:
    orphans = services.session_manager.remove_orphaned_files()
    if orphans:
        click.echo(
            f"Removed the files of {len(orphans)} interview(s) already deleted from the "
            "database (a deletion was stopped before its files went)."
        )


@click.command()
@click.argument("session_id")
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def usage(session_id: str, output: str) -> None:
    """A session's AI tokens and cost by operation; `~` (JSON: "estimated") marks estimates.

    Each call is priced at the price in force on the day it was made."""
    from interview_platform.bootstrap import bootstrap

    try:
        services = bootstrap(load_settings(), console_logs=False)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        services.session_manager.get_session(session_id)
        report = services.token_tracker.get_session_usage(session_id)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        services.close()
    if output == "json":
        click.echo(json.dumps(usage_as_dict(report)))
    else:
        click.echo(usage_as_text(report))
