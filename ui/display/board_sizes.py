"""How big each part of the hall display is drawn: font sizes as fractions of the screen
height, so the board reads from 5 m on whatever TV the hall has.

The rule (issue 14): the called number at least 10 % of the screen height, recent calls and
waiting counts at least 4 %, and no empty half screen. Sizes are of the text's ink: the
digits of the bundled font (WenQuanYi Micro Hei) are 0.74 of its pixel size, so the
smallest font for digits 4 % high is 5.4 % of the height. Each size has a floor (a label may
shrink to fit a narrow column, never below it) and a target it is drawn at when there is
room. A portrait TV (1080×1920) stacks the parts; its sizes are smaller fractions of its
taller height.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LINE = 1.25  # a row's height per pixel of font size (the font's own line is 1.18)
# role: (landscape target, portrait target, floor), fractions of the screen height
ROLES: dict[str, tuple[float, float, float]] = {
    "head": (0.055, 0.034, 0.018),
    "clock": (0.045, 0.030, 0.018),
    "section": (0.036, 0.026, 0.020),
    "hero_code": (0.30, 0.16, 0.145),  # digits ≥ 10.7 %
    "hero_where": (0.085, 0.045, 0.04),
    "recent": (0.065, 0.060, 0.056),  # digits ≥ 4.1 %
    "wait_name": (0.048, 0.028, 0.022),
    "wait_count": (0.065, 0.060, 0.056),
    "notice": (0.042, 0.030, 0.025),
    "banner": (0.032, 0.024, 0.018),
}


def line(px: int) -> int:
    """The height of a row of text drawn at ``px`` pixels."""
    return math.ceil(px * LINE)


@dataclass(frozen=True)
class BoardSizes:
    """Pixel sizes for one screen; see :func:`sizes_for`."""

    width: int
    height: int
    portrait: bool
    target: dict[str, int]  # role → font pixel size when there is room
    floor: dict[str, int]  # role → the smallest font pixel size allowed
    margin: int
    spacing: int

    def row(self, role: str) -> int:
        """The fixed height of a row of ``role`` text."""
        return line(self.target[role])

    @property
    def wait_columns(self) -> int:
        """Waiting counts side by side: one column beside the calls, two under them."""
        return 2 if self.portrait else 1

    def wait_rows_fit(self, queues: int, body: int) -> tuple[int, int]:
        """(font px, rows shown) for ``queues`` waiting counts in a pane ``body`` px high.

        The counts shrink towards their floor to show every queue; a hall with more queues
        than fit at the floor shows the first rows and the rest as "另有 N 类".
        """
        rows = max(1, math.ceil(queues / self.wait_columns))
        room = body - self.row("section") - self.spacing
        px = max(self.floor["wait_count"], min(self.target["wait_count"], int(room / rows / LINE)))
        return px, max(1, min(rows, room // line(px)))


def sizes_for(width: int, height: int) -> BoardSizes:
    """The sizes for a ``width`` × ``height`` pixel screen (any orientation)."""
    portrait = height > width
    target = {r: round(height * (pt if portrait else ls)) for r, (ls, pt, _f) in ROLES.items()}
    floor = {r: math.ceil(height * f) for r, (_l, _p, f) in ROLES.items()}
    return BoardSizes(
        width,
        height,
        portrait,
        target,
        floor,
        margin=max(8, round(height * 0.02)),
        spacing=max(6, round(height * (0.012 if portrait else 0.015))),
    )
