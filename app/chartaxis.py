"""Which category labels a chart's x-axis shows: at most about a dozen.

53 weekly labels ("2026-W45") do not fit under a chart: on screen Qt elides every one of
them to "…", in the PDF they print over each other. Both show every k-th label instead
(the screen's :mod:`ui.stats.charts` and the PDF's :mod:`printing.stats_report`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MOST_LABELS = 12


def label_step(count: int, most: int = MOST_LABELS) -> int:
    """k such that every k-th of ``count`` labels, starting with the first, is ≤ ``most``."""
    return max(1, math.ceil(count / max(1, most)))


def shown_labels(labels: Sequence[str], most: int = MOST_LABELS) -> list[str]:
    """``labels`` with all but every k-th (see :func:`label_step`) blanked to ""."""
    k = label_step(len(labels), most)
    return [label if i % k == 0 else "" for i, label in enumerate(labels)]
