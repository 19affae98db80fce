"""The back office and the pickup window, driven through their screens.

An approver works the inbox (claims, opens, decides with an opinion; a refusal shows
under the field; a colleague's faster decision shows as a conflict and reloads), and the
counter hands a result out after scanning its receipt.
"""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.cases import casefile, workflow
from app.cases.workflow import Decision, Outcome
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.states import CaseState
from tests.helpers.backoffice import Clock, open_tasks
from tests.helpers.dibao import accept_dibao, applicant
from tests.helpers.people import id_number
from ui.backoffice.inbox_panel import InboxPanel
from ui.casefile import view as view_module
from ui.casefile.view import CaseView
from ui.context import AppContext
from ui.counter import pickup_panel as pickup_module
from ui.counter.pickup_panel import PickupPanel
from ui.supervisor.cases_panel import CasesPanel


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str]]:
    out: list[tuple[bytes, str]] = []
    for module in (view_module, pickup_module):
        monkeypatch.setattr(module, "show_pdf", lambda _p, pdf, title: out.append((pdf, title)))
    return out


def _inbox(qtbot: QtBot, ctx: AppContext) -> InboxPanel:
    panel = InboxPanel(ctx, users.login(ctx.db, "approver", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    return panel


def _open_first(qtbot: QtBot, panel: InboxPanel) -> CaseView:
    panel.table.selectRow(0)
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.isVisible())
    assert panel.view is not None
    return panel.view


def test_approver_claims_and_decides_from_the_inbox(qtbot: QtBot, ctx: AppContext) -> None:
    case = accept_dibao(ctx.db, applicant(ctx.db, "李秀兰", date(1961, 3, 5), seq=71))
    panel = _inbox(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert panel.table.item(0, 0).text() == case.case_no
    assert panel.table.item(0, 3).text() == "初审"
    # 签收 from the list: the row shows who has it.
    panel.table.selectRow(0)
    panel.claim_button.click()
    qtbot.waitUntil(lambda: panel.rows and panel.rows[0].assignee != "")
    assert panel.table.item(0, 6).text() == "陈建国"
    view = _open_first(qtbot, panel)
    assert view.file.case_no == case.case_no and view.decision.isVisible()
    # The form as filled, with the long numbers in it masked like ID numbers.
    fields = dict(view.file.fields)
    assert fields["残疾人证号"] == "110105**********5942"
    assert view.fields_table.rowCount() == len(view.file.fields)
    assert view.decision.release_button.isEnabled()
    # A rejection without a reason is refused under the opinion; the choice stays.
    view.decision.set_outcome(Outcome.REJECT)
    view.decision.opinion.setPlainText("不行")
    view.decision.submit_button.click()
    qtbot.waitUntil(lambda: view.decision.errors.message_for("opinion") != "")
    assert "理由" in view.decision.errors.message_for("opinion")
    assert view.decision.outcome() == Outcome.REJECT
    assert view.decision.opinion.toPlainText() == "不行"
    # Approve with an opinion: the case moves to 复审, the inbox follows.
    view.decision.set_outcome(Outcome.APPROVE)
    view.decision.opinion.setPlainText("情况属实，同意。")
    view.decision.submit_button.click()
    qtbot.waitUntil(lambda: "复审" in view.banner_text())
    qtbot.waitUntil(lambda: view.file.step_name == "复审")
    done = [t for t in view.file.tasks if t.step_name == "初审"]
    assert [(t.state_label, t.opinion, t.assignee) for t in done] == [
        ("同意", "情况属实，同意。", "陈建国")
    ]
    assert any(h.action == "审批同意" and h.note == "情况属实，同意。" for h in view.file.history)
    # The approver works 街道 and 民政: both 复审 tasks are listed, but not his (职责分离).
    qtbot.waitUntil(lambda: [r.step_name for r in panel.rows] == ["复审", "复审"])
    assert all("初审" in r.barred for r in panel.rows)


def test_a_faster_colleague_shows_as_a_conflict_and_the_view_reloads(
    qtbot: QtBot, ctx: AppContext
) -> None:
    case = accept_dibao(ctx.db, applicant(ctx.db, "王建国", date(1958, 6, 1), seq=72))
    panel = _inbox(qtbot, ctx)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    view = _open_first(qtbot, panel)
    view.decision.opinion.setPlainText("同意。")
    # Meanwhile a colleague of the same office decides the same task.
    [(task, version, _)] = open_tasks(ctx.db, case.case_id)
    colleague = users.login(ctx.db, "approver", DEMO_PASSWORD)
    workflow.decide(
        ctx.db, colleague, Decision(task, version, Outcome.RETURN, "缺材料", ("银行流水",))
    )
    view.decision.submit_button.click()
    qtbot.waitUntil(lambda: "刷新" in view.banner_text())
    qtbot.waitUntil(lambda: view.file.state == CaseState.AWAITING_SUPPLEMENT)
    assert not view.decision.isVisible()  # nothing left to decide, nothing overwritten
    assert [t.state_label for t in view.file.tasks] == ["退回补正"]
    # The counter's 补正通知书 is offered from the same view.
    assert view.documents.isVisible()
    # 低保 stops its clock during 补正: the view says so instead of counting down.
    assert view.file.clock_stopped
    shown = [w.text() for w in view.basics.findChildren(QLabel)]
    assert any("计时暂停中" in t for t in shown)


def test_pickup_by_scanning_the_receipt(
    qtbot: QtBot, ctx: AppContext, shown: list[tuple[bytes, str]]
) -> None:
    born = date(1961, 3, 5)
    case = accept_dibao(ctx.db, applicant(ctx.db, "张秀英", born, seq=73))
    [(task, version, _)] = open_tasks(ctx.db, case.case_id)
    approver = users.login(ctx.db, "approver", DEMO_PASSWORD)
    workflow.decide(ctx.db, approver, Decision(task, version, Outcome.REJECT, "收入超过低保标准。"))
    panel = PickupPanel(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    # The scanner types the case number fast and ends with Enter, wherever the focus is.
    panel.collector_id.setFocus()
    qtbot.keyClicks(panel.collector_id, case.case_no or "")
    qtbot.keyClick(panel.collector_id, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.table.rowCount() == 1)
    assert panel.query.text() == case.case_no and panel.collector_id.text() == ""
    assert panel.table.item(0, 4).text() == "不予批准"
    # Someone else without an authorisation: refused under the ID, nothing handed out.
    panel.collector_id.setText(id_number(date(1990, 1, 1), 40))
    panel.hand_button.click()
    qtbot.waitUntil(lambda: panel.errors.message_for("collector_id") != "")
    assert panel.table.rowCount() == 1 and not shown
    # The applicant herself: handed out, the 出件回执 goes to the printer.
    panel.collector_id.setText(id_number(born, 73, female=True))
    panel.hand_button.click()
    qtbot.waitUntil(lambda: len(shown) == 1)
    pdf, title = shown[0]
    assert pdf.startswith(b"%PDF") and title == f"出件回执 {case.case_no}"
    assert panel.table.rowCount() == 0 and "张秀英（本人" in panel.status.text()


def test_supervisor_sees_overdue_cases_and_reads_one(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock(monkeypatch)
    clock.to(ctx.db, date(2026, 11, 2))
    case = accept_dibao(ctx.db, applicant(ctx.db, "赵丽华", date(1960, 2, 2), seq=74))
    clock.to(ctx.db, date(2026, 11, 16))  # due 11-11: three working days late
    panel = CasesPanel(ctx, users.login(ctx.db, "supervisor", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: panel.cases.rowCount() == 1 and panel.departments.rowCount() == 1)
    assert panel.cases.item(0, 0).text() == case.case_no
    assert panel.cases.item(0, 6).text() == "超期 3 天"
    assert [panel.departments.item(0, c).text() for c in range(4)] == [
        "街道社会事务办",
        "1",
        "0",
        "1",
    ]
    assert "已受理 1" in panel.states.text()
    panel.which.setCurrentIndex(1)  # due soon: none
    qtbot.waitUntil(lambda: panel.cases.rowCount() == 0)
    panel.which.setCurrentIndex(0)
    qtbot.waitUntil(lambda: panel.cases.rowCount() == 1)
    panel.cases.selectRow(0)
    panel.open_selected()
    qtbot.waitUntil(lambda: panel.findChild(CaseView) is not None)
    view = panel.findChild(CaseView)
    assert view is not None and not view.decision.isVisible() and not view.counter.isVisible()


def test_a_case_without_an_archived_receipt_offers_it_again(
    qtbot: QtBot, ctx: AppContext, shown: list[tuple[bytes, str]]
) -> None:
    """Accepted, but the PC stopped before the receipt was kept: the case view prints one."""
    case = accept_dibao(ctx.db, applicant(ctx.db, "孙丽华", seq=74))  # no renderer: none kept
    clerk = users.login(ctx.db, "clerk", DEMO_PASSWORD)
    view = CaseView(ctx, clerk, casefile.open_case(ctx.db, clerk, case.case_id), None)
    qtbot.addWidget(view)
    view.show()
    [again] = [b for b in view.findChildren(QPushButton) if b.text() == "补打受理回执"]
    again.click()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0][0].startswith(b"%PDF") and case.case_no in shown[0][1]
    # Now archived: the ordinary reprint of the kept copy takes its place.
    qtbot.waitUntil(lambda: "receipt" in {k for _i, k in view.file.documents})
    # (The replaced buttons are deleted later, by the event loop: wait for it.)
    qtbot.waitUntil(
        lambda: [b.text() for b in view.findChildren(QPushButton)].count("补打受理回执") == 1
    )
