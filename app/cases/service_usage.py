"""What a counter takes most: the services a clerk accepted lately, for the service search.

A clerk's counter is the clerk: cases carry who accepted them (``accepted_by_id``), and a
clerk who moves to another window keeps the services they know. The counts rank equal
hits of :func:`app.hall.service_search.rank`; they are read when the intake screen loads
its services and kept a minute, so a busy counter does not count on every keystroke.
"""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import func, select

from app.actor import Actor
from app.db import clock
from app.db.models import Case, ServiceType, ServiceVersion
from app.db.session import Database
from app.roles import Permission

DAYS = 30
CACHE_SECONDS = 60.0
_CACHE: dict[tuple[str, int, int], tuple[float, dict[str, int]]] = {}


def counts(
    db: Database, actor: Actor, days: int = DAYS, max_age: float = CACHE_SECONDS
) -> dict[str, int]:
    """Service code → cases ``actor`` accepted in the last ``days`` days (none: not there).

    Read from the database at most every ``max_age`` seconds per database and user (0:
    now). An actor who is no user (the system) has none. Requires VIEW_CATALOG.
    """
    actor.require(Permission.VIEW_CATALOG)
    if actor.user_id is None:
        return {}
    key = (db.engine.url.render_as_string(hide_password=True), actor.user_id, days)
    kept = _CACHE.get(key)
    if kept is not None and time.monotonic() - kept[0] < max_age:
        return dict(kept[1])
    with db.read_only() as session:
        since = clock.now(session) - timedelta(days=days)
        rows = session.execute(
            select(ServiceType.code, func.count(Case.id))
            .join(ServiceVersion, ServiceVersion.id == Case.service_version_id)
            .join(ServiceType, ServiceType.id == ServiceVersion.service_type_id)
            .where(Case.accepted_by_id == actor.user_id, Case.accepted_at >= since)
            .group_by(ServiceType.code)
        ).all()
    found = {code: int(n) for code, n in rows}
    if len(_CACHE) > 256:
        _CACHE.clear()  # many users on one PC over weeks: start again rather than grow
    _CACHE[key] = (time.monotonic(), found)
    return dict(found)
