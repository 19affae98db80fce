"""The intake workspace's middle column: the service chosen and its form.

Owns the service list (the ticket's queue first), the chosen service's form rendered
from the catalog (:class:`~ui.widgets.form_renderer.FormRenderer`), and what was typed
for each service during this visit, so that switching services and back keeps it. The
materials, the live check and the outcomes stay with :mod:`ui.counter.intake_panel`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from app.hall.catalog import CatalogEntry
from ui.widgets.form_renderer import FormRenderer


class ServiceForm(QWidget):
    """办理事项 and its form.

    Signals:
        chosen: another service (or none) was chosen; its form (or a hint) is shown.
        edited: a field of the form changed.
    """

    chosen = Signal()
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services: list[CatalogEntry] = []
        self.form: FormRenderer | None = None
        self.typed: dict[str, dict[str, Any]] = {}  # per service: what was typed this visit
        self.combo = QComboBox()
        self.combo.setObjectName("service_combo")
        self.combo.currentIndexChanged.connect(self._chosen)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # laid out as the column it was
        layout.addWidget(QLabel(self.tr("办理事项")))
        layout.addWidget(self.combo)
        layout.addWidget(self.area, 1)

    def set_services(self, entries: list[CatalogEntry], letter: str | None) -> None:
        """List ``entries``, those of queue category ``letter`` first; none chosen."""
        self.services = sorted(
            entries, key=lambda e: (e.definition.queue_category != letter, e.code)
        )
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem(self.tr("— 选择事项 —"))
        for e in self.services:
            self.combo.addItem(f"{e.code} {e.name}（{e.department_name}，{e.kind_label}）")
        self.combo.blockSignals(False)
        self.combo.setCurrentIndex(0)
        self._chosen(0)

    @property
    def service(self) -> CatalogEntry | None:
        """The chosen service."""
        i = self.combo.currentIndex() - 1
        return self.services[i] if 0 <= i < len(self.services) else None

    def choose(self, code: str) -> None:
        """Select a service by code."""
        for i, e in enumerate(self.services):
            if e.code == code:
                self.combo.setCurrentIndex(i + 1)
                return

    def _chosen(self, _index: int) -> None:
        if self.form is not None:
            self.typed[self.form.service.code] = self.form.values()
        entry = self.service
        if entry is None:
            self.form = None
            self.area.setWidget(QLabel(self.tr("请先选择办理事项。")))
        else:
            self.form = FormRenderer(entry.definition)
            self.form.set_values(self.typed.get(entry.code, {}))
            self.form.changed.connect(self.edited)
            self.area.setWidget(self.form)
        self.chosen.emit()
