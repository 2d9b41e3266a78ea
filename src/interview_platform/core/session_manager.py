"""SessionManager: the interview session lifecycle and its conversation."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from interview_platform.core.evaluation.manager import EvaluationManager
from interview_platform.core.evaluation.report import EvaluationReport
from interview_platform.core.interviewer.choice import FITTED, RECENT_SESSIONS, ProblemRequest
from interview_platform.core.models import (
    InterviewResponse,
    JSONDict,
    Message,
    ProblemBrief,
    ResumeData,
    Role,
    Session,
    SessionConfig,
    SessionStatus,
    SessionSummary,
    clean_text,
    new_session_id,
    utc_now,
    validate_user_id,
)
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.ports.monitoring import AuditLog
from interview_platform.errors import (
    AIProviderError,
    AnswerNotSavedError,
    AnswerTooLongError,
    DataStoreError,
    InvalidTransitionError,
    NotFoundError,
    StorageUnavailableError,
    ValidationError,
)

MAX_MESSAGE_CHARS = 20_000
# Control characters a candidate cannot mean (a bell, an escape, NUL); tabs and new lines stay.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
COMPONENT = "SessionManager"


class Interviewer(Protocol):
    """What conducts the interview (AIInterviewer); it persists nothing itself."""

    def generate_problem(
        self,
        resume_data: ResumeData | None,
        request: ProblemRequest = FITTED,
        *,
        recent: Sequence[ProblemBrief] = (),
        session: Session | None = None,
    ) -> ProblemBrief: ...

    def check_provider(self, provider: str, model: str | None) -> None: ...

    def start_interview(self, session: Session) -> InterviewResponse: ...

    def process_response(
        self,
        session: Session,
        history: Sequence[Message],
        on_token: Callable[[str], None] | None = None,
    ) -> InterviewResponse: ...


class SessionEvents(Protocol):
    """Who is told of the lifecycle (e.g. MetricsCollector); the domain knows no metrics library."""

    def session_created(self) -> None: ...

    def session_completed(self) -> None: ...

    def turn(self, engine: str, seconds: float) -> None: ...

    def error(self, component: str) -> None: ...


class SessionFiles(Protocol):
    """Where a session's media files live (FileStorage)."""

    def stored_session_ids(self) -> list[str]: ...

    def cleanup_session(self, session_id: str) -> int: ...


