"""audit chains per hall: events carry their chain; heads per hall, city and root anchors

One chain per hall (``hall:<id>``), one for events of no hall (``city``) and one for the
daily anchors (``root``), so halls of a city database never queue on one head row. The
single chain of earlier revisions stays as it is, named ``main``, and stays verifiable: its
events keep their sequence numbers and hashes. Every chain this upgrade begins links its
first event to main's last hash (``genesis``), so the old trail and the new ones are one
piece of evidence.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

GENESIS = "0" * 64


def upgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("genesis", sa.String(length=64), nullable=False, server_default=GENESIS)
        )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("chain", sa.String(length=20), nullable=False, server_default="main")
        )
        batch_op.drop_constraint("uq_audit_event_seq", type_="unique")
        batch_op.create_unique_constraint(batch_op.f("uq_audit_event_chain_seq"), ["chain", "seq"])
        batch_op.create_index("ix_audit_event_hall_id_id", ["hall_id", "id"], unique=False)
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.alter_column("chain", server_default=None)

    conn = op.get_bind()
    last = conn.execute(sa.text("SELECT hash FROM audit_head WHERE chain = 'main'")).scalar()
    genesis = last or GENESIS
    heads = sa.table(
        "audit_head",
        sa.column("chain"),
        sa.column("seq"),
        sa.column("hash"),
        sa.column("prev"),
        sa.column("genesis"),
    )
    chains = ["city", "root"] + [
        f"hall:{hall_id}" for hall_id in conn.execute(sa.text("SELECT id FROM hall")).scalars()
    ]
    op.bulk_insert(
        heads,
        [{"chain": c, "seq": 0, "hash": genesis, "prev": "", "genesis": genesis} for c in chains],
    )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT 1 FROM audit_event WHERE chain <> 'main' LIMIT 1")).first():
        raise RuntimeError("events were written to per-hall chains; 0012 cannot hold them")
    conn.execute(sa.text("DELETE FROM audit_head WHERE chain <> 'main'"))
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_hall_id_id")
        batch_op.drop_constraint(batch_op.f("uq_audit_event_chain_seq"), type_="unique")
        batch_op.create_unique_constraint("uq_audit_event_seq", ["seq"])
        batch_op.drop_column("chain")
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("genesis")
