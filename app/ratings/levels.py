"""The rating scale of GB/T 39734-2020, the reasons a bad rating may give, and its limits.

A rating's input is checked here before any database work: the level (1–5), reasons only
from :data:`BAD_REASONS` and only with a bad level, a note of at most 200 characters cleaned
by :mod:`app.text` rules, and the channel it came in by.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from app import text
from app.actor import Actor
from app.errors import ValidationError

LEVELS: dict[int, str] = {
    5: "非常满意",
    4: "满意",
    3: "基本满意",
    2: "不满意",
    1: "非常不满意",
}
BAD_AT_MOST = 2  # 不满意 or worse is a 差评: it opens a 整改
BAD_REASONS: tuple[str, ...] = (
    "服务态度差",
    "办事效率低",
    "等候时间过长",
    "一次性告知不清楚",
    "材料要求繁琐",
    "系统故障",
    "其他",
)
NOTE_MAX = 200  # rating.note
RERATE_SECONDS = 120  # a resident who rated by mistake may rate again this long after
RECENT_MINUTES = 5  # the rating screen offers a ticket finished at most this long ago
RECTIFY_WORKDAYS = 5  # a 整改 is due this many working days after the rating's day
CHANNELS: dict[str, str] = {"rating_screen": "窗口评价器", "kiosk": "自助机扫码"}
STAGES: dict[str, str] = {"service": "窗口服务", "accept": "受理", "pickup": "出件"}


def rating_actor(hall_id: int) -> Actor:
    """Who records a rating made at a window's rating screen (no log-in: the resident)."""
    return Actor(user_id=None, username="rating", full_name="评价器", hall_id=hall_id)


def is_bad(level: int) -> bool:
    """Whether ``level`` is a 差评 (不满意 or 非常不满意)."""
    return level <= BAD_AT_MOST


def label(level: int) -> str:
    """The level's Chinese name (``"满意"``)."""
    return LEVELS.get(level, str(level))


@dataclass(frozen=True)
class RatingInput:
    """A rating as checked: level 1–5, reasons in list order, cleaned note, channel."""

    level: int
    reasons: tuple[str, ...]
    note: str
    channel: str


def check_input(level: object, reasons: Iterable[str], note: object, channel: str) -> RatingInput:
    """The input cleaned, or :class:`ValidationError` (fields ``level``, ``reasons``, ``note``,
    ``channel``).

    Reasons and a note belong to a bad rating only; a reason not on the list is refused.
    """
    if isinstance(level, bool) or not isinstance(level, int) or level not in LEVELS:
        raise ValidationError("请选择 1 至 5 级评价。", "level")
    if channel not in CHANNELS:
        raise ValidationError(f"未知的评价渠道：{channel}", "channel")
    chosen = set(reasons)
    unknown = sorted(chosen - set(BAD_REASONS))
    if unknown:
        raise ValidationError(f"评价原因不在列表中：{'、'.join(unknown)}", "reasons")
    clean_note = text.clean_line(note, "note", "意见", max_length=NOTE_MAX)
    if not is_bad(level) and (chosen or clean_note):
        raise ValidationError("只有“不满意”“非常不满意”的评价需要填写原因和意见。", "reasons")
    ordered = tuple(r for r in BAD_REASONS if r in chosen)
    return RatingInput(level, ordered, clean_note, channel)