class SessionManager:
    def __init__(
        self,
        data_store: DataStore,
        logger: AuditLog,
        *,
        interviewer: Interviewer | None = None,
        evaluations: EvaluationManager | None = None,
        default_user_id: str = "local",
        clock: Callable[[], datetime] = utc_now,
        file_storage: SessionFiles | None = None,
        events: SessionEvents | None = None,
    ) -> None:
        self._files = file_storage
        self._events = events
        self._store = data_store
        self._logger = logger
        self._interviewer = interviewer
        self._evaluations = evaluations
        self._default_user_id = default_user_id
        self._clock = clock

    def create_session(
        self,
        config: SessionConfig,
        user_id: str | None = None,
        problem: ProblemBrief | None = None,
    ) -> Session:
        """Create a session in the `created` state; `start_session` begins the interview.

        Without `problem`, the interviewer chooses one from the resume when the session starts.
        """
        owner = validate_user_id(user_id or self._default_user_id)
        if self._interviewer is not None:
            self._interviewer.check_provider(config.ai_provider, config.ai_model)
        session = Session(
            id=new_session_id(),
            user_id=owner,
            created_at=self._clock(),
            status=SessionStatus.CREATED,
            config=config,
            problem=problem,
        )
        self._store.save_session(session)
        if self._events is not None:
            self._events.session_created()
        self._logger.info(
            COMPONENT,
            "create_session",
            "session_created",
            session_id=session.id,
            enabled_modes=[m.value for m in config.enabled_modes],
            ai_provider=config.ai_provider,
        )
        return session

    def start_session(
        self,
        session_id: str,
        request: ProblemRequest = FITTED,
        *,
        expected_version: int | None = None,
    ) -> Session:
        """Begin the interview: choose the problem `request` asks for (unless the session was
        created with one) and save the interviewer's opening.

        Of two starts at once, one wins; the other raises InvalidTransitionError (see
        `_transition`), and only the winner's opening is saved. The problem, the new status
        and the opening are written as one unit of work: all three or none.
        """
        session = self._store.get_session(session_id)
        self._check(session, "start_session", {SessionStatus.CREATED}, expected_version)
        opening = None
        if self._interviewer is not None:
            self._choose_problem(session, self._interviewer, request)
            opening = self._interviewer.start_interview(session)
        with self._store.transaction() as unit:
            self._move(unit.store, session, SessionStatus.ACTIVE, "start_session")
            if opening is not None:
                message = self._interviewer_message(opening.content, opening.metadata)
                unit.store.save_conversation(session.id, message)
            unit.commit()
        self._log_move(session, SessionStatus.CREATED, "start_session")
        return session

    def recent_problems(self, user_id: str | None = None, *, skip: str = "") -> list[ProblemBrief]:
        """The problems of the user's last RECENT_SESSIONS sessions (other than `skip`), newest
        first."""
        owner = validate_user_id(user_id or self._default_user_id)
        summaries = self._store.list_sessions(RECENT_SESSIONS + 1, user_id=owner)
        ids = [summary.id for summary in summaries if summary.id != skip][:RECENT_SESSIONS]
        problems = (self._store.get_session(session_id).problem for session_id in ids)
        return [problem for problem in problems if problem is not None]

    def _choose_problem(
        self, session: Session, interviewer: Interviewer, request: ProblemRequest
    ) -> None:
        if session.problem is not None or session.status is not SessionStatus.CREATED:
            return
        session.problem = interviewer.generate_problem(
            session.config.resume_data,
            request,
            recent=self.recent_problems(session.user_id, skip=session.id),
            session=session,
        )

    def evaluate_session(self, session_id: str) -> EvaluationReport:
        """Generate and save the session's evaluation (after `end_session`)."""
        if self._evaluations is None:
            raise ValidationError("No evaluator is configured for this app.")
        return self._evaluations.generate_evaluation(session_id)

    def pause_session(self, session_id: str, *, expected_version: int | None = None) -> Session:
        return self._transition(
            session_id, SessionStatus.PAUSED, "pause_session", expected_version=expected_version
        )

    def resume_session(self, session_id: str, *, expected_version: int | None = None) -> Session:
        return self._transition(
            session_id,
            SessionStatus.ACTIVE,
            "resume_session",
            {SessionStatus.PAUSED},
            expected_version=expected_version,
        )

    def end_session(self, session_id: str, *, expected_version: int | None = None) -> Session:
        """Complete the session; of two ends at once only one succeeds (and is evaluated)."""
        session = self._transition(
            session_id, SessionStatus.COMPLETED, "end_session", expected_version=expected_version
        )
        if self._events is not None:
            self._events.session_completed()
        return session

    def delete_session(self, session_id: str) -> None:
        """Delete the session's rows (conversation, evaluation, media, usage) and its files."""
        session = self._store.get_session(session_id)
        with self._store.transaction() as unit:
            unit.store.delete_session(session.id)
            if self._files is not None:
                files = self._files
                unit.after_commit(lambda: files.cleanup_session(session.id))
            unit.commit()
        self._logger.info(COMPONENT, "delete_session", "session_deleted", session_id=session.id)

    def remove_orphaned_files(self) -> list[str]:
        """Delete the files of sessions whose rows are gone: a deletion removes the files
        after its rows are committed, so a crash in between leaves them behind. The ids."""
        if self._files is None:
            return []
        orphans = [sid for sid in self._files.stored_session_ids() if not self._exists(sid)]
        for session_id in orphans:
            self._files.cleanup_session(session_id)
        return orphans

    def _exists(self, session_id: str) -> bool:
        try:
            self._store.get_session(session_id)
        except NotFoundError:
            return False
        return True

    def _transition(
        self,
        session_id: str,
        target: SessionStatus,
        operation: str,
        only_from: set[SessionStatus] | None = None,
        *,
        expected_version: int | None = None,
    ) -> Session:
        """Read, check, and compare-and-set: the write lands only if nobody wrote the session
        since it was read (or since `expected_version`, the version the caller showed).

        Two tabs pressing Pause and End at once: one wins, the other raises
        InvalidTransitionError saying what the session is now; nothing is overwritten.
        """
        session = self._store.get_session(session_id)
        self._check(session, operation, only_from, expected_version)
        previous = session.status
        self._move(self._store, session, target, operation)
        self._log_move(session, previous, operation)
        return session

    def _check(
        self,
        session: Session,
        operation: str,
        only_from: set[SessionStatus] | None,
        expected_version: int | None,
    ) -> None:
        if expected_version is not None and session.version != expected_version:
            raise self._lost_race(session.id, operation, session)
        if only_from is not None and session.status not in only_from:
            raise InvalidTransitionError(
                f"Cannot {_verb(operation)} session {session.id}: it is {session.status.value}."
            )

    def _move(
        self, store: DataStore, session: Session, target: SessionStatus, operation: str
    ) -> None:
        """Write the session in its new state, if nobody wrote it since it was read."""
        session.move_to(target, self._clock())
        if not store.compare_and_set_session(session):
            raise self._lost_race(session.id, operation)
        session.version += 1

    def _log_move(self, session: Session, previous: SessionStatus, operation: str) -> None:
        self._logger.info(
            COMPONENT,
            operation,
            f"session {previous.value} -> {session.status.value}",
            session_id=session.id,
        )

    def _lost_race(
        self, session_id: str, operation: str, current: Session | None = None
    ) -> InvalidTransitionError:
        """The error for a transition that another tab or window beat to the session."""
        now = current or self._store.get_session(session_id)
        self._logger.info(
            COMPONENT,
            operation,
            f"lost a race: the session is {now.status.value} now",
            session_id=session_id,
        )
        return InvalidTransitionError(
            f"Cannot {_verb(operation)} session {session_id}: it was changed at the same time "
            f"(in another tab or window) and is {now.status.value} now. Reload the page to see it."
        )

    def get_session(self, session_id: str) -> Session:
        return self._store.get_session(session_id)

    def list_sessions(
        self,
        limit: int = 50,
        offset: int = 0,
        *,
        user_id: str | None = None,
        status: SessionStatus | None = None,
    ) -> list[SessionSummary]:
        if not 1 <= limit <= 500 or offset < 0:
            raise ValidationError("Page size must be 1 to 500 and the offset 0 or more.")
        return self._store.list_sessions(limit, offset, user_id=user_id, status=status)

    def count_sessions(
        self, *, user_id: str | None = None, status: SessionStatus | None = None
    ) -> int:
        return self._store.count_sessions(user_id=user_id, status=status)

    def get_active_session(self, user_id: str | None = None) -> Session | None:
        """The user's most recent active or paused session, e.g. one left open by a crash."""
        open_sessions = self._store.find_open_sessions(user_id or self._default_user_id)
        return open_sessions[0] if open_sessions else None

    def get_conversation(self, session_id: str) -> list[Message]:
        return self._store.get_conversation_history(session_id)

    def submit_answer(
        self,
        session_id: str,
        content: str,
        metadata: JSONDict | None = None,
        on_token: Callable[[str], None] | None = None,
    ) -> tuple[Message, Message | None]:
        """Persist the candidate's answer first, then ask the interviewer, if any, for a reply.

        If the interviewer fails, the answer stays saved and AIProviderError says so.
        """
        text = _clean_message(content, _answer_too_long)  # before the session is read
        try:
            session = self._store.get_session(session_id)
            _check_answerable(session)
            answer = Message(Role.CANDIDATE, text, self._clock(), dict(metadata or {}))
            self._store.save_conversation(session.id, answer)
        except DataStoreError as exc:  # the answer's row is one transaction: nothing was written
            raise AnswerNotSavedError(
                f"Your answer was not saved; send it again in a moment. {exc}"
            ) from exc
        if self._interviewer is None:
            return answer, None
        return answer, self._reply(session, self._interviewer, on_token)

    def _reply(
        self,
        session: Session,
        interviewer: Interviewer,
        on_token: Callable[[str], None] | None,
    ) -> Message:
        try:
            history = self._store.get_conversation_history(session.id)
        except DataStoreError as exc:  # the answer is committed: say so, or it is sent twice
            raise _reply_not_saved(exc) from exc
        started = time.perf_counter()
        try:
            reply = interviewer.process_response(session, history, on_token)
        except Exception as exc:
            if self._events is not None:
                self._events.error(COMPONENT)
            self._logger.log_error(COMPONENT, "submit_answer", exc, session_id=session.id)
            raise AIProviderError(
                "The interviewer could not reply, but your answer is saved. "
                "Send it again or continue; nothing was lost."
            ) from exc
        if self._events is not None:
            engine = str(reply.metadata.get("engine") or session.config.ai_provider)
            self._events.turn(engine, time.perf_counter() - started)
        try:
            return self.add_interviewer_message(session.id, reply.content, reply.metadata)
        except DataStoreError as exc:
            raise _reply_not_saved(exc) from exc

    def add_interviewer_message(
        self, session_id: str, content: str, metadata: JSONDict | None = None
    ) -> Message:
        message = self._interviewer_message(content, metadata)
        self._store.save_conversation(session_id, message)
        return message

    def _interviewer_message(self, content: str, metadata: JSONDict | None) -> Message:
        return Message(
            Role.INTERVIEWER, _clean_message(content), self._clock(), dict(metadata or {})
        )


