"""FileStorage with real PNG, WAV and MP4-like bytes, on a temporary data dir."""

from __future__ import annotations

import io
import struct
import threading
import uuid
import wave
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from interview_platform.core.models import MediaFile, MediaType
from interview_platform.core.ports.files import MB
from interview_platform.errors import DataStoreError, NotFoundError, ValidationError
from interview_platform.storage.file_storage import FileStorage, StorageLimits
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_session


def make_png(width: int = 4, height: int = 3) -> bytes:
    """A valid RGB PNG; stored uncompressed so its size grows with the pixel count."""

    def chunk(tag: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(tag + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", crc)

    rows = b"".join(
        b"\x00" + b"".join(bytes((x % 256, y % 256, (x + y) % 256)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 0))
        + chunk(b"IEND", b"")
    )


def make_bomb_png(width: int, height: int) -> bytes:
    """A valid 1-bit grayscale PNG of `width` x `height` white pixels: a few kilobytes that
    decode to width x height bytes."""
    packer = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()

    def chunk(tag: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(tag + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def make_wav(frames: int = 8000, level: int = 0) -> bytes:
    """16 kHz mono 16-bit PCM; `level` makes each recording's samples distinct."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16000)
        writer.writeframes(struct.pack("<h", level) * frames)
    return buffer.getvalue()


def make_mp4(size: int = 64) -> bytes:
    """An ISO BMFF file of `size` bytes (at least 40): ftyp, an empty moov, and an mdat of
    zeros; FileStorage checks the magic bytes and that the boxes end with the file."""
    header = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + struct.pack(">I4s", 8, b"moov")
    body = max(0, size - len(header) - 8)
    return header + struct.pack(">I4s", 8 + body, b"mdat") + b"\x00" * body


WAV_HEADER = len(make_wav(0))
SMALL = StorageLimits(audio_max_bytes=1 * MB, video_max_bytes=2 * MB, session_max_bytes=3 * MB)


class FailingStore(InMemoryDataStore):
    def save_media_reference(self, session_id: str, media: MediaFile) -> None:
        raise DataStoreError("database is down")


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
    return FileStorage(tmp_path, store, StorageLimits())


def _all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_names_are_sequential_per_type_and_land_in_their_folders(
    files: FileStorage, sid: str, tmp_path: Path
) -> None:
    saved = [
        files.save_audio(sid, make_wav()),
        files.save_audio(sid, make_wav()),
        files.save_whiteboard(sid, make_png()),
        files.save_screen_capture(sid, make_png()),
        files.save_video(sid, make_mp4()),
        files.save_video(sid, make_mp4()),
    ]
    names = "audio/recording_001.wav audio/recording_002.wav whiteboard/snapshot_001.png "
    names += "screen/capture_001.png video/interview.mp4 video/interview_002.mp4"
    assert saved == [str(tmp_path / "sessions" / sid / name) for name in names.split()]
    assert _all_files(tmp_path) == sorted(str(Path(p).relative_to(tmp_path)) for p in saved)
    assert not list(tmp_path.rglob(".incoming-*.part"))


def test_each_file_gets_a_row_relative_to_the_data_dir(
    files: FileStorage, store: InMemoryDataStore, sid: str, tmp_path: Path
) -> None:
    wav, png = make_wav(16000, level=7), make_png(10, 10)
    files.save_audio(sid, wav, {"duration_seconds": 1.0, "question": 2})
    files.save_whiteboard(sid, png)
    audio, whiteboard = store.list_media(sid)
    assert audio.file_path == f"sessions/{sid}/audio/recording_001.wav"
    assert (audio.file_type, audio.file_size_bytes) == (MediaType.AUDIO, len(wav))
    assert audio.metadata == {"duration_seconds": 1.0, "question": 2}
    assert (whiteboard.file_type, whiteboard.file_size_bytes) == (MediaType.WHITEBOARD, len(png))
    assert whiteboard.metadata == {}
    assert files.resolve(audio) == (tmp_path / audio.file_path).resolve()
    assert files.resolve(whiteboard).read_bytes() == png
    with wave.open(str(files.resolve(audio)), "rb") as reader:
        shape = (reader.getframerate(), reader.getnchannels(), reader.getnframes())
    assert shape == (16000, 1, 16000)


def test_upper_case_session_ids_use_the_canonical_folder(
    files: FileStorage, store: InMemoryDataStore, sid: str, tmp_path: Path
) -> None:
    path = files.save_audio(sid.upper(), make_wav())
    assert path == str(tmp_path / "sessions" / sid / "audio" / "recording_001.wav")
    assert len(store.list_media(sid)) == 1


@pytest.mark.parametrize(
    ("method", "data"),
    [
        ("save_audio", make_png()),
        ("save_audio", b""),
        ("save_audio", b"RIFF\x00\x00\x00\x00AVI "),
        ("save_video", make_wav()),
        ("save_whiteboard", make_mp4()),
        ("save_screen_capture", b"\x89PNG"),
        ("save_video", make_mp4(1000)[:900]),
    ],
)
def test_wrong_or_empty_content_is_refused_and_nothing_is_written(
    files: FileStorage, store: InMemoryDataStore, sid: str, tmp_path: Path, method: str, data: bytes
) -> None:
    with pytest.raises(ValidationError, match="nothing was saved"):
        getattr(files, method)(sid, data)
    assert _all_files(tmp_path) == []
    assert store.list_media(sid) == []


@pytest.mark.parametrize("method", ["save_whiteboard", "save_screen_capture"])
@pytest.mark.parametrize(
    ("width", "height"), [(20_000, 20_000), (8_193, 10), (10, 8_193), (7_000, 7_000)]
)
def test_a_picture_larger_than_a_screen_is_refused_unread(
    files: FileStorage,
    store: InMemoryDataStore,
    sid: str,
    tmp_path: Path,
    method: str,
    width: int,
    height: int,
) -> None:
    bomb = make_bomb_png(width, height)
    assert len(bomb) < MB  # small on disk, huge once decoded
    with pytest.raises(ValidationError, match=rf"{width:,} x {height:,} pixels.*Nothing was saved"):
        getattr(files, method)(sid, bomb)
    assert _all_files(tmp_path) == []
    assert store.list_media(sid) == []


@pytest.mark.parametrize("method", ["save_whiteboard", "save_screen_capture"])
def test_a_picture_as_large_as_a_4k_screen_is_kept(
    files: FileStorage, sid: str, method: str
) -> None:
    assert Path(getattr(files, method)(sid, make_bomb_png(3840, 2160))).is_file()


def test_audio_and_video_limits(tmp_path: Path, store: InMemoryDataStore, sid: str) -> None:
    files = FileStorage(tmp_path, store, SMALL)
    at_limit = make_wav((MB - WAV_HEADER) // 2)
    assert len(at_limit) == MB
    files.save_audio(sid, at_limit)
    with pytest.raises(ValidationError, match=r"1\.0 MB; the limit is 1 MB"):
        files.save_audio(sid, at_limit + b"\x00")
    with pytest.raises(ValidationError, match=r"2\.5 MB; the limit is 2 MB"):
        files.save_video(sid, make_mp4(5 * MB // 2))
    assert _all_files(tmp_path) == [f"sessions/{sid}/audio/recording_001.wav"]
    assert len(store.list_media(sid)) == 1


def test_session_limit_counts_earlier_files(
    tmp_path: Path, store: InMemoryDataStore, sid: str
) -> None:
    files = FileStorage(tmp_path, store, SMALL)
    files.save_audio(sid, make_wav(450 * 1024))  # ~0.9 MB
    files.save_video(sid, make_mp4(19 * MB // 10))
    big_png = make_png(512, 342)  # ~0.5 MB, fits on its own
    assert 0.4 * MB < len(big_png) < 0.6 * MB
    before = _all_files(tmp_path)
    with pytest.raises(ValidationError, match=r"already holds 2\.8 MB .* limit is 3 MB"):
        files.save_whiteboard(sid, big_png)
    assert _all_files(tmp_path) == before
    assert [m.file_type for m in store.list_media(sid)] == [MediaType.AUDIO, MediaType.VIDEO]
    other = make_session()
    store.save_session(other)
    files.save_whiteboard(other.id, big_png)  # the limit is per session


@pytest.mark.parametrize(
    "bad_id",
    ["../x", "..", "/etc", "", "not-a-uuid", f"{uuid.uuid4()}/../", f"../{uuid.uuid4()}"],
)
def test_session_ids_must_be_uuids(files: FileStorage, tmp_path: Path, bad_id: str) -> None:
    with pytest.raises(ValidationError, match="not a session id"):
        files.save_audio(bad_id, make_wav())
    with pytest.raises(ValidationError, match="not a session id"):
        files.get_file_path(bad_id, "audio", "recording_001.wav")
    with pytest.raises(ValidationError, match="not a session id"):
        files.cleanup_session(bad_id)
    assert _all_files(tmp_path) == []


@pytest.mark.parametrize(
    ("file_type", "name"),
    [
        ("audio", "../../../secret.wav"),
        ("audio", "../../etc/passwd"),
        ("audio", "recording_001.wav/../x"),
        ("audio", "recording_001.wav\n"),
        ("audio", "/etc/passwd"),
        ("audio", "snapshot_001.png"),
        ("whiteboard", "recording_001.wav"),
        ("video", "interview.mp4.exe"),
    ],
)
def test_get_file_path_refuses_names_it_would_not_create(
    files: FileStorage, sid: str, tmp_path: Path, file_type: str, name: str
) -> None:
    files.save_audio(sid, make_wav())
    (tmp_path / "secret.wav").write_bytes(make_wav())  # what the first traversal would reach
    with pytest.raises(ValidationError, match="file name") as refused:
        files.get_file_path(sid, file_type, name)
    assert not isinstance(refused.value, NotFoundError)


def test_get_file_path_unknown_type_missing_file_and_real_file(
    files: FileStorage, sid: str, tmp_path: Path
) -> None:
    files.save_audio(sid, make_wav())
    with pytest.raises(ValidationError, match="Unknown media type 'documents'"):
        files.get_file_path(sid, "documents", "recording_001.wav")
    with pytest.raises(NotFoundError, match=r"recording_002\.wav does not exist"):
        files.get_file_path(sid, "audio", "recording_002.wav")
    with pytest.raises(NotFoundError):
        files.get_file_path(str(uuid.uuid4()), "audio", "recording_001.wav")
    found = files.get_file_path(sid, "audio", "recording_001.wav")
    assert Path(found).is_absolute()
    assert found == str((tmp_path / "sessions" / sid / "audio" / "recording_001.wav").resolve())


def test_file_is_removed_when_its_row_cannot_be_saved(tmp_path: Path) -> None:
    store = FailingStore()
    session = make_session()
    store.save_session(session)
    files = FileStorage(tmp_path, store, StorageLimits())
    with pytest.raises(DataStoreError, match="database is down"):
        files.save_audio(session.id, make_wav())
    with pytest.raises(NotFoundError):  # a session the store does not know: the row fails too
        FileStorage(tmp_path, InMemoryDataStore(), StorageLimits()).save_audio(
            session.id, make_wav()
        )
    assert _all_files(tmp_path) == []
    assert store.list_media(session.id) == []


def test_cleanup_session_deletes_the_folder_and_reports_bytes_freed(
    files: FileStorage, store: InMemoryDataStore, sid: str, tmp_path: Path
) -> None:
    wav, png, mp4 = make_wav(), make_png(), make_mp4(1000)
    files.save_audio(sid, wav)
    files.save_screen_capture(sid, png)
    files.save_video(sid, mp4)
    other = make_session()
    store.save_session(other)
    kept = files.save_audio(other.id, wav)
    assert files.session_size_bytes(sid) == len(wav) + len(png) + len(mp4)
    assert files.cleanup_session(sid) == len(wav) + len(png) + len(mp4)
    assert not (tmp_path / "sessions" / sid).exists()
    assert Path(kept).read_bytes() == wav
    assert files.cleanup_session(sid) == 0
    assert files.cleanup_session(str(uuid.uuid4())) == 0


def test_concurrent_saves_get_distinct_sequential_files(
    files: FileStorage, store: InMemoryDataStore, sid: str, tmp_path: Path
) -> None:
    recordings = [make_wav(4000, level=i + 1) for i in range(8)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        paths = list(pool.map(lambda data: files.save_audio(sid, data), recordings))
    assert sorted(Path(p).name for p in paths) == [f"recording_{n:03d}.wav" for n in range(1, 9)]
    for path, data in zip(paths, recordings, strict=True):
        assert Path(path).read_bytes() == data
    rows = store.list_media(sid)
    assert sorted(m.file_path for m in rows) == sorted(
        str(Path(p).relative_to(tmp_path)) for p in paths
    )
    assert not list(tmp_path.rglob(".incoming-*.part"))


def test_concurrent_saves_cannot_overshoot_the_session_limit(
    tmp_path: Path, store: InMemoryDataStore, sid: str
) -> None:
    files = FileStorage(tmp_path, store, StorageLimits(session_max_bytes=1 * MB))
    recording = make_wav(100 * 1024)  # five fit in 1 MB, six do not
    barrier = threading.Barrier(8)

    def save(_: int) -> bool:
        barrier.wait()  # all eight check the limit at the same moment
        try:
            files.save_audio(sid, recording)
        except ValidationError:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(save, range(8)))
    assert outcomes.count(True) == 5
    assert files.session_size_bytes(sid) == 5 * len(recording) <= MB
    assert len(store.list_media(sid)) == 5


WRAPPED_UUIDS = st.builds(
    lambda before, value, after: f"{before}{value}{after}",
    st.sampled_from(["", "../", "/", "{", "urn:uuid:", "..\\", " "]),
    st.uuids(),
    st.sampled_from(["", "/../", "}", "/..", "\x00", "/etc/passwd", "\n"]),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(session_id=st.one_of(st.text(), WRAPPED_UUIDS))
def test_random_session_ids_never_escape_the_sessions_folder(
    tmp_path: Path, session_id: str
) -> None:
    files = FileStorage(tmp_path, InMemoryDataStore(), StorageLimits())
    root = (tmp_path / "sessions").resolve()
    try:
        folder = files.session_dir(session_id)
    except ValidationError:
        return
    assert folder.resolve().parent == root
    assert uuid.UUID(folder.name).hex == folder.name.replace("-", "")
