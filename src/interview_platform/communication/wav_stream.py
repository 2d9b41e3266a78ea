"""Any PCM WAV recording as 16 kHz mono, read a block at a time: memory stays at a block and
the 16 kHz result whatever the source's size (a 17-minute 48 kHz stereo WAV is 187 MB; decoding
it whole cost 1.5 GB). A recording longer than the limit is refused from its header, before a
sample is read."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

import numpy as np

from interview_platform.communication.transcription import SAMPLE_RATE, Samples, pcm_to_float
from interview_platform.communication.wav_header import WavLayout, read_layout
from interview_platform.errors import ValidationError

BLOCK_FRAMES = 1 << 16  # about 1.4 s at 48 kHz
DEFAULT_MAX_SECONDS = 15 * 60

Source = bytes | Path


class Resampler:
    """Linear interpolation from `rate` to `target` Hz, fed a block at a time: the same
    samples `transcription.resample` gives for the whole signal of `frames` frames."""

    def __init__(self, rate: int, target: int, frames: int) -> None:
        self._step = rate / target
        self._count = frames if rate == target else round(frames * target / rate)
        self._done = 0  # output samples given so far
        self._base = 0  # the input index of the next block's first sample
        self._carry: Samples = np.zeros(0, np.float32)  # the last input sample, for the joint

    def feed(self, block: Samples, last: bool) -> Samples:
        joined: Samples = np.concatenate([self._carry, block])
        first = self._base - len(self._carry)  # the input index of joined[0]
        self._base += len(block)
        if len(joined) == 0:
            return joined
        reach = first + len(joined) - 1  # outputs up to this input position are known
        end = self._count if last else min(self._count, int(reach / self._step) + 1)
        positions = np.arange(self._done, max(end, self._done), dtype=np.float64) * self._step
        self._done = max(end, self._done)
        self._carry = joined[-1:]
        picked = np.interp(positions - first, np.arange(len(joined)), joined)
        return picked.astype(np.float32)


@contextmanager
def opened(source: Source) -> Iterator[tuple[BinaryIO, int]]:
    """A reader over `source` and its size in bytes, without copying bytes already in memory."""
    if isinstance(source, Path):
        with source.open("rb") as handle:
            yield handle, source.stat().st_size
    else:
        yield io.BytesIO(source), len(source)


def checked_layout(reader: BinaryIO, total: int, max_seconds: float) -> WavLayout:
    """The recording's layout; ValidationError if it is longer than `max_seconds`."""
    layout = read_layout(reader, total)
    if layout.duration_s > max_seconds:
        raise ValidationError(
            f"The recording is {minutes(layout.duration_s)} long; the limit for one answer is "
            f"{minutes(max_seconds)}. Answer in shorter parts."
        )
    return layout


def minutes(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60} min {whole % 60} s" if whole % 60 else f"{whole // 60} min"


def blocks_16k(reader: BinaryIO, layout: WavLayout) -> Iterator[Samples]:
    """The recording's samples as 16 kHz mono floats (-1..1), a block at a time."""
    frame_bytes = layout.width * layout.channels
    resampler = Resampler(layout.rate, SAMPLE_RATE, layout.frames)
    remaining = layout.frames * frame_bytes
    reader.seek(layout.data_start)
    while remaining > 0:
        raw = reader.read(min(remaining, BLOCK_FRAMES * frame_bytes))
        remaining = remaining - len(raw) if raw else 0
        usable = len(raw) - len(raw) % frame_bytes
        pcm = pcm_to_float(raw[:usable], layout.width).reshape(-1, layout.channels)
        yield resampler.feed(pcm.mean(axis=1, dtype=np.float32), last=remaining == 0)


def duration_s(source: Source, max_seconds: float = DEFAULT_MAX_SECONDS) -> float:
    """The recording's length, from its header."""
    with opened(source) as (reader, total):
        return checked_layout(reader, total, max_seconds).duration_s


def speech_16k(source: Source, max_seconds: float = DEFAULT_MAX_SECONDS) -> Samples:
    """The recording as 16 kHz mono floats, for a speech model."""
    with opened(source) as (reader, total):
        layout = checked_layout(reader, total, max_seconds)
        return np.concatenate(list(blocks_16k(reader, layout)))


def wav_16k_mono(source: Source, max_seconds: float = DEFAULT_MAX_SECONDS) -> tuple[bytes, float]:
    """The recording as 16 kHz mono 16-bit PCM WAV, and its length in seconds."""
    buffer = io.BytesIO()
    written = 0
    with opened(source) as (reader, total):
        layout = checked_layout(reader, total, max_seconds)
        with wave.open(buffer, "wb") as writer:
            writer.setnchannels(1)
            writer.setsampwidth(2)
            writer.setframerate(SAMPLE_RATE)
            for block in blocks_16k(reader, layout):
                pcm = np.clip(np.round(block * 32767.0), -32768, 32767).astype("<i2")
                writer.writeframes(pcm.tobytes())
                written += len(pcm)
    return buffer.getvalue(), round(written / SAMPLE_RATE, 2)
