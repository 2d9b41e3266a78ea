"""Speech to text behind one interface (`Transcriber`): the transcript's shape and the WAV
reading both backends share. The backends are `local_whisper` (offline Whisper tiny.en, the
default) and `openai_whisper` (OpenAI's Whisper API); `transcribers` chooses one."""

from __future__ import annotations

import io
import wave
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from interview_platform.communication.vocabulary import Vocabulary
from interview_platform.communication.wav_header import check_wav_header, data_chunk
from interview_platform.errors import ValidationError

SAMPLE_RATE = 16_000
MAX_SECONDS = 30 * 60
Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Segment:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Correction:
    """A heard near-miss replaced by an interview term, and the evidence for it."""

    heard: str
    corrected: str
    evidence: str

    def to_dict(self) -> dict[str, str]:
        return {"heard": self.heard, "corrected": self.corrected, "evidence": self.evidence}


@dataclass(frozen=True)
class Transcript:
    text: str
    segments: list[Segment] = field(default_factory=list)
    duration_s: float = 0.0
    backend: str = ""
    heard: str = ""  # the model's own words when corrections changed them
    corrections: tuple[Correction, ...] = ()
    notes: tuple[str, ...] = ()  # what the speech guards did, for the candidate to read

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "segments": [{"start": s.start, "end": s.end, "text": s.text} for s in self.segments],
            "duration_s": self.duration_s,
            "backend": self.backend,
            "heard": self.heard or self.text,
            "corrections": [c.to_dict() for c in self.corrections],
            "notes": list(self.notes),
        }


class Biasing(StrEnum):
    """How the interview's vocabulary reaches the offline model."""

    NONE = "none"
    HOTWORDS = "hotwords"  # faster-whisper's hotwords: a prefix the decoder sees
    PROMPT = "prompt"  # Whisper's initial prompt: as if the terms had just been said


class Transcriber(Protocol):
    name: str

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        """The words in `wav`; `vocabulary` says which terms to expect."""

    def available(self) -> str | None:
        """None when this backend can run; otherwise what is missing, as a message."""


@dataclass(frozen=True)
class Audio:
    samples: Samples  # mono, -1..1
    sample_rate: int
    channels: int  # of the source

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.sample_rate


def read_wav(data: bytes) -> Audio:
    """Decode a PCM WAV (8, 16, 24 or 32-bit, any rate and channel count) to mono floats."""
    check_wav_header(data)
    try:
        with wave.open(io.BytesIO(data)) as reader:
            rate, channels, width = (
                reader.getframerate(),
                reader.getnchannels(),
                reader.getsampwidth(),
            )
            raw = data_chunk(data) or b""  # its header's size may be wrong
            if rate <= 0 or len(raw) / (width * channels) / rate > MAX_SECONDS:
                raise ValidationError(
                    "The recording is longer than 30 minutes; answer in shorter parts."
                )
    except (wave.Error, EOFError) as exc:
        raise ValidationError(
            f"The recording is not a PCM WAV file this app can read ({exc or 'cut short'}); "
            "record again."
        ) from exc
    pcm = pcm_to_float(raw, width)
    pcm = pcm[: len(pcm) - len(pcm) % channels].reshape(-1, channels)
    return Audio(pcm.mean(axis=1, dtype=np.float32), rate, channels)


def pcm_to_float(raw: bytes, width: int) -> Samples:
    if width == 1:
        return ((np.frombuffer(raw, np.uint8).astype(np.float32) - 128.0) / 128.0).astype(
            np.float32
        )
    if width == 3:
        triples = np.frombuffer(raw[: len(raw) - len(raw) % 3], np.uint8).reshape(-1, 3)
        values = triples[:, 0].astype(np.int32) | (triples[:, 1].astype(np.int32) << 8)
        values |= triples[:, 2].astype(np.int8).astype(np.int32) << 16
        return (values / 8_388_608.0).astype(np.float32)
    if width in (2, 4):
        kind = np.dtype(f"<i{width}")
        ints = np.frombuffer(raw[: len(raw) - len(raw) % width], kind)
        return (ints / float(2 ** (8 * width - 1))).astype(np.float32)
    raise ValidationError(f"{8 * width}-bit WAV files are not supported; record again.")


def resample(samples: Samples, rate: int, target: int = SAMPLE_RATE) -> Samples:
    """Linear interpolation to `target` Hz (speech needs no more for Whisper)."""
    if rate == target or len(samples) == 0:
        return samples
    count = round(len(samples) * target / rate)
    positions = np.arange(count, dtype=np.float64) * (rate / target)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)
