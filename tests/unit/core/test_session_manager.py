"""SessionManager over the in-memory store: lifecycle, answers, recovery."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from interview_platform.core.interviewer.choice import FITTED, ProblemRequest
from interview_platform.core.models import (
    ExperienceLevel,
    InterviewResponse,
    Message,
    ProblemBrief,
    ResumeData,
    Role,
    Session,
    SessionStatus,
)
from interview_platform.core.session_manager import MAX_MESSAGE_CHARS, Interviewer, SessionManager
from interview_platform.errors import (
    AIProviderError,
    AnswerNotSavedError,
    ConfigurationError,
    InvalidTransitionError,
    NotFoundError,
    StorageUnavailableError,
    ValidationError,
)
from interview_platform.monitoring.logging_manager import LoggingManager
from interview_platform.storage.memory_store import InMemoryDataStore
from tests.conftest import make_config


class EchoInterviewer:
    """A fake interviewer that quotes the last answer and records what it saw."""

    def __init__(self) -> None:
        self.seen: list[int] = []

    def generate_problem(
        self,
        resume_data: ResumeData | None,
        request: ProblemRequest = FITTED,
        *,
        recent: Sequence[ProblemBrief] = (),
        session: Session | None = None,
    ) -> ProblemBrief:
        return ProblemBrief("Design a cache", "Design a distributed cache.", ExperienceLevel.MID)

    def check_provider(self, provider: str, model: str | None) -> None:
        if provider != "builtin":
            raise ConfigurationError(f"{provider} is not configured")

    def start_interview(self, session: Session) -> InterviewResponse:
        assert session.problem is not None
        return InterviewResponse(f"Welcome. {session.problem.title}?", metadata={"kind": "opening"})

    def process_response(
        self,
        session: Session,
        history: Sequence[Message],
        on_token: Callable[[str], None] | None = None,
    ) -> InterviewResponse:
        self.seen.append(len(history))
        return InterviewResponse(f"You said: {history[-1].content}. Why?", metadata={"n": 1})


class BrokenInterviewer(EchoInterviewer):
    def process_response(
        self,
        session: Session,
        history: Sequence[Message],
        on_token: Callable[[str], None] | None = None,
    ) -> InterviewResponse:
        raise TimeoutError("provider timed out")


@pytest.fixture
def store() -> InMemoryDataStore:
    return InMemoryDataStore()


def manager(
    store: InMemoryDataStore, logger: LoggingManager, interviewer: Interviewer | None = None
) -> SessionManager:
    return SessionManager(store, logger, interviewer=interviewer, default_user_id="alice")


def test_full_lifecycle(store: InMemoryDataStore, logger: LoggingManager) -> None:
    sessions = manager(store, logger)
    session = sessions.create_session(make_config(duration_minutes=45))
    assert session.status is SessionStatus.CREATED and session.user_id == "alice"

    assert sessions.start_session(session.id).status is SessionStatus.ACTIVE
    assert sessions.pause_session(session.id).status is SessionStatus.PAUSED
    assert sessions.resume_session(session.id).status is SessionStatus.ACTIVE
    ended = sessions.end_session(session.id)

    assert ended.status is SessionStatus.COMPLETED and ended.ended_at is not None
    assert store.get_session(session.id) == ended
    assert sessions.get_session(session.id).config.duration_minutes == 45


def test_invalid_transitions_are_refused_without_changes(
    store: InMemoryDataStore, logger: LoggingManager
) -> None:
    sessions = manager(store, logger)
    session = sessions.create_session(make_config())
    with pytest.raises(InvalidTransitionError, match="Cannot resume"):
        sessions.resume_session(session.id)
    with pytest.raises(InvalidTransitionError):
        sessions.pause_session(session.id)
    sessions.start_session(session.id)
    with pytest.raises(InvalidTransitionError, match="Cannot start"):
        sessions.start_session(session.id)
    sessions.end_session(session.id)
    with pytest.raises(InvalidTransitionError, match="completed"):
        sessions.end_session(session.id)
    assert store.get_session(session.id).status is SessionStatus.COMPLETED


class ChooserRacedByAnotherTab(EchoInterviewer):
    """While this tab's interviewer chooses a problem, another tab starts the same session."""

    def __init__(self, another_tab: Callable[[], object]) -> None:
        super().__init__()
        self.another_tab = another_tab

    def generate_problem(
        self,
        resume_data: ResumeData | None,
        request: ProblemRequest = FITTED,
        *,
        recent: Sequence[ProblemBrief] = (),
        session: Session | None = None,
    ) -> ProblemBrief:
        self.another_tab()
        return ProblemBrief("Design a queue", "Design a message queue.", ExperienceLevel.MID)


