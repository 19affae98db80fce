"""Hostile text in the log-in dialog and user management: a message beside the field."""

from __future__ import annotations

import itertools

from pytestqt.qtbot import QtBot

from app.hall.setup import DEMO_PASSWORD
from app.people import users
from tests.helpers.hostile import HOSTILE, boxes, expected, surrogate_is_dropped_by_qt
from ui.admin.users_panel import UserDialog
from ui.context import AppContext
from ui.login import LoginDialog

__all__ = ["boxes"]


def test_login_name_with_hostile_text(qtbot: QtBot, ctx: AppContext, boxes: list[str]) -> None:
    surrogate_is_dropped_by_qt()
    dialog = LoginDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    for kind in ("nul", "bidi"):
        _log_in(qtbot, dialog, kind)
    assert boxes == []


def _log_in(qtbot: QtBot, dialog: LoginDialog, kind: str) -> None:
    dialog.errors.clear()
    dialog.username.setText("clerk" + HOSTILE[kind])
    dialog.password.setText(DEMO_PASSWORD + HOSTILE[kind])
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.errors.message_for("username") != "")
    assert expected(kind) in dialog.errors.message_for("username")
    assert dialog.errors.general_message() == "" and dialog.actor is None
    # A hostile password alone is just a wrong password (it is never stored).
    dialog.username.setText("clerk")
    dialog.errors.clear()
    dialog.password.setText(HOSTILE[kind] + HOSTILE["10kB"])
    dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: dialog.errors.message_for("password") != "")
    assert "用户名或密码不正确" in dialog.errors.message_for("password")


def test_user_dialog_fields_with_hostile_text(
    qtbot: QtBot, ctx: AppContext, boxes: list[str]
) -> None:
    admin = users.login(ctx.db, "admin", DEMO_PASSWORD)
    dialog = UserDialog(ctx, admin, {})
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.role_checks[next(iter(dialog.role_checks))].setChecked(True)
    dialog.password.setText("Start#2026x")
    fields = (("username", dialog.username), ("full_name", dialog.full_name))
    for kind, (key, edit) in itertools.product(HOSTILE, fields):
        dialog.errors.clear()
        dialog.username.setText("newclerk")
        dialog.full_name.setText("赵六")
        edit.setText(edit.text() + HOSTILE[kind])
        dialog.submit()
        qtbot.waitUntil(lambda key=key: dialog.errors.message_for(key) != "")
        message = dialog.errors.message_for(key)
        assert expected(kind) in message or (key == "username" and "用户名须以字母开头" in message)
        assert dialog.result_user is None
    assert boxes == []
