"""SQLDataStore: the IDataStore implementation on SQLAlchemy, for PostgreSQL and SQLite."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, Row, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from interview_platform.core.models import (
    EvaluationReport,
    ExperienceLevel,
    LogEntry,
    MediaFile,
    MediaType,
    Message,
    ResumeData,
    Role,
    Session,
    SessionStatus,
    SessionSummary,
    TokenUsage,
    TokenUsageRecord,
    levels_at_or_above,
    validate_session_id,
)
from interview_platform.errors import DataStoreError, InterviewPlatformError, NotFoundError
from interview_platform.storage import serialization as ser
from interview_platform.storage.data_store import IDataStore
from interview_platform.storage.database import migrate, with_connection_retry
from interview_platform.storage.tables import (
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


class SQLDataStore(IDataStore):
    """Every public method is one transaction, retried on connection errors only."""

    def __init__(self, engine: Engine, *, retry_wait: float = 1.0) -> None:
        self._engine = engine
        self._retry_wait = retry_wait
        self._insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert

    @property
    def engine(self) -> Engine:
        return self._engine

    def _tx(self, work: Callable[[Connection], T]) -> T:
        def attempt() -> T:
            with self._engine.begin() as connection:
                return work(connection)

        try:
            return with_connection_retry(attempt, wait_multiplier=self._retry_wait)
        except InterviewPlatformError:
            raise
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:200]
            raise DataStoreError(f"The database refused the operation: {reason}") from exc

    def initialize_schema(self) -> None:
        migrate(self._engine, wait_multiplier=self._retry_wait)

    def ping(self) -> None:
        self._tx(lambda c: c.execute(select(1)).scalar_one())

    def close(self) -> None:
        self._engine.dispose()

    # Sessions
    def save_session(self, session: Session) -> None:
        session_id = validate_session_id(session.id)
        values = {
            "user_id": session.user_id,
            "created_at": session.created_at,
            "ended_at": session.ended_at,
            "status": session.status.value,
            "enabled_modes": [mode.value for mode in session.config.enabled_modes],
            "ai_provider": session.config.ai_provider,
            "ai_model": session.config.ai_model,
            "metadata": ser.session_metadata(session),
        }

        def work(c: Connection) -> None:
            self._ensure_user(c, session.user_id)
            updated = c.execute(sessions.update().where(sessions.c.id == session_id), values)
            if updated.rowcount == 0:
                c.execute(sessions.insert(), {"id": session_id, **values})

        self._tx(work)

    def _ensure_user(self, c: Connection, user_id: str) -> None:
        profile = {
            "user_id": user_id,
            "experience_level": ExperienceLevel.MID.value,
            "years_of_experience": 0,
            "domain_expertise": [],
            "work_experience": [],
            "education": [],
            "skills": [],
            "raw_text": None,
        }
        c.execute(self._insert(resumes).values(profile).on_conflict_do_nothing())

    def get_session(self, session_id: str) -> Session:
        sid = validate_session_id(session_id)
        row = self._tx(lambda c: c.execute(select(sessions).where(sessions.c.id == sid)).first())
        if row is None:
            raise NotFoundError(f"There is no session {sid}; it may have been deleted.")
        return _session_from_row(row)

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
        query = _filtered(query, user_id, status)
        rows = self._tx(lambda c: c.execute(query).all())
        return [_summary_from_row(row) for row in rows]

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
        return [_session_from_row(row) for row in self._tx(lambda c: c.execute(query).all())]

    def sessions_created_before(self, cutoff: datetime) -> list[str]:
        query = select(sessions.c.id).where(sessions.c.created_at < cutoff)
        return [str(sid) for sid in self._tx(lambda c: c.execute(query).scalars().all())]

    def delete_session(self, session_id: str) -> None:
        sid = validate_session_id(session_id)
        deleted = self._tx(lambda c: c.execute(sessions.delete().where(sessions.c.id == sid)))
        if deleted.rowcount == 0:
            raise NotFoundError(f"There is no session {sid} to delete.")

    # Conversation
    def save_conversation(self, session_id: str, message: Message) -> None:
        row = {
            "session_id": validate_session_id(session_id),
            "timestamp": message.timestamp,
            "role": message.role.value,
            "content": message.content,
            "metadata": message.metadata,
        }
        self._insert_for_session(conversations, row)

    def _insert_for_session(self, table: Any, row: dict[str, Any]) -> None:
        try:
            self._tx(lambda c: c.execute(table.insert(), row))
        except DataStoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise NotFoundError(
                    f"There is no session {row['session_id']}; nothing was saved."
                ) from exc
            raise

    def get_conversation_history(self, session_id: str) -> list[Message]:
        query = (
            select(conversations)
            .where(conversations.c.session_id == validate_session_id(session_id))
            .order_by(conversations.c.timestamp, conversations.c.id)
        )
        rows = self._tx(lambda c: c.execute(query).all())
        return [Message(Role(r.role), r.content, r.timestamp, dict(r.metadata or {})) for r in rows]

    # Evaluations
    def save_evaluation(self, evaluation: EvaluationReport) -> None:
        columns = ser.evaluation_columns(evaluation)
        columns["session_id"] = validate_session_id(evaluation.session_id)
        upsert = self._insert(evaluations).values(columns)
        upsert = upsert.on_conflict_do_update(
            index_elements=["session_id"],
            set_={k: v for k, v in columns.items() if k != "session_id"},
        )
        try:
            self._tx(lambda c: c.execute(upsert))
        except DataStoreError as exc:
            if isinstance(exc.__cause__, IntegrityError):
                raise NotFoundError(f"There is no session {columns['session_id']}.") from exc
            raise

    def get_evaluation(self, session_id: str) -> EvaluationReport | None:
        sid = validate_session_id(session_id)
        query = select(evaluations).where(evaluations.c.session_id == sid)
        row = self._tx(lambda c: c.execute(query).first())
        return ser.evaluation_from_columns(dict(row._mapping)) if row else None

    # Media
    def save_media_reference(self, session_id: str, media: MediaFile) -> None:
        row = {
            "session_id": validate_session_id(session_id),
            "file_type": media.file_type.value,
            "file_path": media.file_path,
            "file_size_bytes": media.file_size_bytes,
            "timestamp": media.timestamp,
            "metadata": media.metadata,
        }
        self._insert_for_session(media_files, row)

    def list_media(self, session_id: str, file_type: MediaType | None = None) -> list[MediaFile]:
        query = select(media_files).where(
            media_files.c.session_id == validate_session_id(session_id)
        )
        if file_type is not None:
            query = query.where(media_files.c.file_type == file_type.value)
        rows = self._tx(lambda c: c.execute(query.order_by(media_files.c.id)).all())
        return [
            MediaFile(
                MediaType(r.file_type),
                r.file_path,
                r.file_size_bytes or 0,
                r.timestamp,
                dict(r.metadata or {}),
            )
            for r in rows
        ]

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

    # Token usage
    def save_token_usage(self, record: TokenUsageRecord) -> None:
        usage = record.usage
        row = {
            "session_id": validate_session_id(record.session_id),
            "timestamp": record.timestamp,
            "operation": record.operation,
            "provider": usage.provider,
            "model": usage.model,
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "total_tokens": usage.total_tokens,
            "estimated_cost": usage.estimated_cost,
        }
        self._insert_for_session(token_usage, row)

    def get_token_usage(self, session_id: str) -> list[TokenUsageRecord]:
        sid = validate_session_id(session_id)
        query = (
            select(token_usage).where(token_usage.c.session_id == sid).order_by(token_usage.c.id)
        )
        rows = self._tx(lambda c: c.execute(query).all())
        return [
            TokenUsageRecord(
                session_id=sid,
                operation=r.operation,
                usage=TokenUsage(
                    r.input_tokens,
                    r.output_tokens,
                    r.total_tokens,
                    float(r.estimated_cost),
                    r.provider,
                    r.model,
                ),
                timestamp=r.timestamp,
            )
            for r in rows
        ]

    # Audit logs
    def save_log_entry(self, entry: LogEntry) -> None:
        row = {
            "timestamp": entry.timestamp,
            "level": entry.level,
            "component": entry.component[:100],
            "operation": entry.operation[:100],
            "session_id": _valid_or_none(entry.session_id),
            "user_id": entry.user_id,
            "message": entry.message,
            "stack_trace": entry.stack_trace,
            "metadata": entry.metadata,
        }
        self._insert_for_session(audit_logs, row)

    def get_log_entries(
        self, *, session_id: str | None = None, min_level: str | None = None, limit: int = 100
    ) -> list[LogEntry]:
        query = select(audit_logs).order_by(audit_logs.c.timestamp.desc(), audit_logs.c.id.desc())
        if session_id is not None:
            query = query.where(audit_logs.c.session_id == validate_session_id(session_id))
        if min_level is not None:
            query = query.where(audit_logs.c.level.in_(levels_at_or_above(min_level)))
        rows = self._tx(lambda c: c.execute(query.limit(limit)).all())
        return [
            LogEntry(
                r.timestamp,
                r.level,
                r.component,
                r.operation,
                r.message,
                str(r.session_id) if r.session_id else None,
                dict(r.metadata or {}),
                r.stack_trace,
                r.user_id,
            )
            for r in rows
        ]


def _valid_or_none(session_id: str | None) -> str | None:
    return validate_session_id(session_id) if session_id else None


def _filtered(query: Any, user_id: str | None, status: SessionStatus | None) -> Any:
    if user_id is not None:
        query = query.where(sessions.c.user_id == user_id)
    if status is not None:
        query = query.where(sessions.c.status == status.value)
    return query


def _session_from_row(row: Row[Any]) -> Session:
    return ser.session_from_columns(
        session_id=row.id,
        user_id=row.user_id,
        created_at=row.created_at,
        ended_at=row.ended_at,
        status=row.status,
        enabled_modes=row.enabled_modes,
        ai_provider=row.ai_provider,
        ai_model=row.ai_model,
        metadata=row.metadata,
    )


def _summary_from_row(row: Row[Any]) -> SessionSummary:
    return SessionSummary(
        id=str(row.id),
        user_id=row.user_id,
        status=SessionStatus(row.status),
        created_at=row.created_at,
        ended_at=row.ended_at,
        ai_provider=row.ai_provider,
        ai_model=row.ai_model,
        message_count=int(row.message_count),
        overall_score=float(row.overall_score) if row.overall_score is not None else None,
    )
