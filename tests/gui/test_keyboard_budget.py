"""The counter's keyboard budget, measured on the real main window (issue 14).

A clerk's journey is driven by key presses sent to whatever widget has the focus, as a
keyboard would. Two kinds of keys are told apart:

- navigation keys, COUNTED: Tab, Enter, Esc, the function keys and shortcuts (F2, F9,
  Alt+A …), and any key that moves the cursor or presses a button;
- data, NOT counted: text typed into a field (Chinese arrives from the input method as
  committed text), and the keys that pick a value in a field (↓ in a closed 下拉框).

Limits: call → applicant by ID → 低保 form → materials → 受理 → receipt printed in at most
15 navigation keys (a new applicant, the ID typed at the counter); a 即办件 for a known
resident whose ID was given at the kiosk in at most 10. Each prints
``navigation keys: N`` (shown with ``pytest -s``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.db.models import Case, Ticket
from app.hall.setup import DEMO_PASSWORD
from app.people import residents, users
from app.people.residents import ResidentInput
from app.queue import queueing
from app.states import CaseState, TicketState
from tests.helpers.people import id_number
from ui.context import AppContext
from ui.counter import printing
from ui.counter.printing import PrintSheet
from ui.main_window import MainWindow

KEY_LIMIT = 15
INSTANT_KEY_LIMIT = 10


class Keyboard:
    """Keys sent to the focused widget; the navigation keys counted."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.navigation = 0
        self.log: list[str] = []

    def _focus(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, f"no widget has the focus after {self.log}"
        return widget

    def press(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        """A navigation key (counted)."""
        self.navigation += 1
        self.log.append(f"{modifier.name}+{key.name}" if modifier.value else key.name)
        self.qtbot.keyClick(self._focus(), key, modifier)

    def type(self, text: str) -> None:
        """Data: typed (ASCII) or committed by the input method (Chinese); not counted."""
        widget = self._focus()
        if text.isascii():
            self.qtbot.keyClicks(widget, text)
        elif isinstance(widget, QLineEdit):
            widget.insert(text)
        else:
            assert isinstance(widget, QPlainTextEdit), type(widget)
            widget.insertPlainText(text)

    def pick(self, steps: int) -> None:
        """Data: ↓ in a closed 下拉框 picks its value; not counted."""
        widget = self._focus()
        assert isinstance(widget, QComboBox), f"expected a 下拉框, the focus is on {widget!r}"
        for _ in range(steps):
            self.qtbot.keyClick(widget, Qt.Key.Key_Down)

    def focused(self) -> QWidget:
        """The widget the next key goes to."""
        return self._focus()


@pytest.fixture
def counter(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> Iterator[MainWindow]:
    """The clerk's main window at 1366×768, their window opened for the day with F8 (not
    counted: once a day, not per person)."""
    printing.configure(f"PDF:{tmp_path / 'printed.pdf'}")
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    window = MainWindow(ctx, clerk)
    qtbot.addWidget(window)
    window.resize(1366, 728)
    window.show()
    window.activateWindow()
    qtbot.waitExposed(window)
    panel = window.queue_panel
    qtbot.waitUntil(lambda: panel.window_id is not None)
    qtbot.waitUntil(lambda: panel.open_button.isEnabled())
    qtbot.keyClick(window, Qt.Key.Key_F8)  # 开窗, once a day: by key too, not counted
    qtbot.waitUntil(lambda: panel.buttons["call"].isEnabled())
    qtbot.waitUntil(lambda: len(window.intake_panel.services) > 40)
    window.handed_over = True  # closing at the end leaves the window as the test left it
    yield window
    printing.configure("")


def _print_sheets(qtbot: QtBot, keys: Keyboard, expected: int) -> None:
    """Each document shown is printed with Enter (counted)."""
    for _ in range(expected):
        qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), PrintSheet))
        sheet = QApplication.activeModalWidget()
        assert isinstance(sheet, PrintSheet)
        assert keys.focused() is sheet.print_button
        keys.press(Qt.Key.Key_Return)
        qtbot.waitUntil(lambda s=sheet: not s.isVisible())
        assert sheet.printed_to.endswith("printed.pdf")
        # The cursor is back in the counter: the clerk types on at once.
        qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)


def _ticket_state(ctx: AppContext, ticket_id: int) -> TicketState:
    with ctx.db.read_only() as s:
        t = s.get(Ticket, ticket_id)
        assert t is not None
        return t.state


