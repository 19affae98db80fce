"""What every PC does by itself: 公示 periods end, ready messages go out exactly once."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

import pytest

from app.cases import housekeeping, pickup, workflow
from app.cases.workflow import Decision, Outcome
from app.db.session import Database
from app.roles import Role
from app.states import CaseState
from tests.helpers.backoffice import Clock, approve_all, open_tasks, people
from tests.helpers.dibao import accept_dibao, applicant
from tests.helpers.people import actor


class Recorder:
    """A sender that remembers what it sent (and is slow, to let PCs overlap)."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.lock = threading.Lock()

    def send(self, phone: str, text: str) -> None:
        threading.Event().wait(0.05)
        with self.lock:
            self.sent.append(text)


def _rejected(db: Database, seq: int) -> str:
    case = accept_dibao(db, applicant(db, "王建国", date(1960, 1, 1), seq=seq))
    [(task, version, _)] = open_tasks(db, case.case_id)
    workflow.decide(db, people(db)["JD"], Decision(task, version, Outcome.REJECT, "收入超标准。"))
    return case.case_no or ""


def test_two_pcs_sending_at_once_send_each_message_once(db: Database) -> None:
    numbers = [_rejected(db, 90 + i) for i in range(3)]
    sender = Recorder()
    hall = actor(db).hall_id
    results: list[tuple[int, int]] = []
    threads = [
        threading.Thread(target=lambda: results.append(pickup.send_pending(db, sender, hall)))
        for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(n for n in numbers for text in sender.sent if n in text) == sorted(numbers)
    assert len(sender.sent) == 3 and sum(s for s, _f in results) == 3
    assert pickup.send_pending(db, sender) == (0, 0)


def test_tick_ends_publicity_and_sends(
    db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    clock = Clock(monkeypatch)
    clock.to(db, date(2026, 11, 2))
    case = accept_dibao(db, applicant(db, "李秀兰", date(1961, 3, 5), seq=95))
    approve_all(db, case.case_id)
    approve_all(db, case.case_id)  # 复审 → 公示 until 2026-11-11
    boss = actor(db, "supervisor", Role.SUPERVISOR)
    log = tmp_path / "sms.log"
    first = housekeeping.tick(db, boss, pickup.FileSender(log))
    assert (first.advanced, first.sent, first.failed) == (0, 0, 0)
    assert first.anchored >= 1  # the day's first round anchors the audit chains
    assert housekeeping.tick(db, boss, pickup.FileSender(log)).anchored == 0  # once a day
    clock.to(db, date(2026, 11, 12))
    assert housekeeping.tick(db, boss, pickup.FileSender(log)).advanced == 1
    approve_all(db, case.case_id)  # 发放
    report = housekeeping.tick(db, boss, pickup.FileSender(log))
    assert report == housekeeping.TickReport(0, 1, 0)
    assert (case.case_no or "") in log.read_text(encoding="utf-8")
    assert pickup.ready(db, actor(db), case.case_no or "")[0].state == CaseState.COMPLETED
