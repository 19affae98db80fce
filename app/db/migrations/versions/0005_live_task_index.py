"""live tasks in due order: a partial index for the inbox and the supervisor's counts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

LIVE = sa.text("state IN ('open', 'claimed')")


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(
            "ix_task_live_due",
            ["due_date", "id", "department_id"],
            unique=False,
            postgresql_where=LIVE,
            sqlite_where=LIVE,
        )


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_live_due", postgresql_where=LIVE, sqlite_where=LIVE)
