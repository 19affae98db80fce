"""intake: case numbers, documents, notices, deferrals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 11:23:24.933508
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_counter",
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "day", name=op.f("pk_case_counter")),
    )
    op.create_table(
        "case_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["service_case.id"],
            name=op.f("fk_case_document_case_id_service_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_case_document_created_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_document")),
    )
    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_document_case_id"), ["case_id"], unique=False)

    with op.batch_alter_table("service_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "notice_items",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("deferred_until", sa.Date(), nullable=True))
        batch_op.alter_column("case_no", existing_type=sa.VARCHAR(length=24), nullable=True)


def downgrade() -> None:
    with op.batch_alter_table("service_case", schema=None) as batch_op:
        batch_op.alter_column("case_no", existing_type=sa.VARCHAR(length=24), nullable=False)
        batch_op.drop_column("deferred_until")
        batch_op.drop_column("notice_items")

    with op.batch_alter_table("case_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_document_case_id"))

    op.drop_table("case_document")
    op.drop_table("case_counter")
