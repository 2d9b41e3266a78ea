"""DataStore: the repository interface every persistence back end implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from datetime import datetime

from interview_platform.core.evaluation.report import EvaluationReport
from interview_platform.core.models import (
    Account,
    LogEntry,
    MediaFile,
    MediaType,
    Message,
    ResumeData,
    Session,
    SessionStatus,
    SessionSummary,
    TokenUsageRecord,
)
from interview_platform.core.ports.unit_of_work import UnitOfWork


class DataStore(ABC):
    """Abstract interface for data storage; any implementation can replace another.

    Unknown session ids raise `NotFoundError`; failures of the storage itself raise
    `DataStoreError`. Each method is one transaction: it is written whole or not at all;
    several writes that belong together go through one `transaction()`.
    """

    @abstractmethod
    def transaction(self) -> UnitOfWork:
        """A unit of work: use it as `with store.transaction() as uow:`, write through
        `uow.store`, then `uow.commit()`; without the commit every write is rolled back.
        Opened on a store that is already a unit's, it joins that unit."""

    @abstractmethod
    def initialize_schema(self) -> None:
        """Bring the schema up to date (migrations for SQL stores)."""

    @abstractmethod
    def ping(self) -> None:
        """Raise DataStoreError if the store cannot be reached."""

    # Sessions
    @abstractmethod
    def save_session(self, session: Session) -> None:
        """Save or update a session (creating its user's profile row if needed).

        A new session is stored at version 0; each update adds 1 to the stored version.
        """

    @abstractmethod
    def compare_and_set_session(self, session: Session) -> bool:
        """Write `session` only if the stored one is still at `session.version` (nobody has
        written it since it was read), atomically, leaving it at `session.version + 1`.

        False, writing nothing, if another writer came first; NotFoundError if there is no
        such session. `session` itself is not changed.
        """

    @abstractmethod
    def get_session(self, session_id: str) -> Session:
        """Retrieve a session by id."""

    @abstractmethod
    def list_sessions(
        self,
        limit: int = 50,
        offset: int = 0,
        *,
        user_id: str | None = None,
        status: SessionStatus | None = None,
    ) -> list[SessionSummary]:
        """Sessions, newest first, with pagination and optional filters."""

    @abstractmethod
    def count_sessions(
        self, *, user_id: str | None = None, status: SessionStatus | None = None
    ) -> int:
        """How many sessions match the filters (for pagination)."""

    @abstractmethod
    def find_open_sessions(self, user_id: str) -> list[Session]:
        """The user's active or paused sessions, newest first."""

    @abstractmethod
    def sessions_created_before(self, cutoff: datetime) -> list[str]:
        """Ids of sessions created before `cutoff` (for retention clean-up)."""

    @abstractmethod
    def delete_session(self, session_id: str) -> None:
        """Delete a session and, by cascade, its messages, evaluation, media and usage rows."""

    # Conversation
    @abstractmethod
    def save_conversation(self, session_id: str, message: Message) -> None:
        """Save a conversation message; saving the same message (role, timestamp and content)
        again, as a retry after a lost acknowledgement does, keeps one."""

    @abstractmethod
    def get_conversation_history(self, session_id: str) -> list[Message]:
        """All messages for a session, oldest first."""

    # Evaluations
    @abstractmethod
    def save_evaluation(self, evaluation: EvaluationReport) -> None:
        """Save (or replace) the evaluation report of a session."""

    @abstractmethod
    def get_evaluation(self, session_id: str) -> EvaluationReport | None:
        """The session's evaluation, or None if it has not been evaluated."""

    # Media
    @abstractmethod
    def save_media_reference(self, session_id: str, media: MediaFile) -> None:
        """Save a media file reference."""

    @abstractmethod
    def list_media(self, session_id: str, file_type: MediaType | None = None) -> list[MediaFile]:
        """The session's media files, oldest first."""

    # Resumes and users
    @abstractmethod
    def save_resume(self, resume: ResumeData) -> None:
        """Insert or update the resume of `resume.user_id`."""

    @abstractmethod
    def get_resume(self, user_id: str) -> ResumeData | None:
        """The user's resume, or None if they have not uploaded one."""

    # Accounts (password mode)
    @abstractmethod
    def create_account(self, account: Account) -> None:
        """Add an account; AccountExistsError if `account.user_id` already has one."""

    @abstractmethod
    def get_account(self, user_id: str) -> Account | None:
        """The user's account, or None if they have none."""

    @abstractmethod
    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        """Replace the account's password hash; NotFoundError if there is no such account."""

    @abstractmethod
    def list_accounts(self) -> list[Account]:
        """Every account, by name."""

    # Token usage
    @abstractmethod
    def save_token_usage(self, record: TokenUsageRecord) -> None:
        """Save one AI call's token usage."""

    @abstractmethod
    def get_token_usage(self, session_id: str) -> list[TokenUsageRecord]:
        """Every recorded AI call of the session, oldest first."""

    @abstractmethod
    def get_token_total(self, session_id: str) -> int:
        """The tokens the session's AI calls have used so far, summed by the store (one
        indexed query, cheap enough for every turn); 0 when there are none."""

    @abstractmethod
    def get_user_token_usage(self, user_id: str) -> list[TokenUsageRecord]:
        """Usage a user incurred outside any session (e.g. resume parsing), oldest first."""

    # Audit logs

    @abstractmethod
    def save_log_entry(self, entry: LogEntry) -> None:
        """Save one audit log entry."""

    @abstractmethod
    def get_log_entries(
        self,
        *,
        session_id: str | None = None,
        min_level: str | None = None,
        limit: int = 100,
    ) -> list[LogEntry]:
        """Audit log entries, newest first."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and other resources."""
