"""统计's ranges count from the hall's calendar date, not the PC's: at 01:00 on 1 December in
Beijing a PC on UTC still says 30 November, and 本月 must be December (issue 17's QA)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from pytestqt.qtbot import QtBot

from app.db import clock
from app.people import users
from ui.context import AppContext
from ui.stats.workspace import StatsWorkspace


def test_this_month_is_the_halls_month(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(clock, "now", lambda _s: datetime(2026, 11, 30, 17, 0))  # UTC
    w = StatsWorkspace(ctx, users.demo_actor(ctx.db, "supervisor"))
    qtbot.addWidget(w)
    w.preset.setCurrentIndex(w.preset.findData("this_month"))
    w.show()
    qtbot.waitUntil(lambda: w.today == date(2026, 12, 1) and ctx.ops.pending == 0)
    assert w.first.date().toPython() == date(2026, 12, 1)
