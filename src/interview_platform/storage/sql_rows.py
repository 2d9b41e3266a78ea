"""Mapping between domain objects and the rows of the SQL tables."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from interview_platform.core.models import (
    ExperienceLevel,
    JSONDict,
    LogEntry,
    MediaFile,
    MediaType,
    Message,
    Role,
    Session,
    SessionStatus,
    SessionSummary,
    TokenUsage,
    TokenUsageRecord,
    validate_session_id,
)
from interview_platform.storage import serialization as ser


def session_values(session: Session) -> JSONDict:
    """The sessions row of a session, without its id."""
    return {
        "user_id": session.user_id,
        "created_at": session.created_at,
        "ended_at": session.ended_at,
        "status": session.status.value,
        "enabled_modes": [mode.value for mode in session.config.enabled_modes],
        "ai_provider": session.config.ai_provider,
        "ai_model": session.config.ai_model,
        "metadata": ser.session_metadata(session),
    }


def profile_row(user_id: str) -> JSONDict:
    """The resumes row of a user who has not uploaded a resume (raw_text NULL)."""
    return {
        "user_id": user_id,
        "experience_level": ExperienceLevel.MID.value,
        "years_of_experience": 0,
        "domain_expertise": [],
        "work_experience": [],
        "education": [],
        "skills": [],
        "raw_text": None,
    }


def session_from_row(row: Row[Any]) -> Session:
    session = ser.session_from_columns(
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
    session.version = int(row.version)
    return session


def summary_from_row(row: Row[Any]) -> SessionSummary:
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


def message_row(session_id: str, message: Message) -> JSONDict:
    return {
        "session_id": validate_session_id(session_id),
        "timestamp": message.timestamp,
        "role": message.role.value,
        "content": message.content,
        "metadata": message.metadata,
    }


def message_from_row(row: Row[Any]) -> Message:
    return Message(Role(row.role), row.content, row.timestamp, dict(row.metadata or {}))


def media_row(session_id: str, media: MediaFile) -> JSONDict:
    return {
        "session_id": validate_session_id(session_id),
        "file_type": media.file_type.value,
        "file_path": media.file_path,
        "file_size_bytes": media.file_size_bytes,
        "timestamp": media.timestamp,
        "metadata": media.metadata,
    }


def media_from_row(row: Row[Any]) -> MediaFile:
    return MediaFile(
        MediaType(row.file_type),
        row.file_path,
        row.file_size_bytes or 0,
        row.timestamp,
        dict(row.metadata or {}),
    )


def usage_row(record: TokenUsageRecord) -> JSONDict:
    usage = record.usage
    return {
        "session_id": (
            validate_session_id(record.session_id) if record.session_id is not None else None
        ),
        "user_id": record.user_id,
        "timestamp": record.timestamp,
        "operation": record.operation,
        "provider": usage.provider,
        "model": usage.model,
        "input_tokens": usage.input_tokens,
        "output_tokens": usage.output_tokens,
        "total_tokens": usage.total_tokens,
        "estimated": usage.estimated,
        "duration_ms": usage.duration_ms,
    }


def usage_from_row(row: Row[Any]) -> TokenUsageRecord:
    usage = TokenUsage(
        row.input_tokens,
        row.output_tokens,
        row.total_tokens,
        0.0,  # unpriced: TokenTracker prices usage when it is read
        row.provider,
        row.model,
        estimated=bool(row.estimated),
        duration_ms=row.duration_ms,
    )
    session_id = str(row.session_id) if row.session_id is not None else None
    return TokenUsageRecord(session_id, row.operation, usage, row.timestamp, row.user_id)


def log_row(entry: LogEntry) -> JSONDict:
    return {
        "timestamp": entry.timestamp,
        "level": entry.level,
        "component": entry.component[:100],
        "operation": entry.operation[:100],
        "session_id": validate_session_id(entry.session_id) if entry.session_id else None,
        "user_id": entry.user_id,
        "message": entry.message,
        "stack_trace": entry.stack_trace,
        "metadata": entry.metadata,
    }


def log_from_row(row: Row[Any]) -> LogEntry:
    return LogEntry(
        row.timestamp,
        row.level,
        row.component,
        row.operation,
        row.message,
        str(row.session_id) if row.session_id else None,
        dict(row.metadata or {}),
        row.stack_trace,
        row.user_id,
    )
