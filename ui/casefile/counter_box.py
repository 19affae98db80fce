"""The counter's actions on a case in its view: 补正材料已收齐 (with the pages brought),
登记公示异议, 撤回申请 — whichever the case's state allows.

For 补正 the clerk may capture the materials' pages again (补交材料页: the same capture
dialog as at intake, :mod:`ui.counter.capture_dialog`); they are stored with 补正材料已收齐,
and the material's pages marked unreadable are unmarked then
(:func:`app.cases.workflow.resubmit`). Layout and input only; the case view runs the calls.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.cases.casefile import CaseFile
from app.errors import DomainError
from app.materials import viewing
from app.materials.intake import PreparedPage
from app.roles import Permission
from app.states import CASE_FLOW, CaseState
from ui.context import AppContext
from ui.counter.capture_dialog import CaptureDialog
from ui.widgets.confirm import Confirm
from ui.widgets.field_errors import FieldErrors


class CounterBox(QGroupBox):
    """窗口操作 (module docstring).

    Signals:
        act(str, str): the action ("resubmit" / "objection" / "withdraw") and its note.
    """

    act = Signal(str, str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setTitle(self.tr("窗口操作"))
        self.capture_dialog: CaptureDialog | None = None
        self._case_id: int | None = None
        self._actor: Actor | None = None
        self._pages: dict[str, tuple[PreparedPage, ...]] = {}
        self._sides: dict[str, tuple[str, ...]] = {}
        box = QVBoxLayout(self)
        general = QLabel()
        self.errors = FieldErrors(general)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("说明：补交了什么 / 异议内容 / 撤回原因"))
        box.addWidget(self.note)
        self._note_error = self.errors.add("note", self.note)
        for key in ("objection", "reason"):  # the services name the note by its purpose
            self.errors.alias(key, "note")
        box.addWidget(self._note_error)

        self.pages_row = QWidget()
        pages = QHBoxLayout(self.pages_row)
        pages.setContentsMargins(0, 0, 0, 0)
        self.material = QComboBox()
        self.capture_button = QPushButton(self.tr("拍摄/添加页…"))
        self.capture_button.setAutoDefault(False)
        self.capture_button.clicked.connect(self.open_capture)
        self.pages_summary = QLabel()
        self.pages_summary.setWordWrap(True)
        pages.addWidget(QLabel(self.tr("补交材料页：")))
        pages.addWidget(self.material, 1)
        pages.addWidget(self.capture_button)
        box.addWidget(self.pages_row)
        box.addWidget(self.pages_summary)
        self._pages_error = self.errors.add("pages", self.material)
        box.addWidget(self._pages_error)

        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, label in (
            ("resubmit", self.tr("补正材料已收齐")),
            ("objection", self.tr("登记公示异议")),
            ("withdraw", self.tr("撤回申请")),
        ):
            b = QPushButton(label)
            b.setObjectName(f"counter_{key}")
            b.setAutoDefault(False)  # Enter in the note never presses 撤回申请
            b.clicked.connect(lambda _=False, k=key: self.act.emit(k, self.note.text()))
            self.buttons[key] = b
            row.addWidget(b)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(general)

    def load(self, file: CaseFile, actor: Actor) -> None:
        """Show the actions the case's state allows; hide the box when there are none."""
        self.errors.clear()
        self._actor = actor
        if file.id != self._case_id:  # another case: the pages captured were not its
            self._case_id = file.id
            self.clear_pages()
        intake = actor.can(Permission.INTAKE)
        shown = {
            "resubmit": intake and file.state == CaseState.AWAITING_SUPPLEMENT,
            "objection": file.state == CaseState.PUBLICIZING
            and (intake or actor.can(Permission.APPROVE)),
            "withdraw": intake and CaseState.WITHDRAWN in CASE_FLOW.allowed(file.state),
        }
        for key, button in self.buttons.items():
            button.setVisible(shown[key])
        self.setVisible(any(shown.values()))
        supplement = shown["resubmit"] and bool(file.catalog_materials)
        self.pages_row.setVisible(supplement)
        self.pages_summary.setVisible(supplement)
        if supplement:
            self._fill_materials(file)

    def _fill_materials(self, file: CaseFile) -> None:
        """The service's materials, the first one 补正 names chosen."""
        chosen = self.material.currentData()
        self.material.clear()
        self._sides = {key: sides for key, _name, sides in file.catalog_materials}
        wanted = "；".join(file.supplement_items)
        first = None
        for key, name, _sides in file.catalog_materials:
            self.material.addItem(name, key)
            if first is None and name in wanted:
                first = key
        pick = chosen or first
        if pick is not None and (index := self.material.findData(pick)) >= 0:
            self.material.setCurrentIndex(index)
        self._summarise()

    # --- pages brought with 补正 ---------------------------------------------------------

    def pages(self) -> dict[str, tuple[PreparedPage, ...]]:
        """The pages captured now, by material key (for 补正材料已收齐)."""
        return {key: pages for key, pages in self._pages.items() if pages}

    def clear_pages(self) -> None:
        """Forget the pages captured (stored with 补正, or another case shown)."""
        self._pages = {}
        self._summarise()

    def open_capture(self) -> None:
        """The capture dialog for the chosen material (its pages so far in it)."""
        key = self.material.currentData()
        if key is None:
            return
        name = self.material.currentText()
        dialog = CaptureDialog(self.ctx, name, self._pages.get(key, ()), self, self._sides[key])
        db, actor, case_id = self.ctx.db, self._actor, self._case_id
        if actor is not None and case_id is not None:  # the pages 补正 asks again for, shown
            dialog.stored.load(
                self.ctx, lambda: viewing.material_thumbnails(db, actor, case_id, key)
            )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._took(key, dialog.pages()))
        self.capture_dialog = dialog
        dialog.open()

    def _took(self, key: str, pages: tuple[PreparedPage, ...]) -> None:
        self._pages[key] = pages
        self._summarise()

    def _summarise(self) -> None:
        names = {
            self.material.itemData(i): self.material.itemText(i)
            for i in range(self.material.count())
        }
        parts = [
            self.tr("%1 %2 页").replace("%1", names.get(key, key)).replace("%2", str(len(pages)))
            for key, pages in self.pages().items()
        ]
        self.pages_summary.setText(
            self.tr("将随补正保存：") + "，".join(parts)
            if parts
            else self.tr("未补交材料页（标记为无法辨认的页，补交新页后自动取消标记）")
        )

    def confirm_withdraw(self, file: CaseFile) -> bool:
        """Ask before 撤回 (the default answer keeps the application)."""
        return Confirm.ask(
            self,
            self.tr("撤回申请"),
            self.tr("确认撤回 %1 %2？撤回后审批中止，不能恢复。")
            .replace("%1", file.case_no)
            .replace("%2", file.service_name),
            self.tr("撤回申请"),
            self.tr("不撤回"),
        )

    def show_error(self, error: DomainError) -> None:
        """A refusal of the service, under the note (or the material, for pages)."""
        self.errors.show(error)
