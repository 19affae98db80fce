"""整改: the supervisor's follow-up of a bad rating — 回访, measures, closed or appealed.

Every action is the supervisor's (:data:`Permission.SUPERVISE`), checks the version the
screen showed (a stale one is a :class:`Conflict`), moves the state by
``app.states.RECTIFICATION_FLOW`` and is audited. A 整改 is overdue when the hall's today
is past its due date and it is still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import audit, text
from app.actor import Actor
from app.cases.cases import local_time
from app.cases.intake import calendar
from app.db import clock
from app.db.models import (
    Case,
    Department,
    Hall,
    Rating,
    Rectification,
    ServiceType,
    Ticket,
    User,
    Window,
)
from app.db.session import Database
from app.errors import Conflict, NotFound, ValidationError
from app.ratings.levels import STAGES, label
from app.roles import Permission
from app.states import RECTIFICATION_FLOW, RectificationState

TEXT_MAX = 500


@dataclass(frozen=True)
class RectificationView:
    """One 整改 as the supervisor's list shows it."""

    id: int
    version: int
    state: RectificationState
    state_label: str
    level: int
    level_label: str
    reasons: tuple[str, ...]
    note: str
    subject: str  # "号票 A015 窗口服务" / "办件 JX01-MZ20261130-0007 受理"
    window_number: int | None
    clerk_name: str
    service_name: str
    department_name: str
    rated_at: str  # local time
    due_date: date
    overdue: bool
    days_overdue: int  # working days past the due date (0 if not overdue)
    callback_result: str
    callback_at: str  # local time or ""
    measures: str
    appeal_reason: str


@dataclass(frozen=True)
class RectificationList:
    """The hall's 整改 with the counts for the monitor's summary."""

    rows: list[RectificationView]
    open_count: int
    overdue_count: int
    today: date


def _names(session: Session, model: Any, ids: set[int], attr: str) -> dict[int, object]:
    """``id → attr`` of the rows of ``model`` with those ids (one query)."""
    if not ids:
        return {}
    rows = session.execute(select(model.id, getattr(model, attr)).where(model.id.in_(ids)))
    return {int(k): v for k, v in rows.all()}


def list_rectifications(db: Database, actor: Actor, open_only: bool = True) -> RectificationList:
    """The hall's 整改, oldest due first (open only, or all); counts are of open ones.

    ``overdue``: still open and the hall's today is after ``due_date``; how far, in working
    days of the hall's calendar as it is now. (``due_date`` itself was counted when the bad
    rating came in: a holiday added later does not move it.)
    """
    actor.require(Permission.SUPERVISE)
    with db.read_only() as s:
        hall = s.get(Hall, actor.hall_id)
        if hall is None:
            raise NotFound("大厅不存在。")
        today = clock.service_day(s, hall)
        cal = calendar(s)
        q = (
            select(Rectification, Rating)
            .join(Rating, Rating.id == Rectification.rating_id)
            .where(Rectification.hall_id == hall.id)
        )
        if open_only:
            q = q.where(Rectification.state == RectificationState.OPEN)
        pairs = s.execute(q.order_by(Rectification.due_date, Rectification.id)).all()
        ratings = [r for _x, r in pairs]
        windows = _names(s, Window, {r.window_id for r in ratings if r.window_id}, "number")
        clerks = _names(s, User, {r.clerk_id for r in ratings if r.clerk_id}, "full_name")
        services = _names(
            s, ServiceType, {r.service_type_id for r in ratings if r.service_type_id}, "name"
        )
        depts = _names(s, Department, {r.department_id for r in ratings if r.department_id}, "name")
        codes = _names(s, Ticket, {r.ticket_id for r in ratings if r.ticket_id}, "code")
        case_nos = _names(s, Case, {r.case_id for r in ratings if r.case_id}, "case_no")
        rows = []
        for rect, r in pairs:
            what = (
                f"号票 {codes.get(r.ticket_id or 0, '')}"
                if r.ticket_id
                else f"办件 {case_nos.get(r.case_id or 0, '')}"
            )
            late = rect.state == RectificationState.OPEN and today > rect.due_date
            rows.append(
                RectificationView(
                    rect.id, rect.version, rect.state, RECTIFICATION_FLOW.label(rect.state),
                    r.level, label(r.level), tuple(r.reasons or ()), r.note,
                    f"{what} {STAGES.get(r.stage, r.stage)}",
                    windows.get(r.window_id or 0),  # type: ignore[arg-type]
                    str(clerks.get(r.clerk_id or 0, "")),
                    str(services.get(r.service_type_id or 0, "")),
                    str(depts.get(r.department_id or 0, "")),
                    local_time(hall, r.rated_at), rect.due_date, late,
                    max(1, cal.between(rect.due_date, today)) if late else 0,
                    rect.callback_result,
                    local_time(hall, rect.callback_at) if rect.callback_at else "",
                    rect.measures, rect.appeal_reason,
                )
            )  # fmt: skip
        live = [v for v in rows if v.state == RectificationState.OPEN]
        return RectificationList(rows, len(live), sum(v.overdue for v in live), today)


