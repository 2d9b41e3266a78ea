"""MediaHandler's screen captures and camera recorders, on an in-memory store and a temporary
data directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_platform.communication.media import CaptureTally, MediaHandler
from interview_platform.config import CommunicationSettings
from interview_platform.core.models import MediaType
from interview_platform.errors import ValidationError
from interview_platform.storage.file_storage import FileStorage, StorageLimits
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_session
from tests.unit.storage.test_file_storage import make_png


@pytest.fixture
def store() -> InMemoryDataStore:
    return InMemoryDataStore()


@pytest.fixture
def files(store: InMemoryDataStore, tmp_path: Path) -> FileStorage:
    return FileStorage(tmp_path, store, StorageLimits())


@pytest.fixture
def handler(files: FileStorage) -> MediaHandler:
    return MediaHandler(files, CommunicationSettings())


@pytest.fixture
def sid(store: InMemoryDataStore) -> str:
    session = make_session()
    store.save_session(session)
    return session.id


def names(paths: list[str | None]) -> list[str | None]:
    return [Path(path).name if path else None for path in paths]


def test_a_capture_identical_to_the_last_stored_is_skipped(
    handler: MediaHandler, store: InMemoryDataStore, sid: str
) -> None:
    tally = CaptureTally()
    first, second = make_png(8, 6), make_png(9, 6)
    stored = [
        handler.store_screen_capture(sid, png, n, tally)
        for n, png in enumerate([first, first, second, second, first], start=1)
    ]
    assert names(stored) == ["capture_001.png", None, "capture_002.png", None, "capture_003.png"]
    assert tally.saved == 3
    captures = store.list_media(sid, MediaType.SCREEN)
    assert [m.metadata for m in captures] == [
        {"source": "screen_share", "counter": n} for n in (1, 3, 5)
    ]


def test_each_tab_skips_only_its_own_last_capture(handler: MediaHandler, sid: str) -> None:
    png = make_png(8, 6)
    one, other = CaptureTally(), CaptureTally()
    stored = [handler.store_screen_capture(sid, png, 1, tally) for tally in (one, other, one)]
    assert names(stored) == ["capture_001.png", "capture_002.png", None]
    assert (one.saved, other.saved) == (1, 1)


def test_a_refused_capture_is_not_counted_and_may_come_again(
    handler: MediaHandler, sid: str
) -> None:
    tally = CaptureTally()
    with pytest.raises(ValidationError):
        handler.store_screen_capture(sid, b"not a png", 1, tally)
    assert tally == CaptureTally()
    png = make_png()
    assert handler.store_screen_capture(sid, png, 2, tally) is not None
    assert tally.last_sha256 is not None and tally.saved == 1


def test_each_recorder_is_its_own_and_stores_nothing_before_a_frame(
    handler: MediaHandler, files: FileStorage, store: InMemoryDataStore, sid: str
) -> None:
    one, other = handler.video_recorder(sid), handler.video_recorder(sid)
    assert one is not other
    one.recorder_factory()  # what streamlit-webrtc calls once the camera connects
    video = files.session_dir(sid) / "video"
    assert len(list(video.iterdir())) == 1, "it records into the session's video folder"
    assert one.pending and not other.pending
    assert one.finish() is None  # no frame came: the empty file is removed, no row written
    assert list(video.iterdir()) == []
    assert store.list_media(sid) == []
