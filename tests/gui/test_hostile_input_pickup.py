"""Hostile text at the pickup window: the search box, the collector's ID and name."""

from __future__ import annotations

from datetime import date

from pytestqt.qtbot import QtBot

from app.cases import workflow
from app.cases.workflow import Decision, Outcome
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from tests.helpers.backoffice import open_tasks
from tests.helpers.dibao import accept_dibao
from tests.helpers.hostile import HOSTILE, SUPERSCRIPT_ID, boxes, expected
from tests.helpers.people import id_number
from ui.context import AppContext
from ui.counter.pickup_panel import PickupPanel

__all__ = ["boxes"]


def test_pickup_fields(qtbot: QtBot, ctx: AppContext, boxes: list[str]) -> None:
    case = accept_dibao(ctx.db)
    [(task, version, _)] = open_tasks(ctx.db, case.case_id)
    approver = users.login(ctx.db, "approver", DEMO_PASSWORD)
    workflow.decide(ctx.db, approver, Decision(task, version, Outcome.REJECT, "收入超过标准。"))
    panel = PickupPanel(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    for kind in HOSTILE:
        _try(qtbot, ctx, panel, str(case.case_no), kind)
    assert len(panel.cases) == 1 and boxes == []


def _try(qtbot: QtBot, ctx: AppContext, panel: PickupPanel, case_no: str, kind: str) -> None:
    panel.authorised.setChecked(False)
    panel.errors.clear()
    # The search box.
    panel.query.setText(case_no + HOSTILE[kind])
    panel.search()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    if kind == "10kB":
        assert panel.cases == [] and "没有待领取" in panel.status.text()
    else:
        assert expected(kind) in panel.errors.message_for("query")
    panel.query.setText(case_no)
    panel.search()
    qtbot.waitUntil(lambda: len(panel.cases) == 1)
    # The collector's ID: hostile text, then a superscript digit.
    for typed, shows in (
        (HOSTILE[kind], expected(kind) if kind != "10kB" else "位"),
        (SUPERSCRIPT_ID, "²"),
    ):
        panel.errors.clear()
        panel.collector_id.setText(typed)
        panel.hand_over()
        qtbot.waitUntil(lambda: panel.errors.message_for("collector_id") != "")
        assert shows in panel.errors.message_for("collector_id")
    # Someone else collecting with a written authorisation: their name.
    panel.errors.clear()
    panel.collector_id.setText(id_number(date(1990, 1, 1), 3))
    panel.authorised.setChecked(True)
    panel.collector_name.setText("赵六" + HOSTILE[kind])
    panel.hand_over()
    qtbot.waitUntil(lambda: panel.errors.message_for("collector_name") != "")
    assert expected(kind) in panel.errors.message_for("collector_name")
