"""ticket client token: a kiosk retrying after a lost reply gets the ticket it already has

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_token", sa.String(length=32), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_ticket_hall_id_client_token"), ["hall_id", "client_token"]
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_ticket_hall_id_client_token"), type_="unique")
        batch_op.drop_column("client_token")
