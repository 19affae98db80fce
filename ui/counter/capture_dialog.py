"""The pages of one material, captured at the counter: document camera, files, drops.

Left, the document camera's live preview (:mod:`ui.counter.frame_source`); Space takes a
page. Right, the pages as thumbnails in order: turn them, move them, delete them; add
images and PDFs from files (several at once) or by dropping them on the dialog. Every
page is prepared (checked, normalised, compressed: :mod:`app.materials.intake`) off the
GUI thread — about half a second a page — one file per operation, in the order given.
A refused file shows its Chinese message here and adds nothing; the pages already there
stay. OK hands the pages back; they are stored only with the case's outcome.

The camera's captures are cropped to the sheet and made upright (自动裁边纠偏, on by
default: :mod:`app.materials.straighten`). An ID card's sides are captured in turn and kept
as one page; the scanner's folder is watched while the dialog is open
(:mod:`ui.counter.capture_sides`).

Keys: Space 拍摄, Delete 删除, Ctrl+←/→ move, Ctrl+R / Ctrl+L turn, Enter 确定, Esc 取消.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QPixmap,
    QShortcut,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.materials.intake import PreparedPage, prepare_pages, rotated
from ui.context import AppContext
from ui.counter.capture_sides import ScanFolderRow, SidesBox
from ui.counter.capture_work import Entry, Side, composed, frame_bytes, prepare_file, twin_of
from ui.counter.frame_source import FrameSource, SourceFactory, find_camera
from ui.counter.intake_wording import WARN_STYLE
from ui.counter.stored_pages import Loader, StoredStrip

NO_CAMERA = "未检测到高拍仪/摄像头。可从文件添加，或将图片、PDF 文件拖入此窗口。"
FILE_FILTER = "图片或 PDF (*.jpg *.jpeg *.png *.tif *.tiff *.webp *.bmp *.pdf);;所有文件 (*)"


class CaptureDialog(QDialog):
    """Capture and arrange the pages of one material (module docstring).

    ``sources`` finds the camera; tests replace it with one returning a
    :class:`~ui.counter.frame_source.PictureFrames` (or None: no camera).
    """

    sources: SourceFactory = staticmethod(find_camera)

    def __init__(
        self,
        ctx: AppContext,
        material: str,
        pages: tuple[PreparedPage, ...] = (),
        parent: QWidget | None = None,
        sides: tuple[str, ...] = (),
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.material = material
        self.setWindowTitle(self.tr("材料采集 — %s") % material)
        self.setAcceptDrops(True)
        self._entries = [Entry(p) for p in pages]
        self._working = 0
        self._shots = 0
        self._stored = 0  # pages of this material a resumed draft keeps
        self._problems: list[str] = []  # refusals of the files being added, all shown
        self.source: FrameSource | None = type(self).sources()

        camera = QGroupBox(self.tr("高拍仪"))
        left = QVBoxLayout(camera)
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.capture_button = QPushButton(self.tr("拍摄 (空格)"))
        self.capture_button.clicked.connect(self.capture)
        self.straighten = QCheckBox(self.tr("自动裁边纠偏"))
        self.straighten.setChecked(True)
        self.straighten.setToolTip(self.tr("拍摄后自动裁去底板、摆正纸张"))
        if self.source is not None:
            self.notice.setText(self.source.name)
            view = self.source.preview()
            view.setMinimumSize(360, 300)
            left.addWidget(self.notice)
            left.addWidget(view, 1)
        else:
            self.notice.setText(self.tr(NO_CAMERA))
            self.notice.setStyleSheet(WARN_STYLE)
            left.addWidget(self.notice, 1)
            self.capture_button.setEnabled(False)
            self.straighten.setEnabled(False)
        left.addWidget(self.straighten)
        left.addWidget(self.capture_button)

        self.list = QListWidget()
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setIconSize(QSize(120, 170))
        self.list.setSpacing(6)
        self.list.setMinimumWidth(420)
        self.list.currentRowChanged.connect(self._update_buttons)
        tools = QHBoxLayout()
        self.left_button = QPushButton(self.tr("左转"))
        self.right_button = QPushButton(self.tr("右转"))
        self.back_button = QPushButton(self.tr("前移"))
        self.forward_button = QPushButton(self.tr("后移"))
        self.delete_button = QPushButton(self.tr("删除"))
        self.files_button = QPushButton(self.tr("从文件添加…"))
        buttons = (
            (self.left_button, "Ctrl+L", lambda: self.turn(-1)),
            (self.right_button, "Ctrl+R", lambda: self.turn(1)),
            (self.back_button, "Ctrl+Left", lambda: self.move_page(-1)),
            (self.forward_button, "Ctrl+Right", lambda: self.move_page(1)),
            (self.delete_button, "Delete", self.delete_page),
        )
        for button, key, slot in buttons:
            button.clicked.connect(slot)
            button.setToolTip(key)
            QShortcut(QKeySequence(key), self, slot)
            tools.addWidget(button)
        tools.addStretch(1)
        self.files_button.clicked.connect(self.add_from_files)
        tools.addWidget(self.files_button)
        QShortcut(QKeySequence(Qt.Key.Key_Space), self, self.capture)
        right = QVBoxLayout()
        self.count, self.hint = QLabel(), QLabel()
        heading = QHBoxLayout()
        heading.addWidget(self.count)
        heading.addWidget(self.hint, 1)
        self.sides_box = SidesBox(sides)
        self.scan_row = ScanFolderRow()
        self.scan_row.arrived.connect(lambda path: self.add_files([path]))
        right.addLayout(heading)
        right.addWidget(self.sides_box)
        self.stored = StoredStrip()
        right.addWidget(self.stored)
        right.addWidget(self.list, 1)
        right.addLayout(tools)
        right.addWidget(self.scan_row)

        self.message = QLabel()
        self.message.setWordWrap(True)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(camera, 4)
        body.addLayout(right, 5)
        main = QVBoxLayout(self)
        main.addLayout(body, 1)
        problems = QScrollArea()  # a drop of many bad files lists every refusal
        problems.setWidgetResizable(True)
        problems.setFrameShape(QScrollArea.Shape.NoFrame)
        problems.setWidget(self.message)
        problems.setMaximumHeight(96)
        main.addWidget(problems)
        main.addWidget(box)
        self.resize(1000, 620)
        self._refresh()

    # --- what the dialog holds ---------------------------------------------------------

    def pages(self) -> tuple[PreparedPage, ...]:
        """The pages in order, turned as asked."""
        return tuple(e.shown for e in self._entries)

    @property
    def working(self) -> int:
        """Pages still being prepared or turned."""
        return self._working

    def set_stored(self, count: int, loader: Loader | None = None) -> None:
        """The case keeps ``count`` pages of this material already (a resumed draft, 补正):
        say so, and show them read only when ``loader`` can read them."""
        self._stored = count
        if count and loader is not None:
            self.stored.load(self.ctx, loader)
        self._refresh()

    def say(self, text: str) -> None:
        """A problem under the pages (red); empty clears it and the problems listed."""
        self._problems = [text] if text else []
        self._show_problems()

    def _show_problems(self) -> None:
        text = "\n".join(self._problems)  # every one: the box scrolls when they are many
        self.message.setText(text)
        self.message.setStyleSheet(WARN_STYLE if text else "")

    # --- adding ------------------------------------------------------------------------

    def capture(self) -> None:
        """Take the camera's current frame as the next page."""
        if self.source is None:
            return
        image = self.source.grab()
        if image is None:
            self.say(self.tr("高拍仪尚未送来画面，请稍候再拍。"))
            return
        if self.sides_box.active:
            self._take_side(image)
            return
        self._shots += 1
        name = self.tr("高拍仪第 %d 张") % self._shots
        straighten = self.straighten.isChecked()
        self._prepare(lambda: prepare_pages(frame_bytes(image), name, straighten))

    def _take_side(self, side: Side) -> None:
        """The next side of the ID card; once all are there, compose them into a page."""
        names = self.sides_box.sides
        taken = self.sides_box.take(side)
        if taken is not None:
            material = self.material
            self._prepare(lambda: composed(tuple(zip(taken, names, strict=True)), material))

    def add_from_files(self) -> None:
        """Ask for image or PDF files and add their pages."""
        self.add_files(self.choose_files())

    def choose_files(self) -> list[Path]:
        """The files the clerk picks (tests replace this)."""
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("从文件添加材料页"), "", self.tr(FILE_FILTER)
        )
        return [Path(n) for n in names]

    def add_files(self, paths: list[Path]) -> None:
        """Prepare each file's pages, in order; a refused file is said and adds nothing.

        While an ID card's sides are being taken, an image file is the next side.
        """
        for path in paths:
            if self.sides_box.active and path.suffix.lower() != ".pdf":
                self._take_side(path)
            else:
                self._prepare(functools.partial(prepare_file, path))

    def _prepare(self, op: Callable[[], tuple[PreparedPage, ...]]) -> None:
        if not self._working:  # a new batch: the last one's problems were read
            self.say("")
        self._working += 1
        self._refresh()
        self.ctx.ops.run(op, self._added, self._refused, parent=self, on_settled=self._settled)

    def _settled(self) -> None:
        """One preparation or turn is over, whatever its outcome (a bug included)."""
        self._working -= 1
        self._refresh()

    def _added(self, pages: tuple[PreparedPage, ...]) -> None:
        for page in pages:
            twin = twin_of(page.sha256, self.stored.position_of(page.sha256), self._entries)
            if twin:
                self._problems.append(
                    self.tr("%1 与%2完全相同，未重复添加。")
                    .replace("%1", page.source or self.tr("该页"))
                    .replace("%2", twin)
                )
            else:
                self._entries.append(Entry(page))
        self._show_problems()
        self._refresh(select=len(self._entries) - 1)

    def _refused(self, error: DomainError) -> None:
        self._problems.append(error.message)  # every refusal of a batch stays in view
        self._show_problems()

    # --- arranging ---------------------------------------------------------------------

    def turn(self, quarter_turns: int) -> None:
        """Turn the selected page by 90° (1 clockwise, -1 anticlockwise)."""
        row = self.list.currentRow()
        if not 0 <= row < len(self._entries):
            return
        entry = self._entries[row]
        entry.turns = (entry.turns + quarter_turns) % 4
        wanted, original = entry.turns, entry.original
        self._working += 1
        self._refresh()

        def turned(page: PreparedPage) -> None:
            if entry.turns == wanted:  # a later turn of the same page is on its way
                entry.page = page
            self._refresh(select=self._entries.index(entry) if entry in self._entries else None)

        self.ctx.ops.run(
            lambda: rotated(original, wanted),
            turned,
            self._refused,
            parent=self,
            on_settled=self._settled,
        )

    def move_page(self, step: int) -> None:
        """Move the selected page one place back (-1) or forward (1)."""
        row = self.list.currentRow()
        to = row + step
        if 0 <= row < len(self._entries) and 0 <= to < len(self._entries):
            self._entries[row], self._entries[to] = self._entries[to], self._entries[row]
            self._refresh(select=to)

    def delete_page(self) -> None:
        """Remove the selected page."""
        row = self.list.currentRow()
        if 0 <= row < len(self._entries):
            del self._entries[row]
            self._refresh(select=min(row, len(self._entries) - 1))

    # --- drops -------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Files from Explorer or a scanner's folder are welcome."""
        if any(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Add the dropped files' pages."""
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)

    # --- closing -----------------------------------------------------------------------

    def accept(self) -> None:
        """OK, unless a page is still being prepared."""
        if self._working:
            self.say(self.tr("仍在处理材料页，请稍候。"))
            return
        self._stop()
        super().accept()

    def reject(self) -> None:
        """Cancel: the material keeps the pages it had."""
        self._stop()
        super().reject()

    def _stop(self) -> None:
        self.scan_row.stop()
        if self.source is not None:
            self.source.stop()

    # --- showing -----------------------------------------------------------------------

    def _refresh(self, select: int | None = None) -> None:
        row = self.list.currentRow() if select is None else select
        self.list.clear()
        for n, entry in enumerate(self._entries, 1):
            pixmap = QPixmap()
            pixmap.loadFromData(entry.shown.thumbnail)
            item = QListWidgetItem(QIcon(pixmap), self.tr("第 %d 页") % n)
            item.setToolTip(entry.shown.source)
            self.list.addItem(item)
        if 0 <= row < self.list.count():
            self.list.setCurrentRow(row)
        text = self.tr("共 %d 页") % len(self._entries)
        if self._stored:
            text = self.tr("暂存件已保存 %1 页，本次新增 %2 页").replace("%1", str(self._stored))
            text = text.replace("%2", str(len(self._entries)))
        if self._working:
            text += self.tr("（正在处理 %d 项…）") % self._working
        self.count.setText(text)
        text = self.tr("（可将图片或 PDF 文件拖入此窗口）") if not self._entries else ""
        self.hint.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = 0 <= self.list.currentRow() < len(self._entries)
        for b in (self.left_button, self.right_button, self.delete_button):
            b.setEnabled(chosen)
        row = self.list.currentRow()
        self.back_button.setEnabled(chosen and row > 0)
        self.forward_button.setEnabled(chosen and row < len(self._entries) - 1)
