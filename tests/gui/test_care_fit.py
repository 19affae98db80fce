"""探访关爱's screens fit 1366×768 and 1920×1080 (both backends), with a worker's list
that has every section: the due list and the profiles list (maximised), the profile on
each of its tabs, the visit dialog, the new-person step, the small forms, the route
sheet's print sheet, and the supervisor's tab bar with 探访关爱 in it.

Set ``ONEWINDOW_SCREENSHOTS=DIR`` to keep the PNGs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.care import duelist, plans, profiles, visits
from app.care.views import Contact, ProfileInput, VisitInput
from app.db import clock
from app.db.session import Database, db_now
from app.people import residents, users
from printing import route_sheet
from tests.gui import screen_fit
from tests.gui.screen_fit import Desk, Kind
from tests.helpers.people import id_number
from ui.care.profile_dialog import ProfileDialog
from ui.care.workspace import CareWorkspace
from ui.context import AppContext
from ui.counter.printing import PrintSheet
from ui.main_window import MainWindow

PEOPLE = (  # name, tier, days since the profile was made (its first visit was due then)
    ("张桂英", "high", 9),
    ("李秀兰", "key", 3),
    ("王德福", "high", 0),
    ("赵𠮷祥", "general", 0),
    ("欧阳建华", "key", -2),
)


def _seed(db: Database, monkeypatch: pytest.MonkeyPatch) -> int:
    """Five people with plans in every section, one with a long visit history; returns
    the id of 张桂英's profile."""
    care = users.demo_actor(db, "care")
    now = db_now_of(db)
    first = 0
    for n, (name, tier, ago) in enumerate(PEOPLE):
        with monkeypatch.context() as m:
            m.setattr(clock, "now", lambda _s, ago=ago: now - timedelta(days=max(ago, 0)))
            number = id_number(date(1936 + n, 2, 1), 60 + n, female=n % 2 == 0)
            address = f"和平里街道兴化西里 {n + 3} 号楼 {n + 1} 单元 50{n} 室"
            data = residents.ResidentInput(number, name, f"1390000{n:04d}", address)
            rid = residents.save(db, care, data).id
            inp = ProfileInput(
                rid,
                ("alone", "disabled_elderly") if n % 2 == 0 else ("empty_nest",),
                tier,
                "本人",
                name,
                health="高血压、糖尿病，行走需拐杖" if n == 0 else "",
                needs="助餐；想申请高龄津贴" if n == 0 else "助浴",
                contacts=(Contact("王芳", "子女", "13800001111"),),
                grid="兴化第三网格",
                worker_id=care.user_id,
            )
            pid = profiles.save_profile(db, care, inp).id
            if ago < 0:
                plans.add_plan(db, care, pid, "phone", "daily", starts_on=None)
            first = first or pid
    for day in (8, 6, 4):
        with monkeypatch.context() as m:
            m.setattr(clock, "now", lambda _s, day=day: now - timedelta(days=day))
            findings = {"health": "血压 150/95，按时服药", "hazards": "燃气灶软管老化"}
            visits.record_visit(
                db,
                care,
                VisitInput(first, "phone", findings, "联系燃气公司上门更换", "下周带血压计复测"),
            )
    visits.record_event(db, care, first, "hospital", "脑梗入住区医院观察")
    return first


def db_now_of(db: Database) -> datetime:
    with db.read_only() as s:
        return db_now(s)


def _fit(env: list[str], top: QWidget, desk: Desk, kind: Kind, name: str, tmp: Path) -> None:
    QApplication.processEvents()
    shot = screen_fit.screenshot(top, f"care-{name}-{desk.name}", tmp)
    found = screen_fit.misfits(top, desk.room(kind))
    env += [f"{name} ({shot}): {f}" for f in found]


@pytest.mark.parametrize("desk_name", list(screen_fit.DESKS))
def test_the_care_screens_fit(
    qtbot: QtBot,
    ctx: AppContext,
    app_style: None,
    desk_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the offscreen desks are not configured")
    pid = _seed(ctx.db, monkeypatch)
    found: list[str] = []

    def settle() -> None:
        qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=20_000)
        QApplication.processEvents()

    window = MainWindow(ctx, users.demo_actor(ctx.db, "care"))
    qtbot.addWidget(window)
    screen_fit.place(window, desk, Kind.WORKSPACE)
    settle()
    ws: CareWorkspace = window.care_workspace
    assert {r.bucket for r in ws.due_panel.row_of.values()} == {"overdue", "today", "soon"}
    _fit(found, window, desk, Kind.WORKSPACE, "due", tmp_path)
    ws.due_panel.everyone.setChecked(True)
    settle()
    _fit(found, window, desk, Kind.WORKSPACE, "due-everyone", tmp_path)
    ws.tabs.setCurrentWidget(ws.profiles_panel)
    settle()
    _fit(found, window, desk, Kind.WORKSPACE, "profiles", tmp_path)

    def dialog(name: str, make: Callable[[], QWidget | None]) -> None:
        top = make()
        assert top is not None, name
        top.hide()
        screen_fit.place(top, desk, Kind.DIALOG)
        settle()
        _fit(found, top, desk, Kind.DIALOG, name, tmp_path)
        top.hide()

    ws.open_profile(pid)
    qtbot.waitUntil(lambda: ws.profile_dialog is not None)
    profile = ws.profile_dialog
    assert isinstance(profile, ProfileDialog)
    for i, name in enumerate(("profile-form", "profile-plans", "profile-events", "profile-visits")):
        profile.tabs.setCurrentIndex(i)
        if i == 3:
            profile.visits.table.selectRow(0)
        dialog(name, lambda: profile)
    profile.tabs.setCurrentIndex(0)
    dialog("visit", profile.record_visit)
    dialog("add-plan", profile.plans.add_plan)
    dialog("event", profile.events.add_event)
    dialog("state", profile.change_state)
    dialog("add-group", profile.add_group)
    profile.visits.table.selectRow(0)
    dialog("cancel-visit", profile.visits.cancel_selected)
    dialog("new-person", ws.new_profile)
    care = users.demo_actor(ctx.db, "care")
    pdf = route_sheet.render(duelist.due_list(ctx.db, care))
    dialog("route-sheet", lambda: PrintSheet(pdf, "走访路线单"))

    boss = MainWindow(ctx, users.demo_actor(ctx.db, "supervisor"))
    qtbot.addWidget(boss)
    labels = [boss.tabs.tabText(i) for i in range(boss.tabs.count())]
    boss.tabs.setCurrentIndex(labels.index("探访关爱"))
    screen_fit.place(boss, desk, Kind.WORKSPACE)
    settle()
    _fit(found, boss, desk, Kind.WORKSPACE, "supervisor", tmp_path)
    for top in (window, boss):
        top.hide()
    assert not found, "\n  ".join(found)
