"""The DataStore contract: the same tests on the in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from interview_platform.core.evaluation.report import (
    ActionItem,
    CompetencyScore,
    EvaluationReport,
    Feedback,
    ImprovementPlan,
    ModeAnalysis,
)
from interview_platform.core.models import (
    Education,
    ExperienceLevel,
    LogEntry,
    MediaFile,
    MediaType,
    Message,
    ResumeData,
    Role,
    SessionStatus,
    TokenUsage,
    TokenUsageRecord,
    WorkExperience,
    utc_now,
)
from interview_platform.core.ports.data_store import DataStore
from interview_platform.errors import NotFoundError, ValidationError
from tests.conftest import make_config, make_session


def make_report(session_id: str, score: float = 72.5) -> EvaluationReport:
    return EvaluationReport(
        session_id=session_id,
        overall_score=score,
        competency_scores={
            "scalability": CompetencyScore(80.0, "high", ["we shard by user id"]),
            "communication": CompetencyScore(65.0, "medium", ["let me clarify"]),
        },
        went_well=[Feedback("scalability", "Sharded early", ["we shard by user id"])],
        went_okay=[Feedback("api", "APIs were brief", [])],
        needs_improvement=[Feedback("reliability", "No failover", ["single db"])],
        improvement_plan=ImprovementPlan(
            priority_areas=["reliability"],
            concrete_steps=[ActionItem(1, "Study leader election", ["DDIA ch. 9"])],
            resources=["DDIA"],
        ),
        communication_mode_analysis=ModeAnalysis({"text": 12, "whiteboard": 2}, ["Drew early"]),
    )


def make_resume(user_id: str = "alice") -> ResumeData:
    return ResumeData(
        user_id=user_id,
        name="Alice Example",
        email="alice@example.com",
        experience_level=ExperienceLevel.SENIOR,
        years_of_experience=8,
        domain_expertise=["backend", "distributed-systems"],
        work_experience=[WorkExperience("Acme", "Senior Engineer", "2018-2024", "Payments")],
        education=[Education("MIT", "BSc", "Computer Science", "2016")],
        skills=["Python", "Kafka"],
        raw_text="Alice Example - Senior Engineer",
    )


def test_session_round_trip_keeps_every_field(store: DataStore) -> None:
    session = make_session(config=make_config(resume_data=make_resume(), duration_minutes=45))
    now = utc_now()
    session.move_to(SessionStatus.ACTIVE, now)
    session.move_to(SessionStatus.PAUSED, now + timedelta(seconds=30))
    store.save_session(session)

    loaded = store.get_session(session.id)

    assert loaded == session
    assert loaded.created_at.tzinfo is not None
    assert loaded.config.resume_data == make_resume()


def test_save_session_updates_in_place(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    session.move_to(SessionStatus.ACTIVE, utc_now())
    store.save_session(session)

    assert store.get_session(session.id).status is SessionStatus.ACTIVE
    assert store.count_sessions() == 1


def test_a_new_session_is_at_version_0_and_each_save_adds_1(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    assert store.get_session(session.id).version == 0
    store.save_session(session)
    store.save_session(session)

    assert store.get_session(session.id).version == 2


def test_compare_and_set_writes_only_over_the_version_it_read(store: DataStore) -> None:
    store.save_session(make_session())
    session_id = store.list_sessions()[0].id
    first, second = store.get_session(session_id), store.get_session(session_id)
    now = utc_now()
    first.move_to(SessionStatus.ACTIVE, now)
    second.move_to(SessionStatus.COMPLETED, now)

    assert store.compare_and_set_session(first) is True
    assert store.compare_and_set_session(second) is False

    stored = store.get_session(session_id)
    assert (stored.status, stored.ended_at, stored.version) == (SessionStatus.ACTIVE, None, 1)
    assert stored == first
    assert first.version == 0  # the argument is not changed; the store holds the new version
    stored.move_to(SessionStatus.COMPLETED, now)
    assert store.compare_and_set_session(stored) is True
    assert store.get_session(session_id).version == 2


def test_compare_and_set_loses_to_a_plain_save(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    seen = store.get_session(session.id)
    session.config.ai_model = "changed elsewhere"
    store.save_session(session)

    seen.move_to(SessionStatus.ACTIVE, utc_now())
    assert store.compare_and_set_session(seen) is False
    assert store.get_session(session.id).status is SessionStatus.CREATED


def test_compare_and_set_of_an_unknown_session(store: DataStore) -> None:
    with pytest.raises(NotFoundError, match="no session"):
        store.compare_and_set_session(make_session())
    with pytest.raises(ValidationError, match="not a session id"):
        store.compare_and_set_session(make_session(id="../../etc/passwd"))


def test_unknown_and_malformed_session_ids(store: DataStore) -> None:
    with pytest.raises(NotFoundError, match="no session"):
        store.get_session(str(uuid.uuid4()))
    with pytest.raises(ValidationError, match="not a session id"):
        store.get_session("../../etc/passwd")
    with pytest.raises(NotFoundError):
        store.save_conversation(str(uuid.uuid4()), Message(Role.CANDIDATE, "hello"))
    with pytest.raises(NotFoundError):
        store.delete_session(str(uuid.uuid4()))


def test_conversation_is_kept_in_order_with_metadata(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    start = utc_now()
    messages = [
        Message(Role.INTERVIEWER, "Design a URL shortener.", start),
        Message(
            Role.CANDIDATE,
            "First, requirements: 100M URLs/day.",
            start + timedelta(seconds=1),
            {"source": "audio"},
        ),
        Message(Role.INTERVIEWER, "What about reads?", start + timedelta(seconds=2)),
    ]
    for message in messages:
        store.save_conversation(session.id, message)

    assert store.get_conversation_history(session.id) == messages


def test_a_message_saved_again_is_kept_once(store: DataStore) -> None:
    """A save retried after its COMMIT was acknowledged to no one (the connection dropped)
    sends the same message again: it is kept once. The same words said again are new."""
    session = make_session()
    store.save_session(session)
    start = utc_now()
    answer = Message(Role.CANDIDATE, "Shard by user id.", start)
    store.save_conversation(session.id, answer)
    store.save_conversation(session.id, answer)
    later = Message(Role.CANDIDATE, "Shard by user id.", start + timedelta(seconds=5))
    store.save_conversation(session.id, later)
    echoed = Message(Role.INTERVIEWER, "Shard by user id.", start)
    store.save_conversation(session.id, echoed)

    history = store.get_conversation_history(session.id)
    assert sorted(history, key=lambda m: (m.timestamp, m.role)) == sorted(
        [answer, later, echoed], key=lambda m: (m.timestamp, m.role)
    )


def test_list_sessions_pages_newest_first_and_filters(store: DataStore) -> None:
    base = utc_now()
    created = []
    for index in range(7):
        session = make_session(
            user_id="bob" if index % 2 else "alice", created_at=base - timedelta(minutes=index)
        )
        store.save_session(session)
        created.append(session)
    store.save_conversation(created[0].id, Message(Role.CANDIDATE, "hi"))
    store.save_evaluation(make_report(created[0].id, 81.0))

    first = store.list_sessions(limit=3, offset=0)
    second = store.list_sessions(limit=3, offset=3)
    assert [s.id for s in first + second] == [s.id for s in created[:6]]
    assert first[0].message_count == 1 and first[0].overall_score == 81.0
    assert first[1].overall_score is None
    assert {s.user_id for s in store.list_sessions(user_id="bob")} == {"bob"}
    assert store.count_sessions(user_id="bob") == 3
    assert store.count_sessions(status=SessionStatus.COMPLETED) == 0


def test_find_open_sessions_returns_active_and_paused_newest_first(store: DataStore) -> None:
    now = utc_now()
    older, newer, done = (make_session(created_at=now - timedelta(minutes=m)) for m in (10, 5, 1))
    older.move_to(SessionStatus.ACTIVE, now)
    newer.move_to(SessionStatus.ACTIVE, now)
    newer.move_to(SessionStatus.PAUSED, now)
    done.move_to(SessionStatus.COMPLETED, now)
    for session in (older, newer, done, make_session(user_id="other")):
        store.save_session(session)

    assert [s.id for s in store.find_open_sessions("alice")] == [newer.id, older.id]


def test_evaluation_round_trip_and_replace(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    assert store.get_evaluation(session.id) is None

    store.save_evaluation(make_report(session.id, 60.0))
    store.save_evaluation(make_report(session.id, 75.25))

    loaded = store.get_evaluation(session.id)
    assert loaded is not None
    assert loaded.overall_score == 75.25
    assert loaded.competency_scores == make_report(session.id).competency_scores
    assert loaded.improvement_plan == make_report(session.id).improvement_plan
    assert loaded.communication_mode_analysis.mode_usage == {"text": 12, "whiteboard": 2}


def test_media_references_filter_by_type(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    store.save_media_reference(session.id, MediaFile(MediaType.AUDIO, "a/recording_001.wav", 10))
    store.save_media_reference(
        session.id, MediaFile(MediaType.WHITEBOARD, "w/snapshot_001.png", 20, metadata={"n": 1})
    )

    assert len(store.list_media(session.id)) == 2
    (snapshot,) = store.list_media(session.id, MediaType.WHITEBOARD)
    assert snapshot.file_path == "w/snapshot_001.png" and snapshot.metadata == {"n": 1}


def test_resume_upsert_and_profile_rows(store: DataStore) -> None:
    store.save_session(make_session(user_id="carol"))
    assert store.get_resume("carol") is None, "a profile row is not an uploaded resume"

    store.save_resume(make_resume("carol"))
    corrected = make_resume("carol")
    corrected.experience_level = ExperienceLevel.STAFF
    corrected.domain_expertise = ["cloud"]
    store.save_resume(corrected)

    assert store.get_resume("carol") == corrected
    assert store.get_resume("nobody") is None


def test_token_usage_round_trip(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    usage = TokenUsage(1200, 300, 1500, 0.0, "openai", "gpt-4", estimated=True, duration_ms=2345)
    reported = TokenUsage(10, 5, 15, 0.0, "openai", "gpt-4", estimated=False, duration_ms=0)
    for call in (usage, reported):
        store.save_token_usage(TokenUsageRecord(session.id, "question_generation", call))

    records = store.get_token_usage(session.id)
    assert [r.usage for r in records] == [usage, reported]
    assert records[0].operation == "question_generation"


def test_token_usage_is_kept_raw_without_its_cost(store: DataStore) -> None:
    """Cost is priced when read (TokenTracker), never taken from the store."""
    session = make_session()
    store.save_session(session)
    priced = TokenUsage(1200, 300, 1500, 0.054, "openai", "gpt-4")
    store.save_token_usage(TokenUsageRecord(session.id, "evaluation", priced))

    (record,) = store.get_token_usage(session.id)
    assert record.usage == TokenUsage(1200, 300, 1500, 0.0, "openai", "gpt-4")
    assert (record.usage.estimated, record.usage.duration_ms) == (False, None)


def test_token_total_sums_only_the_sessions_own_calls(store: DataStore) -> None:
    session, other = make_session(), make_session()
    store.save_session(session)
    store.save_session(other)
    assert store.get_token_total(session.id) == 0
    for sid, tokens in ((session.id, 1500), (other.id, 70), (session.id, 25)):
        usage = TokenUsage(tokens, 0, tokens, 0.0, "openai", "gpt-4")
        store.save_token_usage(TokenUsageRecord(sid, "response_analysis", usage))
    store.save_token_usage(TokenUsageRecord(None, "resume_parsing", usage, user_id="alice"))

    assert (store.get_token_total(session.id), store.get_token_total(other.id)) == (1525, 70)


def test_usage_before_any_session_belongs_to_the_user(store: DataStore) -> None:
    usage = TokenUsage(800, 200, 1000, 0.0, "openai", "gpt-4o-mini", True, 640)
    store.save_token_usage(TokenUsageRecord(None, "resume_parsing", usage, user_id="dana"))

    (record,) = store.get_user_token_usage("dana")
    assert (record.session_id, record.user_id, record.usage) == (None, "dana", usage)
    assert store.get_user_token_usage("someone-else") == []


def test_usage_needs_a_session_or_a_user() -> None:
    with pytest.raises(ValidationError, match="session or a user"):
        TokenUsageRecord(None, "resume_parsing", TokenUsage(1, 1, 2, 0.0))


def test_log_entries_filter_by_level_and_session(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    for level in ("INFO", "WARNING", "ERROR"):
        store.save_log_entry(
            LogEntry(utc_now(), level, "Test", "op", f"{level} message", session.id, {"k": 1})
        )
    store.save_log_entry(LogEntry(utc_now(), "CRITICAL", "Test", "op", "no session"))

    assert [e.level for e in store.get_log_entries(min_level="WARNING")] == [
        "CRITICAL",
        "ERROR",
        "WARNING",
    ]
    by_session = store.get_log_entries(session_id=session.id)
    assert len(by_session) == 3 and by_session[0].metadata == {"k": 1}


def test_delete_session_cascades_and_keeps_audit_rows(store: DataStore) -> None:
    session = make_session()
    store.save_session(session)
    store.save_conversation(session.id, Message(Role.CANDIDATE, "answer"))
    store.save_evaluation(make_report(session.id))
    store.save_media_reference(session.id, MediaFile(MediaType.SCREEN, "s/capture_001.png", 5))
    store.save_token_usage(TokenUsageRecord(session.id, "evaluation", TokenUsage(1, 1, 2, 0.0)))
    store.save_log_entry(LogEntry(utc_now(), "ERROR", "Test", "op", "kept", session.id))

    store.delete_session(session.id)

    assert store.get_conversation_history(session.id) == []
    assert store.get_evaluation(session.id) is None
    assert store.list_media(session.id) == [] and store.get_token_usage(session.id) == []
    (entry,) = store.get_log_entries()
    assert entry.message == "kept" and entry.session_id is None


def test_sessions_created_before(store: DataStore) -> None:
    now = utc_now()
    old = make_session(created_at=now - timedelta(days=100))
    new = make_session(created_at=now)
    store.save_session(old)
    store.save_session(new)

    assert store.sessions_created_before(now - timedelta(days=90)) == [old.id]
