"""Voice answers: the recording is stored as 16 kHz mono WAV, transcribed off the UI's thread,
and its text sent to the interviewer as the candidate's answer."""

from __future__ import annotations

import io
import threading
import time
import wave
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from interview_platform.communication.transcription import (
    SAMPLE_RATE,
    Transcriber,
    Transcript,
    read_wav,
    resample,
)
from interview_platform.core.models import Message, SessionStatus
from interview_platform.core.session_manager import SessionManager
from interview_platform.errors import CommunicationError, InvalidTransitionError
from interview_platform.storage.file_storage import FileStorage

SOURCE = "audio"
NO_WORDS = "We could not hear any words; try again closer to the microphone, or type your answer."

_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def transcription_executor() -> ThreadPoolExecutor:
    """The process's one transcription thread: the model serves one recording at a time."""
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcription")
        return _executor


@dataclass(frozen=True)
class AudioAnswer:
    filename: str
    transcript: Transcript
    answer: Message
    reply: Message | None


def to_wav_16k_mono(data: bytes) -> bytes:
    """Any PCM WAV (rate, channels, sample width) as 16 kHz mono 16-bit PCM WAV."""
    return _convert(data)[0]


def _convert(data: bytes) -> tuple[bytes, float]:
    audio = read_wav(data)
    samples = resample(audio.samples, audio.sample_rate, SAMPLE_RATE)
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes(pcm.tobytes())
    return buffer.getvalue(), round(len(pcm) / SAMPLE_RATE, 2)


class AudioHandler:
    def __init__(
        self,
        file_storage: FileStorage,
        sessions: SessionManager,
        transcriber: Transcriber,
        executor: Executor | None = None,
        on_transcribed: Callable[[float], None] | None = None,
    ) -> None:
        """`on_transcribed(seconds)` is told each transcription's time (e.g. metrics)."""
        self._on_transcribed = on_transcribed
        self._files = file_storage
        self._sessions = sessions
        self._transcriber = transcriber
        self._executor = executor

    def unavailable_reason(self) -> str | None:
        """None when voice answers work; otherwise why not, to show beside the text box."""
        return self._transcriber.available()

    def submit_recording(self, session_id: str, data: bytes) -> Future[AudioAnswer]:
        """Store `audio/recording_NNN.wav` now; transcribe and answer in the background."""
        session = self._sessions.get_session(session_id)
        if session.status is not SessionStatus.ACTIVE:
            raise InvalidTransitionError(
                f"Session {session.id} is {session.status.value}; resume it to answer by voice."
            )
        wav, duration = _convert(data)
        path = self._files.save_audio(
            session.id, wav, {"duration_s": duration, "sample_rate": SAMPLE_RATE}
        )
        executor = self._executor or transcription_executor()
        return executor.submit(self._answer, session.id, Path(path).name, wav)

    def _answer(self, session_id: str, filename: str, wav: bytes) -> AudioAnswer:
        started = time.perf_counter()
        transcript = self._transcriber.transcribe(wav)
        if self._on_transcribed is not None:
            self._on_transcribed(time.perf_counter() - started)
        if not transcript.text.strip():
            raise CommunicationError(NO_WORDS)
        answer, reply = self._sessions.submit_answer(
            session_id,
            transcript.text,
            metadata={
                "source": SOURCE,
                "media": filename,
                "duration_s": transcript.duration_s,
                "segments": transcript.to_dict()["segments"],
                "backend": transcript.backend,
            },
        )
        return AudioAnswer(filename, transcript, answer, reply)
