"""The workspace's two dialogs: the score weights, and the cases behind a figure."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationError
from app.stats.departments import MIN_DECIDED, Weights

FIELDS = (
    ("response", "响应率"),
    ("on_time", "按期办结率"),
    ("rework", "返工率（按 1 − 返工率 计分）"),
    ("satisfaction", "满意率"),
)


class WeightsDialog(QDialog):
    """部门绩效 score weights in per cent; 确定 only when they are valid (sum 100)."""

    def __init__(self, weights: Weights, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("得分权重"))
        self.weights = weights
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for key, label in FIELDS:
            spin = QSpinBox()
            spin.setRange(0, 100)
            spin.setSuffix(" %")
            spin.setValue(getattr(weights, key))
            spin.valueChanged.connect(self._check)
            self.spins[key] = spin
            form.addRow(self.tr(label), spin)
        d = Weights()
        note = QLabel(
            self.tr(
                "各项权重之和须为 100%。默认：响应率 {a}%、按期办结率 {b}%、返工率 {c}%、"
                "满意率 {d}%。没有数据的项目按比例让给其余各项；办结任务少于 {n} 件的部门"
                "显示“样本不足”。"
            ).format(a=d.response, b=d.on_time, c=d.rework, d=d.satisfaction, n=MIN_DECIDED)
        )
        note.setWordWrap(True)
        note.setMinimumWidth(380)
        self.error = QLabel()
        self.error.setObjectName("error_weights")
        self.error.setStyleSheet("color: #C0392B;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        defaults = QPushButton(self.tr("恢复默认"))
        defaults.clicked.connect(self.restore_defaults)
        self.buttons.addButton(defaults, QDialogButtonBox.ButtonRole.ResetRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self._check()

    def restore_defaults(self) -> None:
        """Put the documented defaults back."""
        d = Weights()
        for key, spin in self.spins.items():
            spin.setValue(getattr(d, key))

    def _check(self) -> None:
        try:
            self.weights = Weights(**{k: s.value() for k, s in self.spins.items()})
        except ValidationError as e:
            self.error.setText(e.message)
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.error.setText("")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    @classmethod
    def ask(cls, parent: QWidget, weights: Weights, then: Callable[[Weights], None]) -> None:
        """Open the dialog; ``then(weights)`` after 确定 (a test replaces this)."""
        dialog = cls(weights, parent)
        dialog.accepted.connect(lambda: then(dialog.weights))
        dialog.open()


FIGURE_NAMES = {
    "decided": "办结任务",
    "late_response": "未按时响应",
    "overdue": "超期办结",
    "rework": "返工（退回补正或公示异议）",
    "dissatisfied": "不满意评价",
}


class CasesBehindDialog(QDialog):
    """The case numbers behind a figure; double-click one to open its file.

    ``open_case(case_no)`` is the workspace's (one service call, off the GUI thread).
    """

    def __init__(
        self,
        title: str,
        case_nos: list[str],
        open_case: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.open_case = open_case
        self.list = QListWidget()
        self.list.addItems(case_nos)
        self.list.itemDoubleClicked.connect(lambda item: self.open_case(item.text()))
        self.status = QLabel(
            self.tr("共 {n} 件，双击打开办件。").format(n=len(case_nos))
            if case_nos
            else self.tr("没有办件。")
        )
        self.status.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(420, 460)

    def say(self, message: str) -> None:
        """A refusal next to the list (the case could not be opened)."""
        self.status.setText(message)
        self.status.setStyleSheet("color: #C0392B;")
