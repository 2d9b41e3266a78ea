"""A voice answer under review on the Interview page (AppTest): the transcript waits in an
editable box; Send makes the (corrected) text one candidate turn with source "audio", Discard
adds nothing. The recording is handed over as the recorder's Stop does (AppTest cannot play
into `st.audio_input`; tests/e2e/test_voice_video.py does, in Chromium), and a scripted
transcriber hears fixed words."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.communication.audio import NO_WORDS, AudioHandler
from interview_platform.communication.speech_guards import NOT_ENGLISH
from interview_platform.communication.term_correction import CorrectingTranscriber
from interview_platform.communication.transcription import Transcriber, Transcript
from interview_platform.communication.vocabulary import Vocabulary
from interview_platform.core.models import Message, Role
from interview_platform.errors import CommunicationError
from interview_platform.ui.media import REVIEW_LABEL, VoiceState
from tests.integration.ui.test_interview_page import click

HEARD = "I would put a cash in front of the database"
CORRECTED = "I would put a cache in front of the database"


class HeardTranscriber:
    """Hears `text` in every recording (with the speech guards' `notes`)."""

    name = "scripted"

    def __init__(self, text: str, notes: tuple[str, ...] = ()) -> None:
        self.text = text
        self.notes = notes

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        return Transcript(self.text, duration_s=1.0, backend=self.name, notes=self.notes)

    def available(self) -> str | None:
        return None


class RefusingTranscriber(HeardTranscriber):
    """Refuses every recording with `text`, as the speech guards do."""

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        raise CommunicationError(self.text)


def one_second_wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16_000)
        writer.writeframes((np.sin(np.arange(16_000) / 8) * 8_000).astype("<i2").tobytes())
    return buffer.getvalue()


@pytest.fixture
def voice_session(
    app_test: AppTest, app_services: Services, monkeypatch: pytest.MonkeyPatch
) -> str:
    """A started interview with voice answers on; returns its id."""
    handler = AudioHandler(
        app_services.file_storage,
        app_services.session_manager,
        HeardTranscriber(HEARD),
        app_services.work_queue,
    )
    monkeypatch.setattr(app_services, "audio", handler)
    app_test.run()
    app_test.checkbox(key="mode_audio").check().run()
    click(app_test, "Start Interview")
    app_test.run()
    session_id = app_test.session_state["session_id"]
    assert isinstance(session_id, str)
    return session_id


def stop_recording(at: AppTest, app: Services, session_id: str) -> None:
    """What the recorder's Stop does: the recording is stored and its transcription queued;
    the page is drawn again once it is done (as the waiting line's rerun does)."""
    pending = app.audio.transcribe_recording(session_id, one_second_wav())
    at.session_state[f"voice-{session_id}"] = VoiceState(take=1, pending=pending)
    pending.future.exception(timeout=60)  # done, with a draft or an error
    at.run()


def candidate_turns(app: Services, session_id: str) -> list[Message]:
    history = app.session_manager.get_conversation(session_id)
    return [m for m in history if m.role is Role.CANDIDATE]


def review_box(at: AppTest) -> list[str]:
    return [box.value or "" for box in at.text_area if box.label == REVIEW_LABEL]


def test_the_transcript_waits_for_review_and_the_corrected_text_is_sent(
    app_test: AppTest, app_services: Services, voice_session: str
) -> None:
    stop_recording(app_test, app_services, voice_session)

    assert not app_test.exception
    assert review_box(app_test) == [HEARD]
    assert candidate_turns(app_services, voice_session) == []  # nothing sent yet

    next(b for b in app_test.text_area if b.label == REVIEW_LABEL).input(CORRECTED)
    click(app_test, "Send")

    (turn,) = candidate_turns(app_services, voice_session)
    assert turn.content == CORRECTED
    assert turn.metadata["source"] == "audio"
    assert turn.metadata["media"] == "recording_001.wav"
    assert turn.metadata["edited"] is True
    assert turn.metadata["transcript"] == HEARD
    assert app_services.session_manager.get_conversation(voice_session)[-1].role is Role.INTERVIEWER
    assert review_box(app_test) == []  # the box is gone: the recorder is back


