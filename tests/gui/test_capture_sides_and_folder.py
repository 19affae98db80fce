"""The capture dialog's ID card sides, auto-crop and the watched scanner folder.

- 居民身份证 (catalog ``sides: [人像面, 国徽面]``): two camera captures become ONE A4 page;
  unticking 两面合成一页 takes pages as they come.
- 自动裁边纠偏: a sheet lying turned on the camera's base is stored as the sheet alone.
- The scanner's folder, chosen once for the PC: files written there while the dialog is
  open are added once fully written; files that were there before are not.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.materials.intake import PAGE_BOX
from tests.gui import screen_fit
from tests.gui.screen_fit import Kind
from tests.helpers import pages as tp
from ui.context import AppContext
from ui.counter import scan_folder
from ui.counter.capture_dialog import CaptureDialog
from ui.counter.frame_source import PictureFrames

SIDES = ("人像面", "国徽面")


def _qimage(img: Image.Image) -> QImage:
    image = QImage.fromData(tp.encoded(img, "JPEG"))
    assert not image.isNull()
    return image


def _dialog(
    qtbot: QtBot,
    ctx: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    pictures: list[Image.Image],
    sides: tuple[str, ...] = (),
) -> CaptureDialog:
    frames = PictureFrames([_qimage(p) for p in pictures])
    monkeypatch.setattr(CaptureDialog, "sources", staticmethod(lambda: frames))
    dialog = CaptureDialog(ctx, "居民身份证" if sides else "收入证明", sides=sides)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _settled(qtbot: QtBot, ctx: AppContext, dialog: CaptureDialog) -> None:
    qtbot.waitUntil(lambda: dialog.working == 0 and ctx.ops.pending == 0, timeout=20_000)


def test_two_sides_of_the_id_card_are_one_page(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    cards = [tp.on_base(tp.id_card_side(True), 7), tp.on_base(tp.id_card_side(False), -4)]
    dialog = _dialog(qtbot, ctx, monkeypatch, cards, SIDES)
    assert dialog.sides_box.isVisible() and dialog.sides_box.compose.isChecked()
    assert "请拍摄或添加人像面" in dialog.sides_box.status.text()
    dialog.capture()
    assert "人像面 ✓" in dialog.sides_box.status.text()
    assert "国徽面 待拍" in dialog.sides_box.status.text()
    assert dialog.pages() == ()  # one side is no page yet
    dialog.capture()
    _settled(qtbot, ctx, dialog)
    pages = dialog.pages()
    assert len(pages) == 1 and (pages[0].width, pages[0].height) == PAGE_BOX
    assert pages[0].source == "居民身份证（人像面、国徽面）"
    assert "请拍摄或添加人像面" in dialog.sides_box.status.text()  # ready for another card
    # Unticked: a capture is a page of its own.
    dialog.sides_box.compose.setChecked(False)
    dialog.capture()
    _settled(qtbot, ctx, dialog)
    assert len(dialog.pages()) == 2 and dialog.sides_box.status.text() == "逐页添加"


def test_image_files_fill_the_sides_and_a_pdf_is_a_page(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, ctx, monkeypatch, [], SIDES)
    front, back, pdf = tmp_path / "正面.jpg", tmp_path / "反面.png", tmp_path / "复印件.pdf"
    front.write_bytes(tp.encoded(tp.id_card_side(True)))
    back.write_bytes(tp.encoded(tp.id_card_side(False), "PNG"))
    pdf.write_bytes(tp.form_pdf(1))
    dialog.add_files([front, pdf, back])
    _settled(qtbot, ctx, dialog)
    assert [p.source for p in dialog.pages()] == [
        "复印件.pdf 第 1 页",
        "居民身份证（人像面、国徽面）",
    ]


def test_a_broken_side_is_refused_and_the_card_starts_again(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, ctx, monkeypatch, [], SIDES)
    front, broken = tmp_path / "正面.jpg", tmp_path / "反面.jpg"
    front.write_bytes(tp.encoded(tp.id_card_side(True)))
    broken.write_bytes(b"this is not a picture")
    dialog.add_files([front, broken])
    _settled(qtbot, ctx, dialog)
    assert dialog.pages() == () and "居民身份证国徽面" in dialog.message.text()
    assert "请拍摄或添加人像面" in dialog.sides_box.status.text()


def test_a_material_without_sides_shows_no_sides_box(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, monkeypatch, [tp.draw()])
    assert not dialog.sides_box.isVisible() and not dialog.sides_box.active


@pytest.mark.parametrize("straighten", [True, False])
def test_a_sheet_on_the_base_is_cropped_unless_the_clerk_turns_it_off(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, straighten: bool
) -> None:
    frame = tp.on_base(tp.scan(100), 6, frame=(1600, 1200))
    dialog = _dialog(qtbot, ctx, monkeypatch, [frame])
    assert dialog.straighten.isChecked()  # on by default
    dialog.straighten.setChecked(straighten)
    dialog.capture()
    _settled(qtbot, ctx, dialog)
    (page,) = dialog.pages()
    if straighten:
        assert page.height > page.width  # the portrait sheet alone
    else:
        assert (page.width, page.height) == (1600, 1200)


def test_new_files_in_the_scanner_folder_are_added_old_ones_are_not(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "扫描仪"
    folder.mkdir()
    (folder / "昨天.png").write_bytes(tp.encoded(tp.draw((700, 900)), "PNG"))
    monkeypatch.setattr(scan_folder, "SETTLE_MS", 50)
    scan_folder.set_scan_folder(None)  # this PC has none yet
    dialog = _dialog(qtbot, ctx, monkeypatch, [])
    assert dialog.scan_row.label.text() == "未设置扫描文件夹"
    monkeypatch.setattr(dialog.scan_row, "ask_folder", lambda: folder)
    dialog.scan_row.choose()
    assert scan_folder.scan_folder() == folder  # kept for this PC
    assert "正在监视扫描文件夹" in dialog.scan_row.label.text()
    (folder / "scan0001.png").write_bytes(tp.encoded(tp.draw((800, 1000)), "PNG"))
    qtbot.waitUntil(lambda: len(dialog.pages()) == 1, timeout=10_000)
    _settled(qtbot, ctx, dialog)
    assert [p.source for p in dialog.pages()] == ["scan0001.png"]
    dialog.reject()
    # The next dialog on this PC watches the same folder at once.
    again = _dialog(qtbot, ctx, monkeypatch, [])
    assert again.scan_row.watcher is not None and again.scan_row.watcher.folder == folder
    again.reject()
    scan_folder.set_scan_folder(None)


@pytest.mark.parametrize("desk_name", ["1366x768", "1920x1080"])
def test_the_id_card_dialog_fits_the_desk(
    qtbot: QtBot,
    ctx: AppContext,
    monkeypatch: pytest.MonkeyPatch,
    app_style: None,
    tmp_path: Path,
    desk_name: str,
) -> None:
    desk = screen_fit.desk(desk_name)
    if desk is None:
        pytest.skip("the platform has no such screen (QT_QPA_PLATFORM not offscreen)")
    scan_folder.set_scan_folder(tmp_path)
    cards = [tp.on_base(tp.id_card_side(True), 7), tp.on_base(tp.id_card_side(False), -4)]
    dialog = _dialog(qtbot, ctx, monkeypatch, cards * 2, SIDES)
    for _ in range(3):  # one card composed, the next card's 人像面 taken
        dialog.capture()
    _settled(qtbot, ctx, dialog)
    screen_fit.place(dialog, desk, Kind.DIALOG)
    QApplication.processEvents()
    found = screen_fit.misfits(dialog, desk.room(Kind.DIALOG))
    shot = screen_fit.screenshot(dialog, f"capture-id-card-{desk_name}", tmp_path)
    assert not found, f"{shot}: " + "; ".join(found)
    assert len(dialog.pages()) == 1 and "人像面 ✓" in dialog.sides_box.status.text()
    dialog.reject()
    scan_folder.set_scan_folder(None)
