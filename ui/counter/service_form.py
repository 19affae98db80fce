"""The intake workspace's middle column: the service chosen and its form.

Owns the service search (typed: a name, a common name such as 低保, pinyin initials such
as ``dbsq``, or a code; ranked by :func:`app.hall.service_search.rank`, the ticket's queue
and then the services this clerk takes most first among equal hits), the chosen service's form
rendered from the catalog (:class:`~ui.widgets.form_renderer.FormRenderer`), and what was
typed for each service during this visit, so that switching services and back keeps it.
The materials, the live check and the outcomes stay with :mod:`ui.counter.intake_panel`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.hall.catalog import CatalogEntry
from app.hall.service_search import rank
from ui.widgets.form_renderer import FormRenderer

CODE_ROLE = Qt.ItemDataRole.UserRole
HIT_ROWS = 6  # the hits shown at once: the form keeps the rest of the column
QUEUE_FIRST = 1_000_000  # counted as that many uses: more than any clerk takes in 30 days


class _ColumnWide(QStyledItemDelegate):
    """Items as wide as the list (not as their text), so the list never scrolls sideways."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(0, super().sizeHint(option, index).height())


class ServiceForm(QWidget):
    """办理事项: a search box, its hits, and the chosen service's form.

    Typing filters the hits (best first); ↑/↓ move among them; Enter takes the selected
    hit (the top one unless moved) and puts the cursor in the form's first field.

    Signals:
        chosen: another service (or none) was chosen; its form (or a hint) is shown.
        edited: a field of the form changed.
    """

    chosen = Signal()
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services: list[CatalogEntry] = []
        self.usage: dict[str, int] = {}
        self.entry: CatalogEntry | None = None
        self.form: FormRenderer | None = None
        self.typed: dict[str, dict[str, Any]] = {}  # per service: what was typed this visit
        self.search = QLineEdit()
        self.search.setObjectName("service_search")
        self.search.setPlaceholderText(self.tr("搜索事项（Ctrl+F）：名称、俗称、拼音首字母或编码"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.textChanged.connect(self._show_hits)
        self.search.returnPressed.connect(self.take)
        self.search.installEventFilter(self)
        self.hits = QListWidget()
        self.hits.setObjectName("service_hits")
        self.hits.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the cursor stays in the search box
        # One line per hit, as wide as the column: a long name is elided, never scrolled to.
        self.hits.setItemDelegate(_ColumnWide(self.hits))
        self.hits.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.hits.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.hits.itemClicked.connect(lambda item: self.take(item.data(CODE_ROLE)))
        rows = self.hits.fontMetrics().height() + 4
        self.hits.setFixedHeight(rows * HIT_ROWS + 2 * self.hits.frameWidth())
        self.label = QLabel(self.tr("办理事项"))
        self.label.setWordWrap(True)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # laid out as the column it was
        layout.addWidget(self.label)
        layout.addWidget(self.search)
        layout.addWidget(self.hits)
        layout.addWidget(self.area, 1)
        self._show(None)

    def set_services(
        self, entries: list[CatalogEntry], letter: str | None, usage: dict[str, int] | None = None
    ) -> None:
        """Offer ``entries``; the search typed and the service chosen are kept.

        Among equal hits, those of the ticket's queue category ``letter`` come first, then
        by ``usage`` (code → cases this clerk took lately), then by code.
        """
        self.services = sorted(entries, key=lambda e: e.code)
        used = usage or {}
        # The ticket's queue leads the clerk's habits: a 低保 ticket is served for 低保.
        self.usage = {
            e.code: used.get(e.code, 0)
            + (QUEUE_FIRST if e.definition.queue_category == letter else 0)
            for e in entries
        }
        self._filter(self.search.text())  # what the clerk began typing stays
        kept = self.entry.code if self.entry else None
        self._show(next((e for e in self.services if e.code == kept), None))

    @property
    def service(self) -> CatalogEntry | None:
        """The chosen service."""
        return self.entry

    def choose(self, code: str | None, reload: bool = False) -> None:
        """Select a service by code (None: none chosen). ``reload``: show what ``typed``
        holds for it even if it is the service shown (a draft resumed over it)."""
        entry = next((e for e in self.services if e.code == code), None)
        if entry is not None or code is None:
            self._show(entry, reload)

    def drop(self) -> None:
        """None chosen, and what the form held forgotten (a case taken, the next person)."""
        if self.form is not None:
            self.typed.pop(self.form.service.code, None)
            self.form = None
        self._show(None)

    def take(self, code: str | None = None) -> None:
        """Choose ``code`` (default: the selected hit) and put the cursor in its form."""
        if code is None:
            item = self.hits.currentItem()
            code = item.data(CODE_ROLE) if item is not None else None
        if code is None:
            return
        self.choose(code)
        self.search.clear()
        if self.form is not None and self.form.service.fields:
            self.form.focus_field(self.form.service.fields[0].key)

    def focus_first_empty(self) -> None:
        """The cursor in the form's first empty field (the first field if all are filled)."""
        if self.form is not None and self.form.service.fields:
            key = self.form.first_empty() or self.form.service.fields[0].key
            self.form.focus_field(key)

    def last_input(self) -> QWidget | None:
        """The form's last input (Tab goes on from it to the materials)."""
        return self.form.last_focusable() if self.form is not None else None

    def focus_search(self) -> None:
        """Put the cursor in the search box (Ctrl+F), its text selected."""
        self.search.setFocus()
        self.search.selectAll()

    def _filter(self, query: str) -> None:
        self.hits.clear()
        for e in rank(self.services, query, self.usage):
            text = f"{e.code} {e.name}（{e.department_name}）"
            item = QListWidgetItem(text)
            item.setData(CODE_ROLE, e.code)
            aliases = "、".join(e.definition.aliases)
            item.setToolTip(text + (self.tr("\n俗称：") + aliases if aliases else ""))
            self.hits.addItem(item)
        if self.hits.count():
            self.hits.setCurrentRow(0)

    def _show_hits(self) -> None:
        """The hits while searching, or while nothing is chosen; else the form has the room."""
        searching = self.search.hasFocus() or bool(self.search.text())
        self.hits.setVisible(searching or self.entry is None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """↑/↓ in the search box move among the hits; the hits show while it has focus."""
        if watched is self.search and event.type() in (
            QEvent.Type.FocusIn,
            QEvent.Type.FocusOut,
        ):
            self._show_hits()
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None and self.hits.count():
                row = min(max(self.hits.currentRow() + step, 0), self.hits.count() - 1)
                self.hits.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    def _show(self, entry: CatalogEntry | None, reload: bool = False) -> None:
        same = entry is not None and self.form is not None and self.form.service.code == entry.code
        if self.form is not None and not (same and reload):
            self.typed[self.form.service.code] = self.form.values()
        if same and entry is not None and self.form is not None:
            self.entry = entry  # the same service, read again
            if reload:  # … with the values given for it (a resumed draft)
                self.form.set_values(self.typed.get(entry.code, {}))
                self._show_hits()
                self.chosen.emit()
            return
        self.entry = entry
        if entry is None:
            self.form = None
            self.label.setText(self.tr("办理事项"))
            hint = self.tr("请先选择办理事项：输入名称、俗称、拼音首字母或编码，按 Enter 选定。")
            empty = QLabel(hint)
            empty.setWordWrap(True)
            empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            self.area.setWidget(empty)
        else:
            self.label.setText(
                self.tr("办理事项：")
                + f"{entry.code} {entry.name}（{entry.department_name}，{entry.kind_label}）"
            )
            self.form = FormRenderer(entry.definition)
            self.form.set_values(self.typed.get(entry.code, {}))
            self.form.changed.connect(self.edited)
            self.area.setWidget(self.form)
        self._show_hits()
        self.chosen.emit()
