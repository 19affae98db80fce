"""Defects a fresh tester found in the counter workspace (issue 14), each kept as a test.

Every test drives the real widgets on both backends (the ``ctx`` fixture over ``db``) and
asserts what a clerk should get.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from reportlab.pdfgen.canvas import Canvas

from app.db.models import Ticket, Window
from app.hall.setup import DEMO_PASSWORD
from app.people import residents, users
from app.people.residents import ResidentInput
from app.queue import queueing
from app.queue.queueing import TicketView
from app.states import TicketState
from tests.helpers.people import id_number
from ui.context import AppContext
from ui.counter import intake_panel as panel_module
from ui.counter import printing
from ui.counter.printing import PrintSheet
from ui.counter.queue_dialogs import LeaveDialog
from ui.main_window import MainWindow
from ui.widgets.confirm import Confirm


@pytest.fixture
def counter(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> Iterator[MainWindow]:
    """clerk's main window at 1366×768, window 1 opened with F8."""
    printing.configure(f"PDF:{tmp_path / 'printed.pdf'}")
    window = MainWindow(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    qtbot.waitExposed(window)
    panel = window.queue_panel
    qtbot.waitUntil(lambda: panel.open_button.isEnabled())
    qtbot.keyClick(window, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: panel.buttons["call"].isEnabled())
    qtbot.waitUntil(lambda: len(window.intake_panel.services) > 40)
    window.handed_over = True
    yield window
    printing.configure("")


def _issue(ctx: AppContext) -> TicketView:
    hall = queueing.hall_by_code(ctx.db, "DEMO")
    return queueing.issue_ticket(ctx.db, queueing.kiosk_actor(hall.id), "A")


def _settle(qtbot: QtBot, ctx: AppContext) -> None:
    qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=10_000)
    qtbot.wait(50)
    qtbot.waitUntil(lambda: ctx.ops.pending == 0, timeout=10_000)


def _ticket(ctx: AppContext, ticket_id: int) -> Ticket:
    with ctx.db.read_only() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        s.expunge(t)
        return t


def test_a_new_id_pasted_over_a_known_residents_is_not_accepted_for_the_old_resident(
    qtbot: QtBot, ctx: AppContext, counter: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DEFECT: select-all + paste (or a reader that sets the whole number) of a NEW
    person's ID over a known resident's keeps the old resident: name, address and the
    case's applicant stay the old person's while the ID field shows the new number."""
    monkeypatch.setattr(panel_module, "show_pdf", lambda *_a: None)
    intake = counter.intake_panel
    known = id_number(date(1960, 3, 3), 31)
    old = residents.save(
        ctx.db, counter.actor, ResidentInput(known, "老住户", "13900000031", "旧地址 1 号")
    )
    intake.start(None)
    a = intake.applicant
    a.id_edit.setText(known)
    qtbot.waitUntil(lambda: a.resident is not None)
    new_person = id_number(date(1990, 9, 9), 32)
    a.id_edit.selectAll()
    a.id_edit.insert(new_person)  # one edit: Ctrl+V, or a card reader filling the field
    _settle(qtbot, ctx)
    assert a.id_edit.text() == new_person
    assert a.resident is None or a.resident.id != old.id, (
        f"ID {new_person} on screen, but the applicant is still {a.resident.name}"
    )


def test_typing_on_while_the_id_lookup_runs_stays_where_it_was_typed(
    qtbot: QtBot, ctx: AppContext, counter: MainWindow
) -> None:
    """DEFECT: the clerk types the ID, Tab, the name, Tab and starts the phone before the
    lookup's reply is delivered (a busy worker, a slow network); the reply moves the
    cursor back to 姓名 and the rest of the phone lands in the name."""
    intake = counter.intake_panel
    intake.start(None)
    a = intake.applicant
    qtbot.keyClicks(a.id_edit, id_number(date(1975, 5, 5), 21))  # the lookup is queued
    a.name_edit.setFocus()
    a.name_edit.insert("张三")
    qtbot.keyClick(a.name_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is a.phone_edit
    qtbot.keyClicks(a.phone_edit, "1380")
    _settle(qtbot, ctx)  # the reply arrives
    qtbot.keyClicks(QApplication.focusWidget(), "0138000")
    assert (a.name_edit.text(), a.phone_edit.text()) == ("张三", "13800138000")


def _pdf() -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf)
    c.drawString(100, 700, "receipt")
    c.save()
    return buf.getvalue()


def test_printing_to_a_pdf_in_a_missing_folder_says_so_and_stays(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    """DEFECT: receipt_printer = PDF:<path> whose folder does not exist (or any printer
    QPainter cannot open): Enter closes the sheet as if printed; nothing was printed
    and nothing is said."""
    target = tmp_path / "no-such-folder" / "out.pdf"
    printing.configure(f"PDF:{target}")
    try:
        sheet = PrintSheet(_pdf(), "受理回执", None)
        qtbot.addWidget(sheet)
        sheet.show()
        qtbot.waitExposed(sheet)
        qtbot.keyClick(sheet.print_button, Qt.Key.Key_Return)
        assert not target.exists()
        assert sheet.isVisible() and sheet.message.text(), (
            f"closed as printed to {sheet.printed_to!r}; nothing was written"
        )
    finally:
        printing.configure("")


def test_next_with_nobody_waiting_clears_the_intake_the_clerk_agreed_to_clear(
    qtbot: QtBot, ctx: AppContext, counter: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DEFECT: F2 (下一位) while serving the last person: the clerk is asked "叫下一位将
    清空" and agrees; the ticket is finished, nobody waits — and the intake keeps the
    previous applicant, form, ticks and the finished ticket (the next walk-in's case
    would be tied to A001)."""
    t = _issue(ctx)
    intake, q = counter.intake_panel, counter.queue_panel
    q.act("call")
    _settle(qtbot, ctx)
    a = intake.applicant
    a.id_edit.setText(id_number(date(1970, 1, 1), 45))
    _settle(qtbot, ctx)
    a.name_edit.setText("前一位")
    a.save()
    qtbot.waitUntil(lambda: q.current is not None and q.current.state == TicketState.SERVING)
    intake.choose_service("MZ001")
    assert intake.form is not None
    intake.form.set_values({"household_size": "3"})
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda *_a: True))  # 清空并叫下一位
    qtbot.keyClick(counter, Qt.Key.Key_F2)
    _settle(qtbot, ctx)
    assert _ticket(ctx, t.id).state == TicketState.DONE
    assert q.message.text() == "没有等候的号。"
    assert intake.ticket is None and a.resident is None and intake.service is None


