"""User management: create, edit roles and departments, disable/enable, reset password, unlock."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import DomainError, ValidationError
from app.hall import catalog
from app.people import user_admin
from app.people.user_admin import UserView
from app.roles import ROLE_LABELS, Role
from app.states import USER_FLOW, UserState
from ui.context import AppContext
from ui.login import _FormDialog, _password_edit

Index = QModelIndex | QPersistentModelIndex


def _local(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return moment.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


class UsersModel(QAbstractTableModel):
    """The hall's users as a table."""

    HEADERS = ("用户名", "姓名", "角色", "部门", "状态", "最近登录")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.users: list[UserView] = []
        self.departments: dict[str, str] = {}

    def set_users(self, rows: list[UserView], departments: dict[str, str]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.users, self.departments = rows, departments
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.users)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def status(self, u: UserView) -> str:
        """正常 / 已停用 / 已锁定."""
        now = datetime.now(UTC).replace(tzinfo=None)
        if u.state == UserState.ACTIVE and u.is_locked(now):
            return "已锁定"
        return USER_FLOW.label(u.state)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        u = self.users[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            match index.column():
                case 0:
                    return u.username
                case 1:
                    return u.full_name
                case 2:
                    return "、".join(ROLE_LABELS[r] for r in sorted(u.roles))
                case 3:
                    return "、".join(self.departments.get(d, d) for d in sorted(u.departments))
                case 4:
                    return self.status(u)
                case 5:
                    return _local(u.last_login_at)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 4:
            status = self.status(u)
            return QColor("#C0392B") if status != "正常" else QColor("#1E8449")
        return None


class UserDialog(_FormDialog):
    """Create a user, or edit one's name, roles and departments."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        departments: dict[str, str],
        user: UserView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("编辑用户") if user else self.tr("新建用户"), parent)
        self.actor, self.user = actor, user
        self.result_user: UserView | None = None
        self.username = QLineEdit(user.username if user else "")
        self.username.setEnabled(user is None)
        self.full_name = QLineEdit(user.full_name if user else "")
        self.add_row(self.tr("用户名"), "username", self.username)
        self.add_row(self.tr("姓名"), "full_name", self.full_name)
        if user is None:
            self.password = _password_edit()
            self.add_row(self.tr("初始密码"), "password", self.password)
        roles_box = QGroupBox(self.tr("角色"))
        grid = QGridLayout(roles_box)
        self.role_checks: dict[Role, QCheckBox] = {}
        for i, role in enumerate(Role):
            box = QCheckBox(ROLE_LABELS[role])
            box.setChecked(bool(user and role in user.roles))
            self.role_checks[role] = box
            grid.addWidget(box, i // 3, i % 3)
        self.add_row("", "roles", roles_box)
        dept_box = QGroupBox(self.tr("所属部门（审批人员必选）"))
        dgrid = QGridLayout(dept_box)
        self.dept_checks: dict[str, QCheckBox] = {}
        for i, (code, name) in enumerate(departments.items()):
            box = QCheckBox(name)
            box.setChecked(bool(user and code in user.departments))
            self.dept_checks[code] = box
            dgrid.addWidget(box, i // 3, i % 3)
        self.add_row("", "departments", dept_box)

    def chosen_roles(self) -> list[Role]:
        """Roles ticked."""
        return [r for r, box in self.role_checks.items() if box.isChecked()]

    def chosen_departments(self) -> list[str]:
        """Department codes ticked."""
        return [c for c, box in self.dept_checks.items() if box.isChecked()]

    def submit(self) -> None:
        """Create or update through the service; errors appear next to their field."""
        db, actor = self.ctx.db, self.actor
        roles, depts, name = self.chosen_roles(), self.chosen_departments(), self.full_name.text()
        if self.user is None:
            username, pw = self.username.text(), self.password.text()
            self._call(
                lambda: user_admin.create_user(db, actor, username, name, pw, roles, depts),
                self._done,
            )
        else:
            uid, ver = self.user.id, self.user.version
            self._call(
                lambda: user_admin.update_user(db, actor, uid, ver, name, roles, depts),
                self._done,
            )

    def _done(self, user: UserView) -> None:
        self.result_user = user
        self.accept()


class ResetPasswordDialog(_FormDialog):
    """Give a user a new initial password."""

    def __init__(
        self, ctx: AppContext, actor: Actor, user: UserView, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("重置密码：%1").replace("%1", user.full_name), parent)
        self.actor, self.user = actor, user
        self.password = _password_edit()
        self.password2 = _password_edit()
        self.add_row(self.tr("新密码"), "password", self.password)
        self.add_row(self.tr("确认新密码"), "password2", self.password2)
        note = QLabel(self.tr("用户下次登录时必须修改此密码。重置同时解除锁定。"))
        note.setStyleSheet("color: #666;")
        self._layout.insertWidget(1, note)

    def submit(self) -> None:
        """Reset through the service."""
        if self.password.text() != self.password2.text():
            self.errors.show(ValidationError(self.tr("两次输入的密码不一致。"), "password2"))
            return
        db, actor, uid, ver, pw = (
            self.ctx.db,
            self.actor,
            self.user.id,
            self.user.version,
            self.password.text(),
        )
        self._call(
            lambda: user_admin.reset_password(db, actor, uid, ver, pw), lambda _u: self.accept()
        )


class UsersPanel(QWidget):
    """The list of users with the actions an administrator takes on them."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.model = UsersModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _i: self.edit_user())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.message = QLabel()
        self.message.setObjectName("users_message")
        bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("new", self.tr("新建用户…"), self.new_user),
            ("edit", self.tr("编辑…"), self.edit_user),
            ("toggle", self.tr("停用"), self.toggle_state),
            ("reset", self.tr("重置密码…"), self.reset_password),
            ("unlock", self.tr("解除锁定"), self.unlock),
            ("refresh", self.tr("刷新"), self.reload),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            self.buttons[key] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.message)
        self.departments: dict[str, str] = {}
        self._update_buttons()
        self.reload()

    def selected(self) -> UserView | None:
        """The user of the selected row."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.users[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        user = self.selected()
        for key in ("edit", "toggle", "reset", "unlock"):
            self.buttons[key].setEnabled(user is not None)
        if user is not None:
            self.buttons["toggle"].setText(
                self.tr("启用") if user.state == UserState.DISABLED else self.tr("停用")
            )
            now = datetime.now(UTC).replace(tzinfo=None)
            self.buttons["unlock"].setEnabled(user.is_locked(now))

    def reload(self, select_id: int | None = None) -> None:
        """Fetch users (and department names) off the GUI thread."""
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: (user_admin.list_users(db, actor), catalog.department_names(db)),
            lambda r: self._loaded(r, select_id),
            parent=self,
        )

    def _loaded(self, result: tuple[list[UserView], dict[str, str]], select_id: int | None) -> None:
        rows, self.departments = result
        self.model.set_users(rows, self.departments)
        for i, u in enumerate(rows):
            if u.id == select_id:
                self.view.selectRow(i)
        self._update_buttons()

    def _say(self, text: str) -> None:
        self.message.setStyleSheet("color: #1E8449;")
        self.message.setText(text)

    def _error(self, error: DomainError) -> None:
        self.message.setStyleSheet("color: #C0392B;")
        self.message.setText(error.message)
        self.reload()

    def new_user(self) -> None:
        """Open the create dialog."""
        dialog = UserDialog(self.ctx, self.actor, self.departments, parent=self)
        if dialog.exec() and dialog.result_user:
            self._say(
                self.tr("已创建用户 %1，首次登录须修改密码。").replace(
                    "%1", dialog.result_user.username
                )
            )
            self.reload(dialog.result_user.id)

    def edit_user(self) -> None:
        """Open the edit dialog for the selected user."""
        user = self.selected()
        if user is None:
            return
        dialog = UserDialog(self.ctx, self.actor, self.departments, user, parent=self)
        if dialog.exec() and dialog.result_user:
            self._say(self.tr("已保存 %1。").replace("%1", user.username))
            self.reload(user.id)

    def toggle_state(self) -> None:
        """Disable an active user or enable a disabled one."""
        user = self.selected()
        if user is None:
            return
        target = UserState.ACTIVE if user.state == UserState.DISABLED else UserState.DISABLED
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: user_admin.set_user_state(db, actor, user.id, user.version, target),
            self._state_changed,
            self._error,
            self,
        )

    def _state_changed(self, user: UserView) -> None:
        self._say(
            self.tr("%1 现在的状态：%2")
            .replace("%1", user.username)
            .replace("%2", USER_FLOW.label(user.state))
        )
        self.reload(user.id)

    def reset_password(self) -> None:
        """Open the reset-password dialog."""
        user = self.selected()
        if user is None:
            return
        if ResetPasswordDialog(self.ctx, self.actor, user, self).exec():
            self._say(self.tr("已重置 %1 的密码。").replace("%1", user.username))
            self.reload(user.id)

    def unlock(self) -> None:
        """Lift a lockout."""
        user = self.selected()
        if user is None:
            return
        db, actor = self.ctx.db, self.actor
        self.ctx.ops.run(
            lambda: user_admin.unlock_user(db, actor, user.id, user.version),
            self._unlocked,
            self._error,
            self,
        )

    def _unlocked(self, user: UserView) -> None:
        self._say(self.tr("已解除 %1 的锁定。").replace("%1", user.username))
        self.reload(user.id)
