"""case page replaced: a page marked unreadable that 补正 replaced keeps why and by what

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_page", schema=None) as batch_op:
        batch_op.add_column(sa.Column("replaced_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("replaced_note", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("case_page", schema=None) as batch_op:
        batch_op.alter_column("replaced_note", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("case_page", schema=None) as batch_op:
        batch_op.drop_column("replaced_note")
        batch_op.drop_column("replaced_at")
