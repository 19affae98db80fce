"""Screens reload for their own hall only, and a burst of changes is one reload (issue 17).

On PostgreSQL each PC listens to its hall's channel: a call in hall A reaches no PC of hall
B. On SQLite (one hall on one PC) every commit is a change of the hall.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.events import Change
from app.hall import setup
from app.queue import queueing
from tests.helpers.ratings import served_ticket
from ui.changes import ChangeWatcher, LiveRefresh
from ui.context import AppContext

HOUR_MS = 3_600_000  # the periodic reload is out of the way


_hosts: list[QWidget] = []  # the screens stay alive for the test (Qt owns the LiveRefresh)


@pytest.fixture(autouse=True)
def _forget_hosts() -> Iterator[None]:
    # Each test starts with no watcher: its screens' first contact ("reconnected") is the
    # first thing a new watcher reports. One left by an earlier test in the same worker
    # had reported it already, and the wait for it ran out (seen twice in CI).
    ChangeWatcher.stop_app_watcher()
    yield
    _hosts.clear()


def _screen(
    qtbot: QtBot, ctx: AppContext, hall_id: int, kinds: frozenset[str] | None = None
) -> LiveRefresh:
    host = QWidget()
    qtbot.addWidget(host)
    _hosts.append(host)
    live = LiveRefresh(ctx.db, lambda: None, HOUR_MS, host, hall_id, kinds)
    qtbot.waitUntil(lambda: live.reloads >= 1, timeout=10_000)  # the first contact
    qtbot.wait(300)
    live.reloads = 0
    return live


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_a_call_in_one_hall_reloads_no_screen_of_another(qtbot: QtBot, ctx: AppContext) -> None:
    demo = queueing.hall_by_code(ctx.db, "DEMO").id
    with ctx.db.unit_of_work() as s:
        other = setup.ensure_hall(s, "JX01", "经开区便民服务中心").id
        s.commit()
    ours, theirs = _screen(qtbot, ctx, demo), _screen(qtbot, ctx, other)
    served_ticket(ctx.db)  # issued, called, started, finished: four changes of hall DEMO
    qtbot.waitUntil(lambda: ours.reloads >= 1)
    qtbot.wait(1000)
    assert theirs.reloads == 0
    assert 1 <= ours.reloads <= 4


@pytest.mark.direct_pg  # ten NOTIFY in one commit (a pooler's PC polls the audit trail)
def test_a_burst_of_changes_is_one_reload(qtbot: QtBot, ctx: AppContext) -> None:
    demo = queueing.hall_by_code(ctx.db, "DEMO").id
    live = _screen(qtbot, ctx, demo)
    with ctx.db.unit_of_work() as s:  # ten changes committed at once (PostgreSQL: ten NOTIFY)
        for n in range(10):
            queueing.notify(s, demo, "window_saved", window=n)
        s.add(setup.ensure_hall(s, "BURST", "一次提交"))  # SQLite: a commit is the change
        s.commit()
    qtbot.waitUntil(lambda: live.reloads >= 1)
    qtbot.wait(500)
    assert live.reloads == 1


def test_a_screen_reloads_for_the_kinds_it_shows(qtbot: QtBot, ctx: AppContext) -> None:
    live = _screen(qtbot, ctx, 1, frozenset({"ticket_finished"}))
    assert live.concerns(Change("ticket_finished", 1))
    assert not live.concerns(Change("ticket_finished", 2))  # another hall
    assert not live.concerns(Change("issued", 1))
    assert live.concerns(Change("changed")) and live.concerns(Change("reconnected"))
