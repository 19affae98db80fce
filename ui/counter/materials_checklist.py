"""The materials checklist: what THIS applicant must bring, ticked as it is handed over."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.checklist import MaterialTick, NeededMaterial
from app.materials.intake import PreparedPage
from ui.context import AppContext
from ui.counter.capture_dialog import CaptureDialog
from ui.counter.stored_pages import Loader
from ui.widgets.field_errors import INVALID_BORDER

NOTE_FIELD = "material_note:"  # the services name a material's note field by this + key

KEYPAD = Qt.KeyboardModifier.KeypadModifier
COLUMNS = ("材料", "要求", "已收", "验原件", "复印件", "容缺", "备注", "页")
PAGES_COLUMN = 7
Pages = dict[str, tuple[PreparedPage, ...]]


class MaterialsChecklist(QTableWidget):
    """Rows follow the needed materials (conditions re-evaluated by the owner).

    Ticks are kept per service (:meth:`use_service`) by material key, so a row that
    disappears and comes back (a condition switched off and on again) keeps what was
    ticked, and nothing ticked for one service shows as received for another.

    Keys (the table focused, Tab reaches it after the form): 1–9 tick that row, Space the
    current row, as received with the original seen (again: untick); ↑/↓ move; P opens
    the current row's pages (:mod:`ui.counter.capture_dialog`, also its 页 button).

    Pages are kept like the ticks: per service and material key, until the service's case
    is taken (:meth:`forget`) or the next person comes (:meth:`load`). A resumed draft's
    stored pages are counted in the 页 column (their bytes stay with the case; pages added
    now come after them) and named in the capture dialog.

    Signals:
        changed: a tick, count, note or a material's pages changed.
    """

    changed = Signal()

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.ctx = ctx  # None: no pages column (no runner to prepare them with)
        self.capture_dialog: CaptureDialog | None = None  # the one open now
        self.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        # Names and requirements share what is left; the ticks keep a fixed, narrow width
        # so that every column fits a 1366-pixel counter screen without scrolling.
        for col in (0, 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Stretch)
        for col, w in ((2, 42), (3, 52), (4, 58), (5, 42), (6, 96), (7, 46)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            self.setColumnWidth(col, w)
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._ticks: dict[str, MaterialTick] = {}
        self._by_service: dict[str | None, dict[str, MaterialTick]] = {None: self._ticks}
        self._rows: list[NeededMaterial] = []
        self._pages: Pages = {}
        self._pages_by_service: dict[str | None, Pages] = {None: self._pages}
        self._stored: dict[str, int] = {}  # a resumed draft's pages per material
        self._stored_code: str | None = None  # … of this service
        # Reads a material's stored pages of the resumed draft (set by the intake panel)
        self.stored_source: Callable[[str], Loader] | None = None
        self.setColumnHidden(PAGES_COLUMN, ctx is None)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.setTabKeyNavigation(False)  # Tab leaves the table: ↑/↓ move inside it

    def use_service(self, code: str | None) -> None:
        """Show and record the ticks of service ``code`` (each service keeps its own)."""
        self._remember()
        self._ticks = self._by_service.setdefault(code, {})
        self._pages = self._pages_by_service.setdefault(code, {})
        self._rows = []
        self.setRowCount(0)

    def forget(self, code: str | None) -> None:
        """Drop what was ticked for ``code`` (its case was taken, the next person)."""
        shown = self._ticks is self._by_service.get(code)
        self._by_service.pop(code, None)
        self._pages_by_service.pop(code, None)
        if shown:
            self._ticks = self._by_service.setdefault(code, {})
            self._pages = self._pages_by_service.setdefault(code, {})
            self._rows = []
            self.setRowCount(0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """1–9 tick that row, Space the current one (received, original seen); P its pages."""
        key = event.key()
        if Qt.Key.Key_1 <= key <= Qt.Key.Key_9 and not event.modifiers() & ~KEYPAD:
            self.toggle_row(key - Qt.Key.Key_1)
            return
        if key == Qt.Key.Key_Space:
            self.toggle_row(self.currentRow())
            return
        if key == Qt.Key.Key_P and not event.modifiers() & ~KEYPAD and self.ctx is not None:
            self.open_pages(self.currentRow())
            return
        super().keyPressEvent(event)

    def toggle_row(self, row: int) -> None:
        """Tick row ``row`` as received with the original seen, or untick it if it was."""
        if not 0 <= row < self.rowCount():
            return
        boxes = [self.cellWidget(row, c) for c in (2, 3)]
        checks = [b for b in boxes if isinstance(b, QCheckBox)]
        on = not all(b.isChecked() for b in checks)
        for b in checks:
            b.setChecked(on)
        self.setCurrentCell(row, 0)

    def set_needed(self, needed: list[NeededMaterial]) -> None:
        """Show these materials (keeping what was ticked before)."""
        self._remember()
        if [n.key for n in needed] == [n.key for n in self._rows]:
            return
        self._rows = list(needed)
        self.blockSignals(True)
        self.setRowCount(len(needed))
        for r, m in enumerate(needed):
            name = QTableWidgetItem(m.name + (self.tr("（因条件需要）") if m.conditional else ""))
            name.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(r, 0, name)
            need = f"{m.form}" + (f" ×{m.copies}" if m.copies and m.form != "原件" else "")
            req = QTableWidgetItem(need + (f"；{m.note}" if m.note else ""))
            req.setToolTip(m.note)
            req.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.setItem(r, 1, req)
            tick = self._ticks.get(m.key, MaterialTick(m.key, copies=m.copies))
            received = self._check(tick.received, f"received_{m.key}")
            original = self._check(tick.original_seen, f"original_{m.key}")
            copies = QSpinBox()
            copies.setRange(0, 99)
            copies.setToolTip(self.tr("收取复印件份数"))
            copies.setValue(tick.copies)
            copies.valueChanged.connect(self._edited)
            deferred = self._check(tick.deferred, f"deferred_{m.key}")
            deferred.setEnabled(m.deferrable)
            deferred.setToolTip(
                self.tr("可容缺：申请人签署承诺书后限期补交") if m.deferrable else ""
            )
            note = QLineEdit(tick.note)
            note.setPlaceholderText(self.tr("备注"))
            note.setMaxLength(200)
            note.textChanged.connect(self._edited)
            # Tab leaves the table (1–9 and Space tick rows); the mouse still reaches all.
            for box in (received, original, deferred):
                box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            for edit in (copies, note):
                edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
            for col, w in ((2, received), (3, original), (4, copies), (5, deferred), (6, note)):
                self.setCellWidget(r, col, w)
            self.setCellWidget(r, PAGES_COLUMN, self._pages_button(r, m.key))
        self.blockSignals(False)
        self.resizeRowsToContents()

    def _check(self, on: bool, name: str) -> QCheckBox:
        box = QCheckBox()
        box.setObjectName(name)
        box.setChecked(on)
        box.toggled.connect(self._edited)
        return box

    def _edited(self) -> None:
        for r in range(self.rowCount()):  # a refused note is being corrected
            note = self.cellWidget(r, 6)
            if isinstance(note, QLineEdit) and note.styleSheet():
                note.setStyleSheet("")
                note.setToolTip("")
        self._remember()
        self.changed.emit()

    def note_edit(self, key: str) -> QLineEdit | None:
        """The note input of a material on screen (None if not needed now)."""
        for r, m in enumerate(self._rows):
            if m.key == key:
                note = self.cellWidget(r, 6)
                return note if isinstance(note, QLineEdit) else None
        return None

    def show_note_error(self, field: str, message: str) -> bool:
        """Mark the note a service refused (``material_note:<key>``): red frame, message as
        its tooltip, cursor in it. False when no such note is on screen."""
        note = (
            self.note_edit(field.removeprefix(NOTE_FIELD)) if field.startswith(NOTE_FIELD) else None
        )
        if note is None:
            return False
        note.setStyleSheet(f"QLineEdit {{ {INVALID_BORDER} }}")
        note.setToolTip(message)
        note.setFocus()
        return True

    def _remember(self) -> None:
        for r, m in enumerate(self._rows):
            cells = [self.cellWidget(r, c) for c in range(2, 7)]
            if any(c is None for c in cells):
                continue
            received, original, copies, deferred, note = cells
            assert isinstance(received, QCheckBox) and isinstance(original, QCheckBox)
            assert isinstance(copies, QSpinBox) and isinstance(deferred, QCheckBox)
            assert isinstance(note, QLineEdit)
            self._ticks[m.key] = MaterialTick(
                m.key,
                received.isChecked(),
                original.isChecked(),
                copies.value() > 0,
                copies.value(),
                deferred.isChecked(),
                note.text(),
            )

    def ticks(self) -> tuple[MaterialTick, ...]:
        """Everything recorded, for the service call."""
        self._remember()
        return tuple(self._ticks[m.key] for m in self._rows if m.key in self._ticks)

    def load(
        self,
        ticks: tuple[MaterialTick, ...],
        code: str | None = None,
        stored: dict[str, int] | None = None,
    ) -> None:
        """Restore the ticks of service ``code`` (a resumed draft, with its ``stored`` page
        counts per material); () and None: a new visit."""
        self._stored, self._stored_code = dict(stored or {}), code
        if code is None:
            self.stored_source = None
        if code is None:
            self._by_service, self._pages_by_service = {}, {}
        self._ticks = self._by_service[code] = {t.key: t for t in ticks}
        self._pages = self._pages_by_service[code] = {}
        self._rows = []
        self.setRowCount(0)

    def received_box(self, key: str) -> QCheckBox | None:
        """The "received" tick of a material on screen (None if not needed now)."""
        for r, m in enumerate(self._rows):
            if m.key == key:
                box = self.cellWidget(r, 2)
                return box if isinstance(box, QCheckBox) else None
        return None

    def receive_all(self) -> None:
        """Tick every row as received with the original seen (the common case)."""
        for r in range(self.rowCount()):
            for col in (2, 3):
                box = self.cellWidget(r, col)
                if isinstance(box, QCheckBox):
                    box.setChecked(True)

    # --- pages ---------------------------------------------------------------------------

    def pages(self) -> Pages:
        """The pages of the materials needed now, by material key, for the service call."""
        needed = {m.key for m in self._rows}
        return {k: v for k, v in self._pages.items() if v and k in needed}

    def _pages_button(self, row: int, key: str) -> QPushButton:
        button = QPushButton(self._pages_text(key))
        button.setObjectName(f"pages_{key}")
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # P on the row does it by keyboard
        button.setToolTip(self._pages_tip(key))
        button.clicked.connect(lambda: self.open_pages(self._row_of(key)))
        return button

    def stored(self, key: str) -> int:
        """Pages of ``key`` a resumed draft of the service shown keeps already."""
        shown = self._pages is self._pages_by_service.get(self._stored_code)
        return self._stored.get(key, 0) if shown and self._stored_code is not None else 0

    def _pages_text(self, key: str) -> str:
        # the column is headed 页: 1366 px are few
        return str(self.stored(key) + len(self._pages.get(key, ())))

    def _pages_tip(self, key: str) -> str:
        stored, new = self.stored(key), len(self._pages.get(key, ()))
        if not stored:
            return self.tr("拍摄或添加材料页 (P)")
        return (
            self.tr("暂存件已保存 %1 页，本次新增 %2 页 (P)")
            .replace("%1", str(stored))
            .replace("%2", str(new))
        )

    def _row_of(self, key: str) -> int:
        return next((r for r, m in enumerate(self._rows) if m.key == key), -1)

    def open_pages(self, row: int) -> None:
        """Open the capture dialog for row ``row``'s material (not modal to the panel's work)."""
        if self.ctx is None or not 0 <= row < len(self._rows):
            return
        self.setCurrentCell(row, 0)
        m = self._rows[row]
        pages = self._pages  # the service's, even if another is chosen while it is open
        dialog = CaptureDialog(self.ctx, m.name, pages.get(m.key, ()), self, m.sides)
        count = self.stored(m.key)
        source = self.stored_source
        dialog.set_stored(count, source(m.key) if source is not None and count else None)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._took(pages, m.key, dialog.pages()))
        self.capture_dialog = dialog
        dialog.open()

    def _took(self, pages: Pages, key: str, taken: tuple[PreparedPage, ...]) -> None:
        pages[key] = taken
        if pages is self._pages and (row := self._row_of(key)) >= 0:
            button = self.cellWidget(row, PAGES_COLUMN)
            if isinstance(button, QPushButton):
                button.setText(self._pages_text(key))
                button.setToolTip(self._pages_tip(key))
        self.changed.emit()
