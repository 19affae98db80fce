"""Pages and drafts at the counter: a resumed draft's stored pages (shown read only,
duplicates refused), a draft resumed over the service already chosen, every refusal of a
mixed drop listed. Helpers and fixtures from :mod:`tests.gui.test_page_capture`."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.materials.viewing import case_pages
from tests.gui.test_page_capture import (
    FILE_SIZE,
    _file,
    _pages_button,
    _row,
    _settled,
    _walk_in,
    camera,
    shown,
)
from tests.helpers import pages as tp
from tests.helpers.dibao import DIBAO_FORM
from ui.context import AppContext
from ui.counter.capture_dialog import CaptureDialog
from ui.counter.frame_source import PictureFrames

__all__ = ["camera", "shown"]  # the fixtures, used by name


def test_a_resumed_draft_counts_its_stored_pages_and_adds_after_them(
    qtbot: QtBot,
    ctx: AppContext,
    camera: PictureFrames,
    shown: list[tuple[bytes, str]],
    tmp_path: Path,
) -> None:
    panel = _walk_in(qtbot, ctx, "MZ001", 33)
    assert panel.form is not None
    panel.form.set_values(dict(DIBAO_FORM))
    checklist = panel.checklist
    checklist.open_pages(_row(checklist, "收入证明"))
    dialog = checklist.capture_dialog
    assert dialog is not None
    dialog.add_files([_file(tmp_path, "流水.pdf", tp.form_pdf(2))])
    _settled(qtbot, ctx, dialog)
    dialog.accept()
    panel.save_draft()  # 暂存: the two pages are stored with the draft
    qtbot.waitUntil(lambda: panel.draft_id is not None, timeout=20_000)

    # Another day, another panel: the applicant's draft is resumed.
    later = _walk_in(qtbot, ctx, "MZ002", 33)
    qtbot.waitUntil(later.resume_button.isVisible)
    later.resume_button.click()
    qtbot.waitUntil(lambda: later.draft_id is not None)
    again = later.checklist
    button = _pages_button(again, "income_proof")
    assert button.text() == "2" and "暂存件已保存 2 页，本次新增 0 页" in button.toolTip()
    assert again.pages() == {}  # the stored pages stay with the case, not re-sent
    again.open_pages(_row(again, "收入证明"))
    dialog = again.capture_dialog
    assert dialog is not None
    assert dialog.count.text() == "暂存件已保存 2 页，本次新增 0 页"
    qtbot.waitUntil(lambda: dialog.stored.list.count() == 2)  # the stored pages, read only
    assert dialog.stored.isVisible() and "已保存 2 页（不能在此修改）" in dialog.stored.title.text()
    # The same statement again: refused as a duplicate of a stored page, said, not added.
    dialog.add_files([_file(tmp_path, "流水.pdf", tp.form_pdf(2))])
    _settled(qtbot, ctx, dialog)
    assert dialog.pages() == ()
    assert "与已保存的第 1 页完全相同" in dialog.message.text()
    assert "与已保存的第 2 页完全相同" in dialog.message.text()
    dialog.add_files([_file(tmp_path, "补充.png", tp.encoded(tp.draw(FILE_SIZE), "PNG"))])
    _settled(qtbot, ctx, dialog)
    assert dialog.count.text() == "暂存件已保存 2 页，本次新增 1 页"
    dialog.accept()
    assert _pages_button(again, "income_proof").text() == "3"
    again.receive_all()
    later.activateWindow()
    qtbot.waitUntil(later.isActiveWindow)
    qtbot.keyClick(later, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=20_000)
    stored = case_pages(ctx.db, later.actor, later.visit_cases[0].case_id)
    assert [(p.position, p.width, p.height) for p in stored][-1] == (3, *FILE_SIZE)
    assert len(stored) == 3


def test_every_refusal_of_a_mixed_drop_stays_in_view(
    qtbot: QtBot, ctx: AppContext, camera: PictureFrames, tmp_path: Path
) -> None:
    dialog = CaptureDialog(ctx, "收入证明")
    qtbot.addWidget(dialog)
    dialog.show()
    good = _file(tmp_path, "好.png", tp.encoded(tp.draw(FILE_SIZE), "PNG"))
    text = _file(tmp_path, "文本.jpg", b"just some text, renamed")
    broken = _file(tmp_path, "坏.jpg", tp.encoded(tp.draw(FILE_SIZE))[:400])
    empties = [_file(tmp_path, f"空{n}.jpg", b"") for n in range(4)]
    dialog.add_files([text, good, broken, *empties])
    _settled(qtbot, ctx, dialog)
    assert len(dialog.pages()) == 1
    shown = dialog.message.text()
    assert "文本.jpg" in shown and "坏.jpg" in shown  # every refusal, not only the last
    assert all(f"空{n}.jpg" in shown for n in range(4))
    dialog.add_files([_file(tmp_path, "又一页.png", tp.encoded(tp.draw((700, 900)), "PNG"))])
    _settled(qtbot, ctx, dialog)
    assert dialog.message.text() == ""  # a new batch starts clean


def test_a_draft_resumed_over_the_same_service_brings_back_its_form_and_ticks(
    qtbot: QtBot, ctx: AppContext, camera: PictureFrames, tmp_path: Path
) -> None:
    """The clerk had already picked 低保 when 继续暂存件 was pressed (QA round 2)."""
    panel = _walk_in(qtbot, ctx, "MZ001", 34)
    assert panel.form is not None
    panel.form.set_values(dict(DIBAO_FORM))
    panel.checklist.receive_all()
    panel.save_draft()
    qtbot.waitUntil(lambda: panel.draft_id is not None, timeout=20_000)
    later = _walk_in(qtbot, ctx, "MZ001", 34)  # the same service chosen first
    qtbot.waitUntil(later.resume_button.isVisible)
    later.resume_button.click()
    qtbot.waitUntil(lambda: later.draft_id is not None)
    assert later.form is not None
    shown = later.form.values()
    for key, value in DIBAO_FORM.items():
        assert shown.get(key) == value, key
    assert later.checklist.rowCount() > 0
    box = later.checklist.received_box("income_proof")
    assert box is not None and box.isChecked()
