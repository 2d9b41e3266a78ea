"""run_interview on the in-memory store: the real built-in interviewer, in simulated time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interview_platform.core.ai_interviewer import AIInterviewer
from interview_platform.core.headless import (
    SIMULATED_START,
    SimulatedClock,
    read_answers,
    run_interview,
    transcript_as_text,
)
from interview_platform.core.models import ExperienceLevel, Role
from interview_platform.core.session_manager import SessionManager
from interview_platform.errors import ValidationError
from interview_platform.monitoring.logging_manager import LoggingManager
from interview_platform.storage.memory_store import InMemoryDataStore

ANSWERS = [
    "First I'd ask who uses it: people shorten a link, share it, and anyone clicking it lands on "
    "the original page. I'd assume clicks vastly outnumber new links.",
    "I'd store each code next to its long address and the owner, and look it up by the code.",
    "Popular links would sit in an in-memory cache so most clicks never reach the database.",
]


def sessions_on(clock: SimulatedClock, logger: LoggingManager) -> SessionManager:
    interviewer = AIInterviewer(clock=clock)
    return SessionManager(InMemoryDataStore(), logger, interviewer=interviewer, clock=clock)


def test_each_answer_is_submitted_and_answered_in_simulated_time(logger: LoggingManager) -> None:
    clock = SimulatedClock()
    transcript = run_interview(
        sessions_on(clock, logger), clock, "url-shortener", ANSWERS, ExperienceLevel.SENIOR, 3
    )

    assert (transcript.problem, transcript.slug) == ("Design a URL Shortener", "url-shortener")
    assert transcript.level is ExperienceLevel.SENIOR
    assert (transcript.answers_submitted, transcript.answers_unused) == (3, 0)
    assert [t.role for t in transcript.turns] == [Role.INTERVIEWER] + [
        Role.CANDIDATE,
        Role.INTERVIEWER,
    ] * 3
    assert [t.minute for t in transcript.turns] == [0.0, 3.0, 3.0, 6.0, 6.0, 9.0, 9.0]
    assert clock() == SIMULATED_START.replace(minute=9)
    replies = transcript.turns[2::2]
    assert all(t.phase for t in replies)
    assert all(t.concept for t in replies if t.kind in ("probe", "hint"))
    assert all(t.kind is None and t.concept is None for t in transcript.turns[1::2])


def test_the_clock_paces_the_interviewer(logger: LoggingManager) -> None:
    clock = SimulatedClock()
    late = run_interview(
        sessions_on(clock, logger), clock, "url-shortener", ANSWERS, minutes_per_answer=50
    )

    assert [t.kind for t in late.turns[2::2]] == ["wrap_up", "closed"]
    assert (late.answers_submitted, late.answers_unused) == (2, 1)
    assert "1 not submitted" in transcript_as_text(late)


def test_as_dict_and_text(logger: LoggingManager) -> None:
    clock = SimulatedClock()
    statement = "Design a parking garage occupancy tracker with live dashboards"
    transcript = run_interview(sessions_on(clock, logger), clock, statement, ANSWERS[:1])
    document = transcript.as_dict()

    assert json.loads(json.dumps(document)) == document
    assert (document["problem"], document["slug"], document["level"]) == (statement, None, "mid")
    assert document["turns"][1] == {
        "role": "candidate",
        "content": ANSWERS[0],
        "minute": 4.5,
        "kind": None,
        "phase": None,
        "concept": None,
    }
    text = transcript_as_text(transcript)
    assert text.startswith(f"Interview: {statement} (mid)\n")
    assert "[0.0 min] Interviewer (requirements, opening): " in text
    assert f"[4.5 min] Candidate: {ANSWERS[0]}" in text


@pytest.mark.parametrize("minutes", [0.0, -1.0, float("nan"), float("inf")])
def test_minutes_per_answer_must_be_a_positive_number(
    logger: LoggingManager, minutes: float
) -> None:
    clock = SimulatedClock()
    with pytest.raises(ValidationError, match="--minutes-per-answer must be above 0"):
        run_interview(
            sessions_on(clock, logger), clock, "url-shortener", ANSWERS, minutes_per_answer=minutes
        )


def test_no_answers_or_no_problem_is_refused(logger: LoggingManager) -> None:
    clock = SimulatedClock()
    with pytest.raises(ValidationError, match="at least one answer"):
        run_interview(sessions_on(clock, logger), clock, "url-shortener", [])
    with pytest.raises(ValidationError, match="--problem"):
        run_interview(sessions_on(clock, logger), clock, "  ", ANSWERS)


def test_read_answers_keeps_line_separators_inside_an_answer(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    lines = ['{"content": "one\u2028two"}', "", '  {"content": "  three  ", "role": "candidate"}']
    path.write_text("\ufeff" + "\r\n".join(lines), encoding="utf-8")

    assert read_answers(path) == ["one\u2028two", "three"]


def test_read_answers_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"content": "fine"}\n\n{"content": ""}\n', encoding="utf-8")

    with pytest.raises(ValidationError, match=r"a\.jsonl, line 3: the answer is empty"):
        read_answers(path)


def test_read_answers_refuses_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"content": "caf\xe9"}\n')

    with pytest.raises(ValidationError, match="UTF-8"):
        read_answers(path)
