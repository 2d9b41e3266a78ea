"""`interview-platform transcribe`: what the app hears in a WAV recording, without the app."""

from __future__ import annotations

import json
from pathlib import Path

import click

from interview_platform.communication.audio import to_wav_16k_mono
from interview_platform.communication.term_correction import CorrectingTranscriber
from interview_platform.communication.transcribers import choose_transcriber
from interview_platform.communication.vocabulary import Vocabulary, interview_vocabulary
from interview_platform.config import load_settings
from interview_platform.core.headless import brief_from_statement
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.models import ExperienceLevel
from interview_platform.errors import InterviewPlatformError

JSON_KEYS = ("text", "segments", "duration_s", "heard", "corrections", "notes")


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--problem",
    default=None,
    help="The problem the answer is about: a bank slug or title, or any problem statement. "
    "Its vocabulary biases the model and corrects near-misses (without it: the glossary's "
    "core terms).",
)
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def transcribe(file: Path, problem: str | None, output: str) -> None:
    """Print the words spoken in FILE (a WAV recording); nothing is saved."""
    try:
        settings = load_settings()
        transcriber = CorrectingTranscriber(choose_transcriber(settings))
        missing = transcriber.available()
        if missing is not None:
            raise click.ClickException(missing)
        limit = settings.communication.audio_max_minutes * 60
        transcript = transcriber.transcribe(to_wav_16k_mono(file, limit), _vocabulary(problem))
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    if output == "json":
        data = transcript.to_dict()
        click.echo(json.dumps({key: data[key] for key in JSON_KEYS}))
    else:
        click.echo(transcript.text)


def _vocabulary(problem: str | None) -> Vocabulary:
    if problem is None:
        return interview_vocabulary(None)
    return interview_vocabulary(brief_from_statement(default_bank(), problem, ExperienceLevel.MID))
