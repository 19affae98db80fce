"""The profile's form (一人一档): groups, risk tier, consent, notes, contacts, grid, worker.

Laid out in two columns so the whole form fits a 1366×768 screen without scrolling. The
form only holds and reads its inputs; the dialog around it calls the service, and every
message the service gives lands under the input it names (:class:`FieldErrors`).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.care import rules
from app.care.views import ProfileInput, ProfileView
from ui.care.common import DateEdit
from ui.care.contacts_editor import ContactsEditor
from ui.widgets.field_errors import FieldErrors

GROUP_COLUMNS = 4
PIPL = (
    "健康状况、残疾和未成年人信息属于敏感个人信息（《个人信息保护法》第二十八、二十九条）："
    "须取得本人同意（未满十四周岁或无民事行为能力的，取得监护人同意）方可建档。档案仅社区"
    "工作者和大厅管理员可查看，每次查看都记入审计日志；列表和打印件中电话、身份证号均隐去。"
)


def _labelled(widget: QWidget, error: QLabel) -> QWidget:
    box = QWidget()
    v = QVBoxLayout(box)
    v.setContentsMargins(0, 0, 0, 0)
    v.setSpacing(1)
    v.addWidget(widget)
    v.addWidget(error)
    return box


def _frame(box: QGroupBox, beside: QWidget | None = None) -> QFrame:
    """A frame for a box's choices (no labels inside it: a QLabel is a QFrame, and would
    be framed too); ``beside`` goes to its right, outside the frame."""
    frame = QFrame()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(6, 2, 6, 4)
    layout.addWidget(frame, 1)
    if beside is not None:
        layout.addWidget(beside)
    return frame


class ProfileForm(QWidget):
    """Inputs of a care profile.

    Signals:
        add_group_requested(): 新增类别… was pressed (the dialog asks for the name).
    """

    add_group_requested = Signal()

    def __init__(
        self, actor: Actor, errors: FieldErrors, today: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.actor, self.errors = actor, errors
        self._read_only = False
        self.person_name = ""
        self.group_checks: dict[str, QCheckBox] = {}
        self.known_workers: list[tuple[int, str]] = []  # the hall's 社区工作者 (id, name)

        # Each choice sits in a frame inside its group box: a field message frames the
        # choices in red (a styled QGroupBox would lose its title's place).
        self.groups_box = QGroupBox(self.tr("人群类别（可多选）"))
        self.groups_frame = _frame(self.groups_box)
        self.groups_grid = QGridLayout(self.groups_frame)
        self.groups_grid.setContentsMargins(4, 4, 4, 4)
        self.groups_grid.setVerticalSpacing(2)
        self.add_group = QPushButton(self.tr("新增类别…"))
        self.add_group.setAutoDefault(False)
        self.add_group.clicked.connect(self.add_group_requested)
        self.groups_error = errors.add("groups", self.groups_frame)

        self.tier_box = QGroupBox(self.tr("风险等级"))
        hint = QLabel(self.tr("默认探访：高风险每周，重点每月，一般每季度"))
        hint.setStyleSheet("color: #666;")
        self.tier_frame = _frame(self.tier_box, hint)
        tier_row = QHBoxLayout(self.tier_frame)
        tier_row.setContentsMargins(4, 4, 4, 4)
        self.tiers = QButtonGroup(self)
        self.tier_radios: dict[str, QRadioButton] = {}
        for code, label in rules.TIERS.items():
            radio = QRadioButton(label)
            self.tiers.addButton(radio)
            self.tier_radios[code] = radio
            tier_row.addWidget(radio)
        self.tier_frame.setFocusProxy(self.tier_radios["high"])
        tier_row.addStretch(1)

        self.consent_box = QGroupBox(self.tr("知情同意（必填）"))
        self.consent_self = QRadioButton(self.tr("本人同意"))
        self.consent_guardian = QRadioButton(self.tr("监护人同意"))
        self.consent_group = QButtonGroup(self)
        for radio in (self.consent_self, self.consent_guardian):
            self.consent_group.addButton(radio)
        self.consent_self.toggled.connect(self._consent_by_self)
        self.consent_name = QLineEdit()
        self.consent_name.setPlaceholderText(self.tr("同意人姓名"))
        self.consent_on = DateEdit()
        self.consent_on.setCalendarPopup(True)
        self.consent_on.setDisplayFormat("yyyy-MM-dd")
        self.consent_on.setMaximumDate(QDate(today.year, today.month, today.day))
        self.consent_on.setDate(QDate(today.year, today.month, today.day))
        # A frame: a field message frames it alone (a plain QWidget's style would frame
        # every widget inside), and the cursor goes to the first choice.
        by_row = QFrame()
        by_row.setFocusProxy(self.consent_self)
        by = QHBoxLayout(by_row)
        by.setContentsMargins(0, 0, 0, 0)
        by.addWidget(self.consent_self)
        by.addWidget(self.consent_guardian)
        by.addStretch(1)
        explain = QLabel(self.tr(PIPL))
        explain.setWordWrap(True)
        explain.setStyleSheet("color: #555;")
        consent_form = QFormLayout(self.consent_box)
        consent_form.addRow(
            self.tr("同意方式"), _labelled(by_row, errors.add("consent_by", by_row))
        )
        name_error = errors.add("consent_name", self.consent_name)
        consent_form.addRow(self.tr("同意人"), _labelled(self.consent_name, name_error))
        date_error = errors.add("consent_on", self.consent_on)
        consent_form.addRow(self.tr("同意日期"), _labelled(self.consent_on, date_error))
        consent_form.addRow(explain)

        self.grid_edit = QLineEdit()
        self.grid_edit.setPlaceholderText(self.tr("如：和平里第三网格"))
        self.worker = QComboBox()
        place = QFormLayout()
        place.addRow(self.tr("网格"), _labelled(self.grid_edit, errors.add("grid", self.grid_edit)))
        place.addRow(
            self.tr("责任人"), _labelled(self.worker, errors.add("worker_id", self.worker))
        )

        self.health = self._notes("health", self.tr("慢性病、用药、行动能力、残疾情况…"))
        self.living = self._notes("living", self.tr("独居/与谁同住、住房、经济来源…"))
        self.needs = self._notes("needs", self.tr("助餐、助浴、就医陪护、政策申请…"))
        notes = QFormLayout()
        for label, edit, key in (
            (self.tr("健康状况"), self.health, "health"),
            (self.tr("居住情况"), self.living, "living"),
            (self.tr("服务需求"), self.needs, "needs"),
        ):
            notes.addRow(label, _labelled(edit, errors.add(key, edit)))
        self.contacts = ContactsEditor(errors)

        left = QVBoxLayout()
        groups_column = QVBoxLayout()
        groups_column.addWidget(self.groups_box)
        groups_column.addWidget(self.groups_error)
        left.addLayout(groups_column)
        left.addWidget(self.tier_box)
        left.addWidget(errors.add("tier", self.tier_frame))
        left.addWidget(self.consent_box)
        left.addLayout(place)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addLayout(notes)
        right.addWidget(self.contacts)
        right.addStretch(1)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(8, 8, 8, 4)
        columns.addLayout(left, 5)
        columns.addLayout(right, 4)
        self._set_workers(None, "")

    def _notes(self, key: str, hint: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(key)
        edit.setPlaceholderText(hint)
        edit.setTabChangesFocus(True)  # Tab moves on; Enter is a new line in a note
        edit.setFixedHeight(54)
        return edit

    # --- groups ------------------------------------------------------------------------

    def set_groups(self, names: dict[str, str]) -> None:
        """The catalog's and the hall's groups as check boxes (ticks kept)."""
        ticked = self.chosen_groups()
        for box in self.group_checks.values():
            self.groups_grid.removeWidget(box)
            box.deleteLater()
        self.groups_grid.removeWidget(self.add_group)
        self.group_checks = {}
        for i, (code, name) in enumerate(names.items()):
            box = QCheckBox(name)
            box.setChecked(code in ticked)
            self.group_checks[code] = box
            self.groups_grid.addWidget(box, i // GROUP_COLUMNS, i % GROUP_COLUMNS)
        n = len(names)
        self.groups_grid.addWidget(self.add_group, n // GROUP_COLUMNS, n % GROUP_COLUMNS)
        first = next(iter(self.group_checks.values()), None)
        self.groups_frame.setFocusProxy(first or self.add_group)
        self.add_group.setEnabled(self.editable())

    def chosen_groups(self) -> tuple[str, ...]:
        """Codes of the ticked groups, in the list's order."""
        return tuple(code for code, box in self.group_checks.items() if box.isChecked())

    def tick_group(self, code: str) -> None:
        """Tick ``code`` (a group just added)."""
        if code in self.group_checks:
            self.group_checks[code].setChecked(True)

    # --- consent and worker --------------------------------------------------------------

    def _consent_by_self(self, on: bool) -> None:
        if on and not self.consent_name.text().strip():
            self.consent_name.setText(self.person_name)

    def _set_workers(self, worker_id: int | None, worker_name: str) -> None:
        self.worker.clear()
        me = self.actor.full_name or self.actor.username
        if self.actor.user_id is not None:
            self.worker.addItem(self.tr("本人（%1）").replace("%1", me), self.actor.user_id)
        others = [(i, n) for i, n in self.known_workers if i != self.actor.user_id]
        known = {i for i, _n in others}
        if worker_id is not None and worker_id != self.actor.user_id and worker_id not in known:
            others.append((worker_id, worker_name))
        for uid, name in others:
            self.worker.addItem(name, uid)
        self.worker.addItem(self.tr("未指定"), None)
        self.worker.setCurrentIndex(max(0, self.worker.findData(worker_id)) if worker_id else 0)

    # --- values --------------------------------------------------------------------------

    def start_new(self, person_name: str) -> None:
        """A new profile for ``person_name``: nothing chosen (consent must be asked)."""
        self.person_name = person_name

    def load(self, view: ProfileView) -> None:
        """Show a profile's values."""
        self.person_name = view.name
        for code, box in self.group_checks.items():
            box.setChecked(code in view.groups)
        if view.tier in self.tier_radios:
            self.tier_radios[view.tier].setChecked(True)
        (self.consent_guardian if view.consent_by == "监护人" else self.consent_self).setChecked(
            True
        )
        self.consent_name.setText(view.consent_name)
        on = view.consent_on
        self.consent_on.setDate(QDate(on.year, on.month, on.day))
        self.health.setPlainText(view.health)
        self.living.setPlainText(view.living)
        self.needs.setPlainText(view.needs)
        self.contacts.load(view.contacts)
        self.grid_edit.setText(view.grid)
        self._set_workers(view.worker_id, view.worker_name)

    def value(self, resident_id: int, profile_id: int | None, version: int | None) -> ProfileInput:
        """The form as the service takes it."""
        tier = next((c for c, r in self.tier_radios.items() if r.isChecked()), "")
        by = "本人" if self.consent_self.isChecked() else ""
        by = "监护人" if self.consent_guardian.isChecked() else by
        picked = self.consent_on.date()
        return ProfileInput(
            resident_id=resident_id,
            groups=self.chosen_groups(),
            tier=tier,
            consent_by=by,
            consent_name=self.consent_name.text(),
            health=self.health.toPlainText(),
            living=self.living.toPlainText(),
            needs=self.needs.toPlainText(),
            contacts=self.contacts.values(),
            grid=self.grid_edit.text(),
            worker_id=self.worker.currentData(),
            consent_on=date(picked.year(), picked.month(), picked.day()),
            profile_id=profile_id,
            version=version,
        )

    def focus_chain(self) -> list[QWidget]:
        """Inputs in Tab order: left column, then notes and contacts."""
        chain: list[QWidget] = [*self.group_checks.values(), self.add_group]
        chain += list(self.tier_radios.values())
        chain += [self.consent_self, self.consent_guardian, self.consent_name, self.consent_on]
        chain += [self.grid_edit, self.worker, self.health, self.living, self.needs]
        return chain + self.contacts.focus_chain()

    def editable(self) -> bool:
        """Whether the form takes input (the supervisor reads only)."""
        return not self._read_only

    def set_read_only(self, read_only: bool) -> None:
        """Read only: every input disabled (the supervisor's view)."""
        self._read_only = read_only
        for w in self.findChildren(QWidget):
            if (
                isinstance(
                    w, QLineEdit | QPlainTextEdit | QCheckBox | QRadioButton | QComboBox | QDateEdit
                )
                or w is self.add_group
            ):
                if isinstance(w, QPlainTextEdit | QLineEdit):
                    w.setReadOnly(read_only)
                    if read_only:
                        w.setPlaceholderText("")  # hints are for typing; empty reads empty
                else:
                    w.setEnabled(not read_only)
