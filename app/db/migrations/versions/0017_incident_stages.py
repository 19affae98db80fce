"""群众诉求 / 网格事件: stage deadlines on the timeline, 延期申请, photos, escalation

Adds ``incident_line.due_at`` and ``dept`` (each stage's deadline and 主办 department, for
stage times and the departments' figures), ``incident.escalated_at``, and the new tables
``incident_extension`` and ``incident_page``. Existing rows keep NULLs: no deadline known.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("incident_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("dept", sa.String(length=16), nullable=True))
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("escalated_at", sa.DateTime(), nullable=True))

    op.create_table(
        "incident_extension",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("asked_by_id", sa.Integer(), nullable=True),
        sa.Column("asked_at", sa.DateTime(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "asked",
                "approved",
                "refused",
                "lapsed",
                name="extensionstate",
                native_enum=False,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["asked_by_id"],
            ["app_user.id"],
            name=op.f("fk_incident_extension_asked_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["app_user.id"],
            name=op.f("fk_incident_extension_decided_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
            name=op.f("fk_incident_extension_incident_id_incident"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_extension")),
    )
    with op.batch_alter_table("incident_extension", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_extension_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incident_page",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("byte_size", sa.Integer(), nullable=False),
        sa.Column("thumb_sha256", sa.String(length=64), nullable=False),
        sa.Column("thumb_size", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(length=24), nullable=False),
        sa.Column("storage", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["app_user.id"], name=op.f("fk_incident_page_created_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_incident_page_incident_id_incident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_page")),
        sa.UniqueConstraint(
            "incident_id",
            "stage",
            "position",
            name=op.f("uq_incident_page_incident_id_stage_position"),
        ),
    )


def downgrade() -> None:
    op.drop_table("incident_page")
    with op.batch_alter_table("incident_extension", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_extension_incident_id"))
    op.drop_table("incident_extension")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_column("escalated_at")
    with op.batch_alter_table("incident_line", schema=None) as batch_op:
        batch_op.drop_column("dept")
        batch_op.drop_column("due_at")
