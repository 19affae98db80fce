"""case pages: page images of a case's materials, and their bytes (database page store)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("material_key", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("thumb_sha256", sa.String(length=64), nullable=False),
        sa.Column("thumb_size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(length=24), nullable=False),
        sa.Column("storage", sa.String(length=8), nullable=False),
        sa.Column("rotation", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("unreadable", sa.Boolean(), nullable=False),
        sa.Column("unreadable_note", sa.String(length=200), nullable=False),
        sa.Column("unreadable_by_id", sa.Integer(), nullable=True),
        sa.Column("unreadable_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["service_case.id"],
            name=op.f("fk_case_page_case_id_service_case"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_case_page_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["unreadable_by_id"],
            ["app_user.id"],
            name=op.f("fk_case_page_unreadable_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_page")),
        sa.UniqueConstraint(
            "case_id",
            "material_key",
            "position",
            name=op.f("uq_case_page_case_id_material_key_position"),
        ),
    )
    op.create_table(
        "case_page_blob",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_case_page_blob")),
    )


def downgrade() -> None:
    op.drop_table("case_page_blob")
    op.drop_table("case_page")
