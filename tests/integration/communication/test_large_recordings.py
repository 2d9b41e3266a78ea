"""A 17-minute 48 kHz stereo WAV (196 MB, as a browser or a recorder writes it) written to a
real file: refused from its header when over the answer limit, and otherwise converted to
16 kHz mono a block at a time, its working memory (traced by tracemalloc) far below its size.
Decoding it whole cost 1.5 GB."""

from __future__ import annotations

import tracemalloc
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from pydantic import SecretStr

from interview_platform.bootstrap import Services, bootstrap
from interview_platform.communication.audio import to_wav_16k_mono
from interview_platform.communication.openai_whisper import OpenAIWhisperTranscriber
from interview_platform.communication.transcription import read_wav, resample
from interview_platform.communication.wav_stream import BLOCK_FRAMES, speech_16k
from interview_platform.config import CommunicationSettings, Settings
from interview_platform.core.models import MediaType
from interview_platform.errors import ValidationError
from tests.conftest import make_config

RATE = 48_000
SECONDS = 17 * 60
TONE_HZ = 440.0
MB = 1024 * 1024


def write_stereo_wav(path: Path, seconds: int, rate: int = RATE) -> int:
    """A 440 Hz tone, louder on the left, written a second at a time; returns its frames."""
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(2)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        for second in range(seconds):
            t = (np.arange(rate) + second * rate) / rate
            tone = np.sin(2 * np.pi * TONE_HZ * t)
            frames = np.stack([0.6 * tone, 0.2 * tone], axis=1)
            writer.writeframes((frames * 32767).astype("<i2").tobytes())
    return seconds * rate


@pytest.fixture(scope="module")
def long_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("long") / "answer.wav"
    write_stereo_wav(path, SECONDS)
    return path


def traced_peak(action: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_the_long_recording_is_converted_in_bounded_memory(long_wav: Path) -> None:
    data = long_wav.read_bytes()
    assert len(data) > 180 * MB  # 196 MB

    converted, peak = traced_peak(lambda: to_wav_16k_mono(data, max_seconds=20 * 60))

    assert isinstance(converted, bytes)
    output = len(converted)  # 16 kHz mono 16-bit: a sixth of the source
    assert peak < output + 16 * MB < len(data) / 2, f"peak {peak / MB:.0f} MB"
    with wave.open(str(_written(long_wav.with_name("out.wav"), converted))) as reader:
        assert (reader.getnchannels(), reader.getsampwidth(), reader.getframerate()) == (
            1,
            2,
            16_000,
        )
        assert reader.getnframes() == SECONDS * 16_000
        reader.setpos(600 * 16_000)  # ten minutes in: the tone, downmixed (0.6 + 0.2) / 2
        middle = np.frombuffer(reader.readframes(16_000), "<i2") / 32767
    peak_hz = np.argmax(np.abs(np.fft.rfft(middle))) * 16_000 / len(middle)
    assert peak_hz == pytest.approx(TONE_HZ, abs=1)
    assert np.max(np.abs(middle)) == pytest.approx(0.4, abs=0.01)


def test_a_file_is_read_for_the_model_without_loading_it_whole(long_wav: Path) -> None:
    samples, peak = traced_peak(lambda: speech_16k(long_wav, max_seconds=20 * 60))

    assert isinstance(samples, np.ndarray) and len(samples) == SECONDS * 16_000
    assert peak < samples.nbytes * 2 + 16 * MB < long_wav.stat().st_size


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_block_by_block_equals_the_whole_signal_resampled(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    for rate in (44_100, 48_000, 8_000, 16_000, 22_050):
        frames = 3 * BLOCK_FRAMES + 12_345
        noise = rng.uniform(-0.9, 0.9, frames)
        path = tmp_path / f"noise-{rate}.wav"
        with wave.open(str(path), "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(rate)
            writer.writeframes((noise * 32767).astype("<i2").tobytes())
        whole = read_wav(path.read_bytes())
        expected = resample(whole.samples, whole.sample_rate)

        streamed = speech_16k(path)

        assert len(streamed) == len(expected)
        assert np.max(np.abs(streamed - expected)) < 1e-5, rate


@pytest.fixture
def app(tmp_path: Path) -> Services:
    settings = Settings(
        _env_file=None,
        database_url=f"sqlite:///{tmp_path / 'voice.db'}",
        data_dir=tmp_path / "data",
        log_to_file=False,
        communication=CommunicationSettings(audio_max_minutes=15),
    )
    return bootstrap(settings, console_logs=False)


def test_a_recording_over_the_limit_is_refused_from_its_header(
    app: Services, long_wav: Path
) -> None:
    session = app.session_manager.create_session(make_config(), "talker")
    app.session_manager.start_session(session.id)
    data = long_wav.read_bytes()

    def submit() -> object:
        with pytest.raises(
            ValidationError, match="17 min long; the limit for one answer is 15 min"
        ):
            app.audio.transcribe_recording(session.id, data)
        return None

    _, peak = traced_peak(submit)

    assert peak < MB  # not a sample was read
    assert app.data_store.list_media(session.id, MediaType.AUDIO) == []
    app.close()


def test_the_openai_backend_refuses_the_long_recording_by_size_without_decoding_it(
    long_wav: Path,
) -> None:
    data = long_wav.read_bytes()
    transcriber = OpenAIWhisperTranscriber(SecretStr("sk-test-0123456789abcdefghijklmnop"))

    def transcribe() -> object:
        with pytest.raises(ValidationError, match="larger than the 25 MB OpenAI accepts"):
            transcriber.transcribe(data)
        return None

    _, peak = traced_peak(transcribe)

    assert peak < MB
