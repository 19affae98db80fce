"""The applicant box's two dialogs: 输入生僻字 (a character by its Unicode code point) and
查找申请人 (a resident by ID, name, phone or pinyin initials, masked)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.glyphs import parse_code_point
from app.people import residents
from app.people.residents import ResidentView
from ui.context import AppContext
from ui.widgets.field_errors import FieldErrors
from ui.widgets.tables import make_table


class RareCharDialog(QDialog):
    """Enter a character the clerk cannot type (生僻字) by its Unicode code point."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("输入生僻字"))
        self.code = QLineEdit()
        self.code.setPlaceholderText("20BB7")
        self.preview = QLabel()
        f = self.preview.font()
        f.setPointSize(36)
        self.preview.setFont(f)
        self.general = QLabel()
        self.errors = FieldErrors(self.general)
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("可查《通用规范汉字表》或户籍系统中的编码，如“𠮷”为 20BB7。")))
        form.addRow(self.tr("Unicode 编码"), self.code)
        form.addRow("", self.errors.add("code", self.code))
        form.addRow(self.tr("字形"), self.preview)
        form.addRow(self.general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.code.textChanged.connect(self._preview)
        self.char = ""

    def _preview(self) -> None:
        try:
            self.preview.setText(parse_code_point(self.code.text()))
            self.errors.clear()
        except ValidationError:
            self.preview.clear()

    def _ok(self) -> None:
        try:
            self.char = parse_code_point(self.code.text())
        except ValidationError as exc:
            self.errors.show(exc)
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None) -> str:
        """The character chosen, or "" if cancelled."""
        dialog = cls(parent)
        return dialog.char if dialog.exec() == QDialog.DialogCode.Accepted else ""


class SearchDialog(QDialog):
    """Find a resident by ID, name, phone or pinyin initials (masked list).

    Keys: Enter in the query searches, and the list shows in this dialog; Enter again on
    the same query, or Enter in the list (↓ goes there), takes the highlighted person.
    """

    def __init__(self, ctx: AppContext, actor: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.actor = ctx, actor
        self.setWindowTitle(self.tr("查找申请人"))
        self.resize(640, 420)
        self.query = QLineEdit()
        self.query.setPlaceholderText(self.tr("身份证号、姓名、电话或拼音首字母（如 zs）"))
        self.query.returnPressed.connect(self._enter_in_query)
        self.query.installEventFilter(self)
        self.table = make_table([self.tr(h) for h in ("姓名", "身份证号", "性别", "年龄", "电话")])
        header = self.table.horizontalHeader()
        for col in (1, 2, 3, 4):  # numbers whole (a masked ID is 18 characters); names stretch
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(self.take)
        self.status = QLabel()
        general = QLabel()
        self.errors = FieldErrors(general)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("选用"))
        buttons.accepted.connect(self.take)
        buttons.rejected.connect(self.reject)
        v = QVBoxLayout(self)
        v.addWidget(self.query)
        v.addWidget(self.errors.add("query", self.query))
        v.addWidget(general)
        v.addWidget(self.table)
        v.addWidget(self.status)
        v.addWidget(buttons)
        self.found: list[ResidentView] = []
        self.searched: str | None = None  # the query the list shows the results of
        self.query.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↓ in the query goes down into the results."""
        if (
            watched is self.query
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
            and self.found
        ):
            self.table.setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter never closes the dialog by itself: it searches or takes a result."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.table.hasFocus():
                self.take()
            return
        super().keyPressEvent(event)

    def _enter_in_query(self) -> None:
        if self.found and self.query.text() == self.searched:
            self.take()
        else:
            self.search()

    def take(self) -> None:
        """Close with the highlighted person; without one, say so and stay."""
        if self.chosen() is None:
            self.status.setText(self.tr("请先查找，再选择一人。"))
            return
        self.accept()

    def search(self) -> None:
        """Run the search off the GUI thread."""
        q = self.query.text()
        self.errors.clear()
        self.status.clear()
        self.ctx.ops.run(
            lambda: residents.search(self.ctx.db, self.actor, q),  # type: ignore[arg-type]
            lambda found: self._show(q, found),
            self.errors.show,
            parent=self,
        )

    def _show(self, query: str, found: list[ResidentView]) -> None:
        self.found, self.searched = found, query
        self.table.setRowCount(len(found))
        for r, p in enumerate(found):
            for c, v in enumerate((p.name, p.id_masked, p.gender, str(p.age), p.phone_masked)):
                self.table.setItem(r, c, QTableWidgetItem(v))
        self.status.setText(self.tr("找到 %n 人", "", len(found)))
        if found:
            self.table.selectRow(0)

    def chosen(self) -> ResidentView | None:
        """The selected resident."""
        row = self.table.currentRow()
        return self.found[row] if 0 <= row < len(self.found) else None
