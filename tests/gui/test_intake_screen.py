"""The intake workspace: a keyboard-only intake to a receipt, a notice, and a scan."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.states import CaseState
from tests.helpers.people import id_number
from ui.casefile.view import CaseView
from ui.context import AppContext
from ui.counter import intake_panel as panel_module
from ui.counter.intake_panel import IntakePanel


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str]]:
    out: list[tuple[bytes, str]] = []
    monkeypatch.setattr(panel_module, "show_pdf", lambda _p, pdf, title: out.append((pdf, title)))
    return out


def _panel(qtbot: QtBot, ctx: AppContext) -> IntakePanel:
    actor = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    panel = IntakePanel(ctx, actor)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: len(panel.services) > 40)
    return panel


def _dibao_for(qtbot: QtBot, ctx: AppContext, number: str, name: str) -> IntakePanel:
    """A walk-in registered by mouse, with the 低保 form open."""
    panel = _panel(qtbot, ctx)
    panel.start(None)
    panel.applicant.id_edit.setText(number)
    panel.applicant.name_edit.setText(name)
    panel.applicant.save()
    qtbot.waitUntil(lambda: panel.applicant.resident is not None)
    panel.choose_service("MZ001")
    return panel


def _type(qtbot: QtBot, text: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, text)


def _ime(qtbot: QtBot, text: str) -> None:
    """Chinese arrives from the input method as committed text, not as key presses."""
    widget = QApplication.focusWidget()
    assert isinstance(widget, QLineEdit)
    widget.insert(text)


def _tab(qtbot: QtBot) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClick(widget, Qt.Key.Key_Tab)


def test_keyboard_only_intake_to_a_receipt_then_scan(
    qtbot: QtBot, ctx: AppContext, shown: list[tuple[bytes, str]]
) -> None:
    panel = _panel(qtbot, ctx)
    panel.start(None)
    panel.activateWindow()
    panel.applicant.id_edit.setFocus()
    qtbot.waitUntil(lambda: panel.applicant.id_edit.hasFocus())
    _type(qtbot, id_number(date(1961, 3, 5), 5, female=True))
    qtbot.waitUntil(lambda: "65 岁" in panel.applicant.facts.text())
    _tab(qtbot)
    assert panel.applicant.name_edit.hasFocus()
    _ime(qtbot, "吉\U00020bb7")
    _tab(qtbot)
    _type(qtbot, "13800138000")
    _tab(qtbot)
    _ime(qtbot, "幸福路 1 号")
    _tab(qtbot)
    assert panel.applicant.save_button.hasFocus()
    qtbot.keyClick(panel.applicant.save_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.applicant.resident is not None)
    # Service by keyboard: Ctrl+F, its code, Enter; the cursor lands in its first field.
    qtbot.keyClick(panel.applicant.save_button, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.service_search.hasFocus()
    qtbot.keyClicks(panel.service_search, "GA005")
    qtbot.keyClick(panel.service_search, Qt.Key.Key_Return)
    assert panel.form is not None and panel.form.service.code == "GA005"
    first = panel.form.inputs["proof_type"]
    assert first.hasFocus()
    qtbot.keyClick(first, Qt.Key.Key_Down)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert panel.form.inputs["purpose"].hasFocus()
    _ime(qtbot, "办理继承公证")
    assert "缺材料" in panel.status.text()
    for key in ("id_card", "hukou"):
        box = panel.checklist.received_box(key)
        assert box is not None
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
    assert "可以受理" in panel.status.text()
    qtbot.keyClick(panel, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: len(shown) == 1)
    pdf, title = shown[0]
    assert pdf.startswith(b"%PDF") and "户籍证明" in title  # a 即办件: its result, at once
    case = panel.visit_cases[0]
    assert case.state == CaseState.DELIVERED and case.case_no
    # A scanner types fast and ends with Enter, into whatever has focus. Let the accept's
    # follow-up work (refreshes, the printed result) finish first: a slow callback run
    # between two keystrokes would make them look typed by a person (> 50 ms apart).
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    qtbot.wait(50)
    opened: list[str] = []
    panel.scanner.scanned.connect(opened.append)
    target = panel.applicant.address_edit
    target.setFocus()
    target.setText("幸福路")
    qtbot.keyClicks(target, case.case_no)
    qtbot.keyClick(target, Qt.Key.Key_Return)
    assert opened == [case.case_no]
    assert target.text() == "幸福路"  # the scan did not end up in the field
    qtbot.waitUntil(lambda: panel.findChild(CaseView) is not None)
    view = panel.findChild(CaseView)
    assert view is not None and view.file.case_no == case.case_no
    # A 即办件 handed over at the counter: nothing to decide or withdraw; its papers reprint.
    assert view.file.state_label == "已出件"
    assert not view.decision.isVisibleTo(view) and not view.counter.isVisibleTo(view)
    assert view.documents.isVisibleTo(view)


def test_missing_materials_give_a_notice_and_nothing_typed_is_lost(
    qtbot: QtBot, ctx: AppContext, shown: list[tuple[bytes, str]]
) -> None:
    panel = _dibao_for(qtbot, ctx, id_number(date(1961, 3, 5), 6), "王建国")
    assert panel.form is not None
    size = panel.form.inputs["household_size"]
    assert isinstance(size, QLineEdit)
    size.setText("三口")
    assert "应为整数" in panel.form.errors["household_size"].text()
    # Switch service and back: what was typed is still there.
    panel.choose_service("MZ002")
    panel.choose_service("MZ001")
    size = panel.form.inputs["household_size"]
    assert isinstance(size, QLineEdit) and size.text() == "三口"
    names = [panel.checklist.item(r, 0).text() for r in range(panel.checklist.rowCount())]
    assert names[:3] == ["居民身份证", "户口本", "收入证明"]
    panel.accept_case()
    # Every field's problem at once, the empty required ones too; nothing reached the service.
    assert "需要更正" in panel.status.text() and shown == []
    marked = [k for k, label in panel.form.errors.items() if label.isVisibleTo(panel)]
    assert {"household_size", "household_income", "housing", "reason"} <= set(marked)
    assert size.text() == "三口"  # nothing typed is lost
    panel.tell_missing()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert "一次性告知书" in shown[0][1]
    assert panel.draft_id is not None


def test_refusal_asks_for_a_reason_and_prints_the_notice(
    qtbot: QtBot, ctx: AppContext, shown: list[tuple[bytes, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _dibao_for(qtbot, ctx, id_number(date(1985, 7, 1), 8), "赵六")
    assert panel.form is not None
    size = panel.form.inputs["household_size"]
    assert isinstance(size, QLineEdit)
    size.setText("2")
    reasons = iter(["不", "申请人户籍不在本辖区，应向户籍地街道提出申请。"])
    monkeypatch.setattr(panel, "ask_reason", lambda: next(reasons))
    qtbot.keyClick(panel, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: "理由" in panel.status.text())
    assert shown == [] and panel.visit_cases == []
    assert size.text() == "2"  # nothing typed is lost
    qtbot.keyClick(panel, Qt.Key.Key_F11)
    qtbot.waitUntil(lambda: len(shown) == 1)
    pdf, title = shown[0]
    assert pdf.startswith(b"%PDF") and "不予受理通知书" in title
    assert panel.visit_cases[0].state == CaseState.REFUSED
    assert "不予受理" in panel.visit_list.item(0).text()
