"""职责分离 on screen: the inbox and the case view say why a task is not this approver's."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from app.cases import workflow
from app.cases.workflow import Decision, Outcome
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from tests.helpers.backoffice import open_tasks
from tests.helpers.dibao import accept_dibao, applicant
from ui.backoffice.inbox_panel import InboxPanel
from ui.context import AppContext

REFUSAL = "您已办理本件的“初审”，按职责分离不能再办理“复审”。"


def test_the_first_reviewer_sees_why_he_may_not_decide_second_review(
    qtbot: QtBot, ctx: AppContext
) -> None:
    case = accept_dibao(ctx.db, applicant(ctx.db, "刘桂芳", date(1960, 2, 2), seq=91))
    chen = users.login(ctx.db, "approver", DEMO_PASSWORD)
    [(task, version, _)] = open_tasks(ctx.db, case.case_id)
    workflow.decide(ctx.db, chen, Decision(task, version, Outcome.APPROVE, "情况属实。"))
    panel = InboxPanel(ctx, chen)
    qtbot.addWidget(panel)
    panel.resize(1366, 700)
    panel.show()
    qtbot.waitUntil(lambda: panel.table.rowCount() == 2)
    # The inbox: greyed rows saying why in 说明; no 签收, the reason under the list.
    assert panel.table.item(0, 9).text() == "职责分离：" + REFUSAL
    panel.table.selectRow(0)
    assert not panel.claim_button.isEnabled() and panel.open_button.isEnabled()
    assert panel.status.text() == REFUSAL
    # The case view: the reason beside the decision, nothing to submit.
    panel.open_button.click()
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.isVisible())
    assert panel.view is not None
    box = panel.view.decision
    qtbot.waitUntil(lambda: box.task_info.isVisible())
    assert box.task_info.text() == REFUSAL and box.refusal() == REFUSAL
    assert not box.submit_button.isEnabled() and not box.claim_button.isEnabled()
    # Had he submitted anyway (a list older than his decision), the service's refusal
    # shows beside the decision too.
    [jd, _mz, _cl] = open_tasks(ctx.db, case.case_id)
    panel.view.decide(Decision(jd[0], jd[1], Outcome.APPROVE, "同意。"))
    qtbot.waitUntil(lambda: box.errors.general_message() != "")
    assert box.errors.general_message() == REFUSAL
