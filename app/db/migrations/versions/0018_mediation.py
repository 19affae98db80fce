"""矛盾纠纷调解 (三级调解): disputes, parties, sessions, level history, agreements, 回访

New tables only (``mediation_*``): nothing existing changes.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mediation_dispute",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("grid", sa.String(length=40), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "grid", "community", "street", name="mediationlevel", native_enum=False, length=10
            ),
            nullable=False,
        ),
        sa.Column("level_started_on", sa.Date(), nullable=False),
        sa.Column("level_due_on", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "registered",
                "mediating",
                "agreed",
                "failed",
                "withdrawn",
                "closed",
                name="mediationstate",
                native_enum=False,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("registered_on", sa.Date(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("mediator_id", sa.Integer(), nullable=True),
        sa.Column("repeat_of_id", sa.Integer(), nullable=True),
        sa.Column("outcome_note", sa.Text(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["hall.id"], name=op.f("fk_mediation_dispute_hall_id_hall")
        ),
        sa.ForeignKeyConstraint(
            ["mediator_id"], ["app_user.id"], name=op.f("fk_mediation_dispute_mediator_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["app_user.id"],
            name=op.f("fk_mediation_dispute_registered_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["repeat_of_id"],
            ["mediation_dispute.id"],
            name=op.f("fk_mediation_dispute_repeat_of_id_mediation_dispute"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_dispute")),
        sa.UniqueConstraint("number", name=op.f("uq_mediation_dispute_number")),
    )
    with op.batch_alter_table("mediation_dispute", schema=None) as batch_op:
        batch_op.create_index("ix_mediation_dispute_hall_state", ["hall_id", "state"], unique=False)

    op.create_table(
        "mediation_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("issues", sa.Text(), nullable=False),
        sa.Column("liability", sa.Text(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.Column("performance_way", sa.String(length=200), nullable=False),
        sa.Column("perform_by", sa.Date(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column(
            "mediators",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["app_user.id"],
            name=op.f("fk_mediation_agreement_created_by_id_app_user"),
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["mediation_dispute.id"],
            name=op.f("fk_mediation_agreement_dispute_id_mediation_dispute"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_agreement")),
        sa.UniqueConstraint("dispute_id", name=op.f("uq_mediation_agreement_dispute_id")),
    )
    op.create_table(
        "mediation_follow_up",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("due", "done", name="followupstate", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("performance", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("visited_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["mediation_dispute.id"],
            name=op.f("fk_mediation_follow_up_dispute_id_mediation_dispute"),
        ),
        sa.ForeignKeyConstraint(
            ["visited_by_id"],
            ["app_user.id"],
            name=op.f("fk_mediation_follow_up_visited_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_follow_up")),
        sa.UniqueConstraint(
            "dispute_id", "kind", name=op.f("uq_mediation_follow_up_dispute_id_kind")
        ),
    )
    op.create_table(
        "mediation_level_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column(
            "from_level",
            sa.Enum(
                "grid", "community", "street", name="mediationlevel", native_enum=False, length=10
            ),
            nullable=True,
        ),
        sa.Column(
            "to_level",
            sa.Enum(
                "grid", "community", "street", name="mediationlevel", native_enum=False, length=10
            ),
            nullable=False,
        ),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("by_system", sa.Boolean(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["app_user.id"], name=op.f("fk_mediation_level_step_actor_id_app_user")
        ),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["mediation_dispute.id"],
            name=op.f("fk_mediation_level_step_dispute_id_mediation_dispute"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_level_step")),
    )
    with op.batch_alter_table("mediation_level_step", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mediation_level_step_dispute_id"), ["dispute_id"], unique=False
        )

    op.create_table(
        "mediation_party",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("id_number", sa.String(length=18), nullable=False),
        sa.Column("phone", sa.String(length=24), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("claim", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["mediation_dispute.id"],
            name=op.f("fk_mediation_party_dispute_id_mediation_dispute"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_party")),
        sa.UniqueConstraint(
            "dispute_id", "position", name=op.f("uq_mediation_party_dispute_id_position")
        ),
    )
    with op.batch_alter_table("mediation_party", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mediation_party_id_number"), ["id_number"], unique=False
        )

    op.create_table(
        "mediation_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dispute_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=100), nullable=False),
        sa.Column(
            "level",
            sa.Enum(
                "grid", "community", "street", name="mediationlevel", native_enum=False, length=10
            ),
            nullable=False,
        ),
        sa.Column(
            "mediators",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("record", sa.Text(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["dispute_id"],
            ["mediation_dispute.id"],
            name=op.f("fk_mediation_session_dispute_id_mediation_dispute"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["app_user.id"],
            name=op.f("fk_mediation_session_recorded_by_id_app_user"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mediation_session")),
    )
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_mediation_session_dispute_id"), ["dispute_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("mediation_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_session_dispute_id"))

    op.drop_table("mediation_session")
    with op.batch_alter_table("mediation_party", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_party_id_number"))

    op.drop_table("mediation_party")
    with op.batch_alter_table("mediation_level_step", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mediation_level_step_dispute_id"))

    op.drop_table("mediation_level_step")
    op.drop_table("mediation_follow_up")
    op.drop_table("mediation_agreement")
    with op.batch_alter_table("mediation_dispute", schema=None) as batch_op:
        batch_op.drop_index("ix_mediation_dispute_hall_state")

    op.drop_table("mediation_dispute")
