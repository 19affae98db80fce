"""一人一档 on screen, on both backends: a new profile refused without consent (the message
under the consent field, everything typed kept), a contact's error under the row it was
typed in, a new group, plans, events, visits cancelled and restored, death closing the
plans after a question, every opening audited, and the supervisor reading only."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.care import profiles
from app.care.views import ProfileInput
from app.db.models import AuditEvent
from app.db.session import Database
from app.people import residents, users
from tests.helpers.people import id_number
from ui.care.profile_dialog import ProfileDialog
from ui.care.workspace import CareWorkspace
from ui.context import AppContext
from ui.widgets.confirm import Confirm

BORN = date(1941, 9, 3)


def _workspace(qtbot: QtBot, ctx: AppContext, username: str = "care") -> CareWorkspace:
    ws = CareWorkspace(ctx, users.demo_actor(ctx.db, username))
    qtbot.addWidget(ws)
    ws.show()
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    return ws


def _settle(qtbot: QtBot, ctx: AppContext) -> None:
    qtbot.waitUntil(lambda: ctx.ops.pending == 0)


def _profile(db: Database, name: str = "王德福", seq: int = 51) -> int:
    care = users.demo_actor(db, "care")
    data = residents.ResidentInput(id_number(BORN, seq), name, "13700001234", "兴化西里 5 号")
    rid = residents.save(db, care, data).id
    inp = ProfileInput(rid, ("alone",), "high", "本人", name, worker_id=care.user_id)
    return profiles.save_profile(db, care, inp).id


def _opened(qtbot: QtBot, ctx: AppContext, ws: CareWorkspace, pid: int) -> ProfileDialog:
    ws.open_profile(pid)
    qtbot.waitUntil(lambda: ws.profile_dialog is not None and ws.profile_dialog.isVisible())
    assert ws.profile_dialog is not None
    return ws.profile_dialog


def test_a_new_profile_without_consent_is_refused_under_the_consent_field_and_keeps_the_input(
    qtbot: QtBot, ctx: AppContext
) -> None:
    ws = _workspace(qtbot, ctx)
    ws.tabs.setCurrentWidget(ws.profiles_panel)
    _settle(qtbot, ctx)
    assert "还没有服务对象" in ws.profiles_panel.status.text()
    step = ws.new_profile()
    step.person.id_edit.setText(id_number(BORN, 52, female=True))
    _settle(qtbot, ctx)
    step.person.name_edit.setText("赵𠮷英")
    step.person.phone_edit.setText("13600002222")
    step.person.address_edit.setText("兴化西里 7 号楼 302")
    step.person.save()  # Enter in the address: registered, then on to the form
    qtbot.waitUntil(lambda: ws.profile_dialog is not None)
    dialog = ws.profile_dialog
    assert dialog is not None and dialog.view is None
    form = dialog.form
    form.group_checks["alone"].setChecked(True)
    form.group_checks["disabled_elderly"].setChecked(True)
    form.tier_radios["high"].setChecked(True)
    form.health.setPlainText("高血压，左腿行动不便")
    form.contacts.names[0].setText("赵强")
    form.contacts.relations[0].setCurrentIndex(form.contacts.relations[0].findData("子女"))
    form.contacts.phones[0].setText("13500003333")
    form.grid_edit.setText("兴化第三网格")
    dialog.save()
    _settle(qtbot, ctx)
    message = dialog.errors.message_for("consent_by")
    assert "个人信息保护法" in message and dialog.isVisible()
    assert dialog.findChild(type(dialog.general), "error_consent_by").isVisible()
    # Nothing typed is lost.
    assert form.chosen_groups() == ("alone", "disabled_elderly")
    assert form.tier_radios["high"].isChecked()
    assert form.health.toPlainText() == "高血压，左腿行动不便"
    assert form.contacts.phones[0].text() == "13500003333"
    assert form.grid_edit.text() == "兴化第三网格"

    form.consent_self.setChecked(True)  # 本人: the person's name comes in
    assert form.consent_name.text() == "赵𠮷英"
    dialog.save()
    qtbot.waitUntil(lambda: dialog.view is not None and ctx.ops.pending == 0)
    assert dialog.errors.message_for("consent_by") == ""
    assert "已建档" in dialog.done_label.text()
    [plan] = dialog.plans.plans
    assert (plan.mode_label, plan.rhythm_label) == ("上门", "每周")
    assert dialog.tabs.isTabEnabled(1) and not dialog.unsaved()
    qtbot.waitUntil(lambda: ws.profiles_panel.table.rowCount() == 1)
    assert ws.profiles_panel.table.item(0, 0).text() == "赵𠮷英"
    assert ws.profiles_panel.table.item(0, 3).text() == "136****2222"


def test_a_contact_error_is_shown_under_the_row_it_was_typed_in(
    qtbot: QtBot, ctx: AppContext
) -> None:
    ws = _workspace(qtbot, ctx)
    dialog = _opened(qtbot, ctx, ws, _profile(ctx.db))
    contacts = dialog.form.contacts
    contacts.names[2].setText("王芳")
    contacts.relations[2].setCurrentIndex(contacts.relations[2].findData("子女"))
    contacts.phones[2].setText("123")
    dialog.save()
    _settle(qtbot, ctx)
    assert dialog.errors.message_for("contacts.2.phone")
    assert dialog.errors.message_for("contacts.0.phone") == ""
    assert contacts.phones[2].text() == "123" and dialog.unsaved()


def test_a_group_is_added_and_ticked_without_losing_the_form(qtbot: QtBot, ctx: AppContext) -> None:
    ws = _workspace(qtbot, ctx)
    dialog = _opened(qtbot, ctx, ws, _profile(ctx.db))
    dialog.form.needs.setPlainText("想要助浴")
    adding = dialog.add_group()
    adding.submit()  # empty: refused under the name
    _settle(qtbot, ctx)
    assert adding.errors.message_for("group_name") and adding.isVisible()
    adding.name_edit.setText("退役军人优抚对象")
    adding.submit()
    qtbot.waitUntil(lambda: not adding.isVisible() and ctx.ops.pending == 0)
    assert dialog.form.group_checks[adding.code].isChecked()
    assert dialog.form.needs.toPlainText() == "想要助浴"
    assert "退役军人优抚对象" in ws.group_names.values()


def test_plans_events_and_visits_from_the_profile(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _workspace(qtbot, ctx)
    pid = _profile(ctx.db)
    dialog = _opened(qtbot, ctx, ws, pid)
    adding = dialog.plans.add_plan()
    assert adding is not None
    adding.mode.setCurrentIndex(adding.mode.findData("phone"))
    adding.rhythm.setCurrentIndex(adding.rhythm.findData("days"))
    for typed, said in (("0", "1–366"), ("367", "1–366"), ("", "整数"), ("三", "整数")):
        adding.every.setText(typed)  # what is typed is what is checked, and said next to it
        adding.submit()
        qtbot.waitUntil(lambda: adding.errors.message_for("every_days") != "")
        assert said in adding.errors.message_for("every_days") and adding.isVisible()
        qtbot.waitUntil(lambda: ctx.ops.pending == 0)
    adding.every.setText("3")
    adding.submit()
    qtbot.waitUntil(lambda: not adding.isVisible() and ctx.ops.pending == 0)
    qtbot.waitUntil(lambda: not adding.isVisible() and ctx.ops.pending == 0)
    assert [p.rhythm_label for p in dialog.plans.plans] == ["每周", "每 3 天"]

    event = dialog.events.add_event()
    assert event is not None
    event.note.setText("跌倒后住院观察")
    event.submit()
    qtbot.waitUntil(lambda: not event.isVisible() and ctx.ops.pending == 0)
    assert "待 24 小时内探访 1 件" in dialog.events.status.text()

    visit = dialog.record_visit()
    assert visit is not None
    visit.actions_edit.setPlainText("送去助行器")
    visit.submit()
    qtbot.waitUntil(lambda: not visit.isVisible() and ctx.ops.pending == 0)
    assert "已登记" in dialog.done_label.text()
    assert "没有待探访的重大变故" in dialog.events.status.text()
    tab = dialog.visits
    tab.table.selectRow(0)
    cancel = tab.cancel_selected()
    assert cancel is not None
    cancel.submit()  # no reason: refused under it
    _settle(qtbot, ctx)
    assert cancel.errors.message_for("cancel_reason") and cancel.isVisible()
    cancel.reason.setText("录入错误")
    cancel.submit()
    qtbot.waitUntil(lambda: not cancel.isVisible() and ctx.ops.pending == 0)
    assert tab.rows[0].cancelled and tab.restore_button.isEnabled()
    tab.restore_selected()
    _settle(qtbot, ctx)
    assert not tab.rows[0].cancelled and tab.cancel_button.isEnabled()

    asked: list[str] = []

    def answer(_cls: type, _parent: object, title: str, text: str, *_l: str) -> bool:
        asked.append(text)
        return True

    monkeypatch.setattr(Confirm, "ask", classmethod(answer))
    state = dialog.change_state()
    assert state is not None
    state.radios["deceased"].setChecked(True)
    state.note.setText("病故")
    state.submit()
    qtbot.waitUntil(lambda: not state.isVisible() and ctx.ops.pending == 0)
    assert asked and "全部探访计划将结束" in asked[0]
    assert not any(p.active for p in dialog.plans.plans)
    assert not dialog.visit_button.isEnabled() and "已去世" in dialog.facts.text()
    assert not dialog.unsaved()  # nothing typed: Esc closes without asking (QA)
    with ctx.db.read_only() as s:
        reads = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "care_profile_viewed")
        )
    assert reads == 1  # the opening; the actions after it return the profile unaudited


def test_closing_with_unsaved_changes_asks_first(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = _workspace(qtbot, ctx)
    dialog = _opened(qtbot, ctx, ws, _profile(ctx.db))
    dialog.form.living.setPlainText("独居，儿子在外地")
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda *_a: False))
    dialog.reject()
    assert dialog.isVisible() and dialog.form.living.toPlainText() == "独居，儿子在外地"
    monkeypatch.setattr(Confirm, "ask", classmethod(lambda *_a: True))
    dialog.reject()
    assert not dialog.isVisible()


def test_the_supervisor_reads_a_profile_and_cannot_change_it(qtbot: QtBot, ctx: AppContext) -> None:
    pid = _profile(ctx.db)
    ws = _workspace(qtbot, ctx, "supervisor")
    dialog = _opened(qtbot, ctx, ws, pid)
    assert dialog.save_button.isHidden() and dialog.visit_button.isHidden()
    assert dialog.form.health.isReadOnly() and not dialog.form.tier_radios["high"].isEnabled()
    assert dialog.plans.add_plan is not None and not dialog.plans.add_button.isEnabled()
    assert not dialog.unsaved()
    dialog.reject()  # no question: nothing could be typed
    assert not dialog.isVisible()
