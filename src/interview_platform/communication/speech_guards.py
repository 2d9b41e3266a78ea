"""Guards between the offline speech model and the conversation.

Whisper tiny.en can loop ("t't't't..." or one sentence over and over), write words into
silence or noise, and turn other languages into English-looking gibberish. Around one
decoding function this module:

1. asks Silero VAD (bundled with faster-whisper) where the speech is: none means a clear
   message and no decoding at all;
2. decodes the speech only (VAD filter, so long pauses cannot be filled with invented text),
   greedily at temperature 0, the fast path;
3. decodes each looping stretch again with a repetition penalty and without the text before
   it; what still loops is left out, and the transcript's notes say so;
4. refuses an answer the model was unsure of throughout: it did not sound like English;
   an answer it was unsure of in places gets a note asking the candidate to check it.

Thresholds are Whisper's own where it has one (compression ratio 2.4, log probability -1);
the others were measured on espeak-ng and flite voices (see docs/operations.md).
"""

from __future__ import annotations

import math
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from interview_platform.errors import CommunicationError

RATE = 16_000
LOOP_COMPRESSION_RATIO = 2.4  # Whisper's: text this compressible is a repetition loop
MIN_TEXT_FOR_COMPRESSION = 40  # shorter texts barely compress, whatever they say
SAME_SEGMENT_RUN = 3  # the same sentence this many times in a row is a loop
SAME_WORDS_RUN = 4  # "the the the the": a word or two this many times back to back
PHRASE_COPIES = 2.5  # "X, and X, and X": a longer phrase this many times back to back
LONGEST_PHRASE = 20
SAME_CHARACTERS_RUN = 8  # "tztztztz...": 1 to 4 characters this many times
NOT_ENGLISH_LOGPROB = -1.0  # Whisper's: a mean log probability per token below is guesswork
UNSURE_LOGPROB = -0.75  # below this the candidate is asked to check the words closely
MIN_SPEECH_S = 0.3
SILENT_RMS = 10 ** (-50 / 20)  # -50 dBFS: below this no microphone is really picking up sound
LONG_ANSWER_S = 5 * 60
VAD_PARAMETERS: Mapping[str, Any] = {"min_silence_duration_ms": 1000, "speech_pad_ms": 400}
FIRST_PASS: Mapping[str, Any] = {
    "temperature": 0.0,
    "vad_filter": True,
    "vad_parameters": VAD_PARAMETERS,
}
RETRY: Mapping[str, Any] = {
    **FIRST_PASS,
    "repetition_penalty": 1.3,
    "condition_on_previous_text": False,
}

SILENT = (
    "The recording is silent: check that the right microphone is chosen and not muted, then "
    "record again, or type your answer."
)
NO_SPEECH = (
    "We heard sound but no speech (music or noise?); record again closer to the microphone, "
    "or type your answer."
)
NOT_ENGLISH = (
    "This did not sound like English: the offline speech model understands English only. "
    "Answer in English (if you did, speak a little slower and closer to the microphone), "
    "or type your answer."
)
UNCLEAR = (
    "We could not make out any words: the speech model only repeated itself. Record again, "
    "in English (the offline model understands English only), speaking clearly, or type "
    "your answer."
)
UNSURE_NOTE = "Parts of this answer were hard to make out: check the words before sending."

Samples = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Heard:
    """One segment as the decoder reports it, with the statistics of its 30 s window."""

    start: float
    end: float
    text: str
    avg_logprob: float = 0.0
    compression_ratio: float = 1.0
    no_speech_prob: float = 0.0

    @property
    def seconds(self) -> float:
        return max(0.0, self.end - self.start)


Decoder = Callable[[Samples, Mapping[str, Any]], list[Heard]]
Span = tuple[float, float]  # seconds from the start of the recording
SpeechFinder = Callable[[Samples], list[Span]]


@dataclass(frozen=True)
class Guarded:
    """The segments fit for the conversation and what was done to get them, in words."""

    segments: list[Heard]
    notes: tuple[str, ...] = ()


