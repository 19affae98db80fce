"""The receipt (回执) a reporter takes away: the event's number (printed as QR and Code 128,
which the hall's kiosk scans to show its progress), what and where, and the state it is in.
A plain snapshot (:class:`app.documents.IncidentReceipt`); :mod:`printing.incident_receipt`
draws it."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from app import audit
from app.actor import Actor
from app.db import clock
from app.db.session import Database
from app.documents import IncidentReceipt
from app.errors import PermissionDenied
from app.ids import mask_name, mask_phone
from app.incidents.lifecycle import catalog, load
from app.incidents.reporting import CHANNELS
from app.roles import Permission
from app.states import INCIDENT_FLOW


def receipt(db: Database, actor: Actor, incident_id: int) -> IncidentReceipt:
    """The receipt of one of the hall's events (printing it is audited)."""
    if not any(actor.can(p) for p in (Permission.INTAKE, Permission.DISPATCH, Permission.CARE)):
        raise PermissionDenied("您没有执行此操作的权限。")
    with db.unit_of_work() as session:
        hall, incident = load(session, actor, incident_id)
        kind, sub = catalog().subtypes.get(incident.subtype_code, ("", None))
        type_name = catalog().types[kind].name if kind in catalog().types else kind
        local = incident.reported_at.replace(tzinfo=UTC).astimezone(ZoneInfo(hall.timezone))
        reporter = "匿名"
        if not incident.anonymous:
            parts = (mask_name(incident.reporter_name), mask_phone(incident.reporter_phone))
            reporter = " ".join(p for p in parts if p)
        snapshot = IncidentReceipt(
            hall_name=hall.name,
            hall_phone=hall.phone,
            number=incident.number,
            what=f"{type_name} · {sub.name}" if sub else type_name,
            grid=incident.grid,
            address=incident.address,
            description=incident.description,
            channel=CHANNELS.get(incident.channel, incident.channel),
            reporter=reporter,
            reported_at=f"{local:%Y-%m-%d %H:%M}",
            state=INCIDENT_FLOW.label(incident.state),
            lead=catalog().departments.get(incident.lead_dept or "", ""),
        )
        audit.record(
            session,
            actor,
            "incident_receipt_printed",
            "incident",
            incident.id,
            at=clock.now(session),
        )
        session.commit()
        return snapshot
