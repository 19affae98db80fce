"""Does a screen fit the desk it is shown on? Its geometry checked, and a screenshot kept.

The desks are the screens halls have: 1366×768 at the counter (and on most office
laptops) and 1920×1080. A desk PC shows a taskbar (40 px) and every window a title bar
(31 px, Windows 10/11 at 100 %); the kiosk and the hall display are full screen.

The GUI tests run on Qt's offscreen platform with both desks as screens side by side
(``qapp_args`` in ``tests/gui/conftest.py``): a dialog's natural size depends on the
screen it opens on (Qt caps it at two thirds of that screen).

What counts as not fitting (:func:`misfits`), each reported naming the widget:

* the window larger than what its desk gives it (a minimum size over the screen);
* a visible widget outside the window, or outside its parent (cut off) — except the
  content of scroll areas, which may scroll vertically;
* a scroll area (table, list, form, text) that scrolls horizontally, or whose content is
  wider than it with its scroll bar turned off;
* a button, check box or one-line label narrower than its text, a tab bar narrower than
  its tabs (their text is cut or hidden behind scroll arrows);
* a table or tree cell on screen whose text does not fit it (elided, or wrapped into
  more lines than the row is high).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QLabel,
    QListView,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QTabBar,
    QTableView,
    QTreeView,
    QWidget,
)

TASKBAR = 40
TITLE_BAR = 31
# Screen name → (x, width, height): the offscreen screens, left to right.
DESKS = {"1366x768": (0, 1366, 768), "1920x1080": (1366, 1920, 1080)}
SCREENSHOTS = "ONEWINDOW_SCREENSHOTS"  # keep the PNGs in this folder (default: tmp)


def offscreen_config(folder: Path) -> str:
    """A configuration file for Qt's offscreen platform with both desks; returns its path."""
    screens = ",".join(
        f'{{"name":"{name}","x":{x},"y":0,"width":{w},"height":{h},"logicalDpi":96,"dpr":1}}'
        for name, (x, w, h) in DESKS.items()
    )
    path = folder / "offscreen-desks.json"
    path.write_text(f'{{"screens":[{screens}]}}', encoding="utf-8")
    return str(path)


class Kind(Enum):
    """How a screen is shown on a desk."""

    WORKSPACE = "workspace"  # maximised: the desk less the taskbar and the title bar
    DIALOG = "dialog"  # its natural size, which must fit the same room
    FULL_SCREEN = "full screen"  # kiosk, hall display


@dataclass(frozen=True)
class Desk:
    """One of :data:`DESKS`: the geometry of its offscreen screen.

    (The geometry, not the QScreen: PySide may invalidate a QScreen wrapper another
    widget's ``screen()`` returned once that widget is gone.)
    """

    name: str
    geometry: QRect

    @property
    def origin(self) -> QPoint:
        return self.geometry.topLeft()

    def room(self, kind: Kind) -> QSize:
        """The largest client area a window of ``kind`` has on this desk."""
        size = self.geometry.size()
        if kind == Kind.FULL_SCREEN:
            return size
        return QSize(size.width(), size.height() - TASKBAR - TITLE_BAR)


def desk(name: str) -> Desk | None:
    """The desk ``name`` if the platform has it as a screen (None on another platform)."""
    screen = next((s for s in QGuiApplication.screens() if s.name() == name), None)
    return Desk(name, QRect(screen.geometry())) if screen is not None else None


def place(top: QWidget, on: Desk, kind: Kind) -> None:
    """Show ``top`` on the desk as a person would see it (before its data is awaited)."""
    if kind == Kind.DIALOG:
        # Moved before showing: the natural size is computed for this screen, and the
        # position is kept (a dialog otherwise centres itself on the primary screen).
        top.move(on.origin + QPoint(0, TITLE_BAR))
        top.show()
        return
    room = on.room(kind)
    top.setGeometry(
        QRect(on.origin + QPoint(0, 0 if kind == Kind.FULL_SCREEN else TITLE_BAR), room)
    )
    top.show()


def _describe(w: QWidget) -> str:
    text = ""
    if isinstance(w, QAbstractButton | QLabel):
        text = f" {w.text()[:30]!r}"
    name = f" #{w.objectName()}" if w.objectName() else ""
    owner = w.parentWidget()
    while owner is not None and owner.metaObject().className().startswith("Q"):
        owner = owner.parentWidget()
    where = f" in {owner.metaObject().className()}" if owner is not None else ""
    return f"{w.metaObject().className()}{name}{text}{where}"


def _scrolled_content(w: QWidget, top: QWidget) -> bool:
    """Whether ``w`` lies in a scroll area's viewport (its place may be scrolled to)."""
    p = w.parentWidget()
    while p is not None and p is not top:
        area = p.parentWidget()
        if isinstance(area, QAbstractScrollArea) and area.viewport() is p:
            return True
        p = area
    return False


def _rect_in(w: QWidget, top: QWidget) -> QRect:
    return QRect(w.mapTo(top, QPoint(0, 0)), w.size())


