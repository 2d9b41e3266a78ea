"""Each answer is counted once in the modes a report shows, however it was given."""

from __future__ import annotations

import io
import wave
from dataclasses import replace

import numpy as np
import pytest
from PIL import Image

from interview_platform.bootstrap import Services
from interview_platform.communication.audio import AudioHandler
from interview_platform.communication.transcription import Transcript
from interview_platform.communication.vocabulary import Vocabulary
from interview_platform.core.evaluation.report import ModeAnalysis
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.models import ExperienceLevel
from interview_platform.errors import CommunicationError
from tests.conftest import make_config

BRIEF = brief_for(default_bank().get("url-shortener"), ExperienceLevel.MID)
SPOKEN = "Reads dominate writes a hundred to one, so I would cache the hot links in memory."
BOARD = {
    "objects": [
        {"type": "rect", "left": 0, "top": 0, "width": 120, "height": 60},
        {"type": "textbox", "left": 10, "top": 20, "width": 100, "height": 20, "text": "API"},
        {"type": "rect", "left": 300, "top": 0, "width": 120, "height": 60},
        {"type": "textbox", "left": 310, "top": 20, "width": 100, "height": 20, "text": "Redis"},
    ]
}


class ScriptedTranscriber:
    """Hears the words it is given for every recording ("" for a silent one)."""

    name = "scripted"

    def __init__(self, text: str) -> None:
        self.text = text

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        return Transcript(self.text, duration_s=2.0, backend=self.name)

    def available(self) -> str | None:
        return None


def started(app: Services) -> str:
    session = app.session_manager.create_session(make_config(), "alice", problem=BRIEF)
    app.session_manager.start_session(session.id)
    return session.id


def recording() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16_000)
        tone = np.sin(np.linspace(0, 440 * 2 * np.pi, 16_000)) * 8_000
        writer.writeframes(tone.astype("<i2").tobytes())
    return buffer.getvalue()


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 40), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def speak(app: Services, session_id: str, words: str) -> None:
    handler = AudioHandler(
        app.file_storage, app.session_manager, ScriptedTranscriber(words), app.work_queue
    )
    handler.submit_recording(session_id, recording()).result(timeout=60)


def test_one_spoken_answer_and_one_snapshot_count_once_each(app: Services) -> None:
    session_id = started(app)
    speak(app, session_id, SPOKEN)
    app.whiteboard.save_snapshot(session_id, png(), BOARD)
    app.session_manager.end_session(session_id)

    report = app.session_manager.evaluate_session(session_id)

    assert report.communication_mode_analysis.mode_usage == {"audio": 1, "whiteboard": 1}
    assert "1 answer was spoken." in report.communication_mode_analysis.observations
    assert app.communication.mode_usage(session_id) == {"audio": 1, "whiteboard": 1}


def test_a_stored_file_no_answer_came_from_counts_once(app: Services) -> None:
    session_id = started(app)
    app.session_manager.submit_answer(session_id, "Users shorten links; reads dominate 100:1.")
    with pytest.raises(CommunicationError):
        speak(app, session_id, "")  # a recording with no words: kept, but no answer
    app.whiteboard.save_snapshot(session_id, png(), {"objects": []})  # empty: not discussed

    usage = app.communication.mode_usage(session_id)

    assert usage == {"text": 1, "audio": 1, "whiteboard": 1}


def test_a_report_saved_with_doubled_counts_shows_each_answer_once(app: Services) -> None:
    session_id = started(app)
    speak(app, session_id, SPOKEN)
    app.whiteboard.save_snapshot(session_id, png(), BOARD)
    app.session_manager.end_session(session_id)
    report = app.session_manager.evaluate_session(session_id)
    doubled = ModeAnalysis({"audio": 2, "whiteboard": 2}, ["2 answers were spoken."])
    app.data_store.save_evaluation(replace(report, communication_mode_analysis=doubled))

    shown = app.evaluation_manager.get_evaluation(session_id)

    assert shown is not None
    assert shown.communication_mode_analysis.mode_usage == {"audio": 1, "whiteboard": 1}
    assert shown.communication_mode_analysis.observations == ["1 answer was spoken."]
