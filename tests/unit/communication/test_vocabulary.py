"""The interview's vocabulary: what was said first, then the problem's terms, then core terms."""

from __future__ import annotations

from interview_platform.communication.glossary import default_glossary
from interview_platform.communication.vocabulary import (
    PROMPT_TERMS,
    Vocabulary,
    build_vocabulary,
    interview_vocabulary,
    names_in,
)
from interview_platform.core.headless import brief_from_statement
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.models import ExperienceLevel, ProblemBrief


def brief(problem: str) -> ProblemBrief:
    return brief_from_statement(default_bank(), problem, ExperienceLevel.MID)


def test_a_problems_own_terms_come_before_the_rest() -> None:
    typeahead = interview_vocabulary(brief("typeahead"))
    payments = interview_vocabulary(brief("payment-system"))

    assert "trie" in typeahead.terms[:PROMPT_TERMS]
    assert {"idempotent", "ledger", "double-entry"} <= set(payments.terms[:PROMPT_TERMS])
    assert typeahead.prominent("trie") and not payments.prominent("trie")


def test_terms_said_in_the_conversation_come_first() -> None:
    said = ["I'd put a Bloom filter in front of the database.", "What about a leaderboard?"]

    vocabulary = interview_vocabulary(brief("url-shortener"), said)

    assert vocabulary.terms[0] == "bloom filter"
    assert "bloom filter" in vocabulary.said


def test_names_the_candidate_typed_join_the_vocabulary() -> None:
    said = ["We could store the events in ScyllaDB and stream them with NATS."]

    vocabulary = interview_vocabulary(brief("notification-system"), said)

    assert {"ScyllaDB", "NATS"} <= set(vocabulary.terms[:5])
    assert names_in(["I think OK, the ID is fine"], known=set()) == []


def test_a_problem_outside_the_bank_gets_its_building_blocks_terms() -> None:
    vocabulary = interview_vocabulary(brief("Design an online chess server with matchmaking"))

    assert vocabulary.terms and len(vocabulary.terms) <= 150
    assert any(term in vocabulary.terms for term in ("WebSocket", "Redis", "leaderboard"))


def test_without_a_problem_the_core_terms_remain() -> None:
    vocabulary = interview_vocabulary(None)
    core = {t.term for t in default_glossary().terms if t.core}

    assert set(vocabulary.terms) == core


def test_biasing_and_the_prompt_name_the_first_terms_only() -> None:
    vocabulary = build_vocabulary("a cache in front of Redis and a Kafka queue")

    assert vocabulary.biasing(2).count(", ") == 1
    assert (
        vocabulary.prompt(2) == f"A system design interview answer about {vocabulary.biasing(2)}."
    )
    assert not Vocabulary()
    assert Vocabulary().biasing() == Vocabulary().prompt() == ""
