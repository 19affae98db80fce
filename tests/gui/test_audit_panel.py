"""The auditor's 审计日志 tab: Chinese words and names, filters with messages, pages, width.

Driven through the panel's own widgets (the filter bar's fields and buttons) on both
backends; the events come from a real counter morning (window, kiosk ticket, call,
resident, 低保 case, an ID shown in full) played through the services.
"""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from app.hall.setup import DEMO_PASSWORD
from app.people import residents, users
from app.queue import calling, queueing, windows
from app.roles import Role
from tests.helpers.dibao import accept_dibao, applicant
from tests.helpers.people import actor
from ui import audit_panel
from ui.audit_panel import AuditPanel
from ui.context import AppContext

OPERATOR, ACTION, RECORD, DETAILS = 2, 3, 4, 5


def _morning(ctx: AppContext) -> dict[str, str]:
    db = ctx.db
    clerk = actor(db)
    wid = next(w.id for w in windows.windows_of_hall(db, clerk) if w.number == 1)
    windows.open_window(db, clerk, wid)
    ticket = queueing.issue_ticket(db, queueing.kiosk_actor(clerk.hall_id), "A")
    called = calling.call_next(db, clerk, wid)
    assert called is not None
    person = applicant(db, name="李秀兰")
    case = accept_dibao(db, person)
    full_id = residents.reveal(db, actor(db, "clerk", Role.CLERK), person, "id_number")
    assert case.case_no is not None
    return {"ticket": ticket.code, "case_no": case.case_no, "full_id": full_id}


def _panel(qtbot: QtBot, ctx: AppContext) -> AuditPanel:
    panel = AuditPanel(ctx, users.login(ctx.db, "auditor", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() > 0 and panel.bar.operator.count() > 1)
    return panel


def _rows(panel: AuditPanel) -> list[list[str]]:
    t = panel.table
    return [
        [t.item(r, c).text() for c in range(t.columnCount())]  # type: ignore[union-attr]
        for r in range(t.rowCount())
    ]


def _ask(qtbot: QtBot, panel: AuditPanel) -> None:
    """Press 查询 and wait for the answer (a list, or a message)."""
    asked = panel._asked
    panel.bar.find_button.click()
    qtbot.waitUntil(lambda: panel.ctx.ops.pending == 0 and panel.status.text() != "正在查询…")
    assert panel._asked in (asked, asked + 1)


def _message(panel: AuditPanel, key: str) -> str:
    label = panel.bar.findChild(QLabel, f"error_{key}")
    assert label is not None
    return label.text() if label.isVisible() else ""


def test_rows_read_in_chinese_with_names_and_masked_ids(qtbot: QtBot, ctx: AppContext) -> None:
    day = _morning(ctx)
    panel = _panel(qtbot, ctx)
    rows = _rows(panel)
    call = next(r for r in rows if r[ACTION] == "叫号")
    assert call[OPERATOR] == "王晓燕（clerk）"
    assert call[RECORD].startswith(f"号票 {day['ticket']}（")
    assert "状态：等候中 → 已呼叫" in call[DETAILS]
    accept = next(r for r in rows if r[ACTION] == "受理")
    assert accept[RECORD] == f"办件 {day['case_no']}（最低生活保障申请）"
    shown = next(r for r in rows if r[ACTION] == "查看完整个人信息")
    full = day["full_id"]
    assert shown[RECORD] == f"申请人 李秀兰（{full[:6]}********{full[-4:]}）"
    assert next(r for r in rows if r[ACTION] == "取号")[OPERATOR] == "自助取号机"
    for row in rows:
        joined = " ".join(row)
        assert full not in joined
        assert not re.search(r"[a-z]+_[a-z]+", joined), joined  # no action codes or keys
    assert panel.status.text() == f"共 {len(rows)} 条（最新在前）。"
    assert not panel.more_button.isEnabled()
    panel.verify()  # the chain check still works beside the list
    qtbot.waitUntil(lambda: "审计链完整" in panel.result.text())


def test_filters_narrow_the_list_and_bad_input_is_told_at_its_field(
    qtbot: QtBot, ctx: AppContext
) -> None:
    day = _morning(ctx)
    panel = _panel(qtbot, ctx)
    bar = panel.bar
    everything = len(_rows(panel))

    bar.operator.setCurrentText("王晓燕")  # part of a name: the one match is taken
    _ask(qtbot, panel)
    rows = _rows(panel)
    assert bar.operator.currentText() == "王晓燕（clerk）"
    assert rows and {r[OPERATOR] for r in rows} == {"王晓燕（clerk）"} and len(rows) < everything

    bar.action.setCurrentText("叫号")
    _ask(qtbot, panel)
    assert [r[ACTION] for r in _rows(panel)] == ["叫号"]

    bar.clear_button.click()  # every condition back to all
    qtbot.waitUntil(lambda: len(_rows(panel)) >= everything)
    assert bar.operator.currentIndex() == 0 and bar.text.text() == ""

    bar.entity.setCurrentIndex(bar.entity.findText("办件"))
    bar.text.setText(day["case_no"])
    _ask(qtbot, panel)
    assert [r[ACTION] for r in _rows(panel)] == ["受理"]

    before = _rows(panel)
    bar.date_from.setText("2026-12-05")
    bar.date_to.setText("2026-12-01")
    _ask(qtbot, panel)
    assert "结束日期不能早于开始日期" in _message(panel, "date_to")
    assert bar.date_to.text() == "2026-12-01" and _rows(panel) == before  # nothing lost
    bar.date_to.setText("2026-13-01")
    _ask(qtbot, panel)
    assert "没有这一天" in _message(panel, "date_to") and _message(panel, "date_from") == ""
    bar.set_days(None, None)

    bar.text.setText("MZ20200101-9999")  # a case that does not exist: told by the service
    _ask(qtbot, panel)
    assert "没有找到与“MZ20200101-9999”相符的办件" in _message(panel, "text")
    assert _rows(panel) == [] and "未查询" in panel.status.text()  # no rows of another filter
    bar.text.setText("A1")
    _ask(qtbot, panel)
    assert "办件编号" in _message(panel, "text")
    bar.operator.setCurrentText("不存在的人")
    bar.text.setText(day["case_no"])
    _ask(qtbot, panel)
    assert "请从列表中选择操作人" in _message(panel, "operator")
    assert _message(panel, "text") == ""  # one message at a time: the field now wrong


def test_load_more_appends_the_next_page(qtbot: QtBot, ctx: AppContext) -> None:
    _morning(ctx)
    panel = _panel(qtbot, ctx)
    everything = _rows(panel)
    panel.page_size = 4
    panel.reload()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 4)
    assert panel.more_button.isEnabled() and "加载更多" in panel.status.text()
    while panel.more_button.isEnabled():
        shown = panel.table.rowCount()
        panel.more_button.click()
        qtbot.waitUntil(lambda shown=shown: panel.table.rowCount() > shown or _done(panel))
    assert [r[0] for r in _rows(panel)] == [r[0] for r in everything]
    assert panel.status.text() == f"共 {len(everything)} 条（最新在前）。"


