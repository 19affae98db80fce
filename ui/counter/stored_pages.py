"""The pages a case already keeps for a material, shown in the capture dialog (read only).

A resumed draft's pages, or — at 补正 — the pages the approver found unreadable (framed
red) and those already replaced (grey), above the pages being captured now. They are the
case's record: they cannot be turned, moved or deleted here (the back office turns a page
for display; a replacement is a new page). A page captured now that is byte for byte one
of them is refused by the dialog (:meth:`StoredStrip.position_of`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.actor import Actor
from app.db.session import Database
from app.materials import viewing
from app.materials.viewing import PageInfo
from ui.casefile.pages_panel import decorated
from ui.context import AppContext

Loader = Callable[[], tuple[tuple[PageInfo, bytes, str], ...]]
ICON = QSize(72, 100)


class StoredStrip(QWidget):
    """已保存的页: thumbnails of the material's stored pages (hidden when there are none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setIconSize(ICON)
        self.list.setFixedHeight(ICON.height() + 44)
        self.list.setMovement(QListView.Movement.Static)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.title)
        box.addWidget(self.list)
        self.hashes: dict[str, int] = {}  # a stored page's SHA-256 → its position
        self.pages: tuple[PageInfo, ...] = ()
        self.hide()

    def load(self, ctx: AppContext, loader: Loader) -> None:
        """Read the stored pages (off the GUI thread) and show them."""
        self.title.setText(self.tr("正在读取已保存的页…"))
        self.show()
        ctx.ops.run(loader, self._show, lambda e: self.title.setText(e.message), parent=self)

    def position_of(self, sha256: str) -> int | None:
        """The stored page with these bytes, if any."""
        return self.hashes.get(sha256)

    def _show(self, stored: tuple[tuple[PageInfo, bytes, str], ...]) -> None:
        self.pages = tuple(info for info, _thumb, _sha in stored)
        self.hashes = {sha: info.position for info, _thumb, sha in stored}
        self.list.clear()
        for info, thumb, _sha in stored:
            pixmap = QPixmap()
            pixmap.loadFromData(thumb)
            item = QListWidgetItem(
                QIcon(decorated(pixmap, info, ICON)), self.tr("第 %d 页") % info.position
            )
            tip = self.tr("无法辨认：%s") % info.unreadable_note if info.unreadable else ""
            item.setToolTip(tip or info.replaced_note)
            self.list.addItem(item)
        bad = sum(1 for p in self.pages if p.unreadable)
        text = self.tr("已保存 %d 页（不能在此修改）") % len(self.pages)
        if bad:
            text += self.tr("，其中 %d 页被标记为无法辨认（红框），请补交新页") % bad
        self.title.setText(text)
        self.setVisible(bool(self.pages))


def draft_pages(db: Database, actor: Actor, case_id: int | None) -> Callable[[str], Loader] | None:
    """For each material key, the reader of a draft's stored pages (None: no draft)."""
    if case_id is None:
        return None
    return lambda key: lambda: viewing.material_thumbnails(db, actor, case_id, key)
