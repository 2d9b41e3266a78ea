"""Whiteboard snapshots end to end on real files and every data store, and session deletion."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.conversation_text import search_messages, to_plain_text
from interview_platform.core.evaluation.presentation import points
from interview_platform.core.evaluation.report_pdf import report_as_pdf
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.models import (
    CommunicationMode,
    ExperienceLevel,
    MediaType,
    Role,
    Session,
    SessionStatus,
)
from interview_platform.core.ports.data_store import DataStore
from interview_platform.errors import InvalidTransitionError, NotFoundError, ValidationError
from tests.conftest import make_config

BRIEF = brief_for(default_bank().get("url-shortener"), ExperienceLevel.MID)
CANVAS = {
    "objects": [
        {"type": "rect", "left": 0, "top": 0, "width": 120, "height": 60},
        {"type": "textbox", "left": 10, "top": 20, "width": 100, "height": 20, "text": "API"},
        {"type": "rect", "left": 300, "top": 0, "width": 120, "height": 60},
        {"type": "textbox", "left": 310, "top": 20, "width": 100, "height": 20, "text": "Redis"},
        {
            "type": "line",
            "left": 120,
            "top": 30,
            "width": 180,
            "height": 0,
            "x1": -90,
            "y1": 0,
            "x2": 90,
            "y2": 0,
        },
    ]
}


def png() -> bytes:
    buffer = BytesIO()
    Image.new("RGB", (80, 40), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def app(store: DataStore, tmp_path: Path) -> Services:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")
    return bootstrap(settings, data_store=store, migrate=False, console_logs=False)


def started(app: Services) -> str:
    session = app.session_manager.create_session(make_config(), "alice", problem=BRIEF)
    app.session_manager.start_session(session.id)
    return session.id


def test_a_snapshot_is_stored_analysed_and_answered(app: Services) -> None:
    session_id = started(app)

    snapshot = app.whiteboard.save_snapshot(session_id, png(), CANVAS)

    assert snapshot.filename == "snapshot_001.png"
    assert snapshot.analysis.components_identified == ["API", "Redis"]
    assert snapshot.analysis.relationships == ["API -> Redis"]
    assert "API" in snapshot.note
    assert snapshot.answer is not None and snapshot.answer.metadata["source"] == "whiteboard"
    assert snapshot.reply is not None and snapshot.reply.role is Role.INTERVIEWER
    [media] = app.data_store.list_media(session_id, MediaType.WHITEBOARD)
    assert media.metadata["canvas"] == CANVAS
    assert app.file_storage.resolve(media).read_bytes() == png()


def test_an_empty_board_is_stored_but_not_discussed(app: Services) -> None:
    session_id = started(app)

    snapshot = app.whiteboard.save_snapshot(session_id, png(), {"objects": []})

    assert snapshot.answer is None and "empty" in snapshot.note
    assert len(app.session_manager.get_conversation(session_id)) == 1


def test_the_last_snapshot_gives_the_drawing_back(app: Services) -> None:
    session_id = started(app)
    assert app.whiteboard.last_drawing(session_id) is None
    first = {"objects": CANVAS["objects"][:2]}
    app.whiteboard.save_snapshot(session_id, png(), first)
    app.whiteboard.save_snapshot(session_id, png(), CANVAS)

    drawing = app.whiteboard.last_drawing(session_id)

    assert drawing is not None
    assert drawing.canvas == CANVAS and drawing.filename == "snapshot_002.png"


def test_a_board_cleared_then_saved_stays_clear(app: Services) -> None:
    session_id = started(app)
    app.whiteboard.save_snapshot(session_id, png(), CANVAS)
    app.whiteboard.save_snapshot(session_id, png(), {"objects": []})

    assert app.whiteboard.last_drawing(session_id) is None


@pytest.mark.parametrize("data", [b"", b"not a png"])
def test_a_non_png_is_refused(app: Services, data: bytes) -> None:
    with pytest.raises(ValidationError):
        app.whiteboard.save_snapshot(started(app), data, CANVAS)


def test_a_paused_session_takes_no_snapshot(app: Services) -> None:
    session_id = started(app)
    app.session_manager.pause_session(session_id)

    with pytest.raises(InvalidTransitionError, match="resume it"):
        app.whiteboard.save_snapshot(session_id, png(), CANVAS)


def test_deleting_a_session_removes_its_rows_and_files(app: Services) -> None:
    session_id = started(app)
    app.whiteboard.save_snapshot(session_id, png(), CANVAS)
    folder = app.file_storage.session_dir(session_id)
    assert folder.exists()

    app.session_manager.delete_session(session_id)

    assert not folder.exists()
    with pytest.raises(NotFoundError):
        app.session_manager.get_session(session_id)
    assert app.data_store.list_media(session_id) == []


def test_progress_and_exports_after_an_evaluated_session(app: Services) -> None:
    session_id = started(app)
    app.session_manager.submit_answer(session_id, "Users shorten links; reads dominate 100:1.")
    app.session_manager.end_session(session_id)
    report = app.session_manager.evaluate_session(session_id)

    [point] = app.evaluation_manager.progress("alice")
    assert point.session_id == session_id and point.overall_score == report.overall_score
    assert app.evaluation_manager.progress("bob") == []

    pdf = PdfReader(BytesIO(report_as_pdf(report, "URL shortener")))
    text = pdf.pages[0].extract_text()
    assert "URL shortener" in text and f"{points(report.overall_score)}/100" in text

    history = app.session_manager.get_conversation(session_id)
    found = search_messages(history, "DOMINATE 100:1")
    assert history[1] in found
    assert all("dominate 100:1" in m.content.lower() for m in found)
    assert search_messages(history, "kubernetes") == []
    assert search_messages(history, "") == history
    plain = to_plain_text(history)
    assert "Candidate: Users shorten links" in plain and plain.count("Interviewer:") == 2


def test_modes_are_switched_and_kept_with_the_session(app: Services) -> None:
    session_id = started(app)
    modes = app.communication

    assert modes.enable_mode(session_id, "audio")[-1] is CommunicationMode.AUDIO
    modes.disable_mode(session_id, CommunicationMode.WHITEBOARD)

    assert modes.get_enabled_modes(session_id) == [CommunicationMode.TEXT, CommunicationMode.AUDIO]
    saved = app.session_manager.get_session(session_id)
    assert saved.config.enabled_modes == [CommunicationMode.TEXT, CommunicationMode.AUDIO]
    with pytest.raises(ValidationError, match="Text stays on"):
        modes.disable_mode(session_id, "text")
    with pytest.raises(ValidationError, match="not a mode"):
        modes.enable_mode(session_id, "telepathy")


def test_a_mode_switch_does_not_undo_an_end_from_another_tab(
    app: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = started(app)
    store = app.data_store
    read = store.get_session

    def read_then_another_tab_ends(sid: str) -> Session:
        seen = read(sid)
        monkeypatch.setattr(store, "get_session", read)
        app.session_manager.end_session(sid)  # lands between this read and its write
        return seen

    monkeypatch.setattr(store, "get_session", read_then_another_tab_ends)
    app.communication.enable_mode(session_id, "audio")

    saved = store.get_session(session_id)
    assert saved.status is SessionStatus.COMPLETED and saved.ended_at is not None
    assert saved.config.enabled_modes[-1] is CommunicationMode.AUDIO


def test_mode_usage_counts_each_answer_once(app: Services) -> None:
    session_id = started(app)
    app.session_manager.submit_answer(session_id, "Reads dominate writes 100 to 1.")
    app.whiteboard.save_snapshot(session_id, png(), CANVAS)

    assert app.communication.mode_usage(session_id) == {"text": 1, "whiteboard": 1}
