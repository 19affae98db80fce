"""紧急联系人: up to five rows of name, relation (from the list) and phone.

Empty rows are left out when the profile is saved; a message the service gives for the
k-th contact sent (``contacts.k.phone``) is shown under the row it came from.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit, QWidget

from app.care import rules
from app.care.profiles import CONTACTS_MAX
from app.care.views import Contact
from ui.widgets.field_errors import FieldErrors


class ContactsEditor(QGroupBox):
    """Five rows of contact inputs; their error lines registered with ``errors``."""

    def __init__(self, errors: FieldErrors, parent: QWidget | None = None) -> None:
        super().__init__(
            self.tr("紧急联系人（最多 %1 位）").replace("%1", str(CONTACTS_MAX)), parent
        )
        self.names: list[QLineEdit] = []
        self.relations: list[QComboBox] = []
        self.phones: list[QLineEdit] = []
        self._sent: list[int] = []  # the rows sent in the last save, in order
        grid = QGridLayout(self)
        grid.setVerticalSpacing(2)
        for col, heading in enumerate((self.tr("姓名"), self.tr("关系"), self.tr("电话"))):
            grid.addWidget(QLabel(heading), 0, col)
        for n in range(CONTACTS_MAX):
            name, relation, phone = QLineEdit(), QComboBox(), QLineEdit()
            relation.addItem(self.tr("（选择）"), "")
            for r in rules.RELATIONS:
                relation.addItem(r, r)
            phone.setPlaceholderText(self.tr("手机或固话"))
            name.setAccessibleName(self.tr("第 %1 位联系人姓名").replace("%1", str(n + 1)))
            self.names.append(name)
            self.relations.append(relation)
            self.phones.append(phone)
            row = 1 + 2 * n
            grid.addWidget(name, row, 0)
            grid.addWidget(relation, row, 1)
            grid.addWidget(phone, row, 2)
            for col, (key, widget) in enumerate(
                (("name", name), ("relation", relation), ("phone", phone))
            ):
                grid.addWidget(errors.add(f"contacts.{n}.{key}", widget), row + 1, col)
        errors.alias("contacts", "contacts.0.name")
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(2, 3)

    def focus_chain(self) -> list[QWidget]:
        """The inputs row by row (the Tab order)."""
        chain: list[QWidget] = []
        for n in range(CONTACTS_MAX):
            chain += [self.names[n], self.relations[n], self.phones[n]]
        return chain

    def load(self, contacts: tuple[Contact, ...]) -> None:
        """Show a profile's contacts (the remaining rows empty)."""
        for n in range(CONTACTS_MAX):
            c = contacts[n] if n < len(contacts) else None
            self.names[n].setText(c.name if c else "")
            index = self.relations[n].findData(c.relation if c else "")
            self.relations[n].setCurrentIndex(max(0, index))
            self.phones[n].setText(c.phone if c else "")

    def values(self) -> tuple[Contact, ...]:
        """The rows with anything typed in them, in order (remembered for :meth:`ui_field`)."""
        out, self._sent = [], []
        for n in range(CONTACTS_MAX):
            name, phone = self.names[n].text(), self.phones[n].text()
            relation = str(self.relations[n].currentData() or "")
            if name.strip() or phone.strip() or relation:
                out.append(Contact(name, relation, phone))
                self._sent.append(n)
        return tuple(out)

    def ui_field(self, field: str | None) -> str | None:
        """``contacts.k.x`` of the k-th contact sent → the key of the row it was typed in."""
        parts = (field or "").split(".")
        if len(parts) == 3 and parts[0] == "contacts" and parts[1].isdigit():
            k = int(parts[1])
            if k < len(self._sent):
                return f"contacts.{self._sent[k]}.{parts[2]}"
        return field
