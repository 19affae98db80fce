"""调解 (issue 19 §2) on screen, on both backends: the mediator registers a dispute in the
register form (a wrong ID number said under its field), starts it, records a session and
the agreement, prints it, and — a month later on the fixed clock — records the one-month
回访 from the due list; the supervisor reads the same dispute with every step disabled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

import pytest
from pytestqt.qtbot import QtBot

from app.db import clock
from app.people import users
from tests.helpers.people import id_number
from ui.context import AppContext
from ui.main_window import MainWindow
from ui.mediation import dispute_dialog
from ui.mediation.workspace import MediationWorkspace

START = datetime(2026, 10, 29, 2, 0)  # 10:00 in Beijing


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime], None]:
    moment = [START]
    monkeypatch.setattr(clock, "now", lambda _s: moment[0])

    def move(to: datetime) -> None:
        moment[0] = to

    return move


def _workspace(qtbot: QtBot, ctx: AppContext, username: str) -> MediationWorkspace:
    window = MainWindow(ctx, users.demo_actor(ctx.db, username))
    qtbot.addWidget(window)
    labels = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    window.tabs.setCurrentIndex(labels.index("调解"))
    window.show()
    ws = window.mediation_workspace
    qtbot.waitUntil(lambda: ws.today is not None and ctx.ops.pending == 0)
    return ws


def _settle(qtbot: QtBot, ctx: AppContext) -> None:
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)


def test_a_mediator_takes_a_dispute_to_the_month_visit(
    qtbot: QtBot, ctx: AppContext, at: Callable[[datetime], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _workspace(qtbot, ctx, "mediator")
    assert "本月化解率 —" in ws.rate.text()
    reg = ws.register()
    reg.facts.setPlainText("楼上卫生间漏水，楼下天花板受损，双方协商未果。")
    reg.p_name.setText("张大山")
    reg.p_id.setText("110105197003010010")  # a wrong check digit
    reg.p_claim.setText("对方赔偿损失")
    reg.add_party()
    assert "校验位" in reg.party_errors.message_for("id_number") and reg.parties == []
    assert reg.p_name.text() == "张大山"  # nothing typed is lost
    reg.p_id.setText(id_number(date(1970, 3, 1), 1))
    reg.add_party()
    reg.submit()
    _settle(qtbot, ctx)
    assert "两方" in reg.errors.message_for("parties")
    reg.p_name.setText("李小河")
    reg.p_id.setText(id_number(date(1985, 6, 2), 2, female=True))
    reg.p_claim.setText("只愿修好管道")
    reg.add_party()
    reg.submit()
    qtbot.waitUntil(lambda: ws.dialog is not None)
    dlg = ws.dialog
    assert dlg is not None and dlg.view.state == "registered"
    assert dlg.buttons["start"].isEnabled() and not dlg.buttons["agree"].isEnabled()
    dlg.start()
    qtbot.waitUntil(lambda: dlg.view.state == "mediating")
    form = dlg.add_session()
    form.by_role["乡贤"].setText("陈老伯")
    form.record.setPlainText("双方陈述了漏水经过，乡贤劝说双方各让一步。")
    form.submit()
    qtbot.waitUntil(lambda: len(dlg.view.sessions) == 1)
    agree = dlg.agree()
    agree.issues.setPlainText("损失赔偿数额")
    agree.liability.setPlainText("楼上负主要责任")
    agree.terms.setPlainText("张大山于十日内修复防水层并赔偿二千元。")
    agree.submit()
    _settle(qtbot, ctx)
    assert agree.errors.message_for("performance_way")  # 履行方式 missing: said there
    agree.way.setText("现金一次性支付")
    agree.submit()
    qtbot.waitUntil(lambda: dlg.view.state == "agreed")
    assert "司法确认申请期限 2026-11-28（剩 30 天）" in dlg.text.toPlainText()
    shown: list[bytes] = []
    monkeypatch.setattr(dlg, "_preview", lambda pdf, _t: shown.append(pdf))
    dlg.print_agreement()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0].startswith(b"%PDF")
    dlg.close()
    at(START + timedelta(days=30))
    ws.refresh()
    qtbot.waitUntil(lambda: ws.tabs.tabText(1).startswith("待回访 2"))  # the week's is late
    assert [(v.label, v.days_left) for v in ws.visits] == [("一周回访", -23), ("一月回访", 0)]
    ws._show_tab(1)
    ws.visit_table.selectRow(1)
    ws.open_current()
    qtbot.waitUntil(lambda: ws.dialog is not dlg and ws.dialog is not None)
    again = ws.dialog
    assert again is not None
    visit = again.follow_up()
    visit.kind.setCurrentIndex(visit.kind.findData("month"))
    visit.submit()  # the week's visit comes first: said under 回访, nothing lost
    qtbot.waitUntil(lambda: visit.errors.message_for("kind") != "")
    assert visit.errors.message_for("kind") == "请先登记一周回访，再登记一月回访。"
    visit.kind.setCurrentIndex(visit.kind.findData("week"))
    visit.submit()
    qtbot.waitUntil(lambda: any(f.kind == "week" and f.done_on for f in again.view.follow_ups))
    visit = again.follow_up()
    visit.kind.setCurrentIndex(visit.kind.findData("month"))
    visit.submit()
    qtbot.waitUntil(lambda: again.view.state == "closed")
    assert not any(b.isEnabled() for k, b in again.buttons.items() if k not in ("print", "confirm"))


def test_the_supervisor_reads_only(
    qtbot: QtBot, ctx: AppContext, at: Callable[[datetime], None]
) -> None:
    from app.mediation import registry
    from app.mediation.views import DisputeInput, PartyInput

    mediator = users.demo_actor(ctx.db, "mediator")
    parties = (
        PartyInput("张大山", id_number(date(1970, 3, 1), 1), "", "", "赔偿损失"),
        PartyInput("李小河", id_number(date(1985, 6, 2), 2), "", "", "修好管道"),
    )
    registry.register(
        ctx.db, mediator, DisputeInput("LL", "楼上漏水，楼下受损，协商未果。", "grid", parties)
    )
    ws = _workspace(qtbot, ctx, "supervisor")
    assert not ws.new_button.isEnabled() and len(ws.rows) == 1
    assert ws.table.item(0, 6).text() == "剩 7 天"
    ws.table.selectRow(0)
    ws.open_current()
    qtbot.waitUntil(lambda: ws.dialog is not None)
    assert ws.dialog is not None
    assert not any(b.isEnabled() for b in ws.dialog.buttons.values())
    assert "张大山" in dispute_dialog.summary_html(ws.dialog.view)
