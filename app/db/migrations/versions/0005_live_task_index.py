"""tasks carry their hall; live tasks and open cases in due order (partial indexes)

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
OPEN = sa.text("state IN ('accepted', 'in_review', 'awaiting_supplement', 'publicizing')")


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hall_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE task SET hall_id = (SELECT hall_id FROM service_case WHERE service_case.id = task.case_id)"
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        # Replaced by ix_task_live_due; left in place, it leads SQLite's planner to walk a
        # department's tasks when a search names a few cases.
        batch_op.drop_index("ix_task_department_state_due")
        batch_op.alter_column("hall_id", existing_type=sa.Integer(), nullable=False)
        batch_op.create_foreign_key(batch_op.f("fk_task_hall_id_hall"), "hall", ["hall_id"], ["id"])
        batch_op.create_index(
            "ix_task_live_due",
            ["hall_id", "due_date", "id", "department_id"],
            unique=False,
            postgresql_where=LIVE,
            sqlite_where=LIVE,
        )
    with op.batch_alter_table("service_case", schema=None) as batch_op:
        batch_op.create_index(
            "ix_service_case_open_due",
            ["hall_id", "due_date", "id", "state"],
            unique=False,
            postgresql_where=OPEN,
            sqlite_where=OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("service_case", schema=None) as batch_op:
        batch_op.drop_index("ix_service_case_open_due", postgresql_where=OPEN, sqlite_where=OPEN)
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index("ix_task_live_due", postgresql_where=LIVE, sqlite_where=LIVE)
        batch_op.drop_constraint(batch_op.f("fk_task_hall_id_hall"), type_="foreignkey")
        batch_op.drop_column("hall_id")
        batch_op.create_index(
            "ix_task_department_state_due", ["department_id", "state", "due_date"], unique=False
        )
