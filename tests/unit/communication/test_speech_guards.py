"""The speech guards' judgements on text and decoder statistics, with a scripted decoder
(tests/integration/communication/test_speech_guards.py runs them on real audio)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest

from interview_platform.communication.speech_guards import (
    FIRST_PASS,
    NO_SPEECH,
    NOT_ENGLISH,
    RETRY,
    SILENT,
    UNCLEAR,
    UNSURE_NOTE,
    Heard,
    Samples,
    Span,
    clock,
    guarded_transcription,
    is_silent,
    looping_indices,
    mean_logprob,
    repeated_phrase_spans,
    repeated_segment_indices,
    starting_in_speech,
    text_loops,
    within,
    words_of,
)
from interview_platform.errors import CommunicationError

SURE = -0.3
ANSWER = [
    Heard(0.0, 4.0, "We shard the orders table by customer id.", SURE, 1.4),
    Heard(4.0, 8.5, "Each shard has two replicas in other zones.", SURE, 1.4),
]
LOOP = Heard(8.5, 30.0, "T" + "zt" * 60, -0.2, 9.0)


@dataclass
class ScriptedDecoder:
    """Hears `first` on the first pass and `again` on every retry; records each call."""

    first: list[Heard]
    again: list[Heard] = field(default_factory=list)
    calls: list[tuple[float, Mapping[str, Any]]] = field(default_factory=list)

    def __call__(self, samples: Samples, options: Mapping[str, Any]) -> list[Heard]:
        self.calls.append((len(samples) / 16_000, options))
        return self.first if options is FIRST_PASS else self.again


def seconds(count: float, level: float = 0.1) -> Samples:
    return np.full(round(count * 16_000), level, dtype=np.float32)


def speech_everywhere(samples: Samples) -> list[Span]:
    return [(0.0, len(samples) / 16_000)]


def no_speech(samples: Samples) -> list[Span]:
    return []


# --- text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tztztztztztztztztztztztz",
        "L'Arja, plonarcha, t't't't't't't't't't't't't't't't",
        "the the the the",
        "so so so so we cache it",
        "We shard by user id. We shard by user id. We shard by user id.",
        "We are going to be in the next video, and we are going to be in the next video, and "
        "we are going to be in the next",
        "1,000,000,000,000,000,000,000,000",
    ],
)
def test_repetition_loops_are_recognised(text: str) -> None:
    assert text_loops(text)


@pytest.mark.parametrize(
    "text",
    [
        "Reads are served from a replica in the same region as the user.",
        "No, no, no, the cache sits in front of the database.",
        "It is very very fast.",
        "The title of the game is the title of the game.",  # twice is not a loop
        "Writes go to the leader; the leader ships its log to the followers, and the "
        "followers apply the log in order.",
        "We need 100,000 requests per second.",
        "",
    ],
)
def test_ordinary_sentences_are_not_loops(text: str) -> None:
    assert not text_loops(text)


def test_a_phrase_repeated_across_segments_marks_those_segments() -> None:
    heard = [
        ANSWER[0],
        Heard(4, 6, "We are going to be in the next video,"),
        Heard(6, 8, "and we are going to be in the next video,"),
        Heard(8, 10, "and we are going to be in the next video."),
    ]

    assert looping_indices(heard) == {1, 2, 3}


def test_the_same_sentence_three_times_in_a_row_is_a_loop() -> None:
    texts = ["A cache.", "We're going to do a lot of work,", "we're going to do a lot of work,"]

    assert repeated_segment_indices(texts) == set()
    assert repeated_segment_indices([*texts, "We're going to do a lot of work."]) == {1, 2, 3}


def test_a_window_that_compresses_too_well_is_a_loop() -> None:
    assert looping_indices([ANSWER[0], LOOP, ANSWER[1]]) == {1}
    assert looping_indices([Heard(0, 2, "Short.", SURE, 2.6)]) == {0}


def test_repeated_phrase_spans_say_where_the_repetition_is() -> None:
    words = words_of("we use a queue go go go go go and then a cache")

    assert repeated_phrase_spans(words) == [(4, 9)]


def test_segments_are_clipped_to_the_recording_and_empty_ones_dropped() -> None:
    heard = [Heard(0, 2, " a "), Heard(2, 3, "  "), Heard(5, 9, "b"), Heard(12, 14, "c")]

    assert within(heard, 8.0) == [Heard(0, 2, "a"), Heard(5, 8.0, "b")]


def test_the_mean_log_probability_is_weighted_by_time() -> None:
    heard = [Heard(0, 3, "a", -0.2), Heard(3, 4, "b", -1.0)]

    assert mean_logprob(heard) == pytest.approx(-0.4)
    assert mean_logprob([]) == 0.0


def test_silence_is_below_minus_50_dbfs() -> None:
    assert is_silent(seconds(1, 0.0))
    assert is_silent(seconds(1, 0.002))
    assert not is_silent(seconds(1, 0.01))
    assert is_silent(seconds(0))


def test_clock_shows_minutes_and_seconds() -> None:
    assert clock(0) == "0:00"
    assert clock(75.6) == "1:15"


# --- the guarded transcription ---------------------------------------------------------


def test_clean_speech_is_decoded_once_without_notes() -> None:
    decoder = ScriptedDecoder(ANSWER)

    guarded = guarded_transcription(seconds(9), decoder, speech_everywhere)

    assert guarded.segments == ANSWER
    assert guarded.notes == ()
    assert [options for _, options in decoder.calls] == [FIRST_PASS]


@pytest.mark.parametrize(("level", "message"), [(0.0, SILENT), (0.3, NO_SPEECH)])
def test_no_speech_is_a_clear_error_without_decoding(level: float, message: str) -> None:
    decoder = ScriptedDecoder(ANSWER)

    with pytest.raises(CommunicationError) as caught:
        guarded_transcription(seconds(5, level), decoder, no_speech)

    assert str(caught.value) == message
    assert decoder.calls == []


def test_a_loop_is_decoded_again_and_the_note_says_so() -> None:
    retried = Heard(0.0, 6.0, "Then the cache absorbs the reads.", SURE, 1.3)
    decoder = ScriptedDecoder([*ANSWER, LOOP], [retried])

    guarded = guarded_transcription(seconds(14.5), decoder, speech_everywhere)

    assert [h.text for h in guarded.segments] == [*(h.text for h in ANSWER), retried.text]
    assert guarded.segments[-1].start == 8.5  # placed where the stretch began
    (length, options) = decoder.calls[-1]
    assert options is RETRY and length == pytest.approx(6.0)  # clipped to the recording
    assert guarded.notes == (
        "The model stumbled over a stretch of about 6 s at 0:08; it was heard again: check it.",
    )


def test_a_loop_that_persists_is_left_out_and_the_note_says_so() -> None:
    decoder = ScriptedDecoder([*ANSWER, LOOP], [Heard(0, 6, "go go go go go go")])

    guarded = guarded_transcription(seconds(14.5), decoder, speech_everywhere)

    assert guarded.segments == ANSWER
    assert guarded.notes == ("A stretch of about 6 s at 0:08 was unclear and left out.",)


def test_nothing_but_a_loop_is_an_error() -> None:
    decoder = ScriptedDecoder([LOOP], [])

    with pytest.raises(CommunicationError) as caught:
        guarded_transcription(seconds(20), decoder, speech_everywhere)

    assert str(caught.value) == UNCLEAR


def test_no_words_from_speech_is_left_to_the_caller() -> None:
    guarded = guarded_transcription(seconds(3), ScriptedDecoder([]), speech_everywhere)

    assert guarded.segments == [] and guarded.notes == ()


def test_guesswork_throughout_did_not_sound_like_english() -> None:
    decoder = ScriptedDecoder([Heard(0, 7, "The title of the game is the title.", -1.4, 1.2)])

    with pytest.raises(CommunicationError) as caught:
        guarded_transcription(seconds(7), decoder, speech_everywhere)

    assert str(caught.value) == NOT_ENGLISH


def test_an_unsure_answer_is_kept_with_a_note_to_check_it() -> None:
    decoder = ScriptedDecoder([Heard(0, 7, "Large upload market into chunks.", -0.85, 1.4)])

    guarded = guarded_transcription(seconds(7), decoder, speech_everywhere)

    assert guarded.notes == (UNSURE_NOTE,)


def test_a_long_answer_is_kept_with_a_note_suggesting_shorter_ones() -> None:
    decoder = ScriptedDecoder([Heard(0, 600, "We cache the feed.", SURE, 1.4)])

    guarded = guarded_transcription(seconds(601), decoder, speech_everywhere)

    assert [h.text for h in guarded.segments] == ["We cache the feed."]
    assert guarded.notes == (
        "This answer is 10 minutes long; answers of a few minutes each are quicker to "
        "transcribe and easier to check.",
    )


def test_a_segment_decoded_across_a_long_pause_starts_after_it() -> None:
    """faster-whisper times a segment decoded across a pause from the speech before it."""
    speech = [(0.0, 7.6), (47.2, 55.9)]
    across = Heard(7.52, 53.94, "Every service writes structured logs with a request id.")
    assert starting_in_speech(across, speech).start == 47.2
    within_speech = Heard(3.52, 7.52, "Reads are served from a replica.")
    assert starting_in_speech(within_speech, speech) == within_speech
    in_the_pause_only = Heard(20.0, 30.0, "invented")
    assert starting_in_speech(in_the_pause_only, speech) == in_the_pause_only


def test_the_guards_time_a_segment_from_its_speech() -> None:
    def two_stretches(samples: Samples) -> list[Span]:
        return [(0.0, 7.6), (47.2, 55.9)]

    decoder = ScriptedDecoder(
        [
            Heard(0.0, 7.52, "The gateway checks the token.", SURE, 1.4),
            Heard(7.52, 53.94, "Every service writes structured logs.", SURE, 1.4),
        ]
    )
    guarded = guarded_transcription(seconds(56), decoder, two_stretches)
    assert [h.start for h in guarded.segments] == [0.0, 47.2]
