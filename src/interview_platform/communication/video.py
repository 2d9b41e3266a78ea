"""Video answers: the camera's WebRTC track recorded on the server to an H.264 MP4.

streamlit-webrtc calls `VideoRecorder.recorder_factory` once the browser's camera is connected
and stops the recorder when the track ends. aiortc's MediaRecorder picks libx264 (yuv420p) for
an MP4 and streams into a hidden file in the session's video folder; `finish` hands that file
to FileStore, which names it `video/interview.mp4`. A guard on the track ends a recording at
`video_max_minutes`, or shortly before the file would pass the video or session size limit,
and says why in `stop_reason`. The MP4 is fragmented, so what was written stays readable even
when the server stops in the middle of a recording.

The track also restamps each frame on the recorder's 1/30 s clock, counted from the first
frame and always at least one tick after the frame before. WebRTC frames carry 90 kHz
capture times; left to PyAV, two frames less than a 30th of a second apart (a 30 fps camera's
jitter) were rounded to the same timestamp, the MP4 muxer refused the second (EINVAL), and
aiortc's recording task died there: the file ended after a second or so while the camera
went on. A recording task that fails anyway now ends the recording and says so.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
import numpy.typing as npt
from aiortc import MediaStreamTrack
from aiortc.contrib.media import MediaRecorder
from aiortc.mediastreams import MediaStreamError
from av.frame import Frame
from av.packet import Packet

from interview_platform.communication.video_trim import fit_recording
from interview_platform.config import CommunicationSettings
from interview_platform.core.ports.files import MB, FileStore
from interview_platform.errors import CommunicationError, InterviewPlatformError

MP4_OPTIONS = {"movflags": "frag_keyframe+empty_moov+default_base_moof"}
# Encode as frames arrive (no look-ahead, no B-frames) with a key frame every 2 s at 30 fps,
# which also ends a fragment: the file on disk trails the camera by about 2 s, which the size
# guard relies on, and a camera's 30 fps stays within one CPU core.
LIVE_X264_OPTIONS = {"preset": "veryfast", "tune": "zerolatency", "x264-params": "keyint=60"}
# aiortc's MediaRecorder encodes H.264 at `rate=30`, so its time base is a 30th of a second.
RECORDER_TIME_BASE = Fraction(1, 30)
SIZE_CHECK_SECONDS = 1.0  # how often the growing file's size is looked at
SIZE_MARGIN_BYTES = 5 * MB  # stop this far below the limit: the encoder and muxer still flush
STOP_TIMEOUT_SECONDS = 10.0

Guard = Callable[[], str | None]
RGBFrame = npt.NDArray[np.uint8]


class _Timeline:
    """Frame timestamps on the recorder's clock: the time since the first frame, rounded to
    `time_base`, and always at least one tick after the last, as the MP4 muxer demands."""

    def __init__(self, time_base: Fraction = RECORDER_TIME_BASE) -> None:
        self._time_base = time_base
        self._first: Fraction | None = None
        self._last = -1

    def restamp(self, frame: Frame) -> Frame:
        tick = self._last + 1
        if frame.pts is not None and frame.time_base is not None:
            seconds = frame.pts * frame.time_base
            if self._first is None:
                self._first = seconds
            tick = max(tick, round((seconds - self._first) / self._time_base))
        frame.pts, frame.time_base = tick, self._time_base
        self._last = tick
        return frame


class _GuardedTrack(MediaStreamTrack):
    """The camera track as the recorder reads it: restamped (`_Timeline`), and ended as soon
    as `guard` names a reason."""

    kind = "video"

    def __init__(self, source: MediaStreamTrack, guard: Guard, on_limit: Callable[[], None]):
        super().__init__()
        self._source = source
        self._guard = guard
        self._on_limit = on_limit
        self._timeline = _Timeline()

    async def recv(self) -> Frame | Packet[Any]:
        frame = await self._source.recv()
        if self._guard() is not None:
            self.stop()
            self._on_limit()
            raise MediaStreamError
        if isinstance(frame, Frame):
            return self._timeline.restamp(frame)
        return frame

    def stop(self) -> None:
        super().stop()
        self._source.stop()  # a relay keeps queueing frames for a subscriber until it stops


class _Recording(MediaRecorder):
    """aiortc's MediaRecorder for one file, which says when its file is closed."""

    def __init__(self, path: Path, guard: Guard, on_failure: Callable[[str], object]) -> None:
        super().__init__(str(path), format="mp4", options=MP4_OPTIONS)
        self.path = path
        self.closed = threading.Event()
        self.loop: asyncio.AbstractEventLoop | None = None
        self._guard = guard
        self._on_failure = on_failure
        self._tracks: list[_GuardedTrack] = []
        self._stopping: asyncio.Task[None] | None = None

    def addTrack(self, track: MediaStreamTrack) -> None:  # noqa: N802 (aiortc's name)
        if track.kind != "video":  # the camera only: the page asks for no microphone
            return
        guarded = _GuardedTrack(track, self._checked, self._stop_soon)
        self._tracks.append(guarded)
        super().addTrack(guarded)
        for context in self._contexts():
            context.stream.codec_context.options = dict(LIVE_X264_OPTIONS)

    async def start(self) -> None:
        await super().start()
        for context in self._contexts():
            if context.task is not None:
                context.task.add_done_callback(self._task_done)

    def _contexts(self) -> list[Any]:
        """aiortc's per-track encoders and tasks, which it keeps private ([] if that changes:
        the recording then runs untuned and unwatched)."""
        return list(getattr(self, "_MediaRecorder__tracks", {}).values())

    def _task_done(self, task: asyncio.Task[None]) -> None:
        """aiortc's recording task ends quietly on an error: end the recording and say so."""
        if task.cancelled() or task.exception() is None:
            return
        self._on_failure(f"the video could not be encoded ({task.exception()})")
        for track in self._tracks:
            track.stop()
        self._stop_soon()

    async def stop(self) -> None:
        try:
            await super().stop()
        finally:
            self.closed.set()

    def _checked(self) -> str | None:
        if self.loop is None:
            self.loop = asyncio.get_running_loop()
        return self._guard()

    def _stop_soon(self) -> None:
        """Close the file once the track's reader has returned (it is the caller)."""
        self._stopping = asyncio.get_running_loop().create_task(self.stop())


