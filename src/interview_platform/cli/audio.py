"""`interview-platform transcribe`: what the app hears in a WAV recording, without the app."""

from __future__ import annotations

import json
from pathlib import Path

import click

from interview_platform.communication.transcription import choose_transcriber
from interview_platform.config import load_settings
from interview_platform.errors import InterviewPlatformError


@click.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def transcribe(file: Path, output: str) -> None:
    """Print the words spoken in FILE (a WAV recording); nothing is saved."""
    try:
        transcriber = choose_transcriber(load_settings())
        missing = transcriber.available()
        if missing is not None:
            raise click.ClickException(missing)
        transcript = transcriber.transcribe(file.read_bytes())
    except InterviewPlatformError as exc:
        raise click.ClickException(str(exc)) from exc
    if output == "json":
        data = transcript.to_dict()
        click.echo(json.dumps({key: data[key] for key in ("text", "segments", "duration_s")}))
    else:
        click.echo(transcript.text)
