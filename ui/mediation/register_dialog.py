"""受理登记: kind, level, grid, facts, and the parties (at least two) added one by one from
a small party form (checked as it is added, the refusal under its field); Enter registers."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import ValidationError
from app.ids import mask_id
from app.mediation import registry
from app.mediation import rules as mrules
from app.mediation.reading import party_label
from app.mediation.views import DisputeInput, DisputeView, PartyInput
from app.states import MEDIATION_LEVEL_FLOW, MediationLevel
from ui.care.common import CareForm, cell, table
from ui.context import AppContext
from ui.widgets.field_errors import FieldErrors


class RegisterDialog(CareForm):
    """The register form. ``view`` is the dispute once registered."""

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("纠纷受理登记"), parent)
        self.actor = actor
        self.view: DisputeView | None = None
        self.parties: list[PartyInput] = []
        self.kind = QComboBox()
        for code, name in mrules.rules().kinds.items():
            self.kind.addItem(name, code)
        self.level = QComboBox()
        for level in MediationLevel:
            days = mrules.rules().limits[level]
            label = self.tr("{l}（{d} 日内）").format(l=MEDIATION_LEVEL_FLOW.label(level), d=days)
            self.level.addItem(label, level.value)
        self.grid = QLineEdit()
        self.grid.setPlaceholderText(self.tr("如：幸福社区第一网格"))
        self.facts = QPlainTextEdit()
        self.facts.setTabChangesFocus(True)
        self.facts.setFixedHeight(70)
        self.add_row(self.tr("纠纷类型"), "kind", self.kind)
        self.add_row(self.tr("调解层级"), "level", self.level)
        self.add_row(self.tr("网格"), "grid", self.grid)
        self.add_row(self.tr("纠纷事实"), "facts", self.facts)
        self._layout.insertWidget(1, self._party_box())
        self.ok_text(self.tr("登记"))

    def _party_box(self) -> QGroupBox:
        box = QGroupBox(self.tr("当事人（至少两方）"))
        v = QVBoxLayout(box)
        form = QFormLayout()
        general = QLabel()
        self.party_errors = FieldErrors(general)
        self.p_name, self.p_id, self.p_phone, self.p_address = (QLineEdit() for _ in range(4))
        self.p_claim = QLineEdit()
        self.p_claim.setPlaceholderText(self.tr("该方的诉求，如：要求赔偿损失"))
        for label, key, w in (
            (self.tr("姓名"), "name", self.p_name),
            (self.tr("身份证号"), "id_number", self.p_id),
            (self.tr("电话"), "phone", self.p_phone),
            (self.tr("住址"), "address", self.p_address),
            (self.tr("诉求"), "claim", self.p_claim),
        ):
            cellw = QWidget()
            cv = QVBoxLayout(cellw)
            cv.setContentsMargins(0, 0, 0, 0)
            cv.setSpacing(2)
            cv.addWidget(w)
            cv.addWidget(self.party_errors.add(key, w))
            form.addRow(label, cellw)
        v.addLayout(form)
        row = QHBoxLayout()
        self.add_party_button = QPushButton(self.tr("添加当事人 (Alt+A)"))
        self.add_party_button.setAutoDefault(False)
        self.add_party_button.clicked.connect(self.add_party)
        QShortcut(QKeySequence("Alt+A"), self, self.add_party)
        self.remove_button = QPushButton(self.tr("移除所选"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_party)
        row.addWidget(self.add_party_button)
        row.addWidget(self.remove_button)
        row.addStretch(1)
        v.addLayout(row)
        v.addWidget(general)
        self.table = table(
            [self.tr("当事人"), self.tr("姓名"), self.tr("身份证号"), self.tr("诉求")], (3,)
        )
        self.table.setMinimumHeight(90)
        v.addWidget(self.table)
        v.addWidget(self.errors.add("parties", self.table))
        return box

    def add_party(self) -> None:
        """Check the party form (no database) and add it to the table; fields cleared."""
        self.party_errors.clear()
        typed = PartyInput(
            self.p_name.text(),
            self.p_id.text(),
            self.p_phone.text(),
            self.p_address.text(),
            self.p_claim.text(),
        )
        try:
            party = registry.clean_party(typed)
        except ValidationError as exc:
            self.party_errors.show(exc)
            return
        self.parties.append(party)
        self._fill()
        for w in (self.p_name, self.p_id, self.p_phone, self.p_address, self.p_claim):
            w.clear()
        self.p_name.setFocus()

    def remove_party(self) -> None:
        """Take the selected party out of the table."""
        row = self.table.currentRow()
        if 0 <= row < len(self.parties):
            del self.parties[row]
            self._fill()

    def _fill(self) -> None:
        self.table.setRowCount(len(self.parties))
        for n, p in enumerate(self.parties):
            for col, text in enumerate((party_label(n + 1), p.name, mask_id(p.id_number), p.claim)):
                self.table.setItem(n, col, cell(text))

    def submit(self) -> None:
        """Register through the service (a party's old refusal is no longer shown: it was
        about the party being added, not about this form)."""
        self.party_errors.clear()
        inp = DisputeInput(
            str(self.kind.currentData()),
            self.facts.toPlainText(),
            str(self.level.currentData()),
            tuple(self.parties),
            self.grid.text(),
        )
        db, actor = self.ctx.db, self.actor

        def done(view: DisputeView) -> None:
            self.view = view
            self.accept()

        self._call(lambda: registry.register(db, actor, inp), done)
