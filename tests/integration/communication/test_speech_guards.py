"""The speech guards on real audio through the offline model: English from several espeak-ng
and flite voices passes; silence, music, noise and other languages get a clear message; a
long pause is skipped without invented words; a 10-minute answer is transcribed in full.

Skips without espeak-ng, flite or sox, unless REQUIRE_SPEECH=1 (as in CI).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from interview_platform.bootstrap import Services
from interview_platform.communication.audio import AudioHandler
from interview_platform.communication.local_whisper import LocalWhisperTranscriber
from interview_platform.communication.speech_guards import (
    NO_SPEECH,
    NOT_ENGLISH,
    SILENT,
    UNCLEAR,
    repeated_phrase_spans,
    text_loops,
    words_of,
)
from interview_platform.communication.transcription import Transcript, read_wav
from interview_platform.errors import CommunicationError
from tests.integration.communication.test_transcription import started, word_error_rate

FEED = (
    "The news feed is built when a post is written. We fan the post out to the followers' "
    "timelines, except for accounts with millions of followers, whose posts are merged in "
    "when the feed is read."
)
FIRST_PART = (
    "The gateway checks the token before anything else happens. Reads are served from a "
    "replica in the same region as the user."
)
SECOND_PART = (
    "Every service writes structured logs with a request id, so a call can be traced end "
    "to end. We alert on the error rate."
)
MONOLOGUE = [
    "Writes go to the leader, which ships its log to {n} followers.",
    "Hot keys are cached in memory for {n} minutes.",
    "A job that fails {n} times goes to a dead letter queue.",
    "Images are resized once and kept in object storage behind a content delivery network.",
    "Capacity is planned for {n} times the average load to survive the evening peak.",
    "Payments carry an idempotency key, so a retried request never charges twice.",
    "Old data moves to cheaper storage after {n} days.",
    "Deployments roll out one zone at a time and stop on the first failed health check.",
]
NUMBERS = ["two", "three", "five", "seven", "ten", "twelve", "twenty", "thirty", "forty"]
FOREIGN = {
    "es": "Si un servidor se cae, el balanceador envía las peticiones a los otros servidores.",
    "fr": "D'abord, nous découpons le système en petits services, et chaque service possède "
    "sa propre base de données.",
    "de": "Zuerst teilen wir das System in kleine Dienste auf, und jeder Dienst hat seine "
    "eigene Datenbank.",
}
NOISES = {
    "white noise": ["whitenoise", "vol", "0.3"],
    "pink noise with a beat": ["pinknoise", "tremolo", "3", "100", "vol", "0.5"],
    "a chord": ["pluck", "C4", "pluck", "E4", "pluck", "G4", "vol", "0.5"],
    "a sweeping tone": ["sine", "440:880", "vol", "0.4"],
    "a chord with a beat": ["pluck", "C3", "pluck", "G3", "tremolo", "4", "100", "vol", "0.4"],
}


def require_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "flite", "sox") if shutil.which(tool) is None]
    if not missing:
        return
    reason = f"{', '.join(missing)} not installed (apt-get install espeak-ng flite sox)"
    if os.environ.get("REQUIRE_SPEECH") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def to_16k(raw: Path, out: Path, *effects: str) -> bytes:
    """sox without dither (every run hears the same), 16 kHz mono 16-bit."""
    command = ["sox", "-D", str(raw), "-r", "16000", "-c", "1", "-b", "16", str(out), *effects]
    subprocess.run(command, check=True)
    return out.read_bytes()


def spoken(text: str, voice: str, folder: Path, *effects: str) -> bytes:
    """`voice` is espeak-ng's (en-us, en-gb, ...) or flite's (flite-slt, ...)."""
    require_tools()
    stem = f"{voice}-{hashlib.sha1(text.encode()).hexdigest()[:8]}"
    raw = folder / f"{stem}.raw.wav"
    if voice.startswith("flite-"):
        command = ["flite", "-voice", voice.removeprefix("flite-"), "-t", text, "-o", str(raw)]
    else:
        command = ["espeak-ng", "-v", voice, "-s", "150", "-w", str(raw), text]
    subprocess.run(command, check=True)
    return to_16k(raw, folder / f"{stem}.wav", *effects)


def synthesised(seconds: float, folder: Path, *sound: str) -> bytes:
    """sox's own sounds; none is silence."""
    require_tools()
    out = folder / "synth.wav"
    command = ["sox", "-D", "-n", "-r", "16000", "-c", "1", "-b", "16", str(out)]
    tail = ["synth", str(seconds), *sound] if sound else ["trim", "0", str(seconds)]
    subprocess.run([*command, *tail], check=True)
    return out.read_bytes()


def joined(folder: Path, *parts: bytes) -> bytes:
    paths = []
    for index, part in enumerate(parts):
        paths.append(folder / f"part{index}.wav")
        paths[-1].write_bytes(part)
    out = folder / "joined.wav"
    subprocess.run(["sox", "-D", *map(str, paths), str(out)], check=True)
    return out.read_bytes()


