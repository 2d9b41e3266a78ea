"""A process killed between the writes of one operation leaves nothing half-done: the unit of
work it was in is rolled back by the database, on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import io
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.models import CommunicationMode, SessionConfig, SessionStatus
from interview_platform.errors import NotFoundError

CHILD = Path(__file__).with_name("unit_of_work_child.py")
KILLED = -9


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'app.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def app(database_url: str, tmp_path: Path) -> Services:
    settings = Settings(_env_file=None, database_url=database_url, data_dir=tmp_path / "data")
    return bootstrap(settings, console_logs=False)


def text_only() -> SessionConfig:
    return SessionConfig([CommunicationMode.TEXT, CommunicationMode.AUDIO], "builtin", "rubric")


def kill_inside(app: Services, session_id: str, operation: str) -> None:
    settings = app.settings
    arguments = [settings.effective_database_url, str(settings.data_dir), session_id, operation]
    done = subprocess.run(
        [sys.executable, str(CHILD), *arguments], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == KILLED, done.stderr[-2000:]


def one_second_of_silence() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\0\0" * 16000)
    return buffer.getvalue()


def test_a_start_killed_between_its_writes_leaves_the_session_as_it_was(app: Services) -> None:
    manager = app.session_manager
    session = manager.create_session(text_only(), user_id="uow-kill-start")

    kill_inside(app, session.id, "start")

    after = manager.get_session(session.id)
    assert after.status is SessionStatus.CREATED
    assert after.problem is None
    assert after.started_at is None
    assert app.data_store.get_conversation_history(session.id) == []
    started = manager.start_session(session.id)
    assert started.status is SessionStatus.ACTIVE
    assert len(app.data_store.get_conversation_history(session.id)) == 1


def test_a_delete_killed_before_its_commit_keeps_the_rows_and_the_files(app: Services) -> None:
    manager = app.session_manager
    session = manager.create_session(text_only(), user_id="uow-kill-delete")
    manager.start_session(session.id)
    recording = Path(app.file_storage.save_audio(session.id, one_second_of_silence()))

    kill_inside(app, session.id, "delete")

    assert manager.get_session(session.id).status is SessionStatus.ACTIVE
    assert len(app.data_store.get_conversation_history(session.id)) == 1
    assert [m.file_type.value for m in app.data_store.list_media(session.id)] == ["audio"]
    assert recording.is_file()
    manager.delete_session(session.id)
    with pytest.raises(NotFoundError):
        manager.get_session(session.id)
    assert not recording.exists()
