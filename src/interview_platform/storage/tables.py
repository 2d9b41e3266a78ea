"""The design's seven tables as SQLAlchemy Core metadata, portable to PostgreSQL and SQLite.

Alembic migrations create the schema; this metadata is what the SQL data store queries.
The `resumes` table doubles as the users table (the sessions' foreign key points at
`resumes.user_id`): a user who has not uploaded a resume has a profile row there whose
`raw_text` is NULL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    TypeDecorator,
    Uuid,
    false,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB


class UTCDateTime(TypeDecorator[datetime]):
    """TIMESTAMP WITH TIME ZONE that always hands back aware UTC datetimes (SQLite too)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")
BigId = BigInteger().with_variant(Integer(), "sqlite")
NOW = text("CURRENT_TIMESTAMP")
EMPTY_JSON = text("'{}'")

metadata = MetaData()


def session_fk(
    *, ondelete: str = "CASCADE", nullable: bool = False, unique: bool = False
) -> Column[str]:
    """A `session_id` column referencing `sessions.id`."""
    return Column(
        "session_id",
        Uuid(as_uuid=False),
        ForeignKey("sessions.id", ondelete=ondelete),
        nullable=nullable,
        unique=unique,
    )


resumes = Table(
    "resumes",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", String(100), unique=True, nullable=False),
    Column("name", String(200)),
    Column("email", String(200)),
    Column("experience_level", String(20), nullable=False),
    Column("years_of_experience", Integer, nullable=False),
    Column("domain_expertise", JSONType, nullable=False),
    Column("work_experience", JSONType, nullable=False),
    Column("education", JSONType, nullable=False),
    Column("skills", JSONType, nullable=False),
    Column("raw_text", Text),
    Column("created_at", UTCDateTime, server_default=NOW),
    Column("updated_at", UTCDateTime, server_default=NOW),
    Index("idx_resumes_user_id", "user_id"),
    Index("idx_resumes_experience_level", "experience_level"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Uuid(as_uuid=False), primary_key=True),
    Column(
        "user_id",
        String(100),
        ForeignKey("resumes.user_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("created_at", UTCDateTime, server_default=NOW),
    Column("ended_at", UTCDateTime),
    Column("status", String(20), nullable=False),
    Column("enabled_modes", JSONType, nullable=False),
    Column("ai_provider", String(50), nullable=False),
    Column("ai_model", String(100), nullable=False),
    Column("metadata", JSONType, server_default=EMPTY_JSON),
    Column("version", Integer, nullable=False, server_default=text("0")),  # compare-and-set
    Index("idx_sessions_user_id", "user_id"),
    Index("idx_sessions_status", "status"),
    Index("idx_sessions_created_at", text("created_at DESC")),
)

conversations = Table(
    "conversations",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    session_fk(),
    Column("timestamp", UTCDateTime, server_default=NOW),
    Column("role", String(20), nullable=False),
    Column("content", Text, nullable=False),
    Column("metadata", JSONType, server_default=EMPTY_JSON),
    Index("idx_conversations_session", "session_id", "timestamp"),
)

evaluations = Table(
    "evaluations",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    session_fk(unique=True),
    Column("overall_score", Numeric(5, 2, asdecimal=False), nullable=False),
    Column("competency_scores", JSONType, nullable=False),
    Column("feedback", JSONType, nullable=False),
    Column("improvement_plan", JSONType, nullable=False),
    Column("communication_analysis", JSONType, nullable=False),
    Column("created_at", UTCDateTime, server_default=NOW),
    Index("idx_evaluations_session", "session_id"),
)

media_files = Table(
    "media_files",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    session_fk(),
    Column("file_type", String(20), nullable=False),
    Column("file_path", Text, nullable=False),
    Column("file_size_bytes", BigInteger),
    Column("timestamp", UTCDateTime, server_default=NOW),
    Column("metadata", JSONType, server_default=EMPTY_JSON),
    Index("idx_media_files_session", "session_id", "file_type"),
)

token_usage = Table(
    "token_usage",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    session_fk(nullable=True),  # NULL for calls made before a session exists (resume parsing)
    Column("user_id", String(100)),
    Column("timestamp", UTCDateTime, server_default=NOW),
    Column("operation", String(50), nullable=False),
    Column("provider", String(50), nullable=False),
    Column("model", String(100), nullable=False),
    Column("input_tokens", Integer, nullable=False),
    Column("output_tokens", Integer, nullable=False),
    Column("total_tokens", Integer, nullable=False),
    Column("estimated", Boolean, nullable=False, server_default=false()),  # tokens estimated
    Column("duration_ms", Integer),  # NULL: unknown (calls recorded before migration 0005)
    # Legacy (0005): the cost frozen at write time by rows written before 0005; never read, and
    # NULL for later rows. Cost is priced when read (core.pricing), from the tokens above.
    Column("estimated_cost", Numeric(10, 6, asdecimal=False)),
    Index("idx_token_usage_session", "session_id"),
    Index("idx_token_usage_timestamp", text("timestamp DESC")),
    Index("idx_token_usage_user", "user_id"),
    CheckConstraint("session_id IS NOT NULL OR user_id IS NOT NULL", name="ck_token_usage_owner"),
)

audit_logs = Table(
    "audit_logs",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("timestamp", UTCDateTime, server_default=NOW),
    Column("level", String(20), nullable=False),
    Column("component", String(100), nullable=False),
    Column("operation", String(100), nullable=False),
    session_fk(ondelete="SET NULL", nullable=True),
    Column("user_id", String(100)),
    Column("message", Text, nullable=False),
    Column("stack_trace", Text),
    Column("metadata", JSONType, server_default=EMPTY_JSON),
    Index("idx_audit_logs_timestamp", text("timestamp DESC")),
    Index("idx_audit_logs_level", "level"),
    Index("idx_audit_logs_session", "session_id"),
    Index("idx_audit_logs_component", "component"),
)

accounts = Table(  # password mode's sign-in; a user's sessions and resume need no account row
    "accounts",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("user_id", String(100), unique=True, nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UTCDateTime, server_default=NOW),
)