def test_logging_out_while_a_call_is_running_asks_where_the_ticket_goes(
    qtbot: QtBot, ctx: AppContext, counter: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DEFECT: F2 then 退出登录 before the call comes back: no LeaveDialog; the service
    refuses (“请选择 A001 的去向”, a choice never offered) and 仍要退出 leaves the window
    open under the clerk who left, A001 called at it."""
    t = _issue(ctx)
    counter.handed_over = False
    asked: list[str] = []
    monkeypatch.setattr(
        LeaveDialog, "ask", classmethod(lambda _c, tv, _p=None: asked.append(tv.code) or None)
    )
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda *_a: True))  # 仍要退出
    counter.queue_panel.act("call")  # F2 …
    counter.logout()  # … and log out at once
    # The log-out waits for the call and tries again (a timer): until it asked or left.
    qtbot.waitUntil(lambda: bool(asked) or counter.logout_requested, timeout=10_000)
    _settle(qtbot, ctx)
    with ctx.db.read_only() as s:
        window = s.get(Window, counter.queue_panel.window_id)
        assert window is not None
        held_by = window.clerk_id
    state = _ticket(ctx, t.id).state
    counter.handed_over = True
    assert asked == [t.code] or (held_by is None and state != TicketState.CALLED), (
        f"logged out={counter.logout_requested}, window held by {held_by}, {t.code} {state}"
    )


def test_after_a_crash_the_next_clerk_sees_whose_window_it_is_and_takes_it_over_with_f8(
    qtbot: QtBot, ctx: AppContext, counter: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The program is killed while clerk serves A001 (no 离岗). clerk2 logs in at that PC:
    the bar says whose window it is (not A001 as if it were clerk2's); F8 asks to take it
    over, and A001 goes back to its place in line."""
    t = _issue(ctx)
    q = counter.queue_panel
    q.act("call")
    _settle(qtbot, ctx)
    q.act("start")
    _settle(qtbot, ctx)
    counter.close()  # as after kill -9: nothing handed over
    second = MainWindow(ctx, users.login(ctx.db, "clerk2", DEMO_PASSWORD))
    qtbot.addWidget(second)
    second.show()
    q2 = second.queue_panel
    qtbot.waitUntil(lambda: q2.board is not None)
    second.handed_over = True
    assert q2.window_id == q.window_id  # the PC's window, still held by 王晓燕
    assert q2.code_label.text() == "—" and "王晓燕" in q2.ticket_info.text()
    asked: list[str] = []
    monkeypatch.setattr(
        Confirm, "ask", classmethod(lambda _c, _p, title, *_a: asked.append(title) or True)
    )
    qtbot.keyClick(second, Qt.Key.Key_F8)
    _settle(qtbot, ctx)
    assert asked == ["接管窗口"]
    assert "已接管" in q2.message.text()
    with ctx.db.read_only() as s:
        window = s.get(Window, q2.window_id)
        assert window is not None and window.clerk_id == second.actor.user_id
    assert _ticket(ctx, t.id).state == TicketState.TRANSFERRED  # back in line
    qtbot.waitUntil(lambda: q2.buttons["call"].isEnabled())
    qtbot.keyClick(second, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: q2.current is not None)
    assert q2.current is not None and q2.current.code == t.code  # called first


def test_tab_leaves_the_materials_table_and_digits_tick_rows(
    qtbot: QtBot, ctx: AppContext, counter: MainWindow
) -> None:
    """Tab used to stop at every tick, count and note of every row (4 stops a row)."""
    intake = counter.intake_panel
    intake.start(None)
    intake.choose_service("MZ001")
    qtbot.waitUntil(lambda: intake.checklist.rowCount() > 0)
    table = intake.checklist
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_2)
    box = table.received_box("hukou")
    assert box is not None and box.isChecked()
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    focus = QApplication.focusWidget()
    assert focus is not None and not table.isAncestorOf(focus), focus


def test_a_conditional_field_is_not_required_while_its_condition_is_unanswered(
    qtbot: QtBot, ctx: AppContext, counter: MainWindow
) -> None:
    """F9 on an empty 低保 form used to list 残疾人证号：必填 though 是否残疾 was unanswered."""
    intake = counter.intake_panel
    intake.start(None)
    intake.choose_service("MZ001")
    result = intake.check()
    assert result is not None
    assert "disability" in result.field_errors
    assert "disability_card_no" not in result.field_errors
