"""Claims: answers split into statements, each named, explained or justified."""

from __future__ import annotations

import pytest

from interview_platform.core.understanding.claims import (
    MAX_ANSWER_CHARS,
    Depth,
    claims_of,
    questions_asked,
    split_claims,
)


def depths(answer: str) -> list[Depth]:
    return [claim.depth for claim in claims_of(answer, 0)]


@pytest.mark.parametrize(
    "answer",
    [
        "For the URL shortener: functional requirements, load balancer, sharding, CDN, Kafka.",
        "We use load balancer, sharding, CDN, Kafka, consistent hashing.",
        "Redis",
        "Use cases: shorten, redirect, stats.",
    ],
)
def test_names_and_lists_are_only_named(answer: str) -> None:
    assert depths(answer) == [Depth.NAMED]


def test_a_statement_of_what_something_does_is_explained() -> None:
    assert depths("The gateway checks the token on every request before it forwards it.") == [
        Depth.EXPLAINED
    ]


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("We keep hot links in memory because most traffic goes to a few links.", "reason"),
        ("Each node holds about 64 GB of keys in memory.", "number"),
        ("I'd rather use a counter than hash the URL itself.", "comparison"),
        ("If the primary goes down, a replica is promoted within seconds.", "failure"),
        ("The downside is that a reader may see a stale count for a while.", "trade_off"),
    ],
)
def test_a_reason_number_comparison_failure_or_trade_off_justifies(answer: str, kind: str) -> None:
    (claim,) = claims_of(answer, 0)
    assert claim.depth is Depth.JUSTIFIED
    assert kind in claim.support


def test_a_follow_on_sentence_that_refers_back_justifies_the_claim_before_it() -> None:
    claims = claims_of(
        "We put the writes on a queue and let workers apply them. That way a burst never "
        "overloads the database.",
        0,
    )
    assert [c.depth for c in claims] == [Depth.JUSTIFIED, Depth.JUSTIFIED]


def test_code_and_urls_are_not_read_and_a_question_mark_in_a_url_is_not_a_question() -> None:
    answer = "See https://example.com/a?b=c for the format.\n```\nx = cache.get(k)?\n```"
    claims = claims_of(answer, 0)
    assert all("example.com" not in c.text and "cache.get" not in c.text for c in claims)
    assert questions_asked([answer]) == 0
    assert questions_asked(["What is the read/write ratio? And do we need read-your-writes?"]) == 2


def test_a_sentence_repeated_fifty_times_counts_once() -> None:
    sentence = "We shard the table by user id so each machine holds a slice. "
    assert len(split_claims([sentence * 50])) == 1


def test_a_huge_answer_is_read_up_to_the_limit() -> None:
    claims = split_claims(["We store each link in a table keyed by its code. " * 50_000])
    assert sum(len(c.text) for c in claims) <= MAX_ANSWER_CHARS


def test_turns_are_kept_in_order() -> None:
    claims = split_claims(["First we clarify the scale.", "Then we pick a database."])
    assert [c.turn for c in claims] == [0, 1]
