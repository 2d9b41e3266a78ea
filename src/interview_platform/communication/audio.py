"""Voice answers: the recording is stored as 16 kHz mono WAV and transcribed on the worker
pool (one recording at a time: the offline model serves one). The transcript is a draft
(`VoiceDraft`) the candidate reviews, may correct, and sends as the answer (source "audio",
marked `edited` with the original transcript kept when changed).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from interview_platform.communication.transcription import SAMPLE_RATE, Transcriber, Transcript
from interview_platform.communication.vocabulary import Vocabulary, interview_vocabulary
from interview_platform.communication.wav_stream import DEFAULT_MAX_SECONDS, Source, wav_16k_mono
from interview_platform.core.models import Message, Session, SessionStatus
from interview_platform.core.ports.files import FileStore
from interview_platform.core.session_manager import SessionManager
from interview_platform.core.work_queue import Job, JobKind, WorkQueue
from interview_platform.errors import (
    CommunicationError,
    InterviewPlatformError,
    InvalidTransitionError,
    ServerBusyError,
)

SOURCE = "audio"
WARM_UP_OWNER = "speech model"  # the warm-up's place in the pool's turns
T = TypeVar("T")
NO_WORDS = "We could not hear any words; try again closer to the microphone, or type your answer."


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


def to_wav_16k_mono(source: Source, max_seconds: float = DEFAULT_MAX_SECONDS) -> bytes:
    """Any PCM WAV (rate, channels, sample width) as 16 kHz mono 16-bit PCM WAV, converted a
    block at a time; ValidationError, from its header, if longer than `max_seconds`."""
    return wav_16k_mono(source, max_seconds)[0]


class AudioHandler:
    def __init__(
        self,
        file_storage: FileStore,
        sessions: SessionManager,
        transcriber: Transcriber,
        work_queue: WorkQueue,
        on_transcribed: Callable[[float], None] | None = None,
        max_seconds: float = DEFAULT_MAX_SECONDS,
    ) -> None:
        """`on_transcribed(seconds)` is told each transcription's time (e.g. metrics); a
        recording longer than `max_seconds` is refused before its samples are read."""
        self._max_seconds = max_seconds
        self._on_transcribed = on_transcribed
        self._files = file_storage
        self._sessions = sessions
        self._transcriber = transcriber
        self._queue = work_queue
        self._warming: Job[None] | None = None
        self._warming_lock = threading.Lock()

    def unavailable_reason(self) -> str | None:
        """None when voice answers work; otherwise why not, to show beside the text box."""
        return self._transcriber.available()

    def warm_up(self) -> None:
        """Load the speech model on the worker pool now, once, so the first answer does not
        wait for it (a backend without a model to load ignores this)."""
        load = getattr(self._transcriber, "load", None)
        if not callable(load) or self._transcriber.available() is not None:
            return
        with self._warming_lock:
            if self._warming is None:
                try:
                    self._warming = self._queue.submit(
                        JobKind.TRANSCRIPTION, WARM_UP_OWNER, lambda: _quietly(load)
                    )
                except ServerBusyError:
                    return  # the first answer loads it

    def transcribe_recording(self, session_id: str, data: bytes) -> Job[VoiceDraft]:
        """Store `audio/recording_NNN.wav` now; transcribe it on the worker pool into a draft
        (CommunicationError when no words were heard; the recording stays stored)."""
        session, filename, wav = self._store(session_id, data)
        return self._submit(session.id, lambda: self._draft(session.id, filename, wav))

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
        if transcript.notes:
            metadata["notes"] = list(transcript.notes)
        if transcript.corrections:  # the model's own words, and what was corrected in them
            metadata["heard"] = transcript.heard
            metadata["corrections"] = [c.to_dict() for c in transcript.corrections]
        if text.strip() != transcript.text.strip():
            metadata.update(edited=True, transcript=transcript.text)
        answer, reply = self._sessions.submit_answer(draft.session_id, text, metadata=metadata)
        return AudioAnswer(draft.filename, transcript, answer, reply)

    def submit_recording(self, session_id: str, data: bytes) -> Job[AudioAnswer]:
        """Store the recording now; transcribe it and send the transcript as it is on the
        worker pool (for callers with no one to review the transcript)."""
        session, filename, wav = self._store(session_id, data)

        def transcribe_and_send() -> AudioAnswer:
            draft = self._draft(session.id, filename, wav)
            return self.send_transcript(draft, draft.transcript.text)

        return self._submit(session.id, transcribe_and_send)

    def _store(self, session_id: str, data: bytes) -> tuple[Session, str, bytes]:
        session = self._sessions.get_session(session_id)
        if session.status is not SessionStatus.ACTIVE:
            raise InvalidTransitionError(
                f"Session {session.id} is {session.status.value}; resume it to answer by voice."
            )
        wav, duration = wav_16k_mono(data, self._max_seconds)
        path = self._files.save_audio(
            session.id, wav, {"duration_s": duration, "sample_rate": SAMPLE_RATE}
        )
        return session, Path(path).name, wav

    def vocabulary(self, session_id: str) -> Vocabulary:
        """What the session's recordings should be heard with: its problem's terms and those
        said so far."""
        session = self._sessions.get_session(session_id)
        said = [m.content for m in self._sessions.get_conversation(session_id)]
        return interview_vocabulary(session.problem, said)

    def _submit(self, session_id: str, action: Callable[[], T]) -> Job[T]:
        try:
            return self._queue.submit(JobKind.TRANSCRIPTION, session_id, action)
        except ServerBusyError as exc:
            raise ServerBusyError(f"{exc} Your recording is saved; or type your answer.") from exc

    def _draft(self, session_id: str, filename: str, wav: bytes) -> VoiceDraft:
        started = time.perf_counter()
        transcript = self._transcriber.transcribe(wav, self.vocabulary(session_id))
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
