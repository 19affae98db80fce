"""Hostile text at the counter: applicant panel, search, the service form, material notes
and the refusal reason. Each message appears beside the field; no internal-error box."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget
from pytestqt.qtbot import QtBot

from app.hall.setup import DEMO_PASSWORD
from app.people import users
from tests.helpers.hostile import HOSTILE, SUPERSCRIPT_ID, boxes, expected
from tests.helpers.people import id_number
from ui.context import AppContext
from ui.counter import intake_panel as panel_module
from ui.counter.applicant_dialogs import SearchDialog
from ui.counter.applicant_panel import ApplicantPanel
from ui.counter.intake_panel import IntakePanel

__all__ = ["boxes"]


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    out: list[str] = []
    monkeypatch.setattr(panel_module, "show_pdf", lambda _p, _pdf, title: out.append(title))
    return out


def _set(widget: QWidget, text: str) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(text)
    else:
        assert isinstance(widget, QPlainTextEdit)
        widget.setPlainText(text)


def _applicant(qtbot: QtBot, ctx: AppContext) -> ApplicantPanel:
    panel = ApplicantPanel(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD), "申请人")
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_applicant_fields(qtbot: QtBot, ctx: AppContext, boxes: list[str]) -> None:
    panel = _applicant(qtbot, ctx)
    for kind in HOSTILE:
        _register(qtbot, panel, kind)
    assert boxes == []


def _register(qtbot: QtBot, panel: ApplicantPanel, kind: str) -> None:
    good = {"name": "李秀兰", "phone": "13800138000", "address": "幸福路 1 号"}
    edits = {"name": panel.name_edit, "phone": panel.phone_edit, "address": panel.address_edit}
    for key, edit in edits.items():
        panel.id_edit.setText(id_number(date(1961, 3, 5), 7, female=True))
        for other, e in edits.items():
            e.setText(good[other])
        edit.setText(good[key] + HOSTILE[kind])
        panel.save()
        qtbot.waitUntil(lambda key=key: panel.errors.message_for(key) != "")
        message = panel.errors.message_for(key)
        assert expected(kind) in message or (key == "phone" and "电话号码格式不正确" in message)
        assert panel.resident is None
    # The ID field: a superscript digit is named at once, while typing.
    panel.id_edit.setText(SUPERSCRIPT_ID)
    assert "²" in panel.errors.message_for("id_number")
    panel.id_edit.setText(("1101" + HOSTILE[kind])[:18])
    if len(panel.id_edit.text()) == 18:
        assert panel.errors.message_for("id_number") != ""
    panel.name_edit.setText("王²")
    panel.id_edit.setText(id_number(date(1961, 3, 5), 7, female=True))
    panel.save()
    qtbot.waitUntil(lambda: panel.errors.message_for("name") != "")
    assert "姓名不能含数字" in panel.errors.message_for("name")


def test_resident_search_query(qtbot: QtBot, ctx: AppContext, boxes: list[str]) -> None:
    dialog = SearchDialog(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(dialog)
    dialog.show()
    for kind in ("nul", "bidi"):
        dialog.query.setText("李" + HOSTILE[kind])
        dialog.search()
        qtbot.waitUntil(lambda: dialog.errors.message_for("query") != "")
        assert expected(kind) in dialog.errors.message_for("query")
        dialog.query.setText("李" + HOSTILE["10kB"])
        dialog.search()
        qtbot.waitUntil(lambda: ctx.ops.pending == 0)
        assert dialog.errors.message_for("query") == "" and "找到 0 人" in dialog.status.text()
    assert boxes == []


def _intake(qtbot: QtBot, ctx: AppContext) -> IntakePanel:
    panel = IntakePanel(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: len(panel.services) > 40)
    panel.start(None)
    panel.applicant.id_edit.setText(id_number(date(1961, 3, 5), 9, female=True))
    panel.applicant.name_edit.setText("王秀英")
    panel.applicant.save()
    qtbot.waitUntil(lambda: panel.applicant.resident is not None)
    panel.choose_service("MZ001")
    return panel


def test_every_form_field_at_one_time_notice(
    qtbot: QtBot, ctx: AppContext, boxes: list[str], shown: list[str]
) -> None:
    panel = _intake(qtbot, ctx)
    for kind in ("nul", "bidi", "superscript"):
        _fill_each(qtbot, ctx, panel, kind)
    assert boxes == []
    assert shown == []  # nothing with a NUL or bidi control was kept or printed


def _fill_each(qtbot: QtBot, ctx: AppContext, panel: IntakePanel, kind: str) -> None:
    assert panel.form is not None
    typed = [
        (k, w) for k, w in panel.form.inputs.items() if isinstance(w, QLineEdit | QPlainTextEdit)
    ]
    assert {k for k, _ in typed} >= {"household_size", "household_income", "reason"}
    numbers = ("household_size", "household_income")  # ² is fine in text: "50 m²"
    for key, widget in typed:
        if kind == "superscript" and key not in numbers:
            continue
        for _k, w in typed:
            _set(w, "")
        bad = "²" if kind == "superscript" else HOSTILE[kind]
        _set(widget, "1" + bad)
        # The live check names the field at once…
        message = panel.form.errors[key].text()
        assert message and not panel.form.errors[key].isHidden(), key
        # …and the 一次性告知 refuses it under the same field if the text cannot be stored.
        if kind == "superscript":  # not worth a notice each: the live check is the point
            assert "²" in message
            continue
        panel.form.show_errors({})  # only the service's answer may bring it back
        panel.tell_missing()
        qtbot.waitUntil(lambda key=key: panel.form.errors[key].text() != "")
        assert expected(kind) in panel.form.errors[key].text(), key
        assert expected(kind) in panel.status.text()


def test_ten_kilobytes_in_the_reason_is_a_field_problem_on_the_notice(
    qtbot: QtBot, ctx: AppContext, boxes: list[str], shown: list[str]
) -> None:
    panel = _intake(qtbot, ctx)
    assert panel.form is not None
    _set(panel.form.inputs["reason"], HOSTILE["10kB"])
    assert "最多 500 个字" in panel.form.errors["reason"].text()
    panel.tell_missing()
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0].startswith("一次性告知书")
    assert boxes == []


def test_material_note_and_refusal_reason(
    qtbot: QtBot,
    ctx: AppContext,
    boxes: list[str],
    shown: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panel = _intake(qtbot, ctx)
    for kind in ("nul", "bidi"):
        _note_and_reason(qtbot, panel, monkeypatch, kind)
    assert shown == [] and boxes == []


def _note_and_reason(
    qtbot: QtBot, panel: IntakePanel, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    panel.status.clear()
    note = panel.checklist.note_edit("id_card")
    assert note is not None
    note.setText("复印件" + HOSTILE[kind])
    panel.save_draft()
    qtbot.waitUntil(lambda: note.toolTip() != "")
    assert expected(kind) in note.toolTip() and "居民身份证备注" in note.toolTip()
    assert "C0392B" in note.styleSheet()  # framed red, the message beside it in the status
    assert expected(kind) in panel.status.text()
    note.setText("复印件一份")
    assert note.toolTip() == "" and note.styleSheet() == ""
    monkeypatch.setattr(panel, "ask_reason", lambda: "户籍不在本辖区" + HOSTILE[kind])
    panel.status.clear()
    panel.refuse()
    qtbot.waitUntil(lambda: "不予受理理由" in panel.status.text())
    assert expected(kind) in panel.status.text()
