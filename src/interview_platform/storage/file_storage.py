"""FileStorage: media files under `data/sessions/{session_id}/{audio,video,whiteboard,screen}/`.

Callers never pass paths: they pass a session id (validated as a UUID) and bytes; names are
sequential and chosen here. Writes go to a temporary file that is linked into place, so a
file is either complete or absent and never overwrites another. Each file gets its
`media_files` row; if the row cannot be written, the file is removed again.

A video is too long to hold in memory: the recorder streams it into a hidden
`video/.recording-*.mp4` (from `video_recording_path`), which `adopt_video` checks and links
into place under the same naming rules when the recording ends.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from interview_platform.core.models import JSONDict, MediaFile, MediaType, validate_session_id
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.ports.files import MB
from interview_platform.errors import (
    CommunicationError,
    InterviewPlatformError,
    NotFoundError,
    StorageFullError,
    ValidationError,
)
from interview_platform.storage.database import DISK_FULL_ERRNOS
from interview_platform.storage.media_kinds import (
    INCOMPLETE_VIDEO,
    KINDS,
    MediaKind,
    check_picture_size,
    looks_like,
    mp4_is_complete,
)

RECORDING_PREFIX = ".recording-"
RECORDING_NAME = re.compile(rf"{re.escape(RECORDING_PREFIX)}[A-Za-z0-9_]+\.mp4")


@dataclass(frozen=True)
class StorageLimits:
    audio_max_bytes: int = 100 * MB
    video_max_bytes: int = 500 * MB
    session_max_bytes: int = 500 * MB


class FileStorage:
    def __init__(self, data_dir: Path, data_store: DataStore, limits: StorageLimits) -> None:
        self._root = (Path(data_dir) / "sessions").resolve()
        self._store = data_store
        self._limits = limits
        self._lock = threading.Lock()

    def save_audio(
        self, session_id: str, audio_data: bytes, metadata: JSONDict | None = None
    ) -> str:
        return self._save(session_id, MediaType.AUDIO, audio_data, metadata)

    def save_video(
        self, session_id: str, video_data: bytes, metadata: JSONDict | None = None
    ) -> str:
        return self._save(session_id, MediaType.VIDEO, video_data, metadata)

    def save_whiteboard(
        self, session_id: str, image_data: bytes, metadata: JSONDict | None = None
    ) -> str:
        return self._save(session_id, MediaType.WHITEBOARD, image_data, metadata)

    def save_screen_capture(
        self, session_id: str, image_data: bytes, metadata: JSONDict | None = None
    ) -> str:
        return self._save(session_id, MediaType.SCREEN, image_data, metadata)

    def video_recording_path(self, session_id: str) -> Path:
        """A new empty file in the session's video folder for a recorder to stream into;
        `adopt_video` gives it its final name, `discard_recording` removes it."""
        folder = self.session_dir(session_id) / MediaType.VIDEO.value
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(dir=folder, prefix=RECORDING_PREFIX, suffix=".mp4")
        except OSError as exc:
            raise self._write_failed(exc, f"Could not start a video recording in {folder}") from exc
        os.close(fd)
        return Path(name)

    def recording_budget_bytes(self, session_id: str, path: Path) -> int:
        """How large the recording at `path` may grow: the video limit, or what the session's
        other files leave of the session limit, whichever is smaller."""
        recording = self._recording(session_id, path)
        size = recording.stat().st_size if recording.exists() else 0
        others = self.session_size_bytes(session_id) - size
        return max(0, min(self._limits.video_max_bytes, self._limits.session_max_bytes - others))

    def adopt_video(self, session_id: str, path: Path, metadata: JSONDict | None = None) -> str:
        """Store a finished recording from `video_recording_path` as `video/interview.mp4`;
        later recordings of the session become interview_002.mp4, interview_003.mp4, ...
        A recording that is empty, not an MP4 or over a limit is deleted and refused."""
        sid = validate_session_id(session_id)
        recording = self._recording(sid, path)
        if not recording.is_file():
            raise NotFoundError(f"The video recording {recording.name} does not exist.")
        try:
            with self._lock:
                size = self._check_recording(sid, recording)
                final = self._adopt(recording, KINDS[MediaType.VIDEO])
        except BaseException:
            recording.unlink(missing_ok=True)
            raise
        media = MediaFile(
            file_type=MediaType.VIDEO,
            file_path=str(final.relative_to(self._root.parent)),
            file_size_bytes=size,
            metadata=dict(metadata or {}),
        )
        try:
            self._store.save_media_reference(sid, media)
        except BaseException:
            final.unlink(missing_ok=True)
            raise
        return str(final)

    def discard_recording(self, session_id: str, path: Path) -> None:
        """Delete a recording that will not be kept (it failed, or the camera never started)."""
        self._recording(session_id, path).unlink(missing_ok=True)

    def session_dir(self, session_id: str) -> Path:
        return self._root / validate_session_id(session_id)

    def get_file_path(self, session_id: str, file_type: str, filename: str) -> str:
        """The absolute path of a stored file; refuses names this storage would not create."""
        kind = KINDS[_media_type(file_type)]
        if not kind.pattern().fullmatch(filename):
            raise ValidationError(
                f"'{filename[:60]}' is not a {kind.description} file name; "
                f"names look like {kind.name(1)}."
            )
        path = self.session_dir(session_id) / kind.media_type.value / filename
        if not path.is_file():
            raise NotFoundError(f"The {kind.description} {filename} does not exist.")
        return str(path)

    def resolve(self, media: MediaFile) -> Path:
        """The absolute path of a `media_files` row, whose path is relative to the data dir."""
        return self._root.parent / media.file_path

    def session_size_bytes(self, session_id: str) -> int:
        folder = self.session_dir(session_id)
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())

    def stored_session_ids(self) -> list[str]:
        """The sessions that have a folder of files, in name order."""
        if not self._root.is_dir():
            return []
        return sorted(p.name for p in self._root.iterdir() if p.is_dir() and _is_session_id(p.name))

    def cleanup_session(self, session_id: str) -> int:
        """Delete every file of the session; returns the bytes freed."""
        folder = self.session_dir(session_id)
        if not folder.exists():
            return 0
        freed = self.session_size_bytes(session_id)
        shutil.rmtree(folder)
        return freed

    def _save(
        self, session_id: str, media_type: MediaType, data: bytes, metadata: JSONDict | None
    ) -> str:
        sid = validate_session_id(session_id)
        with self._lock:  # check and write together, so concurrent saves cannot both fit
            self._check(sid, media_type, data)
            path = self._write_next(sid, KINDS[media_type], data)
        media = MediaFile(
            file_type=media_type,
            file_path=str(path.relative_to(self._root.parent)),
            file_size_bytes=len(data),
            metadata=dict(metadata or {}),
        )
        try:
            self._store.save_media_reference(sid, media)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return str(path)

    def _recording(self, session_id: str, path: Path) -> Path:
        """`path` if it is one of this session's recordings; refuses any other path."""
        folder = self.session_dir(session_id) / MediaType.VIDEO.value
        candidate = Path(path).resolve()
        if candidate.parent != folder or not RECORDING_NAME.fullmatch(candidate.name):
            raise ValidationError(
                f"'{str(path)[-80:]}' is not a video recording of session {session_id}; "
                "record into a path from video_recording_path()."
            )
        return candidate

    def _check_recording(self, sid: str, recording: Path) -> int:
        size = recording.stat().st_size
        if size == 0:
            raise ValidationError("The video recording is empty; nothing was saved.")
        with recording.open("rb") as handle:
            head = handle.read(12)
            if not looks_like(MediaType.VIDEO, head):
                raise ValidationError("The video recording is not an MP4 file; nothing was saved.")
            if not mp4_is_complete(handle, size):
                raise ValidationError(INCOMPLETE_VIDEO)
        if size > self._limits.video_max_bytes:
            raise ValidationError(
                f"The video is {size / MB:.1f} MB; the limit is "
                f"{self._limits.video_max_bytes / MB:.0f} MB. Nothing was saved."
            )
        others = self.session_size_bytes(sid) - size  # the recording is already on disk
        if others + size > self._limits.session_max_bytes:
            besides = f" and the session's other media {others / MB:.1f} MB" if others else ""
            raise ValidationError(
                f"The video is {size / MB:.1f} MB{besides}; the session's limit is "
                f"{self._limits.session_max_bytes / MB:.0f} MB, so the video was not saved."
            )
        return size

    def _adopt(self, recording: Path, kind: MediaKind) -> Path:
        folder = recording.parent
        try:
            descriptor = os.open(recording, os.O_RDONLY)
            try:
                os.fsync(descriptor)
            finally:
                os.close(descriptor)
            return self._link_into_place(recording, folder, kind, self._next_number(folder, kind))
        except OSError as exc:
            raise self._write_failed(exc, f"Could not store the video in {folder}") from exc

    def _check(self, sid: str, media_type: MediaType, data: bytes) -> None:
        kind = KINDS[media_type]
        if not data:
            raise ValidationError(f"The {kind.description} is empty; nothing was saved.")
        if not looks_like(media_type, data):
            raise ValidationError(
                f"The {kind.description} is not a {kind.suffix[1:].upper()} file; "
                "nothing was saved."
            )
        if media_type is MediaType.VIDEO and not mp4_is_complete(io.BytesIO(data), len(data)):
            raise ValidationError(INCOMPLETE_VIDEO)
        if media_type in (MediaType.WHITEBOARD, MediaType.SCREEN):
            check_picture_size(kind, data)
        limit = {
            MediaType.AUDIO: self._limits.audio_max_bytes,
            MediaType.VIDEO: self._limits.video_max_bytes,
        }.get(media_type, self._limits.session_max_bytes)
        if len(data) > limit:
            raise ValidationError(
                f"The {kind.description} is {len(data) / MB:.1f} MB; the limit is "
                f"{limit / MB:.0f} MB. Nothing was saved."
            )
        used = self.session_size_bytes(sid) if self.session_dir(sid).exists() else 0
        if used + len(data) > self._limits.session_max_bytes:
            raise ValidationError(
                f"This session already holds {used / MB:.1f} MB of media and the limit is "
                f"{self._limits.session_max_bytes / MB:.0f} MB; the {kind.description} "
                "was not saved."
            )

    def _write_next(self, sid: str, kind: MediaKind, data: bytes) -> Path:
        folder = self.session_dir(sid) / kind.media_type.value
        try:
            folder.mkdir(parents=True, exist_ok=True)
            number = self._next_number(folder, kind)
            fd, temp_name = tempfile.mkstemp(dir=folder, prefix=".incoming-", suffix=".part")
            temp = Path(temp_name)
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            except BaseException:  # e.g. the disk filled up part-way: no partial file stays
                temp.unlink(missing_ok=True)
                raise
            return self._link_into_place(temp, folder, kind, number)
        except OSError as exc:
            what = f"Could not write the {kind.description} to {folder}"
            raise self._write_failed(exc, what) from exc

    def _write_failed(self, exc: OSError, what: str) -> InterviewPlatformError:
        """A failed write as the user should see it; a full disk names the directory to free."""
        if exc.errno in DISK_FULL_ERRNOS:
            return StorageFullError(
                f"The disk holding {self._root.parent} is full ({exc.strerror}): free space "
                "there and try again. Nothing was saved."
            )
        return CommunicationError(
            f"{what}: {exc.strerror}. "
            "Check that the data directory is writable and the disk is not full."
        )

    @staticmethod
    def _next_number(folder: Path, kind: MediaKind) -> int:
        pattern = kind.pattern()
        numbers = [
            int(match.group(1) or 1)
            for entry in folder.iterdir()
            if (match := pattern.fullmatch(entry.name))
        ]
        return max(numbers, default=0) + 1

    @staticmethod
    def _link_into_place(temp: Path, folder: Path, kind: MediaKind, number: int) -> Path:
        """Give the complete temp file its final name without ever replacing another file."""
        try:
            while True:
                final = folder / kind.name(number)
                try:
                    os.link(temp, final)
                    return final
                except FileExistsError:
                    number += 1
        finally:
            temp.unlink(missing_ok=True)


def _media_type(file_type: str) -> MediaType:
    try:
        return MediaType(file_type)
    except ValueError:
        allowed = ", ".join(m.value for m in MediaType)
        raise ValidationError(
            f"Unknown media type '{file_type[:30]}'; use one of {allowed}."
        ) from None


def _is_session_id(name: str) -> bool:
    try:
        validate_session_id(name)
    except ValidationError:
        return False
    return True
