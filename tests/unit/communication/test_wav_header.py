"""Recordings that are no readable WAV file get a message saying what is wrong; a header that
misstates the audio's size does not lose the audio."""

from __future__ import annotations

import io
import struct
import wave

import pytest

from interview_platform.communication.wav_header import (
    CUT_SHORT,
    EMPTY,
    NO_AUDIO,
    check_wav_header,
    data_chunk,
)
from interview_platform.errors import ValidationError

AUDIO = bytes(range(256)) * 125  # 32,000 bytes: one second of 16 kHz 16-bit mono


def wav(audio: bytes = AUDIO, rate: int = 16_000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(audio)
    return buffer.getvalue()


def with_data_size(data: bytes, size: int) -> bytes:
    return data[:40] + struct.pack("<I", size) + data[44:]


def with_rate(data: bytes, rate: int) -> bytes:
    return data[:24] + struct.pack("<II", rate, rate * 2) + data[32:]


def test_a_good_wav_passes_and_its_audio_is_found() -> None:
    check_wav_header(wav())

    assert data_chunk(wav()) == AUDIO


@pytest.mark.parametrize("size", [0, 0xFFFFFFFF, 10**6])
def test_a_data_size_that_is_unknown_or_too_large_reads_the_rest_of_the_file(size: int) -> None:
    data = with_data_size(wav(), size)

    check_wav_header(data)
    assert data_chunk(data) == AUDIO


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", EMPTY),
        (wav()[:8] + b"AVI " + wav()[12:], "The recording is not a WAV file; record again"),
        (b"ID3\x04\x00\x00" + b"\xff\xfb" * 50, "The recording is an MP3 file, not a WAV file"),
        (b"\xff\xfb\x90\x64" + bytes(100), "an MP3 file, not a WAV file"),
        (b"OggS\x00\x02" + bytes(100), "an Ogg file, not a WAV file"),
        (b"\x1aE\xdf\xa3" + bytes(100), "a WebM file, not a WAV file"),
        (b"fLaC" + bytes(100), "a FLAC file, not a WAV file"),
        (b"\x00\x00\x00\x20ftypM4A " + bytes(100), "an MP4 file, not a WAV file"),
        (wav()[:20], CUT_SHORT),
        (wav()[:36], CUT_SHORT),
        (wav()[:44], NO_AUDIO),
        (wav()[:45], NO_AUDIO),
        (with_rate(wav(), 0), "sample rate of 0 Hz"),
        (with_rate(wav(), 1), "sample rate of 1 Hz"),
        (with_rate(wav(), 2_000_000_000), "sample rate of 2000000000 Hz"),
    ],
)
def test_unreadable_recordings_say_what_is_wrong(data: bytes, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_wav_header(data)

    assert message in str(caught.value)
    assert str(caught.value).endswith("record again or type your answer.")
