"""case numbers carry the hall: wider case number and case counter prefix

Case numbers become ``JX01-MZ20261130-0007`` (hall, department, day, number) and their
counter rows ``JX01-MZ``, so halls of a city database never share a counter. Numbers given
before keep their form (``MZ20261130-0007``) and are still recognised.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("service_case", schema=None) as batch_op:
        batch_op.alter_column(
            "case_no", existing_type=sa.String(length=24), type_=sa.String(length=40)
        )
    with op.batch_alter_table("case_counter", schema=None) as batch_op:
        batch_op.alter_column(
            "prefix", existing_type=sa.String(length=8), type_=sa.String(length=16)
        )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.execute(sa.text("SELECT 1 FROM case_counter WHERE prefix LIKE '%-%' LIMIT 1")).first():
        raise RuntimeError("case numbers with the hall were given; 0013 cannot hold them")
    with op.batch_alter_table("case_counter", schema=None) as batch_op:
        batch_op.alter_column(
            "prefix", existing_type=sa.String(length=16), type_=sa.String(length=8)
        )
    with op.batch_alter_table("service_case", schema=None) as batch_op:
        batch_op.alter_column(
            "case_no", existing_type=sa.String(length=40), type_=sa.String(length=24)
        )
