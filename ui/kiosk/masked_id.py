"""The kiosk's ID field, masked: the queue behind the resident does not read their number.

The screen shows the number as the printouts do (``110105********002X``): the first six
characters (the region) and the last four stay, the birth date and sequence between them
are stars. While typing, the last four are the ones just typed, so the resident sees every
character as it goes in and checks the whole number by its beginning and end afterwards;
up to ten characters nothing is hidden yet. A reader's swipe, typing, pasting and Backspace
work at the end of the number only: the cursor never goes into the hidden part, and the
hidden characters can be neither selected nor copied.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.ids import mask_id

SHOWN_WHOLE = 10  # up to this many characters there is nothing between the six and the four


def masked(number: str) -> str:
    """What the screen shows of ``number``: the first six and the last four characters."""
    return number if len(number) <= SHOWN_WHOLE else mask_id(number)


class MaskedIdEdit(QLineEdit):
    """A line edit that keeps the number typed and shows it :func:`masked`.

    ``number()`` is what was typed or swiped; ``text()`` is what the screen shows.
    ``setText(number)`` enters a whole number (as a card reader does) and ``clear()`` empties
    it. ``textEdited`` is emitted for the resident's own edits, as for any line edit.
    """

    def __init__(self) -> None:
        super().__init__()
        self._number = ""
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.setAcceptDrops(False)
        self.textEdited.connect(self._edited)
        self.cursorPositionChanged.connect(self._keep_at_end)
        self.selectionChanged.connect(self._keep_at_end)

    def number(self) -> str:
        """The number as typed or swiped (not masked)."""
        return self._number

    def setText(self, text: str | None) -> None:
        """Enter ``text`` as the whole number (a swipe); the screen shows it masked."""
        self._number = text or ""
        self._show()

    def clear(self) -> None:
        """Forget the number."""
        self.setText("")

    def _show(self) -> None:
        shown = masked(self._number)
        if super().text() != shown:
            super().setText(shown)
        self._keep_at_end()

    def _edited(self, now: str) -> None:
        """The resident's edit of the shown text, applied to the number.

        Editing happens at the end only, so what precedes the edit is the same in the shown
        text and the number: keep the number up to where the two texts part, then take what
        was typed (a character typed is never a mask star).
        """
        shown = masked(self._number)
        kept = next(
            (i for i, (a, b) in enumerate(zip(shown, now, strict=False)) if a != b),
            min(len(shown), len(now)),
        )
        self._number = self._number[:kept] + now[kept:]
        self._show()

    def _keep_at_end(self, *_args: object) -> None:
        end = len(super().text())
        if self.cursorPosition() != end or self.hasSelectedText():
            self.setCursorPosition(end)
