"""The screen-share component in a real browser: Debian's Chromium, driven by Playwright, shares
its own tab (--auto-accept-this-tab-capture) with a small Streamlit app that mounts
`render_screen_share` on the app's real services (SQLite in a scratch directory).

Captures are taken every second and scaled to 960 px wide (set through the environment, as a
deployment would), and the tab changes between them, so each capture is new and is stored as
screen/capture_NNN.png. The Python half of the component (decoding) is also checked here
without a browser; skipping repeats is MediaHandler's (tests/unit/communication/test_media.py).
The camera is tested in test_voice_video.py.
"""

from __future__ import annotations

import base64
import sqlite3
import struct
import sys
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from interview_platform.errors import ValidationError
from interview_platform.ui.media import rtc_configuration
from interview_platform.ui.screen_share import MAX_PNG_BYTES, decode_png
from tests.e2e.conftest import chromium
from tests.support.browser import free_port, running_server
from tests.unit.storage.test_file_storage import make_png

SCREEN_SHARE_ARGS = (
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    "--auto-accept-this-tab-capture",
)
WAIT_MS = 30_000
VIEWPORT_WIDTH, VIEWPORT_HEIGHT = 1600, 900
MAX_WIDTH = 960  # below the tab's width, so every capture must have been scaled down
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SHARING = "● Sharing your screen"
# `track.stop()` from a page fires no "ended" event; the browser's own stop button does.
END_TRACK_AS_THE_BROWSER_DOES = """() => {
  const host = document.querySelector('[data-testid="stBidiComponentIsolated"]');
  const share = host.shadowRoot.querySelector(".screen-share").__screenShare;
  const [track] = share.stream.getVideoTracks();
  track.stop();
  track.dispatchEvent(new Event("ended"));
}"""

APP = """
import streamlit as st

from interview_platform.core.models import CommunicationMode, SessionConfig
from interview_platform.ui.context import services
from interview_platform.ui.media import render_screen_share

app = services()
if "sid" not in st.session_state:
    config = SessionConfig([CommunicationMode.SCREEN_SHARE], "builtin", "rubric")
    st.session_state.sid = app.session_manager.create_session(config).id
st.title("Screen share")
st.text_input("Notes", key="notes")  # something on the tab that the test changes
render_screen_share(st.session_state.sid)
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium(*SCREEN_SHARE_ARGS)


@contextmanager
def streamlit_app(workdir: Path, script: str) -> Iterator[str]:
    """`streamlit run` of `script` on a free loopback port, with its data in workdir/data."""
    (workdir / "app.py").write_text(script, encoding="utf-8")
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true"]
    command += ["--browser.gatherUsageStats", "false"]
    env = {
        "COMMUNICATION__SCREEN_CAPTURE_INTERVAL_SECONDS": "1",
        "COMMUNICATION__SCREEN_CAPTURE_MAX_WIDTH": str(MAX_WIDTH),
    }
    with running_server(workdir, command, port, env) as url:
        yield url


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def captures(workdir: Path) -> list[Path]:
    return sorted((workdir / "data" / "sessions").glob("*/screen/capture_*.png"))


def screen_rows(workdir: Path) -> list[tuple[str, int]]:
    with closing(sqlite3.connect(workdir / "data" / "interview_platform.db")) as db:
        rows = db.execute(
            "SELECT file_path, file_size_bytes FROM media_files WHERE file_type = 'screen'"
        )
        return sorted((Path(path).name, size) for path, size in rows)


def share_until_captured(page: Page, workdir: Path, wanted: int) -> list[Path]:
    """Press Share, then keep changing the tab until `wanted` captures are stored."""
    page.get_by_role("button", name="Share screen").click()
    expect(page.get_by_test_id("stMarkdownContainer").get_by_text(SHARING)).to_be_visible(
        timeout=WAIT_MS
    )
    notes = page.get_by_label("Notes")
    deadline = time.monotonic() + 60
    while len(captures(workdir)) < wanted and time.monotonic() < deadline:
        notes.fill(f"changed at {time.monotonic():.3f}")  # so the next capture is new
        page.wait_for_timeout(700)
    return captures(workdir)


def expect_stopped(page: Page, workdir: Path) -> None:
    """The Share button is back, the indicator gone, and no capture comes any more."""
    expect(page.get_by_role("button", name="Share screen")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_test_id("stMarkdownContainer").get_by_text(SHARING)).to_have_count(
        0, timeout=WAIT_MS
    )
    page.wait_for_timeout(2500)  # two intervals: a capture in flight has landed by now
    count = len(captures(workdir))
    page.wait_for_timeout(2500)
    assert len(captures(workdir)) == count


def test_sharing_the_tab_stores_scaled_pngs_until_stopped(browser: Browser, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": VIEWPORT_WIDTH, "height": VIEWPORT_HEIGHT})
    page = context.new_page()
    try:
        with streamlit_app(tmp_path, APP) as url:
            page.goto(url)
            expect(page.get_by_role("button", name="Share screen")).to_be_visible(timeout=WAIT_MS)
            stored = share_until_captured(page, tmp_path, wanted=2)
            assert len(stored) >= 2, (tmp_path / "server.log").read_text()[-3000:]
            for path in stored:
                width, height = png_size(path.read_bytes())
                assert width == MAX_WIDTH <= 1280
                assert height == pytest.approx(MAX_WIDTH * VIEWPORT_HEIGHT / VIEWPORT_WIDTH, abs=2)
            page.get_by_role("button", name="Stop sharing").click()
            expect_stopped(page, tmp_path)

            # The browser's own "Stop sharing" ends the track: the component resets itself.
            before = len(captures(tmp_path))
            assert len(share_until_captured(page, tmp_path, wanted=before + 1)) > before
            page.evaluate(END_TRACK_AS_THE_BROWSER_DOES)
            expect_stopped(page, tmp_path)

            stored = captures(tmp_path)
            assert screen_rows(tmp_path) == [(p.name, p.stat().st_size) for p in stored]
    finally:
        context.close()


# --- The Python side of the component, without a browser --------------------------------------


def test_a_frame_decodes_to_its_png_and_anything_else_is_refused() -> None:
    png = make_png(8, 6)
    assert decode_png({"png": base64.b64encode(png).decode(), "counter": 3}) == png
    just_over = base64.b64encode(PNG_SIGNATURE + bytes(MAX_PNG_BYTES - 7)).decode()
    bad = [
        ({"counter": 1}, "without a picture"),
        ("a string", "without a picture"),
        ({"png": "not base64!"}, "not valid base64"),
        ({"png": base64.b64encode(b"GIF89a....").decode()}, "not a PNG"),
        ({"png": just_over}, "larger than 5 MB"),
        ({"png": "A" * (MAX_PNG_BYTES * 2)}, "larger than 5 MB"),
    ]
    for frame, message in bad:
        with pytest.raises(ValidationError, match=message):
            decode_png(frame)


def test_webrtc_reaches_no_ice_server_unless_one_is_configured() -> None:
    assert rtc_configuration(None) == {"iceServers": []}
    assert rtc_configuration("stun:stun.example.org:3478") == {
        "iceServers": [{"urls": ["stun:stun.example.org:3478"]}]
    }
