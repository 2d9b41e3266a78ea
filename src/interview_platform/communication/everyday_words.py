"""Everyday words, which a near-miss correction replaces only with more evidence: the speech
model's most frequent whole-word tokens, short words, number words, and the words after which
a word is a verb."""

from __future__ import annotations

import json
from functools import lru_cache

from interview_platform.communication.local_whisper import model_directory

COMMON_RANK = 30_000  # a tokenizer entry among the first 30,000 is an everyday word
SHORT_WORD = 3  # words this short are everyday words
NUMBER_WORDS = frozenset(
    [
        "zero",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "sixty",
        "seventy",
        "eighty",
        "ninety",
        "hundred",
        "thousand",
        "million",
        "billion",
    ]
)
VERB_SLOT = frozenset(
    [
        "i",
        "we",
        "you",
        "they",
        "he",
        "she",
        "it",
        "i'd",
        "we'd",
        "you'd",
        "they'd",
        "i'll",
        "we'll",
        "you'll",
        "they'll",
        "to",
        "can",
        "could",
        "will",
        "would",
        "should",
        "shall",
        "must",
        "might",
        "may",
        "let's",
        "lets",
        "don't",
        "doesn't",
        "didn't",
        "also",
        "then",
        "just",
        "and",
        "or",
    ]
)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Everyday English words: whole words among the speech model's most frequent tokens
    (empty when the offline model is not installed: every word is then treated as common)."""
    folder = model_directory()
    if folder is None:
        return frozenset()
    vocabulary = json.loads((folder / "tokenizer.json").read_text("utf-8"))["model"]["vocab"]
    return frozenset(
        token[1:]
        for token, rank in vocabulary.items()
        if rank < COMMON_RANK and token.startswith("Ġ") and token[1:].isalpha()
    )
