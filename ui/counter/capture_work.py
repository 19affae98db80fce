"""The capture dialog's work off the GUI thread: a frame as file bytes, a file's pages,
an ID card's sides as one page. Plain functions, so the worker thread holds no widget.
"""

from __future__ import annotations

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
