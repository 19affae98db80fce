"""电子材料: the case's materials with their page thumbnails, in the case view.

The page list (no bytes) is read first, then each thumbnail on its own, off the GUI thread
(``ctx.ops``); a full page is read only when the viewer shows it. A page marked unreadable
wears a red frame and 无法辨认. A reader who may not see the pages gets the service's
refusal in place of the thumbnails.

Signals:
    marks_changed(tuple): the 补正 items of the unreadable pages, after every change.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.cases.casefile import CaseFile
from app.errors import DomainError
from app.materials import marking, viewing
from app.materials.viewing import PageInfo
from ui.casefile.page_viewer import PageViewer
from ui.context import AppContext

ICON = QSize(120, 170)  # a portrait A4 thumbnail, half its stored width
UNREADABLE = QColor("#C62828")
REPLACED = QColor("#757575")  # a page 补正 replaced: kept, greyed


def add_pages_tab(
    tabs: QTabWidget,
    ctx: AppContext,
    actor: Actor,
    file: CaseFile,
    propose: Callable[[tuple[str, ...]], None],
) -> PagesPanel:
    """The 电子材料 tab of a case view: read when first shown; unreadable pages ``propose``d
    as 补正 items (the decision box adds them to its list)."""
    panel = PagesPanel(ctx, actor, file.id, file.fields)
    panel.marks_changed.connect(propose)
    tabs.addTab(panel, panel.tr("电子材料"))
    tabs.currentChanged.connect(lambda _i: panel.load_once(tabs))
    return panel


def decorated(pixmap: QPixmap, page: PageInfo, size: QSize = ICON) -> QPixmap:
    """``pixmap`` turned by the page's rotation and scaled into ``size``; red when unreadable."""
    if page.rotation:
        pixmap = pixmap.transformed(QTransform().rotate(page.rotation))
    shown = pixmap.scaled(
        size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
    )
    replaced = bool(page.replaced_note) and not page.unreadable
    if not page.unreadable and not replaced:
        return shown
    colour = REPLACED if replaced else UNREADABLE
    out = QPixmap(shown)
    painter = QPainter(out)
    painter.setPen(QPen(colour, 6))
    painter.drawRect(out.rect().adjusted(3, 3, -3, -3))
    painter.fillRect(0, out.height() - 26, out.width(), 26, colour)
    painter.setPen(QColor("white"))
    font = QFont(painter.font())
    font.setPixelSize(15)
    font.setBold(True)
    painter.setFont(font)
    band = out.rect().adjusted(0, out.height() - 26, 0, 0)
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, "已补正替换" if replaced else "无法辨认")
    painter.end()
    return out


