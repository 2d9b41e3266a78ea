"""The shipped problem bank: complete, well-formed, and fair to a vague answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError as PydanticError

from interview_platform.core.interviewer.analysis import concepts_in, mentions
from interview_platform.core.interviewer.problems import (
    Phase,
    Problem,
    ProblemFacts,
    default_bank,
    load_bank,
)
from interview_platform.core.models import ExperienceLevel
from interview_platform.core.resume.domains import DOMAINS
from interview_platform.errors import ConfigurationError

BANK = default_bank()
CLASSICS = {
    "url-shortener",
    "news-feed",
    "chat-system",
    "rate-limiter",
    "web-crawler",
    "ride-sharing",
    "video-streaming",
    "notification-system",
    "distributed-cache",
    "payment-system",
    "typeahead",
    "file-storage",
}
ADDED = {
    "ticket-booking",
    "collaborative-editor",
    "photo-sharing",
    "proximity-service",
    "leaderboard",
    "job-scheduler",
    "metrics-monitoring",
    "key-value-store",
    "hotel-reservation",
    "ad-click-aggregator",
    "message-queue",
    "pastebin",
}
BASE_FACTS = [name for name in ProblemFacts.model_fields if name != "extra"]
RESUME_DOMAINS = set(DOMAINS)
VAGUE = [
    "I would just use a database and a server, and scale it if needed.",
    "Maybe some kind of service that stores the data, not sure, it should be fast.",
    "I think we keep it simple and get something working first.",
]


def test_the_bank_holds_the_twenty_four_classic_problems() -> None:
    slugs = [p.slug for p in BANK.problems]
    assert len(slugs) >= 24
    assert len(slugs) == len(set(slugs))
    assert set(slugs) == CLASSICS | ADDED


@pytest.mark.parametrize("problem", BANK.problems, ids=lambda p: p.slug)
def test_every_problem_has_facts_for_clarifying_questions(problem: Problem) -> None:
    facts = problem.facts
    for name in BASE_FACTS:
        answer = getattr(facts, name)
        assert len(answer) >= 10 and answer.rstrip().endswith("."), name
    assert 3 <= len(facts.extra) <= 6
    for fact in facts.extra:
        assert fact.asks and all(ask.strip() and ask == ask.lower() for ask in fact.asks)
        assert fact.answer.rstrip().endswith(".")
    asks = [ask for fact in facts.extra for ask in fact.asks]
    assert len(asks) == len(set(asks)), "an ask would pick two facts"


@pytest.mark.parametrize("slug", sorted(ADDED))
def test_a_new_problem_has_the_full_schema(slug: str) -> None:
    problem = BANK.get(slug)
    assert problem.title.startswith("Design") and problem.statement.startswith("Design")
    assert all(
        len(problem.levels[level].scale) >= 10 and len(problem.levels[level].focus) >= 10
        for level in ExperienceLevel
    )
    generic = {c.question for concepts in BANK.generic.values() for c in concepts}
    assert not generic & {c.question for c in problem.concepts()}, "a generic question"
    for concept in problem.concepts():
        assert len(concept.synonyms) >= 4 and concept.hint.endswith(".")


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"asks": ["Group Size"], "answer": "Groups have up to 100 members."}, "lower case"),
        ({"asks": [], "answer": "Groups have up to 100 members."}, "at least 1"),
        ({"asks": ["group"], "answer": "Yes."}, "at least 10"),
    ],
)
def test_an_extra_fact_is_validated(data: dict[str, object], error: str) -> None:
    broken = BANK.problems[0].model_dump(mode="json")
    broken["facts"]["extra"] = [data]

    with pytest.raises(PydanticError, match=error):
        Problem.model_validate(broken)


def test_a_problem_without_facts_is_rejected() -> None:
    broken = BANK.problems[0].model_dump(mode="json")
    del broken["facts"]

    with pytest.raises(PydanticError, match="facts"):
        Problem.model_validate(broken)


@pytest.mark.parametrize("problem", BANK.problems, ids=lambda p: p.slug)
def test_every_problem_is_complete(problem: Problem) -> None:
    assert set(problem.levels) == set(ExperienceLevel)
    assert set(problem.domains) <= RESUME_DOMAINS
    assert len(problem.escalations) == 3
    questions = [c.question for c in problem.concepts()]
    assert len(questions) == len(set(questions)), "a question would repeat"
    for phase in Phase:
        concepts = problem.concepts(phase)
        assert 3 <= len(concepts) <= 5
        assert max(c.weight for c in concepts) == 3
    for concept in problem.concepts():
        assert concept.question.endswith("?")
        assert any(mentions(concept.question + " " + s, s) for s in concept.synonyms)


@pytest.mark.parametrize("problem", BANK.problems, ids=lambda p: p.slug)
@pytest.mark.parametrize("answer", VAGUE)
def test_a_vague_answer_covers_nothing(problem: Problem, answer: str) -> None:
    assert concepts_in(answer, problem.concepts()) == set()


def test_scale_grows_with_level() -> None:
    brief = BANK.get("url-shortener").brief(ExperienceLevel.STAFF)
    assert brief.startswith("Design")
    assert "Scale:" in brief and "Focus:" in brief


def test_the_generic_checklist_covers_every_phase() -> None:
    assert set(BANK.generic) == set(Phase)
    assert all(3 <= len(concepts) <= 5 for concepts in BANK.generic.values())


def test_a_broken_bank_file_is_a_clear_configuration_error(tmp_path: Path) -> None:
    broken = tmp_path / "bank.yaml"
    broken.write_text("generic: {}\nproblems: []\n", encoding="utf-8")

    with pytest.raises(ConfigurationError, match="problem bank"):
        load_bank(broken)
