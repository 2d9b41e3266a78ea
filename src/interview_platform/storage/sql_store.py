"""SQLDataStore: the DataStore implementation on SQLAlchemy, for PostgreSQL and SQLite."""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import suppress
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Executable, RootTransaction, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

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
from interview_platform.errors import (
    AccountExistsError,
    DataStoreError,
    InterviewPlatformError,
    NotFoundError,
    StorageUnavailableError,
)
from interview_platform.storage import serialization as ser
from interview_platform.storage import sql_rows as rows
from interview_platform.storage.database import (
    disk_full_error,
    is_connection_error,
    is_disk_full,
    is_unreadable,
    migrate,
    unreadable_error,
    with_connection_retry,
)
from interview_platform.storage.tables import (
    accounts,
    audit_logs,
    conversations,
    evaluations,
    media_files,
    resumes,
    sessions,
    token_usage,
)

T = TypeVar("T")
OPEN_STATUSES = [SessionStatus.ACTIVE.value, SessionStatus.PAUSED.value]


class SQLDataStore(DataStore):
    """Every public method is one transaction, retried on connection errors only."""

    def __init__(
        self,
        engine: Engine,
        *,
        retry_wait: float = 1.0,
        on_query: Callable[[float], None] | None = None,
    ) -> None:
        """`on_query(seconds)` is told each transaction's time, retries included."""
        self._on_query = on_query
        self._engine = engine
        self._retry_wait = retry_wait
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    @property
    def engine(self) -> Engine:
        return self._engine

    @property
    def on_query(self) -> Callable[[float], None] | None:
        return self._on_query

    def transaction(self) -> UnitOfWork:
        return SQLUnitOfWork(self)

    def _run(self, work: Callable[[Connection], T]) -> T:
        """`work` in a transaction of its own, retried on connection errors."""

        def attempt() -> T:
            with self._engine.begin() as connection:
                return work(connection)

        return with_connection_retry(attempt, wait_multiplier=self._retry_wait)

    def _tx(self, work: Callable[[Connection], T]) -> T:
        started = time.perf_counter()
        try:
            return self._run(work)
        except InterviewPlatformError:
            raise
        except SQLAlchemyError as exc:
            raise self._refused(exc, "the operation") from exc
        finally:
            if self._on_query is not None:
                self._on_query(time.perf_counter() - started)

    def _refused(self, exc: SQLAlchemyError, what: str) -> DataStoreError:
        """The platform's error for a database error that no retry cured."""
        if is_disk_full(exc):
            return disk_full_error(exc, self._engine.url)
        if is_unreadable(exc):
            return unreadable_error(exc, self._engine.url)
        if is_connection_error(exc):  # lost inside a unit of work, which is not retried
            return StorageUnavailableError(
                f"The connection to the database was lost ({_reason(exc)}); nothing of "
                f"{what} was saved. Try again in a moment; `interview-platform doctor` "
                "checks the connection."
            )
        return DataStoreError(f"The database refused {what}: {_reason(exc)}")

    def initialize_schema(self) -> None:
        migrate(self._engine, wait_multiplier=self._retry_wait)

    def ping(self) -> None:
        self._tx(lambda c: c.execute(select(1)).scalar_one())

    def close(self) -> None:
        self._engine.dispose()

    # Sessions
    def save_session(self, session: Session) -> None:
        session_id = validate_session_id(session.id)
        values = rows.session_values(session)
        add_profile = self._insert(resumes).values(rows.profile_row(session.user_id))

        update = (
            sessions.update()
            .where(sessions.c.id == session_id)
            .values({**values, "version": sessions.c.version + 1})
        )

        def work(c: Connection) -> None:
            c.execute(add_profile.on_conflict_do_nothing())
            if c.execute(update).rowcount == 0:
                c.execute(sessions.insert(), {"id": session_id, **values})

        self._tx(work)

    def compare_and_set_session(self, session: Session) -> bool:
        """One conditional UPDATE: the database's row lock decides which of two writers wins."""
        sid = validate_session_id(session.id)
        update = (
            sessions.update()
            .where(sessions.c.id == sid, sessions.c.version == session.version)
            .values({**rows.session_values(session), "version": session.version + 1})
        )
        exists = select(sessions.c.id).where(sessions.c.id == sid)

        def work(c: Connection) -> bool:
            if c.execute(update).rowcount == 1:
                return True
            if c.execute(exists).first() is None:
                raise NotFoundError(f"There is no session {sid}; it may have been deleted.")
            return False

        return self._tx(work)

    def get_session(self, session_id: str) -> Session:
        sid = validate_session_id(session_id)
        row = self._tx(lambda c: c.execute(select(sessions).where(sessions.c.id == sid)).first())
        if row is None:
            raise NotFoundError(f"There is no session {sid}; it may have been deleted.")
        return rows.session_from_row(row)

    def list_sessions(
        self,
        limit: int = 50,
        offset: int = 0,
        *,
        user_id: str | None = None,
        status: SessionStatus | None = None,
    ) -> list[SessionSummary]:
        count = (
            select(func.count(conversations.c.id))
            .where(conversations.c.session_id == sessions.c.id)
            .scalar_subquery()
        )
        query = (
            select(sessions, count.label("message_count"), evaluations.c.overall_score)
            .outerjoin(evaluations, evaluations.c.session_id == sessions.c.id)
            .order_by(sessions.c.created_at.desc(), sessions.c.id)
            .limit(max(0, limit))
            .offset(max(0, offset))
        )
        found = self._tx(lambda c: c.execute(_filtered(query, user_id, status)).all())
        return [rows.summary_from_row(row) for row in found]

    def count_sessions(
        self, *, user_id: str | None = None, status: SessionStatus | None = None
    ) -> int:
        query = _filtered(select(func.count()).select_from(sessions), user_id, status)
        return int(self._tx(lambda c: c.execute(query).scalar_one()))

    def find_open_sessions(self, user_id: str) -> list[Session]:
        query = (
            select(sessions)
            .where(sessions.c.user_id == user_id, sessions.c.status.in_(OPEN_STATUSES))
            .order_by(sessions.c.created_at.desc())
        )
        return [rows.session_from_row(r) for r in self._tx(lambda c: c.execute(query).all())]

    def sessions_created_before(self, cutoff: datetime) -> list[str]:
        query = select(sessions.c.id).where(sessions.c.created_at < cutoff)
        return [str(sid) for sid in self._tx(lambda c: c.execute(query).scalars().all())]

    def delete_session(self, session_id: str) -> None:
        sid = validate_session_id(session_id)
        deleted = self._tx(lambda c: c.execute(sessions.delete().where(sessions.c.id == sid)))
        if deleted.rowcount == 0:
            raise NotFoundError(f"There is no session {sid} to delete.")

    def _write_for_session(self, statement: Executable, session_id: str | None) -> None:
        """Execute a write whose foreign key names a session; a missing one is NotFoundError."""
        self._write_for_session_with(lambda c: c.execute(statement), session_id)

    def _write_for_session_with(
        self, work: Callable[[Connection], object], session_id: str | None
    ) -> None:
        try:
            self._tx(work)
        except DataStoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise NotFoundError(
                    f"There is no session {session_id}; nothing was saved."
                ) from exc
            raise

    # Conversation
    def save_conversation(self, session_id: str, message: Message) -> None:
        """Insert the message unless this very message (role, time, text) is already there:
        a save retried after a lost COMMIT acknowledgement must not store it twice."""
        row = rows.message_row(session_id, message)
        already = (
            select(conversations.c.id)
            .where(
                conversations.c.session_id == row["session_id"],
                conversations.c.role == row["role"],
                conversations.c.timestamp == row["timestamp"],
                conversations.c.content == row["content"],
            )
            .limit(1)
        )

        def insert_once(connection: Connection) -> None:
            if connection.execute(already).first() is None:
                connection.execute(conversations.insert().values(row))

        self._write_for_session_with(insert_once, row["session_id"])

    def get_conversation_history(self, session_id: str) -> list[Message]:
        query = (
            select(conversations)
            .where(conversations.c.session_id == validate_session_id(session_id))
            .order_by(conversations.c.timestamp, conversations.c.id)
        )
        return [rows.message_from_row(r) for r in self._tx(lambda c: c.execute(query).all())]

    # Evaluations
    def save_evaluation(self, evaluation: EvaluationReport) -> None:
        columns = ser.evaluation_columns(evaluation)
        columns["session_id"] = validate_session_id(evaluation.session_id)
        upsert = self._insert(evaluations).values(columns)
        upsert = upsert.on_conflict_do_update(
            index_elements=["session_id"],
            set_={k: v for k, v in columns.items() if k != "session_id"},
        )
        self._write_for_session(upsert, columns["session_id"])

    def get_evaluation(self, session_id: str) -> EvaluationReport | None:
        sid = validate_session_id(session_id)
        query = select(evaluations).where(evaluations.c.session_id == sid)
        row = self._tx(lambda c: c.execute(query).first())
        return ser.evaluation_from_columns(dict(row._mapping)) if row else None

    # Media
    def save_media_reference(self, session_id: str, media: MediaFile) -> None:
        row = rows.media_row(session_id, media)
        self._write_for_session(media_files.insert().values(row), row["session_id"])

    def list_media(self, session_id: str, file_type: MediaType | None = None) -> list[MediaFile]:
        query = select(media_files).where(
            media_files.c.session_id == validate_session_id(session_id)
        )
        if file_type is not None:
            query = query.where(media_files.c.file_type == file_type.value)
        found = self._tx(lambda c: c.execute(query.order_by(media_files.c.id)).all())
        return [rows.media_from_row(r) for r in found]

    # Resumes
    def save_resume(self, resume: ResumeData) -> None:
        values = ser.resume_to_dict(resume)
        upsert = self._insert(resumes).values(values)
        changed = {k: v for k, v in values.items() if k != "user_id"}
        upsert = upsert.on_conflict_do_update(
            index_elements=["user_id"], set_={**changed, "updated_at": func.current_timestamp()}
        )
        self._tx(lambda c: c.execute(upsert))

    def get_resume(self, user_id: str) -> ResumeData | None:
        query = select(resumes).where(resumes.c.user_id == user_id, resumes.c.raw_text.is_not(None))
        row = self._tx(lambda c: c.execute(query).first())
        return ser.resume_from_dict(dict(row._mapping)) if row else None

    # Accounts
    def create_account(self, account: Account) -> None:
        user_id = validate_user_id(account.user_id)
        row = {"user_id": user_id, "password_hash": account.password_hash}
        insert = accounts.insert().values(**row, created_at=account.created_at)
        try:
            self._tx(lambda c: c.execute(insert))
        except DataStoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise AccountExistsError(f"There is already an account named {user_id}.") from exc
            raise

    def get_account(self, user_id: str) -> Account | None:
        query = select(accounts).where(accounts.c.user_id == user_id.strip())
        row = self._tx(lambda c: c.execute(query).first())
        return _account(row) if row else None

    def set_password_hash(self, user_id: str, password_hash: str) -> None:
        update = (
            accounts.update()
            .where(accounts.c.user_id == user_id.strip())
            .values(password_hash=password_hash)
        )
        if self._tx(lambda c: c.execute(update)).rowcount == 0:
            raise NotFoundError(f"There is no account named {user_id.strip()}.")

    def list_accounts(self) -> list[Account]:
        query = select(accounts).order_by(accounts.c.user_id)
        return [_account(row) for row in self._tx(lambda c: c.execute(query).all())]

    # Token usage
    def save_token_usage(self, record: TokenUsageRecord) -> None:
        row = rows.usage_row(record)
        if row["session_id"] is None:
            self._tx(lambda c: c.execute(token_usage.insert().values(row)))
        else:
            self._write_for_session(token_usage.insert().values(row), row["session_id"])

    def get_user_token_usage(self, user_id: str) -> list[TokenUsageRecord]:
        query = (
            select(token_usage)
            .where(token_usage.c.user_id == user_id, token_usage.c.session_id.is_(None))
            .order_by(token_usage.c.id)
        )
        return [rows.usage_from_row(r) for r in self._tx(lambda c: c.execute(query).all())]

    def get_token_usage(self, session_id: str) -> list[TokenUsageRecord]:
        sid = validate_session_id(session_id)
        query = (
            select(token_usage).where(token_usage.c.session_id == sid).order_by(token_usage.c.id)
        )
        return [rows.usage_from_row(r) for r in self._tx(lambda c: c.execute(query).all())]

    def get_token_total(self, session_id: str) -> int:
        sid = validate_session_id(session_id)
        total = func.coalesce(func.sum(token_usage.c.total_tokens), 0)
        query = select(total).where(token_usage.c.session_id == sid)
        return int(self._tx(lambda c: c.execute(query).scalar_one()))

    # Audit logs
    def save_log_entry(self, entry: LogEntry) -> None:
        row = rows.log_row(entry)
        self._write_for_session(audit_logs.insert().values(row), row["session_id"])

    def get_log_entries(
        self, *, session_id: str | None = None, min_level: str | None = None, limit: int = 100
    ) -> list[LogEntry]:
        query = select(audit_logs).order_by(audit_logs.c.timestamp.desc(), audit_logs.c.id.desc())
        if session_id is not None:
            query = query.where(audit_logs.c.session_id == validate_session_id(session_id))
        if min_level is not None:
            query = query.where(audit_logs.c.level.in_(levels_at_or_above(min_level)))
        found = self._tx(lambda c: c.execute(query.limit(limit)).all())
        return [rows.log_from_row(r) for r in found]