class VideoRecorder:
    """Records one session's camera; build one per session and browser tab."""

    def __init__(
        self,
        files: FileStore,
        session_id: str,
        settings: CommunicationSettings,
        *,
        clock: Callable[[], float] = time.monotonic,
        size_margin_bytes: int = SIZE_MARGIN_BYTES,
    ) -> None:
        self._files = files
        self._session_id = session_id
        self._max_seconds = settings.video_max_minutes * 60
        self._max_minutes = settings.video_max_minutes
        self._clock = clock
        self._margin = size_margin_bytes
        self._lock = threading.Lock()
        self._pending: list[_Recording] = []
        self._stop_reason: str | None = None
        self._kept: str | None = None

    @property
    def stop_reason(self) -> str | None:
        """Why the last recording ended before the camera was stopped, for the page to show."""
        return self._stop_reason

    @property
    def pending(self) -> bool:
        """Whether a recording was started and not yet handed to storage."""
        with self._lock:
            return bool(self._pending)

    def recorder_factory(self) -> MediaRecorder:
        """streamlit-webrtc's `in_recorder_factory`: a MediaRecorder writing H.264 MP4."""
        path = self._files.video_recording_path(self._session_id)
        try:
            recording = _Recording(path, self._guard_for(path), self._stopped)
        except (OSError, av.FFmpegError) as exc:
            self._files.discard_recording(self._session_id, path)
            raise CommunicationError(
                f"The video recorder could not start: {exc}. The interview goes on in text."
            ) from exc
        with self._lock:
            self._pending.append(recording)
            self._stop_reason = None
            self._kept = None
        return recording

    def finish(self, timeout_seconds: float = STOP_TIMEOUT_SECONDS) -> str | None:
        """Stop what still records and store each recording; the last stored path, or None
        when nothing was recorded."""
        with self._lock:
            recordings, self._pending = self._pending, []
        stored, failures = None, []
        for recording in recordings:
            try:
                stored = self._store(recording, timeout_seconds) or stored
            except InterviewPlatformError as exc:
                failures.append(exc)
        if failures:
            raise failures[0]
        return stored

    def _guard_for(self, path: Path) -> Guard:
        watchdog = _Watchdog(self._files, self._session_id, path, self._clock, self._margin)
        max_seconds, max_minutes = self._max_seconds, self._max_minutes

        def guard() -> str | None:
            if watchdog.elapsed() >= max_seconds:
                return self._stopped(f"the {_duration(max_minutes)} limit was reached")
            budget = watchdog.budget_exceeded()
            if budget is not None:
                return self._stopped(f"the {budget / MB:.0f} MB storage limit was reached")
            return None

        return guard

    def _stopped(self, why: str) -> str:
        self._stop_reason = f"Video recording stopped: {why}. The interview goes on."
        return self._stop_reason

    def _store(self, recording: _Recording, timeout_seconds: float) -> str | None:
        try:
            self._close(recording, timeout_seconds)
        except (TimeoutError, OSError, av.FFmpegError) as exc:
            self._files.discard_recording(self._session_id, recording.path)
            raise CommunicationError(
                f"The video recording could not be finished ({exc}); it was not saved."
            ) from exc
        if not recording.closed.is_set() or _is_empty(recording.path):
            # no frame ever arrived: the camera never really started
            self._files.discard_recording(self._session_id, recording.path)
            return None
        self._kept = fit_recording(self._files, self._session_id, recording.path) or self._kept
        return self._files.adopt_video(
            self._session_id, recording.path, {"codec": "h264", "source": "camera"}
        )

    @property
    def kept(self) -> str | None:
        """What a recording trimmed to fit kept, for the page to show; None if none was."""
        return self._kept

    @staticmethod
    def _close(recording: _Recording, timeout_seconds: float) -> None:
        """Stop the recorder on its own event loop, unless it has stopped or never started."""
        if recording.closed.is_set() or recording.loop is None:
            return
        future = asyncio.run_coroutine_threadsafe(recording.stop(), recording.loop)
        future.result(timeout=timeout_seconds)


