"""Headless interviews: `simulate`, `interview` and `evaluate`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import click

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import load_settings
from interview_platform.core.evaluation.report_format import report_as_dict, report_as_markdown
from interview_platform.core.headless import (
    DEFAULT_MINUTES_PER_ANSWER,
    InterviewTranscript,
    SimulatedClock,
    read_answers,
    run_interview,
    transcript_as_text,
)
from interview_platform.core.interviewer.simulation import CandidateKind
from interview_platform.core.models import EvaluationReport, ExperienceLevel
from interview_platform.errors import InterviewPlatformError
from interview_platform.storage.memory_store import InMemoryDataStore

LEVELS = click.Choice([level.value for level in ExperienceLevel])
FORMATS = click.Choice(["text", "json"])


def _print(report: EvaluationReport, output: str, title: str) -> None:
    if output == "json":
        click.echo(json.dumps(report_as_dict(report), ensure_ascii=False))
    else:
        click.echo(report_as_markdown(report, title))


def _services(save: bool, clock: Callable[[], datetime] | None = None) -> Services:
    """The app's services; in memory unless the session should be kept."""
    try:
        settings = load_settings()
        store = None if save else InMemoryDataStore()
        return bootstrap(settings, data_store=store, console_logs=False, clock=clock)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc


@click.command()
@click.option("--problem", "slug", required=True, help="Problem slug, e.g. url-shortener.")
@click.option("--level", type=LEVELS, default="mid", show_default=True)
@click.option(
    "--candidate",
    type=click.Choice([k.value for k in CandidateKind]),
    default="average",
    show_default=True,
)
@click.option("--format", "output", type=FORMATS, default="text", show_default=True)
@click.option("--save", is_flag=True, help="Keep the session in the app's database.")
def simulate(slug: str, level: str, candidate: str, output: str, save: bool) -> None:
    """Run a whole interview against a scripted candidate and print the evaluation."""
    from interview_platform.core.headless import simulate as run

    services = _services(save)
    try:
        report = run(
            services.session_manager, slug, ExperienceLevel(level), CandidateKind(candidate)
        )
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        services.close()
    _print(report, output, f"Simulated {candidate} candidate: {slug} ({level})")


@click.command()
@click.option("--problem", required=True, help="A problem slug or title, or any problem statement.")
@click.option(
    "--answers",
    "answers_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help='The answers, JSON Lines: one {"content": "..."} a line.',
)
@click.option("--level", type=LEVELS, default="mid", show_default=True)
@click.option(
    "--minutes-per-answer",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_MINUTES_PER_ANSWER,
    show_default=True,
    help="Simulated minutes each answer takes; the interviewer paces the phases by them.",
)
@click.option("--format", "output", type=FORMATS, default="text", show_default=True)
def interview(
    problem: str, answers_file: Path, level: str, minutes_per_answer: float, output: str
) -> None:
    """Interview with the built-in interviewer on answers from a file, in simulated time."""
    try:
        answers = read_answers(answers_file)
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    clock = SimulatedClock()
    services = _services(save=False, clock=clock)
    try:
        transcript = run_interview(
            services.session_manager,
            clock,
            problem,
            answers,
            ExperienceLevel(level),
            minutes_per_answer,
        )
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        services.close()
    _print_transcript(transcript, output)


def _print_transcript(transcript: InterviewTranscript, output: str) -> None:
    if output == "json":
        click.echo(json.dumps(transcript.as_dict(), ensure_ascii=False))
    else:
        click.echo(transcript_as_text(transcript))


@click.command()
@click.argument("transcript", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--problem", required=True, help="The problem statement the candidate was given.")
@click.option("--level", type=LEVELS, default="mid", show_default=True)
@click.option("--format", "output", type=FORMATS, default="text", show_default=True)
def evaluate(transcript: Path, problem: str, level: str, output: str) -> None:
    """Grade a transcript (JSON Lines of role/content, or Markdown) for any problem."""
    from interview_platform.core.headless import evaluate_transcript

    services = _services(save=False)
    try:
        report = evaluate_transcript(
            services.evaluation_manager, transcript, problem, ExperienceLevel(level)
        )
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        services.close()
    _print(report, output, f"Evaluation: {problem[:60]}")
