"""Snapshots as History shows them: small PNGs made from the stored files, bombs refused
unread on every path that stores a picture and on every path that shows one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

from interview_platform.bootstrap import Services
from interview_platform.communication.media import CaptureTally, StoredMedia
from interview_platform.communication.thumbnails import THUMBNAIL_SIDE
from interview_platform.core.models import MediaFile, MediaType
from interview_platform.errors import CommunicationError, FileTooDemandingError, ValidationError
from tests.conftest import make_config
from tests.support.bombs import png_bomb

BOMB = png_bomb(30_000, 30_000)


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(buffer, format="PNG")
    return buffer.getvalue()


def active_session(app: Services) -> str:
    session_id = app.session_manager.create_session(make_config(), "local").id
    app.session_manager.start_session(session_id)
    return session_id


def on_disk(path: Path) -> StoredMedia:
    return StoredMedia(MediaFile(MediaType.WHITEBOARD, str(path), 0), path, path.is_file())


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (600, 3000), (40, 30)])
def test_a_snapshot_is_shown_as_a_small_copy(app: Services, width: int, height: int) -> None:
    session_id = active_session(app)
    app.file_storage.save_whiteboard(session_id, png(width, height))
    [stored] = app.media.session_media(app.scope("local"), session_id, MediaType.WHITEBOARD)

    small = Image.open(io.BytesIO(app.media.thumbnail(stored)))

    assert max(small.size) == min(THUMBNAIL_SIDE, max(width, height))
    assert small.size[0] / small.size[1] == pytest.approx(width / height, rel=0.05)
    assert small.convert("RGB").getpixel((small.size[0] // 2, small.size[1] // 2)) == (0, 0, 128)


def test_a_bomb_on_disk_is_refused_from_its_header(app: Services, tmp_path: Path) -> None:
    path = tmp_path / "snapshot_001.png"
    path.write_bytes(BOMB)

    with pytest.raises(FileTooDemandingError, match="30,000 x 30,000 pixels"):
        app.media.thumbnail(on_disk(path))


@pytest.mark.parametrize(
    "damage",
    [lambda good: good[: len(good) // 2], lambda good: good[:40] + b"\x00" * 200, lambda _: b""],
    ids=["truncated", "broken-data", "empty"],
)
def test_a_damaged_or_missing_file_is_refused(
    app: Services, tmp_path: Path, damage: object
) -> None:
    path = tmp_path / "snapshot_001.png"
    assert callable(damage)
    path.write_bytes(damage(png(640, 480)))

    with pytest.raises(CommunicationError):
        app.media.thumbnail(on_disk(path))
    with pytest.raises(CommunicationError, match="missing"):
        app.media.thumbnail(on_disk(tmp_path / "gone.png"))


def test_a_bomb_is_refused_as_a_snapshot_and_as_a_screen_capture(app: Services) -> None:
    session_id = active_session(app)

    with pytest.raises(ValidationError, match="30,000 x 30,000 pixels"):
        app.whiteboard.submit_snapshot(session_id, BOMB)
    with pytest.raises(ValidationError, match="30,000 x 30,000 pixels"):
        app.media.store_screen_capture(session_id, BOMB, 1, CaptureTally())
    assert app.media.session_media(app.scope("local"), session_id) == []
