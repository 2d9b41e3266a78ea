"""Phonetic keys: how a word or phrase sounds, so heard words can be compared with terms.

A simplified Metaphone: letters that sound alike are merged, voiced and unvoiced consonants
merged, inner vowels dropped and digits spelled out, so "item potency" and "idempotency"
share a key ("atmptns"), as do "dead letter Q" and "dead letter queue".
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

SHORT_KEY = 3  # keys this short must match exactly
_SOUND_RULES: tuple[tuple[str, str], ...] = (
    (r"^kn|^gn|^pn", "n"),
    (r"^wr", "r"),
    (r"^ps", "s"),
    (r"^x", "s"),
    (r"^wh", "w"),
    (r"ph", "f"),
    (r"ck", "k"),
    (r"sch", "sk"),
    (r"tch", "ch"),
    (r"dg(?=[eiy])", "j"),
    (r"gh(?=[^aeiou]|$)", ""),
    (r"c(?=[eiy])", "s"),
    (r"sh|ch", "x"),
    (r"th", "0"),
    (r"qu", "k"),
    (r"[cqg]", "k"),
    (r"x", "ks"),
    (r"z", "s"),
    (r"d", "t"),
    (r"b", "p"),
    (r"v", "f"),
    (r"j", "x"),
    (r"(?<=[^aeiou])h", ""),
    (r"[wy](?![aeiou])", ""),
)
_NUMBERS = {
    "0": "zero",
    "1": "one",
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "7": "seven",
    "8": "eight",
    "9": "nine",
}


@lru_cache(maxsize=65_536)
def sound_key(text: str) -> str:
    """A phonetic key of `text` (its words run together): "item potency" -> "atmptns"."""
    spelled = "".join(_NUMBERS.get(c, c) for c in text.lower())
    letters = re.sub(r"[^a-z0]", "", spelled)
    if not letters:
        return ""
    for pattern, replacement in _SOUND_RULES:
        letters = re.sub(pattern, replacement, letters)
    if not letters:
        return ""  # "h", "why": no sound the key keeps
    first = "a" if letters[0] in "aeiou" else letters[0]
    rest = re.sub(r"[aeiouy]", "", letters[1:])
    return re.sub(r"(.)\1+", r"\1", first + rest)


def similar(left: str, right: str) -> float:
    """How alike two keys are, 0..1; short keys must match exactly."""
    if not left or not right:
        return 0.0
    if min(len(left), len(right)) <= SHORT_KEY:
        return 1.0 if left == right else 0.0
    if abs(len(left) - len(right)) > len(right) // 3 + 1:
        return 0.0
    return float(Levenshtein.normalized_similarity(left, right))
