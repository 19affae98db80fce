"""人群类别: the catalog's groups (:data:`app.care.rules.GROUPS`) and those a hall adds."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit
from app import text as free_text
from app.actor import Actor
from app.care import rules
from app.db import clock
from app.db.models import CareGroup
from app.db.session import Database
from app.errors import Conflict, PermissionDenied
from app.roles import Permission

NAME_MAX = 20


def all_groups(session: Session, hall_id: int) -> dict[str, str]:
    """Code → name: the catalog's groups, then the hall's own in the order added."""
    own = session.execute(
        select(CareGroup.code, CareGroup.name)
        .where(CareGroup.hall_id == hall_id)
        .order_by(CareGroup.id)
    )
    return rules.GROUPS | {code: name for code, name in own}


def group_names(db: Database, actor: Actor) -> dict[str, str]:
    """The groups a profile can be put in (code → name)."""
    actor.require(Permission.VIEW_CARE)
    if actor.hall_id is None:
        raise PermissionDenied("未指定大厅。")
    with db.read_only() as session:
        return all_groups(session, actor.hall_id)


def add_group(db: Database, actor: Actor, name: str) -> str:
    """Add a group to the hall's list (e.g. 退役军人优抚对象); returns its code.

    Raises ValidationError (empty, too long), Conflict (a name already listed).
    """
    actor.require(Permission.CARE)
    if actor.hall_id is None:
        raise PermissionDenied("未指定大厅。")
    name = free_text.clean_line(name, "group_name", "类别名称", NAME_MAX, 2)
    code = "h_" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]
    with db.unit_of_work() as session:
        if name in all_groups(session, actor.hall_id).values():
            raise Conflict(f"人群类别“{name}”已在列表中。", "group_name")
        session.add(
            CareGroup(hall_id=actor.hall_id, code=code, name=name, created_at=clock.now(session))
        )
        audit.record(
            session, actor, "care_group_added", "hall", actor.hall_id, after={"name": name}
        )
        session.commit()
    return code
