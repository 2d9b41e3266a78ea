"""The design's seven tables: resumes, sessions, conversations, evaluations, media_files,
token_usage and audit_logs.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
NOW = sa.text("CURRENT_TIMESTAMP")
TIMESTAMP = sa.DateTime(timezone=True)
EMPTY = sa.text("'{}'")


def _id() -> sa.Column[int]:
    return sa.Column("id", BIG_ID, primary_key=True, autoincrement=True)


def _session_fk(nullable: bool = False, ondelete: str = "CASCADE") -> sa.Column[str]:
    return sa.Column(
        "session_id",
        sa.Uuid(as_uuid=False),
        sa.ForeignKey("sessions.id", ondelete=ondelete),
        nullable=nullable,
    )


def upgrade() -> None:
    is_postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "resumes",
        _id(),
        sa.Column("user_id", sa.String(100), unique=True, nullable=False),
        sa.Column("name", sa.String(200)),
        sa.Column("email", sa.String(200)),
        sa.Column("experience_level", sa.String(20), nullable=False),
        sa.Column("years_of_experience", sa.Integer, nullable=False),
        sa.Column("domain_expertise", JSON, nullable=False),
        sa.Column("work_experience", JSON, nullable=False),
        sa.Column("education", JSON, nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("raw_text", sa.Text),
        sa.Column("created_at", TIMESTAMP, server_default=NOW),
        sa.Column("updated_at", TIMESTAMP, server_default=NOW),
    )
    op.create_index("idx_resumes_user_id", "resumes", ["user_id"])
    op.create_index("idx_resumes_experience_level", "resumes", ["experience_level"])

    op.create_table(
        "sessions",
        sa.Column(
            "id",
            sa.Uuid(as_uuid=False),
            primary_key=True,
            server_default=sa.text("gen_random_uuid()") if is_postgres else None,
        ),
        sa.Column(
            "user_id",
            sa.String(100),
            sa.ForeignKey("resumes.user_id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", TIMESTAMP, server_default=NOW),
        sa.Column("ended_at", TIMESTAMP),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("enabled_modes", JSON, nullable=False),
        sa.Column("ai_provider", sa.String(50), nullable=False),
        sa.Column("ai_model", sa.String(100), nullable=False),
        sa.Column("metadata", JSON, server_default=EMPTY),
    )
    op.create_index("idx_sessions_user_id", "sessions", ["user_id"])
    op.create_index("idx_sessions_status", "sessions", ["status"])
    op.create_index("idx_sessions_created_at", "sessions", [sa.text("created_at DESC")])

    op.create_table(
        "conversations",
        _id(),
        _session_fk(),
        sa.Column("timestamp", TIMESTAMP, server_default=NOW),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("metadata", JSON, server_default=EMPTY),
    )
    op.create_index("idx_conversations_session", "conversations", ["session_id", "timestamp"])

    op.create_table(
        "evaluations",
        _id(),
        _session_fk(),
        sa.Column("overall_score", sa.Numeric(5, 2), nullable=False),
        sa.Column("competency_scores", JSON, nullable=False),
        sa.Column("feedback", JSON, nullable=False),
        sa.Column("improvement_plan", JSON, nullable=False),
        sa.Column("communication_analysis", JSON, nullable=False),
        sa.Column("created_at", TIMESTAMP, server_default=NOW),
        sa.UniqueConstraint("session_id", name="uq_evaluations_session_id"),
    )
    op.create_index("idx_evaluations_session", "evaluations", ["session_id"])

    op.create_table(
        "media_files",
        _id(),
        _session_fk(),
        sa.Column("file_type", sa.String(20), nullable=False),
        sa.Column("file_path", sa.Text, nullable=False),
        sa.Column("file_size_bytes", sa.BigInteger),
        sa.Column("timestamp", TIMESTAMP, server_default=NOW),
        sa.Column("metadata", JSON, server_default=EMPTY),
    )
    op.create_index("idx_media_files_session", "media_files", ["session_id", "file_type"])

    op.create_table(
        "token_usage",
        _id(),
        _session_fk(),
        sa.Column("timestamp", TIMESTAMP, server_default=NOW),
        sa.Column("operation", sa.String(50), nullable=False),
        sa.Column("provider", sa.String(50), nullable=False),
        sa.Column("model", sa.String(100), nullable=False),
        sa.Column("input_tokens", sa.Integer, nullable=False),
        sa.Column("output_tokens", sa.Integer, nullable=False),
        sa.Column("total_tokens", sa.Integer, nullable=False),
        sa.Column("estimated_cost", sa.Numeric(10, 6), nullable=False),
    )
    op.create_index("idx_token_usage_session", "token_usage", ["session_id"])
    op.create_index("idx_token_usage_timestamp", "token_usage", [sa.text("timestamp DESC")])

    op.create_table(
        "audit_logs",
        _id(),
        sa.Column("timestamp", TIMESTAMP, server_default=NOW),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("component", sa.String(100), nullable=False),
        sa.Column("operation", sa.String(100), nullable=False),
        _session_fk(nullable=True, ondelete="SET NULL"),
        sa.Column("user_id", sa.String(100)),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("stack_trace", sa.Text),
        sa.Column("metadata", JSON, server_default=EMPTY),
    )
    op.create_index("idx_audit_logs_timestamp", "audit_logs", [sa.text("timestamp DESC")])
    op.create_index("idx_audit_logs_level", "audit_logs", ["level"])
    op.create_index("idx_audit_logs_session", "audit_logs", ["session_id"])
    op.create_index("idx_audit_logs_component", "audit_logs", ["component"])


def downgrade() -> None:
    for table in (
        "audit_logs",
        "token_usage",
        "media_files",
        "evaluations",
        "conversations",
        "sessions",
        "resumes",
    ):
        op.drop_table(table)