class PagesPanel(QWidget):
    """Each material of the case with its pages; a thumbnail opens the viewer on its page."""

    marks_changed = Signal(tuple)

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        case_id: int,
        form: tuple[tuple[str, str], ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.case_id = ctx, actor, case_id
        self.form = form  # the application form as shown beside a page
        self.pages: list[PageInfo] = []
        self.thumbs: dict[int, QPixmap] = {}
        self.lists: dict[str, QListWidget] = {}
        self.viewer: PageViewer | None = None
        self.status = QLabel(self.tr("正在读取电子材料…"))
        self.status.setWordWrap(True)
        self.inner = QWidget()
        self.rows = QVBoxLayout(self.inner)
        self.rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.inner)
        box = QVBoxLayout(self)
        box.addWidget(self.status)
        box.addWidget(scroll, 1)
        self._loaded = False

    def load(self) -> None:
        """Read the page list (once the tab is first shown, and after a change)."""
        self._loaded = True
        self.ctx.ops.run(
            lambda: viewing.case_pages(self.ctx.db, self.actor, self.case_id),
            self._show_pages,
            self._refused,
            parent=self,
        )

    def load_once(self, tabs: QTabWidget | None = None) -> None:
        """Read the pages the first time only (when ``tabs`` shows this panel, if given)."""
        if not self._loaded and (tabs is None or tabs.currentWidget() is self):
            self.load()

    def refusal(self) -> str:
        """What the reader was told instead of the pages ("" when shown) — for tests."""
        return self.status.text() if self.status.property("refused") else ""

    def _refused(self, error: DomainError) -> None:
        self.status.setText(error.message)
        self.status.setProperty("refused", True)
        self.status.setStyleSheet("color: #B00020;")

    def _show_pages(self, pages: tuple[PageInfo, ...]) -> None:
        self.pages = list(pages)
        while self.rows.count() > 1:
            item = self.rows.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.lists.clear()
        if not pages:
            self.status.setText(self.tr("本办件没有电子材料（纸质材料留存窗口）。"))
            return
        counts: dict[str, int] = {}
        for p in pages:
            counts[p.material_key] = counts.get(p.material_key, 0) + 1
        self.status.setText(
            self.tr("{m} 项材料，共 {n} 页。双击缩略图查看原图。").format(
                m=len(counts), n=len(pages)
            )
        )
        for index, page in enumerate(pages):
            lst = self.lists.get(page.material_key)
            if lst is None:
                lst = self._material_row(page, counts[page.material_key])
            thumb = QListWidgetItem(self.tr("第 {n} 页").format(n=page.position))
            thumb.setData(Qt.ItemDataRole.UserRole, index)
            thumb.setSizeHint(QSize(ICON.width() + 16, ICON.height() + 30))
            lst.addItem(thumb)
            self._thumbnail(page)
        self.marks_changed.emit(self.unreadable_items())

    def _material_row(self, page: PageInfo, count: int) -> QListWidget:
        title = QLabel(self.tr("{name}（{n} 页）").format(name=page.material_name, n=count))
        title.setStyleSheet("font-weight: bold;")
        lst = QListWidget()
        lst.setViewMode(QListView.ViewMode.IconMode)
        lst.setFlow(QListView.Flow.LeftToRight)
        lst.setWrapping(False)
        lst.setIconSize(ICON)
        lst.setFixedHeight(ICON.height() + 56)
        lst.setMovement(QListView.Movement.Static)
        lst.itemActivated.connect(lambda item: self.open_page(item.data(Qt.ItemDataRole.UserRole)))
        self.rows.insertWidget(self.rows.count() - 1, title)
        self.rows.insertWidget(self.rows.count() - 1, lst)
        self.lists[page.material_key] = lst
        return lst

    def _thumbnail(self, page: PageInfo) -> None:
        def shown(data: bytes) -> None:
            pixmap = QPixmap()
            if pixmap.loadFromData(data):
                self.thumbs[page.id] = pixmap
                self._paint(page.id)

        self.ctx.ops.run(
            lambda: viewing.page_thumbnail(self.ctx.db, self.actor, page.id),
            shown,
            self._refused,
            parent=self,
        )

    def _item(self, page_id: int) -> QListWidgetItem | None:
        for index, page in enumerate(self.pages):
            if page.id == page_id:
                lst = self.lists[page.material_key]
                for row in range(lst.count()):
                    item = lst.item(row)
                    if item.data(Qt.ItemDataRole.UserRole) == index:
                        return item
        return None

    def _paint(self, page_id: int) -> None:
        item = self._item(page_id)
        page = next(p for p in self.pages if p.id == page_id)
        if item is None or page_id not in self.thumbs:
            return
        item.setIcon(QIcon(decorated(self.thumbs[page_id], page)))
        note = self.tr("无法辨认：{note}").format(note=page.unreadable_note)
        item.setToolTip(note if page.unreadable else page.replaced_note)

    def thumbnails_shown(self) -> int:
        """How many thumbnails are painted — for tests."""
        return len(self.thumbs)

    def unreadable_items(self) -> tuple[str, ...]:
        """The 补正 items the unreadable pages make (as the service words them)."""
        return tuple(
            marking.item_text(p.material_name, p.position, p.unreadable_note)
            for p in self.pages
            if p.unreadable
        )

    def page_changed(self, page: PageInfo) -> None:
        """The viewer changed ``page`` (marked, cleared, rotated): repaint its thumbnail."""
        self.pages = [page if p.id == page.id else p for p in self.pages]
        self._paint(page.id)
        self.marks_changed.emit(self.unreadable_items())

    def open_page(self, index: int) -> PageViewer:
        """The viewer on page ``index`` of the case (all materials, in order)."""
        viewer = PageViewer(
            self.ctx, self.actor, self.pages, index, self.form, self, case_id=self.case_id
        )
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.page_changed.connect(self.page_changed)
        viewer.destroyed.connect(lambda _o=None: setattr(self, "viewer", None))
        self.viewer = viewer
        viewer.open()
        return viewer
