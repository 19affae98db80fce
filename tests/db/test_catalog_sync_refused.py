"""``catalog sync`` refuses unclean catalogs by file and field, and never half-writes one.

Issue 12, kind 1: ``catalog check`` passed catalogs with NUL, bidi controls, emoji or
``fee: 1e400``, and ``catalog sync`` then stopped with a DataError traceback on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DataError

from app.__main__ import main
from app.db.models import AuditEvent, Department, QueueCategory, ServiceType, ServiceVersion
from app.db.session import Database
from app.hall import catalog_sync, setup
from app.hall.catalog_sync import CatalogWriteFailed
from forms.loader import load_catalog
from tests.helpers.catalog_copies import catalog_copy, edit

HALL_NAME = setup.DEMO_HALL[1]


def _snapshot(db: Database) -> dict[str, Any]:
    """Everything a catalog sync writes: services, versions, departments, queues, its event."""
    with db.unit_of_work() as s:
        return {
            "services": sorted(
                (t.code, t.name, t.active, t.current_version)
                for t in s.scalars(select(ServiceType))
            ),
            "versions": s.scalar(select(func.count()).select_from(ServiceVersion)),
            "departments": sorted((d.code, d.name) for d in s.scalars(select(Department))),
            "queues": sorted((q.letter, q.name) for q in s.scalars(select(QueueCategory))),
            "synced": s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "catalog_synced")
            ),
        }


def _use(monkeypatch: pytest.MonkeyPatch, db: Database) -> None:
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", db.engine.url.render_as_string(False))


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        (
            "    name: 最低生活保障申请\n",
            '    name: "最低生活\\0保障申请"\n',
            "minzheng.yaml: services[0](MZ001).name: 第 5 个字符是不可见的控制字符（U+0000）",
        ),
        (
            "    promised_days: 7\n",
            "    promised_days: 7\n    fee: 1e400\n",
            "minzheng.yaml: services[0](MZ001).fee: 数值过大",
        ),
    ],
    ids=["nul", "feebig"],
)
def test_catalog_sync_refuses_the_testers_folders_by_file_and_field(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    old: str,
    new: str,
    where: str,
) -> None:
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, "minzheng.yaml", old, new)
    _use(monkeypatch, db)
    before = _snapshot(db)
    assert main(["catalog", "sync", str(folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(where) and "目录未写入数据库" in err and "Traceback" not in err
    assert _snapshot(db) == before


def test_a_write_the_database_refuses_undoes_the_whole_sync(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The last statement of a sync fails after every service was written: none is kept."""
    folder = catalog_copy(tmp_path / "catalog")
    edit(folder, "minzheng.yaml", "promised_days: 7\n", "promised_days: 6\n")
    (folder / "shuiwu.yaml").unlink()  # and two services to retire

    def refused(*_: object) -> None:
        raise DataError("INSERT INTO audit_event …", {}, Exception("value too long"))

    monkeypatch.setattr(catalog_sync._Writer, "audit", refused)
    _use(monkeypatch, db)
    before = _snapshot(db)
    assert main(["catalog", "sync", str(folder)]) == 2
    err = capsys.readouterr().err
    assert (
        err.strip()
        == "目录写入数据库失败，已全部撤销，数据库中的目录没有改变。详细原因已记入日志。"
    )
    assert _snapshot(db) == before


@pytest.mark.parametrize("backend", ["postgresql"], indirect=True)  # SQLite stores NUL
def test_postgresql_refusing_a_nul_the_schema_missed_is_a_message(db: Database) -> None:
    """Past the schema (built without validation), PostgreSQL's own refusal is caught."""
    catalog = load_catalog()
    svc = catalog.services["MZ001"]
    bad = svc.definition.model_copy(update={"name": "最低\x00生活保障"})
    catalog.services["MZ001"] = type(svc)(bad, svc.department, svc.file, 2, "x" * 64)
    before = _snapshot(db)
    with pytest.raises(CatalogWriteFailed, match="已全部撤销"):
        setup.sync_catalog(db, catalog, "DEMO")
    assert _snapshot(db) == before


def test_a_start_whose_catalog_write_fails_opens_with_the_old_catalog(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = catalog_copy(tmp_path / "shipped")
    edit(shipped, "minzheng.yaml", "promised_days: 7\n", "promised_days: 5\n")

    def refused(*_: object) -> None:
        raise DataError("INSERT INTO catalog_applied …", {}, Exception("boom"))

    monkeypatch.setattr(catalog_sync._Writer, "remember", refused)
    before = _snapshot(db)
    report = setup.start(db, "DEMO", HALL_NAME, demo=True, directory=shipped)
    assert [str(p) for p in report.problems] == [
        "数据库: 目录写入数据库失败，已全部撤销，数据库中的目录没有改变。详细原因已记入日志。"
    ]
    assert not report.changed and _snapshot(db) == before
