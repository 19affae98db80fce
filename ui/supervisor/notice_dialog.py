"""The hall display's scrolling notice: one line, its length counted as it is typed.

The dialog stays open until the service has stored the notice: a refusal (too long, a
line break, a control character) is shown under the text, which is kept for correcting.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from app.actor import Actor
from app.queue import windows
from app.queue.windows import NOTICE_MAX_CHARS
from ui.context import AppContext
from ui.login import _FormDialog


class NoticeDialog(_FormDialog):
    """Edit the notice; ``saved`` holds it as stored once the service accepted it."""

    def __init__(
        self, ctx: AppContext, actor: Actor, current: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, self.tr("大厅公告"), parent)
        self.actor = actor
        self.saved: str | None = None
        self.text = QLineEdit(current)
        self.text.setMinimumWidth(560)  # the form's size constraint overrides the dialog's
        self.text.setPlaceholderText(self.tr("显示屏底部滚动显示，一行，留空则不显示"))
        self.counter = QLabel()
        self.counter.setObjectName("notice_counter")
        self.add_row(self.tr("显示屏滚动公告"), "notice", self.text)
        self.form.addRow("", self.counter)
        self.text.textChanged.connect(self._count)
        self._count()

    def _count(self) -> None:
        used = len(self.text.text())
        over = used > NOTICE_MAX_CHARS
        self.counter.setText(
            self.tr("%1 / %2 字").replace("%1", str(used)).replace("%2", str(NOTICE_MAX_CHARS))
            + (
                self.tr("（超出 %1 字）").replace("%1", str(used - NOTICE_MAX_CHARS))
                if over
                else ""
            )
        )
        self.counter.setStyleSheet("color: #C0392B;" if over else "color: #666;")

    def submit(self) -> None:
        """Store the notice through the service, off the GUI thread."""
        db, actor, text = self.ctx.db, self.actor, self.text.text()
        self._call(lambda: windows.set_notice(db, actor, text), self._done)

    def _done(self, notice: str) -> None:
        self.saved = notice
        self.accept()
