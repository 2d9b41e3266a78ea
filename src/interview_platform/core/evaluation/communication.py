"""How the candidate communicated, and what about their input the report should say.

Communication rewards reasoning out loud (claims with reasons), signposting, real clarifying
questions and substance in every turn; it does not reward length: a monologue scores no
better than the same content over several turns, padding and repeats count against it, and
a list of names is not an explanation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from interview_platform.core.evaluation.report import CompetencyScore
from interview_platform.core.understanding.claims import (
    MAX_ANSWER_CHARS,
    Claim,
    Depth,
    plain,
    questions_asked,
    statements,
    words,
)

SIGNPOSTS = re.compile(
    r"\b(first|firstly|second|secondly|then|next|finally|to summari[sz]e|in summary|"
    r"because|so that|trade ?off|instead of|the reason|alternatively|on the other hand|"
    r"assum(e|ing|ption)|for example|step \d|let me|start with|moving on)\b"
)
FILLERS = re.compile(r"\b(um+|uh+|basically|literally|you know|i mean|kind of|sort of|stuff)\b")
ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "on",
        "for",
        "with",
        "is",
        "are",
        "be",
        "it",
        "that",
        "this",
        "we",
        "i",
        "you",
        "would",
        "will",
        "can",
        "if",
        "so",
        "but",
        "not",
        "from",
        "by",
        "as",
        "at",
        "they",
        "which",
        "then",
        "there",
        "have",
        "has",
        "do",
    ]
)
MONOLOGUE_WORDS = 450
# Explanations over a whole interview that show enough substance to judge communication.
SUBSTANTIAL_EXPLANATIONS = 25
MIN_ENGLISH_SHARE = 0.12
REPEAT_NOTE_AT = 5


def communication(
    answers: Sequence[str], claims: Sequence[Claim], factor: float
) -> CompetencyScore:
    if not claims:
        return CompetencyScore(0.0, "low", [])
    explained = [c for c in claims if c.depth >= Depth.EXPLAINED]
    justified = [c for c in explained if c.depth is Depth.JUSTIFIED]
    reasoning = min(1.0, len(justified) / max(1, len(explained)) / 0.5)
    signposted = sum(1 for a in answers if SIGNPOSTS.search(plain(a)))
    structure = min(1.0, signposted / max(1, min(3, len(answers))))
    engagement = min(1.0, questions_asked(answers) / 2)
    substantive = sum(1 for turn in {c.turn for c in explained})
    spread = substantive / max(1, len([a for a in answers if a.strip()]))
    substance = min(1.0, len(explained) / SUBSTANTIAL_EXPLANATIONS)
    base = 0.35 * reasoning + 0.2 * structure + 0.1 * engagement + 0.15 * spread
    base += 0.2 * substance
    value = 100.0 * base * _listing_factor(claims) * _padding_factor(answers, claims)
    value *= _monologue_factor(answers)
    quotes = [c.text for c in justified if len(words(c.text)) >= 8][:2]
    return CompetencyScore(round(value * factor, 1), _confidence(len(explained)), quotes)


def _confidence(explained: int) -> str:
    return "high" if explained >= 10 else "medium" if explained >= 3 else "low"


def _listing_factor(claims: Sequence[Claim]) -> float:
    named = sum(1 for c in claims if c.depth is Depth.NAMED)
    return 1.0 - 0.8 * max(0.0, named / len(claims) - 0.3) / 0.7


def _padding_factor(answers: Sequence[str], claims: Sequence[Claim]) -> float:
    total = sum(len(statements(a)) for a in answers)
    repeats = max(0, total - len(claims)) / max(1, total)
    all_words = sum(len(words(a)) for a in answers)
    fillers = sum(len(FILLERS.findall(plain(a))) for a in answers) / max(1, all_words)
    return max(0.3, 1.0 - 0.8 * repeats - 3.0 * fillers)


def _monologue_factor(answers: Sequence[str]) -> float:
    lengths = [len(words(a)) for a in answers]
    longest = max(lengths, default=0)
    return 0.85 if longest > MONOLOGUE_WORDS and longest > 0.7 * sum(lengths) else 1.0


def input_notes(answers: Sequence[str], claims: Sequence[Claim]) -> list[str]:
    """What about the input limits the evaluation, in words the candidate can act on."""
    if not any(a.strip() for a in answers):
        return ["No answers from the candidate were recorded, so there is nothing to score yet."]
    notes = []
    long = [len(a) for a in answers if len(a) > MAX_ANSWER_CHARS]
    if long:
        notes.append(
            f"An answer of {max(long):,} characters was read up to its first "
            f"{MAX_ANSWER_CHARS:,}; keep each answer to what you would say in a few minutes."
        )
    if not _english(answers):
        notes.append(
            "Most answers are not in English. The built-in evaluator reads English only, so "
            "they could not be scored fairly: answer in English, or use an AI provider."
        )
    repeats = sum(len(statements(a)) for a in answers) - len(claims)
    if repeats >= REPEAT_NOTE_AT:
        notes.append(f"{repeats} repeated statements were counted once each.")
    if not claims:
        notes.append("Only code or links were given: explain the design in words as well.")
    return notes


def _english(answers: Sequence[str]) -> bool:
    tokens = [w for a in answers for w in words(a[:MAX_ANSWER_CHARS])]
    if len(tokens) < 20:
        return True
    return sum(1 for t in tokens if t in ENGLISH) / len(tokens) >= MIN_ENGLISH_SHARE
