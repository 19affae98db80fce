"""No traps (issue 14, item 5): the keys a person presses first do what they expect.

Driven by keyboard events on purpose: what is tested is where typing and Enter land.
Log-in typed straight away; Enter submits and never quits; every dialog opens with the
cursor in its first input; 过号 and 撤回申请 ask, Enter answers "no"; 查找申请人
searches on Enter and takes a result on Enter, in the same dialog.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.cases import casefile
from app.hall.setup import DEMO_PASSWORD
from app.people import residents, user_admin, users
from app.people.residents import ResidentInput
from app.queue import queueing, windows
from app.states import CaseState, TicketState
from tests.helpers.dibao import accept_dibao
from ui.admin.users_panel import ResetPasswordDialog, UserDialog
from ui.casefile.view import CaseView
from ui.context import AppContext
from ui.counter.applicant_dialogs import RareCharDialog, SearchDialog
from ui.counter.applicant_panel import ApplicantPanel
from ui.counter.queue_dialogs import TransferDialog
from ui.counter.queue_panel import QueuePanel
from ui.idle_lock import LockDialog
from ui.kiosk.kiosk_window import SupervisorExitDialog
from ui.login import ChangePasswordDialog, FirstAdminDialog, LoginDialog
from ui.supervisor.notice_dialog import NoticeDialog
from ui.supervisor.window_dialog import WindowDialog
from ui.widgets.confirm import Confirm

ENTER = Qt.Key.Key_Return


def _shown(qtbot: QtBot, dialog: QWidget) -> QWidget:
    """Show ``dialog`` as the launcher does; the widget the keyboard now types into."""
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    # The dialog's own input: a window an earlier test of this worker left open may hold
    # the focus for a moment (seen once in CI, where the keys then went to it).
    qtbot.waitUntil(
        lambda: (w := QApplication.focusWidget()) is not None and dialog.isAncestorOf(w)
    )
    focused = QApplication.focusWidget()
    assert focused is not None
    return focused


def test_login_typed_straight_away_and_enter_logs_in(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = LoginDialog(ctx)
    typing = _shown(qtbot, dialog)
    qtbot.keyClicks(typing, "clerk")
    assert dialog.username.text() == "clerk"  # nothing typed is lost
    qtbot.keyClick(QApplication.focusWidget(), ENTER)  # Enter in the user field: on to 密码
    assert QApplication.focusWidget() is dialog.password
    assert dialog.isVisible() and dialog.errors.message_for("password") == ""
    qtbot.keyClicks(dialog.password, DEMO_PASSWORD)
    qtbot.keyClick(dialog.password, ENTER)
    qtbot.waitUntil(lambda: dialog.actor is not None)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.actor is not None and dialog.actor.username == "clerk"


def test_enter_on_an_empty_login_says_so_and_stays(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = LoginDialog(ctx)
    typing = _shown(qtbot, dialog)
    with qtbot.assertNotEmitted(dialog.finished):
        qtbot.keyClick(typing, ENTER)
    assert dialog.isVisible()
    assert dialog.errors.message_for("username") == "请输入用户名。"
    assert QApplication.focusWidget() is dialog.username
    qtbot.keyClicks(dialog.username, "clerk")
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.password
    qtbot.keyClick(dialog.password, ENTER)
    assert dialog.isVisible() and dialog.errors.message_for("password") == "请输入密码。"
    quit_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    assert quit_button.text() == "退出"
    assert not quit_button.isDefault() and not quit_button.autoDefault()


Family = tuple[str, Callable[[], QDialog], Callable[[QDialog], QWidget]]


def _dialogs(ctx: AppContext) -> list[Family]:
    """Each dialog a person opens, and the input typing must start in."""
    admin = users.login(ctx.db, "admin", DEMO_PASSWORD)
    supervisor = users.login(ctx.db, "supervisor", DEMO_PASSWORD)
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    board = windows.board(ctx.db, queueing.hall_by_code(ctx.db, "DEMO").id)
    user = user_admin.list_users(ctx.db, admin)[0]
    return [
        ("登录", lambda: LoginDialog(ctx), lambda d: d.username),  # type: ignore[attr-defined]
        ("初始管理员", lambda: FirstAdminDialog(ctx), lambda d: d.username),  # type: ignore[attr-defined]
        ("修改密码", lambda: ChangePasswordDialog(ctx, clerk, True), lambda d: d.old),  # type: ignore[attr-defined]
        ("新建用户", lambda: UserDialog(ctx, admin, {}), lambda d: d.username),  # type: ignore[attr-defined]
        ("编辑用户", lambda: UserDialog(ctx, admin, {}, user), lambda d: d.full_name),  # type: ignore[attr-defined]
        ("重置密码", lambda: ResetPasswordDialog(ctx, admin, user), lambda d: d.password),  # type: ignore[attr-defined]
        ("窗口", lambda: WindowDialog(ctx, supervisor, board.queues), lambda d: d.number),  # type: ignore[attr-defined]
        ("公告", lambda: NoticeDialog(ctx, supervisor, "旧公告"), lambda d: d.text),  # type: ignore[attr-defined]
        ("屏幕锁定", lambda: LockDialog(ctx, clerk), lambda d: d.password),  # type: ignore[attr-defined]
        ("退出自助取号", lambda: SupervisorExitDialog(ctx), lambda d: d.username),  # type: ignore[attr-defined]
        ("生僻字", lambda: RareCharDialog(), lambda d: d.code),  # type: ignore[attr-defined]
        ("查找申请人", lambda: SearchDialog(ctx, clerk), lambda d: d.query),  # type: ignore[attr-defined]
        ("转窗", lambda: TransferDialog(board, None), lambda d: d.target),  # type: ignore[attr-defined]
    ]


def test_every_dialog_opens_in_its_first_input(qtbot: QtBot, ctx: AppContext) -> None:
    wrong = []
    for name, make, first in _dialogs(ctx):
        dialog = make()
        focused = _shown(qtbot, dialog)
        expected = first(dialog)
        if focused is not expected and focused.focusProxy() is not expected:
            wrong.append(f"{name}: {type(focused).__name__} {focused.objectName()}")
        elif isinstance(expected, QLineEdit) and expected.echoMode() == QLineEdit.EchoMode.Normal:
            before = expected.text()
            qtbot.keyClicks(focused, "w")
            assert expected.text() == before + "w", name  # typing lands there
        if isinstance(dialog, LockDialog):
            dialog.logout_requested = True  # only its own buttons close it
        dialog.reject()
        dialog.close()
    assert wrong == []


def _serving_panel(qtbot: QtBot, ctx: AppContext) -> QueuePanel:
    """The clerk's queue panel with window 1 open and A001 called."""
    kiosk = queueing.kiosk_actor(queueing.hall_by_code(ctx.db, "DEMO").id)
    queueing.issue_ticket(ctx.db, kiosk, "A")
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    panel = QueuePanel(ctx, clerk)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.board is not None)
    assert panel.board is not None
    first = next(w for w in panel.board.windows if w.number == 1)
    panel.window_combo.setCurrentIndex(panel.window_combo.findData(first.id))
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.buttons["call"].isEnabled())
    panel.act("call")
    qtbot.waitUntil(lambda: panel.code_label.text() == "A001")
    return panel


