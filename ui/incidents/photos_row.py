"""A row of chosen photo files for a form (上报 or 反馈): 添加照片… picks image files, each
shown by name with a remove button. The files are read and normalised in the form's one
service call (:func:`prepared`), so a file that cannot be read is refused under the row."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from app.incidents.photos import MAX_PHOTOS
from app.materials.intake import PreparedPage, prepare_pages, read_upload


def prepared(paths: Sequence[Path]) -> tuple[PreparedPage, ...]:
    """Every chosen file's pages, normalised (ValidationError naming ``photos``)."""
    pages: list[PreparedPage] = []
    for path in paths:
        pages.extend(prepare_pages(read_upload(path), path.name))
    return tuple(pages)


class PhotosRow(QWidget):
    """The chosen files (:attr:`paths`) with 添加照片… and 清除."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.paths: list[Path] = []
        self.names = QLabel(self.tr("（未添加）"))
        self.names.setWordWrap(True)
        self.add_button = QPushButton(self.tr("添加照片…"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.choose)
        self.clear_button = QPushButton(self.tr("清除"))
        self.clear_button.setAutoDefault(False)
        self.clear_button.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.names, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.clear_button)
        self._show()

    def choose(self) -> None:
        """Pick image files (JPG, PNG) or a PDF; at most :data:`MAX_PHOTOS` in all."""
        files, _ = QFileDialog.getOpenFileNames(
            self, self.tr("选择现场照片"), "", self.tr("图片 (*.jpg *.jpeg *.png *.webp *.pdf)")
        )
        self.add([Path(f) for f in files])

    def add(self, paths: Sequence[Path]) -> None:
        """Add files to the list (the same file once), up to :data:`MAX_PHOTOS`."""
        for path in paths:
            if path not in self.paths and len(self.paths) < MAX_PHOTOS:
                self.paths.append(path)
        self._show()

    def clear(self) -> None:
        """Forget the chosen files."""
        self.paths.clear()
        self._show()

    def _show(self) -> None:
        if self.paths:
            self.names.setText("、".join(p.name for p in self.paths))
        else:
            self.names.setText(self.tr("（未添加，最多 %1 张）").replace("%1", str(MAX_PHOTOS)))
        self.clear_button.setEnabled(bool(self.paths))
