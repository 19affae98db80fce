"""Photos added to an event after its report (现场照片 by the reporter or dispatcher,
处置照片 by the 主办 department while it handles it), and reading them back."""

from __future__ import annotations

from collections.abc import Sequence

from app import audit
from app.actor import Actor
from app.db import clock
from app.db.models import IncidentPage
from app.db.session import Database
from app.errors import NotFound, PermissionDenied, ValidationError
from app.incidents.lifecycle import load
from app.incidents.photos import STAGES, add
from app.materials import stores
from app.materials.intake import PreparedPage
from app.roles import Permission
from app.states import IncidentState


def add_photos(
    db: Database, actor: Actor, incident_id: int, stage: str, pages: Sequence[PreparedPage]
) -> int:
    """Photos added afterwards: by whoever reported it or the dispatcher (``report``), or
    the 主办 department while handling it (``feedback``)."""
    if stage not in STAGES:
        raise ValidationError("未知的照片环节。", "photos")
    with db.unit_of_work() as session:
        _hall, incident = load(session, actor, incident_id, lock=True)  # positions in turn
        if stage == "feedback":
            actor.require(Permission.APPROVE)
            if incident.lead_dept not in actor.departments:
                raise PermissionDenied("只有主办部门可以添加处置照片。")
            if incident.state != IncidentState.SIGNED:
                raise ValidationError("只有处置中的事件可以添加处置照片。", "photos")
        elif not (actor.can(Permission.DISPATCH) or incident.reported_by_id == actor.user_id):
            raise PermissionDenied("只有上报人或派单员可以添加现场照片。")
        now = clock.now(session)
        added = add(session, db, actor, incident.id, stage, pages, now)
        after = {"photos": added}
        audit.record(
            session, actor, "incident_photos_added", "incident", incident.id, None, after, stage
        )
        session.commit()
        return added


def photo(db: Database, actor: Actor, page_id: int, thumbnail: bool = False) -> bytes:
    """A photo's bytes (or its thumbnail) for someone who may see the event."""
    with db.read_only() as session:
        row = session.get(IncidentPage, page_id)
        if row is None:
            raise NotFound("该照片不存在。")
        load(session, actor, row.incident_id)
        store = stores.reading_store(db, row.storage)
        return store.get(session, row.thumb_sha256 if thumbnail else row.sha256)
