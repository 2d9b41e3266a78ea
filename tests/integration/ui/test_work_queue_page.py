"""The candidate's place in the worker pool's queue, under AppTest: the app runs with one
worker, held busy by another candidate's job, so an evaluation, a transcription or a snapshot
waits and the page says where it is ("— 1 ahead of you", "— you are next"); once the worker is
free, the page shows the result. In a browser the waiting line reruns itself every second
until the job is done; here `finish_queued_work` draws the page again, as that rerun does."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.communication.audio import AudioHandler
from interview_platform.core.models import CommunicationMode, Role
from interview_platform.core.work_queue import JobKind
from interview_platform.ui.media import VoiceState
from tests.conftest import make_config
from tests.integration.communication.test_whiteboard_handler import CANVAS, png
from tests.integration.ui.conftest import finish_queued_work
from tests.integration.ui.test_evaluation_and_history import (
    click,
    finished_session,
    open_page,
)
from tests.integration.ui.test_voice_review import (
    HEARD,
    HeardTranscriber,
    one_second_wav,
    review_box,
)
from tests.unit.core.test_work_queue import Gate

WAIT = 60.0


@pytest.fixture(autouse=True)
def one_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WORKER_POOL_SIZE", "1")
    monkeypatch.setenv("WORKER_QUEUE_LIMIT", "3")


@pytest.fixture
def held(app_services: Services) -> Iterator[Gate]:
    """The only worker, busy with another candidate's evaluation until the test lets it go."""
    gate = Gate(wait=WAIT)
    app_services.work_queue.submit(JobKind.EVALUATION, "another candidate", gate)
    assert gate.started.wait(WAIT)
    yield gate
    gate.go.set()


def stop_recording(at: AppTest, app: Services, session_id: str) -> None:
    """What the recorder's Stop does: the recording is stored and its transcription queued."""
    job = app.audio.transcribe_recording(session_id, one_second_wav())
    at.session_state[f"voice-{session_id}"] = VoiceState(take=1, pending=job)
    at.run()


def save_snapshot(at: AppTest, app: Services, session_id: str) -> None:
    """What Save Snapshot does with a drawing of two labelled boxes."""
    picture = png()
    job = app.whiteboard.submit_snapshot(session_id, picture, CANVAS)
    at.session_state[f"interview_board_{session_id}"] = {"snapshot": picture, "job": job}
    at.run()


def waiting_lines(at: AppTest) -> list[str]:
    return [box.value for box in at.info if " — " in box.value]


def test_an_evaluation_shows_its_place_in_the_queue_then_the_report(
    app_test: AppTest, app_services: Services, held: Gate
) -> None:
    app_services.work_queue.submit(JobKind.EVALUATION, "a third candidate", lambda: None)
    session_id = finished_session(app_services, evaluate=False)
    app_test.session_state["session_id"] = session_id
    open_page(app_test, "evaluation")

    click(app_test, "Evaluate now")

    assert not app_test.exception
    assert waiting_lines(app_test) == ["Evaluating your interview — 1 ahead of you"]
    assert not any(b.label == "Evaluate now" for b in app_test.button)
    assert app_services.evaluation_manager.get_evaluation(session_id) is None
    held.go.set()
    finish_queued_work(app_test, app_services)
    assert waiting_lines(app_test) == []
    assert any(m.label == "Overall score" for m in app_test.metric)


def test_ending_the_interview_queues_its_evaluation_on_the_evaluation_page(
    app_test: AppTest, app_services: Services, held: Gate
) -> None:
    app_test.run()
    click(app_test, "Start Interview")
    click(app_test, "End Interview")

    click(app_test, "End and evaluate")

    assert app_test.title[0].value == "Evaluation"
    assert waiting_lines(app_test) == ["Evaluating your interview — you are next"]
    held.go.set()
    finish_queued_work(app_test, app_services)
    assert any(m.label == "Overall score" for m in app_test.metric)


def test_a_full_queue_says_so_and_offers_to_try_again(
    app_test: AppTest, app_services: Services, held: Gate
) -> None:
    for n in range(3):  # WORKER_QUEUE_LIMIT
        app_services.work_queue.submit(JobKind.EVALUATION, f"candidate {n}", lambda: None)
    session_id = finished_session(app_services, evaluate=False)
    app_test.session_state["session_id"] = session_id
    open_page(app_test, "evaluation")

    click(app_test, "Evaluate now")

    assert not app_test.exception
    [error] = app_test.error
    assert "The server is busy: 3 tasks are already waiting" in error.value
    assert "Try again in a minute" in error.value
    assert any(b.label == "Evaluate now" for b in app_test.button)
    held.go.set()
    assert app_services.work_queue.wait_until_idle(WAIT)
    click(app_test, "Evaluate now")
    finish_queued_work(app_test, app_services)
    assert any(m.label == "Overall score" for m in app_test.metric)


def test_a_voice_answer_shows_its_place_in_the_queue_then_the_transcript(
    app_test: AppTest, app_services: Services, monkeypatch: pytest.MonkeyPatch, held: Gate
) -> None:
    handler = AudioHandler(
        app_services.file_storage,
        app_services.session_manager,
        HeardTranscriber(HEARD),
        app_services.work_queue,
    )
    monkeypatch.setattr(app_services, "audio", handler)
    session = app_services.session_manager.create_session(
        make_config(enabled_modes=[CommunicationMode.TEXT, CommunicationMode.AUDIO]), "local"
    )
    app_services.session_manager.start_session(session.id)
    app_test.session_state["session_id"] = session.id
    open_page(app_test, "interview")

    stop_recording(app_test, app_services, session.id)

    assert not app_test.exception
    assert waiting_lines(app_test) == ["Transcribing your answer — you are next"]
    assert review_box(app_test) == []
    held.go.set()
    finish_queued_work(app_test, app_services)
    assert waiting_lines(app_test) == []
    assert review_box(app_test) == [HEARD]


def test_a_snapshot_shows_its_place_in_the_queue_then_the_interviewers_reply(
    app_test: AppTest, app_services: Services, held: Gate
) -> None:
    session = app_services.session_manager.create_session(make_config(), "local")
    app_services.session_manager.start_session(session.id)
    app_test.session_state["session_id"] = session.id
    open_page(app_test, "interview")

    save_snapshot(app_test, app_services, session.id)

    assert not app_test.exception
    assert waiting_lines(app_test) == ["The interviewer is looking at your drawing — you are next"]
    save = next(b for b in app_test.button if b.label == "Save Snapshot")
    assert save.disabled  # one snapshot at a time
    held.go.set()
    finish_queued_work(app_test, app_services)
    assert waiting_lines(app_test) == []
    history = app_services.session_manager.get_conversation(session.id)
    drawing = next(m for m in history if m.metadata.get("source") == "whiteboard")
    assert drawing.role is Role.CANDIDATE
    assert any("Snapshot saved" in m.value for m in app_test.markdown)
