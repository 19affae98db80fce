"""care records of special groups (一人一档): groups, profiles, plans, visits, events

A hall's own care groups beside the catalog's, one care profile per resident and hall,
visit plans with their next due day, visits (kept when cancelled) and the major events
that make a visit due within 24 hours. New tables only: nothing existing changes.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "care_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_care_group_hall_id_hall")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_group")),
        sa.UniqueConstraint("hall_id", "code", name=op.f("uq_care_group_hall_id_code")),
        sa.UniqueConstraint("hall_id", "name", name=op.f("uq_care_group_hall_id_name")),
    )
    op.create_table(
        "care_profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column(
            "groups",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("tier", sa.String(length=8), nullable=False),
        sa.Column("health", sa.Text(), nullable=False),
        sa.Column("living", sa.Text(), nullable=False),
        sa.Column("needs", sa.Text(), nullable=False),
        sa.Column(
            "contacts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("grid", sa.String(length=40), nullable=False),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.Column("consent_by", sa.String(length=60), nullable=False),
        sa.Column("consent_on", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "active", "deceased", "moved", name="carepersonstate", native_enum=False, length=12
            ),
            nullable=False,
        ),
        sa.Column("state_on", sa.Date(), nullable=True),
        sa.Column("state_note", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["hall.id"], name=op.f("fk_care_profile_hall_id_hall")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["resident.id"], name=op.f("fk_care_profile_resident_id_resident")
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["app_user.id"], name=op.f("fk_care_profile_worker_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_profile")),
        sa.UniqueConstraint(
            "hall_id", "resident_id", name=op.f("uq_care_profile_hall_id_resident_id")
        ),
    )
    with op.batch_alter_table("care_profile", schema=None) as batch_op:
        batch_op.create_index("ix_care_profile_hall_grid", ["hall_id", "grid"], unique=False)
        batch_op.create_index("ix_care_profile_hall_worker", ["hall_id", "worker_id"], unique=False)

    op.create_table(
        "care_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=12), nullable=False),
        sa.Column("rhythm", sa.String(length=10), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("next_due", sa.Date(), nullable=False),
        sa.Column("last_visit_on", sa.Date(), nullable=True),
        sa.Column(
            "state",
            sa.Enum("active", "closed", name="careplanstate", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closed_reason", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_care_plan_hall_id_hall")),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["care_profile.id"], name=op.f("fk_care_plan_profile_id_care_profile")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_plan")),
    )
    with op.batch_alter_table("care_plan", schema=None) as batch_op:
        batch_op.create_index(
            "ix_care_plan_hall_state_due", ["hall_id", "state", "next_due"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_care_plan_profile_id"), ["profile_id"], unique=False)

    op.create_table(
        "care_visit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("mode", sa.String(length=12), nullable=False),
        sa.Column("visited_at", sa.DateTime(), nullable=False),
        sa.Column("visit_day", sa.Date(), nullable=False),
        sa.Column("visitor_id", sa.Integer(), nullable=True),
        sa.Column("visitor_name", sa.String(length=60), nullable=False),
        sa.Column(
            "findings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("actions", sa.Text(), nullable=False),
        sa.Column("promised", sa.Text(), nullable=False),
        sa.Column("draft_case_id", sa.Integer(), nullable=True),
        sa.Column(
            "state",
            sa.Enum("done", "cancelled", name="carevisitstate", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column("cancel_reason", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_case_id"],
            ["service_case.id"],
            name=op.f("fk_care_visit_draft_case_id_service_case"),
        ),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_care_visit_hall_id_hall")),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["care_plan.id"], name=op.f("fk_care_visit_plan_id_care_plan")
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["care_profile.id"], name=op.f("fk_care_visit_profile_id_care_profile")
        ),
        sa.ForeignKeyConstraint(
            ["visitor_id"], ["app_user.id"], name=op.f("fk_care_visit_visitor_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_visit")),
    )
    with op.batch_alter_table("care_visit", schema=None) as batch_op:
        batch_op.create_index("ix_care_visit_hall_day", ["hall_id", "visit_day"], unique=False)
        batch_op.create_index(
            "ix_care_visit_plan_day",
            ["plan_id", "visit_day"],
            unique=False,
            postgresql_where=sa.text("state = 'done'"),
            sqlite_where=sa.text("state = 'done'"),
        )
        batch_op.create_index(
            "ix_care_visit_profile_day", ["profile_id", "visit_day"], unique=False
        )

    op.create_table(
        "care_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("happened_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("from_visit_id", sa.Integer(), nullable=True),
        sa.Column("met_by_visit_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["from_visit_id"],
            ["care_visit.id"],
            name=op.f("fk_care_event_from_visit_id_care_visit"),
        ),
        sa.ForeignKeyConstraint(["hall_id"], ["hall.id"], name=op.f("fk_care_event_hall_id_hall")),
        sa.ForeignKeyConstraint(
            ["met_by_visit_id"],
            ["care_visit.id"],
            name=op.f("fk_care_event_met_by_visit_id_care_visit"),
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"], ["care_profile.id"], name=op.f("fk_care_event_profile_id_care_profile")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["app_user.id"], name=op.f("fk_care_event_recorded_by_id_app_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_care_event")),
    )
    with op.batch_alter_table("care_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_care_event_hall_open", ["hall_id", "met_by_visit_id", "due_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_care_event_profile_id"), ["profile_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("care_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_event_profile_id"))
        batch_op.drop_index("ix_care_event_hall_open")

    op.drop_table("care_event")
    with op.batch_alter_table("care_visit", schema=None) as batch_op:
        batch_op.drop_index("ix_care_visit_profile_day")
        batch_op.drop_index("ix_care_visit_plan_day")
        batch_op.drop_index("ix_care_visit_hall_day")

    op.drop_table("care_visit")
    with op.batch_alter_table("care_plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_care_plan_profile_id"))
        batch_op.drop_index("ix_care_plan_hall_state_due")

    op.drop_table("care_plan")
    with op.batch_alter_table("care_profile", schema=None) as batch_op:
        batch_op.drop_index("ix_care_profile_hall_worker")
        batch_op.drop_index("ix_care_profile_hall_grid")

    op.drop_table("care_profile")
    op.drop_table("care_group")
