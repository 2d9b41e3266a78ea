"""Voice and video on the real Interview page in Chromium, with its fake devices.

Voice: the fake microphone plays espeak-ng speech into `st.audio_input`; after Stop the
transcript appears in an editable review box, is corrected, and Send makes the corrected text
the candidate's turn; a chord instead of speech is refused as no speech. Video: the fake camera
at 30 fps (the rate whose timestamp jitter used to end recordings after a second) is recorded
over WebRTC for about ten seconds with the self-view showing, and the stored MP4 lasts as long
as the camera was on.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import av
import pytest
from playwright.sync_api import Browser, Page, expect

from interview_platform.communication.speech_guards import NO_SPEECH
from interview_platform.ui.media import REVIEW_LABEL
from tests.e2e.conftest import VIEWPORT, chromium

FAKE_DEVICES = ("--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream=fps=30")
CAMERA_SECONDS = 10
SENTENCE = "I would put a cache in front of the database to keep the hot keys in memory."
RECORD_MS = 7_000  # the sentence is about five seconds; the fake microphone loops it
WAIT_MS = 90_000  # the first transcription may also load the model
CORRECTION = "I would put a Redis cache in front of the database."


def speech(folder: Path) -> Path:
    """SENTENCE spoken by espeak-ng, as a 48 kHz WAV for the fake microphone."""
    if not (shutil.which("espeak-ng") and shutil.which("sox")):
        reason = "espeak-ng and sox are needed (apt-get install espeak-ng sox)"
        if os.environ.get("REQUIRE_SPEECH") == "1":
            pytest.fail(f"{reason}, and REQUIRE_SPEECH=1 makes the speech tests mandatory.")
        pytest.skip(reason)
    raw, wav = folder / "raw.wav", folder / "answer.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(raw), SENTENCE], check=True)
    subprocess.run(["sox", "-D", str(raw), "-r", "48000", "-c", "1", str(wav)], check=True)
    return wav


@pytest.fixture
def devices_browser(tmp_path: Path) -> Iterator[Browser]:
    wav = speech(tmp_path)
    yield from chromium(*FAKE_DEVICES, f"--use-file-for-fake-audio-capture={wav}")


@pytest.fixture
def music_browser(tmp_path: Path) -> Iterator[Browser]:
    """The fake microphone plays a chord: sound, but no speech."""
    speech(tmp_path)  # skips without espeak-ng and sox
    wav = tmp_path / "chord.wav"
    chord = ["synth", "8", "pluck", "C4", "pluck", "E4", "pluck", "G4", "vol", "0.5"]
    subprocess.run(["sox", "-D", "-n", "-r", "48000", "-c", "1", str(wav), *chord], check=True)
    yield from chromium(*FAKE_DEVICES, f"--use-file-for-fake-audio-capture={wav}")


# Notes on the top window (the webrtc widget's iframe is of the same origin) when the browser
# first hands the camera to the page, and when the camera's WebRTC connection comes up: from
# then on its frames reach the server's recorder. (The time between is the signalling through
# Streamlit reruns, about a second; no frame can be recorded before the connection exists),
# and when Stop closes it: the recording is the time between, however slowly the page's runs
# go under load.
NOTE_CAMERA_TIMES = """(() => {
  const devices = navigator.mediaDevices;
  if (!devices) return;
  const open = devices.getUserMedia.bind(devices);
  devices.getUserMedia = async (constraints) => {
    const stream = await open(constraints);
    if (constraints && constraints.video && window.top.cameraOnAt === undefined) {
      window.top.cameraOnAt = Date.now();
    }
    return stream;
  };
  const Peer = window.RTCPeerConnection;
  window.RTCPeerConnection = function (...args) {
    const peer = new Peer(...args);
    peer.addEventListener("connectionstatechange", () => {
      if (peer.connectionState === "connected" && window.top.connectedAt === undefined) {
        window.top.connectedAt = Date.now();
      }
    });
    const close = peer.close.bind(peer);
    peer.close = () => {
      if (window.top.connectedAt !== undefined && window.top.closedAt === undefined) {
        window.top.closedAt = Date.now();
      }
      return close();
    };
    return peer;
  };
  window.RTCPeerConnection.prototype = Peer.prototype;
})();"""


def open_interview(browser: Browser, url: str, mode: str) -> Page:
    context = browser.new_context(viewport=VIEWPORT, permissions=["microphone", "camera"])
    context.add_init_script(NOTE_CAMERA_TIMES)
    page = context.new_page()
    page.goto(url)
    expect(page.get_by_role("heading", name="Setup Your Mock Interview")).to_be_visible(
        timeout=WAIT_MS
    )
    page.get_by_text(mode, exact=True).click()
    page.get_by_role("button", name="Start Interview").click()
    return page


def record_an_answer(page: Page) -> None:
    """Record for RECORD_MS with the fake microphone, then press Stop."""
    recorder = page.get_by_test_id("stAudioInput")
    expect(recorder).to_be_visible(timeout=WAIT_MS)
    recorder.get_by_role("button", name=re.compile("record", re.IGNORECASE)).click()
    page.wait_for_timeout(RECORD_MS)
    recorder.get_by_role("button", name=re.compile("stop", re.IGNORECASE)).click()


def candidate_turns(workdir: Path) -> list[tuple[str, dict[str, Any]]]:
    with closing(sqlite3.connect(workdir / "data" / "interview_platform.db")) as db:
        rows = db.execute("SELECT content, metadata FROM conversations WHERE role = 'candidate'")
        return [(content, json.loads(metadata)) for content, metadata in rows]


def test_a_spoken_answer_is_reviewed_corrected_and_sent(
    devices_browser: Browser, app_url: str, tmp_path: Path
) -> None:
    page = open_interview(devices_browser, app_url, "Voice answers")
    record_an_answer(page)

    review = page.get_by_label(REVIEW_LABEL)
    expect(review).to_have_value(re.compile(r"I would put .*\bin memory\b", re.I), timeout=WAIT_MS)
    transcript = page.get_by_test_id("stColumn").filter(
        has=page.get_by_role("heading", name="Transcript")
    )
    expect(transcript).not_to_contain_text("Candidate:")  # nothing is sent before Send

    review.fill(CORRECTION)
    page.get_by_role("button", name="Send", exact=True).click()

    mine = page.get_by_test_id("stChatMessage").filter(has_text=CORRECTION)
    expect(mine).to_be_visible(timeout=WAIT_MS)
    expect(transcript).to_contain_text("Candidate: I would put a Redis", timeout=WAIT_MS)
    expect(page.get_by_label(REVIEW_LABEL)).to_have_count(0)
    expect(page.get_by_test_id("stAudioInput")).to_be_visible()  # ready for the next answer
    page.context.close()
    ((content, metadata),) = candidate_turns(tmp_path)
    assert content == CORRECTION
    assert (metadata["source"], metadata["media"], metadata["edited"]) == (
        "audio",
        "recording_001.wav",
        True,
    )
    assert re.search(r"\bin memory\b", metadata["transcript"], re.IGNORECASE)


def test_music_instead_of_speech_says_so_and_sends_nothing(
    music_browser: Browser, app_url: str, tmp_path: Path
) -> None:
    page = open_interview(music_browser, app_url, "Voice answers")
    record_an_answer(page)

    expect(page.get_by_text(NO_SPEECH)).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_label(REVIEW_LABEL)).to_have_count(0)
    page.context.close()
    assert candidate_turns(tmp_path) == []
    assert list((tmp_path / "data").rglob("recording_001.wav"))  # the recording is kept


def test_the_camera_is_recorded_as_long_as_it_is_on_with_a_self_view(
    devices_browser: Browser, app_url: str, tmp_path: Path
) -> None:
    page = open_interview(devices_browser, app_url, "Video")
    start = page.get_by_role("button", name="Start camera")
    expect(start).to_be_visible(timeout=WAIT_MS)
    # The widget's own Material UI buttons (START, SELECT DEVICE, in capitals) are hidden:
    # the page's button drives it.
    widget = page.frame_locator('iframe[title*="webrtc_streamer"]')
    expect(widget.get_by_role("button", name=re.compile("start|select", re.I))).to_have_count(0)
    start.click()

    self_view = page.get_by_label("Your camera")
    expect(self_view).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_text("● Recording")).to_be_visible(timeout=WAIT_MS)
    page.wait_for_function(
        "video => video.videoWidth > 0 && !video.paused", arg=self_view.element_handle()
    )
    page.wait_for_function(f"() => Date.now() - window.connectedAt >= {CAMERA_SECONDS * 1000}")
    page.get_by_role("button", name="Stop camera").click()
    expect(page.get_by_text("Video saved as interview.mp4.")).to_be_visible(timeout=WAIT_MS)
    expect(page.get_by_label("Your camera")).to_have_count(0)
    # The server may store the video on the rerun that stops it, a moment before the widget's
    # iframe closes its peer connection: wait for the close before measuring.
    page.wait_for_function("() => window.closedAt !== undefined", timeout=WAIT_MS)
    connected, camera_on = page.evaluate(
        "() => [(window.closedAt - window.connectedAt) / 1000,"
        " (window.closedAt - window.cameraOnAt) / 1000]"
    )
    page.context.close()

    (video,) = (tmp_path / "data" / "sessions").glob("*/video/*.mp4")
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        assert container.duration is not None
        duration = container.duration / av.time_base
    assert stream.codec_context.name == "h264"
    assert duration == pytest.approx(connected, abs=1.0), (duration, connected, camera_on)
    assert duration <= camera_on + 0.5  # never longer than the camera was on
    assert frames >= 10 * duration  # frames all along, not a few stretched out