def guarded_transcription(
    samples: Samples, decode: Decoder, find_speech: SpeechFinder | None = None
) -> Guarded:
    """Decode `samples` (16 kHz mono) with the guards; CommunicationError when nothing
    usable was heard. `find_speech` says where the speech is (Silero VAD)."""
    speech = (find_speech or speech_spans)(samples)
    require_speech(samples, speech)
    duration = len(samples) / RATE
    heard = [starting_in_speech(h, speech) for h in within(decode(samples, FIRST_PASS), duration)]
    kept: list[Heard] = []
    notes: list[str] = []
    for run, looping in runs_by_loop(heard):
        if looping:
            run = _decoded_again(samples, run, decode, notes)
        kept.extend(run)
    if heard and not kept:
        raise CommunicationError(UNCLEAR)
    confidence = mean_logprob(kept)
    if confidence < NOT_ENGLISH_LOGPROB:
        raise CommunicationError(NOT_ENGLISH)
    if confidence < UNSURE_LOGPROB:
        notes.append(UNSURE_NOTE)
    if duration > LONG_ANSWER_S:
        notes.append(long_answer_note(duration))
    return Guarded(kept, tuple(notes))


def require_speech(samples: Samples, speech: Sequence[Span]) -> None:
    """CommunicationError unless `speech` holds enough of `samples`."""
    if sum(end - start for start, end in speech) >= MIN_SPEECH_S:
        return
    raise CommunicationError(SILENT if is_silent(samples) else NO_SPEECH)


def speech_spans(samples: Samples) -> list[Span]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps  # type: ignore[import-untyped]

    spans = get_speech_timestamps(samples, VadOptions(**VAD_PARAMETERS))
    return [(span["start"] / RATE, span["end"] / RATE) for span in spans]


def starting_in_speech(heard: Heard, speech: Sequence[Span]) -> Heard:
    """`heard` starting where its speech does. Decoding speech only, faster-whisper maps a
    segment decoded across a pause from where the speech before the pause ends, so a sentence
    said after 40 s of silence was timed as starting before it; a segment with less than
    MIN_SPEECH_S of speech before a later stretch starts with that stretch."""
    inside = [(max(a, heard.start), min(b, heard.end)) for a, b in speech]
    spoken = [(a, b) for a, b in inside if b - a >= MIN_SPEECH_S]
    if not spoken or spoken[0][0] <= heard.start:
        return heard
    return replace(heard, start=round(spoken[0][0], 2))


def is_silent(samples: Samples) -> bool:
    return len(samples) == 0 or float(np.sqrt(np.mean(np.square(samples)))) < SILENT_RMS


def within(heard: Sequence[Heard], duration: float) -> list[Heard]:
    """Non-empty segments, clipped to the recording (a loop can run past its end)."""
    clipped = [replace(h, text=h.text.strip(), end=min(h.end, duration)) for h in heard]
    return [h for h in clipped if h.text and h.start < duration]


def runs_by_loop(heard: Sequence[Heard]) -> list[tuple[list[Heard], bool]]:
    """Consecutive segments grouped by whether they are part of a repetition loop."""
    looping = looping_indices(heard)
    runs: list[tuple[list[Heard], bool]] = []
    for index, segment in enumerate(heard):
        flag = index in looping
        if runs and runs[-1][1] == flag:
            runs[-1][0].append(segment)
        else:
            runs.append(([segment], flag))
    return runs


def looping_indices(heard: Sequence[Heard]) -> set[int]:
    """Segments that loop on their own, repeat the same sentence in a run, or take part in a
    phrase repeated across segments."""
    looping = {i for i, h in enumerate(heard) if segment_loops(h)}
    owners = [i for i, h in enumerate(heard) for _ in words_of(h.text)]
    for start, end in repeated_phrase_spans([w for h in heard for w in words_of(h.text)]):
        looping.update(owners[start:end])
    return looping | repeated_segment_indices([h.text for h in heard])


def segment_loops(heard: Heard) -> bool:
    return heard.compression_ratio > LOOP_COMPRESSION_RATIO or text_loops(heard.text)


