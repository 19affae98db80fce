"""诉求事件 screens (issue 19), on both backends: the counter reports an event and prints its
receipt; 市政's staff sign it and feed back (a result too short refused under its field);
the dispatcher checks and closes it — each step by its key. A grid worker's report waits
for the dispatcher, who accepts it and dispatches it through the form; 退单 comes back."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db.session import Database
from app.incidents import lists
from app.people import users
from tests.helpers.pdf import pdf_text
from ui.context import AppContext
from ui.incidents.report_dialog import ReportDialog
from ui.incidents.step_dialogs import StepForm
from ui.incidents.workspace import IncidentsWorkspace


def _workspace(qtbot: QtBot, ctx: AppContext, username: str) -> IncidentsWorkspace:
    ws = IncidentsWorkspace(ctx, users.demo_actor(ctx.db, username))
    qtbot.addWidget(ws)
    ws.resize(1366, 700)
    ws.show()
    ws.activateWindow()
    qtbot.waitUntil(lambda: ws.loaded and ctx.ops.pending == 0, timeout=20_000)
    return ws


def _settled(qtbot: QtBot, ctx: AppContext) -> None:
    qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=20_000)


def _file_of(qtbot: QtBot, ctx: AppContext, ws: IncidentsWorkspace, number: str) -> None:
    """The event ``number`` shown in the file pane."""
    _settled(qtbot, ctx)
    qtbot.waitUntil(
        lambda: ws.pane.file is not None and ws.pane.file.row.number == number, timeout=20_000
    )


def _form(qtbot: QtBot, ws: IncidentsWorkspace) -> StepForm:
    qtbot.waitUntil(lambda: ws.steps.dialog is not None, timeout=5_000)
    dialog = ws.steps.dialog
    assert isinstance(dialog, StepForm)
    return dialog


def test_from_the_counter_to_closed_by_keys(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    printed: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        "ui.incidents.steps.show_pdf", lambda _p, pdf, title: printed.append((pdf, title))
    )
    counter = _workspace(qtbot, ctx, "clerk")
    qtbot.keyClick(counter, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: counter.report_dialog is not None, timeout=5_000)
    dialog = counter.report_dialog
    assert isinstance(dialog, ReportDialog)
    dialog.kind.setCurrentText("市政设施 · 井盖缺失破损")
    dialog.grid.setText("幸福社区第一网格")  # QTest types Latin-1 only
    dialog.address.setText("幸福路 3 号门口")
    dialog.description.setPlainText("坏了")
    dialog.name.setText("张三")
    dialog.submit()
    _settled(qtbot, ctx)
    assert dialog.errors.message_for("description") == "请描述问题（至少 4 个字）。"
    assert dialog.address.text() == "幸福路 3 号门口"  # nothing typed is lost
    dialog.description.setPlainText("井盖缺失，有人差点掉下去")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.moved is not None, timeout=20_000)
    assert dialog.moved is not None
    number = dialog.moved.number
    qtbot.waitUntil(lambda: len(printed) == 1, timeout=20_000)
    assert number in pdf_text(printed[0][0], tmp_path).replace(" ", "")
    _file_of(qtbot, ctx, counter, number)
    assert counter.mode() == "mine" and counter.rows[0].lead == "市政设施管理处"

    department = _workspace(qtbot, ctx, "shizheng")
    _file_of(qtbot, ctx, department, number)
    assert department.steps.buttons["sign"].isVisible()
    assert not department.steps.buttons["feed_back"].isVisible()
    qtbot.keyClick(department, Qt.Key.Key_F3)  # 签收
    qtbot.waitUntil(
        lambda: (
            department.pane.file is not None and department.pane.file.row.state_label == "处置中"
        ),
        timeout=20_000,
    )
    qtbot.keyClick(department, Qt.Key.Key_F9)  # 处置反馈…
    feedback = _form(qtbot, department)
    feedback.inputs[0].insertPlainText("好了")  # type: ignore[attr-defined]
    feedback.submit()
    _settled(qtbot, ctx)
    assert feedback.errors.message_for("result") == "请写明处置结果（至少 4 个字）。"
    feedback.inputs[0].insertPlainText("，已更换新井盖")  # type: ignore[attr-defined]
    qtbot.keyClick(feedback.inputs[0], Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: department.steps.dialog is None, timeout=20_000)
    _settled(qtbot, ctx)
    assert department.rows == []  # waiting for 核查 now, no longer the department's

    dispatcher = _workspace(qtbot, ctx, "paidan")
    _file_of(qtbot, ctx, dispatcher, number)
    assert dispatcher.rows[0].state_label == "待核查"
    qtbot.keyClick(dispatcher, Qt.Key.Key_F9)  # 核查通过
    qtbot.waitUntil(lambda: dispatcher.rows == [], timeout=20_000)
    assert "已结案" in dispatcher.pane.status.text()
    qtbot.keyClick(dispatcher, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # 已结束
    qtbot.waitUntil(lambda: [r.number for r in dispatcher.rows] == [number], timeout=20_000)
    _file_of(qtbot, ctx, dispatcher, number)
    assert dispatcher.pane.file is not None and dispatcher.pane.file.row.state_label == "已结案"
    stages = [s.state_label for s in dispatcher.pane.file.stages]
    assert stages == ["已上报", "已受理", "已派遣", "处置中", "待核查", "已结案"]


def test_a_grid_report_is_dispatched_by_hand_and_sent_back(
    qtbot: QtBot, ctx: AppContext, db: Database
) -> None:
    from app.incidents import reporting
    from tests.helpers.incidents import COVER

    care = users.demo_actor(db, "care")
    waiting = reporting.report(
        db,
        care,
        replace(COVER, channel="grid", subtype="LLJF02", grid="和平里第二网格"),
    )
    dispatcher = _workspace(qtbot, ctx, "paidan")
    _file_of(qtbot, ctx, dispatcher, waiting.number)
    qtbot.keyClick(dispatcher, Qt.Key.Key_F3)  # 受理: the catalog cannot decide here
    qtbot.waitUntil(
        lambda: (
            dispatcher.pane.file is not None and dispatcher.pane.file.row.state_label == "已受理"
        ),
        timeout=20_000,
    )
    qtbot.keyClick(dispatcher, Qt.Key.Key_F4)  # 派遣…
    form = _form(qtbot, dispatcher)
    form.submit()  # no department chosen
    _settled(qtbot, ctx)
    assert form.errors.message_for("lead") == "请选择主办部门。"
    lead = form.inputs[0]
    lead.setCurrentIndex(lead.findData("SZ"))  # type: ignore[attr-defined]
    form.submit()
    qtbot.waitUntil(lambda: dispatcher.steps.dialog is None, timeout=20_000)
    department = _workspace(qtbot, ctx, "shizheng")
    _file_of(qtbot, ctx, department, waiting.number)
    qtbot.keyClick(department, Qt.Key.Key_F6)  # 退单…
    back = _form(qtbot, department)
    back.inputs[0].setText("邻里漏水不属市政管辖")  # type: ignore[attr-defined]
    qtbot.keyClick(back.inputs[0], Qt.Key.Key_Return)  # Enter confirms a one-line reason
    qtbot.waitUntil(lambda: department.rows == [], timeout=20_000)
    row = next(
        r for r in lists.board(db, users.demo_actor(db, "paidan")) if r.number == waiting.number
    )
    assert row.state_label == "已退单"


def test_the_housekeeping_round_escalates_to_the_supervisor_and_says_so(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import timedelta

    from app.hall.setup import DEMO_PASSWORD
    from app.incidents import reporting
    from tests.helpers.incidents import COVER, START, fixed_clock
    from ui.main_window import MainWindow

    move = fixed_clock(monkeypatch)
    late = reporting.report(ctx.db, users.demo_actor(ctx.db, "clerk"), COVER)  # 签收 by 11:00
    move(START + timedelta(hours=2))
    window = MainWindow(ctx, users.login(ctx.db, "supervisor", DEMO_PASSWORD))
    qtbot.addWidget(window)
    window.show()
    _settled(qtbot, ctx)  # the screens' first reads (a round waits while any runs)
    window.run_housekeeping()
    qtbot.waitUntil(
        lambda: "1 件诉求事件本环节超时" in window.statusBar().currentMessage(), timeout=20_000
    )
    ws = window.incidents_workspace
    window.tabs.setCurrentWidget(ws)
    _settled(qtbot, ctx)
    assert [m for m, _label in ws.modes] == ["open", "closed", "escalated"]
    ws.mode_group.button(2).click()
    qtbot.waitUntil(lambda: [r.number for r in ws.rows] == [late.number], timeout=20_000)
    assert ws.rows[0].escalated and ws.rows[0].light == "red"


def test_photos_show_as_thumbnails_however_often_the_list_reloads(
    qtbot: QtBot, ctx: AppContext, db: Database
) -> None:
    import io

    from PIL import Image

    from app.incidents import reporting
    from app.materials.intake import prepare_page
    from tests.helpers.incidents import COVER

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "red").save(buffer, "PNG")
    photo = prepare_page(buffer.getvalue(), "现场.png")
    moved = reporting.report(db, users.demo_actor(db, "clerk"), replace(COVER, photos=(photo,)))
    dispatcher = _workspace(qtbot, ctx, "paidan")
    for _ in range(3):  # answers for earlier reads arrive after the list was shown again
        dispatcher.refresh()
    _file_of(qtbot, ctx, dispatcher, moved.number)
    _settled(qtbot, ctx)
    photos = dispatcher.pane.photos
    assert photos.count() == 1
    qtbot.waitUntil(lambda: not photos.item(0).icon().isNull(), timeout=20_000)