def test_no_show_asks_and_no_keeps_the_ticket(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _serving_panel(qtbot, ctx)
    asked: list[str] = []
    answer = [False]

    def ask(_cls: type, _parent: QWidget, title: str, text: str, *_labels: str) -> bool:
        asked.append(text)
        return answer[0]

    monkeypatch.setattr(Confirm, "ask", classmethod(ask))
    # The call's own change notice reloads the board (coalesced, 100 ms later): let it pass,
    # so that an operation pending below can only be one the question let through.
    qtbot.waitUntil(lambda: ctx.ops.pending == 0 and not panel.live.soon_pending())
    panel.buttons["no_show"].click()
    assert asked == ["确认 A001 过号？群众回来后只能排到队尾。"]
    qtbot.wait(50)  # nothing was sent; give a stray operation the chance to show
    assert ctx.ops.pending == 0
    assert panel.current is not None and panel.current.state == TicketState.CALLED
    assert panel.code_label.text() == "A001"
    assert not panel.buttons["no_show"].autoDefault()
    answer[0] = True
    panel.buttons["no_show"].click()
    qtbot.waitUntil(lambda: panel.code_label.text() == "—")
    assert "过号" in panel.message.text() and len(asked) == 2
    panel.shutdown()


def test_confirmation_enter_and_escape_keep(qtbot: QtBot) -> None:
    for key in (Qt.Key.Key_Return, Qt.Key.Key_Escape, Qt.Key.Key_Enter):
        box = Confirm(None, "过号", "确认 A001 过号？", "过号", "继续等候")
        qtbot.addWidget(box)
        box.open()
        qtbot.waitExposed(box)
        assert box.defaultButton() is box.keep_button
        assert not box.act_button.autoDefault()
        box.act_button.setFocus()  # even with the action's button focused
        with qtbot.waitSignal(box.finished):
            qtbot.keyClick(box.act_button, key)
        assert not box.confirmed()
    box = Confirm(None, "过号", "确认 A001 过号？", "过号", "继续等候")
    qtbot.addWidget(box)
    box.open()
    with qtbot.waitSignal(box.finished):
        box.act_button.click()
    assert box.confirmed()


def test_withdraw_asks_and_no_keeps_the_case(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    case = accept_dibao(ctx.db)
    view = CaseView(ctx, clerk, casefile.open_case(ctx.db, clerk, case.case_id))
    qtbot.addWidget(view)
    view.show()
    button = view.counter.buttons["withdraw"]
    assert button.isVisible() and not button.autoDefault() and not button.isDefault()
    asked: list[str] = []
    answer = [False]

    def ask(_cls: type, _parent: QWidget, title: str, text: str, *_labels: str) -> bool:
        asked.append(title)
        return answer[0]

    monkeypatch.setattr(Confirm, "ask", classmethod(ask))
    view.counter.note.setText("申请人已找到工作")
    qtbot.keyClick(view.counter.note, ENTER)  # Enter in the reason presses nothing
    assert asked == []
    button.click()
    assert asked == ["撤回申请"]
    qtbot.wait(50)
    assert ctx.ops.pending == 0
    assert casefile.open_case(ctx.db, clerk, case.case_id).state != CaseState.WITHDRAWN
    assert view.counter.note.text() == "申请人已找到工作"  # kept for a second try
    answer[0] = True
    button.click()
    qtbot.waitUntil(
        lambda: casefile.open_case(ctx.db, clerk, case.case_id).state == CaseState.WITHDRAWN
    )
    view.close()


def test_resident_search_on_enter_in_the_same_dialog(qtbot: QtBot, ctx: AppContext) -> None:
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    zhang = residents.save(ctx.db, clerk, ResidentInput("11010519491231002X", "张秀英", "", ""))
    residents.save(ctx.db, clerk, ResidentInput("110105196103050159", "张建国", "", ""))
    panel = ApplicantPanel(ctx, clerk, "申请人")
    qtbot.addWidget(panel)
    chosen: list[SearchDialog] = []

    def drive() -> None:
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, SearchDialog))
        chosen.append(dialog)
        try:
            qtbot.waitExposed(dialog)
            dialog.activateWindow()
            qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
            typing = QApplication.focusWidget()
            assert typing is dialog.query
            qtbot.keyClicks(typing, "zxy")
            qtbot.keyClick(typing, ENTER)  # searches; the dialog stays
            qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
            assert dialog.isVisible() and "找到 1 人" in dialog.status.text()
            dialog.query.clear()
            qtbot.keyClicks(dialog.query, "zjg")  # another query: Enter searches again
            qtbot.keyClick(dialog.query, ENTER)
            qtbot.waitUntil(lambda: dialog.searched == "zjg")
            assert dialog.isVisible() and dialog.table.rowCount() == 1
            dialog.query.clear()
            qtbot.keyClicks(dialog.query, "110105")
            qtbot.keyClick(dialog.query, ENTER)
            qtbot.waitUntil(lambda: dialog.table.rowCount() == 2)
            qtbot.keyClick(dialog.query, Qt.Key.Key_Down)  # into the results
            assert QApplication.focusWidget() is dialog.table
            row = next(i for i, r in enumerate(dialog.found) if r.id == zhang.id)
            dialog.table.selectRow(row)
            qtbot.keyClick(dialog.table, ENTER)  # takes the highlighted one
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, drive)
    panel.find_resident()
    assert len(chosen) == 1 and chosen[0].result() == QDialog.DialogCode.Accepted
    assert panel.resident is not None and panel.resident.id == zhang.id
    assert panel.name_edit.text() == "张秀英"


def test_resident_search_enter_twice_takes_the_top_hit(qtbot: QtBot, ctx: AppContext) -> None:
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    residents.save(ctx.db, clerk, ResidentInput("11010519491231002X", "张秀英", "", ""))
    dialog = SearchDialog(ctx, clerk)
    typing = _shown(qtbot, dialog)
    qtbot.keyClicks(typing, "zxy")
    qtbot.keyClick(typing, ENTER)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    assert dialog.isVisible()
    qtbot.keyClick(dialog.query, ENTER)  # the same query again: take the highlighted hit
    assert dialog.result() == QDialog.DialogCode.Accepted
    chosen = dialog.chosen()
    assert chosen is not None and chosen.name == "张秀英"
