"""Real H.264 MP4s: written by PyAV and by aiortc's MediaRecorder from synthetic frames, then
read back with PyAV and stored through FileStorage.

The recorder runs as streamlit-webrtc runs it: on an asyncio loop in another thread, fed by a
WebRTC-style track (90 kHz timestamps), while `finish` is called from the script's thread.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

from interview_platform.communication.video import RGBFrame, VideoRecorder, write_h264_mp4
from interview_platform.config import CommunicationSettings
from interview_platform.core.models import MediaType
from interview_platform.core.ports.files import MB
from interview_platform.storage.file_storage import FileStorage, StorageLimits
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_session

FPS = 30
RTP_START = 1_234_567  # a WebRTC track's first timestamp is not zero
WIDTH, HEIGHT = 320, 240


def gradient(index: int, width: int = WIDTH, height: int = HEIGHT) -> RGBFrame:
    image = np.zeros((height, width, 3), dtype=np.uint8)
    image[:, :, 0] = np.linspace(0, 255, width, dtype=np.uint8)
    image[:, :, 1] = (index * 8) % 256
    return image


def noise(index: int) -> RGBFrame:
    return np.random.default_rng(index).integers(0, 256, (HEIGHT, WIDTH, 3), dtype=np.uint8)


class CameraTrack(MediaStreamTrack):
    """A camera as aiortc hands it over: `frames` frames with 90 kHz timestamps, then ended.
    `now` is a clock that moves with the frames, `seconds_per_frame` at a time."""

    kind = "video"

    def __init__(
        self,
        frames: int,
        pattern: Callable[[int], RGBFrame] = gradient,
        seconds_per_frame: float = 1 / FPS,
        capture_times: list[float] | None = None,
    ) -> None:
        """`capture_times` (seconds) time the frames instead of `seconds_per_frame`."""
        super().__init__()
        self.sent = 0
        self._frames = frames
        self._pattern = pattern
        self._step = seconds_per_frame
        self._times = capture_times

    def now(self) -> float:
        return self.sent * self._step

    async def recv(self) -> av.VideoFrame:
        if self.sent >= self._frames or self.readyState != "live":
            raise MediaStreamError
        frame = av.VideoFrame.from_ndarray(self._pattern(self.sent), format="rgb24")
        seconds = self._times[self.sent] if self._times else self.sent / FPS
        frame.pts = round(seconds * 90_000) + RTP_START
        frame.time_base = Fraction(1, 90_000)
        self.sent += 1
        await asyncio.sleep(0)
        return frame


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    """streamlit-webrtc's event loop: in a thread of its own."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    loop.close()


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