def _open_row(session: Session, actor: Actor, rect_id: int, version: int) -> Rectification:
    rect = session.scalar(
        select(Rectification).where(Rectification.id == rect_id).with_for_update()
    )
    if rect is None or rect.hall_id != actor.hall_id:
        raise NotFound("没有找到这项整改。")
    if rect.state != RectificationState.OPEN:
        # Closed or appealed by someone else meanwhile: say so, retrying cannot help.
        who = session.get(User, rect.closed_by_id) if rect.closed_by_id else None
        by = f"已由{who.full_name or who.username}" if who is not None else "已"
        label = RECTIFICATION_FLOW.label(rect.state).removeprefix("已")
        raise Conflict(f"这项整改{by}{label}，无需再处理。请刷新列表。")
    if rect.version != version:
        raise Conflict("这项整改刚被他人修改（如记录了回访），请刷新后查看再处理。")
    return rect


def _snapshot(rect: Rectification) -> dict[str, object]:
    return {"state": rect.state.value}


def record_callback(db: Database, actor: Actor, rect_id: int, version: int, result: str) -> int:
    """Record the 回访 (call back to the resident) of an open 整改; returns the new version.

    Raises :class:`ValidationError` (field ``callback``) for an empty or unprintable
    result, :class:`Conflict` for a stale version or a 整改 no longer open.
    """
    actor.require(Permission.SUPERVISE)
    clean = text.clean_long(result, "callback", "回访结果", max_length=TEXT_MAX, min_length=1)
    with db.unit_of_work() as s:
        rect = _open_row(s, actor, rect_id, version)
        now = clock.now(s)
        rect.callback_at, rect.callback_result = now, clean
        s.flush()
        audit.record(
            s, actor, "rectification_callback", "rectification", rect.id, None, None, clean, now
        )
        s.commit()
        return rect.version


def close_rectification(
    db: Database, actor: Actor, rect_id: int, version: int, measures: str, callback: str = ""
) -> int:
    """Close an open 整改 with the measures taken; returns the new version.

    A 回访 result is required: recorded before, or given here as ``callback``. Raises
    :class:`ValidationError` (fields ``measures`` / ``callback``), :class:`Conflict`.
    """
    actor.require(Permission.SUPERVISE)
    clean = text.clean_long(measures, "measures", "整改措施", max_length=TEXT_MAX, min_length=1)
    reply = text.clean_long(callback, "callback", "回访结果", max_length=TEXT_MAX)
    with db.unit_of_work() as s:
        rect = _open_row(s, actor, rect_id, version)
        RECTIFICATION_FLOW.check(rect.state, RectificationState.CLOSED)
        now = clock.now(s)
        if reply:
            rect.callback_at, rect.callback_result = now, reply
        if not rect.callback_result:
            raise ValidationError("请先记录回访结果。", "callback")
        before = _snapshot(rect)
        rect.state, rect.measures = RectificationState.CLOSED, clean
        rect.closed_at, rect.closed_by_id = now, actor.user_id
        s.flush()
        audit.record(
            s,
            actor,
            "rectification_closed",
            "rectification",
            rect.id,
            before,
            _snapshot(rect),
            clean,
            now,
        )
        s.commit()
        return rect.version


def appeal_rectification(
    db: Database, actor: Actor, rect_id: int, version: int, reason: str
) -> int:
    """Appeal an open 整改 (the rating is disputed, e.g. malicious); returns the new version.

    Raises :class:`ValidationError` (field ``appeal``) without a reason, :class:`Conflict`.
    """
    actor.require(Permission.SUPERVISE)
    clean = text.clean_long(reason, "appeal", "申诉理由", max_length=TEXT_MAX, min_length=1)
    with db.unit_of_work() as s:
        rect = _open_row(s, actor, rect_id, version)
        RECTIFICATION_FLOW.check(rect.state, RectificationState.APPEALED)
        now = clock.now(s)
        before = _snapshot(rect)
        rect.state, rect.appeal_reason = RectificationState.APPEALED, clean
        rect.closed_at, rect.closed_by_id = now, actor.user_id
        s.flush()
        audit.record(
            s,
            actor,
            "rectification_appealed",
            "rectification",
            rect.id,
            before,
            _snapshot(rect),
            clean,
            now,
        )
        s.commit()
        return rect.version
