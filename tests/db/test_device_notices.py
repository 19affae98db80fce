"""Device notices: a display's start is audited, its problem reaches the supervisor only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import audit
from app.db import clock
from app.db.models import AuditEvent
from app.db.session import Database
from app.errors import PermissionDenied, ValidationError
from app.hall import devices, setup
from app.hall.devices import HALL_DISPLAY, NO_CHINESE_VOICE, NO_SOUND
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import queueing


def _hall(db: Database) -> int:
    return queueing.hall_by_code(db, "DEMO").id


def test_a_display_without_voice_leaves_one_notice_for_the_supervisor(db: Database) -> None:
    hall = _hall(db)
    devices.report_start(db, hall, HALL_DISPLAY, "HALL-TV-1", NO_CHINESE_VOICE)
    sup = users.login(db, "supervisor", DEMO_PASSWORD)
    [notice] = devices.device_notices(db, sup)
    assert notice.text == "大厅显示屏（HALL-TV-1）：未找到中文语音，仅提示音"
    assert notice.local_start.utcoffset() == timedelta(hours=8)  # Asia/Shanghai
    with db.read_only() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "device_started")).one()
        assert (event.hall_id, event.actor_name, event.entity) == (hall, "大厅显示屏", "device")
        assert event.note == "未找到中文语音，仅提示音"
    assert audit.ACTION_LABELS["device_started"] == "设备启动"
    assert audit.verify_chain(db).ok


def test_the_newest_start_of_each_display_counts(db: Database) -> None:
    hall = _hall(db)
    sup = users.login(db, "supervisor", DEMO_PASSWORD)
    devices.report_start(db, hall, HALL_DISPLAY, "TV-1", NO_CHINESE_VOICE)
    devices.report_start(db, hall, HALL_DISPLAY, "TV-2", NO_SOUND)
    assert [n.station for n in devices.device_notices(db, sup)] == ["TV-2", "TV-1"]
    devices.report_start(db, hall, HALL_DISPLAY, "TV-1", None)  # voice repaired, restarted
    [left] = devices.device_notices(db, sup)
    assert left.station == "TV-2" and left.text.endswith("叫号只显示、不发声")


def test_old_starts_and_other_halls_are_not_shown(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    hall = _hall(db)
    sup = users.login(db, "supervisor", DEMO_PASSWORD)
    with db.unit_of_work() as s:
        elsewhere = setup.ensure_hall(s, "EAST", "东城政务服务中心").id
        s.commit()
    devices.report_start(db, elsewhere, HALL_DISPLAY, "EAST-TV", NO_CHINESE_VOICE)
    assert devices.device_notices(db, sup) == []
    devices.report_start(db, hall, HALL_DISPLAY, "TV-OLD", NO_CHINESE_VOICE)
    assert len(devices.device_notices(db, sup)) == 1
    real_now = clock.now
    later = timedelta(days=devices.NOTICE_DAYS, minutes=1)
    monkeypatch.setattr(clock, "now", lambda s: real_now(s) + later)
    assert devices.device_notices(db, sup) == []


def test_only_known_devices_and_problems_and_only_supervisors(db: Database) -> None:
    hall = _hall(db)
    with pytest.raises(ValidationError):
        devices.report_start(db, hall, "toaster", "x", None)
    with pytest.raises(ValidationError):
        devices.report_start(db, hall, HALL_DISPLAY, "x", "<b>请到后台</b>")
    with pytest.raises(PermissionDenied):
        devices.device_notices(db, users.login(db, "clerk", DEMO_PASSWORD))
    # A PC name is kept as letters, digits and . _ - only, short enough for the record id.
    devices.report_start(db, hall, HALL_DISPLAY, "显示屏 <1>" + "x" * 60, NO_SOUND)
    [notice] = devices.device_notices(db, users.login(db, "supervisor", DEMO_PASSWORD))
    assert notice.station == "1" + "x" * 23