def test_a_dibao_intake_from_a_called_ticket_within_15_navigation_keys(
    qtbot: QtBot, ctx: AppContext, counter: MainWindow
) -> None:
    hall = queueing.hall_by_code(ctx.db, "DEMO")
    ticket = queueing.issue_ticket(ctx.db, queueing.kiosk_actor(hall.id), "D")
    intake = counter.intake_panel
    keys = Keyboard(qtbot)
    number = id_number(date(1968, 4, 9), 41)

    keys.press(Qt.Key.Key_F2)  # 叫号: intake opens for the ticket
    qtbot.waitUntil(lambda: intake.ticket is not None and intake.ticket.id == ticket.id)
    assert keys.focused() is intake.applicant.id_edit
    keys.type(number)  # the 18th digit looks it up: a new person, the cursor goes to 姓名
    qtbot.waitUntil(lambda: QApplication.focusWidget() is intake.applicant.name_edit)
    keys.type("柳青禾")
    keys.press(Qt.Key.Key_Tab)
    keys.type("13800138041")
    keys.press(Qt.Key.Key_Tab)
    keys.type("示范区幸福路 8 号")
    keys.press(Qt.Key.Key_Return)  # 登记: the cursor goes on to the service search
    qtbot.waitUntil(lambda: QApplication.focusWidget() is intake.service_search)
    qtbot.waitUntil(lambda: _ticket_state(ctx, ticket.id) == TicketState.SERVING)
    keys.type("低保")
    keys.press(Qt.Key.Key_Return)  # the top hit: 最低生活保障申请, the cursor in its form
    assert intake.service is not None and intake.service.code == "MZ001"
    keys.type("3")  # 共同生活家庭人口
    keys.press(Qt.Key.Key_Tab)
    keys.type("1200")  # 家庭月总收入
    keys.press(Qt.Key.Key_Tab)
    keys.pick(2)  # 是否残疾: 否 — 残疾人证号 is then not asked, Tab passes it
    keys.press(Qt.Key.Key_Tab)
    keys.pick(2)  # 住房情况: 租房
    keys.press(Qt.Key.Key_Tab)
    keys.type("6222020200112233445")  # 补助金发放账户
    keys.press(Qt.Key.Key_Tab)
    keys.type("丈夫病故，本人无固定收入。")  # 申请理由
    keys.press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # 全部已收，原件已核验
    assert "可以受理" in intake.status.text(), intake.status.text()
    keys.press(Qt.Key.Key_F9)  # 受理
    _print_sheets(qtbot, keys, expected=1)  # the receipt, printed with Enter

    assert len(intake.visit_cases) == 1
    case_no = intake.visit_cases[0].case_no
    with ctx.db.read_only() as s:
        case = s.scalars(select(Case).where(Case.case_no == case_no)).one()
        assert case.ticket_id == ticket.id
    print(f"navigation keys: {keys.navigation}  ({' '.join(keys.log)})")
    assert keys.navigation <= KEY_LIMIT, keys.log


def test_an_instant_service_for_a_kiosk_id_within_10_navigation_keys(
    qtbot: QtBot, ctx: AppContext, counter: MainWindow
) -> None:
    clerk = counter.actor
    number = id_number(date(1990, 2, 3), 52, female=True)
    residents.save(ctx.db, clerk, ResidentInput(number, "岳小溪", "13900139052", "示范区东街 2 号"))
    hall = queueing.hall_by_code(ctx.db, "DEMO")
    ticket = queueing.issue_ticket(ctx.db, queueing.kiosk_actor(hall.id), "A", id_number=number)
    intake = counter.intake_panel
    keys = Keyboard(qtbot)

    keys.press(Qt.Key.Key_F2)  # 叫号: the kiosk's ID is looked up, the record prefilled
    qtbot.waitUntil(lambda: intake.applicant.resident is not None)
    assert intake.applicant.name_edit.text() == "岳小溪"
    assert intake.applicant.address_edit.text() == "示范区东街 2 号"
    qtbot.waitUntil(lambda: QApplication.focusWidget() is intake.service_search)
    keys.type("户籍证明")
    keys.press(Qt.Key.Key_Return)  # 户籍证明开具, a 即办件
    assert intake.service is not None and intake.service.code == "GA005"
    keys.pick(2)  # 证明类型: 亲属关系证明
    keys.press(Qt.Key.Key_Tab)
    keys.type("办理继承公证")  # 用途
    keys.press(Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    keys.press(Qt.Key.Key_F9)
    _print_sheets(qtbot, keys, expected=1)  # the 户籍证明 itself, handed over at once
    assert len(intake.visit_cases) == 1
    with ctx.db.read_only() as s:
        case = s.scalars(select(Case).where(Case.case_no == intake.visit_cases[0].case_no)).one()
        assert case.state == CaseState.DELIVERED  # not left waiting in 出件
    assert _ticket_state(ctx, ticket.id) == TicketState.SERVING
    keys.press(Qt.Key.Key_F2)  # 下一位: this ticket is finished (nobody else waits)
    qtbot.waitUntil(lambda: _ticket_state(ctx, ticket.id) == TicketState.DONE)
    print(f"navigation keys: {keys.navigation}  ({' '.join(keys.log)})")
    assert keys.navigation <= INSTANT_KEY_LIMIT, keys.log
