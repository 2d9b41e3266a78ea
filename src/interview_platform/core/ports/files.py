"""What the services ask of the media files' storage (FileStorage implements it)."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from interview_platform.core.models import JSONDict, MediaFile

MB = 1024 * 1024


class FileStore(Protocol):
    """A session's media files on disk, each with its `media_files` row."""

    def save_audio(
        self, session_id: str, audio_data: bytes, metadata: JSONDict | None = None
    ) -> str: ...

    def save_video(
        self, session_id: str, video_data: bytes, metadata: JSONDict | None = None
    ) -> str: ...

    def save_whiteboard(
        self, session_id: str, image_data: bytes, metadata: JSONDict | None = None
    ) -> str: ...

    def save_screen_capture(
        self, session_id: str, image_data: bytes, metadata: JSONDict | None = None
    ) -> str: ...

    def video_recording_path(self, session_id: str) -> Path:
        """A new empty file for a recorder to stream into."""
        ...

    def recording_budget_bytes(self, session_id: str, path: Path) -> int:
        """How large the recording at `path` may grow."""
        ...

    def adopt_video(self, session_id: str, path: Path, metadata: JSONDict | None = None) -> str:
        """Keep a finished recording as the session's video."""
        ...

    def discard_recording(self, session_id: str, path: Path) -> None: ...

    def resolve(self, media: MediaFile) -> Path:
        """The absolute path of a media row's file."""
        ...

    def stored_session_ids(self) -> list[str]:
        """The sessions that have a folder of files."""
        ...

    def cleanup_session(self, session_id: str) -> int:
        """Delete every file of the session; the bytes freed."""
        ...
