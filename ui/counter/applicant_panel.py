"""The applicant (or agent): ID validated as typed, a returning resident prefilled."""

from __future__ import annotations

import itertools
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from app.errors import DomainError, ValidationError
from app.ids import parse_resident_id
from app.people import residents
from app.people.residents import ResidentInput, ResidentView
from ui.context import AppContext
from ui.counter.applicant_dialogs import RareCharDialog, SearchDialog
from ui.widgets.field_errors import FieldErrors


class ApplicantPanel(QGroupBox):
    """Who applies (or, with another title, who acts for them).

    Keys: the 18th digit looks the ID up; Enter in 姓名, 电话 or 地址 registers or updates
    the record (登记/更新档案).

    Signals:
        resident_changed(object): the ResidentView now on the panel (None when cleared).
        looked_up(object): an ID was looked up: the ResidentView, or None for a new person.
        settled(object): the clerk settled on a person: registered or updated with Enter or
            登记/更新档案, or picked in 查找 (the ResidentView).
    """

    resident_changed = Signal(object)
    looked_up = Signal(object)
    settled = Signal(object)

    def __init__(
        self, ctx: AppContext, actor: object, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(title, parent)
        self.ctx, self.actor = ctx, actor
        self.resident: ResidentView | None = None
        self.id_edit = QLineEdit()
        self.id_edit.setMaxLength(18)
        self.id_edit.setPlaceholderText(self.tr("刷身份证或输入 18 位号码"))
        self.id_edit.textChanged.connect(self._id_typed)
        self.facts = QLabel()
        self.name_edit = QLineEdit()
        self.rare = QPushButton(self.tr("生僻字…"))
        self.rare.setAutoDefault(False)
        self.rare.clicked.connect(self._insert_rare)
        self.phone_edit = QLineEdit()
        self.address_edit = QLineEdit()
        self.save_button = QPushButton(self.tr("登记/更新档案"))
        self.save_button.clicked.connect(self.save)
        self.search_button = QPushButton(self.tr("查找…"))
        self.search_button.clicked.connect(self.find_resident)
        self.reveal_button = QPushButton(self.tr("显示完整号码"))
        self.reveal_button.clicked.connect(self.reveal)
        self.reveal_button.setEnabled(False)
        self.general = QLabel()
        self.errors = FieldErrors(self.general)
        form = QFormLayout(self)
        form.addRow(self.tr("身份证号"), self.id_edit)
        form.addRow("", self.errors.add("id_number", self.id_edit))
        form.addRow("", self.facts)
        name_row = QHBoxLayout()
        name_row.addWidget(self.name_edit, 1)
        name_row.addWidget(self.rare)
        form.addRow(self.tr("姓名"), name_row)
        form.addRow("", self.errors.add("name", self.name_edit))
        form.addRow(self.tr("电话"), self.phone_edit)
        form.addRow("", self.errors.add("phone", self.phone_edit))
        form.addRow(self.tr("地址"), self.address_edit)
        form.addRow("", self.errors.add("address", self.address_edit))
        buttons = QHBoxLayout()
        for b in (self.save_button, self.search_button, self.reveal_button):
            b.setAutoDefault(False)
            buttons.addWidget(b)
        form.addRow(buttons)
        form.addRow(self.general)
        chain: list[QWidget] = [
            self.id_edit,
            self.name_edit,
            self.phone_edit,
            self.address_edit,
            self.save_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        for edit in (self.name_edit, self.phone_edit, self.address_edit):
            edit.returnPressed.connect(self.save)

    def _id_typed(self, text: str) -> None:
        self.errors.clear()
        if self.resident is not None:
            # Another number (typed, pasted or swiped over the whole field): the person on
            # the panel and what their record filled in go; the new number is looked up.
            for e in (self.name_edit, self.phone_edit, self.address_edit):
                e.clear()
            self.phone_edit.setPlaceholderText("")
            self._set(None)
        if len(text.strip()) < 18:
            self.facts.setText(self.tr("还差 %n 位", "", 18 - len(text.strip())) if text else "")
            return
        try:
            rid = parse_resident_id(text, date.today())
        except ValidationError as exc:
            self.facts.clear()
            self.errors.show(exc)
            return
        self.facts.setText(
            self.tr("{gender}，{birth} 出生，{age} 岁 {region}").format(
                gender=rid.gender,
                birth=rid.birth_date.isoformat(),
                age=rid.age_on(date.today()),
                region=rid.region,
            )
        )
        number = rid.number
        self.ctx.ops.run(
            lambda: residents.find_by_id_number(self.ctx.db, self.actor, number),  # type: ignore[arg-type]
            lambda r: self._found(r) if self._shows(number) else None,  # not a stale reply
            self.errors.show,
            parent=self,
        )

    def _shows(self, number: str) -> bool:
        """Whether the ID field still holds ``number`` (a reply may come after a change)."""
        try:
            return parse_resident_id(self.id_edit.text(), date.today()).number == number
        except ValidationError:
            return False

    def _found(self, r: ResidentView | None) -> None:
        self._show_found(r)
        self.looked_up.emit(r)

    def _show_found(self, r: ResidentView | None) -> None:
        if r is None:
            self.general.setText(self.tr("新申请人：请填写姓名，按 Enter 登记。"))
            self.general.setStyleSheet("color: #1F4E79;")
            self.general.show()
            return
        # The record fills what is empty; what the clerk typed meanwhile stays (and updates
        # the record when saved).
        if not self.name_edit.text():
            self.name_edit.setText(r.name)
        self.phone_edit.setPlaceholderText(r.phone_masked or self.tr("（未登记）"))
        if not self.address_edit.text():
            self.address_edit.setText(r.address)
        self._set(r)

    def _set(self, r: ResidentView | None) -> None:
        self.resident = r
        self.reveal_button.setEnabled(r is not None)
        self.resident_changed.emit(r)

    def _insert_rare(self) -> None:
        ch = RareCharDialog.ask(self)
        if ch:
            self.name_edit.insert(ch)
            self.name_edit.setFocus()

    def save(self) -> None:
        """Create or update the record (one service call)."""
        phone = self.phone_edit.text()
        data = ResidentInput(
            self.id_edit.text(), self.name_edit.text(), phone, self.address_edit.text()
        )
        if self.resident is not None and not phone.strip():
            data = ResidentInput(data.id_number, data.name, "", data.address, self.resident.tags)
        self.errors.clear()
        self.ctx.ops.run(
            lambda: residents.save(self.ctx.db, self.actor, data),  # type: ignore[arg-type]
            self._saved,
            self.errors.show,
            parent=self,
        )

    def _saved(self, r: ResidentView) -> None:
        self.name_edit.setText(r.name)  # as stored (cleaned)
        self.address_edit.setText(r.address)
        self.phone_edit.clear()
        self._show_found(r)
        self.settled.emit(r)
        self.general.setText(self.tr("已登记：{name}").format(name=r.name))
        self.general.setStyleSheet("color: #1E7B34;")
        self.general.show()

    def find_resident(self) -> None:
        """Search dialog; the chosen resident fills the panel."""
        dialog = SearchDialog(self.ctx, self.actor, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen():
            r = dialog.chosen()
            assert r is not None
            self.id_edit.blockSignals(True)
            self.id_edit.setText(r.id_masked)
            self.id_edit.blockSignals(False)
            for e in (self.name_edit, self.phone_edit, self.address_edit):
                e.clear()
            self._show_found(r)
            self.settled.emit(r)

    def reveal(self) -> None:
        """Show the full ID number and phone (audited by the service)."""
        r = self.resident
        if r is None:
            return

        def op() -> tuple[str, str]:
            db, a = self.ctx.db, self.actor
            return (
                residents.reveal(db, a, r.id, "id_number"),  # type: ignore[arg-type]
                residents.reveal(db, a, r.id, "phone") if r.phone_masked else "",  # type: ignore[arg-type]
            )

        self.ctx.ops.run(op, self._revealed, self.errors.show, parent=self)

    def _revealed(self, values: tuple[str, str]) -> None:
        self.id_edit.blockSignals(True)
        self.id_edit.setText(values[0])
        self.id_edit.blockSignals(False)
        if values[1]:
            self.phone_edit.setText(values[1])

    def clear(self) -> None:
        """Empty the panel for the next applicant."""
        for e in (self.id_edit, self.name_edit, self.phone_edit, self.address_edit):
            e.clear()
        self.phone_edit.setPlaceholderText("")
        self.facts.clear()
        self.errors.clear()
        self._set(None)

    def show_error(self, error: DomainError) -> None:
        """A message about this person (e.g. agent is the applicant)."""
        self.errors.show(error)
