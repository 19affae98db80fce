"""One generic renderer for every service form in the catalog (DESIGN.md: declarative).

Each :class:`forms.schema.FieldDef` becomes an input by its type; messages appear under
the field they concern. Values are read back raw (as typed) so nothing is lost when
validation fails; :mod:`app.fieldvalues` decides what is valid.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from forms.schema import FieldDef, FieldType, ServiceDef
from ui.widgets.field_errors import ERROR_STYLE

CHOICES_PER_ROW = 3
_PLACEHOLDERS = {
    FieldType.DATE: "2026-11-23",
    FieldType.MONEY: "0.00",
    FieldType.INTEGER: "0",
    FieldType.PHONE: "13800138000",
    FieldType.ID_NUMBER: "18 位身份证号",
}


class FormRenderer(QWidget):
    """The inputs of one service form.

    Signals:
        changed: a value was edited.
    """

    changed = Signal()

    def __init__(self, service: ServiceDef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout(self)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # A narrow column (a 1366×768 counter) puts long labels above their input rather
        # than scrolling sideways.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        previous: QWidget | None = None
        for f in service.fields:
            widget = self._input(f)
            widget.setObjectName(f"field_{f.key}")
            widget.setToolTip(f.help)
            error = QLabel()
            error.setStyleSheet(ERROR_STYLE)
            error.setWordWrap(True)
            error.hide()
            box = QWidget()
            v = QVBoxLayout(box)
            v.setContentsMargins(0, 0, 0, 0)
            v.setSpacing(1)
            v.addWidget(widget)
            v.addWidget(error)
            box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
            suffix = "" if f.required else self.tr("（视情况）" if f.required_when else "（选填）")
            label = f.label + suffix
            form.addRow(label, box)
            self.inputs[f.key], self.errors[f.key] = widget, error
            for w in self._focusables(widget):
                if previous is not None:
                    QWidget.setTabOrder(previous, w)
                previous = w

    def _input(self, f: FieldDef) -> QWidget:
        match f.type:
            case FieldType.CHOICE | FieldType.BOOLEAN:
                combo = QComboBox()
                items = f.choices if f.type == FieldType.CHOICE else (self.tr("是"), self.tr("否"))
                combo.addItem(self.tr("— 请选择 —"))
                combo.addItems(list(items))
                combo.currentIndexChanged.connect(self.changed)
                return combo
            case FieldType.MULTI_CHOICE:
                # In rows of a few: one row of six choices is wider than the form's column
                # on a 1366-pixel screen (it scrolled sideways).
                box = QWidget()
                grid = QGridLayout(box)
                grid.setContentsMargins(0, 0, 0, 0)
                for i, choice in enumerate(f.choices):
                    check = QCheckBox(choice)
                    check.toggled.connect(self.changed)
                    grid.addWidget(check, i // CHOICES_PER_ROW, i % CHOICES_PER_ROW)
                grid.setColumnStretch(CHOICES_PER_ROW, 1)
                return box
            case FieldType.LONG_TEXT:
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setFixedHeight(64)
                edit.textChanged.connect(self.changed)
                return edit
            case _:
                line = QLineEdit()
                line.setPlaceholderText(_PLACEHOLDERS.get(f.type, ""))
                if f.max_length:
                    line.setMaxLength(f.max_length + 20)  # over-long input gets a message
                line.textChanged.connect(self.changed)
                return line

    @staticmethod
    def _focusables(widget: QWidget) -> list[QWidget]:
        if isinstance(widget, QLineEdit | QComboBox | QPlainTextEdit):
            return [widget]
        return list(widget.findChildren(QCheckBox))

    def values(self) -> dict[str, Any]:
        """Every field as typed (empty fields left out)."""
        out: dict[str, Any] = {}
        for f in self.service.fields:
            w = self.inputs[f.key]
            value: Any = None
            if isinstance(w, QLineEdit):
                value = w.text()
            elif isinstance(w, QPlainTextEdit):
                value = w.toPlainText()
            elif isinstance(w, QComboBox):
                if w.currentIndex() > 0:
                    value = w.currentText()
                    if f.type == FieldType.BOOLEAN:
                        value = w.currentIndex() == 1
            else:
                value = [c.text() for c in w.findChildren(QCheckBox) if c.isChecked()]
            if value not in (None, "", []):
                out[f.key] = value
        return out

    def set_values(self, values: dict[str, Any]) -> None:
        """Fill the inputs (a resumed draft, or going back to a service in this visit)."""
        for f in self.service.fields:
            w, v = self.inputs[f.key], values.get(f.key)
            if isinstance(w, QLineEdit):
                w.setText("" if v is None else str(v))
            elif isinstance(w, QPlainTextEdit):
                w.setPlainText("" if v is None else str(v))
            elif isinstance(w, QComboBox):
                if f.type == FieldType.BOOLEAN:
                    w.setCurrentIndex(0 if v is None else (1 if v else 2))
                else:
                    w.setCurrentIndex(max(0, w.findText(str(v))) if v is not None else 0)
            else:
                chosen = set(v or [])
                for c in w.findChildren(QCheckBox):
                    c.setChecked(c.text() in chosen)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Messages under their fields; the others cleared."""
        for key, label in self.errors.items():
            message = errors.get(key, "")
            label.setText(message)
            label.setVisible(bool(message))

    def set_dormant(self, keys: frozenset[str]) -> None:
        """Grey out the fields not asked for this application (Tab skips them); what was
        typed in them stays."""
        for key, w in self.inputs.items():
            w.setEnabled(key not in keys)

    def first_empty(self) -> str | None:
        """The first field nothing was entered in (None: all have a value)."""
        typed = self.values()
        return next(
            (
                f.key
                for f in self.service.fields
                if f.key not in typed and self.inputs[f.key].isEnabled()
            ),
            None,
        )

    def last_focusable(self) -> QWidget | None:
        """The form's last input in the Tab order (what comes before the materials)."""
        for f in reversed(self.service.fields):
            targets = self._focusables(self.inputs[f.key])
            if targets:
                return targets[-1]
        return None

    def focus_field(self, key: str) -> None:
        """Put the cursor in the field a message is about."""
        w = self.inputs.get(key)
        if w is not None:
            targets = self._focusables(w)
            (targets[0] if targets else w).setFocus()