def _filtered(query: Any, user_id: str | None, status: SessionStatus | None) -> Any:
    if user_id is not None:
        query = query.where(sessions.c.user_id == user_id)
    if status is not None:
        query = query.where(sessions.c.status == status.value)
    return query


def _account(row: Any) -> Account:
    return Account(user_id=row.user_id, password_hash=row.password_hash, created_at=row.created_at)


class SQLUnitOfWork(UnitOfWork):
    """One database transaction on one connection for several of the store's calls: the
    store it hands out runs every call on that connection, and only `commit` makes them
    permanent. Not retried: a connection lost halfway fails the unit, which rolls back."""

    def __init__(self, store: SQLDataStore) -> None:
        super().__init__()
        self._parent = store
        self._connection: Connection | None = None
        self._transaction: RootTransaction | None = None
        self._bound: BoundSQLDataStore | None = None

    @property
    def store(self) -> DataStore:
        if self._bound is None:
            raise DataStoreError("The unit of work is not open: use it in a `with` block.")
        return self._bound

    def _begin(self) -> None:
        try:
            self._connection = self._parent.engine.connect()
            self._transaction = self._connection.begin()
        except SQLAlchemyError as exc:
            self._close()
            raise self._parent._refused(exc, "the changes") from exc
        self._bound = BoundSQLDataStore(self._parent, self._connection, self)

    def _commit(self) -> None:
        assert self._transaction is not None
        try:
            self._transaction.commit()
        except SQLAlchemyError as exc:
            raise self._parent._refused(exc, "the changes") from exc

    def _rollback(self) -> None:
        """A connection lost meanwhile cannot roll back, nor needs to: the server does."""
        if self._transaction is not None and self._transaction.is_active:
            with suppress(SQLAlchemyError):
                self._transaction.rollback()

    def _close(self) -> None:
        if self._connection is not None:
            with suppress(SQLAlchemyError):
                self._connection.close()
        self._bound = None


class BoundSQLDataStore(SQLDataStore):
    """The store of a SQLUnitOfWork: every call runs on the unit's connection, inside its
    transaction; a `transaction()` opened on it joins the unit."""

    def __init__(self, parent: SQLDataStore, connection: Connection, unit: UnitOfWork) -> None:
        super().__init__(parent.engine, on_query=parent.on_query)
        self._connection = connection
        self._unit = unit

    def transaction(self) -> UnitOfWork:
        return JoinedUnitOfWork(self._unit)

    def _run(self, work: Callable[[Connection], T]) -> T:
        return work(self._connection)


def _reason(exc: SQLAlchemyError) -> str:
    """The database's own first line of the error, short enough for a message."""
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
