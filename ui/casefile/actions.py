"""What can be done to a case from its view: the approver's decision (the counter's
actions: :mod:`ui.casefile.counter_box`).

Layout and input only; the case view runs the service calls. Which inputs show follows
the case file (its state and the reader's tasks), never a guess in the widget.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QWidget,
)

from app.cases.casefile import CaseFile, TaskLine
from app.cases.workflow import Decision, Outcome
from app.errors import DomainError
from ui.widgets.field_errors import ERROR_STYLE, FieldErrors

OUTCOME_LABELS = (
    (Outcome.APPROVE, "同意"),
    (Outcome.REJECT, "不同意"),
    (Outcome.RETURN, "退回补正"),
    (Outcome.TRANSFER, "转办"),
)


class DecisionBox(QGroupBox):
    """审批: pick the task, claim or release it, and decide with an opinion.

    Signals:
        decided(Decision): the approver submitted a decision.
        claim(int, int): 签收 the task (id, version seen).
        release(int, int): 退回待办 the task (id, version seen).
    """

    decided = Signal(object)
    claim = Signal(int, int)
    release = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("审批"))
        self.tasks: tuple[TaskLine, ...] = ()
        self._proposed: set[str] = set()  # 补正 items proposed for unreadable pages
        form = QFormLayout(self)
        self.task_combo = QComboBox()
        self.task_combo.currentIndexChanged.connect(self._task_changed)
        form.addRow(self.tr("任务"), self.task_combo)
        self.task_info = QLabel()
        self.task_info.setWordWrap(True)
        form.addRow(self.task_info)
        claims = QHBoxLayout()
        self.claim_button = QPushButton(self.tr("签收"))
        self.claim_button.clicked.connect(lambda: self._emit_claim(self.claim))
        self.release_button = QPushButton(self.tr("退回待办"))
        self.release_button.clicked.connect(lambda: self._emit_claim(self.release))
        claims.addWidget(self.claim_button)
        claims.addWidget(self.release_button)
        claims.addStretch(1)
        form.addRow(claims)

        self.outcomes = QButtonGroup(self)
        row = QHBoxLayout()
        for i, (outcome, label) in enumerate(OUTCOME_LABELS):
            button = QRadioButton(self.tr(label))
            button.setObjectName(f"outcome_{outcome.value}")
            self.outcomes.addButton(button, i)
            row.addWidget(button)
        self.outcomes.button(0).setChecked(True)
        self.outcomes.idToggled.connect(lambda _i, _on: self._outcome_changed())
        form.addRow(self.tr("结论"), row)

        general = QLabel()
        self.errors = FieldErrors(general)
        self.opinion = QPlainTextEdit()
        self.opinion.setPlaceholderText(self.tr("审批意见（不同意时写明理由）"))
        self.opinion.setFixedHeight(80)
        form.addRow(self.tr("意见"), self.opinion)
        form.addRow("", self.errors.add("opinion", self.opinion))
        self.items = QPlainTextEdit()
        self.items.setPlaceholderText(self.tr("需补正的材料或内容，每行一项"))
        self.items.setFixedHeight(70)
        self.items_label = QLabel(self.tr("补正事项"))
        form.addRow(self.items_label, self.items)
        self.items_error = self.errors.add("items", self.items)
        form.addRow("", self.items_error)
        self.department = QComboBox()
        self.department_label = QLabel(self.tr("转办部门"))
        form.addRow(self.department_label, self.department)
        form.addRow("", self.errors.add("department", self.department))
        self.submit_button = QPushButton(self.tr("提交审批"))
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self._submit)
        form.addRow(self.submit_button)
        form.addRow(general)
        self._outcome_changed()

    def load(self, file: CaseFile) -> None:
        """Show the reader's tasks of ``file``; what was typed stays."""
        self.errors.clear()
        current = self.current_task()
        self.tasks = file.my_tasks
        self.task_combo.blockSignals(True)
        self.task_combo.clear()
        for t in self.tasks:
            self.task_combo.addItem(f"{t.step_name} — {t.department}（{t.state_label}）", t.task_id)
        keep = self.task_combo.findData(current.task_id) if current else -1
        self.task_combo.setCurrentIndex(max(keep, 0))
        self.task_combo.blockSignals(False)
        self.department.clear()
        for code, name in file.transfer_targets:
            self.department.addItem(name, code)
        self._task_changed()

    def current_task(self) -> TaskLine | None:
        """The task the decision is for."""
        i = self.task_combo.currentIndex()
        return self.tasks[i] if 0 <= i < len(self.tasks) else None

    def set_outcome(self, outcome: Outcome) -> None:
        """Tick the outcome (keyboard users and tests)."""
        index = [o for o, _ in OUTCOME_LABELS].index(outcome)
        self.outcomes.button(index).setChecked(True)

    def outcome(self) -> Outcome:
        """The ticked outcome."""
        return OUTCOME_LABELS[max(self.outcomes.checkedId(), 0)][0]

    def show_error(self, error: DomainError) -> None:
        """A refusal of the service, under the input it concerns."""
        self.errors.show(error)

    def propose_items(self, items: tuple[str, ...]) -> None:
        """Add ``items`` (unreadable pages) to the 补正 list unless a line already names them.

        A line proposed before and left as it was goes when its page is no longer marked.
        """
        dropped = self._proposed - set(items)
        lines = [
            line
            for line in self.items.toPlainText().splitlines()
            if line.strip() and line not in dropped
        ]
        for item in items:
            page = item.split(" 无法辨认")[0] + " "
            if not any(line.startswith(page) for line in lines):
                lines.append(item)
        self._proposed = set(items)
        self.items.setPlainText("\n".join(lines))

    def clear_input(self) -> None:
        """After a decision went through: nothing left to submit."""
        self.opinion.clear()
        self.items.clear()

    def _task_changed(self) -> None:
        task = self.current_task()
        barred = task.barred if task else ""
        # 职责分离: why this person may not decide the task, in place of its note.
        self.task_info.setText(barred or (task.note if task else ""))
        self.task_info.setStyleSheet(ERROR_STYLE if barred else "")
        self.task_info.setVisible(bool(self.task_info.text()))
        claimed = bool(task and task.claimed_by_me)
        self.claim_button.setEnabled(bool(task) and not claimed and not barred)
        self.release_button.setEnabled(claimed)
        self.submit_button.setEnabled(task is not None and not barred)

    def refusal(self) -> str:
        """Why the chosen task may not be decided by this person ("" if it may) — for tests."""
        task = self.current_task()
        return task.barred if task else ""

    def _outcome_changed(self) -> None:
        outcome = self.outcome()
        returning, transferring = outcome == Outcome.RETURN, outcome == Outcome.TRANSFER
        self.items.setVisible(returning)
        self.items_label.setVisible(returning)
        self.department.setVisible(transferring)
        self.department_label.setVisible(transferring)

    def _emit_claim(self, signal: SignalInstance) -> None:
        task = self.current_task()
        if task is not None:
            signal.emit(task.task_id, task.version)

    def _submit(self) -> None:
        task = self.current_task()
        if task is None:
            return
        outcome = self.outcome()
        items = tuple(self.items.toPlainText().splitlines()) if outcome == Outcome.RETURN else ()
        code = self.department.currentData() if outcome == Outcome.TRANSFER else None
        self.decided.emit(
            Decision(task.task_id, task.version, outcome, self.opinion.toPlainText(), items, code)
        )
