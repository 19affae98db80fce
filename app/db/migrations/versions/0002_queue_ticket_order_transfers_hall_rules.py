"""queue: ticket order, transfers, hall rules

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:38:09.640941
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("hall", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "timezone", sa.String(length=40), server_default="Asia/Shanghai", nullable=False
            )
        )
        batch_op.add_column(
            sa.Column(
                "transfer_keeps_place", sa.Boolean(), server_default=sa.true(), nullable=False
            )
        )
        batch_op.add_column(
            sa.Column("notice", sa.String(length=500), server_default="", nullable=False)
        )

    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("queued_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("target_window_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("transferred_from_id", sa.Integer(), nullable=True))
        batch_op.drop_index(batch_op.f("ix_ticket_waiting"))
        batch_op.create_index(
            "ix_ticket_queue",
            ["hall_id", "service_day", "state", "category_id", "queued_at"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_ticket_target_window_id_service_window"),
            "service_window",
            ["target_window_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_ticket_transferred_from_id_ticket"),
            "ticket",
            ["transferred_from_id"],
            ["id"],
        )

    # Tickets issued before this migration keep their place: queued when issued.
    op.execute("UPDATE ticket SET queued_at = issued_at")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.alter_column("queued_at", existing_type=sa.DateTime(), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_ticket_transferred_from_id_ticket"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_ticket_target_window_id_service_window"), type_="foreignkey"
        )
        batch_op.drop_index("ix_ticket_queue")
        batch_op.create_index(
            batch_op.f("ix_ticket_waiting"), ["hall_id", "service_day", "state"], unique=False
        )
        batch_op.drop_column("transferred_from_id")
        batch_op.drop_column("target_window_id")
        batch_op.drop_column("queued_at")

    with op.batch_alter_table("hall", schema=None) as batch_op:
        batch_op.drop_column("notice")
        batch_op.drop_column("transfer_keeps_place")
        batch_op.drop_column("timezone")
