"""Create or edit a counter window: number, name, and the queues it serves in priority order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QSpinBox, QWidget

from app.actor import Actor
from app.queue import windows
from app.queue.windows import QueueCount, WindowView
from ui.context import AppContext
from ui.login import _FormDialog


class WindowDialog(_FormDialog):
    """Tick the queues the window serves; drag them into priority order (first: called first)."""

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        queues: tuple[QueueCount, ...],
        window: WindowView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, self.tr("编辑窗口") if window else self.tr("新建窗口"), parent)
        self.actor, self.editing = actor, window
        self.result_window: WindowView | None = None
        self.number = QSpinBox()
        self.number.setRange(1, 999)
        self.number.setValue(window.number if window else 1)
        self.name = QLineEdit(window.name if window else "")
        self.name.setPlaceholderText(self.tr("如：3 号窗口（社保）"))
        self.letters = QListWidget()
        self.letters.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        served = list(window.letters) if window else []
        ordered = served + [q.letter for q in queues if q.letter not in served]
        names = {q.letter: q.name for q in queues}
        for letter in ordered:
            item = QListWidgetItem(f"{letter}  {names.get(letter, '')}")
            item.setData(Qt.ItemDataRole.UserRole, letter)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if letter in served else Qt.CheckState.Unchecked
            )
            self.letters.addItem(item)
        self.add_row(self.tr("窗口号"), "number", self.number)
        self.add_row(self.tr("名称"), "name", self.name)
        self.add_row(self.tr("服务类别（拖动排序）"), "letters", self.letters)

    def chosen_letters(self) -> list[str]:
        """Ticked queues, in list order."""
        out = []
        for i in range(self.letters.count()):
            item = self.letters.item(i)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def submit(self) -> None:
        """Save through the service."""
        db, actor = self.ctx.db, self.actor
        number, name, letters = self.number.value(), self.name.text(), self.chosen_letters()
        wid = self.editing.id if self.editing else None
        self._call(lambda: windows.save_window(db, actor, number, name, letters, wid), self._done)

    def _done(self, window: WindowView) -> None:
        self.result_window = window
        self.accept()
