"""好差评 ratings, 整改 tasks, and the clerk who served a ticket

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30

``ticket.served_by_id`` stays empty for tickets served before this revision (the audit
trail names their clerks; statistics count them under the window only).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("subject_key", sa.String(length=40), nullable=False),
        sa.Column("stage", sa.String(length=12), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column(
            "reasons",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("window_id", sa.Integer(), nullable=True),
        sa.Column("clerk_id", sa.Integer(), nullable=True),
        sa.Column("service_type_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("rated_at", sa.DateTime(), nullable=False),
        sa.Column("service_day", sa.Date(), nullable=False),
        sa.Column("superseded_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["service_case.id"], name=op.f("fk_rating_case_id_service_case")
        ),
        sa.ForeignKeyConstraint(
            ["clerk_id"], ["app_user.id"], name=op.f("fk_rating_clerk_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"], ["department.id"], name=op.f("fk_rating_department_id_department")
        ),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_rating_hall_id_hall")),
        sa.ForeignKeyConstraint(
            ["service_type_id"],
            ["service_type.id"],
            name=op.f("fk_rating_service_type_id_service_type"),
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by_id"], ["rating.id"], name=op.f("fk_rating_superseded_by_id_rating")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["ticket.id"], name=op.f("fk_rating_ticket_id_ticket")
        ),
        sa.ForeignKeyConstraint(
            ["window_id"], ["service_window.id"], name=op.f("fk_rating_window_id_service_window")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating")),
    )
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.create_index("ix_rating_hall_rated", ["hall_id", "rated_at"], unique=False)
        batch_op.create_index(
            "uq_rating_live_subject",
            ["subject_key"],
            unique=True,
            sqlite_where=sa.text("superseded_by_id IS NULL"),
            postgresql_where=sa.text("superseded_by_id IS NULL"),
        )

    op.create_table(
        "rectification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("rating_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "closed",
                "appealed",
                name="rectificationstate",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("callback_at", sa.DateTime(), nullable=True),
        sa.Column("callback_result", sa.Text(), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("appeal_reason", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_id"], ["app_user.id"], name=op.f("fk_rectification_closed_by_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["hall.id"], name=op.f("fk_rectification_hall_id_hall")
        ),
        sa.ForeignKeyConstraint(
            ["rating_id"], ["rating.id"], name=op.f("fk_rectification_rating_id_rating")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rectification")),
        sa.UniqueConstraint("rating_id", name=op.f("uq_rectification_rating_id")),
    )
    with op.batch_alter_table("rectification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_rectification_hall_state", ["hall_id", "state", "due_date"], unique=False
        )

    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("served_by_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_ticket_served_by_id_app_user"), "app_user", ["served_by_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_ticket_served_by_id_app_user"), type_="foreignkey")
        batch_op.drop_column("served_by_id")

    with op.batch_alter_table("rectification", schema=None) as batch_op:
        batch_op.drop_index("ix_rectification_hall_state")

    op.drop_table("rectification")
    with op.batch_alter_table("rating", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_rating_live_subject",
            sqlite_where=sa.text("superseded_by_id IS NULL"),
            postgresql_where=sa.text("superseded_by_id IS NULL"),
        )
        batch_op.drop_index("ix_rating_hall_rated")

    op.drop_table("rating")
