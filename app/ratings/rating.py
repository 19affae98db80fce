"""Rating and re-rating: one transaction each, the 整改 of a bad rating in the same commit.

A rating is never edited. A resident who chose by mistake rates again within
:data:`~app.ratings.levels.RERATE_SECONDS` of the subject's FIRST rating (so re-rating
cannot extend the grace period): :func:`rerate` writes a new row and marks the old one
superseded (audited ``rating_revised``).

What a re-rate does to the 整改 (our choice, documented here and tested):

* bad → bad: the open 整改 now belongs to the new rating; its due date does not move.
* bad → good: the open 整改 is closed at once as 已整改 with the measures
  ``评价已更正`` (audited ``rectification_voided``). The resident corrected a mistaken
  tap within two minutes; leaving a task to call back about a rating that no longer counts
  would send the supervisor after nothing and count a 差评 that does not exist. The audit
  trail keeps the first rating, the re-rate and the closing, so a clerk pressing a resident
  to change a rating is still visible.
* good → bad: a 整改 is opened for the new rating, due as for any bad rating.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import audit
from app.actor import Actor
from app.cases.intake import calendar
from app.db import clock
from app.db.models import Hall, Rating, Rectification
from app.db.session import Database
from app.errors import Conflict, NotFound
from app.ratings import subjects
from app.ratings.levels import (
    RECTIFY_WORKDAYS,
    RERATE_SECONDS,
    RatingInput,
    check_input,
    is_bad,
)
from app.states import RectificationState

VOIDED_MEASURES = "评价已更正：群众在 2 分钟内重新评价，不再是差评，整改自动撤销。"


@dataclass(frozen=True)
class RatingResult:
    """A rating recorded: its id, until when it may be re-rated (naive UTC), its 整改."""

    rating_id: int
    subject_key: str
    level: int
    rerate_until: datetime
    rectification_id: int | None  # the open 整改 of a bad rating
    due_date: date | None  # the 整改's deadline


def _hall(session: Session, actor: Actor) -> Hall:
    hall = session.get(Hall, actor.hall_id)
    if hall is None:
        raise NotFound("大厅不存在。")
    return hall


def _row(
    session: Session, hall: Hall, subject: subjects.Subject, inp: RatingInput, now: datetime
) -> Rating:
    return Rating(
        hall_id=hall.id,
        subject_key=subject.key,
        stage=subject.stage,
        ticket_id=subject.ticket.id if subject.ticket else None,
        case_id=subject.case.id if subject.case else None,
        level=inp.level,
        reasons=list(inp.reasons),
        note=inp.note,
        channel=inp.channel,
        window_id=subject.window_id,
        clerk_id=subject.clerk_id,
        service_type_id=subject.service_type_id,
        department_id=subject.department_id,
        rated_at=now,
        service_day=clock.service_day(session, hall, now),
    )


def _snapshot(r: Rating) -> dict[str, object]:
    return {"subject": r.subject_key, "level": r.level, "reasons": r.reasons, "note": r.note}


def _open_rectification(
    session: Session, actor: Actor, rating: Rating, now: datetime
) -> Rectification:
    due = calendar(session).add(rating.service_day, RECTIFY_WORKDAYS)
    rect = Rectification(hall_id=rating.hall_id, rating_id=rating.id, opened_at=now, due_date=due)
    session.add(rect)
    session.flush()
    audit.record(
        session, actor, "rectification_opened", "rectification", rect.id, None,
        {"rating": rating.id, "due": due.isoformat()}, "", now,
    )  # fmt: skip
    return rect


def _insert(session: Session, row: Rating) -> None:
    """Add the rating; a live rating of the subject written meanwhile is 已评价."""
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise Conflict("已评价，感谢您的参与。") from exc


def rate(
    db: Database,
    actor: Actor,
    subject_key: str,
    level: int,
    reasons: Iterable[str] = (),
    note: str = "",
    channel: str = "rating_screen",
) -> RatingResult:
    """Record a resident's rating of ``subject_key`` (see :mod:`app.ratings.subjects`).

    Ties the window, clerk, service type and department when known; ``service_day`` is the
    hall's day. A bad rating (level ≤ 2) opens a 整改 in the same transaction, due
    :data:`RECTIFY_WORKDAYS` working days after that day (the hall's calendar: holidays,
    调休 and overrides). Raises :class:`ValidationError` for bad input,
    :class:`NotFound` / :class:`Conflict` when the subject cannot be rated, and
    :class:`Conflict` ``已评价`` when it already has a live rating.
    """
    inp = check_input(level, reasons, note, channel)
    with db.unit_of_work() as s:
        hall = _hall(s, actor)
        subject = subjects.resolve(s, hall.id, subject_key)
        if subjects.live_rating(s, subject.key) is not None:
            raise Conflict("已评价，感谢您的参与。")
        now = clock.now(s)
        row = _row(s, hall, subject, inp, now)
        _insert(s, row)
        rect = _open_rectification(s, actor, row, now) if is_bad(inp.level) else None
        audit.record(s, actor, "rating_given", "rating", row.id, None, _snapshot(row), "", now)
        s.commit()
        return RatingResult(
            row.id,
            row.subject_key,
            row.level,
            now + timedelta(seconds=RERATE_SECONDS),
            rect.id if rect else None,
            rect.due_date if rect else None,
        )


def rerate(
    db: Database,
    actor: Actor,
    rating_id: int,
    level: int,
    reasons: Iterable[str] = (),
    note: str = "",
    channel: str = "rating_screen",
) -> RatingResult:
    """Rate the same subject again within the grace period; the old rating is superseded.

    The grace period (:data:`RERATE_SECONDS`) runs from the subject's first rating.
    Raises :class:`NotFound` for a rating not of this hall, :class:`Conflict` when it was
    already re-rated or the period is over (``已超过 2 分钟``), :class:`ValidationError` for
    bad input. The 整改 follows the rules in this module's docstring.
    """
    inp = check_input(level, reasons, note, channel)
    with db.unit_of_work() as s:
        hall = _hall(s, actor)
        old = s.scalar(select(Rating).where(Rating.id == rating_id).with_for_update())
        if old is None or old.hall_id != hall.id:
            raise NotFound("没有找到这条评价。")
        if old.superseded_by_id is not None:
            raise Conflict("这条评价已经重新评价过。")
        now = clock.now(s)
        first = s.scalar(
            select(func.min(Rating.rated_at)).where(Rating.subject_key == old.subject_key)
        )
        until = (first or old.rated_at) + timedelta(seconds=RERATE_SECONDS)
        if now > until:
            raise Conflict("评价已超过 2 分钟，不能再修改。")
        subject = subjects.resolve(s, hall.id, old.subject_key)
        # The old row leaves the one-live-rating index first (pointing at itself for a
        # moment), so the new row can take its place; then it points at its successor.
        old.superseded_by_id = old.id
        s.flush()
        row = _row(s, hall, subject, inp, now)
        row.service_day = old.service_day  # the day the subject was rated stays the day
        _insert(s, row)
        old.superseded_by_id = row.id
        rect = _move_rectification(s, actor, old, row, now)
        audit.record(
            s, actor, "rating_revised", "rating", row.id, _snapshot(old),
            {**_snapshot(row), "replaces": old.id}, "", now,
        )  # fmt: skip
        s.commit()
        return RatingResult(
            row.id,
            row.subject_key,
            row.level,
            until,
            rect.id if rect else None,
            rect.due_date if rect else None,
        )


def _move_rectification(
    session: Session, actor: Actor, old: Rating, new: Rating, now: datetime
) -> Rectification | None:
    """The 整改 after a re-rate: moved (bad → bad), voided (bad → good) or opened."""
    rect = session.scalar(select(Rectification).where(Rectification.rating_id == old.id))
    if rect is None:
        return _open_rectification(session, actor, new, now) if is_bad(new.level) else None
    if rect.state != RectificationState.OPEN:
        return None  # already handled by the supervisor (cannot happen within 2 minutes)
    if is_bad(new.level):
        rect.rating_id = new.id
        session.flush()
        return rect
    rect.state = RectificationState.CLOSED
    rect.measures, rect.closed_at, rect.closed_by_id = VOIDED_MEASURES, now, actor.user_id
    session.flush()
    audit.record(
        session, actor, "rectification_voided", "rectification", rect.id,
        {"state": "open"}, {"state": "closed", "rating": new.id}, VOIDED_MEASURES, now,
    )  # fmt: skip
    return None