def test_two_starts_at_once_keep_one_problem_and_one_opening(
    store: InMemoryDataStore, logger: LoggingManager
) -> None:
    other_tab = manager(store, logger, EchoInterviewer())
    session = other_tab.create_session(make_config())
    this_tab = manager(
        store, logger, ChooserRacedByAnotherTab(lambda: other_tab.start_session(session.id))
    )

    with pytest.raises(InvalidTransitionError, match=r"same time .* is active now"):
        this_tab.start_session(session.id)

    saved = store.get_session(session.id)
    assert saved.status is SessionStatus.ACTIVE
    assert saved.problem is not None and saved.problem.title == "Design a cache"
    assert [m.role for m in store.get_conversation_history(session.id)] == [Role.INTERVIEWER]


def test_unknown_session_is_a_clear_error(store: InMemoryDataStore, logger: LoggingManager) -> None:
    sessions = manager(store, logger)
    with pytest.raises(NotFoundError, match="no session"):
        sessions.start_session("550e8400-e29b-41d4-a716-446655440000")
    with pytest.raises(ValidationError, match="not a session id"):
        sessions.get_session("nope")


def test_start_chooses_the_problem_and_saves_the_opening(
    store: InMemoryDataStore, logger: LoggingManager
) -> None:
    sessions = manager(store, logger, EchoInterviewer())
    session = sessions.start_session(sessions.create_session(make_config()).id)

    assert session.problem is not None and session.problem.title == "Design a cache"
    assert store.get_session(session.id).problem == session.problem
    (opening,) = store.get_conversation_history(session.id)
    assert opening.role is Role.INTERVIEWER and opening.metadata == {"kind": "opening"}


def test_a_start_whose_opening_cannot_be_saved_saves_nothing(
    store: InMemoryDataStore, logger: LoggingManager
) -> None:
    """The problem, the status and the opening are one unit of work."""
    unreachable = UnreachableStore()
    sessions = manager(unreachable, logger, EchoInterviewer())
    session = sessions.create_session(make_config())
    unreachable.writes_left = 0

    with pytest.raises(StorageUnavailableError):
        sessions.start_session(session.id)

    after = unreachable.get_session(session.id)
    assert after.status is SessionStatus.CREATED and after.problem is None
    assert after.version == 0
    assert unreachable.get_conversation_history(session.id) == []
    unreachable.writes_left = None
    assert sessions.start_session(session.id).status is SessionStatus.ACTIVE


class RecordingFiles:
    """A file store fake for deletion: what was cleaned up, and whether the rows were gone."""

    def __init__(self, store: InMemoryDataStore) -> None:
        self._store = store
        self.cleaned: list[tuple[str, bool]] = []

    def stored_session_ids(self) -> list[str]:
        return []

    def cleanup_session(self, session_id: str) -> int:
        rows_gone = not any(s.id == session_id for s in self._store.list_sessions())
        self.cleaned.append((session_id, rows_gone))
        return 0


def test_a_session_s_files_are_deleted_once_its_rows_are(
    store: InMemoryDataStore, logger: LoggingManager
) -> None:
    files = RecordingFiles(store)
    sessions = SessionManager(store, logger, file_storage=files)
    session = sessions.create_session(make_config())

    sessions.delete_session(session.id)

    assert files.cleaned == [(session.id, True)]


def test_answers_are_saved_and_replied_to(store: InMemoryDataStore, logger: LoggingManager) -> None:
    interviewer = EchoInterviewer()
    sessions = manager(store, logger, interviewer)
    session = sessions.create_session(make_config())
    sessions.start_session(session.id)

    answer, reply = sessions.submit_answer(session.id, "  Shard by user id  ", {"source": "text"})

    assert answer.content == "Shard by user id" and answer.metadata == {"source": "text"}
    assert reply is not None and reply.content == "You said: Shard by user id. Why?"
    assert reply.metadata == {"n": 1}
    roles = [m.role for m in sessions.get_conversation(session.id)]
    assert roles == [Role.INTERVIEWER, Role.CANDIDATE, Role.INTERVIEWER]
    assert interviewer.seen == [2], "the interviewer sees the saved answer"


def test_answer_survives_a_failing_interviewer(
    store: InMemoryDataStore, logger: LoggingManager
) -> None:
    sessions = manager(store, logger, BrokenInterviewer())
    session = sessions.create_session(make_config())
    sessions.start_session(session.id)

    with pytest.raises(AIProviderError, match="your answer is saved"):
        sessions.submit_answer(session.id, "Use a write-through cache")

    saved = store.get_conversation_history(session.id)[-1]
    assert saved.role is Role.CANDIDATE and saved.content == "Use a write-through cache"


