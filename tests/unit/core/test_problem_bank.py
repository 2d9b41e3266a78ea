"""The shipped problem bank: complete, well-formed, and fair to a vague answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from interview_platform.core.interviewer.analysis import concepts_in, mentions
from interview_platform.core.interviewer.problems import Phase, Problem, default_bank, load_bank
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
RESUME_DOMAINS = set(DOMAINS)
VAGUE = [
    "I would just use a database and a server, and scale it if needed.",
    "Maybe some kind of service that stores the data, not sure, it should be fast.",
    "I think we keep it simple and get something working first.",
]


def test_the_bank_holds_the_twelve_classic_problems() -> None:
    assert {p.slug for p in BANK.problems} == CLASSICS


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
