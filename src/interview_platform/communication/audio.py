"""Voice answers: the recording is stored as 16 kHz mono WAV and transcribed off the UI's
thread; the transcript is a draft (`VoiceDraft`) the candidate reviews, may correct, and sends
as the answer (source "audio", marked `edited` with the original transcript kept when changed).
"""

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
from interview_platform.errors import (
    CommunicationError,
    InterviewPlatformError,
    InvalidTransitionError,
)
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
class VoiceDraft:
    """A transcribed recording waiting for the candidate to send or discard it."""

    session_id: str
    filename: str  # the stored audio/recording_NNN.wav
    transcript: Transcript


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

    def warm_up(self) -> None:
        """Load the speech model in the background now, so the first answer does not wait for
        it (a backend without a model to load ignores this)."""
        load = getattr(self._transcriber, "load", None)
        if callable(load) and self._transcriber.available() is None:
            (self._executor or transcription_executor()).submit(_quietly, load)

    def transcribe_recording(self, session_id: str, data: bytes) -> Future[VoiceDraft]:
        """Store `audio/recording_NNN.wav` now; transcribe it in the background into a draft
        (CommunicationError when no words were heard; the recording stays stored)."""
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
        return executor.submit(self._draft, session.id, Path(path).name, wav)

    def send_transcript(self, draft: VoiceDraft, text: str) -> AudioAnswer:
        """Send `text` (the transcript, perhaps corrected) as the candidate's answer."""
        transcript = draft.transcript
        metadata: dict[str, object] = {
            "source": SOURCE,
            "media": draft.filename,
            "duration_s": transcript.duration_s,
            "segments": transcript.to_dict()["segments"],
            "backend": transcript.backend,
        }
        if text.strip() != transcript.text.strip():
            metadata.update(edited=True, transcript=transcript.text)
        answer, reply = self._sessions.submit_answer(draft.session_id, text, metadata=metadata)
        return AudioAnswer(draft.filename, transcript, answer, reply)

    def submit_recording(self, session_id: str, data: bytes) -> Future[AudioAnswer]:
        """Store, transcribe and send the transcript as it is, all but the storing in the
        background (for callers with no one to review the transcript)."""
        drafting = self.transcribe_recording(session_id, data)
        answering: Future[AudioAnswer] = Future()

        def send(done: Future[VoiceDraft]) -> None:
            try:
                draft = done.result()
                answering.set_result(self.send_transcript(draft, draft.transcript.text))
            except Exception as exc:  # handed to whoever waits on the answer
                answering.set_exception(exc)

        drafting.add_done_callback(send)
        return answering

    def _draft(self, session_id: str, filename: str, wav: bytes) -> VoiceDraft:
        started = time.perf_counter()
        transcript = self._transcriber.transcribe(wav)
        if self._on_transcribed is not None:
            self._on_transcribed(time.perf_counter() - started)
        if not transcript.text.strip():
            raise CommunicationError(NO_WORDS)
        return VoiceDraft(session_id, filename, transcript)


def _quietly(action: Callable[[], object]) -> None:
    """A warm-up: a failure now is reported again, in words, when the model is needed."""
    try:
        action()
    except InterviewPlatformError:
        return
