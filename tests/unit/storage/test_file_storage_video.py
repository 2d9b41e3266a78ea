"""FileStorage's recordings: a hidden file in the video folder, adopted when it ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_platform.core.models import MediaType
from interview_platform.core.ports.files import MB
from interview_platform.errors import DataStoreError, NotFoundError, ValidationError
from interview_platform.storage.file_storage import FileStorage, StorageLimits
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_session
from tests.unit.storage.test_file_storage import FailingStore, make_mp4, make_png

SMALL = StorageLimits(audio_max_bytes=1 * MB, video_max_bytes=2 * MB, session_max_bytes=3 * MB)


@pytest.fixture
def store() -> InMemoryDataStore:
    return InMemoryDataStore()


@pytest.fixture
def sid(store: InMemoryDataStore) -> str:
    session = make_session()
    store.save_session(session)
    return session.id


@pytest.fixture
def files(tmp_path: Path, store: InMemoryDataStore) -> FileStorage:
    return FileStorage(tmp_path, store, SMALL)


def _record(files: FileStorage, sid: str, data: bytes) -> Path:
    path = files.video_recording_path(sid)
    path.write_bytes(data)
    return path


def _all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_recording_path_is_a_new_hidden_file_in_the_video_folder(
    files: FileStorage, sid: str, tmp_path: Path
) -> None:
    first, second = files.video_recording_path(sid), files.video_recording_path(sid)
    assert first != second
    for path in (first, second):
        assert path.parent == tmp_path / "sessions" / sid / "video"
        assert path.name.startswith(".recording-") and path.suffix == ".mp4"
        assert path.read_bytes() == b""


def test_adopted_recordings_are_named_like_saved_videos_and_get_their_rows(
    files: FileStorage, store: InMemoryDataStore, sid: str, tmp_path: Path
) -> None:
    first = files.adopt_video(sid, _record(files, sid, make_mp4(1000)), {"codec": "h264"})
    saved = files.save_video(sid, make_mp4(100))
    third = files.adopt_video(sid, _record(files, sid, make_mp4(3000)))
    folder = tmp_path / "sessions" / sid / "video"
    assert [first, saved, third] == [
        str(folder / name) for name in ("interview.mp4", "interview_002.mp4", "interview_003.mp4")
    ]
    assert _all_files(folder) == ["interview.mp4", "interview_002.mp4", "interview_003.mp4"]
    rows = store.list_media(sid)
    assert [(m.file_type, m.file_size_bytes) for m in rows] == [
        (MediaType.VIDEO, 1000),
        (MediaType.VIDEO, 100),
        (MediaType.VIDEO, 3000),
    ]
    assert rows[0].file_path == f"sessions/{sid}/video/interview.mp4"
    assert rows[0].metadata == {"codec": "h264"}
    assert files.resolve(rows[2]).read_bytes() == make_mp4(3000)


def test_an_existing_interview_mp4_is_never_replaced(
    files: FileStorage, sid: str, tmp_path: Path
) -> None:
    folder = tmp_path / "sessions" / sid / "video"
    folder.mkdir(parents=True)
    (folder / "interview.mp4").write_bytes(b"an earlier recording")
    path = files.adopt_video(sid, _record(files, sid, make_mp4()))
    assert Path(path).name == "interview_002.mp4"
    assert (folder / "interview.mp4").read_bytes() == b"an earlier recording"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (make_png(), "not an MP4"),
        (make_mp4(2 * MB + 1), r"2\.0 MB; the limit is 2 MB"),
        (make_mp4(1000)[:700], "incomplete"),  # cut inside its last box, e.g. a full disk
        (make_mp4(1000)[:24], "incomplete"),  # no moov box
        (make_mp4(1000) + b"\x00\x00", "incomplete"),
    ],
)
def test_a_refused_recording_is_deleted_and_leaves_no_row(
    files: FileStorage,
    store: InMemoryDataStore,
    sid: str,
    tmp_path: Path,
    data: bytes,
    message: str,
) -> None:
    path = _record(files, sid, data)
    with pytest.raises(ValidationError, match=message):
        files.adopt_video(sid, path)
    assert _all_files(tmp_path) == []
    assert store.list_media(sid) == []


def test_the_session_limit_counts_other_files_but_not_the_recording_twice(
    files: FileStorage, store: InMemoryDataStore, sid: str
) -> None:
    files.save_whiteboard(sid, make_png(512, 600))  # ~0.9 MB
    fits = _record(files, sid, make_mp4(19 * MB // 10))
    assert files.recording_budget_bytes(sid, fits) == 2 * MB  # the video limit is smaller
    files.adopt_video(sid, fits)
    too_much = _record(files, sid, make_mp4(MB // 2))
    assert 0 < files.recording_budget_bytes(sid, too_much) < MB // 4
    with pytest.raises(ValidationError, match=r"other media 2\.8 MB; the session's limit is 3 MB"):
        files.adopt_video(sid, too_much)
    assert not too_much.exists()
    assert [m.file_type for m in store.list_media(sid)] == [MediaType.WHITEBOARD, MediaType.VIDEO]


def test_a_video_alone_over_the_session_limit_says_its_own_size(
    tmp_path: Path, store: InMemoryDataStore, sid: str
) -> None:
    """Not "This session already holds 0.0 MB of media": the video is what is too big."""
    files = FileStorage(
        tmp_path, store, StorageLimits(video_max_bytes=3 * MB, session_max_bytes=2 * MB)
    )
    path = _record(files, sid, make_mp4(2 * MB + 200_000))
    with pytest.raises(ValidationError) as refused:
        files.adopt_video(sid, path)
    assert str(refused.value) == (
        "The video is 2.2 MB; the session's limit is 2 MB, so the video was not saved."
    )


def test_when_the_row_fails_the_adopted_file_is_removed(tmp_path: Path, sid: str) -> None:
    files = FileStorage(tmp_path, FailingStore(), SMALL)
    path = _record(files, sid, make_mp4())
    with pytest.raises(DataStoreError):
        files.adopt_video(sid, path)
    assert _all_files(tmp_path) == []


@pytest.mark.parametrize(
    "where",
    ["elsewhere", "other session", "visible name", "audio folder"],
)
def test_only_this_sessions_recordings_can_be_adopted(
    files: FileStorage, store: InMemoryDataStore, sid: str, tmp_path: Path, where: str
) -> None:
    other = make_session()
    store.save_session(other)
    own = files.video_recording_path(sid)
    path = {
        "elsewhere": tmp_path / ".recording-abc.mp4",
        "other session": files.video_recording_path(other.id),
        "visible name": own.with_name("interview.mp4"),
        "audio folder": own.parent.parent / "audio" / own.name,
    }[where]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(make_mp4())
    with pytest.raises(ValidationError, match="is not a video recording of session"):
        files.adopt_video(sid, path)
    with pytest.raises(ValidationError, match="is not a video recording of session"):
        files.discard_recording(sid, path)
    assert path.read_bytes() == make_mp4()
    assert store.list_media(sid) == []


def test_a_missing_recording_is_not_found(files: FileStorage, sid: str) -> None:
    path = files.video_recording_path(sid)
    path.unlink()
    with pytest.raises(NotFoundError, match="does not exist"):
        files.adopt_video(sid, path)


def test_a_discarded_recording_is_gone(files: FileStorage, sid: str, tmp_path: Path) -> None:
    path = _record(files, sid, make_mp4())
    files.discard_recording(sid, path)
    files.discard_recording(sid, path)  # twice is harmless
    assert _all_files(tmp_path) == []


def test_recordings_need_a_session_id(files: FileStorage, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="not a session id"):
        files.video_recording_path("../x")
    assert _all_files(tmp_path) == []
