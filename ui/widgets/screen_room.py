"""Windows sized for the screen they open on: a preferred size, never more than the screen.

Counter PCs and office laptops in halls have 1366×768 screens. A window given a fixed
size (the case file, the print preview, the main window) takes it where there is room
and what the screen leaves otherwise: the available area (without the taskbar) less the
window's title bar, which is not yet known before the window is shown.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

TITLE_BAR = 32  # a title bar and frame on Windows 10/11 at 100 % (Linux desktops: less)
# Left free when the platform reports no taskbar (auto-hidden, or no window manager), so
# that a window still fits the screen the day the taskbar is shown again.
TASKBAR = 40


def room(window: QWidget) -> QSize:
    """The largest client area a window can have on the screen ``window`` is (or opens) on."""
    screen = window.screen()
    available, full = screen.availableGeometry(), screen.geometry()
    height = available.height() - TITLE_BAR
    if available.height() == full.height():
        height -= TASKBAR
    return QSize(available.width(), height)


def resize_within(window: QWidget, preferred: QSize) -> QSize:
    """Resize ``window`` to ``preferred``, or as much of it as its screen has; the new size."""
    size = preferred.boundedTo(room(window))
    window.resize(size)
    return size
