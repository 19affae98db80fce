"""Every case number the product issues opens its case when scanned (ScanCatcher)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.db.models import CaseCounter
from app.hall import setup
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from forms.loader import load_catalog
from tests.helpers.catalog_copies import catalog_copy, rename_department
from tests.helpers.dibao import accept_dibao, applicant
from ui.casefile.view import CaseView
from ui.context import AppContext
from ui.counter.intake_panel import IntakePanel


def _scan(
    qtbot: QtBot, panel: IntakePanel, case_no: str, target: QLineEdit | None = None
) -> CaseView:
    """Type the number fast into the focused field and end with Enter, as a scanner does."""
    for old in panel.findChildren(CaseView):
        old.close()
        old.setParent(None)
    opened: list[str] = []
    panel.scanner.scanned.connect(opened.append)
    target = target or panel.applicant.address_edit
    target.setFocus()
    target.setText("")
    qtbot.keyClicks(target, case_no)
    qtbot.keyClick(target, Qt.Key.Key_Return)
    assert opened == [case_no]
    assert target.text() == ""  # taken as a scan, not typed into the field
    qtbot.waitUntil(lambda: panel.findChild(CaseView) is not None)
    view = panel.findChild(CaseView)
    assert view is not None
    return view


def test_gaj_department_and_the_10000th_case_open_when_scanned(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    rename_department(folder, "MZ", "GAJ")
    setup.sync_catalog(ctx.db, load_catalog(folder), "DEMO")
    gaj = accept_dibao(ctx.db, applicant(ctx.db, "吴小梅", seq=82))
    with ctx.db.unit_of_work() as s:
        s.execute(update(CaseCounter).where(CaseCounter.prefix == "DEMO-GAJ").values(n=9999))
        s.commit()
    ten_thousandth = accept_dibao(ctx.db, applicant(ctx.db, "周大海", seq=81))
    assert gaj.case_no is not None and gaj.case_no.startswith("DEMO-GAJ")
    assert ten_thousandth.case_no is not None and ten_thousandth.case_no.endswith("-10000")
    panel = IntakePanel(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    for number in (gaj.case_no, ten_thousandth.case_no):
        view = _scan(qtbot, panel, number)
        assert view.file.case_no == number


def test_a_scan_into_a_row_built_after_the_workspace_opens_the_case(
    qtbot: QtBot, ctx: AppContext
) -> None:
    """The materials checklist is built per service, after the scanner began watching."""
    case = accept_dibao(ctx.db, applicant(ctx.db, "郑小燕", seq=83))
    assert case.case_no is not None
    panel = IntakePanel(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: len(panel.services) > 40)
    panel.choose_service("MZ001")
    qtbot.waitUntil(lambda: panel.checklist.note_edit("id_card") is not None)
    note = panel.checklist.note_edit("id_card")
    assert note is not None
    qtbot.waitUntil(note.isVisible)
    view = _scan(qtbot, panel, case.case_no, target=note)
    assert view.file.case_no == case.case_no
    # The service's form is built after the scanner began watching, too.
    assert panel.form is not None
    field = next(e for e in panel.form.findChildren(QLineEdit) if e.isVisible())
    view = _scan(qtbot, panel, case.case_no, target=field)
    assert view.file.case_no == case.case_no


def test_a_scan_into_the_id_field_leaves_it_as_it_was(qtbot: QtBot, ctx: AppContext) -> None:
    """The ID field takes 18 characters (digits and X): a 20-character hall number typed into
    it by the scanner was cut, and only its end removed; the field now gets back what it
    held before the scan (issue 17's QA)."""
    case = accept_dibao(ctx.db, applicant(ctx.db, "孙小红", seq=84))
    assert case.case_no is not None and case.case_no.startswith("DEMO-")
    panel = IntakePanel(ctx, users.login(ctx.db, "clerk", DEMO_PASSWORD))
    qtbot.addWidget(panel)
    panel.show()
    field = panel.applicant.id_edit
    field.setFocus()
    field.setText("1101")  # the clerk had begun typing a number
    opened: list[str] = []
    panel.scanner.scanned.connect(opened.append)
    qtbot.keyClicks(field, case.case_no)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert opened == [case.case_no]
    assert field.text() == "1101"
    qtbot.waitUntil(lambda: panel.findChild(CaseView) is not None)
