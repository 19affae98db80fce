"""The catalog never stops the hall, and the start-up sync never undoes the hall's own sync."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from app.__main__ import main
from app.db.models import AuditEvent, ServiceType, ServiceVersion
from app.db.session import Database
from app.hall import setup
from forms.loader import load_catalog
from tests.helpers.catalog_copies import catalog_copy, edit

HALL_NAME = setup.DEMO_HALL[1]


def _current(db: Database, code: str) -> tuple[int, int, bool]:
    """(version, promised days, active) of a service as counters see it."""
    with db.unit_of_work() as s:
        st = s.scalars(select(ServiceType).where(ServiceType.code == code)).one()
        sv = s.scalars(
            select(ServiceVersion).where(
                ServiceVersion.service_type_id == st.id,
                ServiceVersion.version == st.current_version,
            )
        ).one()
        return st.current_version, int(sv.definition["promised_days"]), st.active


def _synced_events(db: Database) -> int:
    with db.unit_of_work() as s:
        q = select(func.count()).select_from(AuditEvent)
        return int(s.scalar(q.where(AuditEvent.action == "catalog_synced")) or 0)


def _hall_catalog(folder: Path) -> Path:
    """The hall's own copy: 低保 promised in 6 days, and a service of its own (JD001)."""
    catalog_copy(folder)
    edit(folder, "minzheng.yaml", "promised_days: 7\n", "promised_days: 6\n")
    own = load_catalog().services["MZ003"].definition.model_dump(mode="json", exclude_defaults=True)
    own.update(code="JD001", name="街道便民证明")
    doc = {"version": 1, "department": {"code": "JD", "name": "街道社会事务办"}, "services": [own]}
    (folder / "jiedao.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
    return folder


def _use(monkeypatch: pytest.MonkeyPatch, db: Database) -> None:
    monkeypatch.setenv("ONEWINDOW_DATABASE_URL", db.engine.url.render_as_string(False))


def test_a_hall_sync_survives_restarts_and_shipped_updates(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _current(db, "MZ001") == (1, 7, True)
    _use(monkeypatch, db)
    assert main(["catalog", "sync", str(_hall_catalog(tmp_path / "hall"))]) == 0
    assert _current(db, "MZ001") == (2, 6, True) and _current(db, "JD001")[2]
    # The program starts again with the same shipped catalog: nothing is undone.
    again = setup.start(db, "DEMO", HALL_NAME, demo=True)
    assert not again.changed and not again.problems
    assert _current(db, "MZ001") == (2, 6, True) and _current(db, "JD001")[2]
    # A newer program ships a changed 低保 and 医疗救助, and no longer ships 税务.
    shipped = catalog_copy(tmp_path / "shipped")
    edit(shipped, "minzheng.yaml", "promised_days: 7\n", "promised_days: 5\n")
    edit(shipped, "minzheng.yaml", "code: MZ002\n", "code: MZ002\n    fee: 1\n")
    (shipped / "shuiwu.yaml").unlink()
    update = setup.start(db, "DEMO", HALL_NAME, demo=True, directory=shipped)
    assert update.new_versions == ["MZ002 v2"] and set(update.retired) == {"SW001", "SW002"}
    assert _current(db, "MZ001") == (2, 6, True)  # the hall's version stays
    assert _current(db, "JD001")[2]  # the hall's own service stays
    assert any(s.startswith("MZ001") for s in update.skipped)
    assert any(s.startswith("JD001") for s in update.skipped)
    # Once applied, the same shipped catalog does nothing at the next start.
    events = _synced_events(db)
    assert not setup.start(db, "DEMO", HALL_NAME, demo=True, directory=shipped).needs_attention
    assert _synced_events(db) == events


def test_shipped_sync_from_the_command_line_is_remembered(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``catalog sync`` without a folder takes the shipped files back, on purpose."""
    _use(monkeypatch, db)
    assert main(["catalog", "sync", str(_hall_catalog(tmp_path / "hall"))]) == 0
    assert main(["catalog", "sync"]) == 0
    assert _current(db, "MZ001") == (3, 7, True) and not _current(db, "JD001")[2]
    assert not setup.start(db, "DEMO", HALL_NAME, demo=True).needs_attention


def test_a_broken_shipped_catalog_keeps_the_database_catalog(db: Database, tmp_path: Path) -> None:
    broken = catalog_copy(tmp_path / "broken")
    edit(broken, "minzheng.yaml", "promised_days: 7\n", "promised_days: soon\n")
    (broken / "shuiwu.yaml").unlink()
    events = _synced_events(db)
    report = setup.start(db, "DEMO", HALL_NAME, demo=True, directory=broken)
    assert [str(p) for p in report.problems] == [
        "minzheng.yaml: services[0](MZ001).promised_days: 应为整数（现为 'soon'）"
    ]
    assert not report.changed and _synced_events(db) == events
    assert _current(db, "MZ001") == (1, 7, True) and _current(db, "SW001")[2]


@pytest.mark.parametrize("broken", [True, False])
def test_catalog_sync_of_a_broken_or_missing_folder_changes_nothing(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    broken: bool,
) -> None:
    folder = tmp_path / "catalog"
    if broken:
        catalog_copy(folder)
        edit(folder, "minzheng.yaml", "promised_days: 7\n", "promised_days: soon\n")
    _use(monkeypatch, db)
    assert main(["catalog", "check", str(folder)]) == 1
    checked = capsys.readouterr().err
    events = _synced_events(db)
    assert main(["catalog", "sync", str(folder)]) == 1
    synced = capsys.readouterr().err
    assert synced.startswith(checked) and "目录未写入数据库" in synced
    assert "Traceback" not in synced
    expected = "minzheng.yaml: services[0](MZ001).promised_days" if broken else "目录文件夹不存在"
    assert expected in checked
    assert _synced_events(db) == events and _current(db, "MZ001") == (1, 7, True)
