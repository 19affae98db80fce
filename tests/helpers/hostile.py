"""Hostile text for the GUI tests (tests/gui/test_hostile_input_*.py).

Each screen family types these into every text field, triggers its action and checks the
Chinese message appears next to that field, and that no "程序内部错误" box ever opens.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from ui import ops

# What a person can paste: each is refused with a message naming the field.
HOSTILE = {
    "nul": "王\x00五",
    "bidi": "王\u202e五",
    "10kB": "长" * 10_000,
}
SUPERSCRIPT_ID = "1101051²8506070137"


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every message box the operation runner opens; none may be an internal error."""
    shown: list[str] = []
    monkeypatch.setattr(ops, "show_problem", lambda _parent, message: shown.append(message))
    yield shown
    assert not [m for m in shown if "程序内部错误" in m], shown


def surrogate_is_dropped_by_qt() -> None:
    """Qt cannot hold a lone surrogate: typed or pasted, the widget never passes one on."""
    for widget in (QLineEdit(), QPlainTextEdit()):
        if isinstance(widget, QLineEdit):
            widget.setText("王\ud800五")
            assert widget.text() == "王五"
        else:
            widget.setPlainText("王\ud800五")
            assert widget.toPlainText() == "王五"


def expected(kind: str) -> str:
    """A fragment of the Chinese message each kind of hostile text must produce."""
    return {"nul": "U+0000", "bidi": "U+202E", "10kB": "最多"}[kind]
