"""Transcription, whiteboard analysis and evaluation run on the app's one worker pool, built by
`bootstrap` from the settings: with its worker held busy, each waits its turn with its place in
the queue, and the files it needs are stored before it waits. Every data store."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from interview_platform import bootstrap as bootstrap_module
from interview_platform.bootstrap import Services, bootstrap
from interview_platform.communication.audio import AudioHandler
from interview_platform.communication.transcription import Transcript
from interview_platform.communication.vocabulary import Vocabulary
from interview_platform.config import Settings
from interview_platform.core.models import MediaType, Role
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.work_queue import JobKind, JobState, JobStatus
from interview_platform.errors import CommunicationError, ServerBusyError
from tests.integration.communication.test_mode_counts import png, recording, started
from tests.unit.core.test_work_queue import Gate

WAIT = 60.0
BOARD = {
    "objects": [
        {"type": "rect", "left": 0, "top": 0, "width": 120, "height": 60},
        {"type": "textbox", "left": 10, "top": 20, "width": 100, "height": 20, "text": "API"},
        {"type": "rect", "left": 300, "top": 0, "width": 120, "height": 60},
        {"type": "textbox", "left": 310, "top": 20, "width": 100, "height": 20, "text": "Cache"},
    ]
}


class GatedTranscriber:
    """Hears `text` once let go; says when a transcription has started."""

    name = "gated"

    def __init__(self, text: str) -> None:
        self.text = text
        self.started = threading.Event()
        self.go = threading.Event()

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        self.started.set()
        assert self.go.wait(WAIT)
        return Transcript(self.text, duration_s=1.0, backend=self.name)

    def available(self) -> str | None:
        return None


def app_with(store: DataStore, tmp_path: Path, workers: int, limit: int = 50) -> Services:
    settings = Settings(
        _env_file=None,
        data_dir=tmp_path / "data",
        worker_pool_size=workers,
        worker_queue_limit=limit,
    )
    return bootstrap(settings, data_store=store, migrate=False, console_logs=False)


@pytest.fixture
def app(store: DataStore, tmp_path: Path) -> Iterator[Services]:
    services = app_with(store, tmp_path, workers=1)
    yield services
    services.work_queue.shutdown(WAIT)


@pytest.fixture
def held(app: Services) -> Iterator[Gate]:
    """The pool's only worker, busy with another candidate's job until the test lets it go."""
    gate = Gate(wait=WAIT)
    app.work_queue.submit(JobKind.EVALUATION, "another candidate", gate)
    assert gate.started.wait(WAIT)
    yield gate
    gate.go.set()


def candidate_turns(app: Services, session_id: str) -> list[str]:
    history = app.session_manager.get_conversation(session_id)
    return [m.content for m in history if m.role is Role.CANDIDATE]


def test_the_pool_follows_the_settings(app: Services) -> None:
    assert (app.work_queue.workers, app.work_queue.max_waiting) == (1, 50)


def test_a_snapshot_is_stored_at_once_and_discussed_in_its_turn(app: Services, held: Gate) -> None:
    session_id = started(app)

    job = app.whiteboard.submit_snapshot(session_id, png(), BOARD)

    assert job.status() == JobStatus(JobKind.WHITEBOARD, JobState.QUEUED, 0)
    [media] = app.data_store.list_media(session_id, MediaType.WHITEBOARD)  # stored already
    assert Path(media.file_path).name == "snapshot_001.png"
    assert candidate_turns(app, session_id) == []  # not discussed yet
    held.go.set()
    snapshot = job.result(WAIT)
    assert snapshot.answer is not None and snapshot.reply is not None
    assert candidate_turns(app, session_id) == [snapshot.answer.content]
    assert "Cache" in snapshot.answer.content


def test_a_recording_is_stored_at_once_and_transcribed_in_its_turn(
    app: Services, held: Gate
) -> None:
    session_id = started(app)
    heard = GatedTranscriber("a cache in front of the database")
    heard.go.set()
    audio = AudioHandler(app.file_storage, app.session_manager, heard, app.work_queue)

    job = audio.transcribe_recording(session_id, recording())

    assert job.status() == JobStatus(JobKind.TRANSCRIPTION, JobState.QUEUED, 0)
    assert len(app.data_store.list_media(session_id, MediaType.AUDIO)) == 1
    assert not heard.started.is_set()
    held.go.set()
    assert job.result(WAIT).transcript.text == "a cache in front of the database"


def test_the_app_transcribes_one_recording_at_a_time_and_lets_other_work_pass(
    store: DataStore, tmp_path: Path
) -> None:
    app = app_with(store, tmp_path, workers=2)
    first, second = started(app), started(app)
    slow = GatedTranscriber("first")
    audio = AudioHandler(app.file_storage, app.session_manager, slow, app.work_queue)
    speaking = audio.transcribe_recording(first, recording())
    assert slow.started.wait(WAIT)
    waiting = audio.transcribe_recording(second, recording())
    other = Gate(wait=WAIT)

    app.work_queue.submit(JobKind.EVALUATION, "third", other)

    assert other.started.wait(WAIT)  # the second worker, past the waiting recording
    assert waiting.status().state is JobState.QUEUED
    other.go.set()
    slow.go.set()
    assert speaking.result(WAIT).transcript.text == waiting.result(WAIT).transcript.text
    app.work_queue.shutdown(WAIT)


def test_a_full_pool_refuses_a_recording_and_says_it_is_saved(
    store: DataStore, tmp_path: Path
) -> None:
    app = app_with(store, tmp_path, workers=1, limit=1)
    session_id = started(app)
    gate = Gate(wait=WAIT)
    app.work_queue.submit(JobKind.EVALUATION, "another", gate)
    assert gate.started.wait(WAIT)
    app.work_queue.submit(JobKind.EVALUATION, "yet another", lambda: None)

    with pytest.raises(ServerBusyError, match=r"busy.*Your recording is saved"):
        app.audio.transcribe_recording(session_id, recording())
    with pytest.raises(ServerBusyError, match=r"busy.*The snapshot is saved"):
        app.whiteboard.submit_snapshot(session_id, png(), BOARD)
    assert len(app.data_store.list_media(session_id, MediaType.AUDIO)) == 1
    gate.go.set()
    app.work_queue.shutdown(WAIT)


def test_a_failed_transcription_reaches_the_caller_as_the_platforms_error(
    app: Services,
) -> None:
    session_id = started(app)
    silent = GatedTranscriber("")
    silent.go.set()
    audio = AudioHandler(app.file_storage, app.session_manager, silent, app.work_queue)

    job = audio.transcribe_recording(session_id, recording())

    with pytest.raises(CommunicationError, match="could not hear any words"):
        job.result(WAIT)
    assert job.status().state is JobState.FAILED


def test_closing_the_services_finishes_the_queued_work(app: Services) -> None:
    session_id = started(app)
    gate = Gate(wait=WAIT)
    app.work_queue.submit(JobKind.EVALUATION, "another", gate)
    snapshot = app.whiteboard.submit_snapshot(session_id, png(), BOARD)
    gate.go.set()

    app.close()

    assert snapshot.result(0).answer is not None


def test_closing_out_of_time_fails_the_queued_work_and_logs_it(
    app: Services, held: Gate, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    session_id = started(app)
    snapshot = app.whiteboard.submit_snapshot(session_id, png(), BOARD)
    monkeypatch.setattr(bootstrap_module, "SHUTDOWN_GRACE_SECONDS", 0.0)

    app.close()

    with pytest.raises(ServerBusyError, match="stopped before your whiteboard analysis"):
        snapshot.result(0)
    assert "1 queued jobs were dropped unrun at shutdown" in caplog.text
    assert app.data_store.list_media(session_id, MediaType.WHITEBOARD)  # the PNG is kept