class UnreachableStore(InMemoryDataStore):
    """A store whose database goes away after `writes_left` more conversation writes."""

    def __init__(self) -> None:
        super().__init__()
        self.writes_left: int | None = None  # None: the database is up

    def save_conversation(self, session_id: str, message: Message) -> None:
        if self.writes_left == 0:
            raise StorageUnavailableError("Cannot reach the database after 3 attempts.")
        if self.writes_left is not None:
            self.writes_left -= 1
        super().save_conversation(session_id, message)


def started_on(store: UnreachableStore, logger: LoggingManager) -> tuple[SessionManager, str]:
    sessions = manager(store, logger, EchoInterviewer())
    session = sessions.create_session(make_config())
    sessions.start_session(session.id)
    return sessions, session.id


def test_an_answer_the_database_cannot_take_is_refused_whole_and_can_be_sent_again(
    logger: LoggingManager,
) -> None:
    store = UnreachableStore()
    sessions, session_id = started_on(store, logger)
    before = store.get_conversation_history(session_id)

    store.writes_left = 0
    with pytest.raises(AnswerNotSavedError, match="not saved; send it again"):
        sessions.submit_answer(session_id, "Use a write-through cache")
    assert store.get_conversation_history(session_id) == before

    store.writes_left = None
    sessions.submit_answer(session_id, "Use a write-through cache")
    assert [m.role for m in store.get_conversation_history(session_id)[len(before) :]] == [
        Role.CANDIDATE,
        Role.INTERVIEWER,
    ]


def test_a_reply_the_database_cannot_take_says_the_answer_is_saved(
    logger: LoggingManager,
) -> None:
    store = UnreachableStore()
    sessions, session_id = started_on(store, logger)

    store.writes_left = 1  # the answer
    with pytest.raises(StorageUnavailableError, match="answer is saved") as raised:
        sessions.submit_answer(session_id, "Use a write-through cache")

    assert not isinstance(raised.value, AnswerNotSavedError)
    saved = store.get_conversation_history(session_id)[-1]
    assert saved.role is Role.CANDIDATE and saved.content == "Use a write-through cache"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("   \n\t", "empty"),
        ("\x00", "empty"),
        ("\x07\x1b\x7f", "empty"),
        ("x" * (MAX_MESSAGE_CHARS + 1), "limit"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(
    store: InMemoryDataStore, logger: LoggingManager, content: str, message: str
) -> None:
    sessions = manager(store, logger)
    session = sessions.create_session(make_config())
    sessions.start_session(session.id)
    with pytest.raises(ValidationError, match=message):
        sessions.submit_answer(session.id, content)
    assert store.get_conversation_history(session.id) == []


def test_control_characters_are_dropped_and_lines_kept(
    store: InMemoryDataStore, logger: LoggingManager
) -> None:
    sessions = manager(store, logger)
    session = sessions.create_session(make_config())
    sessions.start_session(session.id)
    sessions.submit_answer(session.id, "Use\x07 a\x1b[31m cache\r\n\tthen\x00 shard")
    saved = store.get_conversation_history(session.id)[-1]
    assert saved.content == "Use a[31m cache\n\tthen shard"


def test_answers_need_an_active_session(store: InMemoryDataStore, logger: LoggingManager) -> None:
    sessions = manager(store, logger)
    session = sessions.create_session(make_config())
    with pytest.raises(InvalidTransitionError, match="created"):
        sessions.submit_answer(session.id, "hello")
    sessions.start_session(session.id)
    sessions.pause_session(session.id)
    with pytest.raises(InvalidTransitionError, match="resume it first"):
        sessions.submit_answer(session.id, "hello")


def test_active_session_is_per_user_and_most_recent(
    store: InMemoryDataStore, logger: LoggingManager
) -> None:
    sessions = manager(store, logger)
    assert sessions.get_active_session() is None
    first = sessions.create_session(make_config())
    sessions.start_session(first.id)
    second = sessions.create_session(make_config())
    sessions.start_session(second.id)
    sessions.pause_session(second.id)
    other = sessions.create_session(make_config(), user_id="bob")
    sessions.start_session(other.id)

    active = sessions.get_active_session()
    assert active is not None and active.id == second.id
    bob = sessions.get_active_session("bob")
    assert bob is not None and bob.id == other.id


def test_listing_validates_paging(store: InMemoryDataStore, logger: LoggingManager) -> None:
    sessions = manager(store, logger)
    for _ in range(3):
        sessions.create_session(make_config())
    assert len(sessions.list_sessions(limit=2)) == 2
    assert sessions.count_sessions(user_id="alice") == 3
    with pytest.raises(ValidationError, match="Page size"):
        sessions.list_sessions(limit=0)
    with pytest.raises(ValidationError, match="user id"):
        sessions.create_session(make_config(), user_id="x" * 101)
