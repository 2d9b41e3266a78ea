"""How the spoken-answer benchmark scores a transcript: words compared as said, terms in a
row, loops found."""

from __future__ import annotations

import pytest

from benchmarks.spoken import (
    comparable,
    looped,
    spoken_number,
    term_heard,
    word_errors,
)


@pytest.mark.parametrize(
    ("number", "said"),
    [
        (0, "zero"),
        (19, "nineteen"),
        (40, "forty"),
        (302, "three hundred two"),
        (2048, "two thousand forty eight"),
        (50_000_000, "fifty million"),
    ],
)
def test_numbers_are_compared_as_said(number: int, said: str) -> None:
    assert spoken_number(number) == said


def test_case_punctuation_hyphens_and_digits_do_not_count_as_errors() -> None:
    assert comparable("A 302 redirect, fan-out on write!") == (
        ["a", "three", "hundred", "two", "redirect", "fan", "out", "on", "write"]
    )
    assert word_errors("We use a fan-out on write.", "we use a fan out on write") == (0, 7)


def test_each_substitution_insertion_and_deletion_is_an_error() -> None:
    errors, words = word_errors("the cache keeps hot keys", "the cash keeps the keys here")

    assert (errors, words) == (3, 5)


def test_a_term_counts_only_when_its_words_come_in_a_row() -> None:
    assert term_heard("dead letter queue", "it goes to a Dead-Letter queue.")
    assert term_heard("Redis", "two redis clusters")
    assert not term_heard("dead letter queue", "a dead letter goes to the queue")
    assert not term_heard("trie", "we try again")


@pytest.mark.parametrize(
    "text",
    ["Tztztztztztztztztztztztztz", "the the the the the", "so we shard it so we shard it " * 4],
)
def test_repetition_loops_are_found(text: str) -> None:
    assert looped(text)


def test_an_ordinary_answer_is_not_a_loop() -> None:
    assert not looped("We shard by user id, and each shard has two replicas in two zones.")