def test_an_unchanged_transcript_is_sent_without_an_edit_mark(
    app_test: AppTest, app_services: Services, voice_session: str
) -> None:
    stop_recording(app_test, app_services, voice_session)
    click(app_test, "Send")

    (turn,) = candidate_turns(app_services, voice_session)
    assert turn.content == HEARD
    assert turn.metadata["source"] == "audio"
    assert "edited" not in turn.metadata


def test_discarding_adds_no_turn_and_keeps_the_recording(
    app_test: AppTest, app_services: Services, voice_session: str
) -> None:
    before = app_services.session_manager.get_conversation(voice_session)
    stop_recording(app_test, app_services, voice_session)
    assert review_box(app_test) == [HEARD]

    click(app_test, "Discard")

    assert not app_test.exception
    assert app_services.session_manager.get_conversation(voice_session) == before
    assert review_box(app_test) == []
    wav = app_services.file_storage.get_file_path(voice_session, "audio", "recording_001.wav")
    assert Path(wav).is_file()


def test_a_recording_without_words_says_so_and_offers_the_recorder_again(
    app_test: AppTest, app_services: Services, voice_session: str
) -> None:
    app_services.audio = AudioHandler(
        app_services.file_storage,
        app_services.session_manager,
        HeardTranscriber(""),
        app_services.work_queue,
    )
    stop_recording(app_test, app_services, voice_session)

    assert not app_test.exception
    assert [e.value for e in app_test.error] == [NO_WORDS]
    assert review_box(app_test) == []
    assert candidate_turns(app_services, voice_session) == []


def use_transcriber(app: Services, transcriber: Transcriber) -> None:
    app.audio = AudioHandler(app.file_storage, app.session_manager, transcriber, app.work_queue)


def test_the_guards_notes_are_shown_beside_the_draft_and_kept_with_the_answer(
    app_test: AppTest, app_services: Services, voice_session: str
) -> None:
    note = "A stretch of about 4 s at 0:12 was unclear and left out."
    use_transcriber(app_services, HeardTranscriber(HEARD, (note,)))
    stop_recording(app_test, app_services, voice_session)

    assert review_box(app_test) == [HEARD]
    assert any(note in caption.value for caption in app_test.caption)

    click(app_test, "Send")
    (turn,) = candidate_turns(app_services, voice_session)
    assert turn.metadata["notes"] == [note]


def test_a_recording_the_guards_refuse_shows_their_message_and_no_draft(
    app_test: AppTest, app_services: Services, voice_session: str
) -> None:
    use_transcriber(app_services, RefusingTranscriber(NOT_ENGLISH))
    stop_recording(app_test, app_services, voice_session)

    assert not app_test.exception
    assert [e.value for e in app_test.error] == [NOT_ENGLISH]
    assert review_box(app_test) == []
    assert candidate_turns(app_services, voice_session) == []


def test_corrected_terms_are_shown_beside_the_draft_and_kept_with_the_answer(
    app_test: AppTest, app_services: Services, voice_session: str
) -> None:
    heard = "Messages that keep failing go to a dead letter Q for a person to look at."
    use_transcriber(app_services, CorrectingTranscriber(HeardTranscriber(heard)))
    stop_recording(app_test, app_services, voice_session)

    fixed = heard.replace("dead letter Q", "dead letter queue")
    assert review_box(app_test) == [fixed]
    assert any(
        "Heard “dead letter Q”, written as “dead letter queue”" in caption.value
        for caption in app_test.caption
    )

    click(app_test, "Send")
    (turn,) = candidate_turns(app_services, voice_session)
    assert turn.content == fixed
    assert turn.metadata["heard"] == heard
    assert turn.metadata["corrections"][0]["corrected"] == "dead letter queue"
    assert "edited" not in turn.metadata
