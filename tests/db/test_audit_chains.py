"""Per-hall audit chains (issue 17): halls never wait on each other's chain head, every
chain verifies, a chain's tail cut off after the daily anchor is caught, and a database of
the single-chain era upgrades with its old trail still verifiable."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, text, update

from app import audit
from app.__main__ import main
from app.actor import Actor
from app.audit import anchors
from app.db import migrate
from app.db.models import AuditEvent, AuditHead, Hall
from app.db.session import Database
from app.hall import setup
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from app.queue import queueing
from app.roles import Role
from forms.loader import load_catalog
from tests.helpers import people


def _hall(db: Database, code: str) -> int:
    with db.unit_of_work() as s:
        hall = setup.ensure_hall(s, code, f"{code} 便民服务中心")
        audit.record(s, _system(hall.id), "hall_created", "hall", code, after={"name": code})
        s.commit()
        return hall.id


def _system(hall_id: int | None) -> Actor:
    return Actor(user_id=None, username="system", full_name="系统", hall_id=hall_id)


def _note(db: Database, hall_id: int, n: int = 1) -> None:
    for i in range(n):
        with db.unit_of_work() as s:
            audit.record(s, _system(hall_id), "notice_changed", "hall", hall_id, after={"i": i})
            s.commit()


def _use(monkeypatch: pytest.MonkeyPatch, db: Database) -> None:
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", db.engine.url.render_as_string(False))


def test_each_hall_appends_to_its_own_chain_and_all_verify(db: Database) -> None:
    demo = queueing.hall_by_code(db, "DEMO").id
    other = _hall(db, "JX01")
    users.login(db, "clerk", DEMO_PASSWORD)
    _note(db, other, 3)
    with db.read_only() as s:
        chains = dict(
            (c, n)
            for c, n in s.execute(
                select(AuditEvent.chain, func.max(AuditEvent.seq)).group_by(AuditEvent.chain)
            )
        )
    assert chains[f"hall:{other}"] == 4  # created + three notices, numbered 1…4
    assert chains[f"hall:{demo}"] >= 2
    report = audit.verify_chain(db)
    assert report.ok, report.problems
    assert report.chains >= 4  # main, city, root and one per hall


@pytest.mark.direct_pg  # holds a connection's locks and reads pg_locks
# SQLite has one writer for the whole file: there is nothing to wait on per hall.
@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)
def test_two_halls_do_not_wait_on_each_other(db: Database) -> None:
    a, b = queueing.hall_by_code(db, "DEMO").id, _hall(db, "JX02")
    held = db.engine.connect()
    tx = held.begin()
    audit.append(
        held, _system(a), "notice_changed", "hall", a, at=datetime.now(UTC).replace(tzinfo=None)
    )
    try:
        done = threading.Event()

        def hall_b() -> None:
            with db.unit_of_work() as s:
                s.execute(text("SET LOCAL lock_timeout = '2s'"))
                audit.record(s, _system(b), "notice_changed", "hall", b)
                s.commit()
            done.set()

        worker = threading.Thread(target=hall_b)
        worker.start()
        worker.join(10)
        assert done.is_set()  # hall B appended while hall A's transaction held A's head
        with db.engine.connect() as look:
            waiting = look.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted"))
        assert waiting == 0
        # The same hall does queue on its head: the lock is real.
        with pytest.raises(Exception, match="lock"), db.engine.connect() as same:
            same.execute(text("SET lock_timeout = '200ms'"))
            audit.append(same, _system(a), "notice_changed", "hall", a, at=datetime(2026, 1, 1))
    finally:
        tx.rollback()
        held.close()
    assert audit.verify_chain(db).ok


def _cut_tail(db: Database, chain: str, keep: int) -> None:
    """Delete the chain's events after ``keep`` and move its head back consistently."""
    with db.unit_of_work() as s:
        last = s.scalars(
            select(AuditEvent).where(AuditEvent.chain == chain, AuditEvent.seq == keep)
        ).one()
        s.execute(delete(AuditEvent).where(AuditEvent.chain == chain, AuditEvent.seq > keep))
        s.execute(
            update(AuditHead).where(AuditHead.chain == chain).values(seq=keep, hash=last.hash)
        )
        s.commit()


