"""UserScope on every store: Alice reaches her own sessions, evaluations and files, and none
of Bob's, whether by session id, media row or file name."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.config import Settings
from interview_platform.core.models import MediaType
from interview_platform.core.ownership import NOT_YOURS, UserScope
from interview_platform.core.ports.data_store import DataStore
from interview_platform.errors import NotFoundError, ValidationError
from tests.conftest import make_config


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def app(store: DataStore, tmp_path: Path) -> Iterator[Services]:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", log_to_file=False)
    services = bootstrap(settings, data_store=store, migrate=False, console_logs=False)
    yield services
    services.work_queue.shutdown(30)


def finished_interview(app: Services, user: str) -> str:
    """An ended, evaluated session of `user` with one answer and one whiteboard snapshot."""
    sessions = app.session_manager
    session = sessions.create_session(make_config(), user)
    sessions.start_session(session.id)
    sessions.submit_answer(session.id, "We shard the URL table by a hash of the short code.")
    app.file_storage.save_whiteboard(session.id, png())
    sessions.end_session(session.id)
    sessions.evaluate_session(session.id)
    return session.id


def scope_of(app: Services, user: str) -> UserScope:
    return UserScope(
        user, app.session_manager, app.evaluation_manager, app.data_store, app.file_storage
    )


def test_a_user_reaches_everything_of_their_own(app: Services) -> None:
    mine = finished_interview(app, "alice")
    alice = scope_of(app, "alice")
    assert alice.session(mine).user_id == "alice"
    assert len(alice.conversation(mine)) >= 2
    assert alice.evaluation(mine) is not None
    [snapshot] = alice.media(mine, MediaType.WHITEBOARD)
    assert alice.media_path(snapshot, mine).is_file()
    name = Path(snapshot.file_path).name
    assert alice.media_file(mine, MediaType.WHITEBOARD, name).read_bytes() == png()
    alice.delete(mine)
    with pytest.raises(NotFoundError, match="not one of yours"):
        alice.session(mine)


def test_nothing_of_another_user_is_reached_or_changed(app: Services) -> None:
    bobs = finished_interview(app, "bob")
    [snapshot] = app.data_store.list_media(bobs, MediaType.WHITEBOARD)
    name = Path(snapshot.file_path).name
    alice = scope_of(app, "alice")
    attempts: dict[str, Callable[[], Any]] = {
        "session": lambda: alice.session(bobs),
        "conversation": lambda: alice.conversation(bobs),
        "evaluation": lambda: alice.evaluation(bobs),
        "evaluate": lambda: alice.evaluate(bobs),
        "end": lambda: alice.end(bobs),
        "media": lambda: alice.media(bobs),
        "media_path": lambda: alice.media_path(snapshot, bobs),
        "media_file": lambda: alice.media_file(bobs, MediaType.WHITEBOARD, name),
        "delete": lambda: alice.delete(bobs),
    }
    for what, attempt in attempts.items():
        with pytest.raises(NotFoundError) as refused:
            attempt()
        assert str(refused.value) == NOT_YOURS, what
    assert app.session_manager.get_session(bobs).user_id == "bob"  # still there, unchanged
    assert app.file_storage.resolve(snapshot).read_bytes() == png()
    assert app.evaluation_manager.get_evaluation(bobs) is not None


def test_a_media_row_of_another_session_is_refused_through_ones_own(app: Services) -> None:
    """Alice names her own session but hands in the media row of Bob's snapshot."""
    mine = finished_interview(app, "alice")
    bobs = finished_interview(app, "bob")
    [bobs_snapshot] = app.data_store.list_media(bobs, MediaType.WHITEBOARD)
    with pytest.raises(NotFoundError):
        scope_of(app, "alice").media_path(bobs_snapshot, mine)


def test_file_names_cannot_leave_ones_own_folder(app: Services) -> None:
    mine = finished_interview(app, "alice")
    alice = scope_of(app, "alice")
    for name in ("../../x/whiteboard/snapshot_001.png", "/etc/passwd", "..", "snapshot_999.png"):
        with pytest.raises(ValidationError):  # a malformed name, or NotFoundError
            alice.media_file(mine, MediaType.WHITEBOARD, name)


@pytest.mark.parametrize(
    "session_id", ["", "not-a-uuid", "../../etc/passwd", "00000000-0000-0000-0000-000000000000"]
)
def test_missing_and_malformed_ids_read_like_another_users(app: Services, session_id: str) -> None:
    with pytest.raises(NotFoundError) as refused:
        scope_of(app, "alice").session(session_id)
    assert str(refused.value) == NOT_YOURS
