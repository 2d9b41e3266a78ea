"""`interview-platform resume parse`: what the app reads from a resume, without the app."""

from __future__ import annotations

import json
from pathlib import Path

import click

from interview_platform.bootstrap import bootstrap
from interview_platform.config import load_settings
from interview_platform.core.models import ResumeData
from interview_platform.errors import InterviewPlatformError
from interview_platform.storage.memory_store import InMemoryDataStore
from interview_platform.storage.serialization import resume_to_dict


@click.group()
def resume() -> None:
    """Resume parsing."""


@resume.command("parse")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text")
@click.option(
    "--provider",
    default="builtin",
    show_default=True,
    help="builtin (offline) or a configured AI provider, e.g. openai.",
)
@click.option("--model", default=None, help="The provider's model (default: from settings).")
def parse(file: Path, output: str, provider: str, model: str | None) -> None:
    """Print the ResumeData read from FILE (PDF, TXT or Markdown); nothing is saved."""
    try:
        services = bootstrap(
            load_settings(), data_store=InMemoryDataStore(), migrate=False, console_logs=False
        )
        parsed = services.resume_manager.parse_resume(file, "cli", provider=provider, model=model)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    if output == "json":
        click.echo(json.dumps(_public(parsed), ensure_ascii=False))
    else:
        click.echo(_as_text(parsed))


def _public(parsed: ResumeData) -> dict[str, object]:
    """The design's ResumeData fields, without the user id the CLI made up."""
    data = resume_to_dict(parsed)
    data.pop("user_id", None)
    return data


def _as_text(parsed: ResumeData) -> str:
    lines = [
        f"Name: {parsed.name or '(not found)'}",
        f"Email: {parsed.email or '(not found)'}",
        f"Level: {parsed.experience_level.value} "
        f"({parsed.years_of_experience} years of experience)",
        f"Domains: {', '.join(parsed.domain_expertise) or '(none found)'}",
        "Experience:",
        *(f"  - {job.title} at {job.company} ({job.duration})" for job in parsed.work_experience),
        "Education:",
        *(f"  - {e.degree} {e.field}, {e.institution} {e.year}".rstrip() for e in parsed.education),
        f"Skills: {', '.join(parsed.skills) or '(none found)'}",
    ]
    return "\n".join(lines)
