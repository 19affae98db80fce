"""The capture dialog's work off the GUI thread: a frame as file bytes, a file's pages,
an ID card's sides as one page. Plain functions, so the worker thread holds no widget.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage

from app.materials.intake import PreparedPage, prepare_pages, read_upload
from app.materials.sides import compose_sides

CAPTURE_QUALITY = 95  # the frame as JPEG for prepare_pages: it re-encodes to WebP at 75
Side = QImage | Path  # an ID card's side: a camera frame, or an image file


def frame_bytes(image: QImage) -> bytes:
    """``image`` as JPEG file bytes (safe on the worker thread: QImage is reentrant)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "JPEG", CAPTURE_QUALITY)  # type: ignore[call-overload]
    buffer.close()
    return bytes(data.data())


def prepare_file(path: Path) -> tuple[PreparedPage, ...]:
    """The pages of a file the clerk chose, dropped or the scanner wrote."""
    return prepare_pages(read_upload(path), path.name)


def composed(taken: tuple[tuple[Side, str], ...], material: str) -> tuple[PreparedPage, ...]:
    """The sides (camera frames or image files) as one page (on the worker)."""
    sides = tuple(
        (frame_bytes(side) if isinstance(side, QImage) else read_upload(side), name)
        for side, name in taken
    )
    return (compose_sides(sides, material),)


@dataclass
class Entry:
    """A page as prepared, the quarter turns asked for, and the turned page."""

    original: PreparedPage
    turns: int = 0
    page: PreparedPage | None = None

    @property
    def shown(self) -> PreparedPage:
        """The page as turned (the original until a turn is done)."""
        return self.page or self.original


def twin_of(sha256: str, stored_position: int | None, entries: list[Entry]) -> str:
    """Where the same page bytes already are ("" if nowhere): a stored or a captured page."""
    if stored_position is not None:
        return f"已保存的第 {stored_position} 页"
    for n, entry in enumerate(entries, 1):
        if sha256 in (entry.original.sha256, entry.shown.sha256):
            return f"本次的第 {n} 页"
    return ""
