"""Log-in, first-administrator and change-password dialogs."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import DomainError, ValidationError
from app.people import users
from ui.context import AppContext
from ui.widgets.field_errors import FieldErrors

T = TypeVar("T")

MIN_WIDTH = 400  # a form dialog's inputs, wide enough for an ID number and a message


def _password_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


class _FormDialog(QDialog):
    """A dialog with a form, inline errors and OK/Cancel; subclasses add rows and submit.

    It opens with the cursor in its first enabled input, so typing starts at once; Enter
    presses OK (submit) and never Cancel, which may be a 退出 or 退出登录.
    """

    inline_trouble = False  # an unreachable database shown in the dialog, not a message box

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self._layout = QVBoxLayout(self)
        # Grow when an error line appears under a field instead of squeezing the inputs.
        self._layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.addLayout(self.form)
        general = QLabel()
        general.setObjectName("general_error")
        self.errors = FieldErrors(general)
        self._layout.addWidget(general)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self._layout.addWidget(self.buttons)
        # The size constraint overrides a minimum width set on the dialog: the layout holds
        # it, as its last item (subclasses insert their rows by index before the buttons).
        self._layout.addStrut(MIN_WIDTH)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAutoDefault(False)
        self.inputs: list[QWidget] = []

    def add_row(self, label: str, key: str, widget: QWidget) -> None:
        """A labelled input with its error line under it."""
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(widget)
        v.addWidget(self.errors.add(key, widget))
        self.form.addRow(label, box)
        self.inputs.append(widget)

    def first_input(self) -> QWidget | None:
        """The input typing starts in: the first enabled one of the rows."""
        return next((w for w in self.inputs if w.isEnabled()), None)

    def setVisible(self, visible: bool) -> None:
        """Shown: the cursor in the first input, after what it holds (nothing selected).

        After QDialog's own showing, which focuses the first of its focus chain (here the
        buttons, made before the rows) by Tab, which would select a field's text.
        """
        super().setVisible(visible)
        first = self.first_input()
        if not visible or first is None:
            return
        focused = self.focusWidget()
        if focused is None or not (focused is first or first.isAncestorOf(focused)):
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(first, QLineEdit):
            first.deselect()
            first.end(False)

    def submit(self) -> None:
        """Subclasses validate and call their service; a plain form just closes."""
        self.accept()

    def _failed(self, error: DomainError) -> None:
        self.errors.show(error)

    def _settled(self) -> None:
        """The call is over, whatever came of it (the database unreachable included)."""
        self.buttons.setEnabled(True)

    def _busy(self) -> None:
        self.errors.clear()
        self.buttons.setEnabled(False)

    def _call(
        self,
        op: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[DomainError], None] | None = None,
    ) -> None:
        """Run the dialog's one service call: buttons off until it is over, whatever its
        outcome; a refusal shown next to its field (and, where :attr:`inline_trouble`, an
        unreachable database in the dialog too, rather than in a message box)."""
        self._busy()
        trouble = (lambda e: self._failed(DomainError(e.message))) if self.inline_trouble else None
        self.ctx.ops.run(
            op,
            on_done,
            on_error or self._failed,
            self,
            on_trouble=trouble,
            on_settled=self._settled,
        )


class LoginDialog(_FormDialog):
    """User name and password. ``actor`` is set when the log-in succeeded."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("登录 — 一窗通办"), parent)
        self.actor: Actor | None = None
        title = QLabel(self.tr("一窗通办 综合窗口系统"))
        font = QFont(title.font())
        font.setPointSize(16)
        font.setBold(True)
        title.setFont(font)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._layout.insertWidget(0, title)
        where = QLabel(ctx.db.where + ("（演示）" if ctx.settings.demo else ""))
        where.setAlignment(Qt.AlignmentFlag.AlignCenter)
        where.setStyleSheet("color: #666;")
        self._layout.insertWidget(1, where)
        self.username = QLineEdit()
        self.password = _password_edit()
        self.add_row(self.tr("用户名"), "username", self.username)
        self.add_row(self.tr("密码"), "password", self.password)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("退出"))

    def submit(self) -> None:
        """Check the inputs are there, then log in off the GUI thread.

        Enter in the user field with no password yet moves on to 密码, without a message.
        """
        name, pw = self.username.text().strip(), self.password.text()
        if name and not pw and self.username.hasFocus():
            self.password.setFocus(Qt.FocusReason.TabFocusReason)
            return
        if not name:
            self.errors.show(ValidationError(self.tr("请输入用户名。"), "username"))
            return
        if not pw:
            self.errors.show(ValidationError(self.tr("请输入密码。"), "password"))
            return
        db = self.ctx.db
        self._call(lambda: users.login(db, name, pw), self._done, self._wrong)

    def _wrong(self, error: DomainError) -> None:
        self.password.clear()
        self._failed(error)

    def _done(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()


class FirstAdminDialog(_FormDialog):
    """On a new production database: create the first system administrator."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("创建初始管理员"), parent)
        self.actor: Actor | None = None
        intro = QLabel(
            self.tr(
                "这是一个新数据库，还没有任何用户。请创建第一个系统管理员账号，"
                "再用它为窗口人员和审批人员开通账号。"
            )
        )
        intro.setWordWrap(True)
        self._layout.insertWidget(0, intro)
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.password = _password_edit()
        self.password2 = _password_edit()
        self.add_row(self.tr("用户名"), "username", self.username)
        self.add_row(self.tr("姓名"), "full_name", self.full_name)
        self.add_row(self.tr("密码"), "password", self.password)
        self.add_row(self.tr("确认密码"), "password2", self.password2)
        hint = QLabel(self.tr("密码至少 8 位，包含大写字母、小写字母、数字、符号中的三类。"))
        hint.setStyleSheet("color: #666;")
        self._layout.insertWidget(2, hint)

    def submit(self) -> None:
        """Create the administrator and log them in."""
        if self.password.text() != self.password2.text():
            self.errors.show(ValidationError(self.tr("两次输入的密码不一致。"), "password2"))
            return
        db, hall = self.ctx.db, self.ctx.settings.hall_code
        args = (self.username.text(), self.full_name.text(), self.password.text())
        self._call(lambda: users.create_first_admin(db, hall, *args), self._done)

    def _done(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()


class ChangePasswordDialog(_FormDialog):
    """The logged-in user sets a new password (forced after an administrator's reset)."""

    def __init__(
        self, ctx: AppContext, actor: Actor, forced: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("修改密码"), parent)
        self.actor = actor
        if forced:
            note = QLabel(self.tr("管理员重置了您的密码，请先设置新密码。"))
            note.setWordWrap(True)
            self._layout.insertWidget(0, note)
        self.old = _password_edit()
        self.new = _password_edit()
        self.new2 = _password_edit()
        self.add_row(self.tr("原密码"), "old_password", self.old)
        self.add_row(self.tr("新密码"), "new_password", self.new)
        self.add_row(self.tr("确认新密码"), "new_password2", self.new2)

    def submit(self) -> None:
        """Change the password through the service."""
        if self.new.text() != self.new2.text():
            self.errors.show(ValidationError(self.tr("两次输入的新密码不一致。"), "new_password2"))
            return
        db, actor, old, new = self.ctx.db, self.actor, self.old.text(), self.new.text()
        self._call(lambda: users.change_own_password(db, actor, old, new), self._done)

    def _done(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()
