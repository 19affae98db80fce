"""The hall display's notice has a stated limit and is never cut or joined silently (QA of issue 12)."""

from __future__ import annotations

import re

import pytest

from app.db.session import Database
from app.errors import PermissionDenied, ValidationError
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import queueing, windows
from app.queue.windows import NOTICE_MAX_CHARS


def _notice(db: Database) -> str:
    return windows.board(db, queueing.hall_by_code(db, "DEMO").id).notice


@pytest.mark.parametrize(
    "typed,message",
    [
        ("公告" * 400, f"公告：最多 {NOTICE_MAX_CHARS} 个字（现有 800 个）。"),
        ("第一行\n第二行", "公告：不能换行。"),
        ("请到\x00三号窗口", "公告：第 3 个字符是不可见的控制字符（U+0000）"),
    ],
)
def test_a_bad_notice_is_refused_with_a_message_and_the_old_one_stays(
    db: Database, typed: str, message: str
) -> None:
    sup = users.login(db, "supervisor", DEMO_PASSWORD)
    windows.set_notice(db, sup, "今日正常办公")
    with pytest.raises(ValidationError, match=re.escape(message)) as caught:
        windows.set_notice(db, sup, typed)
    assert caught.value.field == "notice"
    assert _notice(db) == "今日正常办公"


def test_a_notice_up_to_the_limit_is_stored_as_typed(db: Database) -> None:
    sup = users.login(db, "supervisor", DEMO_PASSWORD)
    full = "办" * (NOTICE_MAX_CHARS - 1) + "。"
    assert windows.set_notice(db, sup, f"  {full} ") == full
    assert _notice(db) == full
    assert windows.set_notice(db, sup, "") == ""  # clears it
    with pytest.raises(PermissionDenied):
        windows.set_notice(db, users.login(db, "clerk", DEMO_PASSWORD), "x")