def test_the_list_stops_growing_at_its_limit(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    _morning(ctx)
    panel = _panel(qtbot, ctx)
    monkeypatch.setattr(audit_panel, "MAX_ROWS", 6)
    panel.page_size = 4
    panel.reload()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 4)
    panel.more_button.click()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 8)
    assert not panel.more_button.isEnabled()
    assert "更早的记录请用日期、操作人等条件查询" in panel.status.text()


def _done(panel: AuditPanel) -> bool:
    return panel.ctx.ops.pending == 0 and not panel.more_button.isEnabled()


def test_the_list_fits_a_1366_screen_without_scrolling_sideways(
    qtbot: QtBot, ctx: AppContext
) -> None:
    _morning(ctx)
    panel = _panel(qtbot, ctx)
    for width, height in ((1366, 700), (1920, 1000)):
        panel.resize(width, height)
        qtbot.waitUntil(lambda width=width: panel.width() == width)
        assert panel.table.horizontalScrollBar().maximum() == 0
        for child in panel.findChildren(QWidget):
            if child.isVisible():
                right = child.mapTo(panel, child.rect().bottomRight())
                assert right.x() <= panel.width() and right.y() <= panel.height(), child


def test_the_anchor_sheet_is_printed_from_the_panel(qtbot: QtBot, ctx: AppContext) -> None:
    panel = _panel(qtbot, ctx)
    qtbot.mouseClick(panel.sheet_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(panel, "preview", None) is not None)
    assert panel.preview.pdf.startswith(b"%PDF") and panel.preview.windowTitle() == "审计锚点单"
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    assert panel.sheet_button.isEnabled()
    panel.preview.close()
