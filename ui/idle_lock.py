"""Lock the screen after the configured idle minutes; only the same user's password unlocks.

While locked nothing of the work behind shows: the main window's workspace is hidden and
every other window of the program (a dialog left open with a resident's record) is covered
by an opaque page, until the password is given (:class:`PrivacyCover`).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QLabel,
    QMainWindow,
    QVBoxLayout,
    QWidget,
)

from app.actor import Actor
from app.errors import DomainError
from app.people import users
from ui.context import AppContext
from ui.login import _FormDialog, _password_edit

_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.Wheel,
    QEvent.Type.MouseMove,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Application-wide event filter that notes the last input and fires ``on_idle`` once.

    One watcher lives as long as the application (:meth:`for_app`); a window arms it at
    log-in and disarms it when it closes. It is never owned by a window: a filter deleted
    together with a window could be deleted while Qt is inside its ``eventFilter``.
    ``clock`` is injectable so tests need not wait minutes.
    """

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.clock = clock
        self.limit_s = 0
        self.on_idle: Callable[[], None] | None = None
        self.last_input = clock()
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setInterval(5_000)
        self.timer.timeout.connect(self.check)

    @classmethod
    def for_app(cls) -> IdleWatcher:
        """The application's watcher, created and installed on first use."""
        app = QCoreApplication.instance()
        assert app is not None
        watcher = app.findChild(IdleWatcher, "idle_watcher")
        if watcher is None:
            watcher = cls(parent=app)
            watcher.setObjectName("idle_watcher")
            app.installEventFilter(watcher)
        return watcher

    def arm(self, minutes: int, on_idle: Callable[[], None]) -> None:
        """Call ``on_idle`` after ``minutes`` without input (0: never)."""
        self.limit_s, self.on_idle = minutes * 60, on_idle
        self.unlocked()
        if minutes > 0:
            self.timer.start()

    def disarm(self) -> None:
        """Stop watching (the window closed)."""
        self.timer.stop()
        self.on_idle = None
        self.limit_s = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and not self.locked:
            self.last_input = self.clock()
        return False

    def check(self) -> None:
        """Lock if idle for the limit (called by the timer)."""
        if self.on_idle is None or not self.limit_s or self.locked:
            return
        if self.clock() - self.last_input >= self.limit_s:
            self.locked = True
            self.on_idle()

    def unlocked(self) -> None:
        """The user is back."""
        self.locked = False
        self.last_input = self.clock()


class _Cover(QWidget):
    """An opaque page over the whole of one window, kept on top of its other children."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("privacy_cover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("#privacy_cover { background: #1F4E79; } QLabel { color: white; }")
        note = QLabel(self.tr("屏幕已锁定"))
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        note.setStyleSheet("font-size: 20pt;")
        QVBoxLayout(self).addWidget(note)
        self.window_ = window
        window.installEventFilter(self)
        self._fit()
        self.show()

    def _fit(self) -> None:
        self.setGeometry(self.window_.rect())
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window_ and event.type() in (
            QEvent.Type.Resize,
            QEvent.Type.ChildAdded,
            QEvent.Type.LayoutRequest,
        ):
            self._fit()  # a window grown, or a widget added later, stays under the cover
        return False

    def remove(self) -> None:
        """Take the page away."""
        self.window_.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class PrivacyCover:
    """Hides what every window of the program shows, except ``keep`` (the lock dialog).

    A main window's central widget (the workspaces) is hidden, so nothing in it is visible
    even to a program that reads the screen; every window, dialogs left open included, gets
    an opaque page on top. :meth:`restore` brings it all back and the cursor to where it was.
    """

    def __init__(self, keep: QWidget) -> None:
        self.focus = QApplication.focusWidget()
        self.hidden: list[QWidget] = []
        self.covers: list[_Cover] = []
        for window in QApplication.topLevelWidgets():
            if window is keep or not window.isVisible():
                continue
            central = window.centralWidget() if isinstance(window, QMainWindow) else None
            if central is not None and not central.isHidden():
                central.hide()
                self.hidden.append(central)
            self.covers.append(_Cover(window))

    def restore(self) -> None:
        """Show again what was hidden (windows closed meanwhile are skipped)."""
        for cover in self.covers:
            if shiboken6.isValid(cover):
                cover.remove()
        for widget in self.hidden:
            if shiboken6.isValid(widget):
                widget.show()
        if self.focus is not None and shiboken6.isValid(self.focus):
            self.focus.window().activateWindow()
            self.focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self.covers, self.hidden = [], []


class LockDialog(_FormDialog):
    """Covers the workspace until the logged-in user gives their password (or logs out).

    :meth:`cover_windows` hides the program's windows behind it; they come back when the
    password unlocks, not when the user logs out (the windows close).
    """

    def __init__(self, ctx: AppContext, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("屏幕已锁定"), parent)
        self.actor = actor
        self.logout_requested = False
        note = QLabel(
            self.tr("长时间未操作，屏幕已锁定。%1 请输入密码解锁。").replace("%1", actor.full_name)
        )
        note.setWordWrap(True)
        self._layout.insertWidget(0, note)
        self.password = _password_edit()
        self.add_row(self.tr("密码"), "password", self.password)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("解锁"))
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("退出登录"))
        self.buttons.rejected.disconnect()
        self.buttons.rejected.connect(self._logout)
        self.cover: PrivacyCover | None = None

    def cover_windows(self) -> None:
        """Hide every other window's content until unlocked (call before opening)."""
        self.cover = PrivacyCover(keep=self)

    def done(self, result: int) -> None:
        """Unlocked: the windows show again. Logging out leaves them hidden as they close."""
        if self.cover is not None and not self.logout_requested:
            self.cover.restore()
        super().done(result)

    def _logout(self) -> None:
        self.logout_requested = True
        self.reject()

    def reject(self) -> None:
        """Escape does not unlock: only the two buttons close this dialog."""
        if self.logout_requested:
            super().reject()

    def submit(self) -> None:
        """Check the password through the log-in service (failures count towards lockout)."""
        db, actor, pw = self.ctx.db, self.actor, self.password.text()
        self._call(
            lambda: users.verify_session(db, actor, pw), lambda _r: self.accept(), self._wrong
        )

    def _wrong(self, error: DomainError) -> None:
        self.password.clear()
        self._failed(error)
