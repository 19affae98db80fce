"""The supervisor's notice dialog counts against the limit and keeps refused text (QA of issue 12)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import queueing, windows
from app.queue.windows import NOTICE_MAX_CHARS
from ui.context import AppContext
from ui.supervisor.hall_view import HallView
from ui.supervisor.notice_dialog import NoticeDialog


@pytest.mark.parametrize(
    "typed,message",
    [
        ("公告" * 300, f"公告：最多 {NOTICE_MAX_CHARS} 个字（现有 600 个）。"),
        ("请到\x00三号窗口", "U+0000"),
    ],
)
def test_a_refused_notice_keeps_the_text_and_shows_why(
    qtbot: QtBot, ctx: AppContext, typed: str, message: str, tmp_path: Path
) -> None:
    sup = users.login(ctx.db, "supervisor", DEMO_PASSWORD)
    dialog = NoticeDialog(ctx, sup, "今日正常办公")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.counter.text() == f"6 / {NOTICE_MAX_CHARS} 字"
    dialog.text.setText(typed)
    if len(typed) > NOTICE_MAX_CHARS:
        assert f"超出 {len(typed) - NOTICE_MAX_CHARS} 字" in dialog.counter.text()
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.errors.message_for("notice") != "")
    assert message in dialog.errors.message_for("notice")
    assert dialog.text.text() == typed  # kept for correcting
    dialog.grab().save(str(tmp_path / "notice_refused.png"))
    assert dialog.isVisible() and dialog.saved is None and dialog.buttons.isEnabled()
    assert windows.board(ctx.db, sup.hall_id or 0).notice == ""


def test_a_good_notice_is_saved_and_the_hall_view_reloads(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    sup = users.login(ctx.db, "supervisor", DEMO_PASSWORD)
    view = HallView(ctx, sup)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: view.board is not None)
    opened: list[NoticeDialog] = []

    def run(dialog: NoticeDialog) -> int:  # the supervisor types and presses OK
        opened.append(dialog)
        dialog.text.setText("今天下午 3 点后暂停办理不动产业务")
        dialog.submit()
        qtbot.waitUntil(lambda: dialog.saved is not None)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(NoticeDialog, "exec", run)
    view.edit_notice()
    assert opened and opened[0].saved == "今天下午 3 点后暂停办理不动产业务"
    hall = queueing.hall_by_code(ctx.db, "DEMO").id
    assert windows.board(ctx.db, hall).notice == "今天下午 3 点后暂停办理不动产业务"
    qtbot.waitUntil(lambda: view.board is not None and view.board.notice.startswith("今天"))
