"""Speech to text with OpenAI's Whisper API (`whisper-1`): the recording leaves the machine."""

from __future__ import annotations

from typing import Any

from pydantic import SecretStr

from interview_platform.communication.transcription import MAX_SECONDS, Segment, Transcript
from interview_platform.communication.vocabulary import Vocabulary
from interview_platform.communication.wav_stream import duration_s
from interview_platform.errors import CommunicationError, ValidationError

OPENAI_MAX_BYTES = 25 * 1024 * 1024


class OpenAIWhisperTranscriber:
    """OpenAI's Whisper API (`whisper-1`); the recording leaves the machine."""

    name = "openai"

    def __init__(
        self, api_key: SecretStr | None, base_url: str | None = None, *, timeout: float = 60
    ) -> None:
        self._key = api_key
        self._base_url = base_url
        self._timeout = timeout

    def available(self) -> str | None:
        if self._key is None:
            return (
                "Transcription with OpenAI needs OPENAI_API_KEY in .env or the environment; "
                "you can keep typing."
            )
        return None

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        duration = duration_s(wav, MAX_SECONDS)  # from its header: no sample is read
        if len(wav) > OPENAI_MAX_BYTES:
            raise ValidationError(
                "The recording is larger than the 25 MB OpenAI accepts; answer in shorter parts."
            )
        missing = self.available()
        if missing is not None or self._key is None:
            raise CommunicationError(missing or "No OpenAI key is set.")
        result = self._request(wav, self._key, vocabulary)
        segments = [
            Segment(round(s.start, 2), round(s.end, 2), s.text.strip())
            for s in result.segments or []
        ]
        duration = round(float(result.duration or duration), 2)
        return Transcript(result.text.strip(), segments, duration, self.name)

    def _request(self, wav: bytes, key: SecretStr, vocabulary: Vocabulary | None) -> Any:
        import openai

        client = openai.OpenAI(
            api_key=key.get_secret_value(), base_url=self._base_url, timeout=self._timeout
        )
        try:
            return client.audio.transcriptions.create(
                model="whisper-1",
                file=("answer.wav", wav, "audio/wav"),
                response_format="verbose_json",
                prompt=vocabulary.prompt() if vocabulary else openai.omit,
            )
        except openai.AuthenticationError as exc:
            raise CommunicationError(
                "OpenAI refused the API key while transcribing your answer; check "
                "OPENAI_API_KEY. Your recording is saved and you can keep typing."
            ) from exc
        except openai.APIStatusError as exc:
            raise CommunicationError(
                f"OpenAI's transcription service answered HTTP {exc.status_code}; try again "
                "later. Your recording is saved and you can keep typing."
            ) from exc
        except openai.OpenAIError as exc:
            raise CommunicationError(
                "Could not reach OpenAI's transcription service; check the network and try "
                "again. Your recording is saved and you can keep typing."
            ) from exc
        finally:
            client.close()
