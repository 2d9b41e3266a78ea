"""Choosing a session's problem: fitted (not repeating recent ones), from the bank, a
surprise, or the candidate's own statement, through SessionManager on the built-in
interviewer."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from interview_platform.core.ai_interviewer import AIInterviewer
from interview_platform.core.interviewer.choice import (
    MAX_STATEMENT_CHARS,
    RECENT_SESSIONS,
    BankProblem,
    CustomProblem,
    ProblemRequest,
    SurpriseProblem,
)
from interview_platform.core.interviewer.problems import default_bank
from interview_platform.core.models import (
    ExperienceLevel,
    ProblemBrief,
    ResumeData,
    Role,
    WorkExperience,
)
from interview_platform.core.session_manager import SessionManager
from interview_platform.errors import ValidationError
from interview_platform.monitoring.logging_manager import LoggingManager
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_config

BANK = default_bank()
PAYMENTS = ResumeData(
    user_id="pat",
    name="Pat",
    email="pat@example.com",
    experience_level=ExperienceLevel.SENIOR,
    years_of_experience=9,
    domain_expertise=["backend", "distributed-systems", "security"],
    work_experience=[
        WorkExperience("Paylane", "Senior Software Engineer", "2018-Present", "Card payments")
    ],
    education=[],
    skills=["Java", "Kafka", "PostgreSQL"],
)
GARAGE = "Design a parking garage occupancy tracker with live dashboards for 300 garages"


def ticking_clock() -> Callable[[], datetime]:
    now = [datetime(2026, 11, 1, 9, tzinfo=UTC)]

    def clock() -> datetime:
        now[0] += timedelta(minutes=1)
        return now[0]

    return clock


@pytest.fixture
def sessions(logger: LoggingManager) -> SessionManager:
    clock = ticking_clock()
    interviewer = AIInterviewer(clock=clock, rng=random.Random(7))
    return SessionManager(InMemoryDataStore(), logger, interviewer=interviewer, clock=clock)


def started(
    sessions: SessionManager,
    request: ProblemRequest | None = None,
    resume: ResumeData | None = PAYMENTS,
) -> ProblemBrief:
    session = sessions.create_session(make_config(resume_data=resume), "pat")
    if request is None:
        session = sessions.start_session(session.id)
    else:
        session = sessions.start_session(session.id, request)
    assert session.problem is not None
    return session.problem


def test_the_fitted_problem_is_the_default_and_suits_the_resume(sessions: SessionManager) -> None:
    problem = started(sessions)

    assert problem.slug == "payment-system"
    assert problem.level is ExperienceLevel.SENIOR


def test_a_returning_candidate_gets_the_next_best_fit_not_the_same_problem(
    sessions: SessionManager,
) -> None:
    slugs = [started(sessions).slug for _ in range(RECENT_SESSIONS + 2)]

    assert len(set(slugs[: RECENT_SESSIONS + 1])) == RECENT_SESSIONS + 1
    fitting = {p.slug for p in BANK.problems if set(p.domains) & set(PAYMENTS.domain_expertise)}
    assert set(slugs) <= fitting
    assert slugs[RECENT_SESSIONS + 1] == slugs[0]  # out of the window of recent sessions


def test_recent_problems_are_the_users_last_sessions_newest_first(
    sessions: SessionManager,
) -> None:
    chosen = [started(sessions).slug for _ in range(RECENT_SESSIONS + 1)]
    other = sessions.create_session(make_config(), "someone-else")
    sessions.start_session(other.id)

    recent = [brief.slug for brief in sessions.recent_problems("pat")]

    assert recent == chosen[::-1][:RECENT_SESSIONS]


def test_the_bank_catalogue_is_filtered_by_domain() -> None:
    interviewer = AIInterviewer()

    mobile = interviewer.problem_catalogue(["mobile"])
    both = interviewer.problem_catalogue(["mobile", "security"])

    assert {p.slug for p in mobile} == {"chat-system", "ride-sharing", "notification-system"} | {
        "photo-sharing",
        "proximity-service",
    }
    assert all("mobile" in p.domains for p in mobile)
    assert {p.slug for p in both} == {p.slug for p in mobile} | {"rate-limiter", "payment-system"}
    assert len(interviewer.problem_catalogue()) == len(BANK.problems) == 24


def test_a_bank_pick_is_asked_at_the_chosen_level(sessions: SessionManager) -> None:
    problem = started(sessions, BankProblem("typeahead", ExperienceLevel.JUNIOR))

    assert problem.slug == "typeahead"
    assert problem.level is ExperienceLevel.JUNIOR
    assert problem.statement == BANK.get("typeahead").brief(ExperienceLevel.JUNIOR)
    assert started(sessions, BankProblem("typeahead")).level is ExperienceLevel.SENIOR


def test_an_unknown_bank_slug_is_refused_and_leaves_the_session_unstarted(
    sessions: SessionManager,
) -> None:
    session = sessions.create_session(make_config(), "pat")

    with pytest.raises(ValidationError, match="There is no problem 'no-such-problem'"):
        sessions.start_session(session.id, BankProblem("no-such-problem"))

    assert sessions.get_session(session.id).status.value == "created"
    assert sessions.get_session(session.id).problem is None


def test_surprise_never_repeats_a_recent_problem_and_fits_the_domains(
    sessions: SessionManager,
) -> None:
    fitting = {p.slug for p in BANK.problems if set(p.domains) & set(PAYMENTS.domain_expertise)}
    drawn: list[str] = []
    for _ in range(30):
        recent = {brief.slug for brief in sessions.recent_problems("pat")}
        slug = started(sessions, SurpriseProblem()).slug
        assert slug not in recent
        assert slug in fitting
        drawn.append(slug or "")

    assert len(set(drawn)) > RECENT_SESSIONS + 1  # random, not a fixed rotation


def test_surprise_without_a_resume_draws_from_the_whole_bank(sessions: SessionManager) -> None:
    slugs = {started(sessions, SurpriseProblem(), resume=None).slug for _ in range(40)}

    assert len(slugs) > 12
    assert all(
        started(sessions, SurpriseProblem(), resume=None).level is ExperienceLevel.MID
        for _ in range(2)
    )


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("", "too short"),
        ("cache", "too short"),
        ("Design!!!!!!!!!!!", "too short"),
        ("?? ?? ?? ?? ?? ??", "needs words"),
        ("Design a system " * 200, f"the limit is {MAX_STATEMENT_CHARS:,}"),
    ],
)
def test_a_bad_custom_statement_is_refused_with_what_to_do(statement: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        CustomProblem(statement)


def test_a_custom_statement_is_tidied_and_kept_as_written() -> None:
    request = CustomProblem(f"  {GARAGE}\n\n   with   alerts  \x00")

    assert request.statement == f"{GARAGE}\n\nwith alerts"


def test_a_custom_statement_naming_a_bank_problem_exactly_gets_that_problem(
    sessions: SessionManager,
) -> None:
    assert started(sessions, CustomProblem("Design a rate limiter.")).slug == "rate-limiter"
    assert started(sessions, CustomProblem("Design a rate limiter for SMS")).slug is None


def test_a_built_in_interview_runs_on_a_custom_problem(sessions: SessionManager) -> None:
    session = sessions.create_session(make_config(resume_data=PAYMENTS), "pat")

    problem = sessions.start_session(session.id, CustomProblem(GARAGE)).problem
    _, reply = sessions.submit_answer(
        session.id,
        "Drivers want a free spot and operators watch occupancy; gate sensors send entry and "
        "exit events, and I assume about 300 garages with 500 spots each.",
    )

    assert problem is not None
    assert (problem.statement, problem.slug, problem.level) == (
        GARAGE,
        None,
        ExperienceLevel.SENIOR,
    )
    history = sessions.get_conversation(session.id)
    assert history[0].role is Role.INTERVIEWER and GARAGE in history[0].content
    assert reply is not None and reply.content.strip()
    assert reply.metadata["engine"] == "builtin"
    assert [m.role for m in history] == [Role.INTERVIEWER, Role.CANDIDATE, Role.INTERVIEWER]
