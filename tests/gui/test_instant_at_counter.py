"""即办件 at the counter through the real intake panel: 受理 prints the result at once.

The clerk sees one print preview: a 即办件's certificate (its receipt kept, not printed),
followed by the 容缺受理承诺书 when a material was promised; a 承诺件 with a promised
material shows its receipt and the 承诺书. The visit line says 当场办结, and the pickup
window has nothing for the applicant.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QCheckBox
from pytestqt.qtbot import QtBot

from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.states import CaseState
from tests.helpers.dibao import DIBAO_FORM
from tests.helpers.pdf import barcodes, pdf_text
from tests.helpers.people import id_number
from ui.context import AppContext
from ui.counter import intake_panel as panel_module
from ui.counter.intake_panel import IntakePanel
from ui.counter.pickup_panel import PickupPanel

NUMBER = id_number(date(1972, 4, 9), 23, female=True)


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str]]:
    out: list[tuple[bytes, str]] = []
    monkeypatch.setattr(panel_module, "show_pdf", lambda _p, pdf, title: out.append((pdf, title)))
    return out


def _walk_in(qtbot: QtBot, ctx: AppContext, code: str) -> IntakePanel:
    panel = IntakePanel(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: len(panel.services) > 40)
    panel.start(None)
    panel.applicant.id_edit.setText(NUMBER)
    panel.applicant.name_edit.setText("吴桂兰")
    panel.applicant.save()
    qtbot.waitUntil(lambda: panel.applicant.resident is not None)
    panel.choose_service(code)
    return panel


def _pages(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "shown.pdf"
    path.write_bytes(pdf)
    return [page.extract_text() for page in PdfReader(path).pages]


def test_an_instant_case_shows_its_certificate_and_waits_for_no_pickup(
    qtbot: QtBot, ctx: AppContext, shown: list[tuple[bytes, str]], tmp_path: Path
) -> None:
    panel = _walk_in(qtbot, ctx, "GA005")
    assert panel.form is not None
    panel.form.set_values({"proof_type": "亲属关系证明", "purpose": "办理继承公证"})
    panel.checklist.receive_all()
    assert "可以受理" in panel.status.text()
    panel.accept_case()
    qtbot.waitUntil(lambda: len(shown) == 1)
    case = panel.visit_cases[0]
    assert case.state == CaseState.DELIVERED and case.case_no
    pdf, title = shown[0]
    assert title == f"户籍证明 {case.case_no}"
    assert len(_pages(pdf, tmp_path)) == 1  # the certificate alone: one page, one print
    text = pdf_text(pdf, tmp_path)
    assert "兹证明 吴桂兰" in text and "当场出件" in text and "领取人：吴桂兰（本人，" in text
    assert barcodes(pdf, tmp_path) == [f"CODE-128:{case.case_no}"]
    line = panel.visit_list.item(0).text()
    assert case.case_no in line and "户籍证明开具" in line and line.endswith("当场办结")
    assert panel.status.text().startswith(f"当场办结：{case.case_no}，结果已交吴桂兰（本人，")

    pickup = PickupPanel(ctx, panel.actor)
    qtbot.addWidget(pickup)
    pickup.query.setText(NUMBER)
    pickup.search()
    qtbot.waitUntil(lambda: "没有待领取" in pickup.status.text())
    assert pickup.table.rowCount() == 0 and pickup.cases == []


def test_a_promised_photo_shows_the_certificate_then_the_promise(
    qtbot: QtBot, ctx: AppContext, shown: list[tuple[bytes, str]], tmp_path: Path
) -> None:
    panel = _walk_in(qtbot, ctx, "RS003")
    assert panel.form is not None
    panel.form.set_values({"phone": "13912345678", "bank": "农业银行"})
    received = panel.checklist.received_box("id_card")
    promised = panel.checklist.findChild(QCheckBox, "deferred_photo")
    assert received is not None and promised is not None and promised.isEnabled()
    received.setChecked(True)
    promised.setChecked(True)
    assert "可容缺受理（承诺补交：近期一寸免冠照片）" in panel.status.text()
    panel.accept_case()
    qtbot.waitUntil(lambda: len(shown) == 1)
    case = panel.visit_cases[0]
    assert case.state == CaseState.DELIVERED and case.deferred_until is not None
    pdf, title = shown[0]
    assert title == f"社会保障卡领卡凭证、容缺受理承诺书 {case.case_no}"
    first, second = _pages(pdf, tmp_path)
    assert "社会保障卡领卡凭证" in first and "容缺受理承诺书" in second
    due = case.deferred_until.isoformat()
    assert due in second.replace("\n", "") and "近期一寸免冠照片" in second
    assert panel.visit_list.item(0).text().endswith("当场办结")
    assert f"容缺材料 {due} 前补交，请申请人签署承诺书" in panel.status.text()


def test_a_promised_case_with_a_promise_shows_receipt_then_promise(
    qtbot: QtBot, ctx: AppContext, shown: list[tuple[bytes, str]], tmp_path: Path
) -> None:
    panel = _walk_in(qtbot, ctx, "MZ001")
    assert panel.form is not None
    panel.form.set_values(dict(DIBAO_FORM))
    panel.checklist.receive_all()
    for key in ("authorization",):
        received = panel.checklist.received_box(key)
        promised = panel.checklist.findChild(QCheckBox, f"deferred_{key}")
        assert received is not None and promised is not None
        received.setChecked(False)
        promised.setChecked(True)
    assert "可容缺受理" in panel.status.text()
    panel.accept_case()
    qtbot.waitUntil(lambda: len(shown) == 1)
    case = panel.visit_cases[0]
    assert case.state == CaseState.ACCEPTED and case.due_date is not None
    pdf, title = shown[0]
    assert title == f"受理回执、容缺受理承诺书 {case.case_no}"
    first, second = _pages(pdf, tmp_path)
    assert "受 理 回 执" in first and "承诺办结日期" in first.replace("\n", "")
    assert "容缺受理承诺书" in second and "家庭经济状况核对授权书" in second.replace("\n", "")
    line = panel.visit_list.item(0).text()
    assert line.endswith("已受理") and "当场办结" not in panel.status.text()
    assert f"承诺 {case.due_date.isoformat()} 前办结" in panel.status.text()
