"""A session's stored media for the pages: the files a user may see (History's snapshots),
a camera recorder for the Interview page, and the screen share's captures stored without
repeats."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from interview_platform.communication.thumbnails import thumbnail
from interview_platform.communication.video import VideoRecorder
from interview_platform.config import CommunicationSettings
from interview_platform.core.models import MediaFile, MediaType
from interview_platform.core.ownership import UserScope
from interview_platform.core.ports.files import FileStore
from interview_platform.errors import CommunicationError

CAPTURE_SOURCE = "screen_share"


@dataclass(frozen=True)
class StoredMedia:
    """A media row of a session and where its file is; `present` is False when the file has
    gone from the data folder."""

    media: MediaFile
    path: Path
    present: bool


@dataclass
class CaptureTally:
    """One tab's screen share: the SHA-256 of the picture it stored last, and how many it
    stored."""

    last_sha256: str | None = None
    saved: int = 0


class MediaHandler:
    def __init__(self, file_storage: FileStore, settings: CommunicationSettings) -> None:
        self._files = file_storage
        self._settings = settings

    def session_media(
        self, scope: UserScope, session_id: str, file_type: MediaType | None = None
    ) -> list[StoredMedia]:
        """The session's media (of one type, if given) with their files, in the order they
        were stored; NotFoundError unless the session is the scope's user's."""
        stored = []
        for media in scope.media(session_id, file_type):
            path = self._files.resolve(media)
            stored.append(StoredMedia(media, path, path.is_file()))
        return stored

    def thumbnail(self, stored: StoredMedia) -> bytes:
        """A small PNG of a stored picture; raises CommunicationError (missing, damaged) or
        FileTooDemandingError (claims too many pixels) saying why it cannot be shown."""
        if not stored.present:
            raise CommunicationError("The file is missing from the data folder.")
        return thumbnail(stored.path)

    def video_recorder(self, session_id: str) -> VideoRecorder:
        """A recorder for the session's camera (one per browser tab), which stores what it
        records as video/interview.mp4."""
        return VideoRecorder(self._files, session_id, self._settings)

    def store_screen_capture(
        self, session_id: str, png: bytes, counter: int | None, tally: CaptureTally
    ) -> str | None:
        """Store the picture as screen/capture_NNN.png unless it is the one this tab stored
        last; the stored path, or None for a repeat. `tally` is the tab's own."""
        digest = hashlib.sha256(png).hexdigest()
        if digest == tally.last_sha256:
            return None
        path = self._files.save_screen_capture(
            session_id, png, {"source": CAPTURE_SOURCE, "counter": counter}
        )
        tally.last_sha256 = digest
        tally.saved += 1
        return path
