"""The hall's unattended devices (大厅显示屏 …) and the notices they leave for the supervisor.

A device that nobody attends cannot tell the hall what is wrong with it on its own screen:
the hall display's screen is public, and "no Chinese voice" is a matter for the supervisor,
not for the residents. So each time a device starts it reports how it is (:func:`report_start`)
and the supervisor's 大厅监控 shows the problems (:func:`device_notices`).

The reports are kept in the audit trail (action ``device_started``, record ``device`` with
the device and its PC as id): no table of their own, and the trail says when each device
started and how. A device's newest start counts: a display restarted with its voice
repaired clears its notice. Problems are codes from :data:`PROBLEMS`, never text a device
sends, so nothing but these sentences reaches the supervisor's screen.

May import what ``app.hall`` may (the foundation, ``app.db``, ``app.audit``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app import audit
from app.actor import Actor
from app.audit.labels import DEVICE_LABELS, DEVICE_PROBLEM_LABELS
from app.db import clock
from app.db.models import AuditEvent, Hall
from app.db.session import Database
from app.errors import NotFound, ValidationError
from app.roles import Permission

DEVICE_STARTED = "device_started"
HALL_DISPLAY = "hall_display"
DEVICES = DEVICE_LABELS  # one wording, the auditor's too
NO_CHINESE_VOICE = "no_chinese_voice"
NO_SOUND = "no_sound"
PROBLEMS = DEVICE_PROBLEM_LABELS
assert HALL_DISPLAY in DEVICES and {NO_CHINESE_VOICE, NO_SOUND} <= PROBLEMS.keys()
# A start older than this no longer speaks for the device (a PC on for weeks is rare; a
# display PC taken out of service must not warn forever).
NOTICE_DAYS = 14
_STATION = re.compile(r"[^A-Za-z0-9._-]")
_STATION_MAX = 24  # entity_id holds 40 characters: "hall_display@" + the PC's name


@dataclass(frozen=True)
class DeviceNotice:
    """A device whose newest start reported a problem.

    ``started_at`` is the start's server time as naive UTC; ``local_start`` gives it in the
    hall's time zone.
    """

    device: str  # HALL_DISPLAY
    station: str  # the PC's name, as the device gave it ("" if none)
    problem: str  # a key of PROBLEMS
    started_at: datetime
    timezone: str = "Asia/Shanghai"

    @property
    def text(self) -> str:
        """``大厅显示屏（DISPLAY-PC）：未找到中文语音，仅提示音``."""
        where = f"（{self.station}）" if self.station else ""
        return f"{DEVICES.get(self.device, self.device)}{where}：{PROBLEMS[self.problem]}"

    @property
    def local_start(self) -> datetime:
        """When the device started, in the hall's time zone."""
        return self.started_at.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(self.timezone))


def device_actor(hall_id: int, device: str) -> Actor:
    """Who acts for an unattended device (no log-in), as the kiosk does."""
    return Actor(user_id=None, username=device, full_name=DEVICES[device], hall_id=hall_id)


def station_name(raw: str) -> str:
    """A PC's name as it is kept: ASCII letters, digits, ``.``, ``_`` and ``-``, ≤ 24."""
    return _STATION.sub("", raw)[:_STATION_MAX]


def report_start(
    db: Database, hall_id: int, device: str, station: str, problem: str | None
) -> None:
    """Record that ``device`` started on PC ``station`` of the hall, with ``problem`` or none.

    Called once per start of the device. One transaction, one audit event. Raises
    :class:`ValidationError` for an unknown device or problem code, :class:`NotFound` for
    an unknown hall, :class:`EnvironmentProblem` when the database is away.
    """
    if device not in DEVICES:
        raise ValidationError(f"未知的设备：{device}", "device")
    if problem is not None and problem not in PROBLEMS:
        raise ValidationError(f"未知的设备问题：{problem}", "problem")
    station = station_name(station)
    with db.unit_of_work() as session:
        if session.get(Hall, hall_id) is None:
            raise NotFound("大厅不存在。")
        audit.record(
            session,
            device_actor(hall_id, device),
            DEVICE_STARTED,
            "device",
            f"{device}@{station}",
            after={"device": device, "station": station, "problem": problem},
            note=PROBLEMS[problem] if problem else "",
        )
        session.commit()


def device_notices(db: Database, actor: Actor) -> list[DeviceNotice]:
    """The problems the hall's devices reported at their newest start, newest first.

    Supervisors only (:class:`PermissionDenied` otherwise). Starts older than
    :data:`NOTICE_DAYS` are not looked at.
    """
    actor.require(Permission.SUPERVISE)
    with db.read_only() as session:
        hall = session.get(Hall, actor.hall_id)
        if hall is None:
            raise NotFound("大厅不存在。")
        since = clock.now(session) - timedelta(days=NOTICE_DAYS)
        starts = session.execute(
            select(AuditEvent.entity_id, AuditEvent.at, AuditEvent.after)
            .where(
                AuditEvent.action == DEVICE_STARTED,
                AuditEvent.hall_id == hall.id,
                AuditEvent.at >= since,
            )
            .order_by(AuditEvent.id.desc())
        ).all()
        timezone = hall.timezone
    notices: list[DeviceNotice] = []
    seen: set[str] = set()
    for entity_id, at, after in starts:
        if entity_id in seen:
            continue  # an older start of the same device
        seen.add(entity_id)
        data = after or {}
        problem = data.get("problem")
        if problem in PROBLEMS:
            notices.append(
                DeviceNotice(
                    str(data.get("device", "")), str(data.get("station", "")), problem, at, timezone
                )
            )
    return notices