def _text_cut(w: QWidget) -> str | None:
    if isinstance(w, QAbstractButton) and w.text():
        need = w.sizeHint().width()
    elif isinstance(w, QLabel) and w.text() and not w.wordWrap() and w.pixmap().isNull():
        ignored = w.sizePolicy().horizontalPolicy() == QSizePolicy.Policy.Ignored
        rich = w.textFormat() == Qt.TextFormat.RichText
        need = 0 if ignored or rich else w.sizeHint().width()  # a marquee is cut on purpose
    elif isinstance(w, QTabBar) and w.count():
        need = sum(w.tabSizeHint(i).width() for i in range(w.count()))
    else:
        return None
    return f"{_describe(w)} needs {need} px, has {w.width()}" if need > w.width() else None


def _sideways(area: QAbstractScrollArea) -> int:
    """How far ``area`` scrolls (or would, had it a scroll bar) to the side, in px."""
    bar = area.horizontalScrollBar()
    over = bar.maximum() if bar.isVisible() or bar.maximum() > 0 else 0
    view = area.viewport().width()
    if isinstance(area, QTableView):
        over = max(over, area.horizontalHeader().length() - view)
    elif isinstance(area, QTreeView):
        over = max(over, area.header().length() - view)
    elif isinstance(area, QListView) and area.model() is not None:
        model = area.model()
        for row in range(min(model.rowCount(area.rootIndex()), 500)):
            index = model.index(row, area.modelColumn(), area.rootIndex())
            over = max(over, area.visualRect(index).width() - view)
    elif isinstance(area, QScrollArea) and area.widget() is not None:
        over = max(over, area.widget().width() - view)
    return over


def _indexes(view: QAbstractItemView, parent: QModelIndex, budget: list[int]) -> list[QModelIndex]:
    """The model's indexes under ``parent`` (expanded tree rows too), at most ``budget``."""
    model = view.model()
    out = []
    for row in range(model.rowCount(parent)):
        for col in range(model.columnCount(parent)):
            if budget[0] <= 0:
                return out
            budget[0] -= 1
            index = model.index(row, col, parent)
            out.append(index)
        first = model.index(row, 0, parent)
        if isinstance(view, QTreeView) and view.isExpanded(first):
            out += _indexes(view, first, budget)
    return out


def _cells_cut(view: QAbstractItemView) -> list[str]:
    """Cells on screen whose text does not fit them, as "row r, column c: text"."""
    if view.model() is None:
        return []
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    shown = view.viewport().rect()
    cut = []
    for index in _indexes(view, view.rootIndex(), [2000]):
        rect = view.visualRect(index)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not text or not isinstance(text, str) or not rect.intersects(shown):
            continue
        font = index.data(Qt.ItemDataRole.FontRole)
        metrics = QFontMetrics(font if isinstance(font, QFont) else view.font())
        width = rect.width() - 2 * margin
        if view.wordWrap():
            flags = int(Qt.TextFlag.TextWordWrap)
            bounds = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, text)
            if bounds.width() > width:  # no place to break a word: broken anywhere
                flags = int(Qt.TextFlag.TextWrapAnywhere)
                bounds = metrics.boundingRect(QRect(0, 0, width, 100_000), flags, text)
            fits = bounds.height() <= rect.height() + 1
        else:
            fits = metrics.horizontalAdvance(text) <= width + 1
        if not fits:
            cut.append(f"row {index.row()}, column {index.column()}: {text[:20]!r}")
    return cut


def misfits(top: QWidget, room: QSize) -> list[str]:
    """Everything about ``top`` (shown, laid out) that does not fit ``room``; [] if all fits."""
    found = []
    if top.width() > room.width() or top.height() > room.height():
        found.append(
            f"window {top.width()}×{top.height()} larger than the "
            f"{room.width()}×{room.height()} it has"
        )
    window = top.rect()
    for w in top.findChildren(QWidget):
        if w.isWindow() or not w.isVisible():
            continue
        parent = w.parentWidget()
        assert parent is not None
        in_scroll = _scrolled_content(w, top)
        if not in_scroll and not window.contains(_rect_in(w, top)):
            found.append(f"{_describe(w)} at {_rect_in(w, top).getRect()} outside the window")
        viewport_child = isinstance(parent.parentWidget(), QAbstractScrollArea)
        if not viewport_child and not parent.rect().contains(w.geometry()):
            found.append(f"{_describe(w)} cut off by {_describe(parent)}")
        if isinstance(w, QAbstractScrollArea) and _sideways(w) > 0:
            found.append(f"{_describe(w)} scrolls sideways by {_sideways(w)} px")
        if isinstance(w, QTableView | QTreeView):
            cells = _cells_cut(w)
            if cells:
                found.append(f"{_describe(w)} cuts {len(cells)} cells, e.g. {cells[0]}")
        cut = _text_cut(w)
        if cut:
            found.append(cut)
    return found


def screenshot(top: QWidget, name: str, tmp: Path) -> Path:
    """``top`` as a PNG, in $ONEWINDOW_SCREENSHOTS if set (to look at), else in ``tmp``."""
    folder = Path(os.environ.get(SCREENSHOTS) or tmp)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    assert top.grab().save(str(path)), path
    return path
