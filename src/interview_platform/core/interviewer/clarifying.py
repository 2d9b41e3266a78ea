"""Answering the candidate's clarifying questions with the problem's facts.

A question is a sentence ending in '?' once code and URLs are set aside. Its topic is told by
trigger words (a small table for the usual topics, plus each problem-specific fact's own
phrases); the answer is the fact for that topic. Confirmations ("does that make sense?") are
not clarifying questions, and "what do you mean?" gets the last question's hint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from interview_platform.core.interviewer.problems import Concept, ProblemFacts
from interview_platform.core.understanding.claims import plain, prose, words
from interview_platform.core.understanding.recognition import synonym_pattern

MAX_QUESTIONS = 3
MIN_QUESTION_WORDS = 3
NO_FACT = "That's your call: state an assumption and I'll go with it."
EXTRA_BONUS = 0.5  # a problem's own fact wins a tie with a generic topic

# Topic (a field of ProblemFacts) -> the words that show a question is about it.
# fmt: off
TOPICS: dict[str, tuple[str, ...]] = {
    "users": ("users", "user base", "how many people", "customers", "audience", "dau", "mau",
              "daily active", "who uses", "who will use"),
    "traffic": ("traffic", "qps", "rps", "tps", "per second", "per day", "requests", "peak",
                "throughput", "how many reads", "how many writes", "how often", "volume"),
    "read_write_ratio": ("read", "write", "ratio", "read-heavy", "write-heavy",
                         "reads per write", "reads to writes"),
    "data_sizes": ("size", "how big", "how large", "storage", "bytes", "kb", "mb", "gb", "tb",
                   "how much data"),
    "latency": ("latency", "fast", "p99", "p95", "p50", "ms", "millisecond", "response time",
                "how quickly", "slow"),
    "availability": ("availability", "available", "uptime", "downtime", "nines", "sla", "slo",
                     "outage"),
    "consistency": ("consistent", "consistency", "read-your-writes", "read your writes",
                    "read-after-write", "stale", "eventual", "eventually", "up to date",
                    "fresh"),
    "durability": ("durable", "durability", "lose data", "data loss", "lost", "backup",
                   "persist", "survive"),
    "regions": ("region", "global", "globally", "countries", "geo", "worldwide",
                "international", "multi-region", "data center", "continents"),
}
# fmt: on
CONFIRMATION = re.compile(
    r"^(does (that|this) (make sense|sound|work)|(is|would) (that|this) (ok|okay|fine|"
    r"reasonable|right|correct|good|acceptable)|(sounds?|makes?) (good|sense|right)|right|"
    r"ok|okay|correct|agreed|shall i (continue|go on)|should i (continue|go on|move on))\b"
)
MEANING = re.compile(
    r"\b(what do you mean|what does that mean|could you (clarify|rephrase|explain the "
    r"question)|can you (clarify|rephrase)|not sure what you (mean|are asking)|rephrase)\b"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_CLAUSE = re.compile(
    r",?\s+(?:and|also|plus)\s+(?=(?:what|how|is|are|do|does|should|can|will|which|who|"
    r"where|when|would)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Topic:
    name: str
    answer: str


def questions_in(answer: str) -> list[str]:
    """The real questions of an answer, in order: sentences ending in '?', not in code or URLs."""
    parts = (p.strip().strip("\"')") for p in _SENTENCE.split(prose(answer)))
    return [
        p
        for p in parts
        if p.endswith("?") and len(words(p)) >= MIN_QUESTION_WORDS and not _confirms(p)
    ]


def without_questions(answer: str) -> str:
    """The answer's statements, its questions set aside."""
    parts = _SENTENCE.split(prose(answer))
    return " ".join(p for p in parts if not p.strip().strip("\"')").endswith("?"))


def _confirms(question: str) -> bool:
    return CONFIRMATION.match(plain(question)) is not None


def clauses(question: str) -> list[str]:
    """A question split where it asks a second thing ("..., and is X needed?")."""
    return [c for c in _CLAUSE.split(question) if len(words(c)) >= 2]


def _score(text: str, triggers: Sequence[str]) -> float:
    return sum(len(t.split()) for t in triggers if synonym_pattern(t).search(text))


def topics_of(question: str, facts: ProblemFacts | None) -> list[Topic]:
    """The facts a question asks for, if the problem has them: the best-matched topic, and
    any other matched as strongly ("how many users and how much traffic?")."""
    if facts is None:
        return []
    text = plain(question)
    scored: list[tuple[float, Topic]] = []
    for extra in facts.extra:
        points = _score(text, extra.asks)
        if points:
            scored.append((points + EXTRA_BONUS, Topic(extra.asks[0], extra.answer)))
    for name, triggers in TOPICS.items():
        points = _score(text, triggers)
        if points:
            scored.append((points, Topic(name, str(getattr(facts, name)))))
    top = max((points for points, _ in scored), default=0.0)
    return [topic for points, topic in scored if points >= top]


@dataclass(frozen=True)
class Answers:
    """What the interviewer answers, and the topics whose facts it told."""

    text: str = ""
    topics: frozenset[str] = frozenset()


def answer_questions(
    questions: Sequence[str], facts: ProblemFacts | None, last_concept: Concept | None
) -> Answers:
    """One answer per question (at most MAX_QUESTIONS), each with its fact; no fact, no
    invented one: the candidate is asked to state an assumption."""
    texts: list[str] = []
    topics: set[str] = set()
    for question in questions[:MAX_QUESTIONS]:
        for topic in _answers_to(question, facts, last_concept):
            topics.add(topic.name)
            if topic.answer not in texts:
                texts.append(topic.answer)
    return Answers(" ".join(texts), frozenset(topics - {"", "meaning"}))


def settled_by(
    answers: Answers, concepts: Sequence[Concept], facts: ProblemFacts | None
) -> set[str]:
    """The concepts whose question the interviewer has just answered itself: asking the
    candidate "how fast must it be?" right after telling them would be absurd."""
    if not answers.topics:
        return set()
    return {
        c.id for c in concepts if {t.name for t in topics_of(c.question, facts)} & answers.topics
    }


def _answers_to(
    question: str, facts: ProblemFacts | None, last_concept: Concept | None
) -> list[Topic]:
    if MEANING.search(plain(question)):
        hint = last_concept.hint if last_concept else "how would your design handle it, and why?"
        return [Topic("meaning", f"I mean: {hint}")]
    known = [topic for clause in clauses(question) for topic in topics_of(clause, facts)]
    return known or [Topic("", NO_FACT)]
