"""A spoken answer in a real browser: Chromium's fake microphone plays espeak-ng speech into
`st.audio_input`; the app stores the WAV, transcribes it offline, and the words reach the
transcript as the candidate's turn."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import chromium

SENTENCE = "I would put a cache in front of the database to keep the hot keys in memory."
RECORD_MS = 7_000  # the sentence is about five seconds; the fake microphone loops it
WAIT_MS = 90_000  # the first transcription also loads the model


def speech(folder: Path) -> Path:
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
def microphone_browser(tmp_path: Path) -> Iterator[Browser]:
    wav = speech(tmp_path)
    yield from chromium(
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-audio-capture={wav}",
    )


def test_a_spoken_answer_reaches_the_transcript(microphone_browser: Browser, app_url: str) -> None:
    context = microphone_browser.new_context(
        viewport={"width": 1600, "height": 1000}, permissions=["microphone"]
    )
    page: Page = context.new_page()
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Setup Your Mock Interview")).to_be_visible(
        timeout=WAIT_MS
    )
    page.get_by_text("Voice answers").click()
    page.get_by_role("button", name="Start Interview").click()
    recorder = page.get_by_test_id("stAudioInput")
    expect(recorder).to_be_visible(timeout=WAIT_MS)

    recorder.get_by_role("button", name=re.compile("record", re.IGNORECASE)).click()
    page.wait_for_timeout(RECORD_MS)  # speaking: the fake microphone plays the sentence
    recorder.get_by_role("button", name=re.compile("stop", re.IGNORECASE)).click()

    transcript = page.get_by_test_id("stColumn").filter(
        has=page.get_by_role("heading", name="Transcript")
    )
    # The browser's audio processing blurs synthetic speech ("cache" may come out "cash"), so
    # the check is that the spoken words became the candidate's turn, not their exact spelling.
    spoken = re.compile(r"Candidate: I would put .*\bin memory\b", re.IGNORECASE)
    expect(transcript).to_contain_text(spoken, timeout=WAIT_MS)
    context.close()
