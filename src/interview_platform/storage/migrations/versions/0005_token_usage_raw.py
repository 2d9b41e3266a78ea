"""Token usage is kept raw: each call's tokens, whether they were estimated, and how long the
call took. Cost is no longer stored: it is priced when read, at the price in force on the day
of the call (interview_platform.core.pricing), so a price change never rewrites history.

Existing rows: `estimated` false (the flag was not kept; counts were the provider's unless it
reported none), `duration_ms` NULL (unknown). `estimated_cost` stays as a nullable legacy
column, never read: rows written before this migration keep the cost they were frozen at (for
audit, and so a downgrade restores them as they were); later rows leave it NULL.

Downgrade drops the new columns and makes `estimated_cost` required again; rows written after
the upgrade get a cost of 0 (the old schema cannot price them).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COST = sa.Numeric(10, 6)


def upgrade() -> None:
    with op.batch_alter_table("token_usage") as batch:
        batch.add_column(
            sa.Column("estimated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch.add_column(sa.Column("duration_ms", sa.Integer(), nullable=True))
        batch.alter_column("estimated_cost", existing_type=COST, nullable=True)


def downgrade() -> None:
    op.execute("UPDATE token_usage SET estimated_cost = 0 WHERE estimated_cost IS NULL")
    with op.batch_alter_table("token_usage") as batch:
        batch.alter_column("estimated_cost", existing_type=COST, nullable=False)
        batch.drop_column("duration_ms")
        batch.drop_column("estimated")
