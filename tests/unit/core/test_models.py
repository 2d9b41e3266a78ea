"""The session state machine and the domain's own validation."""

from __future__ import annotations

from datetime import timedelta

import pytest

from interview_platform.core.evaluation.report import (
    EvaluationReport,
    ImprovementPlan,
    ModeAnalysis,
)
from interview_platform.core.models import (
    CommunicationMode,
    ExperienceLevel,
    ResumeData,
    Session,
    SessionStatus,
    TokenUsage,
    levels_at_or_above,
    utc_now,
    validate_session_id,
)
from interview_platform.errors import InvalidTransitionError, ValidationError
from tests.conftest import make_config, make_session

S = SessionStatus
VALID = {
    (S.CREATED, S.ACTIVE),
    (S.CREATED, S.COMPLETED),
    (S.ACTIVE, S.PAUSED),
    (S.ACTIVE, S.COMPLETED),
    (S.PAUSED, S.ACTIVE),
    (S.PAUSED, S.COMPLETED),
}


def _session_in(status: SessionStatus) -> Session:
    session = make_session()
    now = utc_now()
    path = {
        S.CREATED: [],
        S.ACTIVE: [S.ACTIVE],
        S.PAUSED: [S.ACTIVE, S.PAUSED],
        S.COMPLETED: [S.ACTIVE, S.COMPLETED],
    }[status]
    for step in path:
        session.move_to(step, now)
    return session


@pytest.mark.parametrize("source", list(S))
@pytest.mark.parametrize("target", list(S))
def test_only_the_designed_transitions_are_allowed(source: S, target: S) -> None:
    session = _session_in(source)
    assert session.status is source
    if (source, target) in VALID:
        session.move_to(target, utc_now())
        assert session.status is target
    else:
        with pytest.raises(InvalidTransitionError, match=f"is {source.value}"):
            session.move_to(target, utc_now())
        assert session.status is source


def test_elapsed_time_excludes_pauses() -> None:
    session = make_session()
    t0 = utc_now()
    session.move_to(S.ACTIVE, t0)
    session.move_to(S.PAUSED, t0 + timedelta(minutes=10))
    assert session.elapsed_seconds(t0 + timedelta(minutes=30)) == 600
    session.move_to(S.ACTIVE, t0 + timedelta(minutes=25))
    session.move_to(S.COMPLETED, t0 + timedelta(minutes=40))
    assert session.elapsed_seconds(t0 + timedelta(hours=5)) == 25 * 60
    assert session.ended_at == t0 + timedelta(minutes=40)


def test_completed_session_explains_there_is_no_way_back() -> None:
    session = _session_in(S.COMPLETED)
    with pytest.raises(InvalidTransitionError, match="start a new session"):
        session.move_to(S.ACTIVE, utc_now())


def test_session_config_always_allows_text_and_drops_duplicates() -> None:
    config = make_config(enabled_modes=[CommunicationMode.AUDIO, CommunicationMode.AUDIO])
    assert config.enabled_modes == [CommunicationMode.TEXT, CommunicationMode.AUDIO]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ai_provider": " "}, "provider"),
        ({"ai_model": ""}, "model"),
        ({"duration_minutes": 2}, "between 5 and 180"),
        ({"duration_minutes": 500}, "between 5 and 180"),
    ],
)
def test_session_config_rejects_bad_values(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        make_config(**changes)


@pytest.mark.parametrize("bad", ["", "abc", "../etc/passwd", "550e8400-e29b-41d4-a716", "1" * 200])
def test_session_ids_must_be_uuids(bad: str) -> None:
    with pytest.raises(ValidationError, match="not a session id"):
        validate_session_id(bad)


def test_session_ids_are_canonicalised() -> None:
    raw = "550E8400E29B41D4A716446655440000"
    assert validate_session_id(raw) == "550e8400-e29b-41d4-a716-446655440000"


def test_resume_and_report_bounds() -> None:
    with pytest.raises(ValidationError, match="between 0 and 70"):
        ResumeData("u", "n", "e", ExperienceLevel.MID, 99, [])
    with pytest.raises(ValidationError, match="user id"):
        ResumeData(" ", "n", "e", ExperienceLevel.MID, 1, [])
    with pytest.raises(ValidationError, match="0-100"):
        EvaluationReport(
            "x", 120, {}, [], [], [], ImprovementPlan([], [], []), ModeAnalysis({}, [])
        )


def test_token_usage_sums_keep_labels_unless_they_differ() -> None:
    gpt = TokenUsage(10, 5, 15, 0.01, "openai", "gpt-4")
    total = gpt + gpt
    assert total == TokenUsage(20, 10, 30, 0.02, "openai", "gpt-4")
    mixed = gpt + TokenUsage(1, 1, 2, 0.0, "anthropic", "claude-3-opus")
    assert (mixed.provider, mixed.model, mixed.total_tokens) == ("mixed", "mixed", 17)


def test_log_levels() -> None:
    assert levels_at_or_above("warning") == ["WARNING", "ERROR", "CRITICAL"]
    with pytest.raises(ValidationError, match="Unknown log level"):
        levels_at_or_above("LOUD")
