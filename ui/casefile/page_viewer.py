"""The page viewer (材料查看): one page at a time, beside the application form.

Zoom (+ / −, 适合窗口), rotate (R; kept on the page for every reader), previous/next page
over all the case's materials (← → or PgUp PgDn), and 标记无法辨认… with a reason, which
the case's 退回补正 then asks for. Each full page is read off the GUI thread when first
shown (an audited viewing) and kept while the viewer is open. Sized for 1366×768.

Signals:
    page_changed(PageInfo): a page was marked, cleared or rotated (the thumbnails repaint).
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import (
    QKeySequence,
    QPixmap,
    QResizeEvent,
    QShortcut,
    QShowEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import Conflict, DomainError
from app.materials import marking, viewing
from app.materials.viewing import PageInfo
from ui.context import AppContext
from ui.widgets import screen_room
from ui.widgets.field_errors import FieldErrors
from ui.widgets.tables import fill_rows, make_table

PREFERRED_SIZE = QSize(1600, 1000)  # bounded by the screen: all of a 1366×768 one
ZOOM_STEP = 1.25


class UnreadableDialog(QDialog):
    """标记无法辨认: why the page cannot be read; the reason goes into the 补正 item."""

    def __init__(self, where: str, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("标记无法辨认"))
        box = QVBoxLayout(self)
        box.addWidget(QLabel(self.tr("{where} 无法辨认的原因：").format(where=where)))
        self.note = QLineEdit(note)
        self.note.setPlaceholderText(self.tr("如：字迹模糊、缺角、反光看不清"))
        box.addWidget(self.note)
        self.errors = FieldErrors(QLabel())
        box.addWidget(self.errors.add("note", self.note))
        buttons = QDialogButtonBox()
        buttons.addButton(self.tr("标记"), QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.tr("取消"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        box.addWidget(buttons)
        self.setMinimumWidth(420)

    @classmethod
    def ask(
        cls, parent: QWidget, where: str, note: str = "", error: DomainError | None = None
    ) -> str | None:
        """The reason typed, or None when cancelled (tests replace this)."""
        dialog = cls(where, note, parent)
        if error is not None:
            dialog.errors.show(error)
        return dialog.note.text() if dialog.exec() == QDialog.DialogCode.Accepted else None


class PageViewer(QDialog):
    """The case's pages one by one, with the form's values alongside."""

    page_changed = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        actor: Actor,
        pages: list[PageInfo],
        index: int,
        form: tuple[tuple[str, str], ...],
        parent: QWidget | None = None,
        case_id: int = 0,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.actor, self.pages, self.index = ctx, actor, list(pages), index
        self.page_case_id = case_id  # to show a page as it is now if another PC changed it
        self.images: dict[int, QPixmap] = {}
        self.zoom: float | None = None  # None: fit the window
        self._sized = False
        self.title = QLabel()
        self.title.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.mark_label = QLabel()
        self.mark_label.setStyleSheet("color: white; background: #C62828; padding: 3px 8px;")
        self.image = QLabel(self.tr("正在读取…"))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pane = QScrollArea()
        self.pane.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pane.setWidget(self.image)
        self.pane.setWidgetResizable(False)
        self.form_table = make_table([self.tr("填报项"), self.tr("内容")], stretch=False)
        fill_rows(self.form_table, list(form))
        split = QSplitter()
        split.addWidget(self.pane)
        split.addWidget(self.form_table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([840, 440])
        self.form_table.setMinimumWidth(420)  # a 20-digit masked number does not wrap
        split.splitterMoved.connect(lambda _p, _i: self.form_table.resizeRowsToContents())

        self.buttons: dict[str, QPushButton] = {}
        tools = QHBoxLayout()
        for key, label, slot in (
            ("previous", "上一页", self.previous_page),
            ("next", "下一页", self.next_page),
            ("zoom_in", "放大", self.zoom_in),
            ("zoom_out", "缩小", self.zoom_out),
            ("fit", "适合窗口", self.fit),
            ("rotate", "旋转", lambda: self.rotate(1)),
            ("mark", "标记无法辨认…", self.mark),
            ("clear", "取消标记", self.clear_mark),
        ):
            b = QPushButton(self.tr(label))
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, s=slot: s())
            self.buttons[key] = b
            tools.addWidget(b)
            if key in ("next", "fit", "rotate"):
                tools.addSpacing(12)
        tools.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.mark_label)
        head.addStretch(1)
        main = QVBoxLayout(self)
        main.addLayout(head)
        main.addLayout(tools)
        main.addWidget(split, 1)
        main.addWidget(self.message)
        main.addWidget(close)
        for keys, slot in (
            (("Left", "PgUp"), self.previous_page),
            (("Right", "PgDown"), self.next_page),
            (("+", "="), self.zoom_in),
            (("-",), self.zoom_out),
            (("R",), lambda: self.rotate(1)),
        ):
            for key in keys:
                QShortcut(QKeySequence(key), self).activated.connect(slot)
        self.show_page(index)

    def showEvent(self, event: QShowEvent) -> None:
        """Sized on first showing, within the screen (1366×768 leaves it less)."""
        if not self._sized and not event.spontaneous():
            self._sized = True
            parent = self.parentWidget()
            if parent is not None:  # the screen the case view is on, not the primary one
                self.setScreen(parent.screen())
            screen_room.resize_within(self, PREFERRED_SIZE)
        super().showEvent(event)

    @property
    def page(self) -> PageInfo:
        """The page shown."""
        return self.pages[self.index]

    def where(self) -> str:
        """``收入证明 第 2 页`` of the page shown."""
        return marking.item_prefix(self.page.material_name, self.page.position)

    def show_page(self, index: int) -> None:
        """Show page ``index`` (reading its image the first time)."""
        self.index = max(0, min(index, len(self.pages) - 1))
        page = self.page
        self.setWindowTitle(self.tr("材料查看 — {where}").format(where=self.where()))
        self.title.setText(
            self.tr("{where}（共 {n} 页中的第 {i} 页）").format(
                where=self.where(), n=len(self.pages), i=self.index + 1
            )
        )
        self._show_mark()
        self.buttons["previous"].setEnabled(self.index > 0)
        self.buttons["next"].setEnabled(self.index < len(self.pages) - 1)
        if page.id in self.images:
            self._draw()
            return
        self.image.setPixmap(QPixmap())
        self.image.setText(self.tr("正在读取…"))
        self.image.adjustSize()
        self.ctx.ops.run(
            lambda: viewing.page_image(self.ctx.db, self.actor, page.id),
            lambda data: self._loaded(page.id, data),
            self._failed,
            parent=self,
        )

    def _loaded(self, page_id: int, data: bytes) -> None:
        pixmap = QPixmap()
        if not pixmap.loadFromData(data):
            self.image.setText(self.tr("图像无法显示。"))
            return
        self.images[page_id] = pixmap
        if page_id == self.page.id:
            self._draw()

    def _failed(self, error: DomainError) -> None:
        self.image.setText(error.message)
        self.image.adjustSize()
        self.say(error.message, warn=True)

    def image_shown(self) -> bool:
        """Whether the page's full image is on screen — for tests."""
        return self.page.id in self.images and not self.image.pixmap().isNull()

    def _show_mark(self) -> None:
        page = self.page
        replaced = bool(page.replaced_note) and not page.unreadable
        colour = "#616161" if replaced else "#C62828"
        self.mark_label.setStyleSheet(f"color: white; background: {colour}; padding: 3px 8px;")
        if replaced:
            self.mark_label.setText(page.replaced_note)
        else:
            self.mark_label.setText(self.tr("无法辨认：{note}").format(note=page.unreadable_note))
        self.mark_label.setVisible(page.unreadable or bool(page.replaced_note))
        self.buttons["clear"].setVisible(page.unreadable)
        self.buttons["mark"].setText(self.tr("修改标记…") if page.unreadable else "标记无法辨认…")

    def _draw(self) -> None:
        source = self.images.get(self.page.id)
        if source is None:
            return
        if self.page.rotation:
            source = source.transformed(QTransform().rotate(self.page.rotation))
        if self.zoom is None:
            room = self.pane.viewport().size() - QSize(4, 4)
            shown = source.scaled(
                room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        else:
            shown = source.scaledToWidth(
                max(50, int(source.width() * self.zoom)), Qt.TransformationMode.SmoothTransformation
            )
        self.image.setPixmap(shown)
        self.image.adjustSize()

    def _scale(self) -> float:
        source = self.images.get(self.page.id)
        if source is None or self.image.pixmap().isNull():
            return 1.0
        return self.image.pixmap().width() / max(
            1, source.width() if not self.page.rotation % 180 else source.height()
        )

    # --- actions -------------------------------------------------------------------------

    def previous_page(self) -> None:
        """The page before (the previous material's last at a material's first)."""
        if self.index > 0:
            self.show_page(self.index - 1)

    def next_page(self) -> None:
        """The page after."""
        if self.index < len(self.pages) - 1:
            self.show_page(self.index + 1)

    def zoom_in(self) -> None:
        """Larger by a quarter (up to 4×)."""
        self.zoom = min(4.0, self._scale() * ZOOM_STEP)
        self._draw()

    def zoom_out(self) -> None:
        """Smaller by a fifth (down to a tenth)."""
        self.zoom = max(0.1, self._scale() / ZOOM_STEP)
        self._draw()

    def fit(self) -> None:
        """The whole page in the window."""
        self.zoom = None
        self._draw()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """A fitted page follows the window's size."""
        super().resizeEvent(event)
        self.form_table.resizeRowsToContents()  # long values wrap at the width they now have
        if self.zoom is None:
            self._draw()

    def rotate(self, quarter_turns: int) -> None:
        """Turn the page clockwise (kept for every reader; audited)."""
        page_id, seen = self.page.id, self.page.rotation
        self.ctx.ops.run(
            lambda: marking.rotate_page(self.ctx.db, self.actor, page_id, quarter_turns, seen),
            self._changed,
            self._not_done,
            parent=self,
        )

    def mark(self, note: str = "", error: DomainError | None = None) -> None:
        """Ask why the page cannot be read, then mark it (asked again if refused)."""
        typed = UnreadableDialog.ask(self, self.where(), note or self.page.unreadable_note, error)
        if typed is None:
            return
        page_id = self.page.id
        seen = self.page.unreadable_note if self.page.unreadable else ""
        self.ctx.ops.run(
            lambda: marking.mark_unreadable(self.ctx.db, self.actor, page_id, typed, seen),
            lambda info: self._changed(info, self.tr("已标记无法辨认，退回补正时将列入补正事项。")),
            lambda e: self._not_done(e) if isinstance(e, Conflict) else self.mark(typed, e),
            parent=self,
        )

    def _not_done(self, error: DomainError) -> None:
        """Refused: say why; if another PC changed the page, show it as it is now."""
        self.say(error.message, warn=True)
        if isinstance(error, Conflict):
            page_id, case_id = self.page.id, self.page_case_id
            self.ctx.ops.run(
                lambda: viewing.case_pages(self.ctx.db, self.actor, case_id),
                lambda pages: self._refreshed(page_id, pages, error.message),
                parent=self,
            )

    def _refreshed(self, page_id: int, pages: tuple[PageInfo, ...], message: str) -> None:
        fresh = next((p for p in pages if p.id == page_id), None)
        if fresh is not None:
            self._changed(fresh)
            self.say(message, warn=True)

    def clear_mark(self) -> None:
        """The page is readable after all."""
        page_id = self.page.id
        seen = self.page.unreadable_note if self.page.unreadable else ""
        self.ctx.ops.run(
            lambda: marking.clear_unreadable(self.ctx.db, self.actor, page_id, seen),
            lambda info: self._changed(info, self.tr("已取消无法辨认标记。")),
            self._not_done,
            parent=self,
        )

    def _changed(self, info: PageInfo, message: str = "") -> None:
        self.pages = [info if p.id == info.id else p for p in self.pages]
        if info.id == self.page.id:
            self._show_mark()
            self._draw()
        if message:
            self.say(message)
        self.page_changed.emit(info)

    def say(self, message: str, warn: bool = False) -> None:
        """A line under the page: what was done, or why not."""
        self.message.setText(message)
        self.message.setStyleSheet("color: #B00020;" if warn else "color: #1B5E20;")
