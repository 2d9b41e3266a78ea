"""Token usage may belong to a user rather than a session: resume parsing happens before any
session exists, and its tokens must still be counted.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("token_usage") as batch:
        batch.alter_column("session_id", existing_type=sa.Uuid(as_uuid=False), nullable=True)
        batch.add_column(sa.Column("user_id", sa.String(100), nullable=True))
        batch.create_index("idx_token_usage_user", ["user_id"])
        batch.create_check_constraint(
            "ck_token_usage_owner", "session_id IS NOT NULL OR user_id IS NOT NULL"
        )


def downgrade() -> None:
    op.execute("DELETE FROM token_usage WHERE session_id IS NULL")
    with op.batch_alter_table("token_usage") as batch:
        batch.drop_constraint("ck_token_usage_owner", type_="check")
        batch.drop_index("idx_token_usage_user")
        batch.drop_column("user_id")
        batch.alter_column("session_id", existing_type=sa.Uuid(as_uuid=False), nullable=False)
