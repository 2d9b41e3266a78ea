"""InMemoryDataStore: a thread-safe fake of DataStore for unit tests and benchmarks."""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import defaultdict
from datetime import datetime
from typing import TypeVar

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
    levels_at_or_above,
    validate_session_id,
    validate_user_id,
)
from interview_platform.core.ports.data_store import DataStore
from interview_platform.core.ports.unit_of_work import JoinedUnitOfWork, UnitOfWork
from interview_platform.errors import AccountExistsError, NotFoundError

T = TypeVar("T")


def _copy(value: T) -> T:
    return copy.deepcopy(value)


class InMemoryDataStore(DataStore):
    """Keeps copies of what it is given, so callers cannot change stored state by accident."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._sessions: dict[str, Session] = {}
        self._messages: defaultdict[str, list[Message]] = defaultdict(list)
        self._evaluations: dict[str, EvaluationReport] = {}
        self._media: defaultdict[str, list[MediaFile]] = defaultdict(list)
        self._resumes: dict[str, ResumeData] = {}
        self._usage: defaultdict[str, list[TokenUsageRecord]] = defaultdict(list)
        self._user_usage: defaultdict[str, list[TokenUsageRecord]] = defaultdict(list)
        self._logs: list[LogEntry] = []
        self._accounts: dict[str, Account] = {}
        self._unit: InMemoryUnitOfWork | None = None  # open on the thread holding the lock

    def initialize_schema(self) -> None:
        """Nothing to migrate in memory."""

    def transaction(self) -> UnitOfWork:
        unit = self._unit
        if unit is not None and unit.owner == threading.get_ident():
            return JoinedUnitOfWork(unit)
        return InMemoryUnitOfWork(self)

    def ping(self) -> None:
        """Always reachable."""

    def close(self) -> None:
        """Nothing to release."""

    def _require(self, session_id: str) -> str:
        sid = validate_session_id(session_id)
        if sid not in self._sessions:
            raise NotFoundError(f"There is no session {sid}; nothing was saved.")
        return sid

    def save_session(self, session: Session) -> None:
        with self._lock:
            sid = validate_session_id(session.id)
            stored = self._sessions.get(sid)
            self._sessions[sid] = _copy(session)
            self._sessions[sid].version = 0 if stored is None else stored.version + 1

    def compare_and_set_session(self, session: Session) -> bool:
        with self._lock:
            sid = self._require(session.id)
            if self._sessions[sid].version != session.version:
                return False
            self._sessions[sid] = _copy(session)
            self._sessions[sid].version = session.version + 1
            return True

    def get_session(self, session_id: str) -> Session:
        with self._lock:
            return _copy(self._sessions[self._require(session_id)])

    def _matching(self, user_id: str | None, status: SessionStatus | None) -> list[Session]:
        found = [
            s
            for s in self._sessions.values()
            if (user_id is None or s.user_id == user_id) and (status is None or s.status == status)
        ]
        return sorted(found, key=lambda s: (-s.created_at.timestamp(), s.id))

    def list_sessions(
        self,
        limit: int = 50,
        offset: int = 0,
        *,
        user_id: str | None = None,
        status: SessionStatus | None = None,
    ) -> list[SessionSummary]:
        with self._lock:
            page = self._matching(user_id, status)[max(0, offset) : max(0, offset) + max(0, limit)]
            return [self._summary(s) for s in page]

    def _summary(self, session: Session) -> SessionSummary:
        evaluation = self._evaluations.get(session.id)
        return SessionSummary(
            id=session.id,
            user_id=session.user_id,
            status=session.status,
            created_at=session.created_at,
            ended_at=session.ended_at,
            ai_provider=session.config.ai_provider,
            ai_model=session.config.ai_model,
            message_count=len(self._messages[session.id]),
            overall_score=evaluation.overall_score if evaluation else None,
        )

    def count_sessions(
        self, *, user_id: str | None = None, status: SessionStatus | None = None
    ) -> int:
        with self._lock:
            return len(self._matching(user_id, status))

    def find_open_sessions(self, user_id: str) -> list[Session]:
        with self._lock:
            return [_copy(s) for s in self._matching(user_id, None) if s.is_open]

    def sessions_created_before(self, cutoff: datetime) -> list[str]:
        with self._lock:
            return [s.id for s in self._sessions.values() if s.created_at < cutoff]

    def delete_session(self, session_id: str) -> None:
        with self._lock:
            sid = validate_session_id(session_id)
            if self._sessions.pop(sid, None) is None:
                raise NotFoundError(f"There is no session {sid} to delete.")
            for table in (self._messages, self._evaluations, self._media, self._usage):
                table.pop(sid, None)
            self._logs = [
                entry if entry.session_id != sid else dataclasses.replace(entry, session_id=None)
                for entry in self._logs
            ]

    def save_conversation(self, session_id: str, message: Message) -> None:
        with self._lock:
            saved = self._messages[self._require(session_id)]
            if not any(_same_message(message, other) for other in saved):
                saved.append(_copy(message))

    def get_conversation_history(self, session_id: str) -> list[Message]:
        with self._lock:
            history = self._messages.get(validate_session_id(session_id), [])
            return _copy(sorted(history, key=lambda m: m.timestamp))

    def save_evaluation(self, evaluation: EvaluationReport) -> None:
        with self._lock:
            self._evaluations[self._require(evaluation.session_id)] = _copy(evaluation)

    def get_evaluation(self, session_id: str) -> EvaluationReport | None:
        with self._lock:
            return _copy(self._evaluations.get(validate_session_id(session_id)))

    def save_media_reference(self, session_id: str, media: MediaFile) -> None:
        with self._lock:
            self._media[self._require(session_id)].append(_copy(media))

    def list_media(self, session_id: str, file_type: MediaType | None = None) -> list[MediaFile]:
        with self._lock:
            media = self._media.get(validate_session_id(session_id), [])
            return [_copy(m) for m in media if file_type is None or m.file_type == file_type]

    def save_resume(self, resume: ResumeData) -> None:
        with self._lock:
            self._resumes[resume.user_id] = _copy(resume)

    def get_resume(self, user_id: str) -> ResumeData | None:
        with self._lock:
            return _copy(self._resumes.get(user_id))

    def create_account(self, account: Account) -> None:
        user_id = validate_user_id(account.user_id)
        with self._lock:
            if user_id in self._accounts:
                raise AccountExistsError(f"There is already an account named {user_id}.")
            self._accounts[user_id] = dataclasses.replace(account, user_id=user_id)

    def get_account(self, user_id: str) -> Account | None:
        with self._lock:
            return self._accounts.get(user_id.strip())

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        with self._lock:
            account = self._accounts.get(user_id.strip())
            if account is None:
                raise NotFoundError(f"There is no account named {user_id.strip()}.")
            self._accounts[account.user_id] = dataclasses.replace(
                account, password_hash=password_hash
            )

    def list_accounts(self) -> list[Account]:
        with self._lock:
            return [self._accounts[name] for name in sorted(self._accounts)]

    def save_token_usage(self, record: TokenUsageRecord) -> None:
        """Kept raw, as the SQL store keeps it: no cost (usage is priced when read)."""
        record = dataclasses.replace(
            record, usage=dataclasses.replace(record.usage, estimated_cost=0.0)
        )
        with self._lock:
            if record.session_id is None:
                self._user_usage[str(record.user_id)].append(record)
            else:
                self._usage[self._require(record.session_id)].append(record)

    def get_user_token_usage(self, user_id: str) -> list[TokenUsageRecord]:
        with self._lock:
            return list(self._user_usage.get(user_id, []))

    def get_token_usage(self, session_id: str) -> list[TokenUsageRecord]:
        with self._lock:
            return list(self._usage.get(validate_session_id(session_id), []))

    def get_token_total(self, session_id: str) -> int:
        with self._lock:
            records = self._usage.get(validate_session_id(session_id), [])
            return sum(r.usage.total_tokens for r in records)

    def save_log_entry(self, entry: LogEntry) -> None:
        with self._lock:
            if entry.session_id is not None:
                self._require(entry.session_id)
            self._logs.append(_copy(entry))

    def get_log_entries(
        self, *, session_id: str | None = None, min_level: str | None = None, limit: int = 100
    ) -> list[LogEntry]:
        levels = levels_at_or_above(min_level) if min_level else None
        with self._lock:
            found = [
                e
                for e in reversed(self._logs)
                if (session_id is None or e.session_id == validate_session_id(session_id))
                and (levels is None or e.level in levels)
            ]
            return _copy(found[:limit])


def _same_message(one: Message, other: Message) -> bool:
    """The same message saved again (as a retried save would): role, time and text."""
    return (one.role, one.timestamp, one.content) == (other.role, other.timestamp, other.content)


class InMemoryUnitOfWork(UnitOfWork):
    """Holds the store's lock while open (other threads wait, as for a database's write
    lock) and puts back a copy of everything taken at the start if it does not commit."""

    def __init__(self, memory: InMemoryDataStore) -> None:
        super().__init__()
        self._memory = memory
        self._saved: dict[str, object] = {}
        self.owner: int | None = None

    @property
    def store(self) -> DataStore:
        return self._memory

    def _begin(self) -> None:
        self._memory._lock.acquire()
        self.owner = threading.get_ident()
        self._saved = {name: _copy(value) for name, value in _state(self._memory).items()}
        self._memory._unit = self

    def _commit(self) -> None:
        self._saved = {}

    def _rollback(self) -> None:
        for name, value in self._saved.items():
            setattr(self._memory, name, value)

    def _close(self) -> None:
        self._memory._unit = None
        self.owner = None
        self._memory._lock.release()


def _state(memory: InMemoryDataStore) -> dict[str, object]:
    """The store's data: every attribute but its lock and its open unit."""
    return {name: value for name, value in vars(memory).items() if name not in ("_lock", "_unit")}
