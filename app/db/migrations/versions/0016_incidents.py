"""群众诉求 / 网格事件: events and their public timeline

New tables only (``incident``, ``incident_line``): nothing existing changes.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("type_code", sa.String(length=8), nullable=False),
        sa.Column("subtype_code", sa.String(length=8), nullable=False),
        sa.Column("grid", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=12), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("reporter_name", sa.String(length=60), nullable=False),
        sa.Column("reporter_phone", sa.String(length=24), nullable=False),
        sa.Column("reported_by_id", sa.Integer(), nullable=True),
        sa.Column("reported_at", sa.DateTime(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "reported",
                "accepted",
                "refused",
                "dispatched",
                "returned",
                "signed",
                "fed_back",
                "closed",
                "rated",
                "shelved",
                "merged",
                name="incidentstate",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("lead_dept", sa.String(length=16), nullable=True),
        sa.Column(
            "cc_depts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("dispatched_by", sa.String(length=60), nullable=False),
        sa.Column("stage_started_at", sa.DateTime(), nullable=False),
        sa.Column("stage_due_at", sa.DateTime(), nullable=True),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_incident_hall_id_hall")),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["incident.id"], name=op.f("fk_incident_merged_into_id_incident")
        ),
        sa.ForeignKeyConstraint(
            ["reported_by_id"], ["app_user.id"], name=op.f("fk_incident_reported_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
        sa.UniqueConstraint("number", name=op.f("uq_incident_number")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(
            "ix_incident_hall_state_due", ["hall_id", "state", "stage_due_at"], unique=False
        )
        batch_op.create_index("ix_incident_lead_state", ["lead_dept", "state"], unique=False)

    op.create_table(
        "incident_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "reported",
                "accepted",
                "refused",
                "dispatched",
                "returned",
                "signed",
                "fed_back",
                "closed",
                "rated",
                "shelved",
                "merged",
                name="incidentstate",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incident.id"], name=op.f("fk_incident_line_incident_id_incident")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_line")),
    )
    with op.batch_alter_table("incident_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_line_incident_id"), ["incident_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("incident_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_line_incident_id"))

    op.drop_table("incident_line")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index("ix_incident_lead_state")
        batch_op.drop_index("ix_incident_hall_state_due")

    op.drop_table("incident")
