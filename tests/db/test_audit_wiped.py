"""A trail wiped as a whole is reported and no new chain begins over it (QA of issue 12).

``DELETE FROM audit_head; DELETE FROM audit_event`` (or deleting the events and setting the
head back to the start) in a database that holds users, tickets and cases: ``audit verify``
finds a problem and every audited action refuses with the clear message. A genuinely new
database still starts its chain.
"""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, update

from app import audit
from app.__main__ import main
from app.db import migrate
from app.db.models import AuditEvent, AuditHead
from app.db.session import Database
from app.errors import EnvironmentProblem
from app.hall import setup
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import queueing
from forms.loader import load_catalog

WIPED = "审计记录被整体清空"


def _events(db: Database) -> int:
    with db.read_only() as s:
        return int(s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def _wipe(db: Database, keep_head_at_start: bool) -> None:
    with db.unit_of_work() as s:
        s.execute(delete(AuditEvent))
        if keep_head_at_start:
            s.execute(update(AuditHead).values(seq=0, hash=audit.GENESIS, prev=""))
        else:
            s.execute(delete(AuditHead))
        s.commit()


@pytest.mark.parametrize("keep_head_at_start", [False, True], ids=["head_deleted", "head_reset"])
def test_a_wiped_trail_is_reported_and_no_chain_begins_over_it(
    db: Database,
    keep_head_at_start: bool,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    users.login(db, "clerk", DEMO_PASSWORD)
    queueing.issue_ticket(db, queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id), "A")
    _wipe(db, keep_head_at_start)
    assert not audit.verify_chain(db).ok
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", db.engine.url.render_as_string(False))
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr()
    assert WIPED in out.err and "审计记录 0 条：发现问题" in out.out

    with pytest.raises(EnvironmentProblem, match=f"审计记录已损坏：{WIPED}") as caught:
        users.login(db, "clerk", DEMO_PASSWORD)
    assert "audit verify" in caught.value.message
    with pytest.raises(EnvironmentProblem, match=WIPED):
        queueing.issue_ticket(db, queueing.kiosk_actor(queueing.hall_by_code(db, "DEMO").id), "A")
    assert _events(db) == 0  # no new chain
    with db.read_only() as s:
        head = s.get(AuditHead, audit.chain_of(queueing.hall_by_code(db, "DEMO").id))
        assert (head is None) if not keep_head_at_start else (head is not None and head.seq == 0)


def test_a_new_database_starts_its_chain(empty_db: Database) -> None:
    migrate.upgrade(empty_db)
    report = audit.verify_chain(empty_db)
    assert report.ok and report.events == 0  # nothing audited yet: an empty trail is right
    setup.prepare(empty_db, load_catalog(), "HALL", "大厅")
    users.create_first_admin(empty_db, "HALL", "sysadm", "管理员", "Hall#Chief2026")
    users.login(empty_db, "sysadm", "Hall#Chief2026")
    report = audit.verify_chain(empty_db)
    assert report.ok and report.events >= 3
    with empty_db.read_only() as s:
        hall = queueing.hall_by_code(empty_db, "HALL").id
        first = s.scalars(
            select(AuditEvent).where(AuditEvent.chain == f"hall:{hall}", AuditEvent.seq == 1)
        ).one()
        assert first.action == "hall_created" and first.prev_hash == audit.GENESIS
