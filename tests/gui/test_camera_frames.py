"""The real document-camera class, fed frames through its video sink as a camera would.

No camera is attached to the test machines; ``CameraFrames`` is built on a null camera
device and its ``QVideoWidget``'s sink is handed ``QVideoFrame``s — the path a 高拍仪's
frames take (QCamera → QMediaCaptureSession → the widget's sink → ``videoFrameChanged``).
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from ui.context import AppContext
from ui.counter.capture_dialog import CaptureDialog
from ui.counter.frame_source import CameraFrames

multimedia = pytest.importorskip("PySide6.QtMultimedia")


def _frame(color: str, size: tuple[int, int] = (800, 1100)) -> object:
    image = QImage(*size, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    return multimedia.QVideoFrame(image)


def test_a_capture_takes_the_last_frame_the_preview_showed(qtbot: QtBot) -> None:
    camera = CameraFrames(multimedia.QCameraDevice())
    try:
        assert camera.grab() is None  # no frame yet: the dialog says 请稍候
        sink = camera.preview().videoSink()  # type: ignore[attr-defined]
        sink.setVideoFrame(_frame("red"))
        sink.setVideoFrame(_frame("blue"))
        qtbot.waitUntil(lambda: camera.grab() is not None)
        grabbed = camera.grab()
        assert grabbed is not None and grabbed.size().width() == 800
        assert grabbed.pixelColor(10, 10).name() == "#0000ff"  # the last one shown
    finally:
        camera.stop()


def test_the_capture_dialog_takes_a_page_from_the_camera(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    camera = CameraFrames(multimedia.QCameraDevice())
    monkeypatch.setattr(CaptureDialog, "sources", staticmethod(lambda: camera))
    dialog = CaptureDialog(ctx, "收入证明")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.capture()  # before the first frame: said, nothing added
    assert "尚未送来画面" in dialog.message.text() and dialog.working == 0
    camera.preview().videoSink().setVideoFrame(_frame("white"))  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: camera.grab() is not None)
    dialog.capture()
    qtbot.waitUntil(lambda: dialog.working == 0 and ctx.ops.pending == 0, timeout=20_000)
    (page,) = dialog.pages()
    assert (page.width, page.height) == (800, 1100)
    dialog.accept()
