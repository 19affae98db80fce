"""Widgets of the hall display that size their text from the screen: a one-line label that
shrinks to fit its width (never below its floor), the list of recent calls that shows as
many rows as its height holds, and the waiting counts.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QWidget,
)

from app.queue.windows import QueueCount
from ui.display.board_sizes import BoardSizes, line

CURRENT_COLOR = QColor("#FFD166")


def fitted_px(font: QFont, text: str, width: int, most: int, least: int) -> int:
    """The largest pixel size in ``least``–``most`` at which ``text`` fits ``width`` pixels."""
    if not text or width <= 0:
        return most
    probe = QFont(font)
    probe.setPixelSize(most)
    wide = QFontMetrics(probe).horizontalAdvance(text)
    if wide <= width:
        return most
    return max(least, int(most * width / wide))


class FitLabel(QLabel):
    """One line of text at a size set by :meth:`size_to`; shrinks to fit, not below its floor.

    Its height is fixed by the largest size, so the board's rows never move as text changes.
    """

    def __init__(self, name: str, bold: bool = False, text: str = "") -> None:
        super().__init__(text)
        self.setObjectName(name)
        self._bold = bold
        self._most = self._least = 12
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def size_to(self, most: int, least: int, pad: int = 0) -> None:
        """Draw at ``most`` pixels when it fits, at least ``least``; ``pad`` around the text."""
        self._most, self._least = most, least
        self.setContentsMargins(pad, pad // 2, pad, pad // 2)
        self.setFixedHeight(line(most) + 2 * (pad // 2))
        self._fit()

    def setText(self, text: str) -> None:
        """Show ``text`` (one line), refitted."""
        super().setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        font = QFont(self.font())
        font.setBold(self._bold)
        font.setPixelSize(
            fitted_px(font, self.text(), self.contentsRect().width(), self._most, self._least)
        )
        if font != self.font():
            self.setFont(font)


class CallList(QListWidget):
    """The recent calls, newest first (highlighted); as many rows as the height holds."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("recent")
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.rows: list[str] = []
        self._most = self._least = 12

    def size_to(self, most: int, least: int) -> None:
        """Rows drawn at ``most`` pixels, shrunk to fit the width down to ``least``."""
        self._most, self._least = most, least
        self._fill()

    def show_rows(self, rows: list[str]) -> None:
        """Show ``rows`` (newest first), as many as fit."""
        self.rows = list(rows)
        self._fill()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fill()

    def _fill(self) -> None:
        width = self.viewport().width() - 16  # the item's own margins and the style's padding
        font = QFont(self.font())
        font.setPixelSize(
            min(
                (fitted_px(font, t, width, self._most, self._least) for t in self.rows),
                default=self._most,
            )
        )
        self.setFont(font)
        row = line(self._most)
        # Not laid out yet (never shown): keep every row until the first real size.
        fits = self.viewport().height() // row if self.isVisible() else len(self.rows)
        self.clear()
        for i, text in enumerate(self.rows[:fits]):
            item = QListWidgetItem(text)
            item.setSizeHint(QSize(width, row))
            if i == 0:
                item.setForeground(CURRENT_COLOR)
            self.addItem(item)


class QueueCounts(QWidget):
    """How many wait in each queue: the name, and the count in large digits.

    One column beside the calls, two under them (portrait). The rows shrink towards the
    floor to show every queue; a hall with more queues than fit at the floor shows the last
    place as "另有 N 类".
    """

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(0)
        self.labels: list[tuple[FitLabel, FitLabel]] = []
        self.queues: tuple[QueueCount, ...] = ()
        self.digits = 2

    def show_queues(self, queues: tuple[QueueCount, ...], sizes: BoardSizes, room: int) -> None:
        """Lay out ``queues`` anew for ``sizes`` in ``room`` pixels of height."""
        self.queues = queues
        px, rows = sizes.wait_rows_fit(len(queues), room)
        cols = sizes.wait_columns
        shown = list(queues[: rows * cols])
        if len(shown) < len(queues):  # the last place says how many more there are
            shown = shown[:-1]
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.labels = []
        bold = QFont(self.font())
        bold.setPixelSize(px)
        bold.setBold(True)
        self.digits = _digits(queues)
        count_width = QFontMetrics(bold).horizontalAdvance("0" * self.digits) + px // 8
        self.grid.setHorizontalSpacing(sizes.spacing * 2)
        for i, q in enumerate(shown):
            name = FitLabel("wait_name", text=f"{q.letter} {q.name}")
            name.size_to(sizes.target["wait_name"], sizes.floor["wait_name"])
            name.setFixedHeight(line(px))
            count = FitLabel("wait_count", bold=True, text=str(q.waiting))
            count.size_to(px, px)
            count.setFixedWidth(count_width)
            count.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row, col = i // cols, (i % cols) * 2
            self.grid.addWidget(name, row, col)
            self.grid.addWidget(count, row, col + 1)
            self.grid.setColumnStretch(col, 1)
            self.labels.append((name, count))
        if len(shown) < len(queues):
            more = FitLabel("wait_name", text=self.tr("另有 %n 类", "", len(queues) - len(shown)))
            more.size_to(sizes.target["wait_name"], sizes.floor["wait_name"])
            i = len(shown)
            self.grid.addWidget(more, i // cols, (i % cols) * 2, 1, 2)

    def update_counts(self, queues: tuple[QueueCount, ...]) -> bool:
        """New counts for the same queues in place; False if the queues changed."""
        if (
            [q.letter for q in queues] != [q.letter for q in self.queues]
            or len(self.labels) != len(queues)
            or _digits(queues) != self.digits
        ):
            return False
        self.queues = queues
        for (name, count), q in zip(self.labels, queues, strict=True):
            name.setText(f"{q.letter} {q.name}")
            count.setText(str(q.waiting))
        return True


def _digits(queues: tuple[QueueCount, ...]) -> int:
    """Room for the longest count, two digits at least (the column does not jump at 10)."""
    return max(2, *(len(str(q.waiting)) for q in queues)) if queues else 2
