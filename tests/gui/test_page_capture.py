"""Capturing a material's pages at the counter: document camera, files, bad files, fit.

The camera is a :class:`~ui.counter.frame_source.PictureFrames` given to the dialog (this
machine has none); the pages go through the real preparation off the GUI thread and are
stored with the case by 受理 (F9), on both backends.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from app.materials.viewing import case_pages
from app.people import users
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers import pages as tp
from tests.helpers.dibao import DIBAO_FORM
from tests.helpers.people import id_number
from ui.context import AppContext
from ui.counter import intake_panel as panel_module
from ui.counter.capture_dialog import NO_CAMERA, CaptureDialog
from ui.counter.frame_source import PictureFrames
from ui.counter.intake_panel import IntakePanel
from ui.counter.materials_checklist import PAGES_COLUMN, MaterialsChecklist
from ui.main_window import MainWindow

# Sizes that tell the pages apart once stored (prepared pages keep their size under A4).
SHOT_SIZES = ((800, 1100), (900, 1200))
FILE_SIZE = (1000, 700)


def _qimage(img: Image.Image) -> QImage:
    image = QImage.fromData(tp.encoded(img, "PNG"))
    assert not image.isNull()
    return image


@pytest.fixture
def camera(monkeypatch: pytest.MonkeyPatch) -> PictureFrames:
    """The document camera every capture dialog finds: two pictures in turn."""
    frames = PictureFrames([_qimage(tp.draw(size)) for size in SHOT_SIZES])
    monkeypatch.setattr(CaptureDialog, "sources", staticmethod(lambda: frames))
    return frames


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[tuple[bytes, str]]:
    out: list[tuple[bytes, str]] = []
    monkeypatch.setattr(panel_module, "show_pdf", lambda _p, pdf, title: out.append((pdf, title)))
    return out


def _walk_in(qtbot: QtBot, ctx: AppContext, code: str, seq: int) -> IntakePanel:
    panel = IntakePanel(ctx, users.demo_actor(ctx.db, "clerk"))
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitUntil(lambda: len(panel.services) > 40)
    panel.start(None)
    panel.applicant.id_edit.setText(id_number(date(1966, 5, 4), seq, female=True))
    panel.applicant.name_edit.setText("周玉兰")
    panel.applicant.save()
    qtbot.waitUntil(lambda: panel.applicant.resident is not None)
    panel.choose_service(code)
    return panel


def _row(checklist: MaterialsChecklist, name: str) -> int:
    rows = [r for r in range(checklist.rowCount()) if checklist.item(r, 0).text() == name]
    assert len(rows) == 1, name
    return rows[0]


def _pages_button(checklist: MaterialsChecklist, key: str) -> QPushButton:
    """The 页 button of ``key``'s row on screen (replaced rows wait to be deleted)."""
    cells = [checklist.cellWidget(r, PAGES_COLUMN) for r in range(checklist.rowCount())]
    buttons = [c for c in cells if isinstance(c, QPushButton) and c.objectName() == f"pages_{key}"]
    assert len(buttons) == 1, key
    return buttons[0]


def _settled(qtbot: QtBot, ctx: AppContext, dialog: CaptureDialog) -> None:
    qtbot.waitUntil(lambda: dialog.working == 0 and ctx.ops.pending == 0, timeout=20_000)