def read_video(path: Path | str) -> tuple[str, str, int, float, tuple[int, int]]:
    """codec, pixel format, decoded frames, duration in seconds, (width, height)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        assert container.duration is not None
        return (
            stream.codec_context.name,
            frames[0].format.name,
            len(frames),
            container.duration / av.time_base,
            (frames[0].width, frames[0].height),
        )


def record(
    loop: asyncio.AbstractEventLoop, recorder: VideoRecorder, track: CameraTrack
) -> threading.Event:
    """Do what streamlit-webrtc does once the camera is connected; returns the recorder's
    closed flag."""
    media_recorder = recorder.recorder_factory()

    async def connect() -> None:
        media_recorder.addTrack(track)
        await media_recorder.start()

    asyncio.run_coroutine_threadsafe(connect(), loop).result(timeout=10)
    closed: threading.Event = media_recorder.closed  # type: ignore[attr-defined]
    return closed


def wait_for(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = threading.Event()
    for _ in range(int(timeout * 20)):
        if condition():
            return
        deadline.wait(0.05)  # the recorder encodes on its own thread
    raise AssertionError("timed out")


def test_two_seconds_of_frames_make_an_h264_mp4_pyav_can_read(
    files: FileStorage, store: InMemoryDataStore, sid: str, tmp_path: Path
) -> None:
    written = write_h264_mp4((gradient(i) for i in range(2 * FPS)), tmp_path / "two.mp4", FPS)
    assert written == 60
    assert read_video(tmp_path / "two.mp4") == ("h264", "yuv420p", 60, 2.0, (WIDTH, HEIGHT))
    with av.open(str(tmp_path / "two.mp4")) as container:
        assert container.streams.video[0].frames == 60
        assert container.streams.video[0].average_rate == FPS

    recording = files.video_recording_path(sid)
    write_h264_mp4((gradient(i) for i in range(2 * FPS)), recording, FPS)
    stored = files.adopt_video(sid, recording, {"seconds": 2})
    assert stored == str(tmp_path / "sessions" / sid / "video" / "interview.mp4")
    assert read_video(stored)[:3] == ("h264", "yuv420p", 60)
    (row,) = store.list_media(sid)
    assert (row.file_type, row.file_size_bytes) == (MediaType.VIDEO, Path(stored).stat().st_size)


def test_the_camera_recorder_writes_h264_and_finish_stores_it(
    loop: asyncio.AbstractEventLoop,
    files: FileStorage,
    store: InMemoryDataStore,
    sid: str,
    tmp_path: Path,
) -> None:
    recorder = VideoRecorder(files, sid, CommunicationSettings())
    track = CameraTrack(2 * FPS)
    record(loop, recorder, track)
    wait_for(lambda: track.sent == 2 * FPS)
    assert recorder.pending

    stored = recorder.finish()  # stops the recorder on its loop, then adopts the file

    assert stored == str(tmp_path / "sessions" / sid / "video" / "interview.mp4")
    assert read_video(stored) == ("h264", "yuv420p", 60, 2.0, (WIDTH, HEIGHT))
    assert not recorder.pending and recorder.stop_reason is None
    (row,) = store.list_media(sid)
    assert row.metadata == {"codec": "h264", "source": "camera"}
    assert [p.name for p in (tmp_path / "sessions" / sid / "video").iterdir()] == ["interview.mp4"]
    assert recorder.finish() is None  # nothing left to store


def jittery_camera(seconds: int, fps: int) -> list[float]:
    """Capture times of a real camera at `fps`: a few milliseconds late or early, and now and
    then two frames closer together than a 30th of a second."""
    jitter = np.random.default_rng(11).normal(0, 0.006, seconds * fps)
    times = [index / fps + float(late) for index, late in enumerate(jitter)]
    return sorted(times)


@pytest.mark.parametrize("fps", [30, 20, 15])
def test_a_camera_with_jittery_timestamps_is_recorded_for_its_whole_time(
    loop: asyncio.AbstractEventLoop, files: FileStorage, sid: str, fps: int
) -> None:
    """aiortc encodes at 1/30 s: two frames in one 30th used to get the same timestamp, the
    MP4 muxer refused the second, and the recording ended there without a word."""
    times = jittery_camera(6, fps)
    recorder = VideoRecorder(files, sid, CommunicationSettings())
    track = CameraTrack(len(times), capture_times=times)
    closed = record(loop, recorder, track)
    wait_for(lambda: track.sent == len(times) or closed.is_set())

    stored = recorder.finish()

    assert stored is not None and recorder.stop_reason is None
    _, _, frames, duration, _ = read_video(stored)
    assert frames == len(times)
    assert duration == pytest.approx(6.0, abs=0.1)


class BrokenCamera(CameraTrack):
    """Sends a sound frame, which no video encoder takes, after `good` good frames."""

    def __init__(self, good: int) -> None:
        super().__init__(10_000)
        self._good = good

    async def recv(self) -> av.VideoFrame | av.AudioFrame:  # type: ignore[override]
        if self.sent < self._good:
            return await super().recv()
        self.sent += 1
        sound = av.AudioFrame(format="s16", layout="mono", samples=160)
        sound.pts, sound.time_base = 0, Fraction(1, 8000)
        return sound


def test_a_recording_that_fails_ends_says_why_and_keeps_what_was_recorded(
    loop: asyncio.AbstractEventLoop, files: FileStorage, sid: str
) -> None:
    recorder = VideoRecorder(files, sid, CommunicationSettings())
    track = BrokenCamera(good=FPS)
    closed = record(loop, recorder, track)

    assert closed.wait(timeout=20)  # the recorder closed its file by itself
    assert (recorder.stop_reason or "").startswith(
        "Video recording stopped: the video could not be encoded ("
    )
    assert track.readyState == "ended"  # no frame queues up for a recorder that is gone
    stored = recorder.finish()
    assert stored is not None and read_video(stored)[2] == FPS


def test_a_second_recording_gets_the_next_name(
    loop: asyncio.AbstractEventLoop, files: FileStorage, sid: str
) -> None:
    recorder = VideoRecorder(files, sid, CommunicationSettings())
    names = []
    for _ in range(2):
        track = CameraTrack(FPS // 2)
        record(loop, recorder, track)
        wait_for(lambda: track.sent == FPS // 2)  # noqa: B023 (called in this iteration)
        names.append(Path(recorder.finish() or "").name)
    assert names == ["interview.mp4", "interview_002.mp4"]


def test_recording_stops_at_the_time_limit_with_a_message(
    loop: asyncio.AbstractEventLoop, files: FileStorage, sid: str
) -> None:
    track = CameraTrack(10_000, seconds_per_frame=2.0)  # each frame moves the clock 2 s
    settings = CommunicationSettings(video_max_minutes=1)
    recorder = VideoRecorder(files, sid, settings, clock=track.now)
    closed = record(loop, recorder, track)

    assert closed.wait(timeout=20)  # the recorder closed its file by itself
    assert recorder.stop_reason == (
        "Video recording stopped: the 1-minute limit was reached. The interview goes on."
    )
    assert track.sent == 31  # the clock starts at the 1st frame; the 31st is at 60 s
    # The recorder ends its subscription (with streamlit-webrtc, a relay's), so nothing keeps
    # queueing frames for it; the camera itself stays on in the browser.
    assert track.readyState == "ended"
    stored = recorder.finish()
    assert stored is not None
    codec, _, frames, duration, _ = read_video(stored)
    assert (codec, frames) == ("h264", 30)
    assert duration == pytest.approx(1.0)  # 30 frames at their real 30 fps timestamps


def test_recording_stops_before_the_size_limit(
    loop: asyncio.AbstractEventLoop, store: InMemoryDataStore, sid: str, tmp_path: Path
) -> None:
    limits = StorageLimits(video_max_bytes=3 * MB, session_max_bytes=100 * MB)
    files = FileStorage(tmp_path, store, limits)
    track = CameraTrack(10_000, pattern=noise, seconds_per_frame=0.5)  # noise hardly compresses
    recorder = VideoRecorder(
        files, sid, CommunicationSettings(), clock=track.now, size_margin_bytes=2 * MB
    )
    closed = record(loop, recorder, track)

    assert closed.wait(timeout=60)
    assert recorder.stop_reason == (
        "Video recording stopped: the 3 MB storage limit was reached. The interview goes on."
    )
    stored = recorder.finish()
    assert stored is not None
    assert 1 * MB <= Path(stored).stat().st_size <= 3 * MB
    assert read_video(stored)[0] == "h264"


def test_a_camera_that_never_sends_a_frame_leaves_nothing(
    loop: asyncio.AbstractEventLoop,
    files: FileStorage,
    store: InMemoryDataStore,
    sid: str,
    tmp_path: Path,
) -> None:
    recorder = VideoRecorder(files, sid, CommunicationSettings())
    recorder.recorder_factory()  # the offer arrived, then the camera failed
    assert recorder.finish(timeout_seconds=1) is None
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
    assert store.list_media(sid) == []


def noise_recorded(loop: asyncio.AbstractEventLoop, files: FileStorage, sid: str) -> VideoRecorder:
    """8 s of camera noise recorded to the end, its size never looked at while recording (the
    clock stands still); not finished yet."""
    recorder = VideoRecorder(files, sid, CommunicationSettings(), clock=lambda: 0.0)
    track = CameraTrack(8 * FPS, pattern=noise)
    record(loop, recorder, track)
    wait_for(lambda: track.sent == 8 * FPS)
    return recorder


def recorded_size(loop: asyncio.AbstractEventLoop, files: FileStorage, sid: str) -> int:
    """The size of 8 s of camera noise recorded to the end, stored, then deleted again."""
    stored = noise_recorded(loop, files, sid).finish()
    assert stored is not None
    size = Path(stored).stat().st_size
    files.cleanup_session(sid)
    return size


def test_a_recording_over_the_session_limit_keeps_what_fits_and_says_so(
    loop: asyncio.AbstractEventLoop, store: InMemoryDataStore, sid: str, tmp_path: Path
) -> None:
    """The encoder's last flush can carry a recording past the limit (here the size is never
    looked at while recording: the clock stands still): it keeps its whole first seconds."""
    full = recorded_size(loop, FileStorage(tmp_path, store, StorageLimits()), sid)
    limit = full - 200_000
    files = FileStorage(tmp_path, store, StorageLimits(session_max_bytes=limit))
    recorder = noise_recorded(loop, files, sid)

    stored = recorder.finish()

    assert stored is not None
    size = Path(stored).stat().st_size
    codec, _, frames, seconds, _ = read_video(stored)
    assert codec == "h264" and 0 < frames < 8 * FPS and size <= limit
    assert recorder.kept == (
        f"The video was larger than the room left for it: kept the first {int(seconds)} s "
        f"({size / MB:.1f} MB) of 8 s; the session's storage limits left {limit / MB:.1f} MB "
        "for it."
    )
    row = store.list_media(sid)[-1]  # the first, measuring recording's row comes before it
    assert Path(stored).name == "interview.mp4" and row.file_size_bytes == size
