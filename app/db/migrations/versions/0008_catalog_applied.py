"""the shipped catalog last applied per hall (the start-up sync never undoes the hall's own)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "catalog_applied",
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("services", _JSON, nullable=False),
        sa.Column("departments", _JSON, nullable=False),
        sa.Column("applied_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["hall.id"], name=op.f("fk_catalog_applied_hall_id_hall")
        ),
        sa.PrimaryKeyConstraint("hall_id", name=op.f("pk_catalog_applied")),
    )


def downgrade() -> None:
    op.drop_table("catalog_applied")
