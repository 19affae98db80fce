"""An overdue stage escalates to the supervisor (超时升级): housekeeping marks each event
whose stage clock has run out, once per stage (``escalated_at``; a new stage or an approved
延期 clears it), audited, and the supervisor's list (:func:`escalated`) shows them until
the stage moves. Idempotent: several PCs doing it at once mark each stage once."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from app import audit
from app.actor import SYSTEM, Actor
from app.db import clock
from app.db.models import Hall, Incident
from app.db.session import Database
from app.incidents.lists import OPEN, Row, rows_of
from app.roles import Permission
from app.states import INCIDENT_FLOW


def escalate_overdue(db: Database, actor: Actor) -> list[str]:
    """Mark the hall's events whose stage is overdue and not yet escalated (audited as 系统,
    whichever PC's round it was); their numbers."""
    if actor.hall_id is None:
        return []
    with db.unit_of_work() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            return []
        now = clock.now(session)
        # The clock escalates, not the person whose PC ran the round: audited as 系统.
        system = replace(SYSTEM, hall_id=hall.id, hall_name=hall.name)
        due = list(
            session.execute(
                select(Incident.id, Incident.number, Incident.state, Incident.stage_due_at).where(
                    Incident.hall_id == actor.hall_id,
                    Incident.state.in_(OPEN),
                    Incident.stage_due_at < now,
                    Incident.escalated_at.is_(None),
                )
            )
        )
        done = []
        for incident_id, number, state, due_at in due:
            # A PC that marked it first wins; the row's version is left alone (no one's
            # open form is made stale by a mark).
            marked = session.execute(
                update(Incident)
                .where(Incident.id == incident_id, Incident.escalated_at.is_(None))
                .values(escalated_at=now)
                .execution_options(synchronize_session=False)
            )
            if getattr(marked, "rowcount", 0) != 1:
                continue
            assert due_at is not None  # the query asked for a deadline before now
            local = due_at.replace(tzinfo=UTC).astimezone(ZoneInfo(hall.timezone))
            note = f"{INCIDENT_FLOW.label(state)}超时（应于 {local:%m-%d %H:%M} 前完成）"
            audit.record(
                session, system, "incident_escalated", "incident", incident_id, None, None, note
            )
            done.append(number)
        session.commit()
        return done


def escalated(db: Database, actor: Actor) -> list[Row]:
    """The supervisor's list: open events whose stage ran overdue, longest overdue first."""
    actor.require(Permission.SUPERVISE)
    with db.read_only() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            return []
        rows = session.scalars(
            select(Incident)
            .where(
                Incident.hall_id == hall.id,
                Incident.state.in_(OPEN),
                Incident.escalated_at.is_not(None),
            )
            .order_by(Incident.stage_due_at)
        )
        return rows_of(session, hall, list(rows))
