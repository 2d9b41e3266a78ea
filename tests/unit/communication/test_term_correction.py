"""Near-miss correction: sound and context must both support a change."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from interview_platform.communication.sound_keys import sound_key
from interview_platform.communication.term_correction import CorrectingTranscriber, TermCorrector
from interview_platform.communication.transcription import Transcript
from interview_platform.communication.vocabulary import Vocabulary, interview_vocabulary
from interview_platform.core.headless import brief_from_statement
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.models import ExperienceLevel

EVERYDAY_WORDS = """a an the in of to at on and or so we i it is be do pay cash try right write
after other option let me that down then front keeps hot keys memory riders can end trip driver
stops clocks users counter again"""
EVERYDAY = frozenset(EVERYDAY_WORDS.split())


def vocabulary(problem: str, *said: str) -> Vocabulary:
    brief = brief_from_statement(default_bank(), problem, ExperienceLevel.MID)
    return interview_vocabulary(brief, said)


@pytest.fixture(scope="module")
def corrector() -> TermCorrector:
    return TermCorrector(everyday=EVERYDAY)


def test_words_that_sound_alike_share_a_key() -> None:
    assert sound_key("item potency") == sound_key("idempotency")
    assert sound_key("dead letter Q") == sound_key("dead letter queue")
    assert sound_key("fan out on right") == sound_key("fan-out on write")
    assert sound_key("cash") == sound_key("cache")
    assert sound_key("Kafka") != sound_key("Cassandra")


@pytest.mark.parametrize(
    ("problem", "heard", "expected"),
    [
        (
            "payment-system",
            "Each payment request carries an item potency key, so a retry is harmless.",
            "Each payment request carries an idempotency key, so a retry is harmless.",
        ),
        (
            "notification-system",
            "After five failures the message goes to a dead letter Q for a human.",
            "After five failures the message goes to a dead letter queue for a human.",
        ),
        (
            "news-feed",
            "For most people we fan out on right into each follower's timeline.",
            "For most people we fan-out on write into each follower's timeline.",
        ),
        (
            "typeahead",
            "I'd store every prefix in a try so autocomplete is one walk down.",
            "I'd store every prefix in a trie so autocomplete is one walk down.",
        ),
        (
            "distributed-cache",
            "A cash in front of the database keeps hot keys in memory.",
            "A cache in front of the database keeps hot keys in memory.",
        ),
    ],
)
def test_a_near_miss_is_corrected_where_sound_and_context_agree(
    corrector: TermCorrector, problem: str, heard: str, expected: str
) -> None:
    result = corrector.correct(heard, vocabulary(problem))

    assert result.text == expected
    assert result.corrections and all(c.evidence for c in result.corrections)


@pytest.mark.parametrize(
    ("problem", "heard"),
    [
        ("ride-sharing", "Riders can pay in cash at the end of the trip, right after it stops."),
        ("typeahead", "Let me write that down and I'd try the other option."),
        ("typeahead", "If the prefix is missing we can try again with a shorter one."),
        ("chat-system", "Phones have skewed clocks, so the server assigns the order."),
        ("distributed-key-value-store", "The keys are partitioned by a hash of the key."),
        ("news-feed", "Right after the post is saved we write it to each timeline."),
        ("chat-system", "The chat service looks up Bob's gateway and forwards the message."),
        ("url-shortener", "I'd rather use a counter than risk hash collisions."),
        ("job-scheduler", "We keep 6 workers per queue and retry twice."),
        ("ad-click-aggregator", "The billing team reads the hourly totals."),
        ("distributed-cache", "Reads go through the cache before the database."),
        ("notification-system", "Reminders wait in a delay queue until their send time."),
        ("distributed-cache", "With consistent hashing only a few keys move between nodes."),
        ("typeahead", "We could store each prefix in a prefix tree as well."),
    ],
)
def test_everyday_words_right_in_context_are_left_alone(
    corrector: TermCorrector, problem: str, heard: str
) -> None:
    result = corrector.correct(heard, vocabulary(problem))

    assert result.text == heard
    assert result.corrections == ()


def test_an_everyday_word_needs_two_pieces_of_evidence(corrector: TermCorrector) -> None:
    """'try' sounds like 'trie', but one clue (a prefix nearby) is not enough on a problem
    where a trie is not a main term."""
    heard = "We give the prefix a try first."

    assert corrector.correct(heard, vocabulary("payment-system")).text == heard


def test_a_term_said_earlier_counts_as_evidence(corrector: TermCorrector) -> None:
    said_before = vocabulary("payment-system", "We keep an idempotency key per request.")
    heard = "The item potency key comes from the client."

    result = corrector.correct(heard, said_before)

    assert result.text == "The idempotency key comes from the client."
    assert "said earlier" in result.corrections[0].evidence


def test_punctuation_and_a_capital_start_are_kept(corrector: TermCorrector) -> None:
    result = corrector.correct("Item potency key, then the charge.", vocabulary("payment-system"))

    assert result.text == "Idempotency key, then the charge."
    assert result.corrections[0].heard == "Item potency key"


def test_a_capital_is_kept_only_where_a_sentence_opens(corrector: TermCorrector) -> None:
    heard = "Every payment request carries an IDA-impotency key, so a retry is safe."

    result = corrector.correct(heard, vocabulary("payment-system"))

    assert result.text == "Every payment request carries an idempotency key, so a retry is safe."


def test_nothing_changes_without_a_vocabulary(corrector: TermCorrector) -> None:
    heard = "every payment carries an item potency key"

    assert corrector.correct(heard, Vocabulary()).text == heard


class FixedTranscriber:
    name = "fixed"

    def __init__(self, text: str) -> None:
        self.text = text
        self.vocabularies: list[Vocabulary | None] = []

    def available(self) -> str | None:
        return None

    def transcribe(self, wav: bytes, vocabulary: Vocabulary | None = None) -> Transcript:
        self.vocabularies.append(vocabulary)
        return Transcript(self.text, duration_s=3.0, backend=self.name)


def test_the_correcting_transcriber_keeps_what_the_model_heard() -> None:
    inner = FixedTranscriber("we send a dead letter Q alert")
    words = vocabulary("notification-system")

    transcript = CorrectingTranscriber(inner, TermCorrector(everyday=EVERYDAY)).transcribe(
        b"", words
    )

    assert inner.vocabularies == [words]
    assert transcript.text == "we send a dead letter queue alert"
    assert transcript.heard == "we send a dead letter Q alert"
    assert transcript.to_dict()["corrections"][0]["heard"] == "dead letter Q"


def test_the_correcting_transcriber_passes_through_without_corrections() -> None:
    inner = FixedTranscriber("the load balancer spreads requests")

    transcript = CorrectingTranscriber(inner).transcribe(b"", vocabulary("url-shortener"))

    assert transcript == Transcript("the load balancer spreads requests", [], 3.0, "fixed")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=120))
def test_any_text_is_read_without_error_and_kept_when_nothing_is_corrected(text: str) -> None:
    corrector = TermCorrector(everyday=EVERYDAY)

    result = corrector.correct(text, vocabulary("news-feed"))

    if not result.corrections:
        assert result.text == text.strip()


@pytest.mark.parametrize("word", ["h", "why", "wh", "gh", "hw", "0", "ÿ", "-", "'"])
def test_words_without_a_kept_sound_have_an_empty_key(word: str) -> None:
    assert isinstance(sound_key(word), str)
