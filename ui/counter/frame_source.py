"""Where the capture dialog's pages come from: a document camera (高拍仪), or a test's pictures.

A PC sees a document camera as a camera. :class:`CameraFrames` wraps QtMultimedia: a
``QCamera`` in a ``QMediaCaptureSession`` paints into a ``QVideoWidget`` (the live
preview), and the last frame the widget's video sink received is what a capture takes —
no ``QImageCapture`` round trip, so the page is exactly what the clerk saw.

:func:`find_camera` returns None when this PC has no camera, or when QtMultimedia cannot
load (no ``libpulse0``: see :mod:`ui.display.silent`); the dialog then says so and adding
files still works. Tests hand the dialog a :class:`PictureFrames` instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Protocol

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

log = logging.getLogger(__name__)


class FrameSource(Protocol):
    """A live picture and the frame to capture from it."""

    name: str  # shown above the preview (the camera's description)

    def preview(self) -> QWidget:
        """The live preview widget (created once; the dialog lays it out)."""
        ...

    def grab(self) -> QImage | None:
        """The current frame (a copy), or None while no frame has arrived yet."""
        ...

    def stop(self) -> None:
        """Release the device (the dialog closes)."""
        ...


SourceFactory = Callable[[], "FrameSource | None"]


class PictureFrames:
    """A frame source that shows and yields given pictures in turn (tests, demos)."""

    def __init__(self, images: Sequence[QImage], name: str = "测试高拍仪") -> None:
        self.name = name
        self._images = list(images)
        self._next = 0
        self._label: QLabel | None = None
        self.stopped = False

    def preview(self) -> QWidget:
        """A label showing the picture the next capture takes (a new one for each dialog:
        the last went with its dialog)."""
        if self._label is None or not shiboken6.isValid(self._label):
            self._label = QLabel()
            self._label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self._show()
        return self._label

    def _show(self) -> None:
        if self._label is not None and self._images:
            image = self._images[self._next % len(self._images)]
            self._label.setPixmap(
                QPixmap.fromImage(image).scaled(420, 420, Qt.AspectRatioMode.KeepAspectRatio)
            )

    def grab(self) -> QImage | None:
        """The next picture (cycling), or None if none were given."""
        if not self._images:
            return None
        image = self._images[self._next % len(self._images)].copy()
        self._next += 1
        self._show()
        return image

    def stop(self) -> None:
        """Nothing to release."""
        self.stopped = True


class CameraFrames:
    """The PC's camera through QtMultimedia (constructed by :func:`find_camera` only)."""

    def __init__(self, device: object) -> None:
        from PySide6.QtMultimedia import QCamera, QCameraDevice, QMediaCaptureSession
        from PySide6.QtMultimediaWidgets import QVideoWidget

        assert isinstance(device, QCameraDevice)
        self.name = device.description()
        self._camera = QCamera(device)
        self._session = QMediaCaptureSession()
        self._session.setCamera(self._camera)
        self._view = QVideoWidget()
        self._session.setVideoOutput(self._view)
        self._last = QImage()
        self._view.videoSink().videoFrameChanged.connect(self._frame)
        self._camera.start()

    def _frame(self, frame: object) -> None:
        to_image = getattr(frame, "toImage", None)
        if to_image is not None:
            self._last = to_image()

    def preview(self) -> QWidget:
        """The video widget the camera paints into."""
        return self._view

    def grab(self) -> QImage | None:
        """The last frame shown (None before the first one)."""
        return None if self._last.isNull() else self._last.copy()

    def stop(self) -> None:
        """Stop the camera (another program, or the next dialog, may use it)."""
        self._camera.stop()


def find_camera() -> FrameSource | None:
    """The default camera of this PC, or None (none attached, or no multimedia libraries)."""
    try:
        from PySide6.QtMultimedia import QMediaDevices
    except ImportError as exc:
        log.warning("no multimedia libraries, no document camera: %s", exc)
        return None
    if not QMediaDevices.videoInputs():
        return None
    return CameraFrames(QMediaDevices.defaultVideoInput())
