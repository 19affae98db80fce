"""Hostile text in the back office's case view: the decision (意见, 补正事项) and the
counter's actions (补正说明, 异议, 撤回原因). Each message beside its input, no error box."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.cases import casefile
from app.cases.workflow import Outcome
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from tests.helpers.dibao import accept_dibao
from tests.helpers.hostile import HOSTILE, boxes, expected
from ui.casefile.actions import DecisionBox
from ui.casefile.view import CaseView
from ui.context import AppContext
from ui.widgets.confirm import Confirm

__all__ = ["boxes"]


def _view(qtbot: QtBot, ctx: AppContext, who: str) -> CaseView:
    actor = users.login(ctx.db, who, DEMO_PASSWORD)
    case = accept_dibao(ctx.db)
    view = CaseView(ctx, actor, casefile.open_case(ctx.db, actor, case.case_id))
    qtbot.addWidget(view)
    view.show()
    return view


def test_decision_opinion_and_supplement_items(
    qtbot: QtBot, ctx: AppContext, boxes: list[str]
) -> None:
    view = _view(qtbot, ctx, "approver")
    box = view.decision
    assert box.isVisible()
    for kind in HOSTILE:
        _decide(qtbot, box, kind)
    assert boxes == []


def _decide(qtbot: QtBot, box: DecisionBox, kind: str) -> None:
    box.errors.clear()
    box.set_outcome(Outcome.APPROVE)
    box.opinion.setPlainText("情况属实，同意。" + HOSTILE[kind])
    box.submit_button.click()
    qtbot.waitUntil(lambda: box.errors.message_for("opinion") != "")
    assert expected(kind) in box.errors.message_for("opinion")
    box.errors.clear()
    box.set_outcome(Outcome.RETURN)
    box.opinion.setPlainText("缺材料")
    box.items.setPlainText("户口本\n银行流水" + HOSTILE[kind])
    box.submit_button.click()
    qtbot.waitUntil(lambda: box.errors.message_for("items") != "")
    assert expected(kind) in box.errors.message_for("items")
    assert box.opinion.toPlainText() == "缺材料"  # nothing typed is lost


def test_counter_withdrawal_reason(
    qtbot: QtBot, ctx: AppContext, boxes: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda cls, *a: True))  # 确认撤回
    view = _view(qtbot, ctx, "clerk")
    counter = view.counter
    assert counter.buttons["withdraw"].isVisible()
    for kind in HOSTILE:
        counter.errors.clear()
        counter.note.setText("申请人不再需要" + HOSTILE[kind])
        counter.buttons["withdraw"].click()
        qtbot.waitUntil(lambda: counter.errors.message_for("note") != "")
        assert expected(kind) in counter.errors.message_for("note")
    assert boxes == []
