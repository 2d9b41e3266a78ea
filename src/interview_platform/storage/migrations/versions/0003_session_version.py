"""Sessions get a version for compare-and-set: two tabs pressing Pause and End at once leave
one consistent state, the later writer learning it lost instead of overwriting the winner.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN, not a batch copy: on SQLite, a batch would drop and recreate
    # `sessions`, and that drop cascades to every conversation, evaluation and usage row.
    op.add_column(
        "sessions",
        sa.Column("version", sa.Integer(), nullable=False, server_default=sa.text("0")),
    )


def downgrade() -> None:
    op.drop_column("sessions", "version")