def test_a_tail_cut_off_after_the_anchor_is_caught(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    other = _hall(db, "JX03")
    _note(db, other, 4)
    assert anchors.anchor_due(db) >= 2
    assert anchors.anchor_due(db) == 0  # once a day
    sheet = anchors.anchor_sheet(db)
    chain = f"hall:{other}"
    assert [e.seq for e in sheet.chains if e.chain == chain] == [5]
    _cut_tail(db, chain, 3)  # the two last notices gone, the head moved back to match
    report = audit.verify_chain(db)
    assert report.problems == [
        "大厅 JX03 便民服务中心：锚点记录此链已有 5 条，现在只到第 3 条（末尾被截去）"
    ]
    _use(monkeypatch, db)
    assert main(["audit", "verify"]) == 1
    assert "末尾被截去" in capsys.readouterr().err


def test_a_sheet_printed_later_in_the_day_covers_the_events_up_to_its_printing(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    other = _hall(db, "JX04")
    assert anchors.anchor_due(db) >= 1  # the day's anchors
    _note(db, other, 6)  # work goes on, and a hall is opened after the day's anchor
    late = _hall(db, "JX05")
    _note(db, late, 2)
    auditor = people.actor(db, "auditor", Role.AUDITOR)
    sheet = anchors.print_sheet(db, auditor)
    ends = {label: seq for label, seq, _hash in sheet.chains}
    assert ends["大厅 JX04 便民服务中心"] == 7 and ends["大厅 JX05 便民服务中心"] == 3
    assert anchors.anchor_due(db, force=True) == 1  # the printing itself, in the DEMO chain
    assert anchors.anchor_due(db, force=True) == 0  # nothing moved since: no new anchors
    _cut_tail(db, f"hall:{other}", 4)  # cut after the sheet was printed
    assert audit.verify_chain(db).problems == [
        "大厅 JX04 便民服务中心：锚点记录此链已有 7 条，现在只到第 4 条（末尾被截去）"
    ]
    _use(monkeypatch, db)
    capsys.readouterr()
    spaced = sheet.root_code.replace(":", " : ")
    spaced = spaced[:20] + " " + spaced[20:]  # typed in groups, as printed large
    assert main(["audit", "verify", "--root", spaced]) == 1  # the cut tail, not the code
    assert "末尾被截去" in capsys.readouterr().err
    assert main(["audit", "verify", "--root", ""]) == 2  # an empty anchor is no anchor
    assert "锚点格式" in capsys.readouterr().err


def test_the_root_chain_is_checked_against_the_kept_sheet(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _use(monkeypatch, db)
    assert main(["audit", "anchor"]) == 0
    out = capsys.readouterr().out
    code = out.split("锚点链：")[1].split()[0]
    assert code == anchors.anchor_sheet(db).root_code
    assert main(["audit", "verify", "--root", code]) == 0
    # The whole root chain rewound (anchors and all) and the hall's tail cut to match:
    # only the sheet kept outside tells.
    demo = f"hall:{queueing.hall_by_code(db, 'DEMO').id}"
    with db.unit_of_work() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.chain == audit.ROOT))
        s.execute(
            update(AuditHead)
            .where(AuditHead.chain == audit.ROOT)
            .values(
                seq=0,
                hash=s.scalars(
                    select(AuditHead.genesis).where(AuditHead.chain == audit.ROOT)
                ).one(),
            )
        )
        s.commit()
    _cut_tail(db, demo, 1)
    assert audit.verify_chain(db).ok  # consistent in itself
    capsys.readouterr()
    assert main(["audit", "verify", "--root", code]) == 1
    assert "已不在数据库中" in capsys.readouterr().err
    for bad in ("12:zz", f"99999999999999999999:{'a' * 64}", f"１２:{'a' * 64}"):
        assert main(["audit", "verify", "--root", bad]) == 2
        assert "64 位十六进制" in capsys.readouterr().err


def test_an_old_single_chain_database_upgrades_and_stays_verifiable(empty_db: Database) -> None:
    migrate.upgrade(empty_db, "0012")
    with empty_db.unit_of_work() as s:  # the hall table is the same at 0012 and head
        setup.ensure_hall(s, "OLD", "老大厅")
        s.commit()
    # Write two events the old way: chain "main" (the column does not exist yet).
    old = empty_db.engine.connect()
    with old.begin():
        for n in (1, 2):
            prev = old.scalar(text("SELECT hash FROM audit_head WHERE chain = 'main'"))
            at = datetime(2026, 11, 1, 8, n)
            event = {
                "seq": n,
                "at": at,
                "hall_id": 1,
                "actor_id": None,
                "actor_name": "系统",
                "action": "notice_changed",
                "entity": "hall",
                "entity_id": "OLD",
                "before": None,
                "after": {"n": n},
                "note": "",
            }
            digest = audit.chain.digest(prev, event)
            old.execute(
                text(
                    "INSERT INTO audit_event (seq, at, hall_id, actor_id, actor_name, action,"
                    " entity, entity_id, before, after, note, prev_hash, hash) VALUES (:seq, :at,"
                    " :hall_id, NULL, :actor_name, :action, :entity, :entity_id, NULL, :after,"
                    " :note, :prev, :hash)"
                ),
                {**event, "after": f'{{"n": {n}}}', "prev": prev, "hash": digest},
            )
            old.execute(
                text("UPDATE audit_head SET seq = :n, prev = hash, hash = :h WHERE chain = 'main'"),
                {"n": n, "h": digest},
            )
    old.close()
    migrate.upgrade(empty_db)
    with empty_db.read_only() as s:
        main_hash = s.scalars(select(AuditHead.hash).where(AuditHead.chain == "main")).one()
        hall_head = s.get(AuditHead, "hall:1")
        assert hall_head is not None and hall_head.genesis == main_hash and hall_head.seq == 0
    setup.prepare(empty_db, load_catalog(), "OLD", "老大厅")
    _note(empty_db, 1, 2)
    report = audit.verify_chain(empty_db)
    assert report.ok, report.problems
    with empty_db.read_only() as s:
        first = s.scalars(
            select(AuditEvent).where(AuditEvent.chain == "hall:1", AuditEvent.seq == 1)
        ).one()
        assert first.prev_hash == main_hash  # the new chain continues the old one
    with empty_db.unit_of_work() as s:  # the old trail's last event rewritten
        s.execute(
            update(AuditEvent)
            .where(AuditEvent.chain == "main", AuditEvent.seq == 2)
            .values(note="x")
        )
        s.commit()
    assert any(
        "升级前的审计链：第 2 条审计记录内容被修改" in p
        for p in audit.verify_chain(empty_db).problems
    )
    with empty_db.read_only() as s:
        assert s.scalar(select(func.count()).select_from(Hall)) == 1


def test_the_auditor_prints_the_anchor_sheet(db: Database, tmp_path: Path) -> None:
    from app.errors import PermissionDenied
    from printing import anchor_sheet
    from tests.helpers.pdf import barcodes, pdf_text
    from tests.helpers.people import actor as demo_actor

    with pytest.raises(PermissionDenied):
        anchors.print_sheet(db, demo_actor(db))  # a clerk
    auditor = users.login(db, "auditor", DEMO_PASSWORD)
    sheet = anchors.print_sheet(db, auditor)
    assert sheet.root_code == anchors.anchor_sheet(db).root_code  # today's anchors are in
    assert int(sheet.root_code.split(":")[0]) >= 1
    pdf = anchor_sheet.render(sheet)
    words = pdf_text(pdf, tmp_path).replace(" ", "")
    assert "审计锚点单" in words and f"auditverify--root{sheet.root_code}" in words
    assert "大厅示范区政务服务中心（演示）：第" in words
    assert barcodes(pdf, tmp_path) == [f"QR-Code:{sheet.root_code}"]
    with db.read_only() as s:
        printed = s.scalars(
            select(AuditEvent).where(AuditEvent.action == "audit_anchor_printed")
        ).one()
        assert printed.after == {"root": sheet.root_code}
    seq, digest = anchors.parse_root(sheet.root_code)
    assert anchors.check_root(db, seq, digest) == []
