"""What a whiteboard reading finds against the problem: the weighty concepts not drawn, the
design patterns the labels name, and the sentence the interviewer says about the drawing."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from interview_platform.core.drawing.analysis import WhiteboardAnalysis
from interview_platform.core.interviewer.analysis import concepts_in, normalise
from interview_platform.core.interviewer.phrasing import label as concept_label
from interview_platform.core.interviewer.problems import Concept, Phase, Problem

MAX_ITEMS = 40
MAX_ITEM_CHARS = 200
MIN_WEIGHT = 2
WHITEBOARD_PHASES = (Phase.HIGH_LEVEL_DESIGN, Phase.DEEP_DIVE, Phase.SCALING, Phase.RELIABILITY)

# Whole words or phrases, plural allowed: "alb" must not match "album".
PATTERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("load balancing", ("load balancer", "load balancing", "lb", "elb", "alb", "haproxy")),
    ("caching", ("cache", "caching", "cached", "redis", "memcached")),
    (
        "message queue / asynchronous processing",
        (
            *("queue", "queuing", "queueing", "kafka", "sqs", "pub sub", "pubsub"),
            *("rabbitmq", "kinesis", "message broker", "event bus"),
        ),
    ),
    ("CDN", ("cdn", "cloudfront", "akamai", "fastly", "edge cache")),
    ("replication", ("replica", "replication", "replicated", "read replica", "leader follower")),
    ("sharding", ("shard", "sharding", "sharded", "partition", "partitioning", "partitioned")),
    ("API gateway", ("api gateway", "gateway")),
    ("rate limiting", ("rate limiter", "rate limit", "rate limiting", "throttle", "throttling")),
    ("worker pool", ("worker", "worker pool", "consumer group", "job runner")),
    ("search index", ("elasticsearch", "search index", "opensearch", "solr")),
    ("object storage", ("s3", "blob", "blob store", "object store", "object storage")),
    ("circuit breaker", ("circuit breaker",)),
    ("consistent hashing", ("consistent hashing", "hash ring")),
    ("service discovery", ("service discovery", "service registry", "consul", "zookeeper")),
)
_SERVICE_WORDS = ("service", "svc", "microservice")


def describe(analysis: WhiteboardAnalysis) -> str:
    """One or two plain sentences the interviewer can react with."""
    if not analysis.components_identified:
        return (
            "Your whiteboard is empty so far: sketch the main components and connect them "
            "to show how a request flows."
        )
    seen = f"I see {_listed(analysis.components_identified, 5)} on your whiteboard"
    if analysis.relationships:
        seen += f", with {_listed(analysis.relationships, 2)}"
    missing = analysis.missing_elements
    if missing:
        pronoun = "it" if len(missing) == 1 else "they"
        then = f"It doesn't show {_listed(missing, 3, 'or')} yet: how would {pronoun} fit?"
    elif not analysis.relationships:
        then = "Nothing connects them yet: how does a request flow between them?"
    else:
        then = "Which part would you like to walk me through in more depth?"
    return f"{seen}. {then}"


def checklist_for(problem: Problem) -> list[Concept]:
    """The concepts a whiteboard is checked against: the weighty design-phase ones."""
    return expected_concepts([c for phase in WHITEBOARD_PHASES for c in problem.concepts(phase)])


def patterns_in(labels: Sequence[str]) -> list[str]:
    """Design patterns the labels name (a Redis box is caching, Kafka a message queue...)."""
    found = [name for name, words in PATTERNS if any(_says(label, words) for label in labels)]
    services = sum(1 for label in labels if _says(label, _SERVICE_WORDS))
    if services >= 3 or any(_says(label, ("microservice",)) for label in labels):
        found.append("microservices")
    return found


def _says(label: str, words: Iterable[str]) -> bool:
    plain = normalise(label)
    return any(re.search(rf"\b{re.escape(normalise(w))}(?:s|es)?\b", plain) for w in words)


def expected_concepts(checklist: Sequence[Concept]) -> list[Concept]:
    """The concepts a drawing is expected to show: the weighty ones."""
    return [c for c in checklist if c.weight >= MIN_WEIGHT]


def missing_concepts(components: Sequence[str], checklist: Sequence[Concept]) -> list[str]:
    """The expected concepts no component mentions, named in plain English."""
    expected = expected_concepts(checklist)
    shown = concepts_in(" . ".join(components), expected)
    return unique_texts(concept_label(c) for c in expected if c.id not in shown)


def clean_text(value: object) -> str:
    """The text with its runs of whitespace made one space, cut short; "" for a non-text."""
    return " ".join(value.split())[:MAX_ITEM_CHARS] if isinstance(value, str) else ""


def unique_texts(values: Iterable[str]) -> list[str]:
    """Cleaned, non-empty, first occurrence kept, compared case-insensitively."""
    seen: dict[str, str] = {}
    for value in values:
        text = clean_text(value)
        if text and text.casefold() not in seen:
            seen[text.casefold()] = text
    return list(seen.values())


def _listed(items: Sequence[str], limit: int, conjunction: str = "and") -> str:
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(f"{len(items) - limit} more")
    if len(shown) == 1:
        return shown[0]
    return f"{', '.join(shown[:-1])} {conjunction} {shown[-1]}"