def _is_empty(path: Path) -> bool:
    return not path.exists() or path.stat().st_size == 0


class _Watchdog:
    """Time since the first frame, and the file's size against its budget (once a second)."""

    def __init__(
        self,
        files: FileStore,
        session_id: str,
        path: Path,
        clock: Callable[[], float],
        margin: int,
    ) -> None:
        self._files, self._session_id, self._path = files, session_id, path
        self._clock, self._margin = clock, margin
        self._started: float | None = None
        self._checked = float("-inf")

    def elapsed(self) -> float:
        now = self._clock()
        if self._started is None:
            self._started = now
        return now - self._started

    def budget_exceeded(self) -> int | None:
        """The budget in bytes once the file has come within the margin of it, else None."""
        now = self._clock()
        if now - self._checked < SIZE_CHECK_SECONDS:
            return None
        self._checked = now
        budget = self._files.recording_budget_bytes(self._session_id, self._path)
        return budget if self._path.stat().st_size + self._margin >= budget else None


def _duration(minutes: int) -> str:
    return f"{minutes // 60}-hour" if minutes % 60 == 0 else f"{minutes}-minute"


def write_h264_mp4(frames: Iterable[RGBFrame], path: Path, fps: int) -> int:
    """Encode RGB frames (height x width x 3, uint8) as an H.264 MP4, as the recorder does;
    returns the number of frames written."""
    count = 0
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.pix_fmt = "yuv420p"
        stream.time_base = Fraction(1, fps)
        for image in frames:
            if count == 0:
                stream.height, stream.width = image.shape[:2]
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = count
            frame.time_base = Fraction(1, fps)
            container.mux(stream.encode(frame))
            count += 1
        container.mux(stream.encode(None))
    return count
