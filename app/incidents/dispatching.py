"""受理 and 派遣: the catalog dispatches where it decides (派单目录), a dispatcher where it does
not; 退单 events and shelved ones are dispatched again; 并单 joins a duplicate to the open
event at the same place (its reporter follows that one)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from app import text as free_text
from app.actor import Actor
from app.db.models import Hall, Incident
from app.db.session import Database
from app.errors import NotFound, ValidationError
from app.incidents.lifecycle import Moved, advance, catalog, load, load_current
from app.incidents.lists import find_number
from app.roles import Permission
from app.states import IncidentState

S = IncidentState
CATALOG = "派单目录"  # who dispatched an event the catalog decided


def by_catalog(
    session: Session, actor: Actor, hall: Hall, incident: Incident, now: datetime | None = None
) -> Moved | None:
    """派遣 an accepted event where the catalog names its departments (else None: it waits
    for a dispatcher). The caller commits."""
    decided = catalog().dispatch(incident.subtype_code, incident.grid)
    if decided is None:
        return None
    incident.lead_dept, incident.cc_depts = decided.lead, list(decided.cc)
    incident.dispatched_by = CATALOG
    return advance(
        session, actor, hall, incident, S.DISPATCHED, "incident_dispatched", CATALOG, now
    )


def accept_and_dispatch(db: Database, actor: Actor, incident_id: int, version: int) -> Moved:
    """受理; then 派遣 at once if the catalog names the departments, else it waits."""
    actor.require(Permission.DISPATCH)
    with db.unit_of_work() as session:
        hall, incident = load_current(session, actor, incident_id, version)
        moved = advance(session, actor, hall, incident, S.ACCEPTED, "incident_accepted")
        moved = by_catalog(session, actor, hall, incident) or moved
        session.commit()
        return moved


def dispatch(
    db: Database, actor: Actor, incident_id: int, version: int, lead: str, cc: tuple[str, ...] = ()
) -> Moved:
    """派遣 by a dispatcher (an accepted event the catalog left, a 退单 one, a shelved one taken
    up again): ``lead`` the 主办 department, ``cc`` the 抄送 ones (codes)."""
    actor.require(Permission.DISPATCH)
    known = catalog().handling
    if lead not in known:
        raise ValidationError("请选择主办部门。", "lead")
    if lead in cc:
        raise ValidationError("主办部门不必再抄送，请取消该部门的抄送。", "cc")
    unknown = [c for c in cc if c not in known]
    if unknown:
        raise ValidationError(f"没有这些部门：{'、'.join(unknown)}。", "cc")
    with db.unit_of_work() as session:
        hall, incident = load_current(session, actor, incident_id, version)
        if incident.state == S.RETURNED and lead == incident.lead_dept:
            raise ValidationError("该部门已退单，请改派其他部门。", "lead")
        incident.lead_dept = lead
        incident.cc_depts = [c for c in dict.fromkeys(cc) if c != lead]
        incident.dispatched_by = actor.full_name or actor.username
        note = f"主办 {known[lead]}" + (
            f"，抄送 {'、'.join(known[c] for c in incident.cc_depts)}" if incident.cc_depts else ""
        )
        moved = advance(session, actor, hall, incident, S.DISPATCHED, "incident_dispatched", note)
        session.commit()
        return moved


def merge(db: Database, actor: Actor, incident_id: int, version: int, into_id: int) -> Moved:
    """并单: ``incident_id`` is the same problem as the open event ``into_id``."""
    actor.require(Permission.DISPATCH)
    with db.unit_of_work() as session:
        hall, incident = load_current(session, actor, incident_id, version)
        _hall, target = load(session, actor, into_id)
        if target.id == incident.id:
            raise ValidationError("不能与自身合并。", "into")
        if target.state in (S.REFUSED, S.MERGED, S.CLOSED, S.RATED):
            raise NotFound("要合并到的事件已结束，请选择一个尚在办理的事件。", "into")
        incident.merged_into_id = target.id
        moved = advance(session, actor, hall, incident, S.MERGED, "incident_merged", target.number)
        session.commit()
        return moved


def merge_by_number(
    db: Database, actor: Actor, incident_id: int, version: int, number: str
) -> Moved:
    """并单 into the open event with this number (as typed or scanned); ValidationError
    (``into``) when the hall has no such event."""
    if not number.strip():
        raise ValidationError("请输入要合并到的事件编号。", "into")
    target = find_number(db, actor, number, "into")
    if target is None:
        code = free_text.excerpt(number.strip().upper(), 30)
        raise ValidationError(f"没有找到事件 {code}。", "into")
    return merge(db, actor, incident_id, version, target)