def text_loops(text: str) -> bool:
    """Whether `text` repeats itself: characters, a phrase, or as a whole when compressed."""
    return (
        repeats_characters(text)
        or bool(repeated_phrase_spans(words_of(text)))
        or compression_ratio(text) > LOOP_COMPRESSION_RATIO
    )


def repeats_characters(text: str) -> bool:
    squeezed = re.sub(r"\s+", "", text.lower())
    return re.search(rf"(.{{1,4}}?)\1{{{SAME_CHARACTERS_RUN - 1},}}", squeezed) is not None


def repeated_phrase_spans(words: Sequence[str]) -> list[tuple[int, int]]:
    """Where a phrase is said back to back: a word or two SAME_WORDS_RUN times, a phrase of 3
    to LONGEST_PHRASE words PHRASE_COPIES times (the last copy may be cut short)."""
    spans: list[tuple[int, int]] = []
    start = 0
    while start < len(words):
        length = _repetition_length(words, start)
        if length:
            spans.append((start, start + length))
        start += max(1, length)
    return spans


def _repetition_length(words: Sequence[str], start: int) -> int:
    for size in range(1, LONGEST_PHRASE + 1):
        needed = SAME_WORDS_RUN * size if size <= 2 else math.ceil(PHRASE_COPIES * size)
        length = _periodic_length(words, start, size)
        if length >= needed:
            return length
    return 0


def _periodic_length(words: Sequence[str], start: int, size: int) -> int:
    """How many words from `start` on repeat the `size` words before them."""
    end = start + size
    while end < len(words) and words[end] == words[end - size]:
        end += 1
    return end - start


def words_of(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def compression_ratio(text: str) -> float:
    """Whisper's measure of repetition: raw bytes over zlib-compressed bytes."""
    raw = text.encode()
    if len(raw) < MIN_TEXT_FOR_COMPRESSION:
        return 1.0
    return len(raw) / len(zlib.compress(raw))


def repeated_segment_indices(texts: Sequence[str]) -> set[int]:
    """Indices of runs of SAME_SEGMENT_RUN or more segments that say the same words."""
    keys = [" ".join(words_of(text)) for text in texts]
    found: set[int] = set()
    start = 0
    for end in range(1, len(keys) + 1):
        if end == len(keys) or keys[end] != keys[start]:
            if end - start >= SAME_SEGMENT_RUN:
                found.update(range(start, end))
            start = end
    return found


def mean_logprob(heard: Sequence[Heard]) -> float:
    """The model's mean log probability per token, weighted by time (0 for no time)."""
    seconds = sum(h.seconds for h in heard)
    if seconds <= 0:
        return 0.0
    return sum(h.avg_logprob * h.seconds for h in heard) / seconds


def _decoded_again(
    samples: Samples, run: list[Heard], decode: Decoder, notes: list[str]
) -> list[Heard]:
    """The run's stretch decoded with a repetition penalty; a note says what became of it."""
    start, end = run[0].start, run[-1].end
    piece = samples[int(start * RATE) : int(end * RATE)]
    retried = within([_shifted(h, start) for h in decode(piece, RETRY)], end)
    looping = looping_indices(retried)
    kept = [h for i, h in enumerate(retried) if i not in looping]
    notes.append(retried_note(start, end, left_out=not kept))
    return kept


def _shifted(heard: Heard, seconds: float) -> Heard:
    return replace(heard, start=heard.start + seconds, end=heard.end + seconds)


def retried_note(start: float, end: float, *, left_out: bool) -> str:
    where = f"about {max(1, round(end - start))} s at {clock(start)}"
    if left_out:
        return f"A stretch of {where} was unclear and left out."
    return f"The model stumbled over a stretch of {where}; it was heard again: check it."


def long_answer_note(duration: float) -> str:
    return (
        f"This answer is {round(duration / 60)} minutes long; answers of a few minutes each "
        "are quicker to transcribe and easier to check."
    )


def clock(seconds: float) -> str:
    whole = int(seconds)
    return f"{whole // 60}:{whole % 60:02d}"
