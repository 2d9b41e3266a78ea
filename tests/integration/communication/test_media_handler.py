"""MediaHandler.session_media on the app's services: a user's snapshots with their files, and
nothing of another user's session."""

from __future__ import annotations

import pytest

from interview_platform.bootstrap import Services
from interview_platform.core.models import MediaType
from interview_platform.core.ownership import NOT_YOURS
from interview_platform.errors import NotFoundError
from tests.conftest import make_config
from tests.unit.storage.test_file_storage import make_png


def session_of(app: Services, user: str) -> str:
    return app.session_manager.create_session(make_config(), user).id


def test_a_sessions_media_come_with_their_files_in_order(app: Services) -> None:
    sid = session_of(app, "alice")
    first = app.file_storage.save_whiteboard(sid, make_png(4, 3))
    app.file_storage.save_screen_capture(sid, make_png(5, 3))
    second = app.file_storage.save_whiteboard(sid, make_png(6, 3))

    snapshots = app.media.session_media(app.scope("alice"), sid, MediaType.WHITEBOARD)

    assert [str(s.path) for s in snapshots] == [first, second]
    assert [s.media.file_type for s in snapshots] == [MediaType.WHITEBOARD] * 2
    assert all(s.present for s in snapshots)
    assert snapshots[1].path.read_bytes() == make_png(6, 3)
    assert len(app.media.session_media(app.scope("alice"), sid)) == 3


def test_a_file_gone_from_the_data_folder_is_listed_as_missing(app: Services) -> None:
    sid = session_of(app, "alice")
    gone = app.file_storage.save_whiteboard(sid, make_png())
    app.file_storage.save_whiteboard(sid, make_png(5, 3))
    (app.file_storage.session_dir(sid) / "whiteboard" / gone.rsplit("/", 1)[-1]).unlink()

    snapshots = app.media.session_media(app.scope("alice"), sid, MediaType.WHITEBOARD)

    assert [s.present for s in snapshots] == [False, True]


@pytest.mark.parametrize("session", ["bobs", "unknown", "../not-an-id"])
def test_another_users_or_no_session_reads_as_not_yours(app: Services, session: str) -> None:
    bobs = session_of(app, "bob")
    app.file_storage.save_whiteboard(bobs, make_png())
    sid = {"bobs": bobs, "unknown": "0" * 32}.get(session, session)

    with pytest.raises(NotFoundError, match=NOT_YOURS[:30]):
        app.media.session_media(app.scope("alice"), sid, MediaType.WHITEBOARD)