def _file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_two_camera_pages_and_a_file_for_the_income_proof_are_stored_with_the_case(
    qtbot: QtBot,
    ctx: AppContext,
    camera: PictureFrames,
    shown: list[tuple[bytes, str]],
    tmp_path: Path,
) -> None:
    panel = _walk_in(qtbot, ctx, "MZ001", 31)
    assert panel.form is not None
    panel.form.set_values(dict(DIBAO_FORM))
    panel.checklist.receive_all()
    checklist = panel.checklist
    assert _pages_button(checklist, "income_proof").text() == "0"
    # By keyboard: the row of 收入证明 current, P opens its pages, Space takes a page.
    checklist.setCurrentCell(_row(checklist, "收入证明"), 0)
    checklist.setFocus()
    qtbot.keyClick(checklist, Qt.Key.Key_P)
    dialog = checklist.capture_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.windowTitle() == "材料采集 — 收入证明"
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog, Qt.Key.Key_Space)
    _settled(qtbot, ctx, dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Space)
    _settled(qtbot, ctx, dialog)
    dialog.add_files([_file(tmp_path, "工资流水.png", tp.encoded(tp.draw(FILE_SIZE), "PNG"))])
    _settled(qtbot, ctx, dialog)
    assert [(p.width, p.height) for p in dialog.pages()] == [*SHOT_SIZES, FILE_SIZE]
    assert dialog.count.text() == "共 3 页" and dialog.message.text() == ""
    dialog.accept()
    assert camera.stopped
    assert _pages_button(checklist, "income_proof").text() == "3"
    assert list(checklist.pages()) == ["income_proof"]

    panel.activateWindow()  # back at the intake, the dialog closed
    qtbot.waitUntil(panel.isActiveWindow)
    qtbot.keyClick(panel, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=20_000)
    case = panel.visit_cases[0]
    stored = [p for p in case_pages(ctx.db, panel.actor, case.case_id)]
    assert [p.material_key for p in stored] == ["income_proof"] * 3
    assert [(p.width, p.height) for p in stored] == [*SHOT_SIZES, FILE_SIZE]
    assert [p.position for p in stored] == sorted(p.position for p in stored)
    # The case is taken: its pages are gone from the counter with its ticks.
    panel.choose_service("MZ001")
    assert checklist.pages() == {} and _pages_button(checklist, "income_proof").text() == "0"


# a one-page PDF whose opening action runs JavaScript (no xref table: PDFium repairs it)
_SCRIPT_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
    b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    b"4 0 obj << /Type /Action /S /JavaScript /JS (app.alert(1)) >> endobj\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def test_bad_files_are_refused_with_a_message_and_nothing_is_lost(
    qtbot: QtBot, ctx: AppContext, camera: PictureFrames, tmp_path: Path
) -> None:
    dialog = CaptureDialog(ctx, "收入证明")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.capture()
    _settled(qtbot, ctx, dialog)
    kept = dialog.pages()
    assert len(kept) == 1
    corrupt = tp.encoded(tp.draw(), "JPEG")[:600]  # a JPEG cut short: the header reads
    bad = (
        ("损坏.jpg", corrupt, "图片 损坏.jpg 已损坏"),
        ("说明.jpg", "这不是图片".encode(), "说明.jpg 不是图片或 PDF 文件"),
        ("脚本.pdf", _SCRIPT_PDF, "含有脚本"),
    )
    for name, data, message in bad:
        dialog.add_files([_file(tmp_path, name, data)])
        _settled(qtbot, ctx, dialog)
        assert message in dialog.message.text()
        assert dialog.pages() == kept
    dialog.add_files([_file(tmp_path, "好的.png", tp.encoded(tp.draw(FILE_SIZE), "PNG"))])
    _settled(qtbot, ctx, dialog)
    assert len(dialog.pages()) == 2 and dialog.message.text() == ""


def test_turn_move_and_delete_pages(qtbot: QtBot, ctx: AppContext, camera: PictureFrames) -> None:
    dialog = CaptureDialog(ctx, "收入证明")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.capture()
    dialog.capture()
    _settled(qtbot, ctx, dialog)
    first, second = dialog.pages()
    dialog.list.setCurrentRow(0)
    dialog.turn(1)
    _settled(qtbot, ctx, dialog)
    turned = dialog.pages()[0]
    assert (turned.width, turned.height) == (first.height, first.width)
    assert turned.sha256 != first.sha256
    dialog.turn(-1)  # back as it was: the page as prepared, not re-encoded twice
    _settled(qtbot, ctx, dialog)
    assert dialog.pages() == (first, second)
    assert not dialog.back_button.isEnabled() and dialog.forward_button.isEnabled()
    dialog.move_page(1)
    assert dialog.pages() == (second, first) and dialog.list.currentRow() == 1
    dialog.delete_page()
    assert dialog.pages() == (second,)
    dialog.reject()
    assert camera.stopped


