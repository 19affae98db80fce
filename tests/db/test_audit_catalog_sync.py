"""The audit chain detects tampering; the catalog sync versions changed services."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from app import audit
from app.db.models import AuditEvent, ServiceType, ServiceVersion
from app.db.session import Database, db_now
from app.hall import setup
from app.hall.setup import DEMO_PASSWORD
from app.people import users
from forms.loader import Catalog, load_catalog
from tests.helpers.people import actor


def _some_events(db: Database) -> None:
    users.login(db, "admin", DEMO_PASSWORD)
    users.login(db, "clerk", DEMO_PASSWORD)


def test_chain_verifies(db: Database) -> None:
    _some_events(db)
    report = audit.verify_chain(db)
    assert report.ok and report.events >= 5


def test_hash_written_by_the_database_matches_the_verifier(db: Database) -> None:
    """PostgreSQL hashes in SQL (one statement per append); Python recomputes the same."""
    clerk = actor(db)
    content = {"name": "吉\U00020bb7䶮", "fee": Decimal("12.50"), "day": date(2026, 11, 23)}
    with db.unit_of_work() as s:
        for i in range(3):
            audit.record(s, clerk, "resident_updated", "resident", i, content, {"n": i}, "备注")
        s.commit()
        last = s.scalar(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1))
        assert last is not None and last.before == {**content, "fee": "12.50", "day": "2026-11-23"}
        assert last.at <= db_now(s)
    report = audit.verify_chain(db)
    assert report.ok, report.problems


def test_edited_event_is_detected(db: Database) -> None:
    _some_events(db)
    with db.unit_of_work() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 2).values(actor_name="别人"))
        s.commit()
    report = audit.verify_chain(db)
    assert not report.ok and any("第 2 条" in p and "修改" in p for p in report.problems)


def test_deleted_event_is_detected(db: Database) -> None:
    _some_events(db)
    with db.unit_of_work() as s:
        s.execute(delete(AuditEvent).where(AuditEvent.seq == 3))
        s.commit()
    assert any("缺失" in p for p in audit.verify_chain(db).problems)


def test_deleted_last_event_is_detected(db: Database) -> None:
    _some_events(db)
    with db.unit_of_work() as s:
        last = s.scalar(select(func.max(AuditEvent.seq)))
        s.execute(delete(AuditEvent).where(AuditEvent.seq == last))
        s.commit()
    assert any("末尾" in p for p in audit.verify_chain(db).problems)


def test_audit_verify_command(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.__main__ import main

    monkeypatch.setenv(
        "ONEWINDOW_DATABASE_URL", db.engine.url.render_as_string(hide_password=False)
    )
    assert main(["audit", "verify"]) == 0
    with db.unit_of_work() as s:
        s.execute(update(AuditEvent).where(AuditEvent.seq == 1).values(action="x"))
        s.commit()
    assert main(["audit", "verify"]) == 1
    assert "被修改" in capsys.readouterr().err


def test_resync_unchanged_catalog_writes_nothing(db: Database, catalog: Catalog) -> None:
    report = setup.sync_catalog(db, catalog, "DEMO")
    assert not report.changed


def test_changed_service_gets_a_new_version_and_old_stays(db: Database, tmp_path: Path) -> None:
    import shutil

    from forms.loader import default_catalog_dir

    folder = tmp_path / "catalog"
    shutil.copytree(default_catalog_dir(), folder, ignore=shutil.ignore_patterns("__*"))
    path = folder / "minzheng.yaml"
    path.write_text(
        path.read_text("utf-8").replace("promised_days: 7\n", "promised_days: 6\n", 1), "utf-8"
    )
    (folder / "shuiwu.yaml").unlink()
    report = setup.sync_catalog(db, load_catalog(folder), "DEMO")
    assert report.new_versions == ["MZ001 v2"]
    assert set(report.retired) == {"SW001", "SW002"}
    with db.unit_of_work() as s:
        st = s.scalars(select(ServiceType).where(ServiceType.code == "MZ001")).one()
        versions = s.scalars(
            select(ServiceVersion)
            .where(ServiceVersion.service_type_id == st.id)
            .order_by(ServiceVersion.version)
        ).all()
        assert [v.definition["promised_days"] for v in versions] == [7, 6]
        assert st.current_version == 2 and st.promised_days == 6
    assert "catalog_synced" in [
        r.action for r in audit.recent_events(db, users.login(db, "auditor", DEMO_PASSWORD))
    ]
    again = setup.sync_catalog(db, load_catalog(), "DEMO")  # back to the shipped files
    assert again.new_versions == ["MZ001 v3"] and not again.retired


def test_demo_refuses_a_production_database(db: Database, catalog: Catalog) -> None:
    with db.unit_of_work() as s:
        hall = setup.ensure_hall(s, "PROD", "正式大厅")
        s.commit()
        assert not hall.is_demo
    from app.errors import EnvironmentProblem

    with pytest.raises(EnvironmentProblem, match="正式数据库"):
        setup.prepare(db, catalog, "PROD", "正式大厅", demo=True)
