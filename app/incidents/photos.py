"""Storing photos of an event (现场照片): taken with the report or with the department's
feedback, kept as a case's material pages are (normalised by :mod:`app.materials.intake`,
bytes in the hall's page store, a thumbnail each). At most :data:`MAX_PHOTOS` per stage.
Adding and reading them afterwards: :mod:`app.incidents.pictures`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db.models import IncidentPage
from app.db.session import Database
from app.errors import ValidationError
from app.materials import records, stores
from app.materials.intake import PreparedPage

MAX_PHOTOS = 9
STAGES = {"report": "上报", "feedback": "处置反馈"}


def add(
    session: Session,
    db: Database,
    actor: Actor,
    incident_id: int,
    stage: str,
    pages: Sequence[PreparedPage],
    at: datetime,
) -> int:
    """Store ``pages`` after the stage's existing photos, in the caller's transaction (it
    commits). ValidationError (``photos``) beyond :data:`MAX_PHOTOS`. How many were added."""
    if not pages:
        return 0
    store = stores.store_of(db)
    last = session.scalar(
        select(func.max(IncidentPage.position)).where(
            IncidentPage.incident_id == incident_id, IncidentPage.stage == stage
        )
    )
    if (last or 0) + len(pages) > MAX_PHOTOS:
        raise ValidationError(f"每个环节最多 {MAX_PHOTOS} 张照片。", "photos")
    for offset, page in enumerate(pages, start=1):
        session.add(
            IncidentPage(
                incident_id=incident_id,
                stage=stage,
                position=(last or 0) + offset,
                **records.stored(session, store, page),
                created_at=at,
                created_by_id=actor.user_id,
            )
        )
    session.flush()
    return len(pages)