def refused(local: LocalWhisperTranscriber, wav: bytes) -> str:
    with pytest.raises(CommunicationError) as caught:
        local.transcribe(wav)
    return str(caught.value)


@pytest.fixture(scope="module")
def local() -> LocalWhisperTranscriber:
    transcriber = LocalWhisperTranscriber()
    if transcriber.available() is not None:
        pytest.skip(str(transcriber.available()))
    return transcriber


def assert_clean(transcript: Transcript) -> None:
    """Words, none of them a loop, and nothing left out."""
    assert transcript.text, transcript
    assert not [s.text for s in transcript.segments if text_loops(s.text)]
    assert not repeated_phrase_spans(words_of(transcript.text)), transcript.text
    assert not any("left out" in note for note in transcript.notes), transcript.notes


@pytest.mark.parametrize(
    "voice",
    [
        "en-us",
        "en-gb",
        "en-gb-x-rp",
        "en-us+f3",
        "flite-kal",
        "flite-slt",
        "flite-awb",
        "flite-rms",
    ],
)
def test_english_speech_passes_the_guards(
    local: LocalWhisperTranscriber, tmp_path: Path, voice: str
) -> None:
    transcript = local.transcribe(spoken(FEED, voice, tmp_path))

    assert_clean(transcript)
    assert word_error_rate(FEED, transcript.text) <= 0.35, transcript.text


@pytest.mark.parametrize("noise", [[], ["pinknoise", "vol", "0.003"]], ids=["zero", "room"])
def test_silence_is_reported_as_silent(
    local: LocalWhisperTranscriber, tmp_path: Path, noise: list[str]
) -> None:
    assert refused(local, synthesised(10, tmp_path, *noise)) == SILENT


@pytest.mark.parametrize("sound", NOISES.values(), ids=NOISES.keys())
def test_music_and_noise_are_not_taken_for_speech(
    local: LocalWhisperTranscriber, tmp_path: Path, sound: list[str]
) -> None:
    assert refused(local, synthesised(10, tmp_path, *sound)) == NO_SPEECH


@pytest.mark.parametrize("language", FOREIGN)
def test_other_languages_are_refused_as_not_english(
    local: LocalWhisperTranscriber, tmp_path: Path, language: str
) -> None:
    assert refused(local, spoken(FOREIGN[language], language, tmp_path)) == NOT_ENGLISH


def test_a_clip_that_sends_the_model_into_a_loop_never_gives_the_loop(
    local: LocalWhisperTranscriber, tmp_path: Path
) -> None:
    """Without the guards tiny.en hears "The last time I was in the last time I was in ..."."""
    text = "Para guardar los pedidos usamos una base de datos con réplicas en dos regiones."

    assert refused(local, spoken(text, "es", tmp_path)) in (NOT_ENGLISH, UNCLEAR)


def test_a_long_pause_keeps_both_parts_and_invents_nothing(
    local: LocalWhisperTranscriber, tmp_path: Path
) -> None:
    first = spoken(FIRST_PART, "en-us", tmp_path, "trim", "0", "10")
    second = spoken(SECOND_PART, "en-us", tmp_path, "trim", "0", "10")
    wav = joined(tmp_path, first, synthesised(40, tmp_path), second)
    pause_starts = read_wav(first).duration_s
    pause_ends = pause_starts + 40

    transcript = local.transcribe(wav)

    assert_clean(transcript)
    invented = [s for s in transcript.segments if pause_starts + 1 < s.start < pause_ends - 1]
    assert not invented, transcript.segments
    before = " ".join(s.text for s in transcript.segments if s.start < pause_starts)
    after = " ".join(s.text for s in transcript.segments if s.start >= pause_ends - 1)
    assert word_error_rate(FIRST_PART, before) <= 0.35, before
    assert word_error_rate(SECOND_PART, after) <= 0.35, after


def test_a_ten_minute_monologue_is_transcribed_in_full_with_a_note(
    local: LocalWhisperTranscriber, tmp_path: Path
) -> None:
    sentences = [s.format(n=n) for n in NUMBERS for s in MONOLOGUE]
    wav = spoken(" ".join(sentences * 2), "en-us", tmp_path, "trim", "0", "600")

    transcript = local.transcribe(wav)

    assert_clean(transcript)
    assert transcript.duration_s == pytest.approx(600, abs=0.1)
    assert transcript.segments[-1].end > 590
    assert len(transcript.text.split()) > 1_300
    assert any("10 minutes long" in note for note in transcript.notes), transcript.notes


def test_music_says_so_keeps_the_recording_and_adds_no_turn(
    app: Services, local: LocalWhisperTranscriber, tmp_path: Path
) -> None:
    session_id = started(app)
    handler = AudioHandler(app.file_storage, app.session_manager, local, app.work_queue)
    before = app.session_manager.get_conversation(session_id)

    job = handler.transcribe_recording(session_id, synthesised(10, tmp_path, *NOISES["a chord"]))

    with pytest.raises(CommunicationError, match="no speech"):
        job.result(timeout=120)
    assert Path(app.file_storage.get_file_path(session_id, "audio", "recording_001.wav")).is_file()
    assert app.session_manager.get_conversation(session_id) == before
