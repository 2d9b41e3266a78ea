"""The hand-written spoken answers of the speech-to-text benchmark keep their invariants:
every term and keep-word is in its text verbatim, lengths and counts are in range."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

from benchmarks.spoken import SPOKEN_ANSWERS

TITLES = {
    "Design a URL Shortener",
    "Design a News Feed",
    "Design a Chat System",
    "Design a Rate Limiter",
    "Design a Web Crawler",
    "Design a Ride-Sharing Service",
    "Design a Video Streaming Platform",
    "Design a Notification System",
    "Design a Distributed Cache",
    "Design a Payment System",
    "Design Search Typeahead (Autocomplete)",
    "Design a File Storage and Sync Service",
    "Design a Ticket Booking System",
    "Design a Collaborative Document Editor",
    "Design a Photo-Sharing Service",
    "Design a Proximity Service",
    "Design a Real-Time Game Leaderboard",
    "Design a Distributed Job Scheduler",
    "Design a Metrics Monitoring and Alerting System",
    "Design a Distributed Key-Value Store",
    "Design a Hotel Reservation System",
    "Design an Ad Click Aggregator",
    "Design a Distributed Message Queue",
    "Design a Pastebin",
}
OTHER = "other: "
UNSPEAKABLE = re.compile(r"->|=>|[<>`{}\[\]|\\]|https?:|www\.")


def load() -> dict[str, list[dict[str, Any]]]:
    loaded: dict[str, list[dict[str, Any]]] = yaml.safe_load(SPOKEN_ANSWERS.read_text("utf-8"))
    return loaded


SPOKEN = load()
ALL_ENTRIES = [entry for section in ("answers", "ordinary", "mixed") for entry in SPOKEN[section]]


def occurs(phrase: str, text: str) -> bool:
    """The phrase is in the text as written, not as part of a longer word."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def word_count(text: str) -> int:
    return len(text.split())


def test_occurs_wants_the_exact_phrase_as_whole_words() -> None:
    assert occurs("Redis cache", "reads go through a Redis cache, because")
    assert not occurs("trie", "you can try the tries")
    assert not occurs("redis", "a Redis cache")


def test_the_file_has_enough_answers_ordinary_and_mixed_entries() -> None:
    assert len(SPOKEN["answers"]) >= 30
    assert len(SPOKEN["ordinary"]) >= 15
    assert len(SPOKEN["mixed"]) >= 8


def test_ids_are_unique_and_kebab_case() -> None:
    ids = [entry["id"] for entry in ALL_ENTRIES]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", entry_id) for entry_id in ids)


@pytest.mark.parametrize("entry", ALL_ENTRIES, ids=lambda entry: str(entry["id"]))
def test_every_term_and_keep_word_is_in_the_text_verbatim(entry: dict[str, Any]) -> None:
    phrases = [*entry["terms"], *entry.get("keep", [])]
    assert all(isinstance(phrase, str) for phrase in phrases)
    assert [phrase for phrase in phrases if not occurs(phrase, entry["text"])] == []


@pytest.mark.parametrize("entry", ALL_ENTRIES, ids=lambda entry: str(entry["id"]))
def test_every_entry_names_a_known_problem_and_is_speakable(entry: dict[str, Any]) -> None:
    assert entry["problem"] in TITLES or entry["problem"].startswith(OTHER)
    assert entry["voice_hint"] == "any"
    assert UNSPEAKABLE.search(entry["text"]) is None


@pytest.mark.parametrize("answer", SPOKEN["answers"], ids=lambda answer: str(answer["id"]))
def test_an_answer_is_30_to_70_words_with_at_least_4_terms(answer: dict[str, Any]) -> None:
    assert 30 <= word_count(answer["text"]) <= 70
    assert len(answer["terms"]) >= 4
    assert "keep" not in answer


@pytest.mark.parametrize("entry", SPOKEN["ordinary"], ids=lambda entry: str(entry["id"]))
def test_an_ordinary_sentence_has_no_terms_and_words_to_keep(entry: dict[str, Any]) -> None:
    assert entry["terms"] == []
    assert entry["keep"]
    assert 8 <= word_count(entry["text"]) <= 70


@pytest.mark.parametrize("entry", SPOKEN["mixed"], ids=lambda entry: str(entry["id"]))
def test_a_mixed_sentence_has_terms_and_words_to_keep(entry: dict[str, Any]) -> None:
    assert entry["terms"]
    assert entry["keep"]
    assert 8 <= word_count(entry["text"]) <= 70


def test_the_answers_cover_many_problems_and_terms() -> None:
    problems = {answer["problem"] for answer in SPOKEN["answers"]}
    assert len(problems & TITLES) >= 20
    assert len({problem for problem in problems if problem.startswith(OTHER)}) >= 4
    assert len({term for answer in SPOKEN["answers"] for term in answer["terms"]}) >= 120
