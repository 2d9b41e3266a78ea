"""The transcription backend the settings ask for: the offline model unless OpenAI is chosen, or
is the only backend that can run."""

from __future__ import annotations

from interview_platform.communication.local_whisper import LocalWhisperTranscriber
from interview_platform.communication.openai_whisper import OpenAIWhisperTranscriber
from interview_platform.communication.transcription import Transcriber
from interview_platform.config import Settings


def choose_transcriber(settings: Settings) -> Transcriber:
    """The offline model unless OpenAI is chosen, or is the only backend that can run."""
    remote = OpenAIWhisperTranscriber(
        settings.openai_api_key,
        settings.ai.openai_base_url,
        timeout=max(60.0, settings.ai.timeout_seconds),
    )
    backend = settings.communication.transcription_backend
    if backend == "openai":
        return remote
    local = LocalWhisperTranscriber()
    if backend == "local" or local.available() is None or remote.available() is not None:
        return local
    return remote
