"""History's Whiteboard tab on pictures an older version could have stored: a PNG bomb and a
damaged file each show a line saying why, the good snapshot shows as a small picture."""

from __future__ import annotations

import io

from PIL import Image
from streamlit.testing.v1 import AppTest

from interview_platform.bootstrap import Services
from interview_platform.core.models import MediaFile, MediaType
from tests.integration.ui.test_evaluation_and_history import finished_session, open_page
from tests.support.bombs import png_bomb


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def store_unchecked(app: Services, session_id: str, name: str, data: bytes) -> None:
    """Put a file and its media row in place as an old version did: without any checks."""
    folder = app.file_storage.session_dir(session_id) / MediaType.WHITEBOARD.value
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    relative = (folder / name).relative_to(app.settings.data_dir.resolve())
    app.data_store.save_media_reference(
        session_id, MediaFile(MediaType.WHITEBOARD, str(relative), len(data))
    )


def test_a_bomb_or_damaged_snapshot_on_disk_does_not_break_history(
    app_test: AppTest, app_services: Services
) -> None:
    session_id = finished_session(app_services, snapshot=True)
    store_unchecked(app_services, session_id, "snapshot_002.png", png_bomb(30_000, 30_000))
    store_unchecked(app_services, session_id, "snapshot_003.png", png(1920, 1080)[:2000])
    open_page(app_test, "history")

    app_test.button(key=f"open_{session_id}").click().run()

    assert not app_test.exception
    assert len(app_test.get("image")) == 1
    warnings = [warning.value for warning in app_test.warning]
    assert len(warnings) == 2
    assert "30,000 x 30,000 pixels" in warnings[0]
    assert "damaged" in warnings[1]
