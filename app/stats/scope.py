"""Who may read which statistics, and the period a statistics call covers.

A :class:`Period` is a hall and a range of its service days (both included); it carries
the UTC bounds of those local days and the hall's UTC offset, so queries filter on the
stored naive-UTC times and group by local day and hour in SQL. The offset is the one at
the period's start (China has no daylight saving time; a zone that has would be off by
an hour in the part of the period after a switch).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.actor import Actor
from app.db import clock
from app.db.models import Department, Hall
from app.db.session import Database
from app.errors import NotFound, PermissionDenied, ValidationError
from app.roles import Permission, Role

MAX_DAYS = 366 * 2  # a statistics call covers at most two years


@dataclass(frozen=True)
class Period:
    """A hall's service days ``first``…``last`` (both included), with their UTC bounds."""

    hall_id: int
    hall_name: str
    zone: str
    first: date
    last: date
    start_utc: datetime  # local midnight starting ``first``, as naive UTC
    end_utc: datetime  # local midnight after ``last``, as naive UTC (exclusive)
    offset_s: int  # the hall's UTC offset in seconds at ``first``

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.last - self.first).days + 1


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)  # what a hall's records can hold


def period(session: Session, hall_id: int, first: date, last: date) -> Period:
    """The :class:`Period` of hall ``hall_id``; ValidationError for a reversed or huge range,
    or a day outside :data:`EARLIEST`…:data:`LATEST` (field ``first`` or ``last``)."""
    for day, name in ((first, "first"), (last, "last")):
        if not EARLIEST <= day <= LATEST:
            raise ValidationError(
                f"统计日期应在 {EARLIEST.isoformat()} 至 {LATEST.isoformat()} 之间。", name
            )
    if last < first:
        raise ValidationError("结束日期早于开始日期。", "last")
    if (last - first).days >= MAX_DAYS:
        raise ValidationError("统计区间最长两年。", "last")
    hall = session.get(Hall, hall_id)
    if hall is None:  # only with a replica: the hall the actor logged into is in the primary
        raise NotFound(
            "统计所读的数据库中没有本大厅：请检查统计只读库（reporting_database_url）"
            "是否指向本系统数据库的只读副本。"
        )
    zone = ZoneInfo(hall.timezone)

    def utc(day: date) -> datetime:
        local = datetime.combine(day, time(0), zone)
        return local.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)

    offset = datetime.combine(first, time(12), zone).utcoffset() or timedelta(0)
    return Period(
        hall.id,
        hall.name,
        hall.timezone,
        first,
        last,
        utc(first),
        utc(last + timedelta(days=1)),
        int(offset.total_seconds()),
    )


def is_city_supervisor(actor: Actor) -> bool:
    """A supervisor who is also the system administrator reads every hall (city view)."""
    return Role.SUPERVISOR in actor.roles and Role.SYSADMIN in actor.roles


def readable_halls(session: Session, actor: Actor) -> list[int]:
    """Ids of the halls whose statistics ``actor`` may read (city view: all, by code)."""
    if is_city_supervisor(actor):
        return list(session.scalars(select(Hall.id).order_by(Hall.code)))
    if actor.hall_id is not None and (
        actor.can(Permission.SUPERVISE) or actor.can(Permission.APPROVE)
    ):
        return [actor.hall_id]
    return []


def require_hall(session: Session, actor: Actor, hall_id: int, *, queue: bool = False) -> None:
    """Raise PermissionDenied unless ``actor`` may read hall ``hall_id``'s statistics.

    ``queue``: queue and clerk figures, which only supervisors read (an approver's
    department has no window of its own).
    """
    if hall_id not in readable_halls(session, actor):
        raise PermissionDenied("您没有查看该大厅统计的权限。")
    if queue and not actor.can(Permission.SUPERVISE):
        raise PermissionDenied("队列统计仅大厅管理员可查看。")


def department_limit(session: Session, actor: Actor) -> frozenset[int] | None:
    """The departments an approver (read-only department view) is limited to; None: all."""
    if actor.can(Permission.SUPERVISE):
        return None
    if not actor.departments:
        return frozenset()
    ids = session.scalars(select(Department.id).where(Department.code.in_(actor.departments)))
    return frozenset(ids)


def hall_today(db: Database, actor: Actor) -> date:
    """The actor's hall's calendar date now, by the database clock in the hall's time zone
    (what 本月 / 上月 / 本周 count from: a PC on UTC is a day behind Beijing after 16:00)."""
    if actor.hall_id is None:
        raise PermissionDenied("未指定大厅。")
    with db.read_only() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            raise NotFound("大厅不存在。")
        return clock.service_day(session, hall)
