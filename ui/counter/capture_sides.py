"""The capture dialog's options: auto-crop, an ID card's sides in turn, the scanner folder.

:class:`SidesBox` — for a material whose catalog entry names its sides (居民身份证: 人像面,
国徽面), with 两面合成一页 ticked, each camera capture or image file fills the next side;
when every side is there, the dialog composes them into one page
(:func:`app.materials.sides.compose_sides`). PDFs are added as pages as always (a scan of
both sides is one page already). Unticked, the material takes pages as they come.

:class:`ScanFolderRow` — the scanner's folder for this PC (:mod:`ui.counter.scan_folder`):
choose it once; new files there are added while the dialog is open.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QWidget,
)

from ui.counter import scan_folder
from ui.counter.capture_work import Side
from ui.counter.scan_folder import ScanFolderWatcher


class SidesBox(QWidget):
    """Collects one capture per side; :meth:`take` hands them back once all are there."""

    def __init__(self, sides: tuple[str, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sides = sides
        self._taken: list[Side] = []
        self.compose = QCheckBox(self.tr("两面合成一页"))
        self.compose.setChecked(True)
        self.compose.setToolTip(self.tr("依次拍摄或添加各面图片，自动排在同一页上"))
        self.compose.toggled.connect(lambda _on: self.reset())
        self.status = QLabel()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.compose)
        row.addWidget(self.status, 1)
        self.setVisible(bool(sides))
        self._show()

    @property
    def active(self) -> bool:
        """Captures go to the sides (the material has sides and 两面合成一页 is ticked)."""
        return bool(self.sides) and self.compose.isChecked()

    @property
    def next_side(self) -> str:
        """The side the next capture fills."""
        return self.sides[len(self._taken)]

    def take(self, side: Side) -> tuple[Side, ...] | None:
        """Keep ``side`` as the next one; every side, in order, once the last is there."""
        self._taken.append(side)
        if len(self._taken) < len(self.sides):
            self._show()
            return None
        done = tuple(self._taken)
        self.reset()
        return done

    def reset(self) -> None:
        """Forget the sides taken so far (unticked, or composed)."""
        self._taken = []
        self._show()

    def _show(self) -> None:
        if not self.sides:
            return
        if not self.compose.isChecked():
            self.status.setText(self.tr("逐页添加"))
            return
        parts = [
            (self.tr("%s ✓") if n < len(self._taken) else self.tr("%s 待拍")) % name
            for n, name in enumerate(self.sides)
        ]
        lead = self.tr("请拍摄或添加%s：") % self.next_side
        self.status.setText(lead + "　".join(parts))


class ScanFolderRow(QWidget):
    """扫描文件夹: the chosen folder, 选择…, and the watcher while the dialog is open.

    Signals:
        arrived(object): a new file's ``Path`` in the folder.
    """

    arrived = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.watcher: ScanFolderWatcher | None = None
        self.label = QLabel()
        self.label.setWordWrap(False)
        self.choose_button = QPushButton(self.tr("扫描文件夹…"))
        self.choose_button.setToolTip(self.tr("扫描仪保存文件的文件夹：新扫描的文件自动添加"))
        self.choose_button.clicked.connect(self.choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.choose_button)
        self.watch(scan_folder.scan_folder())

    def choose(self) -> None:
        """Ask for the folder (cancel: keep the one there is)."""
        folder = self.ask_folder()
        if folder is not None:
            scan_folder.set_scan_folder(folder)
            self.watch(folder)

    def ask_folder(self) -> Path | None:
        """The folder the clerk picks, None if cancelled (tests replace this)."""
        name = QFileDialog.getExistingDirectory(self, self.tr("选择扫描仪保存文件的文件夹"))
        return Path(name) if name else None

    def watch(self, folder: Path | None) -> None:
        """Watch ``folder`` from now on (new files only)."""
        self.stop()
        if folder is None:
            self.label.setText(self.tr("未设置扫描文件夹"))
            self.label.setToolTip("")
            return
        self.watcher = ScanFolderWatcher(folder, self)
        self.watcher.arrived.connect(self.arrived)
        shown = str(folder) if len(str(folder)) <= 40 else "…" + str(folder)[-39:]
        self.label.setText(self.tr("正在监视扫描文件夹：%s") % shown)
        self.label.setToolTip(str(folder))

    def stop(self) -> None:
        """Stop watching (the dialog closes)."""
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher.deleteLater()
            self.watcher = None