def test_pages_stay_with_their_service(
    qtbot: QtBot, ctx: AppContext, camera: PictureFrames
) -> None:
    panel = _walk_in(qtbot, ctx, "MZ001", 32)
    checklist = panel.checklist
    _pages_button(checklist, "income_proof").click()
    dialog = checklist.capture_dialog
    assert dialog is not None
    dialog.capture()
    _settled(qtbot, ctx, dialog)
    dialog.accept()
    assert len(checklist.pages()["income_proof"]) == 1
    panel.choose_service("ZJ001")  # 住房保障 also asks for an income proof
    assert _row(checklist, "家庭收入证明") >= 0
    assert checklist.pages() == {} and _pages_button(checklist, "income_proof").text() == "0"
    inp = panel._input()
    assert inp is not None and inp.pages == {}
    panel.choose_service("MZ001")
    assert len(checklist.pages()["income_proof"]) == 1
    assert _pages_button(checklist, "income_proof").text() == "1"
    panel.start(None)  # the next person
    panel.choose_service("MZ001")
    assert checklist.pages() == {}


def test_no_camera_says_so_and_files_still_add(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(CaptureDialog, "sources", staticmethod(lambda: None))
    dialog = CaptureDialog(ctx, "身份证")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.notice.text() == NO_CAMERA and "未检测到高拍仪/摄像头" in NO_CAMERA
    assert not dialog.capture_button.isEnabled()
    dialog.capture()  # Space with no camera: nothing happens
    scan = _file(tmp_path, "扫描.pdf", tp.form_pdf(2))
    dialog.add_files([scan])
    _settled(qtbot, ctx, dialog)
    assert [p.source for p in dialog.pages()] == ["扫描.pdf 第 1 页", "扫描.pdf 第 2 页"]


@pytest.mark.parametrize("desk_name", ["1366x768", "1920x1080"])
def test_the_capture_dialog_and_the_intake_with_pages_fit(
    qtbot: QtBot,
    ctx: AppContext,
    camera: PictureFrames,
    app_style: None,
    tmp_path: Path,
    desk_name: str,
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the platform has no such screen (QT_QPA_PLATFORM not offscreen)")
    window = MainWindow(ctx, users.demo_actor(ctx.db, "clerk"))
    qtbot.addWidget(window)
    screen_fit.place(window, desk, Kind.WORKSPACE)
    panel = window.intake_panel
    window.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: len(panel.services) > 40 and ctx.ops.pending == 0)
    panel.choose_service("MZ001")
    checklist = panel.checklist
    checklist.open_pages(_row(checklist, "收入证明"))
    dialog = checklist.capture_dialog
    assert dialog is not None
    dialog.capture()
    dialog.capture()
    _settled(qtbot, ctx, dialog)
    dialog.list.setCurrentRow(1)
    screen_fit.place(dialog, desk, Kind.DIALOG)
    QApplication.processEvents()
    found = screen_fit.misfits(dialog, desk.room(Kind.DIALOG))
    shot = screen_fit.screenshot(dialog, f"capture-{desk_name}", tmp_path)
    assert not found, f"{shot}: " + "; ".join(found)
    dialog.accept()
    QApplication.processEvents()
    assert _pages_button(checklist, "income_proof").text() == "2"
    found = screen_fit.misfits(window, desk.room(Kind.WORKSPACE))
    shot = screen_fit.screenshot(window, f"intake-pages-{desk_name}", tmp_path)
    assert not found, f"{shot}: " + "; ".join(found)


def test_files_dropped_on_the_dialog_are_added(
    qtbot: QtBot, ctx: AppContext, camera: PictureFrames, tmp_path: Path
) -> None:
    dialog = CaptureDialog(ctx, "收入证明")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "拖入" in dialog.hint.text()
    files = [
        _file(tmp_path, "一.png", tp.encoded(tp.draw(FILE_SIZE), "PNG")),
        _file(tmp_path, "二.jpg", tp.encoded(tp.draw(SHOT_SIZES[0]), "JPEG")),
    ]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    point = QPointF(dialog.rect().center())
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        point, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    dialog.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        point, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    dialog.dropEvent(drop)
    _settled(qtbot, ctx, dialog)
    assert [p.source for p in dialog.pages()] == ["一.png", "二.jpg"]
    assert dialog.hint.text() == ""
