"""Reading a candidate's answers by their words: synonyms, sentences, hedges and signposts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from interview_platform.core.interviewer.problems import Concept

VAGUE_MARKERS = (
    "maybe",
    "i guess",
    "not sure",
    "something like",
    "stuff",
    "somehow",
    "etc",
    "whatever",
    "kind of",
    "sort of",
    "i don't know",
    "dunno",
    "probably just",
)
STRUCTURE_MARKERS = (
    "first",
    "second",
    "then",
    "because",
    "so that",
    "trade-off",
    "tradeoff",
    "instead of",
    "the reason",
    "alternatively",
    "on the other hand",
    "assume",
    "assuming",
    "for example",
)
VAGUE_SHORT_WORDS = 25
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+")
_WORD = re.compile(r"[a-z0-9][a-z0-9'+#.-]*")


def normalise(text: str) -> str:
    """Lower case, with hyphens and slashes read as spaces, whitespace collapsed."""
    lowered = text.lower().replace("-", " ").replace("/", " ").replace("_", " ")
    return " ".join(lowered.split())


@lru_cache(maxsize=4096)
def _synonym_pattern(synonym: str) -> re.Pattern[str]:
    """A synonym at a word start, allowing a short inflection: shard -> shards, sharding."""
    words = [re.escape(word) for word in normalise(synonym).split()]
    return re.compile(r"\b" + r"\s+".join(words) + r"[a-z]{0,4}\b")


def mentions(text: str, synonym: str) -> bool:
    return _synonym_pattern(synonym).search(normalise(text)) is not None


def concepts_in(text: str, concepts: Iterable[Concept]) -> set[str]:
    """Ids of the concepts any of whose synonyms appear in `text`."""
    plain = normalise(text)
    return {c.id for c in concepts if any(_synonym_pattern(s).search(plain) for s in c.synonyms)}


def word_count(text: str) -> int:
    return len(_WORD.findall(text.lower()))


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]


def quote_for(concept: Concept, answers: Sequence[str], max_chars: int = 160) -> str | None:
    """The candidate's own sentence that shows the concept, if any (latest answer first)."""
    for answer in reversed(answers):
        for sentence in sentences(answer):
            if any(mentions(sentence, synonym) for synonym in concept.synonyms):
                return shorten(sentence, max_chars)
    return None


def shorten(sentence: str, max_chars: int) -> str:
    if len(sentence) <= max_chars:
        return sentence
    cut = sentence[:max_chars].rsplit(" ", 1)[0]
    return f"{cut}..."


def _has_marker(plain: str, marker: str) -> bool:
    return re.search(rf"\b{re.escape(normalise(marker))}\b", plain) is not None


def is_vague(answer: str) -> bool:
    """Hedged throughout ("maybe... not sure"), or hedged and short."""
    plain = normalise(answer)
    hits = sum(1 for marker in VAGUE_MARKERS if _has_marker(plain, marker))
    return hits >= 2 or (hits >= 1 and word_count(answer) < VAGUE_SHORT_WORDS)


def structure_score(answers: Sequence[str]) -> float:
    """0..1: how often answers signpost their reasoning (first, because, trade-off...)."""
    if not answers:
        return 0.0
    signposted = sum(
        1 for a in answers if any(_has_marker(normalise(a), m) for m in STRUCTURE_MARKERS)
    )
    return signposted / len(answers)
