"""Headless interviews: `simulate`, `interview` and `evaluate`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import load_settings
from interview_platform.core.evaluation.report import EvaluationReport
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
from interview_platform.core.models import ExperienceLevel
from interview_platform.errors import InterviewPlatformError
from interview_platform.storage.memory_store import InMemoryDataStore

LEVELS = click.Choice([level.value for level in ExperienceLevel])
FORMATS = click.Choice(["text", "json"])


def bank_problems() -> dict[str, str]:
    """The built-in problems, slug to title, in the bank's order (read on first use)."""
    from interview_platform.core.interviewer.problems import default_bank

    try:
        return {problem.slug: problem.title for problem in default_bank().problems}
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc


class ProblemSlug(click.ParamType[str]):
    """A slug of the problem bank; the help and the error list them."""

    name = "slug"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return "SLUG"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> str:
        slug = str(value).strip().lower()
        problems = bank_problems()
        if slug not in problems:
            self.fail(
                f"'{value}' is not in the problem bank. Choose one of: {', '.join(problems)}.",
                param,
                ctx,
            )
        return slug

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [CompletionItem(slug) for slug in bank_problems() if slug.startswith(incomplete)]


class BankCommand(click.Command):
    """A command whose help ends with the problem bank's slugs and titles."""

    def __init__(self, *args: Any, bank_intro: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bank_intro = bank_intro

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_epilog(ctx, formatter)
        problems = bank_problems()
        with formatter.section(f"Problems in the bank ({len(problems)})"):
            formatter.write_text(self.bank_intro)
            formatter.write_dl(list(problems.items()))


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


@click.command(cls=BankCommand, bank_intro="--problem takes one of these slugs.")
@click.option(
    "--problem",
    "slug",
    required=True,
    type=ProblemSlug(),
    help="A problem of the bank by its slug, e.g. url-shortener (listed below).",
)
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


@click.command(
    cls=BankCommand,
    bank_intro="--problem takes one of these slugs or titles, or any other problem statement "
    "(the interviewer derives a checklist for it).",
)
@click.option(
    "--problem",
    required=True,
    help="A problem slug or title (listed below), or any problem statement.",
)
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


@click.command(
    cls=BankCommand,
    bank_intro="--problem takes one of these slugs or titles, or the statement of any other "
    "problem (graded with a derived checklist, at lower confidence).",
)
@click.argument("transcript", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--problem",
    required=True,
    help="The problem the candidate was given: a slug or title (listed below), or its statement.",
)
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
