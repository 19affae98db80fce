"""back office: steps, publicity, supplement, pickup, notifications

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("error", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["service_case.id"], name=op.f("fk_notification_case_id_service_case")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notification_sent_at"), ["sent_at"], unique=False)

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_entity", ["entity", "entity_id"], unique=False)

    with op.batch_alter_table("service_case", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("step_index", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("publicity_until", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("suspended_since", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "supplement_items",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                server_default="[]",
                nullable=False,
            )
        )
        batch_op.add_column(sa.Column("decision_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("delivered_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("delivered_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("collector", sa.String(length=80), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_service_case_delivered_by_id_app_user"),
            "app_user",
            ["delivered_by_id"],
            ["id"],
        )

    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("note")

    with op.batch_alter_table("service_case", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_service_case_delivered_by_id_app_user"), type_="foreignkey"
        )
        batch_op.drop_column("collector")
        batch_op.drop_column("delivered_by_id")
        batch_op.drop_column("delivered_at")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("decision_reason")
        batch_op.drop_column("supplement_items")
        batch_op.drop_column("suspended_since")
        batch_op.drop_column("publicity_until")
        batch_op.drop_column("step_index")

    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_entity")

    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_sent_at"))
        batch_op.drop_index(batch_op.f("ix_notification_case_id"))

    op.drop_table("notification")