def _reply_not_saved(cause: DataStoreError) -> DataStoreError:
    """The answer is saved and its reply is not: say so, keeping whether the database was
    unreachable."""
    message = (
        "Your answer is saved, but the interviewer's reply could not be saved. "
        f"Continue in a moment: your next message gets a reply. {cause}"
    )
    if isinstance(cause, StorageUnavailableError):
        return StorageUnavailableError(message)
    return DataStoreError(message)


def _check_answerable(session: Session) -> None:
    if session.status is not SessionStatus.ACTIVE:
        hint = "resume it first" if session.status is SessionStatus.PAUSED else "start a new one"
        raise InvalidTransitionError(
            f"Session {session.id} is {session.status.value}; {hint} to answer."
        )


def _verb(operation: str) -> str:
    return operation.removesuffix("_session")


def _message_too_long(length: int) -> ValidationError:
    return ValidationError(
        f"The message is {length:,} characters; the limit is {MAX_MESSAGE_CHARS:,}. "
        "Split it into shorter answers."
    )


def _answer_too_long(length: int) -> AnswerTooLongError:
    return AnswerTooLongError(
        f"Your answer was not saved: it is {length:,} characters and the limit is "
        f"{MAX_MESSAGE_CHARS:,}. Split it into shorter answers and send each in turn."
    )


def _clean_message(
    content: str, too_long: Callable[[int], ValidationError] = _message_too_long
) -> str:
    if not isinstance(content, str):
        raise ValidationError("A message must be text.")
    text = CONTROL_CHARACTERS.sub("", clean_text(content).replace("\r\n", "\n")).strip()
    if not text:
        raise ValidationError("The message is empty; type an answer before sending.")
    if len(text) > MAX_MESSAGE_CHARS:
        raise too_long(len(text))
    return text
